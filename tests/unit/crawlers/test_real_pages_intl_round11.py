"""Shapes seen on marketplaces abroad where resellers of Chinese brands sell, eleventh round.

eBay's multi-variation listing carries every variation in a script of the page, the object
`"MSKU":{"_type":"VariationViewModel", ...}` (followed by the listing's `"QUANTITY"` module): `variationsMap`
by variation id (`binModel.price.value` = `{"value": 12.49, "currency": "USD"}`, with `convertedFromValue` and
`convertedFromCurrency` when the page shows a seller's price converted; `quantity.outOfStock`), `menuItemMap`
(option names, `matchingVariationIds`, `outOfStock`) grouped by `selectMenus`, `variationCombinations`. Public
scrapers read the same fields (scrapfly-scrapers' ebay.py, parsers anchored at that `"MSKU"` object); an
address `/itm/<item>?var=<variation id>` selects one variation. The saved page wraps the model in Marko's
component state (`$MC=(window.$MC||[]).concat({"w": ...})`), shortened: the model is read wherever a script
holds it. Read before this round, such a page at a variation's address gave the listing's range
("US $10.99 to US $15.99") whatever variation was asked for, and never that variation's stock.

AliExpress's 2023 item page still assigns `window.runParams = {data: {...}}` (then
`window.runParams.is23 = true;`), but its parts are components, not modules: `priceComponent` (`origPrice`,
`discountPrice`, `skuPriceList` with the same `skuVal` as before), `sellerComponent.storeName`,
`productInfoComponent.subject`/`id`, `inventoryComponent`, `currencyComponent.currencyCode` (public scrapers
read both generations: scrapfly-scrapers' aliexpress.py "newstyle data", aliexpress-product-scraper 2.x).
Read before this round: no price and no store. The current page (2024 on) is an app shell: `window.runParams`
is empty and `window._d_c_.DCData` holds only images; its price comes from an API call. The extractor already
reports no price for it (`no_price_found`), so no test of it is added here.
"""

from __future__ import annotations

from decimal import Decimal

from saved_pages import html, price_of, replaced, sold_out

from crawlers.extraction import extract

# -- eBay: a multi-variation listing at a variation's address ------------------------------------------------

EBAY_URL = "https://www.ebay.com/itm/256600011122"
EBAY_PAGE = "ebay/item_msku_variations.html"
EBAY_TITLE = "Insulated Tumbler with Lid and Straw, 12/20/32 oz, Stainless"


def test_ebay_variation_address_gives_that_variations_price_and_id() -> None:
    got = extract(html(EBAY_PAGE), f"{EBAY_URL}?var=524118820102")
    assert price_of(got) == (Decimal("12.49"), "USD", "sale", None)
    assert (got.profile, got.offer_key, got.sku) == ("ebay", "524118820102", "524118820102")
    assert (got.seller_name, got.title) == ("harborline_outlet", f"{EBAY_TITLE} Medium (20 oz)")
    assert got.offers == ()
    # without a variation, with one the listing does not have, or one the model states no price of: the range
    # the page shows, as before
    unpriced = replaced(html(EBAY_PAGE), '"value":{"value":12.49,"currency":"USD"}', '"value":{}')
    for body, url in (
        (html(EBAY_PAGE), EBAY_URL),
        (html(EBAY_PAGE), f"{EBAY_URL}?var=524118820999"),
        (unpriced, f"{EBAY_URL}?var=524118820102"),
    ):
        shown = extract(body, url)
        assert price_of(shown) == (Decimal("10.99"), "USD", "range", Decimal("15.99"))
        assert (shown.sku, shown.offer_key) == ("256600011122", "")


def test_ebay_variation_out_of_stock_is_sold_out() -> None:
    got = extract(html(EBAY_PAGE), f"{EBAY_URL}?var=524118820103&_trksid=p4429486.m3561.l161211")
    sold_out(got, "ebay")
    assert (got.offer_key, got.sku) == ("524118820103", "524118820103")


def test_ebay_variation_priced_in_the_sellers_currency_keeps_it() -> None:
    body = replaced(
        html(EBAY_PAGE),
        '"value":{"value":12.49,"currency":"USD"}',
        '"value":{"value":9.02,"currency":"USD","convertedFromValue":12.49,"convertedFromCurrency":"CAD"}',
    )
    got = extract(body, f"{EBAY_URL}?var=524118820102")
    assert price_of(got) == (Decimal("12.49"), "CAD", "sale", None)


# -- AliExpress: the 2023 page's components -------------------------------------------------------------------

AE_URL = "https://de.aliexpress.com/item/1005006730849854.html"
AE_PAGE = "aliexpress/item_run_params_components.html"
AE_TITLE = "Original 120W USB Type C Cable 6A Turbo Fast Charging Cable"


def test_aliexpress_components_give_one_offer_per_sku_and_the_store() -> None:
    got = extract(html(AE_PAGE), AE_URL)
    assert price_of(got) == (Decimal("3.29"), "EUR", "sale", None)
    assert (got.profile, got.seller_name, got.sku) == ("aliexpress", "Voltwire Digital Store", "1005006730849854")
    by_key = {o.offer_key: (o.price.amount if o.price else None, o.title) for o in got.offers}
    assert by_key == {
        "12000037980246411": (Decimal("3.29"), f"{AE_TITLE} 1m"),
        "12000037980246412": (Decimal("4.59"), f"{AE_TITLE} 2m"),
    }
    assert {(c.amount, c.kind) for c in got.candidates} == {(Decimal("3.29"), "sale"), (Decimal("9.99"), "list")}


def test_aliexpress_component_sku_without_stock_is_sold_out() -> None:
    body = replaced(html(AE_PAGE), '"availQuantity":2890', '"availQuantity":0')
    got = extract(body, AE_URL)
    assert price_of(got) == (Decimal("4.59"), "EUR", "sale", None)
    assert [o.offer_key for o in got.offers or (got,)] == ["12000037980246412"]
    assert got.seller_name == "Voltwire Digital Store"


def test_aliexpress_components_without_sku_list_read_the_promotion_range() -> None:
    start = html(AE_PAGE).index('"skuPriceList":[')
    end = html(AE_PAGE).index(',"productInfoComponent"')
    body = html(AE_PAGE)[:start] + '"skuPriceList":[]}' + html(AE_PAGE)[end:]
    got = extract(body, AE_URL)
    assert price_of(got) == (Decimal("3.29"), "EUR", "range", Decimal("4.59"))
    assert (got.seller_name, got.title) == ("Voltwire Digital Store", AE_TITLE)


def test_aliexpress_component_item_out_of_stock_is_sold_out() -> None:
    body = replaced(html(AE_PAGE), '"totalAvailQuantity":4512', '"totalAvailQuantity":0')
    sold_out(extract(body, AE_URL), "aliexpress")
