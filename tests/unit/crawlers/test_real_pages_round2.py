"""Shapes seen on real store pages, second round: what a buyer pays, read the way the page means it.

Each saved page is trimmed from a real page of its shape, with invented shop and brand names.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from saved_pages import page

from crawlers.extraction import ExtractionStatus, extract

LISTING = "https://maplefield.invalid/es/listing/550000001/felpudo-hola-calabaza"


def test_an_aggregate_offer_of_one_price_is_a_price_not_a_range() -> None:
    # Marketplace listings write every offer as an AggregateOffer; lowPrice == highPrice is one price.
    got = extract(page("shop/aggregate_offer_one_price.html"), LISTING)
    assert got.status is ExtractionStatus.OK
    assert got.price is not None
    assert (got.price.amount, got.price.currency) == (Decimal("43.90"), "EUR")
    assert (got.price_kind, got.price_high) == ("sale", None)
    assert got.method == "json-ld"
    assert got.confidence == Decimal("0.95")
    assert [(c.amount, c.currency, c.kind, c.high) for c in got.candidates] == [(Decimal("43.90"), "EUR", "sale", None)]


def test_the_other_currency_beside_the_structured_price_is_not_read() -> None:
    # The OpenGraph price is in the shop's currency (USD, "48,00"); the JSON-LD's EUR price is the one shown.
    got = extract(page("shop/aggregate_offer_one_price.html"), LISTING)
    assert {c.currency for c in got.candidates} == {"EUR"}
    assert got.offers == ()


def test_an_aggregate_offer_range_keeps_its_top() -> None:
    got = extract(page("shop/aggregate_offer.html"), "https://mall.example.com/item/ow-s")
    assert got.price is not None and got.price.amount == Decimal("1099")
    assert (got.price_kind, got.price_high) == ("range", Decimal("1399.00"))
    assert got.candidates[0].high == Decimal("1399.00")
    assert got.confidence == Decimal("0.80")


def test_an_aggregate_offer_without_a_top_is_a_from_price() -> None:
    html = """<script type="application/ld+json">{"@type": "Product", "name": "OneWatch S",
      "offers": {"@type": "AggregateOffer", "lowPrice": "1099", "priceCurrency": "CNY"}}</script>"""
    got = extract(html, "https://mall.example.com/item/ow-s")
    assert got.price is not None and got.price.amount == Decimal("1099")
    assert (got.price_kind, got.price_high) == ("range", None)


STOREFRONT = "https://ridgeline.invalid/new/the-kestrel-long-sleeve-shirt-RLWF60J6GP.html"


def test_a_structured_price_written_with_its_sign_is_in_that_currency() -> None:
    # Microdata "£49.00" / "£70.00" and no priceCurrency: pounds, not the brand's default currency.
    got = extract(page("shop/microdata_aggregate_pound_sign.html"), STOREFRONT)
    assert got.status is ExtractionStatus.OK
    assert got.price is not None
    assert (got.price.amount, got.price.currency) == (Decimal("49.00"), "GBP")
    assert (got.price_kind, got.price_high) == ("range", Decimal("70.00"))
    assert got.method == "microdata"
    assert got.raw_price == "£49.00-£70.00"
    # the sign named the currency: no guessed-currency penalty (0.90 - 0.15 for the range)
    assert got.confidence == Decimal("0.75")
    assert got.title == "THE KESTREL LONG SLEEVE SHIRT"
    # the store's style code in productID is no GTIN
    assert got.gtin is None


def test_a_structured_price_without_sign_or_currency_is_still_the_brands() -> None:
    html = """<div itemscope itemtype="http://schema.org/Product"><span itemprop="name">OneWatch S</span>
      <div itemprop="offers" itemscope itemtype="http://schema.org/Offer">
        <span itemprop="price">1099.00</span></div></div>"""
    got = extract(html, "https://mall.example.com/item/ow-s")
    assert got.price is not None
    assert (got.price.amount, got.price.currency) == (Decimal("1099.00"), "CNY")
    assert got.confidence == Decimal("0.80")  # 0.90 less the guessed-currency penalty


def test_a_product_id_that_is_an_ean_is_the_gtin_and_the_carousel_is_not_read() -> None:
    got = extract(
        page("shop/microdata_ean_product_id.html"), "https://ridgeline.invalid/new/the-falcon-checked-shirt.html"
    )
    assert got.status is ExtractionStatus.OK
    assert got.price is not None
    assert (got.price.amount, got.price.currency) == (Decimal("42.00"), "GBP")
    assert got.gtin == "4006381333931"
    assert got.title == "THE FALCON CHECKED SHIRT"
    # the recommended shirt's £38.50 offer is another product's, nested in this one
    assert got.offers == ()
    assert {c.amount for c in got.candidates} == {Decimal("42.00")}


def test_a_product_id_with_a_wrong_check_digit_is_no_gtin() -> None:
    html = """<div itemscope itemtype="http://schema.org/Product"><span itemprop="name">OneWatch S</span>
      <span itemprop="productID">4006381333932</span>
      <div itemprop="offers" itemscope itemtype="http://schema.org/Offer">
        <span itemprop="price">1099.00</span><meta itemprop="priceCurrency" content="CNY"></div></div>"""
    got = extract(html, "https://mall.example.com/item/ow-s")
    assert got.price is not None and got.price.amount == Decimal("1099.00")
    assert got.gtin is None


MARKETPLACE = "https://northfork-market.invalid/uae-en/the-quiet-summit-paperback/N23700001A/p/"


def test_a_discount_badge_in_the_price_box_is_not_read_into_the_price() -> None:
    # "48.77" then "11%" in the same box: the price is 48.77, not 48 (read from "48.7711%").
    got = extract(page("marketplace/price_box_discount_badge.html"), MARKETPLACE, default_currency="AED")
    assert got.status is ExtractionStatus.OK
    assert got.price is not None
    assert (got.price.amount, got.price.currency) == (Decimal("48.77"), "AED")
    assert got.raw_price == "48.77"
    assert got.method == "text"
    # the struck " 55" is no candidate either
    assert {c.amount for c in got.candidates} == {Decimal("48.77")}


@pytest.mark.parametrize(
    ("badge", "price"),
    [("-20%", "79.00"), ("20 % off", "79.00"), ("Save", "79.00")],
)
def test_percent_badges_beside_a_price(badge: str, price: str) -> None:
    html = f"<div class='price-box'><span class='now'>€79.00</span><span class='tag'>{badge}</span></div>"
    got = extract(html, "https://shop.example.com/p/1")
    assert got.price is not None and got.price.amount == Decimal(price)
    assert got.price.currency == "EUR"


def test_a_percentage_with_a_price_in_the_same_element_is_kept() -> None:
    # only an element holding nothing but a percentage is a badge
    html = "<div class='price'><span>€79.00 (20% off)</span></div>"
    got = extract(html, "https://shop.example.com/p/1")
    assert got.price is not None and got.price.amount == Decimal("79.00")


def test_amazon_ae_book_buy_box_not_the_other_sellers_from_price() -> None:
    got = extract(page("amazon/detail_ae_book_odf_seller.html"), "https://www.amazon.ae/dp/1847900012")
    assert got.status is ExtractionStatus.OK
    assert got.profile == "amazon-product"
    assert got.price is not None
    assert (got.price.amount, got.price.currency) == (Decimal("55.00"), "AED")
    assert got.price_kind == "sale"
    assert got.seller_name == "Amazon.ae"
    assert got.sku == "1847900012"
    assert got.title == "The Quiet Summit: the million-copy mountain novel"
    # the list price is kept; the other sellers' "from" AED 41.94 and the promotion's AED 100 are not read
    assert {(c.amount, c.kind) for c in got.candidates} == {(Decimal("55.00"), "sale"), (Decimal("77.69"), "list")}
    assert got.shipping is None
