"""Platform page shapes served by the sandbox read back, through their profiles, as the offer's numbers."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
import requests

from crawlers.extraction import ExtractionStatus, extract
from oneprice.settings import LoadedConfig
from sandbox import Sandbox
from sandbox.seed import PROFILE_SHAPES, Offer, OtherSeller, load_offers
from sandbox.shapes import jd_sku

HOSTILE = '山屿 <script>alert(1)</script> & "限时" </script><b>'

EXTRA = (
    Offer(id="summit-bottle", platform="shopify", seller="Summit Gear", sku="SY-TM35", price=Decimal("119.00"),
          list_price=Decimal("139.00"), shape="shopify"),
    Offer(id="ebay-boots", platform="ebay", seller="trailgear-eu", sku="SY-BT11-43", price=Decimal("749.00"),
          shipping=Decimal("25.00"), shape="ebay", listing_sku="2850123456"),
    Offer(id="hostile-tmall", platform="tmall", seller=HOSTILE, sku="SY-HL34", price=Decimal("99.00"),
          title=HOSTILE, shape="tmall"),
    Offer(id="hostile-pdd", platform="pinduoduo", seller=HOSTILE, sku="SY-HL34", price=Decimal("0.01"),
          title=HOSTILE, shape="pinduoduo"),
    Offer(id="many-sellers", platform="amazon", seller="A", sku="SY-HL34", price=Decimal("160.00"),
          shape="offer_listing", other_sellers=(OtherSeller(seller="B", price=Decimal("161.50")),
                                                OtherSeller(seller=HOSTILE, price=Decimal("170.00")))),
)  # fmt: skip


@pytest.fixture(scope="module")
def shapes_sandbox(demo_config: LoadedConfig) -> Iterator[tuple[Sandbox, str]]:
    offers = (*load_offers().offers, *EXTRA)
    box = Sandbox(demo_config.settings.brand.name, demo_config.catalog, offers, {})
    with box.running(port=0) as url:
        yield box, url


def read(url: str, platform: str) -> object:
    page = requests.get(url, timeout=10)
    assert page.status_code == 200
    got = extract(page.content, url, platform=platform)
    if got.follow_up:
        answer = requests.get(got.follow_up, timeout=10)
        assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("application/json")
        got = extract(page.content, url, platform=platform, follow_up_body=answer.content)
    return got


OFFERS = [o for o in (*load_offers().offers, *EXTRA) if o.shape in PROFILE_SHAPES]


@pytest.mark.parametrize("offer", OFFERS, ids=lambda o: o.id)
def test_every_profile_shape_reads_back_as_the_offer(shapes_sandbox: tuple[Sandbox, str], offer: Offer) -> None:
    _, base = shapes_sandbox
    got = read(base + offer.path, offer.platform)
    assert got.status is ExtractionStatus.OK, got.reason  # type: ignore[attr-defined]
    offers = got.offers or (got,)  # type: ignore[attr-defined]
    sellers = [offer.seller, *[o.seller for o in offer.other_sellers]]
    prices = [offer.price, *[o.price for o in offer.other_sellers]]
    assert [o.seller_name for o in offers] == sellers
    assert [o.price.amount for o in offers] == prices
    assert all(o.method == "profile" and o.price_kind == "sale" for o in offers)
    if offer.shipping:
        assert offers[0].shipping is not None and offers[0].shipping.amount == offer.shipping
    if offer.title:
        assert offers[0].title == offer.title  # escaped on the page, read back as the same text


def test_hostile_titles_stay_data(shapes_sandbox: tuple[Sandbox, str]) -> None:
    _, base = shapes_sandbox
    for path in ("/shop/tmall/item/hostile-tmall", "/shop/pinduoduo/item/hostile-pdd"):
        html = requests.get(base + path, timeout=10).text
        body = html.split("</head>", 1)[1]
        assert "<script>alert(1)" not in body and "</script><b>" not in body.replace("</script>\n", "")


def test_jd_price_service_answers_unknown_ids_with_not_on_sale(shapes_sandbox: tuple[Sandbox, str]) -> None:
    _, base = shapes_sandbox
    known = jd_sku("beiji-daypack")
    r = requests.get(f"{base}/shop/jd/prices/mgets", params={"skuIds": f"J_{known},J_1,x"}, timeout=10)
    assert r.json() == [
        {"id": f"J_{known}", "p": "529.00", "op": "599.00", "m": "599.00"},
        {"id": "J_1", "p": "-1.00", "op": "-1.00"},
        {"id": "x", "p": "-1.00", "op": "-1.00"},
    ]


def test_shopify_product_js_has_prices_in_cents(shapes_sandbox: tuple[Sandbox, str]) -> None:
    _, base = shapes_sandbox
    data = requests.get(f"{base}/shop/shopify/products/summit-bottle.js", timeout=10).json()
    assert data["variants"][0]["price"] == 11900 and data["variants"][0]["compare_at_price"] == 13900
    assert requests.get(f"{base}/shop/shopify/products/nope.js", timeout=10).status_code == 404
    assert requests.get(f"{base}/shop/shopify/products/flagship-jacket", timeout=10).status_code == 404


VARIANT_PAGES = [o for o in load_offers().offers if o.variants]


@pytest.mark.parametrize("offer", VARIANT_PAGES, ids=lambda o: o.id)
def test_a_page_listing_variants_reads_back_as_one_offer_per_variant(
    shapes_sandbox: tuple[Sandbox, str], demo_config: LoadedConfig, offer: Offer
) -> None:
    _, base = shapes_sandbox
    got = read(base + offer.path, offer.platform)
    products = demo_config.catalog.by_sku()
    listed = sorted([(offer.price, offer.sku), *((v.price, v.sku) for v in offer.variants)])
    read_back = sorted((o.price.amount, o.sku) for o in got.offers if o.price is not None)  # type: ignore[attr-defined]
    assert read_back == listed
    for o in got.offers:  # type: ignore[attr-defined]
        gtin = products[o.sku].gtin if offer.shape == "jsonld" else None  # WooCommerce's variations name none
        assert (o.seller_name, o.gtin, o.title) == (offer.seller, gtin, products[o.sku].name)
