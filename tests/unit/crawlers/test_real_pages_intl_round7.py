"""Shapes seen on Amazon and eBay product pages abroad (2024–2025 markup), seventh round.

A buy box that sells only used copies shows the used price in the centre column's price block too: it is
no price of the product. An eBay auction's current bid is a "from" price whether the page states it in
JSON-LD or not. Each saved page is trimmed from a real page of its shape, with invented seller and brand
names; the small inline pages check shapes the profiles already read right, so that they stay right.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from saved_pages import amounts, page, price_of

from crawlers.extraction import ExtractionStatus, extract

# -- Amazon: a used-only buy box --------------------------------------------------------------------------

USED_ONLY = "https://www.amazon.com/Cedarline-Pour-Over-Coffee-Kettle-Gooseneck/dp/B0CDRKTL10/ref=sr_1_3"


def test_amazon_used_only_buy_box_is_no_price_of_the_product() -> None:
    got = extract(page("amazon/detail_used_only_buybox.html"), USED_ONLY, site_currency_first=True)
    # the centre column's $41.37 is the used offer's ("Buy used:"), not a price of the new product
    assert (got.status, got.reason, got.profile) == (ExtractionStatus.NO_PRICE, "used_only", "amazon-product")
    assert got.price is None and not got.candidates
    assert (got.sku, got.title) == ("B0CDRKTL10", "Cedarline Pour-Over Coffee Kettle 1.0 L, Gooseneck, Matte Black")


def test_amazon_used_section_beside_a_new_offer_is_not_used_only() -> None:
    body = page("amazon/detail_used_only_buybox.html").replace(
        b'<div id="usedOnlyBuybox" class="a-section">', b'<div id="newBuySection"></div><div class="a-section">'
    )
    got = extract(body, USED_ONLY, site_currency_first=True)
    assert price_of(got) == (Decimal("41.37"), "USD", "sale", None)
    assert {c.kind: c.amount for c in got.candidates} == {"sale": Decimal("41.37"), "list": Decimal("69.99")}


def test_amazon_used_buy_section_alone_is_used_only_too() -> None:
    body = page("amazon/detail_used_only_buybox.html").replace(b'id="usedOnlyBuybox"', b'id="buyBoxInner"')
    got = extract(body, USED_ONLY, site_currency_first=True)
    assert (got.status, got.reason) == (ExtractionStatus.NO_PRICE, "used_only")


# -- Amazon: shapes already read right --------------------------------------------------------------------


def amazon_page(center: str, buybox: str = "") -> str:
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>Amazon: Cedarline Kettle</title></head><body>
<div id="dp"><div id="ppd"><div id="centerCol"><h1 id="title"><span id="productTitle">Cedarline Kettle</span></h1>
<div id="apex_desktop"><div id="corePriceDisplay_desktop_feature_div">{center}</div></div></div>
<div id="rightCol"><div id="desktop_buybox"><div id="buybox">{buybox}
<input type="hidden" id="ASIN" name="ASIN" value="B0CDRKTL10"></div></div></div></div></div>
<div id="sims-consolidated-2_feature_div"><span class="a-price"><span class="a-offscreen">9,99 €</span></span></div>
</body></html>"""


def to_pay(text: str) -> str:
    return (
        f'<span class="a-price aok-align-center reinventPricePriceToPayMargin priceToPay" data-a-size="xl">'
        f'<span class="a-offscreen">{text}</span><span aria-hidden="true">{text}</span></span>'
    )


def struck(label: str, text: str) -> str:
    return (
        f'<span class="a-size-small a-color-secondary basisPrice">{label} <span class="a-price a-text-price"'
        f' data-a-strike="true"><span class="a-offscreen">{text}</span></span></span>'
    )


@pytest.mark.parametrize(
    ("url", "shown", "was", "expected"),
    [
        ("https://www.amazon.com/dp/B0CDRKTL10", "$33.99", "$39.99", (Decimal("33.99"), "USD")),
        ("https://www.amazon.de/dp/B0CDRKTL10", "29,99 €", "1.299,00 €", (Decimal("29.99"), "EUR")),
        (
            "https://www.amazon.fr/dp/B0CDRKTL10",
            "1\u202f049,00\u00a0€",
            "1\u202f299,00\u00a0€",
            (Decimal("1049.00"), "EUR"),
        ),
        ("https://www.amazon.it/dp/B0CDRKTL10", "29,99 €", "34,90 €", (Decimal("29.99"), "EUR")),
        ("https://www.amazon.co.jp/dp/B0CDRKTL10", "￥3,980", "￥4,980", (Decimal("3980"), "JPY")),
        ("https://www.amazon.com.au/dp/B0CDRKTL10", "$49.00", "$59.00", (Decimal("49.00"), "AUD")),
    ],
)
def test_amazon_price_to_pay_in_each_site_format(url: str, shown: str, was: str, expected: tuple[Decimal, str]) -> None:
    # the "-15%" savings badge, the struck "Typical price" and the GST note are not the price
    center = (
        '<span class="savingsPercentage">-15%</span>'
        + to_pay(shown)
        + struck("Typical price:", was)
        + '<span class="a-size-small">Price includes GST</span>'
    )
    got = extract(amazon_page(center), url, site_currency_first=True)
    assert price_of(got) == (*expected, "sale", None)
    assert [c.kind for c in got.candidates] == ["sale", "list"]
    assert (got.profile, got.sku) == ("amazon-product", "B0CDRKTL10")


def test_amazon_coupon_checkbox_is_not_the_price() -> None:
    coupon = (
        '<div id="promoPriceBlockMessage_feature_div"><span class="a-color-success">Coupon:</span>'
        '<label for="checkboxpctch"><input type="checkbox" id="checkboxpctch"><span id="couponTextpctch">'
        "Apply $5 coupon</span></label></div>"
    )
    got = extract(
        amazon_page(to_pay("$33.99")).replace("</h1>", "</h1>" + coupon), "https://www.amazon.com/dp/B0CDRKTL10"
    )
    assert price_of(got) == (Decimal("33.99"), "USD", "sale", None)
    assert amounts(got) == {Decimal("33.99")}


def test_amazon_page_without_a_featured_offer_has_no_buy_box_price() -> None:
    buybox = (
        '<div id="unqualifiedBuyBox"><div id="buybox-see-all-buying-choices"><a class="a-button-text"'
        ' href="/gp/offer-listing/B0CDRKTL10">See All Buying Options</a></div></div>'
        '<a id="aod-ingress-link">New (5) from <span class="a-price"><span class="a-offscreen">$23.99</span></span></a>'
    )
    got = extract(amazon_page("", buybox), "https://www.amazon.com/dp/B0CDRKTL10", site_currency_first=True)
    assert (got.status, got.reason, got.profile) == (ExtractionStatus.NO_PRICE, "no_price_found", "amazon-product")


def test_amazon_currently_unavailable_is_sold_out() -> None:
    buybox = (
        '<div id="outOfStockBuyBox_feature_div"><div id="outOfStock"><span class="a-color-price a-text-bold">'
        "Currently unavailable.</span> We don't know when or if this item will be back in stock.</div></div>"
    )
    got = extract(amazon_page("", buybox), "https://www.amazon.com/dp/B0CDRKTL10", site_currency_first=True)
    assert (got.status, got.reason, got.sku) == (ExtractionStatus.NO_PRICE, "sold_out", "B0CDRKTL10")


# -- eBay: an auction ------------------------------------------------------------------------------------

AUCTION = "https://www.ebay.com/itm/146600055577"


def test_ebay_auction_read_from_json_ld_is_a_from_price() -> None:
    got = extract(page("ebay/item_auction_jsonld.html"), AUCTION, site_currency_first=True)
    # JSON-LD states the current bid as the offer's price: the item sells for more than that, never for it
    assert price_of(got) == (Decimal("41.00"), "USD", "range", None)
    assert (got.method, got.profile) == ("json-ld", "ebay")
    assert got.confidence == Decimal("0.80")
    assert [(c.kind, c.amount) for c in got.candidates] == [("range", Decimal("41.00"))]
    assert (got.seller_name, got.sku) == ("harborlight_antiques", "146600055577")
    assert got.shipping is not None and got.shipping.amount == Decimal("12.40")
    assert Decimal("42.00") not in amounts(got) and Decimal("89.99") not in amounts(got)


def test_ebay_auction_without_json_ld_is_the_same_from_price() -> None:
    body = page("ebay/item_auction_jsonld.html")
    start, end = body.index(b'<script type="application/ld+json">'), body.index(b"</head>")
    got = extract(body[:start] + body[end:], AUCTION, site_currency_first=True)
    assert price_of(got) == (Decimal("41.00"), "USD", "range", None)
    assert (got.method, got.profile, got.seller_name) == ("profile", "ebay", "harborlight_antiques")


def test_ebay_auction_with_buy_it_now_is_read_at_the_buy_it_now_price() -> None:
    bin_price = (
        '<div class="x-bin-price" data-testid="x-bin-price"><div class="x-price-primary" data-testid="x-price-primary">'
        '<span class="ux-textspans">US $75.00</span></div></div>'
    )
    body = page("ebay/item_auction_jsonld.html").decode()
    body = body.replace('"price":"41.00"', '"price":"75.00"').replace(
        '</div>\n  </div>\n  <div class="x-end-time"', "</div>\n" + bin_price + '</div>\n  <div class="x-end-time"', 1
    )
    assert bin_price in body
    got = extract(body, AUCTION, site_currency_first=True)
    assert price_of(got) == (Decimal("75.00"), "USD", "sale", None)
    assert got.method == "json-ld"


# -- Amazon: Subscribe & Save's row in the centre column ---------------------------------------------------


def test_amazon_subscribe_and_save_row_in_the_centre_column_is_not_the_price() -> None:
    got = extract(page("amazon/detail_apex_sns_row_centre.html"), "https://www.amazon.com/dp/B0BRTFLD90")
    # the centre column shows only the Subscribe & Save row ($32.37, its "One-Time Price" struck beside it):
    # a price only subscribers pay; the one-time purchase's $34.07 is in the buy box
    assert price_of(got) == (Decimal("34.07"), "USD", "sale", None)
    assert [(c.kind, c.amount) for c in got.candidates] == [("sale", Decimal("34.07"))]
    assert (got.profile, got.seller_name, got.sku) == ("amazon-product", "Brightfield Wellness", "B0BRTFLD90")


# -- eBay: shapes already read right ---------------------------------------------------------------------


def fixed_price_listing(price_box: str) -> bytes:
    """The auction page without its JSON-LD, its bid box replaced by `price_box`."""
    body = page("ebay/item_auction_jsonld.html").decode()
    start, end = body.index('<script type="application/ld+json">'), body.index("</head>")
    body = body[:start] + body[end:]
    box_start = body.index('<div class="x-bid-price"')
    box_end = body.index('<div class="x-end-time"')
    return (body[:box_start] + price_box + "</div>\n  " + body[box_end:]).encode()


BIN = (
    '<div class="x-bin-price" data-testid="x-bin-price"><div class="x-bin-price__content">'
    '<div class="x-price-primary" data-testid="x-price-primary"><span class="ux-textspans">{}</span></div>'
    "{}</div></div>"
)


STARTING_BID = (
    '<div class="x-bid-price" data-testid="x-bid-price"><div class="x-bid-price__label">'
    '<span class="ux-textspans">Starting bid:</span></div>'
    '<div class="x-price-primary" data-testid="x-price-primary"><span class="ux-textspans">US $9.99</span></div>'
    '<div class="x-bid-count"><span class="ux-textspans">0 bids</span></div></div>'
)


@pytest.mark.parametrize(
    ("box", "expected"),
    [
        (BIN.format("US $64.50", '<div class="x-price-best-offer"><span>or Best Offer</span></div>'),
         (Decimal("64.50"), "USD", "sale", None)),
        # a listing in the seller's pounds on ebay.com: eBay's "Approximately US $35.12" is not read
        (BIN.format("GBP 27.99", '<div class="x-price-approx"><span class="ux-textspans x-price-approx__label">'
                    'Approximately</span><span class="ux-textspans x-price-approx__price">US $35.12</span></div>'),
         (Decimal("27.99"), "GBP", "sale", None)),
        # an auction without bids: the starting bid is a "from" price too
        (STARTING_BID,
         (Decimal("9.99"), "USD", "range", None)),
    ],
)  # fmt: skip
def test_ebay_price_box_shapes(box: str, expected: tuple[Decimal, str, str, None]) -> None:
    got = extract(fixed_price_listing(box), AUCTION, site_currency_first=True)
    assert price_of(got) == expected
    assert (got.profile, got.seller_name, got.sku) == ("ebay", "harborlight_antiques", "146600055577")
    assert Decimal("35.12") not in amounts(got)
