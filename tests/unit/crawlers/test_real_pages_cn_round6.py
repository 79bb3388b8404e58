"""Chinese marketplace pages as served, sixth round: Youzan (有赞) goods pages as the browser renders them
and with their state written escaped, and Weidian (微店) item pages.

Each saved page is trimmed from a real page of its shape, with invented shop and brand names.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from saved_pages import amounts, page, price_of
from saved_pages import html as _html
from saved_pages import replaced as _replaced
from saved_pages import sold_out as _sold_out

from crawlers.extraction import extract

# -- Youzan goods page as rendered (h5.youzan.com/v2/goods/<alias>) -------------------------------------

YOUZAN_V2 = "https://h5.youzan.com/v2/goods/2oq8x1vyk3m7d"
RENDERED = "youzan/goods_rendered.html"


def test_a_rendered_youzan_goods_page_is_read_from_its_price_header() -> None:
    # The Vant page the goods script renders: `.goods-price__current-price-text` in the goods header; the
    # shop's recommendations (¥129.00, ¥39.00) and the hidden SKU popup's price (¥99.00) are not its price.
    got = extract(page(RENDERED), YOUZAN_V2)
    assert price_of(got) == (Decimal("89.00"), "CNY", "sale", None)
    assert (got.method, got.profile) == ("profile", "youzan")
    assert got.title == "山屿 钛合金 户外折叠餐具 四件套"  # the subtitle (.goods-title__sub) is not in it
    assert got.seller_name == "绿野户外生活馆"
    assert got.shipping is not None and got.shipping.amount == Decimal("10.00")
    assert not amounts(got) & {Decimal(129), Decimal(39), Decimal(99)}


def test_a_rendered_youzan_page_with_free_postage_ships_for_nothing() -> None:
    html = _replaced(_html(RENDERED), '<span class="goods-stock__postage">¥10.00</span>',
                     '<span class="goods-stock__postage">免运费</span>')  # fmt: skip
    got = extract(html, YOUZAN_V2)
    assert got.shipping is not None and got.shipping.amount == Decimal("0.00")


@pytest.mark.parametrize("label", ["已售罄", "商品已下架", "店铺打烊中"])
def test_a_rendered_youzan_page_whose_buy_bar_offers_no_purchase_is_sold_out(label: str) -> None:
    html = _replaced(
        _html(RENDERED),
        '<button class="van-button van-button--warning van-goods-action-big-btn"><span class="van-button__text">'
        '加入购物车</span></button>\n    <button class="van-button van-button--danger van-goods-action-big-btn">'
        '<span class="van-button__text">立即购买</span></button>',
        f'<button class="van-button van-button--disabled van-goods-action-big-btn" disabled>'
        f'<span class="van-button__text">{label}</span></button>',
    )
    _sold_out(extract(html, YOUZAN_V2), "youzan")


def test_a_sold_out_word_beside_the_buy_buttons_does_not_make_a_rendered_youzan_page_sold_out() -> None:
    # "部分规格已售罄" said of some sizes, with the buy buttons still there
    html = _replaced(_html(RENDERED), '<a class="van-goods-action-mini-btn"><span>店铺</span></a>',
                     '<a class="van-goods-action-mini-btn"><span>部分规格已售罄</span></a>')  # fmt: skip
    got = extract(html, YOUZAN_V2)
    assert price_of(got) == (Decimal("89.00"), "CNY", "sale", None)


def test_the_youzan_sandbox_shape_is_still_read_as_before() -> None:
    got = extract(page("youzan/goods.html"), "https://shop1.youzan.com/wscgoods/detail/1")
    assert price_of(got) == (Decimal("139.00"), "CNY", "sale", None)
    assert (got.profile, got.seller_name, got.sku) == ("youzan", "绿野户外生活馆", "SY-TM35")
    assert got.shipping is not None and got.shipping.amount == Decimal("10.00")


def test_another_shops_bem_price_markup_is_not_read_as_youzan() -> None:
    html = """<html><body><div class="goods-count"><div class="goods-price">
      <s class="goods-price__old">715 грн</s><span class="goods-price__current">679 грн</span>
      </div></div></body></html>"""
    got = extract(html, "https://shop.example.invalid/catalog/item-1")
    assert got.profile != "youzan"


# -- Youzan goods state written escaped (window._global.goodsData) ----------------------------------------

YOUZAN_WSC = "https://shop40871233.m.youzan.com/wscgoods/detail/2xk7q1m9a0zb3"
ESCAPED = "youzan/goods_escaped_state.html"


def test_youzan_goods_data_written_as_an_escaped_string_is_read_in_fen() -> None:
    # `_global.goodsData` is the goods JSON escaped as JavaScript's escape() writes it (%uXXXX, %XX); the
    # page script reads it with JSON.parse(unescape(...)). Prices there are in fen: 69900 is ¥699.00.
    got = extract(page(ESCAPED), YOUZAN_WSC)
    assert price_of(got) == (Decimal("699.00"), "CNY", "range", Decimal("759.00"))
    assert (got.method, got.profile) == ("profile", "youzan-goods")
    assert (got.title, got.seller_name) == ("山屿 超轻 羽绒睡袋 -10℃", "绿野户外生活馆")
    assert {c.kind: c.amount for c in got.candidates} == {"range": Decimal("699.00"), "list": Decimal("899.00")}
    assert got.shipping is not None and got.shipping.amount == Decimal("0.00")
    assert Decimal(59) not in amounts(got)


def test_escaped_youzan_goods_taken_off_the_shelf_are_sold_out() -> None:
    html = _replaced(_html(ESCAPED), "%22isDisplay%22%3A1", "%22isDisplay%22%3A0")
    _sold_out(extract(html, YOUZAN_WSC), "youzan-goods")


def test_escaped_youzan_goods_with_no_stock_left_are_sold_out() -> None:
    html = _replaced(_html(ESCAPED), "%22stockNum%22%3A15", "%22stockNum%22%3A0")
    html = _replaced(html, "%22stockNum%22%3A8", "%22stockNum%22%3A0")
    _sold_out(extract(html, YOUZAN_WSC), "youzan-goods")


@pytest.mark.parametrize("value", ['"%7Bnot json"', '"%u00"', '"%uD83D%7B%7D"', '""', '"%5B1%2C2%5D"', "12"])
def test_a_youzan_goods_data_string_that_is_no_goods_object_is_not_read_as_one(value: str) -> None:
    html = _html(ESCAPED)
    start = html.index('"goodsData": "') + len('"goodsData": ')
    end = html.index('", "activityData"') + 1
    got = extract(html[:start] + value + html[end:], YOUZAN_WSC)
    assert got.profile != "youzan-goods"
    assert Decimal("699.00") not in amounts(got)


# -- Weidian (微店) item page (weidian.com/item.html?itemID=<id>) ---------------------------------------------

WEIDIAN = "https://weidian.com/item.html?itemID=7392018845"
ROCKER = "weidian/item_rocker_state.html"


def test_a_weidian_item_is_read_from_its_server_state_in_fen_and_its_skus_in_stock() -> None:
    # `<script id="__rocker-render-inject__" data-obj="...">` holds the page model, HTML-escaped:
    # `item_info.itemLowPrice` the lowest price in fen (7900 is ¥79.00), each SKU's `price` as shown in
    # yuan; the SKUs one can buy span ¥79.00-89.00 (the XL at ¥95.00 has no stock), `origin_price` the
    # struck price; the shop's recommendations (¥69.00, ¥45.00) drawn below are not its price.
    got = extract(page(ROCKER), WEIDIAN)
    assert price_of(got) == (Decimal("79.00"), "CNY", "range", Decimal("89.00"))
    assert (got.method, got.profile) == ("profile", "weidian")
    assert (got.title, got.seller_name) == ("山屿 户外速干T恤 男款 短袖", "山屿户外小店")
    assert {c.kind: c.amount for c in got.candidates} == {"range": Decimal("79.00"), "list": Decimal("99.00")}
    assert got.shipping is not None and got.shipping.amount == Decimal("0.00")
    assert not amounts(got) & {Decimal(69), Decimal(45), Decimal(95), Decimal(7900)}


def test_a_weidian_item_without_skus_is_its_lowest_price_in_fen() -> None:
    html = _replaced(_html(ROCKER), "&#34;sku_properties&#34;", "&#34;sku_properties_unused&#34;")
    got = extract(html, WEIDIAN)
    assert price_of(got) == (Decimal("79.00"), "CNY", "sale", None)
    assert {c.kind: c.amount for c in got.candidates} == {"sale": Decimal("79.00"), "list": Decimal("99.00")}


def test_weidian_sku_prices_that_do_not_agree_with_the_lowest_price_are_not_read() -> None:
    # The SKUs' prices are read as yuan only when the lowest of them is the item's lowest price; written
    # otherwise ("7900" as fen, say), the item's own lowest price stands alone.
    html = _html(ROCKER)
    for shown in ("79.00", "89.00", "95.00"):
        html = _replaced(html, f"&#34;price&#34;:&#34;{shown}&#34;", f"&#34;price&#34;:&#34;{shown[:2]}00&#34;")
    got = extract(html, WEIDIAN)
    assert price_of(got) == (Decimal("79.00"), "CNY", "sale", None)
    assert not amounts(got) & {Decimal(7900), Decimal(8900)}


def _with_high_price(value: str, html: str | None = None) -> str:
    low = "&#34;itemLowPrice&#34;:7900"
    return _replaced(html or _html(ROCKER), low, f"{low},&#34;itemHighPrice&#34;:{value}")


def _without_skus(html: str) -> str:
    return _replaced(html, "&#34;sku_properties&#34;", "&#34;sku_properties_unused&#34;")


def test_a_weidian_item_whose_highest_price_is_above_its_lowest_is_a_range() -> None:
    # `itemHighPrice` (fen, like `itemLowPrice`) above the lowest price: the page shows ¥79.00-129.00,
    # a range, not a price of ¥79.00; the struck ¥99.00 is inside it, so no list price.
    got = extract(_without_skus(_with_high_price("12900")), WEIDIAN)
    assert price_of(got) == (Decimal("79.00"), "CNY", "range", Decimal("129.00"))
    assert {c.kind: c.amount for c in got.candidates} == {"range": Decimal("79.00")}


def test_a_weidian_highest_price_equal_to_the_lowest_is_one_price() -> None:
    got = extract(_without_skus(_with_high_price("7900")), WEIDIAN)
    assert price_of(got) == (Decimal("79.00"), "CNY", "sale", None)


def test_the_weidian_skus_in_stock_say_better_than_the_highest_price() -> None:
    # the highest price counts the XL (¥95.00) that has no stock; the SKUs one can buy span ¥79.00-89.00
    got = extract(_with_high_price("9500"), WEIDIAN)
    assert price_of(got) == (Decimal("79.00"), "CNY", "range", Decimal("89.00"))


def test_the_weidian_highest_price_is_the_range_when_the_skus_are_not_read() -> None:
    html = _html(ROCKER)
    for shown in ("79.00", "89.00", "95.00"):  # SKU prices written otherwise: not read
        html = _replaced(html, f"&#34;price&#34;:&#34;{shown}&#34;", f"&#34;price&#34;:&#34;{shown[:2]}00&#34;")
    got = extract(_with_high_price("9500", html), WEIDIAN)
    assert price_of(got) == (Decimal("79.00"), "CNY", "range", Decimal("95.00"))
    assert not amounts(got) & {Decimal(7900), Decimal(9500)}


@pytest.mark.parametrize(
    "value", ["&#34;abc&#34;", "-12900", "true", "129.5", "&#34;12900元&#34;", "1e30", "[12900]", "5000", "null"]
)
def test_a_hostile_or_lower_weidian_highest_price_leaves_the_lowest_price(value: str) -> None:
    got = extract(_without_skus(_with_high_price(value)), WEIDIAN)
    assert price_of(got) == (Decimal("79.00"), "CNY", "sale", None)
    assert amounts(got) == {Decimal("79.00"), Decimal("99.00")}


def test_a_weidian_item_with_no_stock_left_is_sold_out() -> None:
    html = _replaced(_html(ROCKER), "&#34;stock&#34;:54", "&#34;stock&#34;:0")
    _sold_out(extract(html, WEIDIAN), "weidian")


def test_a_weidian_item_whose_skus_all_have_no_stock_is_sold_out() -> None:
    html = _replaced(_html(ROCKER), "&#34;stock&#34;:20", "&#34;stock&#34;:0")
    html = _replaced(html, "&#34;stock&#34;:34", "&#34;stock&#34;:0")
    _sold_out(extract(html, WEIDIAN), "weidian")


@pytest.mark.parametrize("value", ["&#34;abc&#34;", "-7900", "true", "79.5", "&#34;7900元&#34;", "1e30", "[7900]"])
def test_a_hostile_weidian_lowest_price_is_never_read_as_a_price(value: str) -> None:
    html = _replaced(_html(ROCKER), "&#34;itemLowPrice&#34;:7900", f"&#34;itemLowPrice&#34;:{value}")
    got = extract(html, WEIDIAN)
    assert got.profile == "weidian"
    assert all(c.amount > 0 for c in got.candidates)
    assert not amounts(got) & {Decimal(7900), Decimal(-79), Decimal("0.795"), Decimal("79.5")}


def test_weidians_other_server_rendered_pages_are_not_read_as_an_item() -> None:
    # the same script carries the model of Weidian's other pages (a buyer's refund list, a shop page)
    html = _replaced(_html(ROCKER), "&#34;item_info&#34;", "&#34;refund_info&#34;")
    assert extract(html, WEIDIAN).profile != "weidian"
    assert extract(page("youzan/goods_global_data.html"), YOUZAN_WSC).profile != "weidian"
