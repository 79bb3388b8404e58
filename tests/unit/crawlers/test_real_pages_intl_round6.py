"""Shapes seen on real store pages abroad, sixth round: struck prices, ranges and badges of store themes.

A price struck by an inline style (`text-decoration: line-through`, as headless storefronts and older
themes write it) is a price nobody pays today, like one in `<s>` or `<del>`. Each saved page is
trimmed from a real page of its shape, with invented shop and brand names.
"""

from __future__ import annotations

from decimal import Decimal

from saved_pages import page, price_of

from crawlers.extraction import ExtractionStatus, extract

# -- a price struck by an inline style -----------------------------------------------------------------

HEADLESS = "https://www.gipfelwerk.example/produkte/summit-gear-daunenweste-ridge"


def test_a_price_struck_by_an_inline_style_is_not_the_price() -> None:
    got = extract(page("shop/inline_struck_price.html"), HEADLESS)
    # not 89,00 €, struck by `text-decoration:line-through` before the price, nor the struck UVP 99,00 €
    assert price_of(got) == (Decimal("69.00"), "EUR", "sale", None)
    assert (got.method, got.title) == ("text", "Summit Gear Daunenweste Ridge")
    assert got.confidence == Decimal("0.60")


def test_a_struck_amount_in_plain_text_is_not_the_price_either() -> None:
    html = """<html><body><h1>Summit Gear Stirnband</h1>
      <p><span style="TEXT-DECORATION: Line-Through">19,90 €</span> <b>14,90 €</b></p></body></html>"""
    got = extract(html, "https://www.gipfelwerk.example/produkte/stirnband")
    assert price_of(got) == (Decimal("14.90"), "EUR", "sale", None)
    assert got.confidence == Decimal("0.40")


# -- BigCommerce: a product whose options are priced differently ----------------------------------------

BIGCOMMERCE = "https://www.trailhead-supply.example/summit-gear-rain-jacket/"


def test_bigcommerce_min_and_max_price_of_an_offer_are_a_range() -> None:
    got = extract(page("shop/bigcommerce_min_max_price.html"), BIGCOMMERCE)
    # Cornerstone's JSON-LD Offer states minPrice and maxPrice and no price: a range, read as structured data
    # (not the price box's text at 0.45)
    assert price_of(got) == (Decimal("129.95"), "USD", "range", Decimal("149.95"))
    assert (got.method, got.confidence, got.sku) == ("json-ld", Decimal("0.80"), "SG-RJ")
    assert got.raw_price == "129.95-149.95 USD"


def test_min_and_max_price_in_a_price_specification_are_a_range() -> None:
    body = page("shop/bigcommerce_min_max_price.html").replace(
        b'"minPrice": "129.95",\n            "maxPrice": "149.95",',
        b'"priceSpecification": {"@type": "PriceSpecification", "minPrice": 129.95, "maxPrice": 149.95},',
    )
    got = extract(body, BIGCOMMERCE)
    assert price_of(got) == (Decimal("129.95"), "USD", "range", Decimal("149.95"))
    assert got.method == "json-ld"


def test_min_and_max_price_of_one_amount_is_that_price() -> None:
    body = page("shop/bigcommerce_min_max_price.html").replace(b'"maxPrice": "149.95"', b'"maxPrice": "129.95"')
    got = extract(body, BIGCOMMERCE)
    assert price_of(got) == (Decimal("129.95"), "USD", "sale", None)


def test_a_min_and_max_price_out_of_stock_is_sold_out() -> None:
    body = page("shop/bigcommerce_min_max_price.html").replace(b"schema.org/InStock", b"schema.org/OutOfStock")
    got = extract(body, BIGCOMMERCE)
    assert (got.status, got.reason, got.method) == (ExtractionStatus.NO_PRICE, "sold_out", None)
    assert got.sku == "SG-RJ"


def test_a_max_price_below_the_min_price_is_no_top() -> None:
    body = page("shop/bigcommerce_min_max_price.html").replace(b'"maxPrice": "149.95"', b'"maxPrice": "12.95"')
    got = extract(body, BIGCOMMERCE)
    assert price_of(got) == (Decimal("129.95"), "USD", "range", None)


# -- Shopify Dawn: badges the stylesheet shows, a picker's sold-out size ------------------------------------

DAWN = "https://harbourandpine.example/products/summit-gear-grid-fleece"
DAWN_SOLD_OUT = b"price price--large price--sold-out price--show-badge"


def test_dawn_in_stock_is_not_sold_out_by_the_badge_every_price_box_prints() -> None:
    # Dawn prints "Sale" and "Sold out" badges in every price box and shows them by the box's modifier
    # (`price--on-sale`, `price--sold-out`); size L's "Variant sold out or unavailable" is one choice of the picker
    got = extract(page("shopify/dawn_on_sale_no_jsonld.html"), DAWN)
    assert price_of(got) == (Decimal("59.00"), "GBP", "sale", None)
    assert (got.method, got.seller_name, got.title) == ("opengraph", "Harbour & Pine", "Summit Gear Grid Fleece")


def test_dawn_price_box_marked_sold_out_is_sold_out() -> None:
    body = page("shopify/dawn_on_sale_no_jsonld.html")
    got = extract(body.replace(b"price price--large price--on-sale price--show-badge", DAWN_SOLD_OUT), DAWN)
    assert (got.status, got.reason, got.method) == (ExtractionStatus.NO_PRICE, "sold_out", "opengraph")


def test_dawn_sold_out_button_is_sold_out() -> None:
    body = page("shopify/dawn_on_sale_no_jsonld.html").replace(b"<span>Add to cart</span>", b"<span>Sold out</span>")
    got = extract(body, DAWN)
    assert (got.status, got.reason) == (ExtractionStatus.NO_PRICE, "sold_out")


def test_dawn_price_box_read_as_text_is_the_sale_price_not_the_compare_at_price() -> None:
    # the same page with neither the store's scripts nor its price tag: the price box alone
    body = (
        page("shopify/dawn_on_sale_no_jsonld.html")
        .replace(b'<meta property="og:price:amount" content="59.00">', b"")
        .replace(b'id="shopify-features"', b'id="features"')
        .replace(b"ShopifyAnalytics", b"Analytics")
    )
    got = extract(body, DAWN)
    # not the struck compare-at £79.00
    assert price_of(got) == (Decimal("59.00"), "GBP", "sale", None)
    assert (got.method, got.profile) == ("text", None)


# -- Shopify: the variant the address selects, in the store's own state ------------------------------------

QUILT = "https://fjellbu-outfitters.invalid/products/summit-gear-down-quilt"
LONG = "42000000000012"


def quilt_page(variant: str | None = None) -> bytes:
    """The quilt's page; at `?variant=` of the long one its price box and picker show the long one."""
    body = page("shopify/analytics_meta_variants_no_sku.html")
    if variant == LONG:
        body = body.replace(b'price-item--regular">\xc2\xa3189.00 GBP', b'price-item--regular">\xc2\xa3209.00 GBP')
        body = body.replace(b" selected>Regular", b">Regular")
        body = body.replace(b'"42000000000012">', b'"42000000000012" selected>')
    return body


def test_shopify_state_without_skus_gives_one_offer_per_variant() -> None:
    got = extract(quilt_page(), QUILT)
    assert [(o.offer_key, o.price and o.price.amount, o.sku) for o in got.offers] == [
        ("42000000000011", Decimal("189.00"), None),
        (LONG, Decimal("209.00"), None),
    ]


def test_shopify_state_at_a_variants_address_is_that_variant() -> None:
    got = extract(quilt_page(LONG), f"{QUILT}?variant={LONG}")
    # the long quilt at 209.00, not the regular one at 189.00 first with the long one beside it
    assert price_of(got) == (Decimal("209.00"), "GBP", "sale", None)
    assert (got.profile, got.offer_key, got.title, got.offers) == (
        "shopify",
        LONG,
        "Summit Gear Down Quilt 0°C - Long",
        (),
    )
    assert got.seller_name == "Fjellbu Outfitters"


def test_shopify_state_at_an_unknown_variants_address_reads_every_variant() -> None:
    got = extract(quilt_page(), f"{QUILT}?variant=1")
    assert len(got.offers) == 2


def test_shopify_follow_up_at_a_variants_address_is_that_variant() -> None:
    body = quilt_page(LONG)
    start = body.index(b"var meta = {")
    no_state = body[:start] + body[body.index(b"for (var attr in meta)", start) :]
    answer = (
        b'{"title": "Summit Gear Down Quilt 0\\u00b0C", "vendor": "Summit Gear", "variants": ['
        b'{"id": 42000000000011, "title": "Regular", "sku": "", "price": 18900, "compare_at_price": null,'
        b' "available": true},'
        b'{"id": 42000000000012, "title": "Long", "sku": null, "price": 20900, "compare_at_price": 24900,'
        b' "available": true}]}'
    )
    got = extract(no_state, f"{QUILT}?variant={LONG}", follow_up_body=answer)
    assert price_of(got) == (Decimal("209.00"), "GBP", "sale", None)
    assert {c.kind: c.amount for c in got.candidates} == {"sale": Decimal("209.00"), "list": Decimal("249.00")}
    assert got.offers == ()
