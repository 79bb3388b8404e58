"""The item's name as a page's `<title>` (or `og:title`) writes it, without the site's name around it; a main heading
that names the site is no title; GTINs written as schema.org allows beside plain digits."""

from __future__ import annotations

import json

import pytest

from crawlers.extraction import ExtractionStatus, extract
from crawlers.site_names import site_names, without_site_name

URL = "https://shop.example.com/item/1"


def _title(title: str, url: str = URL, head: str = "", body: str = "") -> str | None:
    html = f"<html><head><title>{title}</title>{head}</head><body>{body}<span class='price'>$24.99</span></body></html>"
    got = extract(html, url)
    assert got.status is ExtractionStatus.OK
    return got.title


SITE = "<meta property='og:site_name' content='Ridgeline Outdoor'>"


@pytest.mark.parametrize(
    ("title", "url", "head", "expected"),
    [
        # the site's name after the item's: stated by og:site_name or application-name, or the host's
        ("Trail Runner 3 – Ridgeline Outdoor", URL, SITE, "Trail Runner 3"),
        ("Trail Runner 3 | Shop Name", URL, "<meta name='application-name' content='Shop Name'>", "Trail Runner 3"),
        ("Trail Runner 3 - Ridgeline Outdoor", "https://www.ridgeline-outdoor.com/p/tr3", "", "Trail Runner 3"),
        ("Trail Runner 3 | ridgeline-outdoor.com", "https://ridgeline-outdoor.com/p/tr3", "", "Trail Runner 3"),
        ("Trail Runner 3 – Ridgeline Outdoor Store", URL, SITE, "Trail Runner 3"),
        ("Ridgeline Outdoor | Trail Runner 3", URL, SITE, "Trail Runner 3"),
        ("Trail Runner 3 – Alpenhaus", "https://shop.alpenhaus.co.uk/tr3", "", "Trail Runner 3"),
        # marketplaces: their names after an unspaced hyphen, JD's words, a shop's name in brackets, Amazon's shape
        ("山屿 冲锋衣 JK01【行情 报价 价格 评测】-京东", URL, "", "山屿 冲锋衣 JK01"),
        ("【山屿旗舰店】山屿冲锋衣 男女款-tmall.com天猫", URL, "", "山屿冲锋衣 男女款"),
        ("山屿冲锋衣 防水透气-淘宝网", URL, "", "山屿冲锋衣 防水透气"),
        ("【京东超市】山屿 冲锋衣 JK01", URL, "", "山屿 冲锋衣 JK01"),
        ("【楽天市場】山嶼 トレッキングシューズ", URL, "", "山嶼 トレッキングシューズ"),
        ("【包邮】山屿冲锋衣 防水透气", URL, "", "【包邮】山屿冲锋衣 防水透气"),
        ("Trail Runner 3 - Amazon.com", URL, "", "Trail Runner 3"),
        ("Amazon.com: Ridgeline Summit Tent : Sports & Outdoors", URL, "", "Ridgeline Summit Tent"),
        ("Ridgeline Summit Tent : Amazon.co.uk: Sports & Outdoors", URL, "", "Ridgeline Summit Tent"),
        ("Ridgeline Summit Tent | eBay", URL, "", "Ridgeline Summit Tent"),
        # what is no site's name stays: a product's own " - ", an unspaced hyphen, a segment that is not the site
        ("Trail Runner 3 - Men's - Blue", URL, SITE, "Trail Runner 3 - Men's - Blue"),
        ("X-Pro 2 - Body Only", "https://www.fujifilm-x.com/p/1", "", "X-Pro 2 - Body Only"),
        ("Bullseye Board-Target", "https://www.target.com/p/1", "", "Bullseye Board-Target"),
        ("Archery Kit - Target", URL, "", "Archery Kit - Target"),
        ("Trail Runner 3 – Ridgeline Outdoor Jacket", URL, SITE, "Trail Runner 3 – Ridgeline Outdoor Jacket"),
        # never when too little would be left
        ("Ridgeline Outdoor", URL, SITE, "Ridgeline Outdoor"),
        ("X1 | Ridgeline Outdoor", URL, SITE, "X1 | Ridgeline Outdoor"),
    ],
)  # fmt: skip
def test_the_title_tag_loses_the_sites_name(title: str, url: str, head: str, expected: str) -> None:
    assert _title(title, url, head) == expected


def test_og_title_loses_the_sites_name_a_seo_plugin_writes_into_it() -> None:
    """Yoast SEO writes "<item> - <site>" into og:title, which names a page whose only price is the price tag."""
    head = (
        f"{SITE}<meta property='og:type' content='product'><meta property='og:title' content='Trail Runner 3 - "
        "Ridgeline Outdoor'><meta property='product:price:amount' content='129.00'>"
        "<meta property='product:price:currency' content='USD'>"
    )
    got = extract(f"<html><head><title>x</title>{head}</head><body></body></html>", URL)
    assert (got.method, got.title) == ("opengraph", "Trail Runner 3")


def test_a_main_heading_in_the_sites_header_or_naming_the_site_is_no_title() -> None:
    """Twenty Twelve and older themes set the site's name as an `<h1 class="site-title">` on every page."""
    header = (
        "<header class='site-header'><h1 class='site-title'><a href='/' rel='home'>Ridgeline Outdoor</a></h1></header>"
    )
    assert _title("Trail Runner 3 | Ridgeline Outdoor", URL, SITE, header) == "Trail Runner 3"
    assert _title("x", URL, "", f"{header}<main><h1>Trail Runner 3</h1></main>") == "Trail Runner 3"
    logo = "<div class='branding'><h1><a href='/'>Ridgeline Outdoor</a></h1></div><h1>Trail Runner 3</h1>"
    assert _title("x", URL, SITE, logo) == "Trail Runner 3"
    # a product's own header inside the page's main block is the product's
    own = "<main><article><header><h1>Trail Runner 3</h1></header></article></main>"
    assert _title("x", URL, SITE, own) == "Trail Runner 3"


def test_a_blocked_page_keeps_its_title_as_written() -> None:
    got = extract("<html><head><title>Robot Check | Amazon.com</title></head><body></body></html>", URL)
    assert (got.status, got.title) == (ExtractionStatus.BLOCKED, "Robot Check | Amazon.com")


def test_site_names_come_from_the_host_and_the_stated_names() -> None:
    keys = site_names(["Ridgeline Outdoor"], "https://shop.ridgeline.co.uk/p/1")
    assert {"ridgelineoutdoor", "ridgeline", "ridgelinecouk", "ridgelinestore"} <= keys
    assert without_site_name("Tent | RIDGELINE", keys) == "Tent"
    assert site_names([], "not a url") == frozenset()


def _jsonld(product: dict[str, object]) -> str:
    node = {"@context": "https://schema.org", "@type": "Product", "name": "Lamp", **product}
    node["offers"] = {"@type": "Offer", "price": "24.99", "priceCurrency": "USD"}
    return f"<html><head><script type='application/ld+json'>{json.dumps(node)}</script></head><body></body></html>"


@pytest.mark.parametrize(
    ("stated", "gtin"),
    [
        ({"gtin": "https://id.gs1.org/01/04006381333931"}, "04006381333931"),
        ({"gtin": "https://brand.example/01/04006381333931/21/12345?linkType=all"}, "04006381333931"),
        ({"productID": "isbn:9780306406157"}, "9780306406157"),
        ({"productID": "ean:4006381333931"}, "4006381333931"),
        ({"gtin13": "EAN-13: 4006381333931"}, "4006381333931"),
        ({"gtin": "https://id.gs1.org/01/04006381333932"}, None),  # a wrong check digit stays no GTIN
        ({"productID": "sku:4006381333931-X"}, None),
    ],
)
def test_a_gtin_written_as_a_digital_link_or_with_its_scheme_is_read(stated: dict[str, str], gtin: str | None) -> None:
    """schema.org: `gtin` "can also be a GS1 Digital Link URI"; its example `productID` is "isbn:123-456-789"."""
    assert extract(_jsonld(stated), URL).gtin == gtin
