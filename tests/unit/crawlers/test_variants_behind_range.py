"""A price range is read as the variants behind it, where the page lists them and they agree with it.

A variable product states "¥1,199.00 – ¥1,599.00" in its price box and its structured data, and lists
each variation's price and SKU for its add-to-cart form (WooCommerce's `data-product_variations`).
Judged as its low end, the range compares the 128 GB variant's price with the 256 GB variant's
unified price; read as its variants, each is matched to its own product.
"""

from __future__ import annotations

import html
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from brand_config import two_variant_spider
from saved_pages import page
from scrapy.http import HtmlResponse

from crawlers.candidates import OfferRead, PriceCandidate, variants_within
from crawlers.extraction import extract
from crawlers.spiders.watch import WatchSpider
from oneprice.domain.observation import ObservationStatus

URL = "https://kestrel-digital.invalid/product/onephone-12/"


def variation(sku: str, price: str, *, regular: str | None = None, slug: str = "", **extra: Any) -> dict[str, Any]:
    return {
        "attributes": {"attribute_pa_storage": slug or sku.split("-")[1].lower() + "gb"},
        "display_price": Decimal(price),
        "display_regular_price": Decimal(regular or price),
        "sku": sku,
        "is_in_stock": True,
        "is_purchasable": True,
        "variation_id": abs(hash(sku)) % 10_000,
        **extra,
    }


def store_page(
    variations: list[dict[str, Any]],
    box: str = "¥1,199.00 – ¥1,599.00",
    jsonld: dict[str, Any] | None = None,
    options: str = '<option value="128gb">128GB</option><option value="256gb">256GB</option>',
) -> bytes:
    data = html.escape(json.dumps(variations, default=str, ensure_ascii=False), quote=True)
    ld = f'<script type="application/ld+json">{json.dumps(jsonld, ensure_ascii=False)}</script>' if jsonld else ""
    amounts = "".join(
        f'<span class="woocommerce-Price-amount amount"><bdi>{part.strip()}</bdi></span> ' for part in box.split("–")
    )
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>OnePhone 12 – Kestrel Digital</title>
<meta property="og:site_name" content="Kestrel Digital">{ld}</head>
<body class="single-product woocommerce"><div class="product product-type-variable"><div class="summary entry-summary">
<h1 class="product_title">OnePhone 12</h1><p class="price">{amounts}</p>
<form class="variations_form cart" data-product_id="88" data-product_variations="{data}">
<table class="variations"><tr><td><select name="attribute_pa_storage"><option value="">选择</option>{options}</select>
</td></tr></table></form>
<div class="product_meta"><span class="sku_wrapper">SKU: <span class="sku">OP12</span></span></div>
</div></div></body></html>""".encode()


TWO = [variation("OP12-128-SLV", "1199.00"), variation("OP12-256-SLV", "1599.00")]


def offers_of(body: bytes) -> list[tuple[str | None, str | None, Decimal | None, str | None]]:
    got = extract(body, URL)
    return [(o.title, o.sku, o.price and o.price.amount, o.price_kind) for o in (got.offers or (got,))]


def test_a_price_box_range_is_the_variations_of_the_form() -> None:
    assert offers_of(store_page(TWO)) == [
        ("OnePhone 12 128GB", "OP12-128-SLV", Decimal("1199.00"), "sale"),
        ("OnePhone 12 256GB", "OP12-256-SLV", Decimal("1599.00"), "sale"),
    ]
    got = extract(store_page(TWO), URL)
    assert {(o.seller_name, o.price and o.price.currency, o.profile) for o in got.offers} == {
        ("Kestrel Digital", "CNY", "woocommerce")
    }


def test_a_variation_on_sale_sold_out_or_without_its_own_sku() -> None:
    variations = [
        variation("OP12-128-SLV", "1199.00", regular="1299.00"),  # on sale: its regular price is the list price
        variation("OP12", "1399.00", slug="%e6%98%9f%e5%85%89%e9%93%b6"),  # the parent's SKU: none of its own
        variation("OP12-256-SLV", "1599.00"),
        variation("OP12-512-SLV", "1999.00", is_in_stock=False),  # sold out: no offer
    ]
    options = '<option value="128gb">128GB</option><option value="256gb">256GB</option>'
    got = extract(
        store_page(variations, options=options + '<option value="%e6%98%9f%e5%85%89%e9%93%b6">星光银</option>'), URL
    )
    assert [(o.title, o.sku, o.price and o.price.amount) for o in got.offers] == [
        ("OnePhone 12 128GB", "OP12-128-SLV", Decimal("1199.00")),
        ("OnePhone 12 星光银", None, Decimal("1399.00")),
        ("OnePhone 12 256GB", "OP12-256-SLV", Decimal("1599.00")),
    ]
    first = got.offers[0]
    assert {(c.kind, c.amount) for c in first.candidates} == {
        ("sale", Decimal("1199.00")),
        ("list", Decimal("1299.00")),
    }
    keys = [o.offer_key for o in got.offers]
    assert len(set(keys)) == 3 and keys[0] == "OP12-128-SLV" and keys[1].isdigit()  # the variation's id


@pytest.mark.parametrize(
    ("box", "variations", "why"),
    [
        ("¥1,099.00 – ¥1,599.00", TWO, "the range starts below every variation"),
        ("¥1,199.00 – ¥1,499.00", TWO, "a variation costs more than the range's top"),
        ("¥1,299.00", TWO, "one price shown, the variations differ from it"),
        ("¥1,199.00 – ¥1,599.00", TWO[:1], "one variation"),
        ("¥1,199.00 – ¥1,599.00", [variation("OP12-128-SLV", "1199.00"), variation("OP12-128-SLV", "1599.00")],
         "two variations with one key"),
    ],
)  # fmt: skip
def test_variations_that_disagree_with_the_price_box_leave_the_box_reading(
    box: str, variations: list[dict[str, Any]], why: str
) -> None:
    got = extract(store_page(variations, box=box), URL)
    assert got.offers == (), why
    assert got.sku == "OP12" and got.price is not None
    assert got.price.amount == Decimal(box.split("–")[0].strip().lstrip("¥").replace(",", "")), why


def aggregate(low: str, high: str) -> dict[str, Any]:
    return {
        "@context": "https://schema.org/",
        "@type": "Product",
        "name": "OnePhone 12",
        "sku": "OP12",
        "offers": [
            {
                "@type": "AggregateOffer",
                "lowPrice": low,
                "highPrice": high,
                "offerCount": 2,
                "priceCurrency": "CNY",
                "availability": "https://schema.org/InStock",
            }
        ],
    }


def test_a_structured_range_is_the_variants_the_profile_lists_behind_it() -> None:
    got = extract(store_page(TWO, jsonld=aggregate("1199.00", "1599.00")), URL)
    assert [(o.sku, o.price and o.price.amount, o.method) for o in got.offers] == [
        ("OP12-128-SLV", Decimal("1199.00"), "profile"),
        ("OP12-256-SLV", Decimal("1599.00"), "profile"),
    ]
    assert all("within the structured range 1199.00-1599.00" in o.why for o in got.offers)
    assert {o.seller_name for o in got.offers} == {"Kestrel Digital"}


def test_a_structured_range_the_variants_do_not_fill_stays_a_range() -> None:
    got = extract(store_page(TWO, jsonld=aggregate("999.00", "1599.00"), box="¥999.00 – ¥1,599.00"), URL)
    assert got.offers == ()
    assert (got.method, got.price_kind, got.price and got.price.amount) == ("json-ld", "range", Decimal("999.00"))
    assert got.price_high == Decimal("1599.00") and got.sku == "OP12"


def _offer(key: str, amount: str, currency: str = "CNY", available: bool = True) -> OfferRead:
    candidate = PriceCandidate(Decimal(amount), currency, "sale", "profile:test", amount, Decimal("0.85"))
    return OfferRead(candidates=(candidate,), key=key, available=available)


@pytest.mark.parametrize(
    ("offers", "low", "high", "expected"),
    [
        ([_offer("a", "45"), _offer("b", "65")], "45", "65", True),
        ([_offer("a", "45"), _offer("b", "65")], "45", None, True),  # a "from" price
        ([_offer("a", "45"), _offer("b", "70")], "45", "65", False),
        ([_offer("a", "50"), _offer("b", "65")], "45", "65", False),
        ([_offer("a", "45"), _offer("b", "45")], "45", "65", False),  # all at one price
        ([_offer("a", "45")], "45", "65", False),
        ([_offer("a", "45"), _offer("a", "65")], "45", "65", False),
        ([_offer("", "45"), _offer("b", "65")], "45", "65", False),
        ([_offer("a", "45"), _offer("b", "65", "USD")], "45", "65", False),
        ([_offer("a", "45"), _offer("b", "65"), _offer("c", "99", available=False)], "45", "65", True),
    ],
)
def test_variants_within(offers: list[OfferRead], low: str, high: str | None, expected: bool) -> None:
    assert variants_within(offers, Decimal(low), Decimal(high) if high else None, "CNY") is expected


# -- the watch spider: each variation judged against its own product ----------------------------------


@pytest.fixture
def store_spider(tmp_path: Path) -> WatchSpider:
    spider: WatchSpider = two_variant_spider(tmp_path, "kestrel-op12", URL)
    return spider


def test_each_variation_is_an_observation_of_its_own_product(store_spider: WatchSpider) -> None:
    request = next(iter(store_spider.start_requests()))
    body = store_page(TWO, jsonld=aggregate("1199.00", "1599.00"))
    response = HtmlResponse(URL, body=body, headers={"Content-Type": "text/html; charset=utf-8"}, request=request)
    items = list(store_spider.parse(response))
    assert [(i.status, i.product_sku, i.price, i.price_kind, i.match_method) for i in items] == [
        (ObservationStatus.OK, "OP12-128-SLV", Decimal("1199.00"), "sale", "sku"),
        (ObservationStatus.OK, "OP12-256-SLV", Decimal("1599.00"), "sale", "sku"),
    ]
    assert len({i.visit for i in items}) == 1


def test_a_store_whose_variations_have_no_skus_of_their_own() -> None:
    """As stores write it: variations with empty SKUs, not in price order, the product's SKU "N/A",
    a "INC. VAT" suffix after the range, the select's placeholder option."""
    got = extract(page("woocommerce/variable_no_skus.html"), "https://harbourline.invalid/product/deck-oil/")
    assert [(o.title, o.sku, o.offer_key, o.price and o.price.amount) for o in got.offers] == [
        ("Harbourline Deck Oil 1lt", None, "1212", Decimal("16.21")),
        ("Harbourline Deck Oil 5lt", None, "1211", Decimal("43.42")),
    ]
    assert {o.price and o.price.currency for o in got.offers} == {"GBP"}


def test_variation_prices_written_as_long_floats_are_read_in_the_currency_s_minor_unit() -> None:
    """PHP without `serialize_precision` writes 16.20 as the float behind it."""
    long_floats = [
        variation("OP12-128-SLV", "1199.00"),
        {
            **variation("OP12-256-SLV", "1599.00"),
            "display_price": Decimal("1598.999999999999772626324556767940521240234375"),
        },
    ]
    long_floats[1]["display_regular_price"] = long_floats[1]["display_price"]
    got = extract(store_page(long_floats), URL)
    assert [o.price and o.price.amount for o in got.offers] == [Decimal("1199.00"), Decimal("1599.00")]
    assert [c.amount for c in got.offers[1].candidates] == [Decimal("1599.00")]  # no list price at a float's edge


def test_a_structured_range_on_a_shopify_page_is_its_variants_too() -> None:
    """Any profile's variants: a theme's JSON-LD range beside the variants Shopify's page state lists."""
    body = page("shopify/product_analytics_meta.html")
    url = "https://northfork-trading.invalid/products/northfork-down-bag"
    ld = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Northfork Down Sleeping Bag -5°C",
        "offers": {"@type": "AggregateOffer", "lowPrice": "189.00", "highPrice": "209.00", "priceCurrency": "GBP"},
    }
    script = f'<script type="application/ld+json">{json.dumps(ld)}</script></head>'.encode()
    got = extract(body.replace(b"</head>", script, 1), url)
    assert [(o.sku, o.price and o.price.amount, o.method) for o in got.offers] == [
        ("NF-DSB-REG", Decimal("189.00"), "profile"),
        ("NF-DSB-LNG", Decimal("209.00"), "profile"),
    ]
    narrower = script.replace(b'"189.00"', b'"179.00"')  # the cheapest variant is not the range's low end
    got = extract(body.replace(b"</head>", narrower, 1), url)
    assert got.offers == () and (got.method, got.price_kind) == ("json-ld", "range")
