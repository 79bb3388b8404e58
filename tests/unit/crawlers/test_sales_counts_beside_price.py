"""A sales, review or favourites count beside a price ("¥99 月销1000+", "已售2万+", "1000+ sold", "评价 5000+")
is neither a range nor a "from" price, and its number is never the price."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crawlers.discovery import TAOBAO_SEARCH, point_price, read_search_page
from crawlers.extraction import extract
from crawlers.prices import parse_price_text, without_sales_counts
from oneprice.domain.money import Money

URL = "https://shop.example.cn/item/1"

AFTER = [
    "¥99 月销1000+",
    "¥99 月销 1000+",
    "¥99 月销量1000+",
    "¥99 已售 1000+",
    "¥99 已售2万+",
    "¥99 付款1000+",
    "¥99 评价 5000+",
    "¥99 累计评价5000+",
    "¥99 好评1000+",
    "¥99 收藏5000+",
    "¥99 销量：1000+",
    "¥99 月销1000~",
    "¥99 1000+人付款",
    "¥99 2000+条评价",
    "¥99 2万+好评",
    "$99 1000+ sold",
    "$99 Sold 1,000+",
]


@pytest.mark.parametrize("text", AFTER)
def test_a_sales_count_after_the_price_leaves_one_price_on_a_search_result(text: str) -> None:
    """The count's closing "+" had made "¥99 月销1000+" a "from" price: the result had no price."""
    assert point_price(text) == Decimal(99)


@pytest.mark.parametrize(
    "text",
    [
        "评价5000+ ¥99",
        "累计评价 5000+ ¥99",
        "好评1000+ ¥99",
        "收藏5000+ ¥99",
        "月销量1000+ ¥99",
        "销量1.2万+ ¥99",
        "销量：1000+ ¥99",
        "5000+评价 ¥99",
        "2万+好评 ¥99",
        "Sold 1000+ $99",
        "1,000+ sold $99",
        "月销1000+ ¥99",
    ],
)
def test_a_count_before_the_price_is_not_read_for_it(text: str) -> None:
    """Reviews, favourites and "销量" before the sign had been read as the price (¥5000, ¥12000, $1000)."""
    assert parse_price_text(text)[0] == Decimal(99)


@pytest.mark.parametrize(
    "text",
    [
        "$45.00+",  # Etsy: the cheapest of variations priced apart
        "¥99+",
        "¥99起",
        "¥99-129",
        "¥99-129 月销1000+",  # a range stays a range beside a count
        "¥99 1000+",  # a bare "1000+" names nothing: left as a "from" price
        "From £59.00",
    ],
)
def test_ranges_and_from_prices_stay_so_beside_a_count(text: str) -> None:
    assert point_price(text) is None


@pytest.mark.parametrize(
    ("text", "left"),
    [
        ("¥99 月销1000+", "¥99"),
        ("¥99 已售2万+ 包邮", "¥99 包邮"),
        ("$19.99 1000+ sold", "$19.99"),
        ("$19.99 sold out", "$19.99 sold out"),  # no count: the price stays
        ("$45.00+", "$45.00+"),
        ("¥99-129", "¥99-129"),
    ],
)
def test_without_sales_counts(text: str, left: str) -> None:
    assert without_sales_counts(text) == left


def test_a_search_result_with_its_sales_count_in_the_price_box_has_its_price() -> None:
    html = (
        "<div class='m-itemlist'><div class='items'>"
        "<div class='item'><div class='row title'><a href='/i/1'>货</a></div>"
        "<div class='price'><strong>¥99 月销1000+</strong></div></div>"
        "</div></div>"
    )
    [found], _ = read_search_page(html, "https://s.example/search?q=x", TAOBAO_SEARCH)
    assert found.price == Decimal(99)


@pytest.mark.parametrize("box", ["¥99 月销1000+", "¥99 评价 5000+", "¥99 好评1000+"])
def test_a_sales_count_in_a_listing_pages_price_box_is_no_from_price(box: str) -> None:
    got = extract(f"<html><body><h1>Lamp</h1><div class='price'>{box}</div></body></html>", URL)
    assert (got.price, got.price_kind) == (Money.of("99", "CNY"), "sale")
