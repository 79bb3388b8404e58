"""Shapes seen on big retailers and marketplaces abroad where resellers of Chinese brands sell, twelfth round.

Target's product page (`target.com/p/<name>/-/A-<tcin>`) defines its state on `window` in one script:
`Object.defineProperties(window, {'__CONFIG__': {...}, '__TGT_DATA__': { configurable: false, enumerable: true,
value: deepFreeze(JSON.parse("...")) }, ...})`, the state a JSON text written as a JavaScript string literal. Its
`__PRELOADED_QUERIES__.queries` are `[key, {"data": ...}]` pairs; the product page's query holds `data.product`:
`tcin`, `item.product_description.title`, `item.primary_barcode`, `item.fulfillment.is_marketplace`, and `price`
(`current_retail`, `reg_retail`, `formatted_current_price` "$69.99", `formatted_current_price_type` "sale"/"reg",
`formatted_comparison_price`, `save_dollar`, `location_id`). Public scrapers read it so: a Scrapy spider splitting the
page at `__TGT_DATA__': { configurable: false, enumerable: true, value: deepFreeze(JSON.parse(` and reading
`current_retail`, parsers walking `__PRELOADED_QUERIES__.queries[i][1].data.product.price`, one noting that the
navigation's `title` comes first in the state; `cart_add_on_threshold` 35.0 is Target's free-shipping threshold.
The saved page draws no price in its HTML (whether Target's server draws one was not confirmed) and shows the
"Free shipping on orders $35+" banner: read as text, the page's price was $35. The `target` profile reads the
state; a product without a price in it leaves the page to the text reader as before. No field of the state was
found that names a Target Plus partner, so no seller is read, and no stock flag (Target's scrapers ask a separate
fulfillment service for it), so availability is not read either.

Best Buy's product page (`bestbuy.com/site/<name>/<sku>.p?skuId=<sku>`) carries JSON-LD with `"@type":"Product"` and
`"sku"`, a pricing script (`script[id*=pricing-price]`, read by scrapfly-scrapers' bestbuy.py as
`app.data.skuPriceDomain`: `customerPrice`, `regularPrice`, `priceEventType` "onSale", `financeOption.monthlyPayment`)
and the drawn price box (`[data-testid=customer-price]`, `[data-testid=regular-price]` "Was ..."), and the add-to-cart
button states the offer (`data-button-state` ADD_TO_CART, SOLD_OUT). Whether its JSON-LD carries offers was not
confirmed; the saved page's does not. The extractor already reads such a page right from its text (the customer price,
not the "Was" price nor the monthly payment, and "Sold Out" as sold out): the Best Buy tests here pin that and are no
fix.

Mercado Libre's product page carries JSON-LD `Product` with one `Offer` (`price`, `priceCurrency`, `availability`),
which price scrapers read first; the drawn price box puts the struck price first
(`.ui-pdp-price__original-value.andes-money-amount--previous`), then the price (`.ui-pdp-price__second-line`:
`andes-money-amount__fraction` and `__cents`), then the instalments (`.ui-pdp-price__subtitles`, "10x R$ 37,99 sem
juros"), and the seller heading (`.ui-pdp-seller__header__title`, "Vendido por ..."). The extractor already reads it
right from JSON-LD: the Mercado Libre test pins that and is no fix.
"""

from __future__ import annotations

from decimal import Decimal

from saved_pages import amounts, html, price_of, replaced

from crawlers.extraction import ExtractionStatus, extract

# -- Target: __TGT_DATA__ ------------------------------------------------------------------------------------

TARGET_URL = "https://www.target.com/p/brightline-6qt-digital-air-fryer-with-viewing-window-black/-/A-89381212"
TARGET_PAGE = "target/pdp_tgt_data.html"


def test_target_tgt_data_gives_the_products_price_not_the_free_shipping_threshold() -> None:
    got = extract(html(TARGET_PAGE), TARGET_URL)
    assert price_of(got) == (Decimal("69.99"), "USD", "sale", None)
    assert (got.profile, got.sku, got.gtin) == ("target", "89381212", "810043471224")
    assert got.title == "Brightline 6qt Digital Air Fryer with Viewing Window - Black"
    # the regular price beside the sale price is its list price; the recommendation's $49.99 and the banner's $35
    # are no price of this product
    assert {(c.amount, c.kind) for c in got.candidates} == {(Decimal("69.99"), "sale"), (Decimal("89.99"), "list")}
    assert amounts(got).isdisjoint({Decimal("49.99"), Decimal("35")})


def test_target_page_priced_at_its_regular_price_has_no_list_price() -> None:
    body = replaced(html(TARGET_PAGE), '\\"current_retail\\":69.99', '\\"current_retail\\":89.99')
    body = replaced(body, '\\"formatted_current_price\\":\\"$69.99\\"', '\\"formatted_current_price\\":\\"$89.99\\"')
    got = extract(body, TARGET_URL)
    assert price_of(got) == (Decimal("89.99"), "USD", "sale", None)
    assert [(c.amount, c.kind) for c in got.candidates] == [(Decimal("89.99"), "sale")]


def test_target_page_crawled_for_a_brand_in_another_dollar_is_in_us_dollars() -> None:
    got = extract(html(TARGET_PAGE), TARGET_URL, default_currency="CAD", site_currency_first=True)
    assert price_of(got) == (Decimal("69.99"), "USD", "sale", None)
    # a state whose price names no sign: the site's currency (target.com prices in US dollars)
    body = replaced(html(TARGET_PAGE), '\\"formatted_current_price\\":\\"$69.99\\",', "")
    got = extract(body, TARGET_URL, default_currency="CAD", site_currency_first=True)
    assert price_of(got) == (Decimal("69.99"), "USD", "sale", None)


def test_target_state_without_the_products_price_leaves_the_page_without_a_price() -> None:
    body = replaced(html(TARGET_PAGE), '\\"current_retail\\":69.99,', "")
    got = extract(body, TARGET_URL)
    # the banner's free-shipping threshold ("orders over $35") is no price of the product
    assert got.profile is None and got.price is None and got.status is ExtractionStatus.NO_PRICE


# -- Best Buy: the drawn price box (pinned, no fix) ----------------------------------------------------------

BESTBUY_URL = (
    "https://www.bestbuy.com/site/hisense-65-class-u8-series-mini-led-qled-4k-uhd-smart-google-tv/6578123.p"
    "?skuId=6578123"
)
BESTBUY_PAGE = "bestbuy/site_pricing_price_json.html"


def test_bestbuy_customer_price_is_read_not_the_was_price_or_the_monthly_payment() -> None:
    got = extract(html(BESTBUY_PAGE), BESTBUY_URL)
    assert price_of(got) == (Decimal("1499.99"), "USD", "sale", None)
    # the page's gtin13 "0888143014229" fails its check digit (…4227 would pass): no GTIN
    assert (got.sku, got.gtin, got.model) == ("6578123", None, "65U8N")
    assert amounts(got) == {Decimal("1499.99")}


def test_bestbuy_sold_out_button_is_sold_out() -> None:
    body = replaced(
        html(BESTBUY_PAGE),
        'data-sku-id="6578123" data-button-state="ADD_TO_CART" style="padding:0 8px">Add to Cart',
        'data-sku-id="6578123" data-button-state="SOLD_OUT" disabled style="padding:0 8px">Sold Out',
    )
    got = extract(body, BESTBUY_URL)
    assert (got.status, got.reason, got.price) == (ExtractionStatus.NO_PRICE, "sold_out", None)


# -- Mercado Libre: JSON-LD beside the Andes price box (pinned, no fix) ----------------------------------------

ML_URL = "https://www.mercadolivre.com.br/fritadeira-air-fryer-brightline-6-l-digital-preta-127v/p/MLB23456789"
ML_PAGE = "mercadolibre/pdp_andes_price.html"


def test_mercadolibre_json_ld_price_and_the_seller_heading() -> None:
    got = extract(html(ML_PAGE), ML_URL)
    # not the struck R$ 549 nor an instalment of R$ 37,99
    assert price_of(got) == (Decimal("379.90"), "BRL", "sale", None)
    assert (got.method, got.seller_name, got.sku) == ("json-ld", "BRIGHTLINEOFICIAL", "MLB3456789012")


def test_mercadolibre_json_ld_out_of_stock_is_sold_out() -> None:
    body = replaced(html(ML_PAGE), "https://schema.org/InStock", "https://schema.org/OutOfStock")
    got = extract(body, ML_URL)
    assert (got.status, got.reason) == (ExtractionStatus.NO_PRICE, "sold_out")
