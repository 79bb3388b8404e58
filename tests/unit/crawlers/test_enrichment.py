"""Structured data's offer enriched by the page profile: the price stays structured data's, the fields it
leaves empty (SKU, seller, item number, shipping, availability) come from the profile's matching offer.

The pages keep the structure of real ones (a Shopify Creator theme product page that prints only
`og:price`, an eBay item page of 2018 with microdata), with invented stores, sellers and products.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

import crawlers.extraction as extraction
from crawlers.extraction import ExtractionStatus, extract

# -- Shopify, Creator theme: og:price in the head, the variants only in the analytics state ------------

SHOPIFY_URL = "https://fernhollow.invalid/products/lumen-lantern"


def shopify_page(variants: list[dict[str, Any]], *, price: str = "129.00", extra_head: str = "") -> str:
    meta = {
        "product": {"id": 7001, "vendor": "Fernhollow Labs", "handle": "lumen-lantern", "variants": variants},
        "page": {"pageType": "product", "resourceType": "product", "resourceId": 7001},
    }
    return f"""<!doctype html>
<html class="no-js" lang="en"><head><meta charset="utf-8">
<title>Lumen Lantern &ndash; Fernhollow Outfitters</title>
<meta property="og:site_name" content="Fernhollow Outfitters">
<meta property="og:url" content="{SHOPIFY_URL}">
<meta property="og:title" content="Lumen Lantern">
<meta property="og:type" content="product">
  <meta property="og:price:amount" content="{price}">
  <meta property="og:price:currency" content="USD">{extra_head}
<script>
  window.shopUrl = 'https://fernhollow.invalid';
  window.moneyFormat = "${{{{amount}}}}";
</script>
<script>
  window.ShopifyAnalytics = window.ShopifyAnalytics || {{}};
  window.ShopifyAnalytics.meta = window.ShopifyAnalytics.meta || {{}};
  window.ShopifyAnalytics.meta.currency = 'USD';
  var meta = {json.dumps(meta, ensure_ascii=False)};
  for (var attr in meta) {{
    window.ShopifyAnalytics.meta[attr] = meta[attr];
  }}
</script>
</head>
<body class="primary-button-style--solid" data-animations-enabled=""><h1>Lumen Lantern</h1></body></html>"""


def variant(sku: str, cents: int, name: str = "Lumen Lantern - Moss") -> dict[str, Any]:
    return {"id": sum(map(ord, sku)), "price": cents, "name": name, "public_title": name.split(" - ")[-1],
            "sku": sku}  # fmt: skip


def test_shopify_og_price_keeps_its_price_and_takes_sku_and_store_from_the_analytics_state() -> None:
    got = extract(shopify_page([variant("FH-LL-MOSS", 12900)]), SHOPIFY_URL, site_currency_first=True)
    assert got.status is ExtractionStatus.OK
    assert got.price is not None and (got.price.amount, got.price.currency) == (Decimal("129.00"), "USD")
    assert (got.method, got.confidence, got.raw_price) == ("opengraph", Decimal("0.80"), "129.00 USD")
    assert (got.sku, got.seller_name) == ("FH-LL-MOSS", "Fernhollow Outfitters")
    # the title is structured data's (og:title), not the variant's name
    assert got.title == "Lumen Lantern"
    # who read what: the price structured data, the filled fields the profile
    assert got.profile == "shopify" and got.profile_fields == ("seller_name", "sku")
    assert got.why is not None and "from profile shopify" in got.why
    assert [c.method for c in got.candidates] == ["opengraph"]


def test_several_variants_at_the_price_give_only_what_they_agree_on() -> None:
    variants = [variant("FH-LL-MOSS", 12900), variant("FH-LL-SAND", 12900, "Lumen Lantern - Sand")]
    got = extract(shopify_page(variants), SHOPIFY_URL, site_currency_first=True)
    assert got.price is not None and got.price.amount == Decimal("129.00")
    assert got.sku is None  # two variants show 129.00: which one og:price means is unknown
    assert got.seller_name == "Fernhollow Outfitters"


def test_the_variant_is_matched_by_its_price() -> None:
    variants = [variant("FH-LL-MOSS", 12900), variant("FH-LL-XL", 15900, "Lumen Lantern - XL")]
    got = extract(shopify_page(variants, price="159.00"), SHOPIFY_URL, site_currency_first=True)
    assert got.price is not None and got.price.amount == Decimal("159.00")
    assert got.sku == "FH-LL-XL"


def test_several_variants_at_the_price_are_told_apart_by_structured_datas_sku() -> None:
    variants = [variant("FH-LL-MOSS", 12900), variant("FH-LL-SAND", 12900, "Lumen Lantern - Sand")]
    head = '\n<meta property="product:retailer_item_id" content="fh-ll-sand">'
    got = extract(shopify_page(variants, extra_head=head), SHOPIFY_URL, site_currency_first=True)
    assert got.sku == "fh-ll-sand"  # structured data's own, never overwritten
    assert got.seller_name == "Fernhollow Outfitters"
    assert "sku" not in got.profile_fields


def test_a_profile_offer_at_another_price_fills_nothing() -> None:
    got = extract(shopify_page([variant("FH-LL-MOSS", 13900)]), SHOPIFY_URL, site_currency_first=True)
    assert got.price is not None and got.price.amount == Decimal("129.00")
    assert (got.sku, got.profile, got.profile_fields) == (None, None, ())
    assert got.seller_name is None


def test_json_ld_fields_are_never_overwritten() -> None:
    jsonld = {
        "@context": "https://schema.org", "@type": "Product", "name": "Lumen Lantern", "sku": "LL-JSONLD",
        "offers": {"@type": "Offer", "price": "129.00", "priceCurrency": "USD",
                   "seller": {"@type": "Organization", "name": "Fernhollow Direct"}},
    }  # fmt: skip
    head = f'\n<script type="application/ld+json">{json.dumps(jsonld)}</script>'
    got = extract(shopify_page([variant("FH-LL-MOSS", 12900)], extra_head=head), SHOPIFY_URL)
    assert got.method == "json-ld" and got.confidence == Decimal("0.95")
    assert (got.sku, got.seller_name) == ("LL-JSONLD", "Fernhollow Direct")
    assert got.profile_fields == () and got.profile is None


# -- eBay item page of 2018: microdata price, the rest only in the page's own markup ----------------------

EBAY_URL = "https://www.ebay.com/itm/Cinderpeak-Micro-SD-Card-32GB-Class-10-/172300000001?_ul=CN"
EBAY_LEGACY = """<!DOCTYPE html>
<html xmlns:og="http://opengraphprotocol.org/schema/" lang="en"><head>
<link rel="canonical" href="https://www.ebay.com/itm/Cinderpeak-Micro-SD-Card-32GB-Class-10-/172300000001" />
<title>Cinderpeak Micro SD Card 32GB Class 10 | eBay</title><meta Property="og:site_name" Content="eBay" />
<meta Property="og:title" Content="Cinderpeak Micro SD Card 32GB Class 10 | eBay" />
</head>
<body class=" vi-contv2  lhdr-ie- vi-hd-ops ">
<div id="Body" class=" sz940  " itemscope itemtype="https://schema.org/Product">
        <h1 class="it-ttl" itemprop="name"
          id="itemTitle"><span class="g-hdn">Details about  &nbsp;</span>Cinderpeak Micro SD Card 32GB Class 10</h1>
            <span id="vi-lkhdr-itmTitl" class="u-dspn">Cinderpeak Micro SD Card 32GB Class 10</span>
<div id="RightSummaryPanel" class="rsp-c" ><div class="si-cnt si-cnt-eu vi-grBr vi-padn0 c-std">
  <div class="mbg vi-VR-margBtm3">
    <a href="http://www.ebay.com/usr/harbor-cards?_trksid=p2047675.l2559" aria-label="Member ID:&nbsp;harbor-cards"
      id="mbgLink"> <span class="mbg-nw">harbor-cards</span></a>
    <span class="mbg-l">(<a href="http://feedback.ebay.com/ws/eBayISAPI.dll?ViewFeedback&userid=harbor-cards"
      title="feedback score: 8127">8127</a>)</span>
  </div>
</div></div>
<div id="LeftSummaryPanel" class="lsp-c lsp-cRight  lsp-cL300  lsp-de">
<div id="mainContent" role="main" class="is " itemprop="offers" itemscope itemtype="https://schema.org/Offer">
  <div class="u-flL condText  "  id="vi-itm-cond" itemprop="itemCondition">New</div>
  <div class="u-cb">
    <div class="vi-bbox-dspn u-flL lable binLable" id="prcIsum-lbl">Price:</div>
    <div  id="vi-mskumap-none" class="u-flL w29 vi-price ">
    <span class="notranslate" id="prcIsum" itemprop="price"  style="" content="7.49">US $7.49</span>
    <div id="isum-shipCostDiv" class=" sh-CostBB"></div>
        <span itemprop="availability" content="https://schema.org/InStock"></span>
    <span itemprop="priceCurrency" content="USD"></span>
    <div class="notranslate u-cb convPrice vi-binConvPrc padT10 "  id="prcIsumConv">Approximately <span
      id="convbidPrice" style="white-space: nowrap;font-weight:bold;">RMB 51.20<span>(including shipping)</span></span>
    </div>
    </div>
  </div>
  <div id="shippingSummary"><div class="u-flL lable" id="shippingPlaceHolderId">Shipping:</div>
  <div class="u-flL sh-col"><span id="shSummary">
    <span id="fshippingCost" class="notranslate sh-cst "><span>$1.99</span>
      <span class="sh-svc sh-nwr">(approx. <span id="convetedPriceId">RMB 13.60</span>)</span></span>
    <span id="fShippingSvc">Standard International Shipping</span></span></div></div>
</div></div>
</div>
</body></html>"""


def test_old_ebay_microdata_page_gets_seller_item_number_and_shipping_and_a_clean_title() -> None:
    got = extract(EBAY_LEGACY, EBAY_URL, site_currency_first=True)
    assert got.status is ExtractionStatus.OK
    assert (got.method, got.confidence) == ("microdata", Decimal("0.90"))
    assert got.price is not None and (got.price.amount, got.price.currency) == (Decimal("7.49"), "USD")
    assert got.title == "Cinderpeak Micro SD Card 32GB Class 10"  # without the hidden "Details about"
    assert (got.seller_name, got.sku) == ("harbor-cards", "172300000001")
    assert got.shipping is not None and (got.shipping.amount, got.shipping.currency) == (Decimal("1.99"), "USD")
    assert got.profile == "ebay"
    assert set(got.profile_fields) == {"title", "seller_name", "sku", "shipping"}
    # the approximate yuan conversions are never read
    assert {c.amount for c in got.candidates} == {Decimal("7.49")}


def test_old_ebay_fee_in_another_currency_than_the_price_is_left_out() -> None:
    body = EBAY_LEGACY.replace("<span>$1.99</span>", "<span>EUR 1.80</span>")
    got = extract(body, EBAY_URL, site_currency_first=True)
    assert got.shipping is None and "shipping" not in got.profile_fields
    assert got.seller_name == "harbor-cards"


def test_a_title_without_the_hidden_words_is_left_as_it_is() -> None:
    body = EBAY_LEGACY.replace('<span class="g-hdn">Details about  &nbsp;</span>', "")
    assert extract(body, EBAY_URL).title == "Cinderpeak Micro SD Card 32GB Class 10"
    # "Details about" is only eBay's hidden heading text: a store's product may be called so
    named = shopify_page([variant("FH-DA", 12900)]).replace(
        'content="Lumen Lantern"', 'content="Details about town tote"'
    )
    assert extract(named, SHOPIFY_URL).title == "Details about town tote"


# -- availability -----------------------------------------------------------------------------------------

WOO_URL = "https://fernhollow.invalid/product/lumen-lantern/"


def woo_page(stock: str, og_availability: str = "") -> str:
    availability = f'<meta property="product:availability" content="{og_availability}">' if og_availability else ""
    return f"""<!DOCTYPE html><html lang="en-GB"><head><meta charset="UTF-8">
<title>Lumen Lantern &#8211; Fernhollow Outfitters</title>
<meta property="og:site_name" content="Fernhollow Outfitters" />
<meta property="og:title" content="Lumen Lantern" />
<meta property="product:price:amount" content="24.00" />
<meta property="product:price:currency" content="GBP" />{availability}
</head><body class="product-template-default single single-product woocommerce woocommerce-page">
<div id="product-42" class="product type-product status-publish instock">
<div class="summary entry-summary">
<h1 class="product_title entry-title">Lumen Lantern</h1>
<p class="price"><span class="woocommerce-Price-amount amount"><bdi><span
  class="woocommerce-Price-currencySymbol">&pound;</span>24.00</bdi></span></p>
{stock}
<div class="product_meta"><span class="sku_wrapper">SKU: <span class="sku">FH-LL-01</span></span></div>
</div></div></body></html>"""


def test_unstated_availability_is_taken_from_the_profile() -> None:
    sold_out = woo_page('<p class="stock out-of-stock">Out of stock</p>')
    got = extract(sold_out, WOO_URL, site_currency_first=True)
    assert (got.status, got.reason, got.price) == (ExtractionStatus.NO_PRICE, "sold_out", None)
    assert (got.method, got.profile, got.sku) == ("opengraph", "woocommerce", "FH-LL-01")
    assert "availability" in got.profile_fields
    in_stock = extract(woo_page('<p class="stock in-stock">12 in stock</p>'), WOO_URL, site_currency_first=True)
    assert in_stock.status is ExtractionStatus.OK and in_stock.price is not None
    assert (in_stock.price.amount, in_stock.price.currency, in_stock.sku) == (Decimal("24.00"), "GBP", "FH-LL-01")


def test_stated_availability_is_never_changed() -> None:
    page = woo_page('<p class="stock out-of-stock">Out of stock</p>', og_availability="instock")
    got = extract(page, WOO_URL, site_currency_first=True)
    assert got.status is ExtractionStatus.OK and got.price is not None and got.price.amount == Decimal("24.00")
    assert got.sku == "FH-LL-01"


# -- when the profile runs ----------------------------------------------------------------------------------

COMPLETE_JSONLD = {
    "@context": "https://schema.org", "@type": "Product", "name": "Lumen Lantern", "sku": "FH-LL-01",
    "gtin13": "4006381333931", "mpn": "LL-01",
    "offers": {
        "@type": "Offer", "price": "24.00", "priceCurrency": "GBP", "availability": "https://schema.org/InStock",
        "seller": {"@type": "Organization", "name": "Fernhollow Outfitters"},
        "shippingDetails": {"@type": "OfferShippingDetails",
                            "shippingRate": {"@type": "MonetaryAmount", "value": "3.50", "currency": "GBP"}},
    },
}  # fmt: skip


def jsonld_page(data: dict[str, Any]) -> str:
    return woo_page("").replace("</head>", f'<script type="application/ld+json">{json.dumps(data)}</script></head>')


def test_the_profile_is_not_looked_for_when_structured_data_gave_every_field(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def counting(page: Any, platform: str | None = None) -> None:
        calls.append("find_profile")

    monkeypatch.setattr(extraction, "find_profile", counting)
    got = extract(jsonld_page(COMPLETE_JSONLD), WOO_URL)
    assert got.method == "json-ld" and got.shipping is not None and got.seller_name == "Fernhollow Outfitters"
    assert calls == []
    without_shipping = {**COMPLETE_JSONLD, "offers": {**COMPLETE_JSONLD["offers"], "shippingDetails": None}}
    extract(jsonld_page(without_shipping), WOO_URL)
    assert calls == ["find_profile"]


def test_a_failing_profile_leaves_structured_datas_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(page: Any, platform: str | None = None) -> None:
        raise RuntimeError("profile bug")

    monkeypatch.setattr(extraction, "find_profile", broken)
    got = extract(shopify_page([variant("FH-LL-MOSS", 12900)]), SHOPIFY_URL, site_currency_first=True)
    assert got.status is ExtractionStatus.OK and got.price is not None and got.price.amount == Decimal("129.00")
    assert got.method == "opengraph" and got.sku is None


def test_a_platform_narrows_the_profiles_tried() -> None:
    got = extract(shopify_page([variant("FH-LL-MOSS", 12900)]), SHOPIFY_URL, platform="amazon")
    assert got.method == "opengraph" and got.sku is None and got.profile is None


# -- shipping currency --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "shipping"),
    [
        ({"value": "3.50", "currency": "GBP"}, (Decimal("3.50"), "GBP")),
        ({"value": "3.50"}, (Decimal("3.50"), "GBP")),  # no currency named: the offer's
        ({"value": "4.20", "currency": "EUR"}, None),  # another currency than the price's: left out
        ({"value": "4.20", "currency": "XYZ"}, None),  # a currency nobody can name
    ],
)
def test_structured_shipping_is_reported_only_in_the_prices_currency(
    rate: dict[str, str], shipping: tuple[Decimal, str] | None
) -> None:
    details = {"@type": "OfferShippingDetails", "shippingRate": {"@type": "MonetaryAmount", **rate}}
    data = {**COMPLETE_JSONLD, "offers": {**COMPLETE_JSONLD["offers"], "shippingDetails": details}}
    got = extract(jsonld_page(data), WOO_URL)
    assert got.price is not None and got.price.currency == "GBP"
    assert (None if got.shipping is None else (got.shipping.amount, got.shipping.currency)) == shipping


# -- variants told apart by the structured offer's sku ------------------------------------------------------

PDD_URL = "https://mobile.yangkeduo.com/goods.html?goods_id=523118806699"


def pdd_page(offer_sku: str) -> str:
    skus = [
        {"skuId": 1, "outerSkuId": "LC-EB-RED", "groupPrice": 9890, "quantity": 5, "barcode": "6901234567892"},
        {"skuId": 2, "outerSkuId": "LC-EB-BLUE", "groupPrice": 9890, "quantity": 5, "barcode": "6901234567885"},
    ]
    state = {"store": {"initDataObj": {"goods": {"goodsName": "岭川 蓝牙耳机", "skus": skus},
                                       "mall": {"mallName": "岭川影音旗舰店"}}}}  # fmt: skip
    jsonld = {"@context": "https://schema.org", "@type": "Product", "name": "岭川 蓝牙耳机",
              "offers": {"@type": "Offer", "price": "98.90", "priceCurrency": "CNY", "sku": offer_sku,
                         "availability": "https://schema.org/InStock"}}  # fmt: skip
    return (
        f'<html><head><script type="application/ld+json">{json.dumps(jsonld, ensure_ascii=False)}</script></head>'
        f"<body><div id='main'>¥98.9</div><script>window.rawData = {json.dumps(state, ensure_ascii=False)};"
        "</script></body></html>"
    )


@pytest.mark.parametrize(("sku", "gtin"), [("LC-EB-BLUE", "6901234567885"), ("lc-eb-red", "6901234567892")])
def test_variants_at_one_price_are_told_apart_by_the_offers_sku(sku: str, gtin: str) -> None:
    got = extract(pdd_page(sku), PDD_URL)
    assert got.method == "json-ld" and got.price is not None and got.price.amount == Decimal("98.90")
    assert (got.sku, got.gtin, got.seller_name) == (sku, gtin, "岭川影音旗舰店")
    assert got.profile == "pinduoduo" and set(got.profile_fields) == {"gtin", "seller_name"}
    # an sku no variant has: only what both variants agree on
    other = extract(pdd_page("LC-EB-GREEN"), PDD_URL)
    assert (other.gtin, other.seller_name) == (None, "岭川影音旗舰店")
