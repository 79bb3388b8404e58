"""Search pages of the platforms found on Chinese resellers' trail: 1688 (wholesale offers), a Youzan shop's
own goods list, and Vipshop.

The saved pages in tests/fixtures/pages/search/ keep the structure of real pages (script state keys,
class names), cut to a few results, with invented products, companies, shops, prices and ids.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from crawlers.discovery import SearchResult, read_search_page, search_shapes

ROOT = Path(__file__).resolve().parents[3]
PAGES = ROOT / "tests" / "fixtures" / "pages" / "search"


def _page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


def _row(r: SearchResult) -> tuple[str, str | None, str | None, Decimal | None]:
    return (r.url, r.title, r.seller_name, r.price)


# -- 1688 (s.1688.com/selloffer/offer_search.htm) -------------------------------------------------------

ALI_URL = "https://s.1688.com/selloffer/offer_search.htm?keywords=%C9%BD%D3%EC&n=y"


def test_1688_offer_search_state_gives_offer_pages_companies_and_one_prices() -> None:
    found, nxt = read_search_page(
        _page("alibaba1688_offer_search.html"), ALI_URL, search_shapes("website"), content_type="text/html"
    )
    assert [_row(r) for r in found] == [
        # the offer page of its id, the search's tracking parameters dropped; the seller is the company
        (
            "https://detail.1688.com/offer/712345678901.html",
            "山屿 岚峰 冲锋衣 男款 防风防水",
            "泉州云杉户外用品有限公司",
            Decimal("268.00"),
        ),
        # an ad: its detailUrl is a click redirect, its listing the offer page of its id; markup in
        # the subject is dropped; two quantity tiers at two prices are a range, no one price
        ("https://detail.1688.com/offer/712345678902.html", "山屿 踏云 徒步鞋 新款", "晋江市踏云鞋业商行", None),
        # no priceInfo: the offer price's valueString (yuan)
        ("https://detail.1688.com/offer/712345678903.html", "山屿 抓绒外套", "石狮市清仓服饰", Decimal("59.5")),
        # the entry with no offer id and a script link is no listing
    ]
    assert nxt == ALI_URL + "&beginPage=2"
    _, third = read_search_page(_page("alibaba1688_offer_search.html"), nxt, search_shapes("website"))
    assert third == ALI_URL + "&beginPage=3"


def test_1688_last_page_has_no_next_page() -> None:
    last = ALI_URL + "&beginPage=8"
    found, nxt = read_search_page(_page("alibaba1688_offer_search.html"), last, search_shapes("website"))
    assert len(found) == 3 and nxt is None


@pytest.mark.parametrize(
    ("offer", "price"),
    [
        # a price the state writes as a number is in yuan, like the text
        ('{"id":1,"tradePrice":{"offerPrice":{"priceInfo":{"price":12.5}}}}', Decimal("12.5")),
        # tiers at one price: that price
        (
            '{"id":1,"tradePrice":{"offerPrice":{"priceInfo":{"price":"12.50"},'
            '"quantityPrices":[{"valueString":"12.50"},{"valueString":"12.5"}]}}}',
            Decimal("12.50"),
        ),
        ('{"id":1,"tradePrice":{"offerPrice":{"priceInfo":{"price":"12.50-15.00"}}}}', None),
        ('{"id":1,"tradePrice":{"offerPrice":{"priceInfo":{"price":true}}}}', None),
        ('{"id":1,"tradePrice":{"offerPrice":{"priceInfo":{"price":"-3"}}}}', None),
        ('{"id":1,"tradePrice":"12.50"}', None),
    ],
)
def test_1688_prices_of_the_state(offer: str, price: Decimal | None) -> None:
    page = (
        "<html><body><script>window.data.offerresultData = successDataCheck("
        f'{{"code":200,"data":{{"offerList":[{offer}]}}}});</script></body></html>'
    )
    [found], nxt = read_search_page(page, ALI_URL, search_shapes("website"))
    assert found.url == "https://detail.1688.com/offer/1.html" and found.price == price
    assert nxt is None  # no pageCount: no next page


@pytest.mark.parametrize(
    "state",
    [
        'window.data.offerresultData = successDataCheck({"code":200,"data":{"offerList":"none"}});',
        'window.data.offerresultData = successDataCheck({"code":200,"data":{"offerList":[{"id":true},'
        '{"id":1.5},{"id":"1/../2"},{"information":{"detailUrl":"https://evil.example/offer/1.html"}}]}});',
        'window.data.offerresultData = successDataCheck({"code":200,"data":{"offerList":[{"id":1',  # cut off
        "window.data.offerresultData = successDataCheck(" + "[" * 5000 + "]" * 5000 + ");",
        'window.data.offerresultData = successDataCheck({"code":200,"data":{"offerList":[{"id":' + "9" * 40 + "}]}});",
    ],
)
def test_broken_1688_state_gives_no_results(state: str) -> None:
    page = f"<html><head><script>{state}</script></head><body></body></html>"
    assert read_search_page(page, ALI_URL, search_shapes("website")) == ([], None)


def test_1688_offer_without_an_id_keeps_a_detail_link_and_strange_page_counts_stop() -> None:
    page = (
        '<html><body><script>window.data.offerresultData = successDataCheck({"code":200,"data":{"offerList":['
        '{"information":{"subject":"山屿","detailUrl":"//detail.1688.com/offer/42.html?spm=x#top"}}],'
        '"pageCount":"many"}});</script></body></html>'
    )
    found, nxt = read_search_page(page, ALI_URL, search_shapes("website"))
    assert [_row(r) for r in found] == [("https://detail.1688.com/offer/42.html", "山屿", None, None)]
    assert nxt is None
