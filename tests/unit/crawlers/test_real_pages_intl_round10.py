"""Shapes seen on marketplaces abroad where resellers of Chinese brands sell, tenth round.

AliExpress item pages as the server sends them carry the item in `window.runParams = {data: {...}}` (a
hand-written literal whose `data` is JSON): `priceModule`, `skuModule.skuPriceList`, `storeModule.storeName`.
Lazada (and Daraz) product pages carry theirs in `var __moduleData__ = {"data": {"root": {"fields": ...}}}`:
`skuInfos` by SKU id (`"0"` the default), `primaryKey`, `seller.name`, `globalConfig.currency`. Walmart's item
page carries the buy box's product in `<script id="__NEXT_DATA__">` (`props.pageProps.initialData.data.product`:
`priceInfo.currentPrice`, `wasPrice`, `sellerDisplayName`, `usItemId`). Read as text, the first two showed no
price; Walmart's drawn hero price was read, but not its seller, often a marketplace seller and not Walmart.com.
"""

from __future__ import annotations

from decimal import Decimal

from saved_pages import html, price_of, replaced, sold_out

from crawlers.extraction import ExtractionStatus, extract

# -- AliExpress: window.runParams ----------------------------------------------------------------------------

AE_URL = "https://www.aliexpress.com/item/1005001234567890.html"
AE_PAGE = "aliexpress/item_run_params.html"


def test_aliexpress_run_params_gives_one_offer_per_sku_at_its_promotion_price() -> None:
    got = extract(html(AE_PAGE), AE_URL)
    assert price_of(got) == (Decimal("4.49"), "USD", "sale", None)
    assert (got.profile, got.seller_name, got.sku) == ("aliexpress", "Lumacase Official Store", "1005001234567890")
    by_key = {o.offer_key: (o.price.amount if o.price else None, o.title) for o in got.offers}
    assert by_key == {
        "12000018000000402": (
            Decimal("4.49"),
            "Magnetic Leather Case For Phone 12 Pro Max Wireless Charging For Phone 12 Pro",
        ),
        "12000018000000403": (
            Decimal("4.19"),
            "Magnetic Leather Case For Phone 12 Pro Max Wireless Charging For Phone 12 mini",
        ),
        "12000018000000401": (
            Decimal("4.79"),
            "Magnetic Leather Case For Phone 12 Pro Max Wireless Charging For Phone 12 ProMax",
        ),
    }
    first = got.offers[0]
    # the regular price beside the promotion is its list price; the bulk price (10 pieces or more) no price
    assert {(c.amount, c.kind) for c in first.candidates} == {(Decimal("4.49"), "sale"), (Decimal("6.41"), "list")}


def test_aliexpress_sku_without_stock_is_sold_out() -> None:
    body = html(AE_PAGE).replace('"availQuantity": 887', '"availQuantity": 0')
    got = extract(body, AE_URL)
    assert price_of(got) == (Decimal("4.79"), "USD", "sale", None)
    assert [o.offer_key for o in got.offers or (got,)] == ["12000018000000401"]


def test_aliexpress_without_sku_list_reads_the_promotion_range() -> None:
    start = html(AE_PAGE).index('"skuPriceList"')
    end = html(AE_PAGE).index('"storeModule"')
    body = html(AE_PAGE)[:start] + '"skuPriceList": []\n         },\n         ' + html(AE_PAGE)[end:]
    got = extract(body, AE_URL)
    assert price_of(got) == (Decimal("4.19"), "USD", "range", Decimal("4.79"))
    assert got.seller_name == "Lumacase Official Store"


def test_aliexpress_page_in_another_currency_keeps_it() -> None:
    body = html(AE_PAGE).replace('"currency": "USD"', '"currency": "EUR"')
    assert price_of(extract(body, AE_URL.replace("www.", "fr."))) == (Decimal("4.49"), "EUR", "sale", None)


# -- Lazada: __moduleData__ ----------------------------------------------------------------------------------

LAZADA_URL = "https://www.lazada.sg/products/cordless-handheld-vacuum-12kpa-i2345678901-s12345678901.html"
LAZADA_PAGE = "lazada/pdp_module_data_only.html"


def test_lazada_module_data_gives_the_shown_skus_sale_price_and_seller() -> None:
    got = extract(html(LAZADA_PAGE), LAZADA_URL)
    # not the recommendation's $8.90, not the other SKU's $99.00, not the struck $149.00
    assert price_of(got) == (Decimal("89.40"), "SGD", "sale", None)
    assert (got.profile, got.seller_name, got.sku) == ("lazada", "Vacora Official Store", "2345678901")
    assert got.title == "Cordless Handheld Vacuum 12kPa, 2 Batteries"
    assert {(c.amount, c.kind) for c in got.candidates} == {(Decimal("89.40"), "sale"), (Decimal("149"), "list")}


def test_lazada_page_of_another_sku_reads_that_sku() -> None:
    body = replaced(html(LAZADA_PAGE), '"primaryKey":{"itemId":"2345678901","skuId":"12345678901"}',
                    '"primaryKey":{"itemId":"2345678901","skuId":"12345678902"}')  # fmt: skip
    sold_out(extract(body, LAZADA_URL.replace("s12345678901", "s12345678902")), "lazada")


def test_lazada_ringgit_page_is_read_in_its_currency() -> None:
    body = replaced(html(LAZADA_PAGE), '"currency":"SGD"', '"currency":"MYR"')
    body = replaced(body, '"currencyCode":"SGD"', '"currencyCode":"MYR"')
    got = extract(body, LAZADA_URL.replace("lazada.sg", "lazada.com.my"))
    assert price_of(got) == (Decimal("89.40"), "MYR", "sale", None)


# -- Walmart: __NEXT_DATA__ ----------------------------------------------------------------------------------

WALMART_URL = "https://www.walmart.com/ip/Brightline-12-Cup-Programmable-Coffee-Maker-Black/5512345678"
WALMART_PAGE = "walmart/ip_next_data_hero_price.html"


def test_walmart_next_data_names_the_marketplace_seller_and_item_number() -> None:
    got = extract(html(WALMART_PAGE), WALMART_URL)
    assert price_of(got) == (Decimal("19.93"), "USD", "sale", None)
    assert (got.profile, got.seller_name, got.sku) == ("walmart", "Kettlebrook Home Goods", "5512345678")
    assert {(c.amount, c.kind) for c in got.candidates} == {(Decimal("19.93"), "sale"), (Decimal("49.94"), "list")}


def test_walmart_out_of_stock_is_sold_out() -> None:
    body = replaced(html(WALMART_PAGE), '"availabilityStatus":"IN_STOCK"', '"availabilityStatus":"OUT_OF_STOCK"')
    sold_out(extract(body, WALMART_URL), "walmart")


def test_walmart_json_ld_price_gets_the_seller_from_the_state() -> None:
    ld = (
        '<script type="application/ld+json">{"@context":"https://schema.org","@type":"Product",'
        '"name":"Brightline 12-Cup Programmable Coffee Maker, Black","sku":"5512345678",'
        '"offers":[{"@type":"Offer","price":19.93,"priceCurrency":"USD",'
        '"availability":"https://schema.org/InStock"}]}</script></head>'
    )
    got = extract(replaced(html(WALMART_PAGE), "</head>", ld), WALMART_URL)
    assert price_of(got) == (Decimal("19.93"), "USD", "sale", None)
    assert (got.method, got.seller_name) == ("json-ld", "Kettlebrook Home Goods")


def test_another_next_js_store_is_not_read_as_walmart() -> None:
    body = (
        '<html><head><title>Lamp</title></head><body><h1>Lamp</h1><span class="price">$30.00</span>'
        '<script id="__NEXT_DATA__" type="application/json">{"props":{"pageProps":{"initialData":{"menu":[]},'
        '"priceInfo":{"note":"prices in USD"}}}}</script></body></html>'
    )
    got = extract(body, "https://lamps.example/p/lamp")
    assert got.status is ExtractionStatus.OK and got.profile is None
