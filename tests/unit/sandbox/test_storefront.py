"""Storefront pages: every seeded offer in its shape, escaping of hostile text, the brand's own pages."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any, get_args

import extruct
import pytest
import requests
from price_parser import Price

from oneprice.settings import LoadedConfig
from sandbox import Offer, Sandbox, load_offers
from sandbox.seed import PageShape, format_price
from sandbox.storefront import Storefront, json_for_script

OFFERS = load_offers().offers
HOSTILE = "<script>alert(1)</script>"


def by_shape(shape: str) -> list[Offer]:
    """The offers of a shape whose page is served (a removed listing's address redirects)."""
    return [o for o in OFFERS if o.shape == shape and o.moved_to is None]


MOVED = [o for o in OFFERS if o.moved_to is not None]


@pytest.mark.parametrize("offer", MOVED, ids=lambda o: o.id)
def test_a_removed_listing_redirects_and_is_found_no_more(sandbox: Sandbox, offer: Offer) -> None:
    r = requests.get(sandbox.url + offer.path, timeout=10, allow_redirects=False)
    assert (r.status_code, r.headers["Location"]) == (301, offer.moved_to)
    assert offer.moved_to is not None and "/search?" in offer.moved_to
    found = requests.get(sandbox.url + offer.moved_to, timeout=10).content.decode("utf-8")
    assert "云端登山用品" in found and offer.path not in found and offer.seller not in found


def fetch(sandbox: Sandbox, offer: Offer) -> str:
    r = requests.get(sandbox.url + offer.path, timeout=10)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    return r.content.decode("utf-8")


def body_of(html: str) -> str:
    return html.split("</head>", 1)[1]


def products_in(data: dict[str, Any], syntax: str) -> list[dict[str, Any]]:
    items = data[syntax]
    if syntax == "microdata":
        return [i["properties"] for i in items if i.get("type") == "https://schema.org/Product"]
    return [i for i in items if i.get("@type") == "Product"]


def test_every_shape_is_seeded() -> None:
    # shopify and ebay pages are served too; tests/unit/sandbox/test_storefront_shapes.py seeds them.
    assert {o.shape for o in OFFERS} == set(get_args(PageShape)) - {"shopify", "ebay"}


@pytest.mark.parametrize("offer", by_shape("jsonld"), ids=lambda o: o.id)
def test_jsonld_pages(sandbox: Sandbox, demo_config: LoadedConfig, offer: Offer) -> None:
    html = fetch(sandbox, offer)
    product = demo_config.catalog.by_sku()[offer.sku]
    data = extruct.extract(html, syntaxes=["json-ld"])
    if offer.variants:  # a ProductGroup: this offer's product first among its variants, then the others
        (group,) = [i for i in data["json-ld"] if i.get("@type") == "ProductGroup"]
        assert group["brand"]["name"] == demo_config.settings.brand.name
        assert [v["sku"] for v in group["hasVariant"]] == [offer.sku, *(v.sku for v in offer.variants)]
        assert [Decimal(v["offers"]["price"]) for v in group["hasVariant"][1:]] == [v.price for v in offer.variants]
        ld = group["hasVariant"][0]
    else:
        (ld,) = products_in(data, "json-ld")
        assert ld["brand"]["name"] == demo_config.settings.brand.name
    assert ld["name"] == (offer.title or product.name)
    assert ld["sku"] == (offer.listing_sku or offer.sku)
    assert ld["gtin13"] == product.gtin
    assert ld["offers"]["@type"] == "Offer"
    assert Decimal(ld["offers"]["price"]) == offer.price
    assert ld["offers"]["priceCurrency"] == "CNY"
    assert ld["offers"]["availability"] == "https://schema.org/InStock"
    assert ld["offers"]["seller"] == {"@type": "Organization", "name": offer.seller}
    assert 'class="shop-name"' in body_of(html) and offer.seller in body_of(html)


@pytest.mark.parametrize("offer", by_shape("microdata"), ids=lambda o: o.id)
def test_microdata_pages(sandbox: Sandbox, demo_config: LoadedConfig, offer: Offer) -> None:
    html = fetch(sandbox, offer)
    product = demo_config.catalog.by_sku()[offer.sku]
    data = extruct.extract(html, syntaxes=["json-ld", "microdata"])
    assert data["json-ld"] == []
    (md,) = products_in(data, "microdata")
    assert (md["name"], md["sku"], md["gtin13"]) == (product.name, offer.sku, product.gtin)
    offers = md["offers"]["properties"]
    assert Decimal(offers["price"]) == offer.price
    assert offers["priceCurrency"] == "CNY"
    assert offers["seller"]["properties"]["name"] == offer.seller


@pytest.mark.parametrize("offer", by_shape("text_price"), ids=lambda o: o.id)
def test_text_price_pages_show_the_price_only_as_text(
    sandbox: Sandbox, demo_config: LoadedConfig, offer: Offer
) -> None:
    html = fetch(sandbox, offer)
    product = demo_config.catalog.by_sku()[offer.sku]
    data = extruct.extract(html, syntaxes=["json-ld", "microdata"])
    assert data["json-ld"] == []
    (md,) = products_in(data, "microdata")
    assert "offers" not in md and "price" not in md
    assert (md["sku"], md["gtin13"]) == (offer.sku, product.gtin)
    assert 'itemprop="price"' not in html
    text = re.search(r'<span class="price-value">([^<]*)</span>', html)
    shown = f"¥{offer.price:,.2f}" + (" 起" if offer.price_format == "yuan_from" else "")
    assert text is not None and text.group(1) == shown
    assert Price.fromstring(text.group(1)).amount == offer.price
    assert f'<span class="shop-name">{offer.seller}</span>' in html


@pytest.mark.parametrize("offer", by_shape("captcha"), ids=lambda o: o.id)
def test_captcha_pages_carry_no_product_and_no_price(sandbox: Sandbox, offer: Offer) -> None:
    html = fetch(sandbox, offer)
    assert "验证" in html and "滑块" in html
    assert "ld+json" not in html and "itemprop" not in html and "itemscope" not in html
    assert offer.price is not None  # the seed hides a price behind the captcha ...
    for leaked in (str(offer.price), format_price(offer.price, "CNY", "yuan"), "¥", offer.seller, offer.sku):
        assert leaked not in html  # ... which the page must never show


@pytest.mark.parametrize("offer", by_shape("sold_out"), ids=lambda o: o.id)
def test_sold_out_pages_have_no_price(sandbox: Sandbox, offer: Offer) -> None:
    html = fetch(sandbox, offer)
    assert "已售罄" in html and "下架" in html
    assert 'itemprop="price"' not in html and "¥" not in html
    (md,) = products_in(extruct.extract(html, syntaxes=["microdata"]), "microdata")
    assert md["offers"]["properties"] == {"availability": "https://schema.org/OutOfStock"}
    assert offer.seller in html


def test_gtin_only_offer_shows_the_sellers_own_code(sandbox: Sandbox, demo_config: LoadedConfig) -> None:
    (offer,) = [o for o in OFFERS if o.listing_sku]
    (ld,) = products_in(extruct.extract(fetch(sandbox, offer), syntaxes=["json-ld"]), "json-ld")
    assert ld["sku"] == offer.listing_sku and ld["sku"] not in demo_config.catalog.by_sku()
    assert demo_config.catalog.find(gtin=ld["gtin13"]) == demo_config.catalog.by_sku()[offer.sku]


def test_hostile_title_is_escaped(sandbox: Sandbox) -> None:
    (offer,) = [o for o in OFFERS if o.title and HOSTILE in o.title]
    html = fetch(sandbox, offer)
    assert HOSTILE not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body_of(html)
    assert html.count("</script>") == 1  # only the JSON-LD block's own end tag
    (ld,) = products_in(extruct.extract(html, syntaxes=["json-ld"]), "json-ld")
    assert ld["name"] == offer.title


def test_hostile_seller_name_is_escaped_in_every_shape(demo_config: LoadedConfig) -> None:
    seller = '"><img src=x onerror=alert(1)> 店'
    front = Storefront(demo_config.settings.brand.name, demo_config.catalog, (), {})
    for shape in ("jsonld", "microdata", "text_price", "sold_out"):
        offer = Offer(
            id="x",
            platform="taobao",
            seller=seller,
            sku="SY-TS05",
            price="199.00",
            shape=shape,
            title=HOSTILE,
        )
        html = front.render_offer(offer)
        assert "<img" not in html and HOSTILE not in html, shape
        assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt; 店" in html, shape


def test_json_for_script_cannot_close_the_script_block() -> None:
    text = json_for_script({"name": "</script><b>&"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"name": "</script><b>&"}


@pytest.mark.parametrize(
    ("amount", "currency", "style", "expected"),
    [
        ("1299.00", "CNY", "yuan", "¥1,299.00"),
        ("1299.00", "CNY", "yuan_from", "¥1,299.00 起"),
        ("99.5", "CNY", "yuan", "¥99.50"),
        ("1299.00", "EUR", "euro", "1.299,00 €"),
        ("1234567.5", "EUR", "euro", "1.234.567,50 €"),
        ("1299.00", "CNY", "euro", "1.299,00 CNY"),
    ],
)
def test_format_price(amount: str, currency: str, style: Any, expected: str) -> None:
    text = format_price(Decimal(amount), currency, style)
    assert text == expected
    assert Price.fromstring(text).amount == Decimal(amount)


def test_euro_text_price_page(demo_config: LoadedConfig) -> None:
    front = Storefront(demo_config.settings.brand.name, demo_config.catalog, (), {})
    offer = Offer(
        id="eu",
        platform="amazon",
        seller="Bergwelt GmbH",
        sku="SY-JK01-BLK-M",
        price="1299.00",
        currency="EUR",
        shape="text_price",
        price_format="euro",
    )
    html = front.render_offer(offer)
    assert '<span class="price-value">1.299,00 €</span>' in html
    assert "¥" not in html


# -- the rest of the site ------------------------------------------------------------


def test_index_lists_every_offer(sandbox: Sandbox) -> None:
    r = requests.get(sandbox.url + "/", timeout=10)
    assert r.status_code == 200
    for offer in OFFERS:
        assert f'href="{offer.path}"' in r.text
    assert "/woo/official/wp-json/wc/v3/" in r.text and "/woo/outlet/wp-json/wc/v3/" in r.text


@pytest.mark.parametrize(("path", "body"), [("/healthz", "ok"), ("/robots.txt", "User-agent: *\nAllow: /\n")])
def test_plain_endpoints(sandbox: Sandbox, path: str, body: str) -> None:
    r = requests.get(sandbox.url + path, timeout=10)
    assert (r.status_code, r.text) == (200, body)


@pytest.mark.parametrize(
    "path",
    [
        "/shop/taobao/item/no-such-offer",
        "/shop/jd/item/yunduan-down",
        "/nowhere",
        "/woo/official/product/NOPE",
    ],
)
def test_unknown_pages_are_404(sandbox: Sandbox, path: str) -> None:
    r = requests.get(sandbox.url + path, timeout=10)
    assert r.status_code == 404
    assert "<script" not in r.text


def test_own_store_product_page(sandbox: Sandbox, demo_config: LoadedConfig) -> None:
    listing = sandbox.woo_store("official").by_sku("SY-TS05")
    assert listing is not None and listing["permalink"] == sandbox.url + "/woo/official/product/SY-TS05"
    r = requests.get(listing["permalink"], timeout=10)
    assert r.status_code == 200
    (ld,) = products_in(extruct.extract(r.text, syntaxes=["json-ld"]), "json-ld")
    assert ld["sku"] == "SY-TS05"
    assert ld["gtin13"] == demo_config.catalog.by_sku()["SY-TS05"].gtin
    assert ld["offers"]["price"] == listing["price"]
    assert ld["offers"]["seller"]["name"] == demo_config.settings.brand.name
