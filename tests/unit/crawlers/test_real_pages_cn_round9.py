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


def test_a_panel_drawn_without_its_price_is_priced_from_the_ice_state() -> None:
    # the title and the purchase panel drawn, the price box empty until the page script fills it
    html = _replaced(
        _html(ICE),
        '<div id="ice-container"></div>',
        '<div id="ice-container"><div class="ItemHeader--root--DXhqHxP"><h1 class="mainTitle--O1XCl8e8">'
        '山屿 户外冲锋衣 男 三合一 防水透气</h1></div><div class="purchasePanel--rZp8AAu9">'
        '<div class="highlightPrice--LlVWiXXs"></div><div class="Actions--L6eamwX5"><button>领券购买</button>'
        "<button>加入购物车</button></div></div></div>",
    )
    got = extract(html, f"{ICE_URL}&skuId=5301122334403")
    assert got.profile == "taobao-detail"
    assert price_of(got) == (Decimal("729.00"), "CNY", "sale", None)
    assert {(c.amount, c.kind) for c in got.candidates} == {(Decimal(729), "sale"), (Decimal(629), "coupon")}
    assert got.seller_name == "山屿户外旗舰店"


def test_a_panel_drawn_without_its_price_whose_buttons_say_off_the_shelf_is_sold_out() -> None:
    html = _replaced(
        _html(ICE),
        '<div id="ice-container"></div>',
        '<div id="ice-container"><h1 class="mainTitle--O1XCl8e8">山屿 户外冲锋衣</h1>'
        '<div class="purchasePanel--rZp8AAu9"><div class="highlightPrice--LlVWiXXs"></div>'
        '<div class="Actions--L6eamwX5"><button disabled>宝贝已下架</button></div></div></div>',
    )
    _sold_out(extract(html, ICE_URL), "taobao-detail")


def test_another_scripts_var_b_is_not_read_as_the_ice_state() -> None:
    state = '{"loaderData": {"home": {"data": {"res": {"item": {}}}}}}'
    html = f"<html><body><script>var b = {state};</script></body></html>"
    got = extract(html, ICE_URL)
    assert got.profile != "taobao-ice-state"


# -- 1688 offer page of 2025 (window.context=(function(b,d){...})(window.contextPath,{...})) ------------------

CONTEXT = "1688/offer_window_context.html"
CONTEXT_URL = "https://detail.1688.com/offer/732255018846.html"
MODEL_TIERS = (
    '"skuRangePrices":[{"beginAmount":2,"price":"25.00"},{"beginAmount":50,"price":"23.50"},'
    '{"beginAmount":500,"price":"21.00"}]'
)
SHOWN_TIERS = (  # mainPrice's, not the global model's (written the same)
    '"priceDisplayType":"rangePrice","currentPrices":[{"beginAmount":2,"price":"25.00"},{"beginAmount":50,'
    '"price":"23.50"},{"beginAmount":500,"price":"21.00"}]'
)


def test_a_1688_offer_whose_model_is_passed_to_window_context_is_read_at_the_smallest_order() -> None:
    # the model is the call's second argument, a literal with bare number keys (skuWeight); 2 pieces and up: 25.00
    got = extract(page(CONTEXT), CONTEXT_URL)
    assert price_of(got) == (Decimal("25.00"), "CNY", "sale", None)
    assert got.profile == "1688"
    assert (got.seller_name, got.title) == ("泉州山屿户外用品有限公司", "山屿 户外速干冰丝T恤 男女同款 运动短袖 批发")
    assert Decimal("3.80") not in {c.amount for c in got.candidates}  # a recommended offer


def test_without_tiers_in_the_model_the_tiers_shown_are_read() -> None:
    html = _replaced(_html(CONTEXT), MODEL_TIERS, '"skuRangePrices":[]')
    html = _replaced(
        html,
        SHOWN_TIERS,
        '"priceDisplayType":"rangePrice","currentPrices":[{"beginAmount":100,"price":"22.00"},'
        '{"beginAmount":3,"price":"26.00"}]',
    )
    got = extract(html, CONTEXT_URL)
    assert price_of(got) == (Decimal("26.00"), "CNY", "sale", None)


def test_a_1688_offer_with_nothing_left_to_book_is_sold_out() -> None:
    html = _replaced(_html(CONTEXT), '"canBookedAmount":3680', '"canBookedAmount":0')
    _sold_out(extract(html, CONTEXT_URL), "1688")


def test_skus_priced_apart_are_a_range_of_those_left_to_book() -> None:
    html = _replaced(_html(CONTEXT), '"skuPriceType":"rangePrice"', '"skuPriceType":"skuPrice"')
    for sku, price in (("6a", "24.00"), ("6b", "26.00"), ("6c", "24.00"), ("6d", "29.00")):  # 6d: none left
        html = _replaced(html, f'"specId":"8f0c2d1e{sku}",', f'"specId":"8f0c2d1e{sku}","price":"{price}",')
    got = extract(html, CONTEXT_URL)
    assert price_of(got) == (Decimal("24.00"), "CNY", "range", Decimal("26.00"))


def test_the_company_comes_from_the_title_component_when_the_model_lacks_it() -> None:
    html = _replaced(_html(CONTEXT), '"companyName":"泉州山屿户外用品有限公司","sellerLoginId"', '"sellerLoginId"')
    html = _replaced(
        html,
        '"shopInfo":{"companyName":"泉州山屿户外用品有限公司","authCompanyName":"泉州山屿户外用品有限公司",'
        '"sellerSlrServiceScore":"4.5"}',
        '"shopInfo":"{\\"companyName\\":\\"泉州岭川贸易有限公司\\"}"',  # written as a JSON string
    )
    got = extract(html, CONTEXT_URL)
    assert got.seller_name == "泉州岭川贸易有限公司"


def test_a_window_context_with_only_the_global_model_is_read_from_its_trade_model() -> None:
    # no Root component: result.global.globalData.model (tradeModel.offerPriceModel, sellerModel, offerDetail)
    html = _replaced(_html(CONTEXT), '"Root":{', '"RootGone":{')
    html = _replaced(html, SHOWN_TIERS, '"priceDisplayType":"rangePrice","currentPrices":[]')
    html = _replaced(html, '"productTitle":{', '"productTitleGone":{')
    got = extract(html, CONTEXT_URL)
    assert price_of(got) == (Decimal("25.00"), "CNY", "sale", None)
    assert (got.seller_name, got.title) == ("泉州山屿户外用品有限公司", "山屿 户外速干冰丝T恤 男女同款 运动短袖 批发")


def test_a_window_context_without_an_offer_model_is_not_read_as_an_offer() -> None:
    html = (
        '<html><body><script>window.contextPath = "/default";window.context=(function(b,d){return d})'
        '(window.contextPath,{"result":{"data":{"gallery":{"fields":{}}}}});</script></body></html>'
    )
    assert extract(html, CONTEXT_URL).profile != "1688"


# -- Alibaba's slider check: `/_____tmd_____/punish?x5secdata=...` -------------------------------------------

PUNISH_SCRIPT = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><script>window._config_ = {"action": "captcha", '
    '"url": "https://h5api.m.tmall.com//h5/mtop.taobao.pcdetail.data.get/1.0/_____tmd_____/punish?'
    'x5secdata=xd3826576&x5step=1"};</script><script src="//g.alicdn.com/sd/punish/waf_ssr.js"></script>'
    "</head><body></body></html>"
)
PUNISH_REPLACE = '<script>window.location.replace("/item.htm/_____tmd_____/punish?x5secdata=xcf&x5step=2")</script>'


@pytest.mark.parametrize("body", [PUNISH_SCRIPT, PUNISH_REPLACE])
def test_a_page_whose_script_sends_to_the_slider_check_is_blocked(body: str) -> None:
    got = extract(body.encode(), ICE_URL)
    assert (got.status.value, got.reason, got.price) == ("blocked", "captcha", None)


def test_a_redirect_to_the_slider_check_is_blocked() -> None:
    url = "https://detail.tmall.com//item.htm/_____tmd_____/punish?x5secdata=xyz&x5step=1"
    got = extract(b"<html><body><div id='app'></div></body></html>", url)
    assert (got.status.value, got.reason) == ("blocked", "captcha")


def test_a_product_page_whose_anti_bot_script_names_the_slider_check_is_still_read() -> None:
    body = page("tmall/detail_coupon.html").replace(
        b"</body>", b'<script>var baxiaCommon = {"punish": "/_____tmd_____/punish?x5secdata="};</script></body>'
    )
    got = extract(body, ICE_URL)
    assert got.status.value == "ok" and got.price == extract(page("tmall/detail_coupon.html"), ICE_URL).price
