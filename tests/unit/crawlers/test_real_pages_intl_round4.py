"""Shapes seen on real store pages abroad, fourth round: quantity tiers and grouped products.

Shopware prints its block prices (one price up to 9, a lower one from 50) as microdata offers of one
`AggregateOffer`; a buyer of one pays the first tier's price, not the range from the largest
quantity's. WooCommerce's grouped product sells several products on one page, and its JSON-LD
states the lowest of their prices (of a product out of stock, too) as the group's one price. Each
saved page is trimmed from a real page of its shape, with invented shop and brand names.
"""

from __future__ import annotations

import re
from decimal import Decimal

from saved_pages import page, price_of

from crawlers.extraction import Extraction, ExtractionStatus, extract

# -- quantity tiers ----------------------------------------------------------------------------------

SHOPWARE6 = "https://www.bergwerk-outdoor.example/Trekkingstock-Carbon-Pro-2er-Set/TS-CP-2"


def test_shopware_block_prices_are_read_at_the_price_of_one_unit() -> None:
    got = extract(page("eushop/shopware6_block_prices.html"), SHOPWARE6)
    # not 47.92 (from 50 pieces) as a range up to 59.90
    assert price_of(got) == (Decimal("59.90"), "EUR", "sale", None)
    assert (got.method, got.sku, got.offers) == ("microdata", "TS-CP-2", ())
    # the tiers of larger quantities are no candidates of their own
    assert [c.amount for c in got.candidates] == [Decimal("59.9")]


SHOPWARE5 = """<html><body><div itemscope itemtype="http://schema.org/Product">
<h1 itemprop="name">Summit Gear Stirnlampe USB</h1>
<div itemprop="offers" itemscope itemtype="http://schema.org/AggregateOffer" class="buybox--inner">
  <meta itemprop="priceCurrency" content="EUR">
  <meta itemprop="lowPrice" content="14.99"><meta itemprop="highPrice" content="19.99">
  <meta itemprop="offerCount" content="2">
  <div class="block-prices--container"><table class="block-prices--table"><tbody class="block-prices--body">
    <tr class="block-prices--row is--primary" itemprop="offers" itemscope itemtype="http://schema.org/Offer">
      <td class="block-prices--cell"><meta itemprop="priceCurrency" content="EUR">
        <meta itemprop="price" content="19.99"><link itemprop="availability" href="http://schema.org/InStock">
        bis <span class="block-prices--quantity">11</span></td>
      <td class="block-prices--cell">19,99&nbsp;&euro;&nbsp;*</td></tr>
    <tr class="block-prices--row is--secondary" itemprop="offers" itemscope itemtype="http://schema.org/Offer">
      <td class="block-prices--cell"><meta itemprop="priceCurrency" content="EUR">
        <meta itemprop="price" content="14.99"><link itemprop="availability" href="http://schema.org/InStock">
        ab <span class="block-prices--quantity">12</span></td>
      <td class="block-prices--cell">14,99&nbsp;&euro;&nbsp;*</td></tr>
  </tbody></table></div>
  <span itemprop="sku">SG-HL34</span>
</div></div></body></html>"""


def test_shopware5_block_prices_too() -> None:
    got = extract(SHOPWARE5, "https://www.gipfelshop.example/stirnlampe-usb")
    assert price_of(got) == (Decimal("19.99"), "EUR", "sale", None)


def test_an_aggregate_offer_of_variants_is_still_a_range() -> None:
    # the same microdata without the tier table's rows: variants at two prices, read as before
    plain = SHOPWARE5.replace("block-prices--row", "variant-row")
    assert price_of(extract(plain, "https://www.gipfelshop.example/stirnlampe-usb")) == (
        Decimal("14.99"),
        "EUR",
        "range",
        Decimal("19.99"),
    )


# -- grouped products ----------------------------------------------------------------------------------

GROUPED = "https://ridgeline-outdoor.example/product/trekking-starter-set/"


def grouped_offers(got: Extraction) -> list[tuple[str | None, Decimal | None, str | None]]:
    assert got.status is ExtractionStatus.OK, got.reason
    return [(o.title, o.price.amount if o.price else None, o.price_kind) for o in got.offers]


def test_a_grouped_product_is_read_as_the_products_it_groups() -> None:
    # The JSON-LD's one price, 24.00, is the headlamp's, which is out of stock.
    got = extract(page("woocommerce/grouped_jsonld.html"), GROUPED)
    assert grouped_offers(got) == [
        ("Summit Gear Carbon Trekking Poles (pair)", Decimal("64.00"), "sale"),
        ("Summit Gear Daypack 28 L", Decimal("89.00"), "sale"),
    ]
    poles, daypack = got.offers
    # each is its own product: not the group's SKU, and the struck price stays the poles' list price
    assert {o.sku for o in got.offers} == {None}
    assert Decimal("79.00") in {c.amount for c in poles.candidates if c.kind == "list"}
    assert (poles.offer_key, daypack.offer_key) == ("product-201", "product-203")
    assert poles.seller_name == "Ridgeline Outdoor"
    assert "one of a group" in (poles.why or "")


def test_a_grouped_product_without_json_ld_is_read_by_the_profile() -> None:
    html = re.sub(rb'<script type="application/ld\+json">.*?</script>', b"", page("woocommerce/grouped_jsonld.html"))
    got = extract(html, GROUPED)
    assert grouped_offers(got) == [
        ("Summit Gear Carbon Trekking Poles (pair)", Decimal("64.00"), "sale"),
        ("Summit Gear Daypack 28 L", Decimal("89.00"), "sale"),
    ]
    assert got.method == "profile" and got.profile == "woocommerce"


def test_a_single_price_that_is_none_of_the_groups_lowest_stays_the_price() -> None:
    # structured data that does not state the group's lowest price is not the grouped product's summary
    html = page("woocommerce/grouped_jsonld.html").replace(b'"price":"24.00"', b'"price":"99.00"')
    got = extract(html, GROUPED)
    assert price_of(got) == (Decimal("99.00"), "GBP", "sale", None)
    assert got.offers == ()


def test_every_product_of_a_group_out_of_stock_is_sold_out() -> None:
    html = page("woocommerce/grouped_jsonld.html")
    html = html.replace(b" instock product_cat-trekking shipping", b" outofstock product_cat-trekking shipping")
    html = html.replace(b"schema.org\\/InStock", b"schema.org\\/OutOfStock")
    got = extract(html, GROUPED)
    assert got.status is ExtractionStatus.NO_PRICE and got.reason == "sold_out"


# -- an ended listing whose structured data still states it in stock -------------------------------------

EBAY_URL = "https://www.ebay.com/itm/256598765432"


def test_an_ended_ebay_listing_is_sold_out_whatever_its_json_ld_states() -> None:
    # The JSON-LD says InStock at 30.00; the banner says the seller ended the listing.
    got = extract(page("ebay/item_ended_jsonld.html"), EBAY_URL, site_currency_first=True)
    assert (got.status, got.reason, got.price) == (ExtractionStatus.NO_PRICE, "sold_out", None)
    assert (got.method, got.profile) == ("json-ld", "ebay")
    assert (got.seller_name, got.sku) == ("kitchen_outlet_tx", "256598765432")
    assert "ended" in (got.why or "")


def test_another_banner_leaves_the_json_ld_price() -> None:
    body = (
        page("ebay/item_ended_jsonld.html")
        .decode()
        .replace("This listing was ended by the seller because the item is no longer available.", "12 watchers")
    )
    got = extract(body, EBAY_URL, site_currency_first=True)
    assert price_of(got) == (Decimal("30.00"), "USD", "sale", None)
    assert got.method == "json-ld"


def test_a_page_of_another_platform_is_not_read_for_an_ended_banner() -> None:
    # eBay's banner class on a store served as another platform: the ebay profile is not asked
    got = extract(page("ebay/item_ended_jsonld.html"), EBAY_URL, platform="shopify")
    assert price_of(got)[:2] == (Decimal("30.00"), "USD")


# -- a bundle's range ---------------------------------------------------------------------------------------


def test_a_magento_bundles_from_to_price_is_a_range_with_its_top() -> None:
    # "From $49.00 To $120.00": the Offer holds the From price, the To price is the box's maxPrice
    got = extract(page("shop/magento_bundle_from_to.html"), "https://www.highpass-sports.example/camp-kit.html")
    assert price_of(got) == (Decimal("49.00"), "USD", "range", Decimal("120.00"))
    assert (got.method, got.sku, got.title) == ("microdata", "SG-CAMP-KIT", "Summit Gear Camp Kit")
    assert got.raw_price is not None and got.raw_price.startswith("From ")


def test_an_as_low_as_price_still_has_no_top() -> None:
    got = extract(page("shop/magento_as_low_as.html"), "https://www.highpass-sports.example/jacket.html")
    assert got.price_kind == "range" and got.price_high is None


# -- JSON-LD with capitalized property names ----------------------------------------------------------------

WIX = "https://www.trailheadsupply.example/product-page/summit-gear-usb-headlamp"


def test_wix_json_ld_with_capitalized_properties_is_read() -> None:
    # Wix Stores writes "Offers", "Price" and "Availability": read as structured data, not as page text
    got = extract(page("shop/wix_capitalized_jsonld.html"), WIX)
    assert price_of(got) == (Decimal("23.99"), "USD", "sale", None)
    assert (got.method, got.confidence, got.seller_name, got.sku) == (
        "json-ld",
        Decimal("0.95"),
        "Trailhead Supply",
        "SG-HL34",
    )


def test_wix_json_ld_out_of_stock_is_sold_out() -> None:
    html = page("shop/wix_capitalized_jsonld.html").replace(b"schema.org/InStock", b"schema.org/OutOfStock")
    got = extract(html, WIX)
    assert (got.status, got.reason) == (ExtractionStatus.NO_PRICE, "sold_out")


def test_an_ended_ebay_listing_with_variations_in_its_json_ld_is_sold_out() -> None:
    # a multi-variation listing: one Offer per variation, each stated in stock, on a page that has ended
    variations = (
        '"offers":[{"@type":"Offer","sku":"SKILLET-10","priceCurrency":"USD","price":"25.00",'
        '"availability":"https://schema.org/InStock"},{"@type":"Offer","sku":"SKILLET-12","priceCurrency":"USD",'
        '"price":"30.00","availability":"https://schema.org/InStock"}]'
    )
    html = re.sub(r'"offers":\{[^}]*\}', variations, page("ebay/item_ended_jsonld.html").decode(), count=1)
    assert '"sku":"SKILLET-10"' in html
    got = extract(html, EBAY_URL, site_currency_first=True)
    assert (got.status, got.reason, got.offers) == (ExtractionStatus.NO_PRICE, "sold_out", ())
    assert (got.profile, got.seller_name) == ("ebay", "kitchen_outlet_tx")
    # the same listing still on sale gives both variations
    live = html.replace("This listing was ended by the seller because the item is no longer available.", "")
    assert [o.sku for o in extract(live, EBAY_URL, site_currency_first=True).offers] == ["SKILLET-10", "SKILLET-12"]
