"""Chinese marketplace pages as served, fifth round: Douyin's shop (抖音商城) product pages, 1688 offer
pages with their wholesale tiers, and Vipshop (唯品会) detail pages.

Each saved page is trimmed from a real page of its shape, with invented shop and brand names.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from saved_pages import amounts, page
from saved_pages import html as _html
from saved_pages import replaced as _replaced
from saved_pages import sold_out as _sold_out

from crawlers.extraction import Extraction, ExtractionStatus, extract


def _priced(got: Extraction, profile: str) -> None:
    assert got.status is ExtractionStatus.OK, got.reason
    assert (got.method, got.profile) == ("profile", profile)
    assert got.price is not None and got.price.currency == "CNY"
    assert isinstance(got.price.amount, Decimal)


# -- Douyin shop (抖音商城) -------------------------------------------------------------------------------

DOUYIN = "https://haohuo.jinritemai.com/ecommerce/trade/detail/index.html?id=3581190433921837522&origin_type=604"
DOUYIN_NEW = "https://haohuo.jinritemai.com/ecommerce/trade/detail/index.html?id=3650027718834561190"
DOUYIN_STATE = "douyin/trade_detail_state.html"
DOUYIN_RENDER_DATA = "douyin/trade_detail_render_data.html"


def test_a_douyin_product_is_priced_per_sku_in_fen_from_its_state() -> None:
    # `window.__INITIAL_STATE__` carries the product as the shop's product service writes it: prices in
    # fen (45900 is ¥459.00), one `spec_prices` row a SKU with the shop's own code; the page itself draws
    # only the shop's recommendations (¥39.9, ¥19.9) until its script runs.
    got = extract(page(DOUYIN_STATE), DOUYIN)
    _priced(got, "douyin")
    assert (got.price.amount, got.price_kind, got.price_high) == (Decimal("459.00"), "sale", None)
    assert (got.seller_name, got.sku, got.offer_key) == ("山屿户外旗舰店", "SY-JK21-GR-L", "1749201873568001")
    assert got.title == "山屿 岚峰 轻量 防泼水 冲锋衣 男款 户外登山服"
    assert {c.kind: c.amount for c in got.candidates} == {"sale": Decimal("459.00"), "list": Decimal("699.00")}
    # the fourth SKU has no stock: no offer of its own
    assert [(o.sku, o.price.amount if o.price else None) for o in got.offers] == [
        ("SY-JK21-GR-L", Decimal("459.00")),
        ("SY-JK21-GR-XL", Decimal("459.00")),
        ("SY-JK21-MG-L", Decimal("499.00")),
    ]
    assert not amounts(got) & {Decimal("39.90"), Decimal("19.90"), Decimal("39.9"), Decimal("19.9")}


def test_a_douyin_product_without_skus_is_its_min_to_max_price_range() -> None:
    html = _replaced(_html(DOUYIN_STATE), '"spec_prices":[', '"spec_prices_unused":[')
    got = extract(html, DOUYIN)
    _priced(got, "douyin")
    assert (got.price.amount, got.price_kind, got.price_high) == (Decimal("459.00"), "range", Decimal("499.00"))
    assert (got.seller_name, got.sku) == ("山屿户外旗舰店", None)


def test_a_douyin_product_at_one_price_without_skus_is_its_discount_price() -> None:
    html = _replaced(_html(DOUYIN_STATE), '"spec_prices":[', '"spec_prices_unused":[')
    html = _replaced(html, '"min_price":45900,"max_price":49900,', "")
    got = extract(html, DOUYIN)
    _priced(got, "douyin")
    assert (got.price.amount, got.price_kind, got.price_high) == (Decimal("459.00"), "sale", None)


@pytest.mark.parametrize(("status", "check"), [("1", "3"), ("2", "3"), ("0", "5")])
def test_a_douyin_product_taken_off_sale_or_banned_is_sold_out_whatever_its_stock(status: str, check: str) -> None:
    # status 0 on sale, 1 taken off the shelf (已下架), 2 deleted; check_status 5 banned (封禁)
    html = _replaced(_html(DOUYIN_STATE), '"status":0,"check_status":3', f'"status":{status},"check_status":{check}')
    _sold_out(extract(html, DOUYIN), "douyin")


def test_a_douyin_product_with_no_sku_in_stock_is_sold_out() -> None:
    html = _html(DOUYIN_STATE)
    for stock in ('"stock_num":86', '"stock_num":40', '"stock_num":12'):
        html = _replaced(html, stock, '"stock_num":0')
    _sold_out(extract(html, DOUYIN), "douyin")


def test_the_newer_douyin_page_writes_its_state_url_encoded_and_its_prices_as_shown_in_yuan() -> None:
    # `<script id="RENDER_DATA" type="application/json">` holds the state URL-encoded; prices there are
    # written as the page shows them ("129.00" is ¥129.00, not 129 fen).
    got = extract(page(DOUYIN_RENDER_DATA), DOUYIN_NEW)
    _priced(got, "douyin")
    assert (got.price.amount, got.price_kind, got.price_high) == (Decimal("129.00"), "sale", None)
    assert (got.seller_name, got.sku, got.offer_key) == ("绿野户外生活馆", "LY-BT1000-WH", "1782204417725101")
    assert got.title == "绿野 保温杯 316不锈钢 大容量 户外水壶 1L"
    assert [o.price.amount for o in got.offers if o.price] == [Decimal("129.00"), Decimal("159.00")]
    assert {c.kind: c.amount for c in got.candidates} == {"sale": Decimal("129.00"), "list": Decimal("199.00")}
    assert not amounts(got) & {Decimal(39), Decimal(25)}


def test_the_newer_douyin_page_without_skus_is_its_price_range_in_yuan() -> None:
    html = _html(DOUYIN_RENDER_DATA)
    html = _replaced(html, "%22sku_list%22", "%22sku_list_unused%22")
    got = extract(html, DOUYIN_NEW)
    _priced(got, "douyin")
    assert (got.price.amount, got.price_kind, got.price_high) == (Decimal("129.00"), "range", Decimal("159.00"))


def test_a_douyin_price_in_fen_is_told_from_one_in_yuan_by_how_it_is_written_not_by_its_size() -> None:
    # 9900 in fen is ¥99.00 and "9900.00" as shown is ¥9900.00: a count of fen has no fraction.
    html = _replaced(_html(DOUYIN_STATE), '"price":45900,"stock_num":86', '"price":"9900.00","stock_num":86')
    got = extract(html, DOUYIN)
    assert got.price is not None and got.price.amount == Decimal("9900.00")
    html = _replaced(_html(DOUYIN_STATE), '"price":45900,"stock_num":86', '"price":9900,"stock_num":86')
    got = extract(html, DOUYIN)
    assert got.price is not None and got.price.amount == Decimal("99.00")


@pytest.mark.parametrize(
    "value", ['"abc"', "-45900", "true", "null", '"¥459"', "1e30", '"45900元起"', "[45900]", '{"v":45900}']
)
def test_a_hostile_douyin_sku_price_is_never_read_as_a_price(value: str) -> None:
    html = _replaced(_html(DOUYIN_STATE), '"price":45900,"stock_num":86', f'"price":{value},"stock_num":86')
    got = extract(html, DOUYIN)
    first = next(o for o in (got.offers or (got,)) if o.price is not None)
    # the hostile SKU falls back to the product's range or is left out; never a price of its own
    assert all(c.amount > 0 for c in first.candidates)
    assert Decimal(-459) not in amounts(got) and Decimal(45900) not in amounts(got)


def test_a_page_of_another_site_with_an_initial_state_is_not_read_as_douyin() -> None:
    html = _replaced(_html(DOUYIN_STATE), '"product":{"detail":', '"goods":{"detail":')
    html = _replaced(html, '"spec_prices"', '"skus"')
    html = _replaced(html, '"discount_price"', '"sale_price"')
    got = extract(html, "https://shop.example.invalid/goods/3581190433921837522")
    assert got.profile != "douyin"


# -- 1688 offer pages ------------------------------------------------------------------------------------

OFFER = "https://detail.1688.com/offer/675520138842.html"
OFFER_CLASSIC = "https://detail.1688.com/offer/586311204517.html"
INIT_DATA = "1688/offer_init_data.html"
CLASSIC = "1688/offer_classic.html"
TIERS = (
    '"skuRangePrices":[{"beginAmount":"2","price":"35.00"},{"beginAmount":"50","price":"33.00"},'
    '{"beginAmount":"500","price":"30.50"}]'
)


def test_a_1688_offer_is_priced_at_its_lowest_quantity_tier() -> None:
    # Wholesale tiers (价格区间 by 起批量): ¥35.00 from 2 pieces, ¥33.00 from 50, ¥30.50 from 500. A buyer of
    # the fewest pieces the seller sells pays ¥35.00; the larger quantities' prices are no offer of theirs.
    # The page draws its price box by script: read as text it showed only the recommendations (¥3.80).
    got = extract(page(INIT_DATA), OFFER)
    _priced(got, "1688")
    assert (got.price.amount, got.price_kind, got.price_high) == (Decimal("35.00"), "sale", None)
    assert got.seller_name == "泉州山屿户外用品有限公司"
    assert got.title == "山屿 户外速干T恤 男女同款 圆领短袖 批发"
    assert got.sku is None and len(got.offers or (got,)) == 1
    assert amounts(got) == {Decimal("35.00")}


def test_1688_tiers_are_read_by_their_quantity_not_their_order() -> None:
    html = _replaced(
        _html(INIT_DATA),
        TIERS,
        '"skuRangePrices":[{"beginAmount":"500","price":"30.50"},{"beginAmount":"2","price":"35.00"},'
        '{"beginAmount":"50","price":"33.00"}]',
    )
    got = extract(html, OFFER)
    assert got.price is not None and got.price.amount == Decimal("35.00")


def test_a_1688_offer_priced_per_sku_is_the_range_of_its_sku_prices() -> None:
    # skuPriceType "skuPrice": each SKU has its own price (skuInfoMap); the offer's price is their range.
    html = _replaced(_html(INIT_DATA), '"skuPriceType":"rangePrice"', '"skuPriceType":"skuPrice"')
    html = _replaced(html, TIERS, '"skuRangePrices":[{"beginAmount":"2","price":"32.00"}]')
    html = _replaced(html, '"skuPriceScale":"30.50-35.00"', '"skuPriceScale":"32.00-38.00"')
    for sku, price in (("5012235560171", "32.00"), ("5012235560172", "35.00"), ("5012235560173", "38.00")):
        html = _replaced(html, f'"skuId":{sku},', f'"skuId":{sku},"price":"{price}",')
    got = extract(html, OFFER)
    _priced(got, "1688")
    assert (got.price.amount, got.price_kind, got.price_high) == (Decimal("32.00"), "range", Decimal("38.00"))


def test_a_1688_offer_priced_per_sku_without_sku_prices_is_its_price_scale() -> None:
    html = _replaced(_html(INIT_DATA), '"skuPriceType":"rangePrice"', '"skuPriceType":"skuPrice"')
    html = _replaced(html, TIERS, '"skuRangePrices":[{"beginAmount":"2","price":"32.00"}]')
    html = _replaced(html, '"skuPriceScale":"30.50-35.00"', '"skuPriceScale":"32.00-38.00"')
    got = extract(html, OFFER)
    _priced(got, "1688")
    assert (got.price.amount, got.price_kind, got.price_high) == (Decimal("32.00"), "range", Decimal("38.00"))


def test_a_1688_offer_with_nothing_left_to_book_is_sold_out() -> None:
    html = _replaced(_html(INIT_DATA), '"canBookedAmount":64841', '"canBookedAmount":0')
    _sold_out(extract(html, OFFER), "1688")


def test_the_global_data_of_later_1688_pages_is_read_the_same_way() -> None:
    # `window.__GLOBAL_DATA = {...}` holds what `__INIT_DATA.globalData` held.
    html = _html(INIT_DATA)
    model = html.split("window.__INIT_DATA=", 1)[1].split("</script>", 1)[0]
    glob = json.dumps(json.loads(model)["globalData"], ensure_ascii=False)
    html = _replaced(html, f"window.__INIT_DATA={model}", f"window.__GLOBAL_DATA = {glob};")
    got = extract(html, OFFER)
    _priced(got, "1688")
    assert (got.price.amount, got.seller_name) == (Decimal("35.00"), "泉州山屿户外用品有限公司")


@pytest.mark.parametrize("value", ['"abc"', '"-35"', "true", "null", '"35元"', '"1e30"', "[35]"])
def test_a_hostile_1688_tier_is_never_a_price(value: str) -> None:
    html = _replaced(_html(INIT_DATA), '{"beginAmount":"2","price":"35.00"}', f'{{"beginAmount":"2","price":{value}}}')
    got = extract(html, OFFER)
    # the tier without a price is passed over: the next quantity's price is the fewest pieces' one sold
    assert got.price is not None and got.price.amount == Decimal("33.00")


def test_the_classic_1688_offer_page_reads_its_tiers_from_idetaildata() -> None:
    # `iDetailData.sku.priceRange` lists [fewest pieces, price] per tier; the seller is iDetailConfig's
    # companyName. The page is GBK, as served.
    got = extract(page(CLASSIC), OFFER_CLASSIC)
    _priced(got, "1688")
    assert (got.price.amount, got.price_kind, got.price_high) == (Decimal("12.80"), "sale", None)
    assert (got.seller_name, got.title) == ("永康市绿野五金制品厂", "绿野 不锈钢户外折叠水杯 便携伸缩杯 批发")
    assert amounts(got) == {Decimal("12.80")}


def test_the_classic_1688_price_table_is_read_when_the_script_state_is_missing() -> None:
    html = page(CLASSIC).decode("gbk")
    html = _replaced(html, "var iDetailData = {", "var iDetailDataGone = {")
    got = extract(html, OFFER_CLASSIC)
    _priced(got, "1688")
    assert (got.price.amount, got.price_kind) == (Decimal("12.80"), "sale")
    assert got.seller_name == "永康市绿野五金制品厂"


def test_a_classic_1688_offer_with_nothing_left_to_book_is_sold_out() -> None:
    html = _replaced(page(CLASSIC).decode("gbk"), '"canBookCount":8260', '"canBookCount":0')
    _sold_out(extract(html, OFFER_CLASSIC), "1688")


def test_a_page_with_a_price_range_table_of_another_shape_is_not_read_as_1688() -> None:
    got = extract(page(DOUYIN_STATE), DOUYIN)
    assert got.profile == "douyin"
    got = extract(page("pinduoduo/goods_rawdata.html"), "https://mobile.yangkeduo.com/goods.html?goods_id=1")
    assert got.profile == "pinduoduo"


def test_the_earlier_douyin_shop_host_prices_in_yuan() -> None:
    from crawlers.prices import site_currency

    # haohuo.snssdk.com served the same product pages as haohuo.jinritemai.com
    assert site_currency("https://haohuo.snssdk.com/views/product/item2?id=3581190433921837522") == "CNY"
    got = extract(page(DOUYIN_STATE), "https://haohuo.snssdk.com/views/product/item2?id=3581190433921837522",
                  default_currency="EUR", site_currency_first=True)  # fmt: skip
    assert got.price is not None and (got.price.amount, got.price.currency) == (Decimal("459.00"), "CNY")


# -- Vipshop (唯品会) -------------------------------------------------------------------------------------

VIP = "https://detail.vip.com/detail-1711320456-6920047731856601823.html"
VIP_PAGE = "vip/detail_special_price.html"
VIP_BUY = '<a class="J-cartAdd-submit ui-btn-large ui-btn-primary">加入购物袋</a>'


def test_a_vipshop_page_is_priced_at_its_special_price_with_the_market_price_struck() -> None:
    # 特卖价 ¥259 in the special-price box, 市场价 ¥599 struck beside it, 券后价 ¥239 a coupon price; the
    # recommendations below (¥169, ¥199 and their struck prices) are other products.
    got = extract(page(VIP_PAGE), VIP)
    _priced(got, "vipshop")
    assert (got.price.amount, got.price_kind, got.price_high) == (Decimal(259), "sale", None)
    assert {c.kind: c.amount for c in got.candidates} == {
        "sale": Decimal(259),
        "list": Decimal(599),
        "coupon": Decimal(239),
    }
    assert (got.seller_name, got.title) == ("溪谷户外官方旗舰店", "溪谷 男士 防泼水 软壳夹克 连帽 户外外套 藏青 XL")
    # 商品编码 is the brand's item number (货号), as the other profiles read it: the model, not a SKU
    assert (got.model, got.sku) == ("XG-SW3301-NV-XL", None)
    assert not amounts(got) & {Decimal(169), Decimal(199), Decimal(459), Decimal(499)}


def test_a_vipshop_coupon_price_is_the_price_only_under_the_after_coupon_policy() -> None:
    got = extract(page(VIP_PAGE), VIP, coupon_policy="after_coupon")
    assert got.price is not None and (got.price.amount, got.price_kind) == (Decimal(239), "coupon")


@pytest.mark.parametrize("button", ["已售罄", "已抢光", "商品已下架"])
def test_a_vipshop_item_whose_buy_button_says_so_is_sold_out(button: str) -> None:
    html = _replaced(_html(VIP_PAGE), VIP_BUY, f'<a class="ui-btn-large ui-btn-disabled">{button}</a>')
    _sold_out(extract(html, VIP), "vipshop")


def test_one_vipshop_size_sold_out_is_not_the_item_sold_out() -> None:
    got = extract(page(VIP_PAGE), VIP)  # "XXL 已抢光" among the sizes, the buy button still there
    assert got.status is ExtractionStatus.OK and got.price is not None


def test_the_vipshop_item_number_is_read_from_the_parameters_when_the_barcode_line_is_missing() -> None:
    html = _replaced(_html(VIP_PAGE), '<p class="pib-barcode" id="J_detail_barCode">商品编码：XG-SW3301-NV-XL</p>', "")
    got = extract(html, VIP)
    assert got.model == "XG-SW3301-NV-XL"
