"""Structured data listing several variants or sellers: one offer each, each matched to its own product.

A page's JSON-LD or microdata often lists every variant of a product (Shopify and WooCommerce themes
write one Offer per variant; schema.org's ProductGroup lists `hasVariant`) or, on an offer listing,
every seller's offer. The lowest of them is not the price of the variant a brand watches.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from brand_config import two_variant_spider as make_spider
from scrapy.http import HtmlResponse

from crawlers.extraction import Extraction, ExtractionStatus, extract
from crawlers.spiders.watch import WatchSpider
from oneprice.domain.observation import ObservationStatus

URL = "https://shop.example/products/onephone-12"


def jsonld_page(*documents: Any, body: str = "<h1>OnePhone 12</h1>") -> str:
    scripts = "".join(f'<script type="application/ld+json">{json.dumps(d)}</script>' for d in documents)
    return f"<html><head><title>OnePhone 12</title>{scripts}</head><body>{body}</body></html>"


def offer(price: str, **fields: Any) -> dict[str, Any]:
    return {"@type": "Offer", "price": price, "priceCurrency": "CNY", **fields}


def offers_of(got: Extraction) -> list[tuple[Decimal | None, str | None, str | None]]:
    return [(o.price.amount if o.price else None, o.sku, o.seller_name) for o in (got.offers or (got,))]


def test_offers_with_their_own_skus_are_one_offer_each_lowest_first() -> None:
    page = jsonld_page(
        {
            "@context": "https://schema.org",
            "@type": "Product",
            "name": "OnePhone 12",
            "sku": "OP12",
            "offers": [
                offer("1599.00", sku="OP12-256-SLV", availability="https://schema.org/InStock"),
                offer("1299.00", sku="OP12-128-SLV", availability="https://schema.org/InStock"),
                offer("1999.00", sku="OP12-512-SLV", availability="https://schema.org/OutOfStock"),
            ],
        }
    )
    got = extract(page, URL)
    assert got.status is ExtractionStatus.OK
    assert offers_of(got) == [(Decimal("1299.00"), "OP12-128-SLV", None), (Decimal("1599.00"), "OP12-256-SLV", None)]
    assert [o.offer_key for o in got.offers] == ["OP12-128-SLV", "OP12-256-SLV"]
    # Each offer's candidates are its own variant's; the sold-out variant gives no offer.
    assert [[c.amount for c in o.candidates] for o in got.offers] == [[Decimal("1299.00")], [Decimal("1599.00")]]
    assert all(o.method == "json-ld" and o.model is None for o in got.offers)
    assert got.offers[1].why == "lowest available structured offer of OP12-256-SLV"


def test_several_prices_of_one_item_stay_one_offer_at_the_lowest() -> None:
    """A list and a sale offer, or new and used, of the same sku are one item: the lowest is kept."""
    page = jsonld_page(
        {
            "@type": "Product",
            "name": "OnePhone 12",
            "sku": "OP12-128-SLV",
            "gtin13": "6901234567892",
            "offers": [offer("1399.00"), offer("1299.00", sku="OP12-128-SLV")],
        }
    )
    got = extract(page, URL)
    assert got.offers == ()
    assert (got.price.amount if got.price else None, got.sku, got.gtin) == (
        Decimal("1299.00"),
        "OP12-128-SLV",
        "6901234567892",
    )
    assert {c.amount for c in got.candidates} == {Decimal("1299.00"), Decimal("1399.00")}
    assert got.why == "lowest available structured offer"


def product_group() -> dict[str, Any]:
    """schema.org's shape for variants on one page: a ProductGroup and its `hasVariant` Products."""
    return {
        "@context": "https://schema.org/",
        "@type": "ProductGroup",
        "name": "OnePhone 12",
        "productGroupID": "OP12",
        "variesBy": ["https://schema.org/size"],
        "hasVariant": [
            {
                "@type": "Product",
                "sku": "OP12-256-SLV",
                "gtin13": "6901234567908",
                "name": "OnePhone 12 256GB 星光银",
                "offers": offer("1599.00", availability="https://schema.org/InStock"),
            },
            {
                "@type": "Product",
                "sku": "OP12-128-SLV",
                "gtin13": "6901234567892",
                "name": "OnePhone 12 128GB 星光银",
                "offers": offer("1299.00", availability="https://schema.org/InStock"),
            },
            {
                "@type": "Product",
                "sku": "OP12-512-SLV",
                "name": "OnePhone 12 512GB 星光银",
                "offers": offer("1999.00", availability="https://schema.org/SoldOut"),
            },
        ],
    }


def test_a_product_group_gives_each_variant_with_its_name_sku_and_gtin() -> None:
    got = extract(jsonld_page(product_group()), URL)
    assert [(o.price.amount if o.price else None, o.title, o.sku, o.gtin) for o in got.offers] == [
        (Decimal("1299.00"), "OnePhone 12 128GB 星光银", "OP12-128-SLV", "6901234567892"),
        (Decimal("1599.00"), "OnePhone 12 256GB 星光银", "OP12-256-SLV", "6901234567908"),
    ]


def test_variants_naming_their_group_are_read_together() -> None:
    """The other shape: each variant a Product of its own, naming its group with `isVariantOf`."""
    group = {"@type": "ProductGroup", "@id": "#op12", "name": "OnePhone 12", "productGroupID": "OP12"}
    variants = [
        {
            "@type": "Product",
            "isVariantOf": {"@id": "#op12"},
            "sku": sku,
            "name": f"OnePhone 12 {size}",
            "offers": offer(price),
        }
        for sku, size, price in (("OP12-256-SLV", "256GB", "1599.00"), ("OP12-128-SLV", "128GB", "1299.00"))
    ]
    got = extract(jsonld_page({"@context": "https://schema.org", "@graph": [group, *variants]}), URL)
    assert offers_of(got) == [(Decimal("1299.00"), "OP12-128-SLV", None), (Decimal("1599.00"), "OP12-256-SLV", None)]


def test_the_item_offered_names_the_variant() -> None:
    page = jsonld_page(
        {
            "@type": "Product",
            "name": "OnePhone 12",
            "offers": [
                offer("1599.00", itemOffered={"@type": "Product", "name": "256GB 星光银", "sku": "OP12-256-SLV"}),
                offer("1299.00", itemOffered={"@type": "Product", "name": "128GB 星光银", "sku": "OP12-128-SLV"}),
            ],
        }
    )
    got = extract(page, URL)
    titles = [(o.title, o.sku) for o in got.offers]
    assert titles == [("128GB 星光银", "OP12-128-SLV"), ("256GB 星光银", "OP12-256-SLV")]


OFFER_LISTING = """
<html><head><title>OnePhone 12 128GB - all offers</title></head><body>
<div itemscope itemtype="https://schema.org/Product">
  <h1 itemprop="name">OnePhone 12 128GB 星光银</h1>
  <meta itemprop="gtin13" content="6901234567892">
  <div itemprop="offers" itemscope itemtype="https://schema.org/Offer">
    <span itemprop="seller" itemscope itemtype="https://schema.org/Organization">
      <span itemprop="name">星辰数码专营店</span></span>
    <meta itemprop="priceCurrency" content="CNY"><span itemprop="price" content="1299.00">¥1299.00</span>
    <link itemprop="availability" href="https://schema.org/InStock">
  </div>
  <div itemprop="offers" itemscope itemtype="https://schema.org/Offer">
    <span itemprop="seller" itemscope itemtype="https://schema.org/Organization">
      <span itemprop="name">&lt;script&gt;alert(1)&lt;/script&gt;低价店</span></span>
    <meta itemprop="priceCurrency" content="CNY"><span itemprop="price" content="1099.00">¥1099.00</span>
    <link itemprop="availability" href="https://schema.org/InStock">
  </div>
  <div itemprop="offers" itemscope itemtype="https://schema.org/Offer">
    <span itemprop="seller" itemscope itemtype="https://schema.org/Organization">
      <span itemprop="name">星辰数码专营店</span></span>
    <meta itemprop="priceCurrency" content="CNY"><span itemprop="price" content="1349.00">¥1349.00</span>
  </div>
</div></body></html>
"""


def test_an_offer_listing_gives_one_offer_per_seller() -> None:
    got = extract(OFFER_LISTING, "https://market.example/offers/op12")
    assert offers_of(got) == [
        (Decimal("1099.00"), None, "<script>alert(1)</script>低价店"),
        (Decimal("1299.00"), None, "星辰数码专营店"),
    ]
    assert all(o.method == "microdata" and o.gtin == "6901234567892" for o in got.offers)
    assert got.offers[1].offer_key == "星辰数码专营店 / 6901234567892"
    assert [c.amount for c in got.offers[1].candidates] == [Decimal("1299.00"), Decimal("1349.00")]


def test_a_summary_aggregate_offer_is_left_out_beside_the_sellers_it_sums_up() -> None:
    page = jsonld_page(
        {
            "@type": "Product",
            "name": "OnePhone 12 128GB",
            "offers": {
                "@type": "AggregateOffer",
                "lowPrice": "1099.00",
                "highPrice": "1299.00",
                "priceCurrency": "CNY",
                "offers": [
                    offer("1299.00", seller={"@type": "Organization", "name": "星辰数码专营店"}),
                    offer("1099.00", seller={"@type": "Organization", "name": "峰行户外专营店"}),
                ],
            },
        }
    )
    got = extract(page, URL)
    assert offers_of(got) == [
        (Decimal("1099.00"), None, "峰行户外专营店"),
        (Decimal("1299.00"), None, "星辰数码专营店"),
    ]
    assert all(o.price_kind == "sale" for o in got.offers)


def test_variant_lists_are_bounded_on_hostile_pages() -> None:
    many = [offer(f"{1000 + i}.00", sku=f"V-{i}") for i in range(1000)]
    got = extract(jsonld_page({"@type": "Product", "name": "OnePhone 12", "offers": many}), URL)
    assert 1 < len(got.offers) <= 200
    assert got.price is not None and got.price.amount == Decimal("1000.00")


# -- the watch spider: each variant judged against its own product ------------------------------------


@pytest.fixture
def two_variant_spider(tmp_path: Path) -> WatchSpider:
    spider: WatchSpider = make_spider(tmp_path, "shop-op12-256", URL)
    return spider


def test_each_variant_is_an_observation_of_its_own_product(two_variant_spider: WatchSpider) -> None:
    spider = two_variant_spider
    request = next(iter(spider.start_requests()))
    body = jsonld_page(product_group()).encode()
    response = HtmlResponse(URL, body=body, headers={"Content-Type": "text/html; charset=utf-8"}, request=request)
    items = list(spider.parse(response))
    assert [(i.status, i.product_sku, i.price, i.offer_key) for i in items] == [
        (ObservationStatus.OK, "OP12-128-SLV", Decimal("1299.00"), "OP12-128-SLV"),
        (ObservationStatus.OK, "OP12-256-SLV", Decimal("1599.00"), "OP12-256-SLV"),
    ]
    # Both offers belong to one visit of the target, and each is a listing of its own for review.
    assert len({i.visit for i in items}) == 1
    assert all(i.target_id == "shop-op12-256" and i.match_method == "gtin" for i in items)
