"""Shapes seen on real store pages abroad, fifth round: web-store software resellers run themselves.

OpenCart's default theme prints no structured data, and its price list (`ul.list-unstyled`, the
price in an `<h2>`) reads as a list price to the text reader, which took a related product's
`p.price` below it. Each saved page is trimmed from a real page of its shape, with invented shop and
brand names.

PrestaShop 1.7 lists accessories as microdata Products with Offers (an ItemList below the product):
with the product itself out of stock, the first of them was the page's first priced product. A
Shopify theme (Impulse, Prestige) writes one Offer per variant with its `?variant=` address and
often no sku: the page at that address sells that variant, not the cheapest.
"""

from __future__ import annotations

from decimal import Decimal

from saved_pages import page, price_of

from crawlers.extraction import ExtractionStatus, extract

# -- OpenCart ------------------------------------------------------------------------------------------

OPENCART3 = "https://www.peakline-store.example/index.php?route=product/product&product_id=52"
OPENCART4 = "https://www.bergsteiger-laden.example/de/stirnlampe-trail-400"


def test_opencart3_special_price_is_read_not_a_related_products() -> None:
    got = extract(page("shop/opencart3_special_related.html"), OPENCART3)
    # not 12.00, the related pole tips' price, nor the struck 149.00, "Ex Tax" or the 5-or-more price
    assert price_of(got) == (Decimal("119.00"), "USD", "sale", None)
    assert (got.method, got.profile) == ("profile", "opencart")
    assert (got.title, got.sku) == ("Summit Gear Carbon Trekking Poles", "SG-CTP-2")
    assert {(c.amount, c.kind) for c in got.candidates} == {(Decimal("119.00"), "sale"), (Decimal("149.00"), "list")}


def test_opencart4_in_stock_reads_price_new() -> None:
    html = page("eushop/opencart4_sold_out.html").replace(b"Nicht auf Lager", b"Auf Lager")
    got = extract(html, OPENCART4)
    # not 19.90, the related battery's price
    assert price_of(got) == (Decimal("49.90"), "EUR", "sale", None)
    assert got.sku == "SG-HL400"


def test_opencart4_out_of_stock_is_sold_out() -> None:
    got = extract(page("eushop/opencart4_sold_out.html"), OPENCART4)
    assert (got.status, got.reason, got.profile) == (ExtractionStatus.NO_PRICE, "sold_out", "opencart")
    assert got.title == "Summit Gear Stirnlampe Trail 400"


def test_a_theme_without_the_price_list_is_not_read_as_opencart() -> None:
    # the same page with another theme's price markup: no `<h2>` price list before `div#product`
    html = page("shop/opencart3_special_related.html").replace(b"<h2>$119.00</h2>", b"<b>$119.00</b>")
    assert extract(html, OPENCART3).profile is None


# -- PrestaShop ----------------------------------------------------------------------------------------

PRESTASHOP = "https://www.alpenkiosk.example/en/headlamps/27-trail-headlamp-400.html"


def test_prestashop_product_out_of_stock_is_not_read_at_an_accessorys_price() -> None:
    got = extract(page("eushop/prestashop17_sold_out_accessories.html"), PRESTASHOP)
    # not 9.90, the spare headband listed under "You might also like"
    assert (got.status, got.reason) == (ExtractionStatus.NO_PRICE, "sold_out")
    assert got.title == "Summit Gear Trail Headlamp 400"


def test_prestashop_product_in_stock_keeps_its_own_price() -> None:
    html = page("eushop/prestashop17_sold_out_accessories.html").replace(
        b"schema.org/OutOfStock", b"schema.org/InStock"
    )
    got = extract(html, PRESTASHOP)
    assert price_of(got) == (Decimal("49.00"), "EUR", "sale", None)
    assert (got.method, got.title, got.sku) == ("microdata", "Summit Gear Trail Headlamp 400", "SG-HL400")
    assert got.offers == ()


def test_products_named_as_related_in_json_ld_are_other_products() -> None:
    html = """<html><head><script type="application/ld+json">{"@context": "https://schema.org", "@type": "Product",
    "name": "Summit Gear Trail Headlamp 400", "sku": "SG-HL400",
    "offers": {"@type": "Offer", "price": "49.00", "priceCurrency": "EUR", "availability": "https://schema.org/OutOfStock"},
    "isRelatedTo": [{"@type": "Product", "name": "Summit Gear Spare Headband",
      "offers": {"@type": "Offer", "price": "9.90", "priceCurrency": "EUR"}}]}</script></head><body></body></html>"""
    got = extract(html, PRESTASHOP)
    assert (got.status, got.reason, got.sku) == (ExtractionStatus.NO_PRICE, "sold_out", "SG-HL400")


# -- Shopify: the variant the address selects ------------------------------------------------------------

IMPULSE = "https://harbourandpine.example/products/summit-gear-down-jacket-ridge"


def test_shopify_page_of_a_variant_is_read_at_that_variants_price() -> None:
    got = extract(page("shopify/impulse_variant_offers_no_sku.html"), f"{IMPULSE}?variant=40111111111113")
    # the XL at 209.00, not the M and L at 189.00 (the offers name no sku, only their addresses)
    assert price_of(got) == (Decimal("209.00"), "GBP", "sale", None)
    assert [c.amount for c in got.candidates] == [Decimal("209.0")]


def test_shopify_variant_address_with_tracking_parameters_still_selects_it() -> None:
    url = f"{IMPULSE}?utm_source=feed&variant=40111111111113"
    assert price_of(extract(page("shopify/impulse_variant_offers_no_sku.html"), url))[0] == Decimal("209.00")


def test_shopify_page_without_a_variant_in_its_address_reads_every_offer() -> None:
    got = extract(page("shopify/impulse_variant_offers_no_sku.html"), IMPULSE)
    assert price_of(got) == (Decimal("189.00"), "GBP", "sale", None)
    assert len(got.candidates) == 3
