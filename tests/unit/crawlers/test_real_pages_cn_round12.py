"""Chinese pages as served, twelfth round: the Tmall/Taobao mobile detail page at a SKU's address, JD's price
service answering with its captcha, and Taobao's page for an item that no longer exists.

The mobile detail page (detail.m.tmall.com/item.htm?id=<id>&skuId=<sku>) writes its live state into
`var _DATA_Mdskip = {...}`: `price.price` the price shown (`{"priceText": "146", "priceTitle": "活动价"}`),
`price.extraPrices` the struck 专柜价 (`lineThrough`), and `skuCore.sku2info` each SKU's own price and stock
(`{"price": {"priceMoney": 14600, "priceText": "146"}, "quantity": 6504}`), as the Mdskip states public
Tmall scrapers saved show. When the SKUs are priced apart the price shown is their range ("146-168");
`tmall/mobile_mdskip_sku_prices.html` is trimmed to that shape, with an invented item and shop.

JD's price service (`p.3.cn/prices/mgets?skuIds=J_<id>`) answers `[{"cbf":"0","id":"J_<id>","m":"10999.00",
"op":"6999.00","p":"6288.00"}]` (`m` a market price far above both, as public JD scrapers print it), and
`{"error":"pdos_captcha"}` to a visitor it takes for a robot, which those scrapers retry.

A Pinduoduo goods page (mobile.yangkeduo.com/goods.html?goods_id=<id>) as public scrapers saved its
`window.rawData` writes its prices in yuan as strings ("22.9", `skus[].groupPrice`, `minOnSaleGroupPrice`,
`linePrice` "49") beside the same prices in fen as integers (`oldGroupPrice` 2290,
`minOnSaleGroupPriceInCent`); `pinduoduo/goods_on_sale_in_cent.html` is trimmed to those keys.

Taobao sends a visitor of an item taken off the shelf to error.item.taobao.com/error/noitem?itemid=<id>:
"宝贝不存在，可能已下架或被转移", with recommendations below; `taobao/error_noitem.html` is a reconstruction.
"""

from __future__ import annotations

from decimal import Decimal

from saved_pages import html, page, price_of
from saved_pages import replaced as _replaced
from saved_pages import sold_out as _sold_out

from crawlers.extraction import ExtractionStatus, extract

# -- Tmall/Taobao mobile detail page at a SKU's address ----------------------------------------------------

MDSKIP = "tmall/mobile_mdskip_sku_prices.html"
MDSKIP_URL = "https://detail.m.tmall.com/item.htm?id=701122334455"


def _mdskip(old: str = "", new: str = "") -> bytes:
    text = html(MDSKIP)
    return (_replaced(text, old, new) if old else text).encode("utf-8")


def test_a_mobile_detail_page_shows_the_range_of_its_skus() -> None:
    got = extract(page(MDSKIP), MDSKIP_URL, site_currency_first=True)
    assert price_of(got) == (Decimal("146"), "CNY", "range", Decimal("168"))
    assert (Decimal("258"), "list") in {(c.amount, c.kind) for c in got.candidates}
    assert (got.profile, got.seller_name, got.title) == (
        "tmall-mobile",
        "栖木女装旗舰店",
        "栖木 复古红色针织连衣裙 女 秋冬 喇叭袖",
    )


def test_a_mobile_detail_page_at_a_skus_address_is_priced_as_that_sku() -> None:
    # skuCore.sku2info["4300112233403"].price 168: the range 146-168 (and the item's struck 258-298) had been read
    got = extract(page(MDSKIP), f"{MDSKIP_URL}&skuId=4300112233403", site_currency_first=True)
    assert price_of(got) == (Decimal("168"), "CNY", "sale", None)
    assert [(c.amount, c.kind) for c in got.candidates] == [(Decimal("168"), "sale")]
    got = extract(page(MDSKIP), f"{MDSKIP_URL}&skuId=4300112233401", site_currency_first=True)
    assert price_of(got) == (Decimal("146"), "CNY", "sale", None)


def test_a_mobile_detail_page_at_a_sold_out_skus_address_is_sold_out() -> None:
    # quantity 0 in the SKU's row: nobody can buy it, whatever the other SKUs have left
    got = extract(page(MDSKIP), f"{MDSKIP_URL}&skuId=4300112233404", site_currency_first=True)
    _sold_out(got, "tmall-mobile")


def test_a_sku_the_state_does_not_list_keeps_the_items_range() -> None:
    got = extract(page(MDSKIP), f"{MDSKIP_URL}&skuId=4300112299999", site_currency_first=True)
    assert price_of(got) == (Decimal("146"), "CNY", "range", Decimal("168"))


def test_a_skus_current_price_beside_its_price_is_its_promotion() -> None:
    body = _mdskip(
        '"4300112233403": {"price": {"priceMoney": 16800, "priceText": "168"}, "quantity": 913}',
        '"4300112233403": {"price": {"priceMoney": 16800, "priceText": "168"}, "subPrice": {"priceMoney": 14900,'
        ' "priceText": "149"}, "quantity": 913}',
    )
    got = extract(body, f"{MDSKIP_URL}&skuId=4300112233403", site_currency_first=True)
    assert price_of(got) == (Decimal("149"), "CNY", "sale", None)
    assert {(c.amount, c.kind) for c in got.candidates} == {(Decimal("168"), "list"), (Decimal("149"), "sale")}


def test_a_promotion_written_for_the_item_only_keeps_the_items_prices() -> None:
    # a 促销价 beside the range is not in the SKU rows: the row's price alone would lose it
    body = _mdskip(
        '"extraPrices": [{"lineThrough": true, "priceText": "258-298", "priceTitle": "专柜价"}]',
        '"extraPrices": [{"priceText": "129-149", "priceTitle": "促销价"}]',
    )
    got = extract(body, f"{MDSKIP_URL}&skuId=4300112233403", site_currency_first=True)
    assert price_of(got) == (Decimal("129"), "CNY", "range", Decimal("149"))


def test_the_earlier_live_state_is_read_at_the_entry_of_the_sku_the_address_names() -> None:
    start = html(MDSKIP).index("var _DATA_Mdskip = ")
    end = html(MDSKIP).index("</script>", start)
    earlier = (
        'var _DATA_Mdskip = {"defaultModel": {"itemPriceResultDO": {"priceInfo": {'
        '"def": {"price": "146.00-168.00", "promotionList": [{"price": "129.00", "type": "活动价"}]},'
        ' "4300112233403": {"price": "168.00", "promotionList": [{"price": "149.00", "type": "活动价"}]}}}}};\n'
    )
    body = (html(MDSKIP)[:start] + earlier + html(MDSKIP)[end:]).encode("utf-8")
    got = extract(body, f"{MDSKIP_URL}&skuId=4300112233403", site_currency_first=True)
    assert {(c.amount, c.kind) for c in got.candidates} == {(Decimal("168.00"), "list"), (Decimal("149.00"), "sale")}
    got = extract(body, MDSKIP_URL, site_currency_first=True)
    assert (Decimal("129.00"), "sale") in {(c.amount, c.kind) for c in got.candidates}


# -- JD's price service --------------------------------------------------------------------------------

JD = "jd/item_price_api.html"
JD_URL = "https://item.jd.com/555610491.html"


def test_the_market_price_of_jds_price_service_is_no_price_of_the_item() -> None:
    # p 529.00 the price, op 599.00 the list price; m 1099.00 is not read
    got = extract(page(JD), JD_URL, site_currency_first=True, follow_up_body=page("jd/prices_mgets_market_price.json"))
    assert price_of(got) == (Decimal("529.00"), "CNY", "sale", None)
    assert {(c.amount, c.kind) for c in got.candidates} == {(Decimal("529.00"), "sale"), (Decimal("599.00"), "list")}


def test_jds_price_service_answering_with_its_captcha_is_a_blocked_visit() -> None:
    # {"error":"pdos_captcha"}: had been read as a page without a price
    got = extract(page(JD), JD_URL, site_currency_first=True, follow_up_body=page("jd/prices_mgets_pdos_captcha.json"))
    assert (got.status, got.reason, got.profile, got.price) == (ExtractionStatus.BLOCKED, "captcha", "jd", None)
    # its risk page (a jigsaw slider) in place of the answer
    got = extract(page(JD), JD_URL, site_currency_first=True, follow_up_body=page("jd/risk_slider.html"))
    assert (got.status, got.reason, got.price) == (ExtractionStatus.BLOCKED, "captcha", None)


def test_a_price_drawn_on_the_page_stands_beside_a_captcha_answer() -> None:
    got = extract(
        page("jd/item_2025.html"),
        "https://item.jd.com/100012345678.html",
        site_currency_first=True,
        follow_up_body=page("jd/prices_mgets_pdos_captcha.json"),
    )
    assert price_of(got) == (Decimal("799"), "CNY", "sale", None)


def test_an_answer_without_the_items_row_says_nothing_about_a_block() -> None:
    got = extract(
        page(JD), JD_URL, site_currency_first=True, follow_up_body=b'[{"id": "J_1", "p": "9.90"}, {"id": "J_2"}]'
    )
    assert (got.status, got.reason) == (ExtractionStatus.NO_PRICE, "no_price_found")


# -- Pinduoduo: prices in yuan beside the same prices in fen ----------------------------------------------

PDD = "pinduoduo/goods_on_sale_in_cent.html"
PDD_URL = "https://mobile.yangkeduo.com/goods.html?goods_id=167900112233"


def test_pinduoduo_prices_in_yuan_are_read_beside_their_counts_of_fen() -> None:
    # groupPrice "22.9" the price (not oldGroupPrice 2290), linePrice "49" the list price; the other SKU
    # (36.9) has none left and is no price today
    got = extract(page(PDD), PDD_URL, site_currency_first=True)
    assert price_of(got) == (Decimal("22.9"), "CNY", "sale", None)
    assert {(c.amount, c.kind) for c in got.candidates} == {(Decimal("22.9"), "sale"), (Decimal("49"), "list")}
    assert (got.profile, got.seller_name, got.offer_key) == ("pinduoduo", "青禾美妆小店", "665900112201")


def test_pinduoduo_skus_in_stock_are_offers_at_their_own_prices() -> None:
    body = html(PDD).replace('"initQuantity":0,"quantity":0,', '"initQuantity":0,"quantity":40,').encode("utf-8")
    got = extract(body, PDD_URL, site_currency_first=True)
    assert [(o.offer_key, o.price.amount if o.price else None) for o in got.offers] == [
        ("665900112201", Decimal("22.9")),
        ("665900112202", Decimal("36.9")),
    ]


# -- Taobao: the item no longer exists ---------------------------------------------------------------------

NO_ITEM = "taobao/error_noitem.html"
NO_ITEM_URL = "https://error.item.taobao.com/error/noitem?itemid=678598686014"


def test_taobaos_page_for_an_item_that_no_longer_exists_has_no_price() -> None:
    # 宝贝不存在，可能已下架或被转移: the recommendations' 329.00 and 129.00 are other items' prices
    got = extract(page(NO_ITEM), NO_ITEM_URL, site_currency_first=True)
    assert got.status is ExtractionStatus.NO_PRICE and got.price is None
    assert got.reason in ("sold_out", "not_found")
