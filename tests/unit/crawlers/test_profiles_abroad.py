"""Pages of the stores and marketplaces abroad, in the markup generations their live sites serve.

Each saved page reproduces a real page shape (trimmed, with the noise real pages carry: carousels of
other products, coupon badges, Subscribe & Save, used offers, screen-reader text, scripts) and says
what must be read from it: the price a buyer pays, its kind, the seller, the identifiers, the offers.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html
from saved_pages import amounts, page

from crawlers.extraction import ExtractionStatus, extract
from crawlers.profiles import find_profile, selector_for

AMAZON_US = "https://www.amazon.com/Ridgeline-Summit-Ultralight-Backpacking-Tent/dp/B0RDGSMT02/ref=sr_1_1"
AOD_URL = "https://www.amazon.com/gp/product/ajax/ref=aod_page_1?asin=B0RDGSMT02&pc=dp&experienceId=aodAjaxMain"


# (saved page, url, method, profile, price, currency, kind, high, shipping, seller, sku, offers)
PAGES = [
    ("amazon/detail_apex_sold_by_amazon.html", AMAZON_US, "profile", "amazon-product",
     "89.99", "USD", "sale", None, None, "Amazon.com", "B0RDGSMT02", 1),
    ("amazon/detail_whole_fraction_third_party.html", "https://www.amazon.co.uk/dp/B0CSCD45LS", "profile",
     "amazon-product", "34.50", "GBP", "sale", None, "4.99", "Northfork Trading Co", "B0CSCD45LS", 1),
    ("amazon/detail_core_table_tabular_buybox.html", "https://www.amazon.com/dp/B0ALPGLW60", "profile",
     "amazon-product", "29.97", "USD", "sale", None, None, "Basecamp Lighting Direct", "B0ALPGLW60", 1),
    ("amazon/detail_accordion_new_used_sns.html", "https://www.amazon.ca/dp/B0NFBTL1LG", "profile",
     "amazon-product", "64.00", "CAD", "sale", None, None, "Amazon.ca", "B0NFBTL1LG", 1),
    ("amazon/detail_variation_range.html", "https://www.amazon.com/dp/B0RMSOCKPA", "profile", "amazon-product",
     "16.99", "USD", "range", "27.50", None, None, "B0RMSOCKPA", 1),
    ("amazon/detail_legacy_priceblock.html", "https://www.amazon.com/gp/product/B0TRHMUG45", "profile",
     "amazon-product", "24.95", "USD", "sale", None, None, "Trailhead Gear Shop", "B0TRHMUG45", 1),
    ("amazon/detail_prime_member_price.html", "https://www.amazon.com/dp/B0RDGHLMP3", "profile", "amazon-product",
     "36.49", "USD", "sale", None, None, "Ridgeline Outfitters", "B0RDGHLMP3", 1),
    ("amazon/aod_pinned_and_list.html", AOD_URL, "profile", "amazon-offers",
     "89.99", "USD", "sale", None, None, "Amazon.com", "B0RDGSMT02", 3),
    ("ebay/item_ca_was_price.html", "https://www.ebay.ca/itm/395512870011", "profile", "ebay",
     "129.99", "CAD", "sale", None, "12.00", "northfork_trading_ca", "395512870011", 1),
    ("ebay/product_page_featured_listing.html", "https://www.ebay.com/p/2207734519", "profile", "ebay",
     "84.50", "USD", "sale", None, None, "trailhead_outfitters", "376120934418", 1),
    # structured data's price, with the item number the profile reads (the JSON-LD names none)
    ("ebay/item_us_jsonld.html", "https://www.ebay.com/itm/285012345678", "json-ld", "ebay",
     "27.99", "USD", "sale", None, "4.25", "basecamp-lighting", "285012345678", 1),
    ("woocommerce/variable_range.html", "https://ridgeline.invalid/product/cascade-softshell-jacket/", "profile",
     "woocommerce", "45.00", "GBP", "sale", None, None, "Ridgeline Outfitters", "RL-CSJ-M", 2),
    ("woocommerce/sale_with_jsonld.html", "https://alpinebasecamp.invalid/product/summit-trekking-poles/",
     "json-ld", None, "59.00", "USD", "sale", None, None, "Alpine Basecamp", "AB-STP-105", 1),
    ("shopify/product_analytics_meta.html", "https://northfork-trading.invalid/products/northfork-down-bag",
     "profile", "shopify", "189.00", "GBP", "sale", None, None, "Northfork Trading Co", "NF-DSB-REG", 2),
    ("shopify/product_theme_jsonld.html", "https://trailhead-supply.invalid/products/titanium-camp-mug-450",
     "json-ld", "shopify", "24.00", "USD", "sale", None, None, "Trailhead Supply", "TH-MUG-450-NAT", 1),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "url", "method", "profile", "price", "currency", "kind", "high", "shipping", "seller", "sku", "offers"),
    PAGES,
    ids=[p[0] for p in PAGES],
)
def test_real_page_shape(
    name: str,
    url: str,
    method: str,
    profile: str | None,
    price: str,
    currency: str,
    kind: str,
    high: str | None,
    shipping: str | None,
    seller: str | None,
    sku: str | None,
    offers: int,
) -> None:
    got = extract(page(name), url, site_currency_first=True)
    assert got.status is ExtractionStatus.OK, got.reason
    assert (got.method, got.profile) == (method, profile)
    assert got.price is not None and (got.price.amount, got.price.currency) == (Decimal(price), currency)
    assert got.price_kind == kind
    assert got.price_high == (Decimal(high) if high else None)
    assert (got.shipping.amount if got.shipping else None) == (Decimal(shipping) if shipping else None)
    assert got.seller_name == seller
    assert got.sku == sku
    assert got.title and "|" not in got.title and "Amazon.com:" not in got.title
    assert len(got.offers or (got,)) == offers
    assert got.follow_up is None and got.raw_price and Decimal(0) < got.confidence <= 1


def test_the_site_currency_does_not_change_prices_that_name_theirs() -> None:
    got = extract(page("amazon/detail_whole_fraction_third_party.html"), "https://www.amazon.co.uk/dp/B0CSCD45LS",
                  site_currency_first=True)  # fmt: skip
    assert got.price is not None and got.price.currency == "GBP" and got.price.amount == Decimal("34.50")


# -- Amazon ---------------------------------------------------------------------------------------------


def test_amazon_apex_page_reads_neither_carousel_coupon_nor_subscribe_and_save() -> None:
    got = extract(page("amazon/detail_apex_sold_by_amazon.html"), AMAZON_US)
    kinds = {(c.kind, c.amount) for c in got.candidates}
    assert kinds == {("sale", Decimal("89.99")), ("list", Decimal("119.99"))}
    # carousels ($149.95, $24.99 in a carousel's own priceToPay, $59.00), the coupon price ($79.99),
    # Subscribe & Save ($80.99) are never candidates
    assert amounts(got).isdisjoint({Decimal(a) for a in ("149.95", "24.99", "59.00", "79.99", "80.99")})
    assert got.title == "Ridgeline Summit 2 Ultralight Backpacking Tent, 2 Person, Olive"
    assert got.shipping is None  # FREE delivery is no fee


def test_amazon_empty_offscreen_price_is_read_from_the_visible_digits() -> None:
    got = extract(page("amazon/detail_whole_fraction_third_party.html"), "https://www.amazon.co.uk/dp/B0CSCD45LS",
                  site_currency_first=True)  # fmt: skip
    assert got.raw_price == "£34.50"
    assert {c.kind: c.amount for c in got.candidates} == {"sale": Decimal("34.50"), "list": Decimal("42.00")}
    assert got.shipping is not None and (got.shipping.amount, got.shipping.currency) == (Decimal("4.99"), "GBP")
    # not the fastest option's £6.99; with yuan as the default currency the pound fee stays in pounds, the
    # price's currency, never read as yuan
    in_yuan = extract(page("amazon/detail_whole_fraction_third_party.html"), "https://www.amazon.co.uk/dp/B0CSCD45LS")
    assert in_yuan.shipping is not None and (in_yuan.shipping.amount, in_yuan.shipping.currency) == (
        Decimal("4.99"),
        "GBP",
    )
    assert Decimal("19.99") not in amounts(got)


def test_amazon_core_price_table_reads_the_deal_price_not_the_saving() -> None:
    got = extract(page("amazon/detail_core_table_tabular_buybox.html"), "https://www.amazon.com/dp/B0ALPGLW60")
    assert {c.kind: c.amount for c in got.candidates} == {"sale": Decimal("29.97"), "list": Decimal("44.95")}
    assert amounts(got).isdisjoint({Decimal("14.98"), Decimal("21.49"), Decimal("35.00")})


def test_amazon_used_offer_row_and_subscribe_and_save_are_never_the_price_nor_the_seller() -> None:
    body = page("amazon/detail_accordion_new_used_sns.html")
    url = "https://www.amazon.ca/dp/B0NFBTL1LG"
    got = extract(body, url, site_currency_first=True)
    assert [(c.kind, c.amount) for c in got.candidates] == [("sale", Decimal("64.00"))]
    assert (got.seller_name, got.shipping) == ("Amazon.ca", None)  # not the used row's seller or its $7.99
    # without the new offer's row, the used offer ($41.80), Subscribe & Save ($57.60), the coupon and the
    # carousel ($38.99) are what is left: no price
    start, end = body.index(b'<div id="apex_desktop_newAccordionRow">'), body.index(b'<div id="couponBadgeRegularVpc">')
    gone = extract(body[:start] + b"</div>" + body[end:], url, site_currency_first=True)
    assert gone.status is ExtractionStatus.NO_PRICE and gone.price is None and not gone.candidates


def test_amazon_price_label_is_read_when_the_price_widget_is_missing() -> None:
    html = (
        '<html><body><span id="productTitle">Northfork Insulated Water Bottle 1 L</span>'
        '<div id="snsAccordionRowMiddle"><span class="apex-pricetopay-accessibility-label">'
        "$54.00 with 10 percent savings</span></div>"
        '<div id="newAccordionRow_0"><span class="aok-offscreen apex-pricetopay-accessibility-label">$60.00</span>'
        '<input id="ASIN" value="B0NFBTL1LG"></div></body></html>'
    )
    got = extract(html, "https://www.amazon.com/dp/B0NFBTL1LG")
    assert got.profile == "amazon-product" and [c.amount for c in got.candidates] == [Decimal("60.00")]


def test_amazon_variation_parent_is_a_range_never_a_swatch_or_carousel_price() -> None:
    got = extract(page("amazon/detail_variation_range.html"), "https://www.amazon.com/dp/B0RMSOCKPA")
    (only,) = got.candidates
    assert (only.kind, only.amount, only.high, only.raw) == ("range", Decimal("16.99"), Decimal("27.50"),
                                                             "$16.99 - $27.50")  # fmt: skip
    assert got.confidence < Decimal("0.85")


def test_amazon_prime_member_price_is_a_conditional_price_beside_the_regular_price() -> None:
    # The Prime row is the buy box's selected row and the centre column shows its price with a
    # "List Price" equal to the regular price; the regular row (hidden in the centre column) is the price.
    body = page("amazon/detail_prime_member_price.html")
    url = "https://www.amazon.com/dp/B0RDGHLMP3"
    got = extract(body, url)
    assert [(c.kind, c.amount) for c in got.candidates] == [("sale", Decimal("36.49")), ("coupon", Decimal("27.99"))]
    assert got.price is not None and got.price.amount == Decimal("36.49") and got.price_kind == "sale"
    assert Decimal("50") not in amounts(got) and Decimal("0.00") not in amounts(got)  # the card banner
    member = extract(body, url, coupon_policy="after_coupon")
    assert member.price is not None and (member.price.amount, member.price_kind) == (Decimal("27.99"), "coupon")
    # a page with only the Prime row has no shelf price, never the member price as one
    start = body.index(b'<div id="newAccordionRow_1"')
    end = body.index(b'<div id="centerCol"')
    start2 = body.index(b'<div id="apex_desktop_newAccordionRow"')
    end2 = body.index(b"</div></div>\n</div>\n</div></div></div></body>")
    only_prime = body[:start] + b"</div></div></div>" + body[end:start2] + body[end2:]
    alone = extract(only_prime, url)
    assert alone.price is None and [(c.kind, c.amount) for c in alone.candidates] == [("coupon", Decimal("27.99"))]


def test_amazon_brazil_price_in_reais_from_the_visible_digits() -> None:
    got = extract(page("amazon/detail_brazil_visible_digits.html"), "https://www.amazon.com.br/dp/B0RDGBR600")
    assert got.status is ExtractionStatus.OK and got.profile == "amazon-product"
    assert got.price is not None and (got.price.amount, got.price.currency) == (Decimal("1249.90"), "BRL")
    assert got.sku == "B0RDGBR600"


def test_amazon_older_price_blocks_read_the_deal_price_and_the_merchant_line() -> None:
    got = extract(page("amazon/detail_legacy_priceblock.html"), "https://www.amazon.com/gp/product/B0TRHMUG45")
    assert [c.amount for c in got.candidates] == [Decimal("24.95")]  # not the struck $32.00, not the saving
    assert got.seller_name == "Trailhead Gear Shop"  # "Sold by … and Fulfilled by Amazon."


@pytest.mark.parametrize(
    ("line", "seller"),
    [
        ("Ships from and sold by Amazon.com.", "Amazon.com"),
        ("Sold by Trail Co and Fulfilled by Amazon.", "Trail Co"),
        ("Verkauf durch Bergwerk GmbH und Versand durch Amazon.", "Bergwerk GmbH"),
    ],
)
def test_amazon_merchant_info_line_names_the_seller(line: str, seller: str) -> None:
    body = page("amazon/detail_legacy_priceblock.html").replace(
        b'Sold by <a id="sellerProfileTriggerId_missing" href="/gp/help/seller/at-a-glance.html?seller=A3TRHEAD">'
        b"Trailhead Gear Shop</a> and Fulfilled by Amazon.",
        line.encode(),
    )
    assert extract(body, "https://www.amazon.com/dp/B0TRHMUG45").seller_name == seller


def test_amazon_all_offers_display_one_offer_per_new_offer_with_its_delivery_fee() -> None:
    got = extract(page("amazon/aod_pinned_and_list.html"), AOD_URL, site_currency_first=True)
    offers = [(o.seller_name, o.price.amount if o.price else None, o.shipping.amount if o.shipping else None,
               o.offer_key, o.sku) for o in got.offers]  # fmt: skip
    assert offers == [
        ("Amazon.com", Decimal("89.99"), None, "Amazon.com", "B0RDGSMT02"),
        ("Northfork Trading Co", Decimal("84.50"), Decimal("5.99"), "Northfork Trading Co", "B0RDGSMT02"),
        ("Alpine Basecamp Store", Decimal("92.00"), None, "Alpine Basecamp Store", "B0RDGSMT02"),
    ]
    assert all(o.price is not None and o.price.currency == "USD" and o.price_kind == "sale" for o in got.offers)
    # the used offer ($61.20), the coupon price ($77.00) and the alternatives ($74.99) are never read
    assert amounts(got).isdisjoint({Decimal("61.20"), Decimal("77.00"), Decimal("74.99")})
    assert got.title == "Ridgeline Summit 2 Ultralight Backpacking Tent, 2 Person, Olive"


def test_amazon_all_offers_display_offer_with_only_visible_digits_and_a_screen_reader_label() -> None:
    body = page("amazon/aod_pinned_and_list.html").decode("utf-8")
    # the offer's price in its own `#aod-price-<n>`, without the `#aod-offer-price` around it, as a screen-reader
    # label beside the visible digits (no `.a-offscreen` copy)
    digits = (
        '<div id="aod-price-1"><div class="a-section a-spacing-none aok-align-center aok-relative">'
        '<span class="aok-offscreen"> $86.40 </span><span class="a-price" aria-hidden="true">'
        '<span class="a-price-symbol">$</span><span class="a-price-whole">86<span class="a-price-decimal">.'
        '</span></span><span class="a-price-fraction">40</span></span></div></div>'
    )
    start = body.index('<div id="aod-offer-price"', body.index('id="aod-offer-list"'))
    end = body.index('<div id="aod-offer-soldBy"', start)
    got = extract(body[:start] + digits + body[end:], AOD_URL, site_currency_first=True)
    prices = {o.seller_name: o.price.amount for o in got.offers if o.price is not None}
    assert prices["Northfork Trading Co"] == Decimal("86.40")
    # without the label, the visible digits
    no_label = digits.replace('<span class="aok-offscreen"> $86.40 </span>', "")
    got = extract(body[:start] + no_label + body[end:], AOD_URL, site_currency_first=True)
    prices = {o.seller_name: o.price.amount for o in got.offers if o.price is not None}
    assert prices["Northfork Trading Co"] == Decimal("86.40")


def test_amazon_product_page_without_a_buy_box_price_has_no_price() -> None:
    body = page("amazon/detail_apex_sold_by_amazon.html")
    start, end = body.index(b'<div id="apex_desktop"'), body.index(b'<div id="promoPriceBlockMessage_feature_div"')
    body = body[:start] + body[end:]
    start, end = body.index(b'<div id="corePrice_feature_div"'), body.index(b'<div id="mir-layout-DELIVERY_BLOCK"')
    body = body[:start] + body[end:]
    got = extract(body, AMAZON_US)
    # the Subscribe & Save, coupon and carousel prices are still on the page: none is the price
    assert got.status is ExtractionStatus.NO_PRICE and got.price is None and got.profile == "amazon-product"


# An amazon.co.jp detail page whose seller hides the price until the item is in the cart (2026 markup: the
# buy box's core price block is empty and a "priceNotAvailable" message stands in its place).
AMAZON_JP_PRICE_IN_CART = """<!doctype html><html lang="ja-jp"><head><meta charset="utf-8"/>
<title>Amazon.co.jp: ホクト家具 オフィスチェア</title></head><body><div id="ppd">
<div id="rightCol"><div id="desktop_buybox" class="celwidget"><div id="buybox">
<div id="qualifiedBuybox" class="celwidget" data-buying-option-index="0"><form method="post" id="addToCart">
<input type="hidden" name="items[0.base][asin]" value="B0HKTCHR01">
<input type="hidden" id="ASIN" name="ASIN" value="B0HKTCHR01">
<div id="apex_offerDisplay_desktop" class="celwidget"><div data-csa-c-slot-id="apex_dp_offer_display">
<div id="corePrice_feature_div" class="celwidget"><div data-csa-c-content-id="apex_with_rio_cx"></div></div>
</div></div>
<div id="apex_offerDisplay_single_desktop" class="celwidget">
<div id="priceNotAvailable_feature_div" class="celwidget"><div class="a-section">
<span class="a-size-base a-color-base">
商品の詳細を表示するには、この商品をカートに追加します。商品は後でいつでも削除できます。</span> </div></div>
<div id="all-offers-display" class="a-section">
<input type="hidden" id="all-offers-display-params" data-asin="B0HKTCHR01"/>
</div>
<div id="merchantInfoFeature_feature_div" class="celwidget">
<div class="offer-display-feature-label"><span class="a-size-small a-color-tertiary">出荷元 / 販売元</span></div>
<div class="offer-display-feature-text a-size-small"><a href="/gp/help/seller/at-a-glance.html?seller=A0HOKUTO"
 id="sellerProfileTriggerId" class="a-size-small a-link-normal offer-display-feature-text-message">ホクト家具</a>
<span class="a-size-mini offer-display-feature-merchant-rating-text">（5965件の評価）</span></div></div>
</div></form></div></div></div></div>
<div id="centerCol"><div id="titleSection"><h1 id="title"><span id="productTitle">
ホクト家具 オフィスチェア ハイバック フットレスト付き ブラック </span></h1></div>
<div id="apex_desktop" class="celwidget"><div data-csa-c-slot-id="apex_dp_center_column">
<div id="priceNotAvailable_feature_div" class="celwidget"><span class="a-size-medium a-color-base">
商品の詳細を表示するには、この商品をカートに追加します。</span></div>
<div id="corePriceDisplay_desktop_feature_div" class="celwidget"><style>.savingPriceOverride{color:#CC0C39}
</style></div>
<div id="reinvent_price_tabular_desktop" class="celwidget"><table class="a-normal reInventPriceTable"></table></div>
</div></div>
<div id="sims-consolidated-1_feature_div"><div class="a-carousel-card"><span class="a-price">
<span class="a-offscreen">￥12,800</span></span></div>
</div></div></div></body></html>"""


def test_amazon_japan_price_shown_only_in_the_cart_is_no_price_never_a_carousel_price() -> None:
    got = extract(AMAZON_JP_PRICE_IN_CART, "https://www.amazon.co.jp/dp/B0HKTCHR01", site_currency_first=True)
    assert (got.status, got.profile, got.price) == (ExtractionStatus.NO_PRICE, "amazon-product", None)
    assert not got.candidates  # the carousel's ￥12,800 is another product
    assert (got.seller_name, got.sku) == ("ホクト家具", "B0HKTCHR01")
    assert got.title == "ホクト家具 オフィスチェア ハイバック フットレスト付き ブラック"


def test_amazon_price_to_pay_label_given_as_an_id_is_the_price_when_the_widget_is_empty() -> None:
    # Current pages write the screen-reader "price to pay" as an element id; the price widget beside it
    # may carry neither an offscreen copy nor the visible digits. A used row's label is never read.
    html = (
        '<html><body><span id="productTitle">Ridgeline Trail Stove</span><input id="ASIN" value="B0RDGSTV01">'
        '<div id="apex_desktop_usedAccordionRow"><div id="corePriceDisplay_desktop_feature_div">'
        '<span id="apex-pricetopay-accessibility-label" class="aok-offscreen"> 41,20 € </span></div></div>'
        '<div id="apex_desktop"><div id="corePriceDisplay_desktop_feature_div">'
        '<div class="a-section aok-align-center aok-relative apex-core-price-identifier">'
        '<span id="apex-pricetopay-accessibility-label" class="aok-offscreen">'
        " 54,90 € mit 12 Prozent Einsparungen </span>"
        '<span class="a-price priceToPay apex-pricetopay-value" data-a-size="xl">'
        '<span class="a-offscreen"> </span></span>'
        "</div></div></div></body></html>"
    )
    got = extract(html, "https://www.amazon.de/dp/B0RDGSTV01", site_currency_first=True)
    assert got.profile == "amazon-product"
    assert [(c.kind, c.amount, c.currency) for c in got.candidates] == [("sale", Decimal("54.90"), "EUR")]


# -- eBay -----------------------------------------------------------------------------------------------


def test_ebay_canadian_dollars_was_price_and_shipping_apart() -> None:
    got = extract(page("ebay/item_ca_was_price.html"), "https://www.ebay.ca/itm/395512870011")
    assert {(c.kind, c.amount, c.currency) for c in got.candidates} == {
        ("sale", Decimal("129.99"), "CAD"),
        ("list", Decimal("159.99"), "CAD"),
    }
    # the current bid, the approximate US$ conversion and the similar items are never read
    assert amounts(got).isdisjoint({Decimal(a) for a in ("85.00", "92.40", "99.00", "19.95", "30.00")})
    assert got.title == "Ridgeline Summit 2 Ultralight Backpacking Tent 2 Person Olive NEW"


def test_ebay_item_number_comes_from_the_url_when_the_page_does_not_show_it() -> None:
    body = page("ebay/item_ca_was_price.html")
    start = body.index(b'<div class="ux-layout-section ux-layout-section--itemId">')
    end = body.index(b'<div class="vim d-vi-evo-region"')
    got = extract(body[:start] + body[end:], "https://www.ebay.ca/itm/ridgeline-summit-2-tent/395512870011?hash=x")
    assert got.sku == "395512870011"


def test_ebay_product_page_names_the_featured_listing_and_its_seller_from_the_card() -> None:
    # /p/<epid>: no /itm/ in the URL and no seller link; the item number comes from the listing's own links
    # and the seller from "name (feedback score)", never the feedback percentage or another listing's price
    body = page("ebay/product_page_featured_listing.html")
    got = extract(body, "https://www.ebay.com/p/2207734519")
    assert (got.seller_name, got.sku, got.title) == ("trailhead_outfitters", "376120934418",
                                                     "Ridgeline Summit 2 Backpacking Tent")  # fmt: skip
    assert [c.amount for c in got.candidates] == [Decimal("84.50")]
    no_score = body.replace(b"trailhead_outfitters (2,417)", b"99.6% positive feedback")
    assert extract(no_score, "https://www.ebay.com/p/2207734519").seller_name is None
    no_links = body.replace(b"https://www.ebay.com/itm/376120934418", b"#").replace(b"item=376120934418", b"x=1")
    assert extract(no_links, "https://www.ebay.com/p/2207734519").sku is None


def test_ebay_page_with_json_ld_is_read_as_structured_data_with_the_right_price() -> None:
    body = page("ebay/item_us_jsonld.html")
    got = extract(body, "https://www.ebay.com/itm/285012345678")
    assert got.candidates and {c.amount for c in got.candidates} == {Decimal("27.99")}
    assert got.gtin is None  # the page's gtin13 "0812345678903" fails its check digit: no GTIN
    # without its JSON-LD the same page is read by the profile: same price, the list price kept
    start, end = body.index(b'<script type="application/ld+json">'), body.index(b"</head>")
    bare = extract(body[:start] + body[end:], "https://www.ebay.com/itm/285012345678", site_currency_first=True)
    assert (bare.profile, bare.price_kind) == ("ebay", "sale")
    assert bare.price is not None and (bare.price.amount, bare.price.currency) == (Decimal("27.99"), "USD")
    assert {c.kind: c.amount for c in bare.candidates}["list"] == Decimal("39.99")
    assert bare.shipping is not None and (bare.shipping.amount, bare.shipping.currency) == (Decimal("4.25"), "USD")
    assert (bare.seller_name, bare.sku) == ("basecamp-lighting", "285012345678")


# An ebay.com listing priced in the seller's currency (2025 markup): the primary price is in euros, the
# "Approximately US $…" conversions of price and shipping are eBay's, and the title heading holds a
# second span ("-") after the title's own.
EBAY_EURO_LISTING = """<!DOCTYPE html><html lang="en"><head><meta charset=utf-8>
<meta Property="og:type" Content="ebay-objects:item" /><meta Property="og:site_name" Content="eBay" />
<title>Northfork Carbon Trekking Poles Pair 120 cm | eBay</title>
<link rel="canonical" href="https://www.ebay.com/itm/226700000123" /></head><body class="vi-body en-US">
<div class=vi-evo>
<div id=mainContent class="vim x-evo-atf-right-river"><div class="vim x-sellercard-atf" data-testid=x-sellercard-atf>
<div class=x-sellercard-atf__info><div class=x-sellercard-atf__info__about-seller>
<a href=https://www.ebay.com/sch/alpenweg_versand/m.html?item=226700000123 class=ux-action><!--F#f_1-->
<span class="ux-textspans ux-textspans--BOLD">alpenweg_versand</span></a><div class=x-sellercard-atf__about-seller>
<div class=x-sellercard-atf__about-seller-item><span class="ux-textspans ux-textspans--SECONDARY">(113)
</span></div></div>
</div><div class=x-sellercard-atf__data-item-wrapper><div class=x-sellercard-atf__data-item>
<button class="ux-action fake-link"><span class="ux-textspans ux-textspans--PSEUDOLINK">100% positive</span></button>
</div></div></div></div>
<div class="vim x-item-title" data-testid=x-item-title><h1 class=x-item-title__mainTitle><!--F#12[0]-->
<span class="ux-textspans ux-textspans--BOLD">Northfork Carbon Trekking Poles Pair 120 cm</span><!--F#12[1]-->
<span class=ux-textspans>-</span></h1><span class=x-item-title__seeOriginalTitle><span class=tooltip>
<span class=ux-textspans>show original title</span></span></span></div>
<div class="vim x-price-section mar-t-20" data-testid=x-price-section>
<div class="vim x-bin-price" data-testid=x-bin-price>
<div class=x-bin-price__content><div class=x-price-primary data-testid=x-price-primary><!--F#f_1-->
<span class=ux-textspans>EUR 149.00</span></div><div class=x-price-approx data-testid=x-price-approx>
<span class=x-price-approx__label><span class="ux-textspans ux-textspans--SECONDARY">Approximately</span></span>
<span class=x-price-approx__price>
<span class="ux-textspans ux-textspans--SECONDARY ux-textspans--BOLD">US $169.05</span>
</span></div></div></div></div>
<div class="vim d-shipping-minview mar-t-20"><div class="ux-layout-section ux-layout-section--shipping">
<div data-testid=ux-labels-values class="ux-labels-values col-12 ux-labels-values--shipping">
<div class="ux-labels-values__labels col-3"><span class=ux-textspans>Shipping:</span></div>
<div class="ux-labels-values__values col-9"><div class="ux-labels-values__values-content"><div>
<span class="ux-textspans ux-textspans--BOLD">EUR 18.50 </span>
<span class="ux-textspans ux-textspans--SECONDARY ux-textspans--BOLD">(approx US $20.99)</span>
<span class=ux-textspans>DHL</span></div></div></div></div></div></div>
</div></div></body></html>"""


def test_ebay_listing_in_the_sellers_currency_keeps_it_and_the_title_without_its_trailing_span() -> None:
    got = extract(EBAY_EURO_LISTING, "https://www.ebay.com/itm/226700000123", site_currency_first=True)
    assert (got.method, got.profile, got.price_kind) == ("profile", "ebay", "sale")
    assert [(c.amount, c.currency) for c in got.candidates] == [(Decimal("149.00"), "EUR")]
    # the fee is in euros too, the price's currency: reported in euros, never as US $18.50
    assert got.shipping is not None and (got.shipping.amount, got.shipping.currency) == (Decimal("18.50"), "EUR")
    # a fee in US dollars beside a price in euros is left out, never reported as so many euros
    dollar_fee = EBAY_EURO_LISTING.replace(">EUR 18.50 <", ">US $20.99 <")
    assert dollar_fee != EBAY_EURO_LISTING
    assert extract(dollar_fee, "https://www.ebay.com/itm/226700000123", site_currency_first=True).shipping is None
    assert got.title == "Northfork Carbon Trekking Poles Pair 120 cm"
    assert (got.seller_name, got.sku) == ("alpenweg_versand", "226700000123")
    assert amounts(got).isdisjoint({Decimal("169.05"), Decimal("20.99")})


def test_ebay_auction_without_buy_it_now_gives_its_current_bid_only_as_a_from_price() -> None:
    start, end = (
        EBAY_EURO_LISTING.index('<div class="vim x-bin-price"'),
        EBAY_EURO_LISTING.index('</div></div></div></div>\n<div class="vim d-shipping'),
    )
    bid = (
        '<div class="vim x-bid-price" data-testid=x-bid-price><div class=x-price-primary data-testid=x-price-primary>'
        "<span class=ux-textspans>EUR 61.00</span></div><div class=x-bid-info data-testid=x-bid-info>"
        '<span class="ux-textspans ux-textspans--PSEUDOLINK">14 bids</span></div></div></div>'
    )
    auction = EBAY_EURO_LISTING[:start] + bid + EBAY_EURO_LISTING[end + len("</div></div></div></div>") :]
    got = extract(auction, "https://www.ebay.com/itm/226700000123", site_currency_first=True)
    assert [(c.kind, c.amount, c.currency) for c in got.candidates] == [("range", Decimal("61.00"), "EUR")]
    assert got.price_kind == "range" and got.confidence < Decimal("0.85")
    # with Buy It Now beside the bid, the Buy It Now price is the price
    both = EBAY_EURO_LISTING[:start] + bid[: -len("</div>")] + EBAY_EURO_LISTING[start:]
    got = extract(both, "https://www.ebay.com/itm/226700000123", site_currency_first=True)
    assert (got.price_kind, got.price and got.price.amount) == ("sale", Decimal("149.00"))


# -- WooCommerce ----------------------------------------------------------------------------------------


def test_woocommerce_variable_product_is_its_variations_never_an_upsell_or_cart_amount() -> None:
    got = extract(
        page("woocommerce/variable_range.html"), "https://ridgeline.invalid/product/cascade-softshell-jacket/"
    )
    # the price box's "£45.00 – £65.00" is the two variations the add-to-cart form lists
    assert [(o.title, o.sku, o.price and o.price.amount, o.price_kind) for o in got.offers] == [
        ("Cascade Softshell Jacket M", "RL-CSJ-M", Decimal("45"), "sale"),
        ("Cascade Softshell Jacket XL", "RL-CSJ-XL", Decimal("65"), "sale"),
    ]
    assert {o.price and o.price.currency for o in got.offers} == {"GBP"}
    assert amounts(got).isdisjoint({Decimal("29.00"), Decimal("40.00"), Decimal("95.00"), Decimal("80.00")})


def test_woocommerce_json_ld_sale_price_wins_over_its_list_price() -> None:
    body = page("woocommerce/sale_with_jsonld.html")
    got = extract(body, "https://alpinebasecamp.invalid/product/summit-trekking-poles/")
    assert [c.amount for c in got.candidates] == [Decimal("59.00")]
    start = body.index(b'<script type="application/ld+json">')
    end = body.index(b"</script>", start) + len(b"</script>")
    bare = extract(body[:start] + body[end:], "https://alpinebasecamp.invalid/product/summit-trekking-poles/")
    assert (bare.method, bare.profile, bare.price_kind) == ("profile", "woocommerce", "sale")
    assert {c.kind: c.amount for c in bare.candidates} == {"sale": Decimal("59.00"), "list": Decimal("79.00")}
    assert bare.price is not None and bare.price.currency == "USD"
    assert (bare.seller_name, bare.sku) == ("Alpine Basecamp", "AB-STP-105")  # the store's own name


def test_woocommerce_single_price_and_from_price() -> None:
    body = page("woocommerce/variable_range.html")
    start = body.index(b'<p class="price">')
    end = body.index(b"</p>", start) + len(b"</p>")
    single = b'<p class="price"><span class="woocommerce-Price-amount amount"><bdi>&pound;52.00</bdi></span></p>'
    got = extract(body[:start] + single + body[end:], "https://ridgeline.invalid/product/x/")
    assert (got.price_kind, got.price and got.price.amount) == ("sale", Decimal("52.00"))
    from_price = single.replace(b'"price">', b'"price">From: ')
    got = extract(body[:start] + from_price + body[end:], "https://ridgeline.invalid/product/x/")
    assert (got.price_kind, got.price and got.price.amount) == ("range", Decimal("52.00"))


_HIDDEN = ' aria-hidden="true"'


def _woo_amount(value: str, hidden: str = "") -> str:
    return f'<span class="woocommerce-Price-amount amount"{hidden}><bdi>&pound;{value}</bdi></span>'


_WOO_SUFFIXED = {
    # the `{price_excluding_tax}` suffix: the same price again, without VAT, never the top of a range
    "single": f'<p class="price">{_woo_amount("12.00")} <small class="woocommerce-price-suffix">inc. VAT '
    f"({_woo_amount('10.00')} ex. VAT)</small></p>",
    "sale": f'<p class="price"><del aria-hidden="true">{_woo_amount("15.00")}</del> <span class="screen-reader-text">'
    f'Original price was: &pound;15.00.</span><ins aria-hidden="true">{_woo_amount("12.00")}</ins>'
    '<span class="screen-reader-text">Current price is: &pound;12.00.</span> '
    f'<small class="woocommerce-price-suffix">{_woo_amount("10.00")} ex. VAT</small></p>',
    "range": f'<p class="price">{_woo_amount("45.00", _HIDDEN)} <span aria-hidden="true">&ndash;'
    f'</span> {_woo_amount("65.00", _HIDDEN)}<span class="screen-reader-text">Price range: '
    "&pound;45.00 through &pound;65.00</span> "
    f'<small class="woocommerce-price-suffix">({_woo_amount("37.50")} ex. VAT)</small></p>',
}


@pytest.mark.parametrize(
    ("shape", "kind", "amount", "high"),
    [("single", "sale", "12.00", None), ("sale", "sale", "12.00", None), ("range", "range", "45.00", "65.00")],
)
def test_woocommerce_price_suffix_with_the_price_without_tax_is_never_read(
    shape: str, kind: str, amount: str, high: str | None
) -> None:
    # the price box alone: a store above WooCommerce's AJAX threshold lists no variations in the page
    body = page("woocommerce/variable_range.html").replace(b" data-product_variations=", b" data-product_id_=")
    start = body.index(b'<p class="price">')
    end = body.index(b"</p>", start) + len(b"</p>")
    got = extract(body[:start] + _WOO_SUFFIXED[shape].encode() + body[end:], "https://ridgeline.invalid/product/x/")
    assert got.price is not None and (got.price_kind, got.price.amount) == (kind, Decimal(amount))
    assert got.price_high == (Decimal(high) if high else None)
    assert Decimal("10.00") not in amounts(got) and Decimal("37.50") not in amounts(got)


# -- Shopify --------------------------------------------------------------------------------------------


def test_shopify_analytics_state_gives_every_variant_in_the_stores_currency_without_a_follow_up() -> None:
    url = "https://northfork-trading.invalid/products/northfork-down-bag"
    got = extract(page("shopify/product_analytics_meta.html"), url)
    offers = [(o.offer_key, o.price.amount if o.price else None, o.price.currency if o.price else None, o.title)
              for o in got.offers]  # fmt: skip
    assert offers == [
        ("NF-DSB-REG", Decimal("189.00"), "GBP", "Northfork Down Sleeping Bag -5°C - Regular"),
        ("NF-DSB-LNG", Decimal("209.00"), "GBP", "Northfork Down Sleeping Bag -5°C - Long"),
    ]
    assert amounts(got).isdisjoint({Decimal("29.00"), Decimal("39.00"), Decimal("15.00")})


def test_shopify_follow_up_answer_is_read_in_the_stores_currency() -> None:
    body = page("shopify/product_analytics_meta.html")
    start = body.index(b"var meta = {")
    end = body.index(b"for (var attr in meta)", start)
    no_state = body[:start] + body[end:]
    url = "https://northfork-trading.invalid/products/northfork-down-bag"
    first = extract(no_state, url)
    assert (first.reason, first.follow_up) == ("price_endpoint", url + ".js")
    answer = (b'{"title": "Northfork Down Sleeping Bag", "variants": [{"id": 1, "title": "Regular",'
              b' "sku": "NF-DSB-REG", "price": 18900, "compare_at_price": 22900, "available": true}]}')  # fmt: skip
    got = extract(no_state, url, follow_up_body=answer)
    assert got.price is not None and (got.price.amount, got.price.currency) == (Decimal("189.00"), "GBP")
    assert {c.kind: c.amount for c in got.candidates} == {"sale": Decimal("189.00"), "list": Decimal("229.00")}


def test_shopify_theme_json_ld_wins_and_a_sold_out_variant_is_not_the_price() -> None:
    got = extract(
        page("shopify/product_theme_jsonld.html"), "https://trailhead-supply.invalid/products/titanium-camp-mug-450"
    )
    assert got.method == "json-ld" and [c.amount for c in got.candidates] == [Decimal("24.0")]


def test_shopify_analytics_state_of_another_page_type_is_not_a_product() -> None:
    html = ("<html><head><script>window.ShopifyAnalytics = window.ShopifyAnalytics || {};\n"
            'var meta = {"product":{"id":1,"variants":[{"id":2,"price":999}]},"page":{"pageType":"collection"}};\n'
            "for (var attr in meta) {}</script></head><body><h1>Tents</h1></body></html>")  # fmt: skip
    tree = lxml_html.document_fromstring(html)
    assert find_profile(selector_for(tree), "shopify") is None


# -- junk spliced into every page shape above ---------------------------------------------------------------

NOISE = [
    "<span class='a-price'><span class='a-offscreen'>", "</span>", "<del>", "<ins>", "$", "£", "C $", "US $", "-",
    "–", "From: ", "FREE", "1e999", "NaN", "-1.00", "99999999999", "0.00", "<div id='aod-offer'>", "</div>",
    '<script>var meta = {"product":{"variants":[{"price":', "}]}};</script>", "<p class='price'>", "</p>",
    "<div id='apex_desktop_usedAccordionRow'>", "Sold by ", "\x00", "&#36;", "<s>",
]  # fmt: skip
noise = st.lists(st.one_of(st.sampled_from(NOISE), st.text(max_size=20)), max_size=30).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shape=st.sampled_from([p[0] for p in PAGES]), junk=noise, where=st.integers(min_value=0, max_value=8000))
def test_a_real_page_shape_with_junk_spliced_in_never_raises(shape: str, junk: str, where: int) -> None:
    html = page(shape).decode("utf-8")
    url = next(p[1] for p in PAGES if p[0] == shape)
    got = extract(html[:where] + junk + html[where:], url)
    assert got.reason != "unreadable_page"
    for offer in got.offers or (got,):
        if offer.price is not None:
            assert offer.status is ExtractionStatus.OK and offer.price.amount > 0
            assert offer.price_kind in ("sale", "list", "range")  # never shipping, never coupon by default
