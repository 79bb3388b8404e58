"""Chinese marketplace pages as served, third round: goods taken off sale, closed shops, a SKU named in
the URL, and the classic Tmall postage line.

Each saved page is trimmed from a real page of its shape, with invented shop and brand names; the
classic Taobao page is GBK, as served.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from saved_pages import amounts, page
from saved_pages import html as _html
from saved_pages import replaced as _replaced
from saved_pages import sold_out as _sold_out

from crawlers.extraction import ExtractionStatus, extract

TAOBAO_OFF_SALE = "https://item.taobao.com/item.htm?id=590011223344"
TMALL_ITEM = "https://detail.tmall.com/item.htm?id=640018822731"
TMALL_SKU = TMALL_ITEM + "&skuId=4500012302"
PDD_OFF_SALE = "https://mobile.yangkeduo.com/goods.html?goods_id=402211334455"
YOUZAN_DELISTED = "https://detail.youzan.com/show/goods?alias=3p1xk2d9mf0qa"
YOUZAN_CLOSED = "https://detail.youzan.com/show/goods?alias=1q9zk3a7cc1xb"


# -- goods taken off sale --------------------------------------------------------------------------


def test_a_classic_taobao_item_taken_off_sale_is_sold_out() -> None:
    # "此宝贝已下架" in div.tb-off-sale; the "价格" row still shows 168.00 and the stock reads 0.
    got = extract(page("taobao/classic_off_sale.html"), TAOBAO_OFF_SALE)
    _sold_out(got, "taobao")
    assert (got.seller_name, got.title) == ("云织手作小铺", "云织 手工粗棒针 羊毛围巾 男女冬季加厚")
    assert [(c.amount, c.kind) for c in got.candidates] == [(Decimal("168.00"), "sale")]  # kept for the record
    assert Decimal("89.00") not in amounts(got)  # the shop's other item beside it
    on_sale = page("taobao/classic_off_sale.html").replace(b'class="tb-off-sale"', b'class="tb-banner"')
    again = extract(on_sale, TAOBAO_OFF_SALE)
    assert again.price is not None and again.price.amount == Decimal("168.00")


@pytest.mark.parametrize(
    "notice",
    [
        '<strong class="sold-out-tit">此商品已下架</strong>',
        '<div class="sold-out-recommend"><p>看看其他商品</p></div>',
    ],
)
def test_a_classic_tmall_item_taken_off_sale_is_sold_out(notice: str) -> None:
    html = _replaced(_html("tmall/classic_sku_map.html"), '<div class="tb-meta">', notice + '<div class="tb-meta">')
    got = extract(html, TMALL_ITEM)
    _sold_out(got, "tmall")
    assert got.seller_name == "岭川数码官方旗舰店"


OFF_SALE = '"isOnSale": false, "statusExplain": "商品已下架"'
ON_SALE = '"isOnSale": true, "statusExplain": ""'
SKU_OFF_SALE = '"quantity": 120, "isOnSale": 0'
SKU_ON_SALE = '"quantity": 120, "isOnSale": 1'


@pytest.mark.parametrize(
    ("goods", "sku"),
    [
        (OFF_SALE, SKU_OFF_SALE),  # as saved
        ('"isOnSale": false, "statusExplain": ""', SKU_ON_SALE),
        ('"isOnSale": "false", "statusExplain": ""', SKU_ON_SALE),  # the flag written as text
        ('"isOnSale": true, "statusExplain": "商品已下架"', SKU_ON_SALE),
        (ON_SALE, SKU_OFF_SALE),  # the one SKU is off sale
    ],
)
def test_pinduoduo_goods_taken_off_sale_are_sold_out_whatever_their_stock(goods: str, sku: str) -> None:
    saved = _html("pinduoduo/goods_off_sale.html")
    got = extract(_replaced(_replaced(saved, OFF_SALE, goods), SKU_OFF_SALE, sku), PDD_OFF_SALE)
    _sold_out(got, "pinduoduo")
    assert (got.seller_name, got.title) == ("禾木生活日用旗舰店", "禾木 竹纤维 洗脸巾 一次性 加厚 100抽*3包")
    assert Decimal("19.90") in amounts(got)
    on_sale = extract(_replaced(_replaced(saved, OFF_SALE, ON_SALE), SKU_OFF_SALE, SKU_ON_SALE), PDD_OFF_SALE)
    assert on_sale.price is not None and on_sale.price.amount == Decimal("19.90")


DELISTED, CLOSED = '"isDisplay": 0', '"isCloseBusiness": true'


@pytest.mark.parametrize(
    ("name", "url", "saved", "flag", "open_flag", "price", "title"),
    [
        ("youzan/goods_delisted.html", YOUZAN_DELISTED, DELISTED, DELISTED, '"isDisplay": 1', "599.00",
         "声擎 AirClip 1 经典款"),  # 商品已下架, 37 left
        ("youzan/goods_delisted.html", YOUZAN_DELISTED, DELISTED, '"isDisplay": "0"', '"isDisplay": 1', "599.00",
         "声擎 AirClip 1 经典款"),
        ("youzan/goods_shop_closed.html", YOUZAN_CLOSED, CLOSED, CLOSED, '"isCloseBusiness": false', "299.00",
         "声擎 AirClip 2 单耳补配"),  # 店铺打烊中, 12 left
        ("youzan/goods_shop_closed.html", YOUZAN_CLOSED, CLOSED, '"isCloseBusiness": 1', '"isCloseBusiness": false',
         "299.00", "声擎 AirClip 2 单耳补配"),
    ],
)  # fmt: skip
def test_youzan_goods_off_the_shelf_or_in_a_closed_shop_cannot_be_bought(
    name: str, url: str, saved: str, flag: str, open_flag: str, price: str, title: str
) -> None:
    html = _html(name)
    got = extract(_replaced(html, saved, flag), url)
    _sold_out(got, "youzan-goods")
    assert (got.seller_name, got.title) == ("声擎官方商城", title)
    assert Decimal(price) in amounts(got)
    shown = extract(_replaced(html, saved, open_flag), url)
    assert shown.price is not None and shown.price.amount == Decimal(price)


# -- a SKU named in the URL ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "price"),
    [(TMALL_SKU, "529.00"), (TMALL_ITEM + "&skuId=4500012301", "399.00"), (TMALL_SKU + "&spm=a1z10.1", "529.00")],
)
def test_a_classic_tmall_page_is_priced_as_the_sku_its_url_names(url: str, price: str) -> None:
    # The "价格" row shows every SKU's range; TShop.Setup's valItemInfo.skuMap prices each SKU.
    got = extract(page("tmall/classic_sku_map.html"), url)
    assert (got.status, got.profile) == (ExtractionStatus.OK, "tmall")
    assert got.price is not None and (got.price.amount, got.price.currency) == (Decimal(price), "CNY")
    assert (got.price_kind, got.price_high, got.raw_price) == ("sale", None, price)
    assert got.seller_name == "岭川数码官方旗舰店"
    assert Decimal("29.90") not in amounts(got)  # 看了又看
    whole = extract(page("tmall/classic_sku_map.html"), TMALL_ITEM)
    assert whole.price is not None and (whole.price.amount, whole.price_high) == (Decimal("399.00"), Decimal("529.00"))


SKU_ROW = '";1627207:28320;":{"price":"529.00","priceCent":52900,"skuId":"4500012302","stock":"50"}'


def test_a_sku_table_the_page_cannot_vouch_for_leaves_the_range() -> None:
    saved = _html("tmall/classic_sku_map.html")
    named = extract(saved, TMALL_SKU)
    assert named.price is not None and named.price.amount == Decimal("529.00")
    setup = saved[saved.index("TShop.Setup(") : saved.index(");\n</script>") + 2]
    pages = [
        (saved, TMALL_ITEM + "&skuId=4500019999"),  # not in the table
        (saved, TMALL_SKU + "&skuId=4500012301"),  # two SKUs named
        (saved, TMALL_ITEM + "&skuId=45000123０2"),  # full-width digit
        (_replaced(saved, SKU_ROW, SKU_ROW + "," + SKU_ROW.replace("28320", "28321").replace('"529.00"', '"99.00"')),
         TMALL_SKU),  # two rows disagree
        (_replaced(saved, SKU_ROW, SKU_ROW.replace('"529.00"', '"529.00元起"')), TMALL_SKU),
        (_replaced(saved, SKU_ROW, SKU_ROW.replace('"529.00"', '"-529.00"')), TMALL_SKU),
        (_replaced(saved, SKU_ROW, SKU_ROW.replace('"529.00"', "null")), TMALL_SKU),
        (_replaced(saved, SKU_ROW, SKU_ROW.replace('"529.00"', '"1e400"')), TMALL_SKU),
        (_replaced(saved, SKU_ROW, SKU_ROW.replace('"skuId":"4500012302"', '"skuId":["4500012302"]')), TMALL_SKU),
        (_replaced(saved, setup, setup[: setup.index(SKU_ROW) + 40]), TMALL_SKU),  # cut short
        (_replaced(saved, '"skuMap":{', '"skuMap":"'), TMALL_SKU),
        (_replaced(saved, "valItemInfo", "recommend"), TMALL_SKU),  # another script's table
    ]  # fmt: skip
    for html, url in pages:
        got = extract(html, url)
        assert got.price is not None, url
        assert (got.price.amount, got.price_kind, got.price_high) == (Decimal("399.00"), "range", Decimal("529.00"))


HUB_CONFIG = """<script>
Hub = {}; Hub.config = {config: {}, set: function(key, val) { this.config[key] = val; }};
Hub.config.set('sku', {
    valCartInfo      : {
        itemId : '650022310498',
        cartUrl: '//cart.taobao.com/cart.htm'
    },
    apiAddCart       : '//cart.taobao.com/add_cart_item.htm?item_id=650022310498',
    valItemInfo      : {

        defSelected: -1,
        skuMap     : {";1627207:28341;":{"price":"219.00","stock":"2","skuId":"4711000001","oversold":false},\
";1627207:28320;":{"price":"259.00","stock":"2","skuId":"4711000002","oversold":false}}
        ,propertyMemoMap: {"1627207:28341":"黑色 青轴","1627207:28320":"白色 茶轴"}
    }
});
</script>
</body></html>"""


def test_a_classic_taobao_page_reads_the_sku_its_url_names_the_same_way() -> None:
    # Taobao writes the table in Hub.config.set('sku', {...}) with bare keys and single-quoted strings.
    html = _replaced(_html("taobao/classic_shelf_range.html"), "</body></html>", HUB_CONFIG)
    got = extract(html, "https://item.taobao.com/item.htm?id=650022310498&skuId=4711000002")
    assert (got.status, got.profile, got.seller_name) == (ExtractionStatus.OK, "taobao", "岭川外设小铺")
    assert got.price is not None and got.price.amount == Decimal("259.00")
    assert (got.price_kind, got.price_high) == ("sale", None)
    whole = extract(html, "https://item.taobao.com/item.htm?id=650022310498")
    assert whole.price is not None and (whole.price.amount, whole.price_high) == (Decimal("219.00"), Decimal("259.00"))


# -- the classic Tmall postage line ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "fee"),
    [
        ("快递: 12.00", "12.00"),
        ("快递: 0.00", "0.00"),
        ("快递：8.00 ", "8.00"),
        ("快递 免运费", "0.00"),
        ("快递: 10.00 满99包邮", "10.00"),
    ],
)
def test_the_classic_tmall_postage_line_is_the_shipping_kept_apart_from_the_price(line: str, fee: str) -> None:
    html = _replaced(_html("tmall/classic_sku_map.html"), "<span>快递: 12.00</span>", f"<span>{line}</span>")
    got = extract(html, TMALL_SKU)
    assert got.price is not None and got.price.amount == Decimal("529.00")  # the fee is not added
    assert got.shipping is not None and (got.shipping.amount, got.shipping.currency) == (Decimal(fee), "CNY")
    assert Decimal(fee) not in {c.amount for c in got.candidates}


def test_a_postage_line_without_an_amount_gives_no_shipping() -> None:
    saved = _html("tmall/classic_sku_map.html")
    got = extract(saved, TMALL_SKU)
    assert got.shipping is not None and got.shipping.amount == Decimal("12.00")
    for line in ("快递: 运费待定", "", "满99包邮", "99元包邮", "快递: 5.00起", "快递: 0.00 起"):
        got = extract(_replaced(saved, "<span>快递: 12.00</span>", f"<span>{line}</span>"), TMALL_SKU)
        assert got.price is not None and got.price.amount == Decimal("529.00")
        assert got.shipping is None, line


def test_the_sandbox_tmall_shape_free_postage_is_no_fee() -> None:
    # `.tm-postage` reading 免运费 (the sandbox's classic shape): free, not unknown.
    got = extract(page("tmall/detail_coupon.html"), "https://detail.tmall.com/item.htm?id=1")
    assert got.shipping is not None and got.shipping.amount == Decimal("0.00")
