"""Shapes seen on store pages abroad (2024–2025 markup), eighth round.

Shopify writes the product's cheapest variant's price into `og:price:amount` on every variant's page, so
on a theme without JSON-LD that tag is a "from" price once the variants cost different amounts.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from saved_pages import html, price_of, replaced

from crawlers.extraction import ExtractionStatus, extract

# -- Shopify Dawn: the price tag states the cheapest variant -------------------------------------------------

DAWN = "https://harbourandpine.example/products/summit-gear-grid-fleece"
XL_STATE = '"price":5900,"name":"Summit Gear Grid Fleece - L"'


def dawn_priced_apart(selected: str | None = None) -> str:
    """The Dawn fleece whose size L costs £69.00 (S and M £59.00); `og:price:amount` stays 59.00, the
    cheapest variant's. At L's `?variant=` address the price box and the selected variant are L's."""
    body = replaced(html("shopify/dawn_on_sale_no_jsonld.html"), XL_STATE, XL_STATE.replace("5900", "6900"))
    if selected == "L":
        body = replaced(
            body,
            '<span class="price-item price-item--sale price-item--last">£59.00 GBP',
            '<span class="price-item price-item--sale price-item--last">£69.00 GBP',
        )
        body = replaced(
            body, '{"id":42000000000211,"title":"S","option1":"S"', '{"id":42000000000213,"title":"L","option1":"L"'
        )
    return body


def test_shopify_price_tag_beside_variants_priced_apart_gives_one_offer_per_variant() -> None:
    got = extract(dawn_priced_apart(), DAWN)
    # not £59.00 for the whole product: L sells at £69.00 and is matched to its own SKU
    assert [(o.sku, o.price and o.price.amount, o.price_kind) for o in got.offers] == [
        ("SG-GF-S", Decimal("59.00"), "sale"),
        ("SG-GF-M", Decimal("59.00"), "sale"),
        ("SG-GF-L", Decimal("69.00"), "sale"),
    ]
    assert (got.method, got.profile) == ("profile", "shopify")
    assert all(o.seller_name == "Harbour & Pine" for o in got.offers)
    assert "cheapest variant" in (got.why or "")


def test_shopify_price_tag_at_a_dearer_variants_address_is_that_variants_price() -> None:
    got = extract(dawn_priced_apart("L"), f"{DAWN}?variant=42000000000213")
    assert price_of(got) == (Decimal("69.00"), "GBP", "sale", None)
    assert (got.sku, got.profile, got.offers) == ("SG-GF-L", "shopify", ())


def test_shopify_price_tag_stands_when_every_variant_costs_its_amount() -> None:
    got = extract(html("shopify/dawn_on_sale_no_jsonld.html"), f"{DAWN}?variant=42000000000213")
    assert price_of(got) == (Decimal("59.00"), "GBP", "sale", None)
    assert (got.method, got.offers) == ("opengraph", ())


def test_shopify_price_tag_stands_beside_a_state_that_disagrees_with_it() -> None:
    # a variant below the tag's "cheapest" price: the page contradicts itself, the tag is kept
    body = replaced(html("shopify/dawn_on_sale_no_jsonld.html"), XL_STATE, XL_STATE.replace("5900", "4900"))
    got = extract(body, DAWN)
    assert price_of(got) == (Decimal("59.00"), "GBP", "sale", None)
    assert got.method == "opengraph"


# -- Etsy: "$45.00+" is the cheapest of the variations' prices -------------------------------------------

ETSY = "https://www.etsy.com/uk/listing/1122334455/linen-table-runner"
ETSY_PRICE = "£19.20</p>"


@pytest.mark.parametrize("shown", ["£19.20+</p>", "£19.20+</p><span>Loading</span>", "£19.20 +</p>"])
def test_etsy_price_with_a_plus_is_a_from_price(shown: str) -> None:
    # a listing whose variations cost different amounts shows its cheapest and a "+": the size the
    # reseller sells may cost more, so the amount is recorded as a range, never judged as the price
    body = replaced(html("shop/buy_box_cart_region.html"), ETSY_PRICE, shown)
    got = extract(body, ETSY, site_currency_first=True)
    assert price_of(got) == (Decimal("19.20"), "GBP", "range", None)
    assert got.raw_price == "£19.20+"


@pytest.mark.parametrize("shown", ["£19.20 + VAT</p>", "£19.20 + £3.50 delivery</p>", "£19.20</p><p>+ VAT</p>"])
def test_a_plus_that_adds_a_tax_or_a_fee_is_no_from_price(shown: str) -> None:
    body = replaced(html("shop/buy_box_cart_region.html"), ETSY_PRICE, shown)
    got = extract(body, ETSY, site_currency_first=True)
    assert price_of(got) == (Decimal("19.20"), "GBP", "sale", None)


# -- PrestaShop: a sold-out product keeps its identity --------------------------------------------------------


def test_sold_out_product_beside_a_price_tag_keeps_its_sku() -> None:
    # the microdata product says OutOfStock; the page's og price tag makes a second product, and the
    # observation of "sold out" still names the product's sku, so the listing stays matched by it
    got = extract(
        html("eushop/prestashop17_sold_out_accessories.html"),
        "https://www.alpenkiosk.example/en/headlamps/27-trail-headlamp-400.html",
    )
    assert (got.status, got.reason) == (ExtractionStatus.NO_PRICE, "sold_out")
    assert (got.title, got.sku) == ("Summit Gear Trail Headlamp 400", "SG-HL400")
