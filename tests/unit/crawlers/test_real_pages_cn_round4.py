"""Chinese marketplace pages as served, fourth round: presales (定金 and 总价), member prices, subsidy
labels, the 2025 JD item page, a Pinduoduo page whose shown price is a coupon price, Tmall's price belt.

Each saved page is trimmed from a real page of its shape, with invented shop and brand names.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from saved_pages import amounts, page

from crawlers.extraction import ExtractionStatus, extract

TMALL = "https://detail.tmall.com/item.htm?id=711920345561"
PANEL_PRICE = (
    '<div class="QJm4ZWx7bK--highlightPrice--a1b2c3d4">\n        <span class="QJm4ZWx7bK--title--2e2e2e2e">券后</span>'
    '<span class="QJm4ZWx7bK--symbol--55667788">￥</span><span class="QJm4ZWx7bK--text--1a2b3c4d">1199</span>\n'
    '      </div>\n      <div class="QJm4ZWx7bK--subPrice--9f8e7d6c">\n'
    '        <span class="QJm4ZWx7bK--text--1a2b3c4d">优惠前</span><span class="QJm4ZWx7bK--text--1a2b3c4d">￥</span>'
    '<span class="QJm4ZWx7bK--text--1a2b3c4d">1299</span>\n      </div>'
)


def _panel(main: str, other: str) -> str:
    html = page("tmall/detail_purchase_panel.html").decode("utf-8")
    assert PANEL_PRICE in html
    blocks = (
        f'<div class="QJm4ZWx7bK--highlightPrice--a1b2c3d4">{main}</div>\n'
        f'      <div class="QJm4ZWx7bK--subPrice--9f8e7d6c">{other}</div>'
    )
    return html.replace(PANEL_PRICE, blocks)


def _block(label: str, amount: str, tail: str = "") -> str:
    return (
        f'<span class="QJm4ZWx7bK--title--2e2e2e2e">{label}</span>'
        f'<span class="QJm4ZWx7bK--symbol--55667788">￥</span>'
        f'<span class="QJm4ZWx7bK--text--1a2b3c4d">{amount}</span>{tail}'
    )


# -- presales -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("total", ["总价", "预售价"])
def test_a_tmall_presale_is_priced_at_its_total_not_its_deposit(total: str) -> None:
    # 双11 presale: "定金 ￥30 抵￥60" highlighted, the goods' price in the block beside it.
    main = _block("定金", "30", '<span class="QJm4ZWx7bK--desc--6a6a6a6a">抵￥60</span>')
    got = extract(_panel(main, _block(total, "1239")), TMALL)
    assert got.status is ExtractionStatus.OK, got.reason
    assert got.price is not None and got.price.amount == Decimal("1239")
    assert Decimal("30") not in amounts(got) and Decimal("60") not in amounts(got)


def test_a_presale_showing_its_deposit_alone_has_no_price() -> None:
    got = extract(_panel(_block("定金", "30"), ""), TMALL)
    assert got.price is None
    assert Decimal("30") not in amounts(got)


@pytest.mark.parametrize("label", ["88VIP价", "会员价", "新人价"])
def test_a_member_price_highlighted_is_not_the_price_everyone_pays(label: str) -> None:
    got = extract(_panel(_block(label, "1139"), _block("", "1299")), TMALL)
    assert got.price is not None and got.price.amount == Decimal("1299")
    assert [(c.amount, c.kind) for c in got.candidates] == [(Decimal("1139"), "coupon"), (Decimal("1299"), "sale")]


def test_a_member_price_beside_the_price_is_not_the_list_price() -> None:
    got = extract(_panel(_block("", "1299"), _block("88VIP价", "1139")), TMALL)
    assert got.price is not None and got.price.amount == Decimal("1299")
    assert [(c.amount, c.kind) for c in got.candidates] == [(Decimal("1299"), "sale"), (Decimal("1139"), "coupon")]


MOBILE_PRICE = (
    '"price": {"price": {"priceMoney": 45900, "priceText": "459.00", "priceTitle": "价格", "lineThrough": "true"},\n'
    '    "extraPrices": [{"priceMoney": 39900, "priceText": "399.00", "priceTitle": "促销价", "lineThrough": null}]},'
)
MOBILE = "https://detail.m.tmall.com/item.htm?id=640018822731"


def test_a_tmall_mobile_presale_is_priced_at_its_total() -> None:
    html = page("tmall/mobile_detail_state.html").decode("utf-8")
    assert MOBILE_PRICE in html
    presale = (
        '"price": {"price": {"priceMoney": 3000, "priceText": "30", "priceTitle": "定金"},'
        ' "subPrice": {"priceMoney": 45900, "priceText": "459.00", "priceTitle": "总价"},'
        ' "extraPrices": [{"priceMoney": 6000, "priceText": "60", "priceTitle": "定金抵"}]},'
    )
    got = extract(html.replace(MOBILE_PRICE, presale), MOBILE)
    assert got.price is not None and got.price.amount == Decimal("459.00")
    assert {Decimal("30"), Decimal("60")}.isdisjoint(amounts(got))


# -- subsidy labels -----------------------------------------------------------------------------------


@pytest.mark.parametrize("label", ["补贴价", "百亿补贴价", "国补价", "政府补贴价"])
def test_a_jd_mobile_subsidy_price_is_not_the_price_everyone_pays(label: str) -> None:
    from test_profiles_china import jd_mobile

    got = jd_mobile(('"afterDesc": {"text": "到手价"}', f'"afterDesc": {{"text": "{label}"}}'))
    assert {c.kind: c.amount for c in got.candidates} == {"coupon": Decimal("799.00"), "sale": Decimal("899.00")}
    assert got.price is not None and got.price.amount == Decimal("899.00")


# -- the 2025 JD item page ----------------------------------------------------------------------------

JD_ITEM = "https://item.jd.com/100071864522.html"
JD_TAG = '<span class="product-price--activity-item--tag">补贴领后价</span>'


def _jd(*replacements: tuple[str, str]) -> str:
    html = page("jd/item_2025.html").decode("utf-8")
    for old, new in replacements:
        assert old in html
        html = html.replace(old, new)
    return html


def test_the_2025_jd_page_labelled_price_is_a_coupon_price_and_the_struck_jd_price_the_price() -> None:
    got = extract(_jd(), JD_ITEM)
    assert (got.status, got.profile) == (ExtractionStatus.OK, "jd-current")
    assert got.price is not None and (got.price.amount, got.price.currency) == (Decimal("799.00"), "CNY")
    assert [(c.amount, c.kind) for c in got.candidates] == [(Decimal("699"), "coupon"), (Decimal("799"), "sale")]
    assert (got.seller_name, got.title, got.model) == ("岭川京东自营旗舰店", "岭川 无线降噪耳机 Pro 曜石黑", "LC-A9")
    assert {Decimal("259"), Decimal("399"), Decimal("39.9"), Decimal("689")}.isdisjoint(amounts(got))


@pytest.mark.parametrize("label", ["到手价", "券后价", "国补价", "PLUS会员价"])
def test_the_2025_jd_page_reads_each_coupon_label(label: str) -> None:
    got = extract(_jd((JD_TAG, JD_TAG.replace("补贴领后价", label))), JD_ITEM)
    assert got.price is not None and got.price.amount == Decimal("799.00")


def test_the_2025_jd_page_unlabelled_price_is_the_price_and_the_struck_one_the_list_price() -> None:
    got = extract(_jd((JD_TAG, ""), ('<span class="product-price--suffix">起</span>', "")), JD_ITEM)
    assert got.price is not None and got.price.amount == Decimal("699.00")
    assert [(c.amount, c.kind) for c in got.candidates] == [(Decimal("699"), "sale"), (Decimal("799"), "list")]


def test_the_2025_jd_page_from_price_is_a_range() -> None:
    got = extract(_jd((JD_TAG, "")), JD_ITEM)
    assert got.price is not None and got.price.amount == Decimal("699.00") and got.price_kind == "range"


def test_the_2025_jd_page_without_its_price_asks_the_price_service() -> None:
    empty = ('<span class="product-price--value">699</span>', '<span class="product-price--value"></span>')
    got = extract(_jd(empty), JD_ITEM)
    assert got.price is None and got.profile == "jd-current"
    assert got.follow_up == "https://p.3.cn/prices/mgets?skuIds=J_100071864522"


# -- a Pinduoduo page whose shown price is a coupon price ----------------------------------------------

PDD = "https://mobile.yangkeduo.com/goods.html?goods_id=523118806611"
PDD_PRICES = '"minGroupPrice": 38900,\n        "minNormalPrice": 45900,\n        "marketPrice": 45900,'


@pytest.mark.parametrize(
    ("prices", "sku_price", "price", "listed"),
    [
        # fen, with the shown price a coupon price (券后¥359): not 38,900 yuan
        (PDD_PRICES, "38900", "389.00", "459.00"),
        # the same page in yuan written as integers: not ¥3.89
        (PDD_PRICES.replace("38900", "389").replace("45900", "459"), "389", "389", "459"),
    ],
)
def test_pinduoduo_tells_fen_from_yuan_when_the_shown_price_is_a_coupon_price(
    prices: str, sku_price: str, price: str, listed: str
) -> None:
    html = page("pinduoduo/goods_rawdata.html").decode("utf-8")
    assert PDD_PRICES in html and '"groupPrice": 38900,' in html
    shown = prices + '\n        "ui": {"new_price_section": {"price": "359", "prefix": "券后¥", "suffix": ""}},'
    html = html.replace(PDD_PRICES, shown).replace('"groupPrice": 38900,', f'"groupPrice": {sku_price},')
    got = extract(html, PDD)
    assert got.price is not None and got.price.amount == Decimal(price)
    assert {c.kind: c.amount for c in got.candidates} == {"sale": Decimal(price), "list": Decimal(listed)}


# -- Tmall's event belt ---------------------------------------------------------------------------------

BELT = """<div class="QJm4ZWx7bK--belt--4b4b4b4b">
  <img class="QJm4ZWx7bK--beltBg--5c5c5c5c" src="//img.alicdn.example/belt-1111.png" alt="">
  <div class="QJm4ZWx7bK--beltPrice--6d6d6d6d"><span class="QJm4ZWx7bK--beltPriceTitle--7e7e7e7e">{label}</span>
  <span class="QJm4ZWx7bK--beltPriceUnit--8f8f8f8f">￥</span>
  <span class="QJm4ZWx7bK--beltPriceText--9a9a9a9a">1099</span></div>
  <div class="QJm4ZWx7bK--beltTime--0b0b0b0b">距结束 1天 08:12:45</div>
</div>"""


@pytest.mark.parametrize(("label", "kind"), [("活动价", "sale"), ("券后价", "coupon")])
def test_a_tmall_price_drawn_in_the_event_belt_is_read(label: str, kind: str) -> None:
    html = _panel("", "").replace(
        '<div class="QJm4ZWx7bK--mainWrap--78787878">',
        BELT.format(label=label) + ('<div class="QJm4ZWx7bK--mainWrap--78787878">'),
    )
    got = extract(html, TMALL)
    assert [(c.amount, c.kind) for c in got.candidates] == [(Decimal("1099"), kind)]
    if kind == "sale":
        assert got.price is not None and got.price.amount == Decimal("1099")
    else:
        assert got.price is None and got.reason == "coupon_price_only"
    assert Decimal("999") not in amounts(got)  # the sticky header


# -- a detail page whose item cannot be bought ------------------------------------------------------

ACTIONS = '<div class="QJm4ZWx7bK--Actions--f3e90071"><button>立即购买</button><button>加入购物车</button></div>'
PICKED_M = '<div class="QJm4ZWx7bK--valueItem--ee898cc0" data-vid="2001" data-disabled="false">'


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (ACTIONS, '<div class="QJm4ZWx7bK--Actions--f3e90071"><button disabled>商品已下架</button></div>'),
        (
            ACTIONS,
            '<div class="QJm4ZWx7bK--Actions--f3e90071"><button disabled>已售罄</button><span>到货提醒</span></div>',
        ),
        (
            PICKED_M,
            PICKED_M.replace(
                'valueItem--ee898cc0"',
                'valueItem--ee898cc0 QJm4ZWx7bK--isSelected--1f1f1f1f QJm4ZWx7bK--isDisabled--2f2f2f2f"',
            ),
        ),
    ],
)
def test_a_detail_page_whose_item_or_picked_sku_cannot_be_bought_is_sold_out(old: str, new: str) -> None:
    html = page("tmall/detail_purchase_panel.html").decode("utf-8")
    assert old in html
    got = extract(html.replace(old, new), TMALL)
    assert (got.status, got.reason, got.profile) == (ExtractionStatus.NO_PRICE, "sold_out", "taobao-detail")


def test_a_detail_page_with_its_buy_buttons_and_a_picked_sku_in_stock_is_on_sale() -> None:
    html = page("tmall/detail_purchase_panel.html").decode("utf-8")
    picked = PICKED_M.replace('valueItem--ee898cc0"', 'valueItem--ee898cc0 QJm4ZWx7bK--isSelected--1f1f1f1f"')
    got = extract(html.replace(PICKED_M, picked), TMALL)  # XL greyed out (缺货) but not the size picked
    assert got.status is ExtractionStatus.OK and got.price is not None


def test_a_range_top_is_written_in_the_currency_minor_unit_like_its_low() -> None:
    got = extract(_panel(_block("", "299.00-399"), ""), TMALL)
    assert got.price is not None and str(got.price.amount) == "299.00" and got.price_kind == "range"
    assert str(got.price_high) == "399.00"


# -- text reading: coupon labels and countdowns -------------------------------------------------------


def _unknown_shape(*renames: tuple[str, str]) -> str:
    """The 2025 JD page with its price classes renamed: a shape no profile knows, read as text."""
    return _jd(*renames, ("product-price--main", "pp-main"), ("product-price--value", "pp-value"))


def test_text_reading_never_takes_a_countdown_or_a_labelled_coupon_price_for_the_price() -> None:
    got = extract(_unknown_shape(), JD_ITEM)
    assert (got.status, got.reason, got.profile) == (ExtractionStatus.NO_PRICE, "coupon_price_only", None)
    assert got.price is None and Decimal("2") not in amounts(got)
    assert [(c.amount, c.kind) for c in got.candidates] == [(Decimal("699"), "coupon")]
    after = extract(_unknown_shape(), JD_ITEM, coupon_policy="after_coupon")
    assert after.price is not None and after.price.amount == Decimal("699.00") and after.price_kind == "coupon"


def test_text_reading_takes_an_unlabelled_price_before_a_member_price() -> None:
    got = extract(_unknown_shape((JD_TAG, "")), JD_ITEM)
    assert got.price is not None and got.price.amount == Decimal("699.00")
    assert Decimal("689") not in amounts(got)  # PLUS ¥689


@pytest.mark.parametrize(
    "box",
    [
        '<div class="price-box"><span>限时秒杀 距结束 02:13:45</span></div><div class="now">¥1,099.00</div>',
        '<div class="price-box">¥1,099.00 <em>12:30 开抢</em></div>',
        '<div class="price-box">会员价 ¥999.00</div><div class="sale">¥1,099.00</div>',
        '<div class="price-box"><span>到手价</span> ¥999.00</div><p>¥1,099.00</p>',
    ],
)
def test_text_reading_of_a_plain_page(box: str) -> None:
    html = f"<html><head><title>岭川 耳机</title></head><body><h1>岭川 耳机</h1>{box}</body></html>"
    got = extract(html, "https://shop.example/item/1")
    assert got.price is not None and got.price.amount == Decimal("1099.00"), got


def test_a_coupon_label_before_another_amount_is_not_this_price_s() -> None:
    html = (
        "<html><body><h1>岭川 耳机</h1><div class='promo-price'>券后 ¥999.00</div>"
        "<div class='price'>¥1,099.00</div></body></html>"
    )
    got = extract(html, "https://shop.example/item/1")
    assert got.price is not None and got.price.amount == Decimal("1099.00")
    assert [(c.amount, c.kind) for c in got.candidates] == [(Decimal("1099.00"), "sale")]


@pytest.mark.parametrize(
    ("box", "price"),
    [
        # a model named "Plus" before the price box is no member label (JD's member price is "PLUS")
        ("<h1>Galaxy S24 Plus</h1><div class='price'>¥6,999.00</div>", "6999.00"),
        ("<h1>岭川 耳机</h1><div class='price'><span>88VIP价</span> ¥999.00</div><div>¥1,099.00</div>", "1099.00"),
        ("<h1>岭川 耳机</h1><p>88VIP</p><div class='price'>¥999.00</div><div>¥1,099.00</div>", "1099.00"),
    ],
)
def test_member_labels_are_told_from_model_names(box: str, price: str) -> None:
    got = extract(f"<html><body>{box}</body></html>", "https://shop.example/item/1")
    assert got.price is not None and got.price.amount == Decimal(price), got


# -- a seller block that shows its sales --------------------------------------------------------------


@pytest.mark.parametrize(
    "block",
    [
        '<div class="seller-info"><img src="/a.png"><span class="name">山屿户外小店</span>'
        '<span class="sales">已售1.2万件</span><span class="fans">粉丝 3.4万</span></div>',
        '<div class="shop-name-box"><span class="shop-name-text">山屿户外小店</span><i class="score">4.9分</i></div>',
        '<div class="seller"><a class="seller-nick" href="/shop/1">山屿户外小店</a> <em>好评率 99%</em></div>',
    ],
)
def test_the_seller_is_the_name_of_a_seller_block_not_its_sales(block: str) -> None:
    html = f"<html><body><h1>岭川 耳机</h1><div class='price'>¥1,099.00</div>{block}</body></html>"
    got = extract(html, "https://www.xiaohongshu.com/goods-detail/64a1")
    assert got.seller_name == "山屿户外小店"


def test_a_seller_block_without_a_name_element_is_read_whole() -> None:
    html = "<html><body><div class='price'>¥1,099.00</div><div class='seller'><b>山屿</b>户外小店</div></body></html>"
    assert extract(html, "https://shop.example/item/1").seller_name == "山屿户外小店"


def test_a_seller_block_headed_by_its_label_gives_the_name_after_it() -> None:
    html = (
        "<html><body><div class='price'>$19.99</div><div class='seller-box'><h3 class='title'>Sold by</h3>"
        "<a href='/s/1'>Summit Gear</a></div></body></html>"
    )
    assert extract(html, "https://shop.example/item/1").seller_name == "Summit Gear"
