"""Chinese reseller pages as served, tenth round: Dangdang (当当) product pages, served in GBK, and Suning
(苏宁易购) product pages, whose price comes from Suning's price service.

Each saved page is trimmed from a real page of its shape, with invented shop and product names.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from saved_pages import page, price_of
from saved_pages import replaced as _replaced
from saved_pages import sold_out as _sold_out

from crawlers.extraction import ExtractionStatus, extract

# -- Dangdang product page (product.dangdang.com/<id>.html) ----------------------------------------------

DANGDANG = "dangdang/product_gbk.html"
DANGDANG_URL = "http://product.dangdang.com/29801234.html"


def _dangdang(old: str = "", new: str = "") -> bytes:
    """The saved Dangdang page (GBK, as served), with `old` replaced by `new`."""
    text = page(DANGDANG).decode("gbk")
    return (_replaced(text, old, new) if old else text).encode("gbk")


def test_a_dangdang_page_is_priced_from_its_price_box() -> None:
    # 当当价 ¥34.80 in #dd-price, the struck 定价 ¥49.00 a list price; the e-book's ¥17.99 is another product's
    got = extract(page(DANGDANG), DANGDANG_URL)
    assert price_of(got) == (Decimal("34.80"), "CNY", "sale", None)
    assert got.profile == "dangdang"
    assert {(c.amount, c.kind) for c in got.candidates} == {(Decimal("34.80"), "sale"), (Decimal("49.00"), "list")}
    assert (got.title, got.seller_name) == ("山风集：城市散步手记（随书附赠手绘地图）", "当当自营")


def test_a_mobile_only_price_shown_beside_the_price_is_a_coupon_price() -> None:
    # 手机专享价: the price in Dangdang's app, not what a buyer of this page pays
    html = _dangdang(
        '<div class="price_ph" id="mobile-price" style="display:none">\n'
        '       <p class="t">手机专享价</p>\n'
        '       <p class="pr"><span class="yen">&yen;</span></p>',
        '<div class="price_ph" id="mobile-price">\n'
        '       <p class="t">手机专享价</p>\n'
        '       <p class="pr"><span class="yen">&yen;</span>29.90</p>',
    )
    got = extract(html, DANGDANG_URL)
    assert price_of(got) == (Decimal("34.80"), "CNY", "sale", None)
    assert (Decimal("29.90"), "coupon") in {(c.amount, c.kind) for c in got.candidates}


def test_a_shop_on_dangdang_is_the_seller() -> None:
    html = _dangdang(
        '<span class="title_name"><span class="icon dang"></span><span class="dang_red">当当自营</span></span>',
        '<a href="http://shop.dangdang.com/23456" target="_blank" title="青禾图书专营店" dd_name="店铺名称">'
        "青禾图书专营店</a>",
    )
    assert extract(html, DANGDANG_URL).seller_name == "青禾图书专营店"


def test_a_dangdang_item_offering_only_an_arrival_notice_is_sold_out() -> None:
    html = _dangdang(
        '<a href="javascript:;" class="btn btn_b btn_b_red" id="sign_no_stock" style="display: none;">到货通知</a>\n'
        '     <a href="javascript:AddToShoppingCart(29801234)" id="part_buy_button" class="btn btn_red">',
        '<a href="javascript:;" class="btn btn_b btn_b_red" id="sign_no_stock">到货通知</a>\n'
        '     <a href="javascript:AddToShoppingCart(29801234)" id="part_buy_button" class="btn btn_red" '
        'style="display:none">',
    )
    _sold_out(extract(html, DANGDANG_URL), "dangdang")


# -- Suning product page (product.suning.com/<shop>/<item>.html) and its price service ----------------------

SUNING = "suning/product.html"
SUNING_URL = "https://product.suning.com/0070088095/12411692175.html"
SUNING_PRICE = "suning/price_answer.jsonp"
SUNING_API = (
    "https://pas.suning.com/nspcsale_0_000000012411692175_000000012411692175_0070088095_10_010_0100101.html"
    "?callback=pcData"
)


def _answer(old: str = "", new: str = "") -> bytes:
    text = page(SUNING_PRICE).decode("utf-8")
    return (_replaced(text, old, new) if old else text).encode("utf-8")


def test_a_suning_page_asks_the_price_service_for_its_price() -> None:
    # the server sends no price: the item code and the seller's code in `var sn` name the price to fetch
    got = extract(page(SUNING), SUNING_URL, platform="website")
    assert (got.status, got.reason, got.profile) == (ExtractionStatus.NO_PRICE, "price_endpoint", "suning")
    assert got.follow_up == SUNING_API
    assert (got.title, got.seller_name) == ("青禾 QH-K2 破壁料理机 家用多功能 1.75L 智能预约", "青禾电器旗舰店")


def test_a_suning_page_read_with_no_platform_named_asks_the_price_service_too() -> None:
    got = extract(page(SUNING), SUNING_URL)  # `oneprice extract` on a saved page
    assert (got.status, got.reason, got.profile, got.follow_up) == (
        ExtractionStatus.NO_PRICE,
        "price_endpoint",
        "suning",
        SUNING_API,
    )


def test_a_suning_price_is_the_promotion_price_the_service_answers() -> None:
    # pcData(...): promotionPrice 599.00 the price, the struck refPrice 899.00 the list price
    got = extract(page(SUNING), SUNING_URL, platform="website", follow_up_body=_answer())
    assert price_of(got) == (Decimal("599.00"), "CNY", "sale", None)
    assert {(c.amount, c.kind) for c in got.candidates} == {(Decimal("599.00"), "sale"), (Decimal("899.00"), "list")}
    assert (got.seller_name, got.sku) == ("青禾电器旗舰店", "12411692175")


def test_without_a_promotion_the_net_price_is_the_suning_price() -> None:
    answer = _answer('"promotionPrice":"599.00","refPrice":"899.00"', '"promotionPrice":"","refPrice":""')
    got = extract(page(SUNING), SUNING_URL, platform="website", follow_up_body=answer)
    assert price_of(got) == (Decimal("699.00"), "CNY", "sale", None)
    assert {c.kind for c in got.candidates} == {"sale"}


def test_a_suning_promotion_price_range_is_a_range() -> None:
    answer = _answer('"promotionPrice":"599.00"', '"promotionPrice":"599.00-649.00"')
    got = extract(page(SUNING), SUNING_URL, platform="website", follow_up_body=answer)
    assert price_of(got) == (Decimal("599.00"), "CNY", "range", Decimal("649.00"))


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            '"netPrice":"699.00","promotionPrice":"599.00","refPrice":"899.00","invStatus":"1","noPriceCausation":""',
            '"netPrice":"","promotionPrice":"","refPrice":"","invStatus":"3","noPriceCausation":"该商品已下架"',
        ),
        ('"invStatus":"1"', '"invStatus":"2"'),
    ],
)
def test_a_suning_item_off_the_shelf_or_out_of_stock_is_sold_out(old: str, new: str) -> None:
    _sold_out(extract(page(SUNING), SUNING_URL, platform="website", follow_up_body=_answer(old, new)), "suning")
