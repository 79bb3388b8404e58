"""Shapes seen on real store pages abroad, third round: VAT, the site's currency, prices that are not on offer.

A price stated without VAT is not what a consumer pays where prices include it; a sign several
currencies write ("$", "¥", "kr", "Rs") is the currency of the site's country; a price shown only in
the cart or on an ended listing is no price; a product group is named by the variant on sale; Magento's
"As low as" is a from price. Each saved page is trimmed from a real page of its shape, with invented
shop and brand names.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import pytest
from saved_pages import page, price_of

from crawlers.extraction import ExtractionStatus, extract


def jsonld(data: dict[str, Any], body: str = "") -> str:
    return (
        f'<html><head><script type="application/ld+json">{json.dumps(data)}</script></head><body>{body}</body></html>'
    )


# -- VAT ----------------------------------------------------------------------------------------------


def test_the_offer_with_vat_is_read_not_the_cheaper_one_without() -> None:
    # BigCommerce prints one microdata offer with GST and one without, each with its priceSpecification.
    got = extract(
        page("shop/bigcommerce_inc_ex_gst.html"), "https://www.southerncross-audio.com.au/studio-monitor-pair-s8/"
    )
    assert price_of(got) == (Decimal("1299.00"), "AUD", "sale", None)
    assert (got.method, got.confidence) == ("microdata", Decimal("0.90"))
    # the price without GST is no candidate either
    assert [c.amount for c in got.candidates] == [Decimal("1299")]


def test_a_structured_net_price_alone_leaves_the_price_to_what_the_page_shows() -> None:
    # The JSON-LD states only the net price (`valueAddedTaxIncluded: false`); the page shows the gross one.
    got = extract(
        page("eushop/jsonld_net_price.html"), "https://www.laborbedarf-kraus.de/artikel/magnetruehrer-mr-3000"
    )
    assert price_of(got) == (Decimal("1299.00"), "EUR", "sale", None)
    assert got.method == "text" and got.confidence == Decimal("0.60")  # not the structured data's 0.95
    # what the JSON-LD says of the product still counts
    assert (got.sku, got.gtin, got.seller_name) == ("MR-3000", "4012345678901", "Laborbedarf Kraus")


def net_offer(currency: str, **offer: Any) -> dict[str, Any]:
    spec = {"@type": "UnitPriceSpecification", "price": "1091.60", "priceCurrency": currency}
    return {
        "@type": "Product",
        "name": "Magnetic Stirrer MR 3000",
        "offers": {
            "@type": "Offer",
            "price": "1091.60",
            "priceCurrency": currency,
            "priceSpecification": {**spec, "valueAddedTaxIncluded": False},
            **offer,
        },
    }


def test_a_net_price_is_the_shelf_price_only_where_shelf_prices_leave_tax_out() -> None:
    url = "https://lab-supply.invalid/p/mr-3000"
    # In US dollars a price "without tax" is the shelf price: sales tax is added at the till.
    assert price_of(extract(jsonld(net_offer("USD")), url)) == (Decimal("1091.60"), "USD", "sale", None)
    assert extract(jsonld(net_offer("USD")), url).confidence == Decimal("0.95")
    # In euros it is not what a consumer pays; with nothing else on the page there is no price,
    got = extract(jsonld(net_offer("EUR")), url)
    assert (got.status, got.reason, got.price) == (ExtractionStatus.NO_PRICE, "no_price_found", None)
    # and a net offer stated sold out still says the product is sold out.
    sold_out = extract(jsonld(net_offer("EUR", availability="https://schema.org/OutOfStock")), url)
    assert (sold_out.status, sold_out.reason) == (ExtractionStatus.NO_PRICE, "sold_out")


def test_a_net_offer_price_beside_a_specification_with_vat_gives_the_gross_price() -> None:
    data = net_offer("EUR")
    gross = {
        "@type": "UnitPriceSpecification",
        "price": "1299.00",
        "priceCurrency": "EUR",
        "valueAddedTaxIncluded": True,
    }
    data["offers"]["priceSpecification"] = [data["offers"]["priceSpecification"], gross]
    got = extract(jsonld(data), "https://lab-supply.invalid/p/mr-3000")
    assert price_of(got) == (Decimal("1299.00"), "EUR", "sale", None)
    assert got.method == "json-ld"


# -- the currency of the site's country -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "url", "expected"),
    [
        # "¥1,299（税込）" on a Japanese shop: yen, not yuan.
        ("shop/text_yen_jp.html", "https://www.zakka-hinata.jp/items/64f0a1b2c3", (Decimal("1299"), "JPY")),
        # "$89.99" on a .ca shop ("GST/HST extra"): Canadian dollars.
        (
            "shop/text_dollar_ca.html",
            "https://www.maple-trail-outfitters.ca/products/merino-base-layer",
            (Decimal("89.99"), "CAD"),
        ),
        # "Rs. 1,299" beside the struck "MRP: Rs. 1,999": rupees.
        (
            "shop/text_rupees_in.html",
            "https://www.desi-threads.in/products/handloom-cotton-kurta",
            (Decimal("1299.00"), "INR"),
        ),
        # "1 299 kr" (no-break spaces) on a .se shop: Swedish kronor.
        (
            "eushop/text_kronor_se.html",
            "https://www.hemochtradgard.se/produkt/tradgardsstol-ek",
            (Decimal("1299.00"), "SEK"),
        ),
    ],
)
def test_a_sign_several_currencies_write_is_the_one_of_the_sites_country(
    name: str, url: str, expected: tuple[Decimal, str]
) -> None:
    # As a crawl reads pages: the site's currency first, the brand's (here USD) when the site's is not known.
    got = extract(page(name), url, default_currency="USD", site_currency_first=True)
    assert price_of(got)[:3] == (*expected, "sale")
    assert got.method == "text"


@pytest.mark.parametrize(
    ("price", "url", "currency"),
    [
        ("1 299 kr", "https://mobler.invalid.no/p/1", "NOK"),
        ("1.299 kr.", "https://mobler.invalid.dk/p/1", "DKK"),
        ("kr 1.299,00", "https://mobler.invalid.se/p/1", "SEK"),
        ("$1,299.00", "https://outdoor.invalid.com.au/p/1", "AUD"),
        ("₨ 1,299", "https://bazaar.invalid.pk/p/1", "PKR"),
    ],
)
def test_the_country_code_domain_names_the_currency_of_a_shared_sign(price: str, url: str, currency: str) -> None:
    got = extract(f"<h1>Chair</h1><div class='price'>{price}</div>", url, site_currency_first=True)
    assert price_of(got)[1] == currency


def test_a_sign_of_one_currency_and_the_brands_currency_still_count() -> None:
    def currency(price: str, url: str, **options: Any) -> str:
        return price_of(extract(f"<h1>Chair</h1><div class='price'>{price}</div>", url, **options))[1]

    # an ISO code or a sign of one currency wins over the site's country
    assert currency("1 299 EUR", "https://mobler.invalid.se/p/1", site_currency_first=True) == "EUR"
    assert currency("€ 1.299,00", "https://mobler.invalid.se/p/1", site_currency_first=True) == "EUR"
    assert currency("US$ 89.99", "https://outfitters.invalid.ca/p/1", site_currency_first=True) == "USD"
    # ¥ is yuan on a Chinese host and where nothing says otherwise, yen for a brand working in yen
    assert currency("¥1,299", "https://shop.invalid.cn/p/1", site_currency_first=True) == "CNY"
    assert currency("¥1,299", "https://shop.example.com/p/1", site_currency_first=True) == "CNY"
    assert currency("¥1,299", "https://shop.example.com/p/1", default_currency="JPY", site_currency_first=True) == "JPY"
    # "kr" where the site says nothing: the brand's kronor, else Swedish ones; "Rs": rupees
    assert currency("1 299 kr", "https://shop.example.com/p/1", default_currency="NOK") == "NOK"
    assert currency("1 299 kr", "https://shop.example.com/p/1", default_currency="USD") == "SEK"
    assert currency("Rs. 1,299", "https://shop.example.com/p/1", default_currency="USD") == "INR"


# -- prices that are not on offer -----------------------------------------------------------------------

AMAZON_URL = "https://www.amazon.com/dp/B0BQ7R8S9T"


def test_amazon_price_shown_only_in_the_cart_is_no_price_not_the_list_price() -> None:
    # MAP: "See price in cart" where the price would be; only the struck "List Price: $399.99" is shown.
    body = page("amazon/detail_price_in_cart.html").decode()
    got = extract(body, AMAZON_URL, site_currency_first=True)
    assert (got.status, got.reason, got.price) == (ExtractionStatus.NO_PRICE, "price_in_cart", None)
    assert got.profile == "amazon-product"
    assert Decimal("399.99") not in {c.amount for c in got.candidates}
    assert (got.seller_name, got.sku) == ("Amazon.com", "B0BQ7R8S9T")
    # Without the "price in cart" row and sentence, the list price alone is read as before (a list price).
    shown = re.sub(r"<tr><td[^>]*>Price:</td>.*?</tr>", "", body, flags=re.DOTALL)
    shown = shown.replace("To see our price, add this item to your cart. You can always remove it later.", "")
    listed = extract(shown, AMAZON_URL, site_currency_first=True)
    assert price_of(listed) == (Decimal("399.99"), "USD", "list", None)


EBAY_URL = "https://www.ebay.com/itm/256598765432"
EBAY_BANNER = "This listing was ended by the seller because the item is no longer available."


@pytest.mark.parametrize(
    "banner",
    [
        EBAY_BANNER,
        "This listing has ended.",
        "Bidding has ended on this item.",
        "This listing sold on Sun, Jun 02 at 8:14 AM.",
        "Dieses Angebot wurde vom Verkäufer beendet, da der Artikel nicht mehr verfügbar ist.",
    ],
)
def test_an_ended_ebay_listing_is_no_live_offer(banner: str) -> None:
    body = page("ebay/item_ended.html").decode().replace(EBAY_BANNER, banner)
    got = extract(body, EBAY_URL, site_currency_first=True)
    assert (got.status, got.reason, got.price) == (ExtractionStatus.NO_PRICE, "sold_out", None)
    assert (got.profile, got.seller_name, got.sku) == ("ebay", "kitchen_outlet_tx", "256598765432")


def test_another_ebay_status_message_leaves_the_listing_on_sale() -> None:
    body = (
        page("ebay/item_ended.html")
        .decode()
        .replace(EBAY_BANNER, "People are checking this out. 12 have it in their carts.")
    )
    got = extract(body, EBAY_URL, site_currency_first=True)
    assert price_of(got) == (Decimal("30.00"), "USD", "sale", None)
    # the same page with its banner is sold out (the test above): the banner is what tells them apart
    assert extract(page("ebay/item_ended.html"), EBAY_URL, site_currency_first=True).reason == "sold_out"


# -- a product group and its variants -------------------------------------------------------------------


def test_a_product_group_is_named_by_its_variant_on_sale_not_the_first_sold_out_one() -> None:
    # Shopify's ProductGroup: "Set of 2" (30.00) sold out, "Set of 4" (54.00) in stock and selected.
    got = extract(
        page("shopify/product_group_first_sold_out.html"), "https://www.kettleandcrumb.co/products/stoneware-mug-set"
    )
    assert price_of(got) == (Decimal("54.00"), "USD", "sale", None)
    assert got.sku == "SMS-4"
    assert (got.method, got.seller_name) == ("json-ld", "Kettle & Crumb")
    assert got.offers == ()


def mug_variants(**extra: Any) -> list[dict[str, Any]]:
    """A mug set's two variants as JSON-LD Products: "Set of 2" sold out, "Set of 4" on sale."""
    return [
        {
            "@type": "Product",
            **extra,
            "sku": sku,
            "gtin13": gtin,
            "name": f"Stoneware Mug Set - {size}",
            "offers": {"@type": "Offer", "price": price, "priceCurrency": "USD", "availability": stock},
        }
        for sku, gtin, size, price, stock in (
            ("SMS-2", "4006381333931", "Set of 2", "30.00", "https://schema.org/OutOfStock"),
            ("SMS-4", "5901234123457", "Set of 4", "54.00", "https://schema.org/InStock"),
        )
    ]


def test_variants_naming_their_group_are_named_by_the_one_on_sale() -> None:
    group = {"@type": "ProductGroup", "@id": "#mugs", "name": "Stoneware Mug Set", "productGroupID": "SMS"}
    variants = mug_variants(isVariantOf={"@id": "#mugs"})
    got = extract(
        jsonld({"@context": "https://schema.org", "@graph": [group, *variants]}), "https://mugs.invalid/p/sms"
    )
    assert price_of(got) == (Decimal("54.00"), "USD", "sale", None)
    assert (got.sku, got.gtin) == ("SMS-4", "5901234123457")


# -- Magento's "As low as" -------------------------------------------------------------------------------


def test_magento_as_low_as_is_a_from_price() -> None:
    # A configurable product's microdata price is its cheapest size's (S 45.00, M 52.00, L 60.00).
    got = extract(
        page("shop/magento_as_low_as.html"), "https://www.trailhead-outfitters.com/trailhead-softshell-jacket.html"
    )
    assert price_of(got) == (Decimal("45.00"), "USD", "range", None)
    assert got.method == "microdata"
    assert got.raw_price == "As low as $45.00 USD"
    assert got.confidence == Decimal("0.75")  # 0.90 less the range penalty


def test_magento_special_price_label_stays_a_point_price() -> None:
    body = page("shop/magento_as_low_as.html").decode()
    special = body.replace(
        '<span class="price-label">As low as</span>', '<span class="price-label">Special Price</span>'
    )
    got = extract(special, "https://www.trailhead-outfitters.com/trailhead-softshell-jacket.html")
    assert price_of(got) == (Decimal("45.00"), "USD", "sale", None)
    # the page as served reads the label (the test above)
    assert extract(body, "https://www.trailhead-outfitters.com/x.html").price_kind == "range"


def test_a_group_with_a_sku_of_its_own_is_named_by_the_chosen_variant() -> None:
    variants = mug_variants()
    group = {"@type": "ProductGroup", "name": "Stoneware Mug Set", "sku": "SMS", "hasVariant": variants}
    got = extract(jsonld({"@context": "https://schema.org", **group}), "https://mugs.invalid/p/sms")
    assert price_of(got) == (Decimal("54.00"), "USD", "sale", None)
    assert (got.sku, got.gtin) == ("SMS-4", "5901234123457")


def test_ebay_shipping_with_a_conversion_for_the_visitor_is_the_fee_charged() -> None:
    # A UK seller's listing seen on ebay.com: "GBP 12.00 (approx US $15.24)" beside "GBP 49.99".
    html = """<html><body><h1 class="x-item-title__mainTitle"><span>Marine Battery</span></h1>
      <div class="x-price-primary"><span class="ux-textspans">GBP 49.99</span></div>
      <div class="x-price-approx"><span class="x-price-approx__price">US $63.50</span></div>
      <div class="ux-labels-values--shipping"><div class="ux-labels-values__values-content"><div>
      <span class="ux-textspans ux-textspans--BOLD">GBP 12.00 (approx US $15.24)</span>
      <span class="ux-textspans"> Economy International Shipping.</span></div></div></div>
      <div class="x-sellercard-atf__info__about-seller"><span class="ux-textspans">yorkshire_marine</span></div>
      </body></html>"""
    got = extract(html, "https://www.ebay.com/itm/296612345678")
    assert price_of(got) == (Decimal("49.99"), "GBP", "sale", None)
    assert got.profile == "ebay"
    assert got.shipping is not None and (got.shipping.amount, got.shipping.currency) == (Decimal("12.00"), "GBP")
