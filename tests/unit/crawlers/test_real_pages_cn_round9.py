"""Chinese marketplace pages as served, ninth round: the current Taobao/Tmall PC detail page as the server
sends it (its detail in the `__ICE_APP_CONTEXT__` script, the price panel not drawn yet) and 1688 offer pages
whose model travels in `window.context=(function(b,d){...})(window.contextPath,{...})`.

Each saved page is trimmed from a real page of its shape, with invented shop and brand names.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from saved_pages import html as _html
from saved_pages import page, price_of
from saved_pages import replaced as _replaced
from saved_pages import sold_out as _sold_out

from crawlers.extraction import extract

# -- Taobao/Tmall PC detail page as sent (window.__ICE_APP_CONTEXT__, loaderData.home.data.res) ------------

ICE = "tmall/detail_ice_state.html"
ICE_URL = "https://detail.tmall.com/item.htm?id=812233445566"


def test_a_detail_page_sent_without_its_price_panel_is_read_from_the_ice_state() -> None:
    # priceVO: 699 labelled 优惠前 beside 599 labelled 券后: the shelf price, and a coupon price beside it
    got = extract(page(ICE), ICE_URL)
    assert price_of(got) == (Decimal("699.00"), "CNY", "sale", None)
    assert got.profile == "taobao-ice-state"
    assert {(c.amount, c.kind) for c in got.candidates} == {(Decimal(699), "sale"), (Decimal(599), "coupon")}
    assert (got.title, got.seller_name) == ("山屿 户外冲锋衣 男 三合一 防水透气", "山屿户外旗舰店")
    assert got.model == "SY-CF3301"  # 货号 in plusViewVO.industryParamVO
    assert got.shipping is not None and got.shipping.amount == Decimal("0.00")


def test_a_url_naming_a_sku_is_priced_as_that_sku_from_sku2info() -> None:
    got = extract(page(ICE), f"{ICE_URL}&skuId=5301122334403")
    assert price_of(got) == (Decimal("729.00"), "CNY", "sale", None)
    assert {(c.amount, c.kind) for c in got.candidates} == {(Decimal(729), "sale"), (Decimal(629), "coupon")}


@pytest.mark.parametrize("sku", ["5301122334402", "5301122334404"])
def test_a_url_naming_a_sku_with_none_left_is_sold_out(sku: str) -> None:
    _sold_out(extract(page(ICE), f"{ICE_URL}&skuId={sku}"), "taobao-ice-state")


def test_a_url_naming_a_sku_the_table_lacks_is_priced_as_the_item() -> None:
    got = extract(page(ICE), f"{ICE_URL}&skuId=9999")
    assert price_of(got) == (Decimal("699.00"), "CNY", "sale", None)


def test_an_item_with_none_left_is_sold_out() -> None:
    html = _replaced(_html(ICE), '"quantity":"320","quantityText":"有货"', '"quantity":"0","quantityText":"无货"')
    _sold_out(extract(html, ICE_URL), "taobao-ice-state")


def test_a_promotion_price_beside_the_price_makes_the_price_the_list_price() -> None:
    html = _replaced(_html(ICE), '"priceText":"599","priceTitle":"券后"', '"priceText":"599","priceTitle":"促销价"')
    got = extract(html, ICE_URL)
    assert price_of(got) == (Decimal("599.00"), "CNY", "sale", None)
    assert {(c.amount, c.kind) for c in got.candidates} == {(Decimal(699), "list"), (Decimal(599), "sale")}


def test_a_struck_extra_price_is_the_list_price() -> None:
    # the detail service's shape: the price (国庆价, "起") with the struck 价格 as the extra price
    html = _replaced(
        _html(ICE),
        '"priceVO":{"price":{"priceMoney":"69900","priceText":"699","priceTitle":"优惠前","priceUnit":"￥"},'
        '"extraPrice":{"priceMoney":"59900","priceText":"599","priceTitle":"券后","priceUnit":"￥","priceDesc":""}}',
        '"priceVO":{"price":{"priceMoney":"59900","priceText":"599","priceTitle":"国庆价"},'
        '"extraPrice":{"priceMoney":"69900","priceText":"699","priceTitle":"价格","lineThrough":"true"}}',
    )
    got = extract(html, ICE_URL)
    assert price_of(got) == (Decimal("599.00"), "CNY", "sale", None)
    assert {(c.amount, c.kind) for c in got.candidates} == {(Decimal(699), "list"), (Decimal(599), "sale")}


def test_a_drawn_price_panel_is_still_read_from_the_page() -> None:
    html = _replaced(
        _html(ICE),
        '<div id="ice-container"></div>',
        '<div id="ice-container"><div class="ItemHeader--root--DXhqHxP"><h1 class="mainTitle--O1XCl8e8">'
        '山屿 户外冲锋衣 男 三合一 防水透气</h1></div><div class="purchasePanel--rZp8AAu9">'
        '<div class="highlightPrice--LlVWiXXs"><span class="text--LP7Wf49z">券后</span>'
        '<span class="symbol--">￥</span><span class="text--">589</span></div>'
        '<div class="subPrice--KfQ0yn4v"><span>优惠前</span><span>￥</span><span>699</span></div></div></div>',
    )
    got = extract(html, ICE_URL)
    assert got.profile == "taobao-detail"
    assert {(c.amount, c.kind) for c in got.candidates} == {(Decimal(699), "sale"), (Decimal(589), "coupon")}


def test_another_scripts_var_b_is_not_read_as_the_ice_state() -> None:
    state = '{"loaderData": {"home": {"data": {"res": {"item": {}}}}}}'
    html = f"<html><body><script>var b = {state};</script></body></html>"
    got = extract(html, ICE_URL)
    assert got.profile != "taobao-ice-state"
