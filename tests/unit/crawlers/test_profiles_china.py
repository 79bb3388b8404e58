"""Current Taobao/Tmall, JD, Pinduoduo and Youzan page shapes -> what their profile reads.

The saved pages reproduce the live markup of each generation (CSS-module class names, page state in
scripts, price boxes filled by the browser) with the noise such pages carry: sticky headers repeating
the price, recommendation carousels with other products' prices, hidden coupon pop-ups, scripts.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html
from saved_pages import amounts, page

from crawlers.candidates import CouponPolicy
from crawlers.extraction import Extraction, ExtractionStatus, extract
from crawlers.profiles import find_profile, profile_named, selector_for

# (saved page, url, follow-up answer, profile, price, kind, top of range, seller, title, model, offers)
PAGES = [
    ("tmall/detail_purchase_panel.html", "https://detail.tmall.com/item.htm?id=711920345561", None,
     "taobao-detail", "1299", "sale", None, "山屿户外官方旗舰店",
     "山屿 岚峰 GORE-TEX 冲锋衣 男款 三合一 户外防水", "SY-JK01", 1),
    ("taobao/detail_price_module.html", "https://item.taobao.com/item.htm?id=733190021877", None,
     "taobao-detail", "299", "range", "399", "山屿户外企业店",
     "山屿 云径 轻量 徒步鞋 低帮 防泼水 男女款", "SY-HK12", 1),
    ("taobao/classic_item.html", "https://item.taobao.com/item.htm?id=620117834455", None,
     "taobao", "279.00", "sale", None, "山屿户外企业店",
     "山屿 溪谷 速干裤 男款 弹力 户外徒步", "SY-PT08", 1),
    ("jd/item_current.html", "https://item.jd.com/100063517262.html", None,
     "jd", "1299.00", "sale", None, "山屿户外京东自营旗舰店",
     "山屿 岚峰 GORE-TEX 冲锋衣 男款 三合一 丹霞红 XL", "SY-JK01", 1),
    ("pinduoduo/goods_rawdata_yuan.html", "https://mobile.yangkeduo.com/goods.html?goods_id=523118806612", None,
     "pinduoduo", "269", "sale", None, "云端登山用品",
     "山屿 暖岩 抓绒衣 男女同款 户外保暖", None, 2),
    ("youzan/goods_global_data.html", "https://shop44077958.youzan.com/wscgoods/detail/2fzq8w1k7x3ab", None,
     "youzan-goods", "199.00", "sale", None, "绿野户外生活馆",
     "山屿 轻量 碳纤维 登山杖 一对装", None, 1),
    ("tmall/classic_shelf_range.html", "https://detail.tmall.com/item.htm?id=640018822731", None,
     "tmall", "399.00", "range", "529.00", "岭川数码官方旗舰店",
     "岭川 极光 Pro 降噪耳机 蓝牙5.3 无线入耳式", "LC-A7", 1),
    ("tmall/mobile_detail_state.html", "https://detail.m.tmall.com/item.htm?id=690011223344", None,
     "tmall-mobile", "399.00", "sale", None, "岭川眼镜旗舰店",
     "岭川 钛架 近视眼镜框 男 超轻 方框", "LC-T52", 1),
]  # fmt: skip

# Amounts of other products (carousels, shop hot lists) and of the sticky header on each page.
NOISE = {
    "tmall/detail_purchase_panel.html": {Decimal(999), Decimal(459), Decimal(389), Decimal(100), Decimal(1000)},
    "taobao/detail_price_module.html": {Decimal(159), Decimal(49), Decimal(10), Decimal(20)},
    "taobao/classic_item.html": {Decimal(89), Decimal(259)},
    "jd/item_current.html": {Decimal(399), Decimal(199), Decimal(500), Decimal(50)},
    "pinduoduo/goods_rawdata_yuan.html": {Decimal(159), Decimal("59.9"), Decimal("1.59"), Decimal("159.00")},
    "youzan/goods_global_data.html": {Decimal(39), Decimal(129)},
    "tmall/classic_shelf_range.html": {Decimal(59), Decimal(459), Decimal(2315)},
    "tmall/mobile_detail_state.html": {Decimal("19.90")},
}


@pytest.mark.parametrize(
    ("name", "url", "answer", "profile", "price", "kind", "high", "seller", "title", "model", "offers"),
    PAGES,
    ids=[p[0] for p in PAGES],
)
def test_current_page_shape(
    name: str,
    url: str,
    answer: str | None,
    profile: str,
    price: str,
    kind: str,
    high: str | None,
    seller: str,
    title: str,
    model: str | None,
    offers: int,
) -> None:
    body = page(name)
    got = extract(body, url)
    if answer is not None:
        assert (got.status, got.reason, got.profile) == (ExtractionStatus.NO_PRICE, "price_endpoint", profile)
        assert got.follow_up and got.price is None
        got = extract(body, url, follow_up_body=page(answer))
    assert got.status is ExtractionStatus.OK, got.reason
    assert (got.profile, got.method) == (profile, "profile")
    assert got.price is not None and got.price.amount == Decimal(price) and got.price.currency == "CNY"
    assert isinstance(got.price.amount, Decimal)
    assert got.price_kind == kind
    assert got.price_high == (Decimal(high) if high else None)
    assert (got.seller_name, got.title, got.model) == (seller, title, model)
    assert got.sku is None and got.gtin is None  # none of these pages names the brand's SKU or a barcode
    assert len(got.offers or (got,)) == offers
    assert got.raw_price and got.candidates and got.why
    assert Decimal(0) < got.confidence <= 1


@pytest.mark.parametrize("name", sorted(NOISE))
def test_carousel_and_sticky_header_prices_are_never_candidates(name: str) -> None:
    url = next(p[1] for p in PAGES if p[0] == name)
    answer = next(p[2] for p in PAGES if p[0] == name)
    got = extract(page(name), url, follow_up_body=page(answer) if answer else None)
    assert got.status is ExtractionStatus.OK
    assert not amounts(got) & NOISE[name]


# -- Taobao / Tmall detail page (CSS modules) ----------------------------------------------------------

TMALL = "tmall/detail_purchase_panel.html"
TMALL_URL = "https://detail.tmall.com/item.htm?id=711920345561"
COUPON_BLOCK = '<span class="QJm4ZWx7bK--title--2e2e2e2e">券后</span>'
SUB_BLOCK = (
    '<span class="QJm4ZWx7bK--text--1a2b3c4d">优惠前</span><span class="QJm4ZWx7bK--text--1a2b3c4d">￥</span>'
    '<span class="QJm4ZWx7bK--text--1a2b3c4d">1299</span>'
)


def tmall_variant(*replacements: tuple[str, str]) -> Extraction:
    html = page(TMALL).decode()
    for old, new in replacements:
        assert old in html
        html = html.replace(old, new)
    return extract(html, TMALL_URL)


def test_coupon_price_beside_the_price_before_discount_is_kept_and_the_policy_decides() -> None:
    shelf = extract(page(TMALL), TMALL_URL)
    assert {c.kind: c.amount for c in shelf.candidates} == {"coupon": Decimal(1199), "sale": Decimal(1299)}
    assert shelf.why is not None and "coupon price kept" in shelf.why
    after = extract(page(TMALL), TMALL_URL, coupon_policy="after_coupon")
    assert after.price is not None and after.price.amount == Decimal(1199) and after.price_kind == "coupon"


def test_highlighted_price_without_a_coupon_label_is_the_price_and_the_other_one_the_list_price() -> None:
    got = tmall_variant(
        (COUPON_BLOCK, ""),
        (SUB_BLOCK, SUB_BLOCK.replace("优惠前", "原价").replace(">1299<", ">1599<")),
    )
    assert {c.kind: c.amount for c in got.candidates} == {"sale": Decimal(1199), "list": Decimal(1599)}
    assert got.price is not None and got.price.amount == Decimal(1199)


def test_highlighted_price_alone_is_the_price_and_a_range_stays_a_range() -> None:
    alone = tmall_variant((COUPON_BLOCK, ""), (SUB_BLOCK, ""))
    assert [(c.kind, c.amount) for c in alone.candidates] == [("sale", Decimal(1199))]
    ranged = tmall_variant(
        (COUPON_BLOCK, ""), (SUB_BLOCK, ""), ('--text--1a2b3c4d">1199<', '--text--1a2b3c4d">1199-1399<')
    )
    assert ranged.price is not None and ranged.price.amount == Decimal(1199)
    assert (ranged.price_kind, ranged.price_high) == ("range", Decimal(1399))


def test_only_a_coupon_price_is_no_shelf_price() -> None:
    got = tmall_variant((SUB_BLOCK, ""))
    assert got.status is ExtractionStatus.NO_PRICE and got.reason == "coupon_price_only" and got.price is None


def test_a_price_after_the_platform_subsidy_is_a_coupon_price() -> None:
    # Tmall writes 平台加补后 over the highlighted price when a subsidy is applied at checkout
    got = tmall_variant((COUPON_BLOCK, COUPON_BLOCK.replace("券后", "平台加补后")))
    assert {c.kind: c.amount for c in got.candidates} == {"coupon": Decimal(1199), "sale": Decimal(1299)}
    assert got.price is not None and got.price.amount == Decimal(1299)


def test_a_panel_without_its_price_never_reads_the_sticky_header_or_the_carousel() -> None:
    html = page(TMALL).decode()
    start = html.index('<div class="QJm4ZWx7bK--priceWrap--0d0d0d0d">\n      <div')
    end = html.index('<div class="QJm4ZWx7bK--couponList')
    got = extract(html[:start] + html[end:], TMALL_URL)
    assert got.status is ExtractionStatus.NO_PRICE and got.price is None
    assert (got.profile, got.reason) == ("taobao-detail", "no_price_found")


def test_a_panel_drawn_without_price_labels_is_read_from_its_unit_and_text() -> None:
    html = page(TMALL).decode()
    start = html.index('<div class="QJm4ZWx7bK--priceWrap--0d0d0d0d">\n      <div')
    end = html.index('<div class="QJm4ZWx7bK--couponList')
    plain = (
        '<div class="QJm4ZWx7bK--block2--e5e5e5e5"><span class="QJm4ZWx7bK--unit--f6f6f6f6">￥</span>'
        '<span class="QJm4ZWx7bK--text--1a2b3c4d">1299</span></div>'
    )
    got = extract(html[:start] + plain + html[end:], TMALL_URL)
    assert got.price is not None and got.price.amount == Decimal(1299) and got.price_kind == "sale"


def test_extra_price_named_by_its_id_is_the_price_and_the_origin_price_the_list_price() -> None:
    html = page(TMALL).decode()
    start = html.index('<div class="QJm4ZWx7bK--priceWrap--0d0d0d0d">\n      <div')
    end = html.index('<div class="QJm4ZWx7bK--couponList')
    prices = (
        '<div class="priceWrap--Ny9bJ3aS"><div class="originPrice--UnZ18wCd">'
        '<span class="priceText--gdYzG_l_">1299</span></div>'
        '<div id="extraPrice--Y7SiNGXT"><span class="priceText--gdYzG_l_ extraPriceText--aysuZjG_">1199</span></div>'
        "</div>"
    )
    got = extract(html[:start] + prices + html[end:], TMALL_URL)
    assert {c.kind: c.amount for c in got.candidates} == {"sale": Decimal(1199), "list": Decimal(1299)}


def test_older_price_module_with_an_extra_price_reads_it_as_the_price() -> None:
    html = page("taobao/detail_price_module.html").decode()
    origin = '<div class="Price--originPrice--3Qx7mJK">\n          <span'
    extra = '<div class="Price--extraPrice--1rrsZ7w"><span class="Price--priceText--2nLbVda">269</span></div>'
    assert origin in html
    got = extract(html.replace(origin, extra + origin, 1), "https://item.taobao.com/item.htm?id=733190021877")
    assert {c.kind: c.amount for c in got.candidates} == {"sale": Decimal(269), "list": Decimal(299)}
    assert got.price is not None and got.price.amount == Decimal(269)


def test_a_label_carrying_a_number_of_its_own_is_not_the_price() -> None:
    got = tmall_variant((COUPON_BLOCK, '<span class="QJm4ZWx7bK--title--2e2e2e2e">超级88</span>'), (SUB_BLOCK, ""))
    assert got.price is not None and got.price.amount == Decimal(1199)


# -- classic Taobao -----------------------------------------------------------------------------------

CLASSIC = "taobao/classic_item.html"


def classic_variant(old: str, new: str) -> Extraction:
    html = page(CLASSIC).decode("gbk")
    assert old in html
    return extract(html.replace(old, new).encode("gbk"), "https://item.taobao.com/item.htm?id=620117834455")


def test_classic_taobao_promotion_price_is_the_price_and_the_price_row_the_list_price() -> None:
    got = extract(page(CLASSIC), "https://item.taobao.com/item.htm?id=620117834455")
    assert {c.kind: c.amount for c in got.candidates} == {"sale": Decimal("279.00"), "list": Decimal("329.00")}


def test_classic_price_row_shown_alone_is_the_price() -> None:
    html = page(CLASSIC).decode("gbk")
    start, end = html.index('<li id="J_PromoPrice"'), html.index('<li class="tb-detail-postage"')
    got = extract((html[:start] + html[end:]).encode("gbk"), "https://item.taobao.com/item.htm?id=620117834455")
    assert got.price is not None and got.price.amount == Decimal("329.00") and got.price_kind == "sale"


def test_classic_page_without_a_shop_card_names_the_shop_from_g_config() -> None:
    got = classic_variant('<div class="tb-shop-name">', '<div class="tb-shop-card">')
    assert got.seller_name == "山屿户外企业店"


def test_a_listing_without_the_item_title_box_is_not_read_as_an_item_page() -> None:
    sel = selector_for(lxml_html.document_fromstring(page("taobao/gbk_listing.html")))
    assert find_profile(sel) is None  # still read as text (tests/unit/crawlers/test_extraction.py)


# -- JD -----------------------------------------------------------------------------------------------

JD = "jd/item_current.html"
JD_URL = "https://item.jd.com/100063517262.html"
FILLED_BOX = b'<span class="price J-p-100063517262">1299.00</span>'


def jd_as_served() -> bytes:
    """The item page as the server sends it: the price box is empty until the price service answers."""
    body = page(JD)
    assert FILLED_BOX in body
    return body.replace(FILLED_BOX, FILLED_BOX.replace(b"1299.00", b""))


def test_jd_price_box_filled_by_the_browser_needs_no_price_service() -> None:
    got = extract(page(JD), JD_URL)
    assert got.status is ExtractionStatus.OK and got.follow_up is None
    assert {c.kind: c.amount for c in got.candidates} == {"sale": Decimal("1299.00"), "list": Decimal("1599.00")}


def test_jd_plus_member_price_is_a_coupon_price() -> None:
    box = FILLED_BOX + b'<span class="price J-p-p-100063517262">1249.00</span>'
    got = extract(page(JD).replace(FILLED_BOX, box), JD_URL)
    assert got.price is not None and got.price.amount == Decimal("1299.00")
    assert {c.kind: c.amount for c in got.candidates}["coupon"] == Decimal("1249.00")


def test_jd_item_id_comes_from_page_config_and_names_the_price_service_request() -> None:
    got = extract(jd_as_served(), JD_URL)
    assert (got.status, got.reason, got.profile) == (ExtractionStatus.NO_PRICE, "price_endpoint", "jd")
    assert got.follow_up == "https://p.3.cn/prices/mgets?skuIds=J_100063517262"
    assert (got.seller_name, got.model) == ("山屿户外京东自营旗舰店", "SY-JK01")


def test_jd_item_service_final_price_is_a_coupon_price() -> None:
    answer = page("jd/ware_business.json")
    shelf = extract(jd_as_served(), JD_URL, follow_up_body=answer)
    assert shelf.price is not None and shelf.price.amount == Decimal("1299.00") and shelf.price_kind == "sale"
    got = extract(jd_as_served(), JD_URL, follow_up_body=answer, coupon_policy="after_coupon")
    assert got.price is not None and got.price.amount == Decimal("1199.00") and got.price_kind == "coupon"
    kinds = {c.kind: c.amount for c in got.candidates}
    assert kinds == {"sale": Decimal("1299.00"), "list": Decimal("1599.00"), "coupon": Decimal("1199.00")}


def test_jd_price_service_row_of_this_item_is_read_among_others() -> None:
    answer = b'[{"id": "J_100063517300", "p": "399.00"}, {"id": "J_100063517262", "p": "1299.00", "op": "1599.00"}]'
    got = extract(jd_as_served(), JD_URL, follow_up_body=answer)
    assert got.price is not None and got.price.amount == Decimal("1299.00")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('<div id="store-prompt" class="store-prompt">', "<strong>无货</strong>，此商品暂时售完"),
        ('<div class="sku-name">', '<div class="itemover-tip">该商品已下柜，欢迎挑选其他商品！</div>'),
    ],
)
def test_jd_sold_out_or_off_shelf_page_is_sold_out_without_asking_the_price_service(old: str, new: str) -> None:
    body = jd_as_served()
    assert old.encode() in body
    sold = body.replace(old.encode(), (old + new).encode() if "store-prompt" in old else (new + old).encode())
    got = extract(sold, JD_URL)
    assert (got.status, got.reason, got.profile, got.follow_up) == (ExtractionStatus.NO_PRICE, "sold_out", "jd", None)


# -- JD mobile item page (page state in scripts) --------------------------------------------------------

JD_MOBILE_URL = "https://item.m.jd.com/product/100071864522.html"
# item.m.jd.com as served: the state written by hand (bare keys, trailing commas), assigned in
# parentheses and then re-assigned; the price box drawn with the page's own font; a recommendation.
JD_MOBILE = """<!doctype html><html><head><meta charset="utf-8"><title>岭川 无线降噪耳机 Pro 曜石黑-京东</title>
<style>@font-face {font-family: 'JDZH-Regular-Price'; src: url('https://spider-font-oss.360buyimg.com/p.otf')}</style>
</head><body>
<div id="priceFloor"><span id="main_price">¥<em>&#xE184;&#xEE94;&#xEE94;</em><span>.&#xE1AF;&#xE1AF;</span>
<span>到手价</span></span></div>
<div class="recommend-list"><div class="item"><span class="price">¥59.00</span></div></div>
<script>
window._itemOnly = ({
  item: {skuId: "100071864522", skuName: "岭川 无线降噪耳机 Pro", image: ["jfs/t1/a.jpg", "jfs/t1/b.jpg",],},
});
window._itemInfo = ({
  "product": {"skuId": "100071864522", "skuName": "岭川 无线降噪耳机 Pro 曜石黑", "model": "LC-A9",
    "upc": "6970000123457", "weight": "0.32kg",},
  "priceFloor": {"price": "799.00", "fontFamily": "JDZH-Regular-Price", "afterDesc": {"text": "到手价"},
    "ext": {"jdPrice": "899.00", "realPriceExt": {"ORIGINAL": {"salePrice": "899.00"}}}},
  "stock": {"skuId": "100071864522", "D": {"shopName": "岭川京东自营旗舰店"}, "StockState": 33,
    "promiseResult": "预计<b>明天</b>送达",},
});
window._itemInfo = {item: window._itemOnly.item};
</script></body></html>"""
FONT_PRICE = r"\ue184\uee94\uee94.\ue1af\ue1af"


def jd_mobile(*replacements: tuple[str, str], coupon_policy: CouponPolicy = "shelf") -> Extraction:
    html = JD_MOBILE
    for old, new in replacements:
        assert old in html
        html = html.replace(old, new)
    return extract(html, JD_MOBILE_URL, coupon_policy=coupon_policy)


def test_jd_mobile_price_shown_with_its_label_beside_the_jd_price() -> None:
    got = jd_mobile()
    assert got.status is ExtractionStatus.OK and (got.profile, got.method) == ("jd-mobile", "profile")
    assert {c.kind: c.amount for c in got.candidates} == {"coupon": Decimal("799.00"), "sale": Decimal("899.00")}
    assert got.price is not None and got.price.amount == Decimal("899.00") and got.price.currency == "CNY"
    assert (got.seller_name, got.title) == ("岭川京东自营旗舰店", "岭川 无线降噪耳机 Pro 曜石黑")
    assert (got.model, got.gtin, got.follow_up) == ("LC-A9", "6970000123457", None)
    assert Decimal("59.00") not in amounts(got)
    after = jd_mobile(coupon_policy="after_coupon")
    assert after.price is not None and after.price.amount == Decimal("799.00") and after.price_kind == "coupon"


def test_jd_mobile_unlabelled_price_is_the_price_and_a_jd_price_above_it_the_list_price() -> None:
    got = jd_mobile(('"afterDesc": {"text": "到手价"}', '"afterDesc": {"text": ""}'))
    assert {c.kind: c.amount for c in got.candidates} == {"sale": Decimal("799.00"), "list": Decimal("899.00")}
    assert got.price is not None and got.price.amount == Decimal("799.00")


@pytest.mark.parametrize("shown", [FONT_PRICE, "7??9", "", "79.9.0"])
def test_jd_mobile_price_drawn_with_the_page_font_or_masked_is_not_read(shown: str) -> None:
    got = jd_mobile(('"price": "799.00"', f'"price": "{shown}"'))
    assert {c.kind: c.amount for c in got.candidates} == {"sale": Decimal("899.00")}
    got = jd_mobile(('"price": "799.00"', f'"price": "{shown}"'), ('"ext": {"jdPrice": "899.00"', '"x": {"y": "1"'))
    assert (got.status, got.reason, got.profile) == (ExtractionStatus.NO_PRICE, "price_endpoint", "jd-mobile")
    assert got.follow_up == "https://p.3.cn/prices/mgets?skuIds=J_100071864522" and not got.candidates
    assert got.seller_name == "岭川京东自营旗舰店"


def test_jd_mobile_price_box_filled_in_digits_by_the_browser_is_read_with_its_label() -> None:
    box = ("<em>&#xE184;&#xEE94;&#xEE94;</em><span>.&#xE1AF;&#xE1AF;</span>", "<em>799</em><span>.00</span>")
    got = jd_mobile(box, ('"price": "799.00"', '"price": ""'))
    assert {c.kind: c.amount for c in got.candidates} == {"coupon": Decimal("799.00"), "sale": Decimal("899.00")}
    unlabelled = (("<span>到手价</span>", ""), ('"afterDesc": {"text": "到手价"}', '"afterDesc": {"text": ""}'))
    got = jd_mobile(box, ('"price": "799.00"', '"price": ""'), *unlabelled)
    assert {c.kind: c.amount for c in got.candidates} == {"sale": Decimal("799.00"), "list": Decimal("899.00")}


def test_jd_mobile_without_a_price_on_the_page_asks_the_price_service_for_the_item_of_the_address() -> None:
    state = '({product: {skuName: "岭川 耳机"}, stock: {D: {shopName: "岭川数码专营店"}}})'
    body = f"<html><body><script>window._itemInfo = {state};</script></body></html>"
    got = extract(body, "https://item.m.jd.com/product/100088120455.html?sid=x")
    assert (got.reason, got.follow_up) == ("price_endpoint", "https://p.3.cn/prices/mgets?skuIds=J_100088120455")
    answer = b'[{"id": "J_100088120455", "p": "299.00", "op": "399.00"}]'
    got = extract(body, "https://item.m.jd.com/product/100088120455.html?sid=x", follow_up_body=answer)
    assert got.price is not None and got.price.amount == Decimal("299.00") and got.profile == "jd-mobile"
    assert (got.seller_name, got.title) == ("岭川数码专营店", "岭川 耳机")
    got = extract(body, "https://item.m.jd.com/ware/view.action?wareId=100088120456&sid=x")
    assert got.follow_up == "https://p.3.cn/prices/mgets?skuIds=J_100088120456"


def test_jd_mobile_out_of_stock_is_sold_out_without_asking_the_price_service() -> None:
    got = jd_mobile(('"StockState": 33', '"StockState": 34'), ('"price": "799.00"', '"price": ""'))
    assert (got.status, got.reason, got.profile) == (ExtractionStatus.NO_PRICE, "sold_out", "jd-mobile")
    assert got.follow_up is None


JD_MOBILE_JUNK = ["({", "})", ",}", ",]", "{a:", "{", "}", "[", '"', "\\", "\\u", "window._itemInfo = ({", "7??9", ";",
                  "</script>", "<script>", "1e999", "NaN", "-1.00", "\x00"]  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    junk=st.lists(st.one_of(st.sampled_from(JD_MOBILE_JUNK), st.text(max_size=8)), max_size=20).map("".join),
    where=st.integers(min_value=0, max_value=len(JD_MOBILE)),
)  # fmt: skip
def test_jd_mobile_state_with_junk_spliced_in_never_raises(junk: str, where: int) -> None:
    got = extract(JD_MOBILE[:where] + junk + JD_MOBILE[where:], JD_MOBILE_URL)
    assert got.reason != "unreadable_page"
    if got.price is not None:
        assert got.price.amount > 0


# -- Pinduoduo ----------------------------------------------------------------------------------------

PDD = "pinduoduo/goods_rawdata_yuan.html"
PDD_URL = "https://mobile.yangkeduo.com/goods.html?goods_id=523118806612"


def rawdata_page(state: str, after: str = "") -> str:
    return f"<html><body><div id='main'>¥19.9</div><script>window.rawData = {state};{after}</script></body></html>"


def test_pinduoduo_sku_offers_in_yuan_with_sold_out_skus_left_out() -> None:
    got = extract(page(PDD), PDD_URL)
    offers = [(o.offer_key, o.price.amount if o.price else None, o.price_kind) for o in got.offers]
    assert offers == [("1180223301", Decimal(269), "sale"), ("1180223302", Decimal(299), "sale")]
    assert all(o.seller_name == "云端登山用品" for o in got.offers)


def test_pinduoduo_goods_without_skus_give_the_group_price_range() -> None:
    state = '{"store": {"initDataObj": {"goods": {"goodsName": "山屿 抓绒衣", "minGroupPrice": "89.9",'
    state += ' "maxGroupPrice": "129.9", "marketPrice": "199"}, "mall": {"mallName": "云端登山用品"}}}}'
    got = extract(rawdata_page(state, "window.leo = {};"), PDD_URL)
    assert got.price is not None and got.price.amount == Decimal("89.9")
    assert (got.price_kind, got.price_high, got.seller_name) == ("range", Decimal("129.9"), "云端登山用品")


@pytest.mark.parametrize(
    ("goods", "price"),
    [
        ('{"goodsName": "x", "minGroupPrice": 26900, "marketPrice": 39900}', "269.00"),  # integers: fen
        ('{"goodsName": "x", "minGroupPrice": 269, "ui": {"new_price_section": {"price": "269"}}}', "269"),
        ('{"goodsName": "x", "minGroupPrice": 26900, "ui": {"new_price_section": {"price": "269"}}}', "269.00"),
        ('{"goodsName": "x", "minGroupPrice": 26.9}', "26.9"),
    ],
)
def test_pinduoduo_prices_are_read_in_the_unit_the_page_uses(goods: str, price: str) -> None:
    got = extract(rawdata_page(f'{{"store": {{"goods": {goods}}}}}'), PDD_URL)
    assert got.price is not None and got.price.amount == Decimal(price)


@pytest.mark.parametrize(
    ("skus", "price"),
    [
        # every price a whole number: the SKU's price in fen (`skuPrice`) or as shown (`priceDisplay`) tells the unit
        ('[{"skuId": 1, "groupPrice": 16, "normalPrice": 19, "skuPrice": 1600, "quantity": 5}]', "16"),
        ('[{"skuId": 1, "groupPrice": 16, "normalPrice": 19, "priceDisplay": {"price": "16"}, "quantity": 5}]', "16"),
        ('[{"skuId": 1, "groupPrice": 1600, "normalPrice": 1900, "skuPrice": 1600, "quantity": 5}]', "16.00"),
        ('[{"skuId": 1, "groupPrice": 1600, "normalPrice": 1900, "priceDisplay": {"price": "16"}, "quantity": 5}]',
         "16.00"),
    ],
)  # fmt: skip
def test_pinduoduo_whole_number_prices_take_their_unit_from_the_sku(skus: str, price: str) -> None:
    goods = f'{{"goodsName": "岭川 数据线", "skus": {skus}}}'
    state = f'{{"store": {{"initDataObj": {{"goods": {goods}, "mall": {{"mallName": "岭川配件店"}}}}}}}}'
    got = extract(rawdata_page(state), PDD_URL)
    assert got.price is not None and got.price.amount == Decimal(price) and got.seller_name == "岭川配件店"


def test_pinduoduo_login_wall_is_blocked_not_priceless() -> None:
    # a visitor Pinduoduo does not know gets the flag instead of the goods; the ¥19.9 shown is no price
    got = extract(rawdata_page('{"store": {"initDataObj": {"needLogin": true}}}'), PDD_URL)
    assert (got.status, got.reason, got.price) == (ExtractionStatus.BLOCKED, "login_wall", None)
    spaced = rawdata_page('{"store":{"initDataObj":{"needLogin":true,"queries":{"goods_id":"1"}}}}', "var x = 1;")
    assert extract(spaced, PDD_URL).reason == "login_wall"


@pytest.mark.parametrize(
    "state",
    [
        '{"store": {"initDataObj": {"needLogin": false}}}',
        # the flag beside the goods: the goods are shown, the page is read
        '{"store": {"initDataObj": {"needLogin": true, "goods": {"goodsName": "岭川 耳机", "minGroupPrice": 98.9},'
        ' "mall": {"mallName": "岭川影音旗舰店"}}}}',
        '{"store": {"initDataObj": {"needLogin": true}, "data": {"ssrData": {"goods": {"goodsName": "岭川 耳机",'
        ' "minGroupPrice": 98.9}}}}}',
        '{"store": {"initDataObj": {"needLogin": "true"}}}',
    ],
)  # fmt: skip
def test_pinduoduo_page_with_goods_or_without_the_flag_is_no_login_wall(state: str) -> None:
    got = extract(rawdata_page(state), PDD_URL)
    assert got.status is not ExtractionStatus.BLOCKED
    assert got.reason != "login_wall"


# -- Youzan -------------------------------------------------------------------------------------------

YOUZAN = "youzan/goods_global_data.html"
YOUZAN_URL = "https://shop44077958.youzan.com/wscgoods/detail/2fzq8w1k7x3ab"


def test_youzan_struck_origin_price_is_a_list_price() -> None:
    got = extract(page(YOUZAN), YOUZAN_URL)
    assert {c.kind: c.amount for c in got.candidates} == {"sale": Decimal("199.00"), "list": Decimal("269.00")}


def test_youzan_sku_prices_range_over_the_skus_in_stock() -> None:
    html = page(YOUZAN).decode()
    assert '{"skuId": 36100212, "stockNum": 0}' in html  # the 239.00 SKU is sold out: nobody pays 239.00 today
    got = extract(html.replace('{"skuId": 36100212, "stockNum": 0}', '{"skuId": 36100212, "stockNum": 4}'), YOUZAN_URL)
    assert got.price is not None and got.price.amount == Decimal("199.00")
    assert (got.price_kind, got.price_high) == ("range", Decimal("239.00"))


def test_youzan_goods_with_no_stock_left_are_sold_out() -> None:
    html = page(YOUZAN).decode().replace('"stockNum": 57', '"stockNum": 0')
    got = extract(html, YOUZAN_URL)
    assert (got.status, got.reason, got.profile) == (ExtractionStatus.NO_PRICE, "sold_out", "youzan-goods")


def test_youzan_sandbox_shape_keeps_its_own_profile() -> None:
    got = extract(page("youzan/goods.html"), "https://shop1.youzan.com/wscgoods/detail/1")
    assert got.profile == "youzan"


# The state as current goods pages write it: `window._global`, stock rows with `disable`, SKUs with
# `disableStatus`, the postage in fen.
YOUZAN_STATE = (
    '<html><body><div class="goods-price">¥39.00</div><script>window._global = {"isCloseBusiness": false,'
    ' "goodsData": {"alias": "3ab9x0k2m7q1z", "goods": {"alias": "3ab9x0k2m7q1z", "id": 7301190021, "kdtId": 51230017,'
    ' "title": "岭川 蓝牙音箱 礼盒", "soldStatus": "SALE", "isPhysical": true},'
    ' "shop": {"kdtId": 51230017, "shopName": "岭川数码商城"},'
    ' "delivery": {"supportExpress": true, "postage": {"isDelivery": true, "min": 0, "max": 0, "desc": "免运费"}},'
    ' "skuInfo": {"props": [{"k": "颜色", "k_s": "s1", "v": [{"id": 1, "name": "白"}, {"id": 2, "name": "红"}]}],'
    ' "skus": [{"skuId": 18800001, "s1": "1", "disableStatus": 0}, {"skuId": 18800002, "s1": "2", "disableStatus": 0}],'
    ' "skuStocks": [{"skuId": 18800001, "disable": false, "stockNum": 84}, {"skuId": 18800002, "disable": false,'
    ' "stockNum": 0}], "skuPrices": [{"skuId": 18800001, "price": 99900}, {"skuId": 18800002, "price": 119900}]}}};'
    "</script></body></html>"
)
YOUZAN_STATE_URL = "https://shop51230017.m.youzan.com/wscgoods/detail/3ab9x0k2m7q1z"


RED_SOLD_OUT = '"disable": false, "stockNum": 0}'


@pytest.mark.parametrize(
    ("replacements", "price", "high", "shipping"),
    [
        ([], "999.00", None, "0.00"),  # the red SKU is sold out; free postage
        ([(RED_SOLD_OUT, '"disable": false, "stockNum": 3}')], "999.00", "1199.00", "0.00"),
        ([(RED_SOLD_OUT, '"stockNum": 3}'), ('"stockNum": 84', '"stockNum": 84, "disable": true')], "1199.00", None,
         "0.00"),  # only red can be bought
        ([(RED_SOLD_OUT, '"stockNum": 3}'), ('"s1": "1", "disableStatus": 0', '"s1": "1", "disableStatus": 1')],
         "1199.00", None, "0.00"),  # white is switched off
        ([('"min": 0, "max": 0', '"min": 0, "max": 1000')], "999.00", None, None),  # postage by address
        ([('"min": 0, "max": 0', '"min": 800, "max": 800')], "999.00", None, "8.00"),
    ],
)  # fmt: skip
def test_youzan_current_state_prices_the_skus_in_stock_and_reads_the_postage(
    replacements: list[tuple[str, str]], price: str, high: str | None, shipping: str | None
) -> None:
    html = YOUZAN_STATE
    for old, new in replacements:
        assert old in html
        html = html.replace(old, new)
    got = extract(html, YOUZAN_STATE_URL)
    assert got.status is ExtractionStatus.OK and got.profile == "youzan-goods"
    assert got.price is not None and got.price.amount == Decimal(price)
    assert got.price_high == (Decimal(high) if high else None)
    assert (got.shipping.amount if got.shipping else None) == (Decimal(shipping) if shipping else None)
    assert (got.seller_name, got.title) == ("岭川数码商城", "岭川 蓝牙音箱 礼盒")
    assert Decimal("39.00") not in amounts(got)


def test_youzan_current_state_with_every_sku_sold_out_is_sold_out() -> None:
    got = extract(YOUZAN_STATE.replace('"stockNum": 84', '"stockNum": 0'), YOUZAN_STATE_URL)
    assert (got.status, got.reason, got.profile) == (ExtractionStatus.NO_PRICE, "sold_out", "youzan-goods")


def test_detail_page_title_block_without_a_main_title_class_still_marks_the_page() -> None:
    html = page("taobao/detail_price_module.html").decode()
    old = '<h1 class="ItemHeader--mainTitle--3CIjqW5" data-spm-anchor-id="a21n57.1.0.i0">'
    assert old in html and "男女款</h1>" in html
    html = html.replace(old, '<div class="ItemTitle--root--3V3R5Y_"><h1 class="ItemTitle--text--1a">')
    got = extract(html.replace("男女款</h1>", "男女款</h1></div>"), "https://item.taobao.com/item.htm?id=733190021877")
    assert (got.profile, got.title) == ("taobao-detail", "山屿 云径 轻量 徒步鞋 低帮 防泼水 男女款")
    assert got.price is not None and got.price.amount == Decimal(299)


# -- pages as the server sends them (no promotion or price filled in by scripts) ---------------------

CLASSIC_TMALL_RANGE = "tmall/classic_shelf_range.html"
CLASSIC_TAOBAO_RANGE = "taobao/classic_shelf_range.html"
JD_SECKILL = "jd/item_as_served_seckill.html"
JD_SECKILL_URL = "https://item.jd.com/100088120455.html"


@pytest.mark.parametrize(
    ("name", "url", "profile", "low", "high", "seller", "title", "model"),
    [
        (CLASSIC_TMALL_RANGE, "https://detail.tmall.com/item.htm?id=640018822731", "tmall", "399.00", "529.00",
         "岭川数码官方旗舰店", "岭川 极光 Pro 降噪耳机 蓝牙5.3 无线入耳式", "LC-A7"),
        (CLASSIC_TAOBAO_RANGE, "https://item.taobao.com/item.htm?id=650022310498", "taobao", "219.00", "259.00",
         "岭川外设小铺", "岭川 矮轴机械键盘 68键 热插拔 三模", "LC-K68"),
    ],
)  # fmt: skip
def test_classic_page_with_only_the_shelf_price_range_and_an_empty_hidden_promotion_row(
    name: str, url: str, profile: str, low: str, high: str, seller: str, title: str, model: str
) -> None:
    got = extract(page(name), url)
    assert got.status is ExtractionStatus.OK, got.reason
    assert (got.profile, got.price_kind) == (profile, "range")
    assert got.price is not None and got.price.amount == Decimal(low) and got.price_high == Decimal(high)
    assert (got.seller_name, got.title, got.model) == (seller, title, model)
    assert amounts(got) == {Decimal(low)}  # not the recommendations, the hidden form field or the SKU map


def test_classic_attribute_list_item_number_comes_before_the_model_and_compatible_models_are_not_read() -> None:
    html = page(CLASSIC_TAOBAO_RANGE).decode()
    assert "适用型号" in html  # the first 型号 row names the phone the product fits, not the product
    row = '<li title="LC-K68">型号:&nbsp;LC-K68</li>'
    got = extract(html.replace(row, row + '<li title="LK68-24">货号:&nbsp;LK68-24</li>'), "https://item.taobao.com/")
    assert got.model == "LK68-24"
    got = extract(html.replace(row, ""), "https://item.taobao.com/")
    assert got.model is None


def test_detail_page_parameters_fall_back_to_the_model_row() -> None:
    html = page(TMALL).decode()
    title = '--generalParamsInfoItemTitle--4d4d4d4d">货号</span>'
    assert title in html
    got = extract(html.replace(title, title.replace("货号", "型号")), TMALL_URL)
    assert got.model == "SY-JK01"


def test_jd_page_as_served_with_the_seckill_box_empty_asks_the_price_service() -> None:
    body = page(JD_SECKILL)
    got = extract(body, JD_SECKILL_URL)
    assert (got.status, got.reason, got.profile) == (ExtractionStatus.NO_PRICE, "price_endpoint", "jd")
    assert got.follow_up == "https://p.3.cn/prices/mgets?skuIds=J_100088120455"
    assert not got.candidates  # the struck 原价 beside an empty box is not a price yet
    assert (got.seller_name, got.title) == ("岭川京东自营官方旗舰店", "岭川 矮轴机械键盘 68键 热插拔 三模 星灰")
    answer = b'[{"id": "J_100088120455", "p": "299.00", "op": "399.00"}]'
    got = extract(body, JD_SECKILL_URL, follow_up_body=answer)
    assert got.price is not None and got.price.amount == Decimal("299.00") and got.price_kind == "sale"
    assert {c.kind: c.amount for c in got.candidates} == {"sale": Decimal("299.00"), "list": Decimal("399.00")}


@pytest.mark.parametrize(
    ("state", "price", "high", "seller"),
    [
        # the group price as a decimal number of yuan, the item id as `goodsID`
        ('{"store": {"initDataObj": {"goods": {"goodsID": "8801", "goodsName": "岭川 耳机", "sideSalesTip": "已拼51件",'
         ' "minGroupPrice": 98.9}, "mall": {"mallName": "岭川影音旗舰店", "mallSales": 1200}}}}',
         "98.9", None, "岭川影音旗舰店"),
        # server-rendered state: goods and shop under `store.data.ssrData`, on-sale group prices in fen
        ('{"store": {"data": {"ssrData": {"goods": {"goodsName": "岭川 耳机", "minOnSaleGroupPrice": 9890,'
         ' "maxOnSaleGroupPrice": 12990}, "mallInfo": {"mallName": "岭川影音旗舰店"}}}}}',
         "98.90", "129.90", "岭川影音旗舰店"),
        ('{"store": {"data": {"ssrData": {"storeInfo": {"goods": {"goodsName": "岭川 耳机", "minGroupPrice": 9890}},'
         ' "mallInfo": {"mallName": "岭川影音旗舰店"}}}}}',
         "98.90", None, "岭川影音旗舰店"),
    ],
)  # fmt: skip
def test_pinduoduo_state_shapes(state: str, price: str, high: str | None, seller: str) -> None:
    got = extract(rawdata_page(state), PDD_URL)
    assert got.status is ExtractionStatus.OK and got.profile == "pinduoduo"
    assert got.price is not None and got.price.amount == Decimal(price)
    assert got.price_high == (Decimal(high) if high else None)
    assert (got.seller_name, got.title) == (seller, "岭川 耳机")


# -- Tmall mobile detail page (page state in scripts) ---------------------------------------------------

TMALL_MOBILE = "tmall/mobile_detail_state.html"
TMALL_MOBILE_URL = "https://detail.m.tmall.com/item.htm?id=690011223344"
LIVE_PRICE = (
    '"price": {"price": {"priceMoney": 45900, "priceText": "459.00", "priceTitle": "价格", "lineThrough": "true"},\n'
    '    "extraPrices": [{"priceMoney": 39900, "priceText": "399.00", "priceTitle": "促销价", "lineThrough": null}]}'
)


def tmall_mobile(*replacements: tuple[str, str]) -> Extraction:
    html = page(TMALL_MOBILE).decode()
    for old, new in replacements:
        assert old in html
        html = html.replace(old, new)
    return extract(html, TMALL_MOBILE_URL)


def test_tmall_mobile_live_promotion_price_beside_the_struck_shelf_price() -> None:
    got = tmall_mobile()
    assert got.status is ExtractionStatus.OK and got.profile == "tmall-mobile"
    assert got.price is not None and got.price.amount == Decimal("399.00") and got.price_kind == "sale"
    assert {c.kind: c.amount for c in got.candidates} == {"list": Decimal("459.00"), "sale": Decimal("399.00")}
    assert (got.seller_name, got.title, got.model) == ("岭川眼镜旗舰店", "岭川 钛架 近视眼镜框 男 超轻 方框", "LC-T52")
    assert Decimal("19.90") not in amounts(got)


def test_tmall_mobile_without_the_live_state_reads_the_price_the_page_was_rendered_with() -> None:
    got = tmall_mobile(("var _DATA_Mdskip = {", "var _DATA_Other = {"))
    assert got.price is not None and got.price.amount == Decimal("459.00") and got.price_kind == "sale"


@pytest.mark.parametrize(
    ("price", "kinds"),
    [
        # neither struck: the extra price is the promotion and the main one the shelf price
        ('"price": {"price": {"priceText": "459.00", "priceTitle": "价格"}, "extraPrices": [{"priceText": "399.00",'
         ' "priceTitle": "促销价"}]}', {"list": Decimal("459.00"), "sale": Decimal("399.00")}),
        ('"price": {"price": {"priceText": "459.00"}, "extraPrices": [{"priceText": "369.00", "priceTitle": "券后"}]}',
         {"sale": Decimal("459.00"), "coupon": Decimal("369.00")}),
        ('"price": {"price": {"priceText": "459.00"}, "extraPrices": [{"priceText": "429.00", "priceTitle": "88VIP"}]}',
         {"sale": Decimal("459.00"), "coupon": Decimal("429.00")}),
        ('"price": {"price": {"priceText": "459.00"}, "extraPrices": [{"priceText": "419.00",'
         ' "priceTitle": "平台加补后"}]}', {"sale": Decimal("459.00"), "coupon": Decimal("419.00")}),
        # unlabelled extra prices: above the price shown it is the original price, below it the promotion
        ('"price": {"price": {"priceText": "399.00"}, "extraPrices": [{"priceText": "459.00"}]}',
         {"sale": Decimal("399.00"), "list": Decimal("459.00")}),
        ('"price": {"price": {"priceText": "459.00"}, "extraPrices": [{"priceText": "399.00"}]}',
         {"list": Decimal("459.00"), "sale": Decimal("399.00")}),
        ('"price": {"price": {"priceText": "399.00"}, "extraPrices": [{"priceText": "459.00", "priceTitle": "原价"}]}',
         {"sale": Decimal("399.00"), "list": Decimal("459.00")}),
        ('"price": {"price": {"priceText": "399.00-459.00"}, "extraPrices": []}', {"range": Decimal("399.00")}),
    ],
)  # fmt: skip
def test_tmall_mobile_price_labels(price: str, kinds: dict[str, Decimal]) -> None:
    got = tmall_mobile((LIVE_PRICE, price))
    assert {c.kind: c.amount for c in got.candidates} == kinds
    payable = [a for k, a in kinds.items() if k in ("sale", "range")]
    assert got.price is not None and got.price.amount == min(payable)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('"quantity": 260}}},\n  "delivery"', '"quantity": 0}}},\n  "delivery"'),
        ('"trade": {"enable": true, "buyEnable": true, "cartEnable": true},\n  "price"',
         '"trade": {"enable": true, "buyEnable": false, "cartEnable": false},\n  "price"'),
        ('"isDownShelf": false', '"isDownShelf": true'),
        # the h5 detail service writes its flags and numbers as text
        ('"trade": {"enable": true, "buyEnable": true, "cartEnable": true},\n  "price"',
         '"trade": {"enable": "true", "buyEnable": "false", "cartEnable": "false"},\n  "price"'),
        ('"quantity": 260}}},\n  "delivery"', '"quantity": "0"}}},\n  "delivery"'),
        ('"isDownShelf": false', '"isDownShelf": "true"'),
    ],
)  # fmt: skip
def test_tmall_mobile_sold_out_or_off_shelf(old: str, new: str) -> None:
    got = tmall_mobile((old, new))
    assert (got.status, got.reason, got.profile) == (ExtractionStatus.NO_PRICE, "sold_out", "tmall-mobile")


def test_tmall_mobile_earlier_live_state_with_the_promotion_list() -> None:
    earlier = (
        '"defaultModel": {"itemPriceResultDO": {"priceInfo": {"def": {"price": "459.00",'
        ' "promotionList": [{"price": "379.00", "type": "活动价"}]}}}, "sellCountDO": {"sellCount": "87"}}'
    )
    got = tmall_mobile((LIVE_PRICE, earlier))
    assert {c.kind: c.amount for c in got.candidates} == {"list": Decimal("459.00"), "sale": Decimal("379.00")}
    got = tmall_mobile((LIVE_PRICE, earlier.replace(', "promotionList": [{"price": "379.00", "type": "活动价"}]', "")))
    assert {c.kind: c.amount for c in got.candidates} == {"sale": Decimal("459.00")}


def test_tmall_mobile_state_that_is_not_json_reads_nothing() -> None:
    got = tmall_mobile(("var _DATA_Detail = {", "var _DATA_Detail = {{"))
    assert got.profile == "tmall-mobile" and got.price is None


# -- all shapes ---------------------------------------------------------------------------------------


def test_platform_narrows_the_profiles_and_every_profile_is_listed() -> None:
    sel = selector_for(lxml_html.document_fromstring(page(TMALL)))
    assert find_profile(sel, "tmall") is find_profile(sel, "taobao") is profile_named("taobao-detail")
    assert find_profile(sel, "jd") is None
    for name in ("tmall", "taobao", "taobao-detail", "tmall-mobile", "jd", "jd-mobile", "pinduoduo", "youzan-goods"):
        assert profile_named(name) is not None
    assert profile_named("youzan") is not None


NOISE_TEXT = ["<span>", "</span>", "</div>", "¥", "￥", "-", "起", "券后", "优惠前", "1e999", "NaN", "-1.00",
              '<div class="x--highlightPrice--1">', "window.rawData = {", "window.globalData = {", '"goodsData":',
              "}", ";", "<script>", "</script>", "\x00", "99999999999", "0.00"]  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from([p[0] for p in PAGES]),
    junk=st.lists(st.one_of(st.sampled_from(NOISE_TEXT), st.text(max_size=12)), max_size=20).map("".join),
    where=st.integers(min_value=0, max_value=12_000),
)
def test_current_shapes_with_junk_spliced_in_never_raise(name: str, junk: str, where: int) -> None:
    body = page(name)
    text = body.decode("gbk" if name == CLASSIC else "utf-8")
    got = extract(text[:where] + junk + text[where:], "https://shop.example/item/1")
    assert got.reason != "unreadable_page"
    for offer in got.offers or (got,):
        if offer.price is not None:
            assert offer.price.amount > 0 and offer.price_kind in ("sale", "list", "range")
