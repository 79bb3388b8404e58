"""The SKU, GTIN and model code a page's text states for its own product (spec tables, "label: value" lines), read
where structured data and the page's profile state none: never another product's, a review's, a marketplace's own
item number or a GTIN with a wrong check digit."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from saved_pages import page

import crawlers.identifiers
from crawlers.extraction import Extraction, ExtractionStatus, extract
from crawlers.identifiers import StatedIdentifiers, _stated_codes
from crawlers.page import _Page, _parse_source

URL = "https://shop.example.com/item/1"


def _page(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body><h1>Lamp X200</h1><div class='price'>$24.99</div>{body}</body></html>"


def _read(body: str, head: str = "") -> Extraction:
    got = extract(_page(body, head), URL)
    assert got.status is ExtractionStatus.OK, got.reason
    return got


def _codes(got: Extraction) -> tuple[str | None, str | None, str | None]:
    return got.sku, got.gtin, got.model


@pytest.mark.parametrize(
    ("body", "codes"),
    [
        # a table's header cell beside its value (WooCommerce's "Additional information", Amazon's spec table)
        ("<table><tr><th>Model</th><td>X200</td></tr><tr><th>EAN</th><td>4006381333931</td></tr></table>",
         (None, "4006381333931", "X200")),
        ("<table><tr><th class='prodDetSectionEntry'> Item model number </th><td> \u200eWH1000XM5 </td></tr></table>",
         (None, None, "WH1000XM5")),
        # a definition list
        ("<dl><dt>SKU</dt><dd>ABC-123</dd><dt>UPC</dt><dd>0 12345 67890 5</dd></dl>",
         ("ABC-123", "012345678905", None)),
        # "label：value" in one element: Taobao's and JD's parameter lists, a Chinese spec line
        ("<ul><li>货号：JK010-BLK</li><li>型号: X200</li><li>条形码：6901234567892</li></ul>",
         ("JK010-BLK", "6901234567892", "X200")),
        ("<ul><li>品牌：云锦</li><li>产品型号：YJ100-B</li><li>商品条码：6901234567892</li></ul>",
         (None, "6901234567892", "YJ100-B")),
        ("<ul id='J_AttrUL'><li title='A2890'>Apple型号:&nbsp;A2890</li></ul>", (None, None, "A2890")),
        # a label's element, then the value's: Amazon's detail bullets (with its direction marks), a theme's spans
        ("<ul><li><span class='a-list-item'><span class='a-text-bold'>Item model number \u200f : \u200e</span>"
         " <span>WH1000XM5</span></span></li></ul>", (None, None, "WH1000XM5")),
        ("<ul><li><span>GTIN:</span><span>4006381333931</span></li></ul>", (None, "4006381333931", None)),
        # eBay's item specifics: each side wrapped in divs
        ("<div class='ux-labels-values'><div class='ux-labels-values__labels'><div><div><span>MPN</span></div></div>"
         "</div><div class='ux-labels-values__values'><div><div><span>X-200B</span></div></div></div></div>",
         (None, None, "X-200B")),
        # the value in an inner element: WooCommerce's product meta, a bold value, a bold label
        ("<div class='product_meta'><span class='sku_wrapper'>SKU: <span class='sku'>RL-TR3-42</span></span> "
         "<span class='posted_in'>Category: <a href='/c/footwear/'>Footwear</a></span></div>",
         ("RL-TR3-42", None, None)),
        ("<p>Model: <b>X200</b></p><p><b>货号</b>：JK010-BLK</p>", ("JK010-BLK", None, "X200")),
        # lines set apart by <br>
        ("<p>Brand: Foo<br>Model: X200<br>EAN: 4006381333931</p>", (None, "4006381333931", "X200")),
        # Japanese and German labels
        ("<ul><li>JANコード：4901234567894</li><li>品番：AB-12</li><li>型番：XY-9</li></ul>",
         ("AB-12", "4901234567894", "XY-9")),
        ("<p>Artikelnummer: 10042-BK</p><p>Herstellernummer: HX-4410</p>", ("10042-BK", None, "HX-4410")),
        # Amazon's model number in Germany, France and Japan
        ("<table><tr><th>Herstellerreferenz</th><td>HX-4410</td></tr></table>", (None, None, "HX-4410")),
        ("<ul><li><span>Référence du fabricant ‏ : ‎</span><span>HX-4410</span></li></ul>",
         (None, None, "HX-4410")),
        ("<table><tr><th>メーカー型番</th><td>RS-2200</td></tr></table>", (None, None, "RS-2200")),
        # the value ends where the line goes on with another label
        ("<p>货号：JK010-BLK 颜色分类：黑色</p>", ("JK010-BLK", None, None)),
        ("<p>SKU: ABC-123 | Category: Tents</p>", ("ABC-123", None, None)),
    ],
)  # fmt: skip
def test_codes_stated_in_the_pages_text_are_read(body: str, codes: tuple[str | None, ...]) -> None:
    got = _read(body)
    assert _codes(got) == codes
    assert "from the page's text" in (got.why or "")


@pytest.mark.parametrize(
    "body",
    [
        # JD's item id, Suning's and Dangdang's own numbers, Amazon's ASIN: the marketplace's, not the brand's
        "<ul class='parameter2'><li>商品编号：100012043978</li><li>商品编码：10345678901</li></ul>",
        "<table><tr><th>ASIN</th><td>B0BRTFLD90</td></tr></table>",
        # another product's, a buyer's words, the site's footer and header, a variant picker
        "<div class='related'><p>SKU: ABC-999</p></div>",
        "<section><h2>You may also like</h2><p>Model: X300</p></section>",
        "<div class='reviews'><p>Model: X300</p></div>",
        "<footer><p>Model No.: RL-STORE-2024</p></footer>",
        "<select><option>SKU: ABC-123-S</option></select>",
        "<a href='/item/2'><span>SKU: ABC-998</span></a>",
        # an accessory's fitting models
        "<ul><li>适用型号：X200</li></ul>",
        # a table's header row, not a label beside its value
        "<table><tr><th>SKU</th><th>Size</th></tr><tr><td>A-1</td><td>S</td></tr></table>",
        # no code: a wrong check digit, a placeholder, a word, a sentence
        "<p>EAN: 4006381333932</p>",
        "<p>MPN: Does Not Apply</p><p>UPC: N/A</p><p>货号：无</p>",
        "<span class='sku_wrapper'>SKU: <span class='sku'>N/A</span></span>",
        "<p>Model: Classic</p>",
        "<p>Model X200 is lighter than the X100.</p>",
        # labels only in a script, an attribute or a class name
        "<script>var sku = 'ABC-123'; // SKU: ABC-123</script><div data-label='SKU: ABC-123' class='sku'></div>",
    ],
)
def test_codes_that_are_not_this_products_are_not_read(body: str) -> None:
    assert _codes(_read(body)) == (None, None, None)


def test_two_different_codes_for_one_field_read_as_none() -> None:
    """A table of variants states a SKU a row: which one the page sells is not said."""
    body = "<ul><li>SKU: A-1</li><li>SKU: A-2</li></ul><p>EAN: 4006381333931</p><p>GTIN: 04006381333931</p>"
    assert _codes(_read(body)) == (None, "4006381333931", None)


def _jsonld(product: dict[str, object]) -> str:
    node = {"@context": "https://schema.org", "@type": "Product", "name": "Lamp X200", **product}
    return f"<script type='application/ld+json'>{json.dumps(node)}</script>"


def test_what_structured_data_states_is_kept_and_only_the_empty_fields_are_filled() -> None:
    offer = {"@type": "Offer", "price": "24.99", "priceCurrency": "USD"}
    head = _jsonld({"sku": "LAMP-1", "offers": offer})
    got = _read("<table><tr><th>SKU</th><td>OTHER-9</td></tr><tr><th>EAN</th><td>4006381333931</td></tr></table>", head)
    assert (got.method, _codes(got)) == ("json-ld", ("LAMP-1", "4006381333931", None))


def test_a_code_already_read_for_another_field_is_not_given_again() -> None:
    """Taobao's and JD's profiles read 货号 as the model; the same value is not also the SKU."""
    got = _read("<ul><li>货号：JK010</li><li>型号：JK010</li></ul>")
    assert _codes(got) == ("JK010", None, None)


def test_an_offer_of_one_variant_or_seller_keeps_what_it_read() -> None:
    """The page's spec table may be another variant's: each variant's offer keeps its own codes."""
    offers = [
        {"@type": "Offer", "price": "24.99", "priceCurrency": "USD", "sku": "LAMP-S"},
        {"@type": "Offer", "price": "29.99", "priceCurrency": "USD", "sku": "LAMP-L"},
    ]
    got = _read("<table><tr><th>EAN</th><td>4006381333931</td></tr></table>", _jsonld({"offers": offers}))
    assert [(o.sku, o.gtin) for o in got.offers] == [("LAMP-S", None), ("LAMP-L", None)]


def test_a_sold_out_page_names_its_codes_and_a_blocked_or_missing_page_none() -> None:
    sold_out = extract("<html><body><h1>Lamp</h1><p>Sold out</p><p>SKU: LAMP-1</p></body></html>", URL)
    assert (sold_out.reason, sold_out.sku) == ("sold_out", "LAMP-1")
    missing = extract("<html><head><title>404 Not Found</title></head><body><p>SKU: LAMP-1</p></body></html>", URL)
    assert (missing.reason, missing.sku) == ("not_found", None)
    blocked = extract("<html><body><p>Robot Check</p><p>SKU: LAMP-1</p></body></html>", URL)
    assert (blocked.status, blocked.sku) == (ExtractionStatus.BLOCKED, None)


def test_a_page_whose_source_has_no_label_after_a_tag_is_not_walked(monkeypatch: pytest.MonkeyPatch) -> None:
    """The labels are looked for in the page's source first: a page that has none is answered without a walk."""

    class NoWalk(dict):  # type: ignore[type-arg]
        def get(self, *_: object) -> None:
            raise AssertionError("the page was walked")

    monkeypatch.setattr(crawlers.identifiers, "_LABEL_FINDERS", NoWalk())
    text = _page("<script>var sku = 'ABC-123';</script><p class='sku model ean'>Lamp for any room</p>")
    tree, source = _parse_source(text)
    assert _Page(tree, URL, source).stated_identifiers == StatedIdentifiers()


def test_hostile_label_text_stays_text() -> None:
    """A value with quotes, markup or an endless line is text, cut to a code's length or refused."""
    body = "<p>SKU: A'B\"&lt;script&gt;</p><p>Model: " + "X1" * 500 + "</p><p>EAN: ' or 1=1</p>"
    assert _codes(_read(body)) == (None, None, None)
    labels = "".join(f"<p>SKU{'s' * (i % 2)}: A-{i}</p>" for i in range(500))
    assert _codes(_read(labels)) == (None, None, None)


def test_a_woocommerce_page_without_json_ld_gives_its_attributes_codes() -> None:
    """WooCommerce on Twenty Twelve, its JSON-LD switched off: the SKU from the product meta (as before), the EAN and
    MPN from the "Additional information" table; a review's model, a related product's SKU and the footer's
    "Model No." are not this product's."""
    got = extract(page("woocommerce/twentytwelve_attributes_no_jsonld.html"), URL)
    assert (got.price_kind, got.title, _codes(got)) == (
        "sale",
        "Trail Runner 3",
        ("RL-TR3-42", "4006381333931", "TR3-M-42"),
    )


# Random pages of labels and values in the shapes pages write them, to check that looking for labels in the source
# first finds what a walk over every text node of the page finds.
_TAGS = ["div", "span", "p", "li", "th", "td", "dt", "dd", "b", "section", "footer", "a", "template", "br"]
_CLASSES = ["", " class='related'", " class='reviews'", " class='sku'", " class='spec'", " href='/item/2'"]
_TEXTS = ["SKU:", "SKU: AB-12", "sku: ab-12", "Model", "X200", "MODEL: X201", "EAN", "4006381333931",
          "EAN: 4006381333931", "货号：JK010", "Apple型号：A2890", "适用型号：X1", "型号", "JK011", "  ", "",
          "Model X200 is light", "SKUs", "\u200fItem model number\u200e :", "&#83;KU: AB-13", "<!-- c -->SKU: AB-14",
          "UPC:\n 012345678905", "N/A"]  # fmt: skip


@st.composite
def _element(draw: st.DrawFn, depth: int = 0) -> str:
    tag = draw(st.sampled_from(_TAGS))
    if tag == "br":
        return f"<br>{draw(st.sampled_from(_TEXTS))}"
    inner = draw(st.sampled_from(_TEXTS))
    if depth < 3:
        inner += "".join(draw(st.lists(_element(depth + 1), max_size=3)))
    return f"<{tag}{draw(st.sampled_from(_CLASSES))}>{inner}</{tag}>{draw(st.sampled_from(_TEXTS))}"


def _walked(page: _Page) -> StatedIdentifiers:
    """`_Page.stated_identifiers` read from every text node of the body, the source unasked."""
    found: dict[str, dict[str, str]] = {"sku": {}, "gtin": {}, "model": {}}
    for node in page.tree.xpath("/html/body/descendant::text()"):
        codes = list(_stated_codes(node))
        element = node.getparent()
        owner = element if node.is_text else element.getparent()
        if not codes or owner is None or page._not_this_products_code(owner):
            continue
        for field, code in codes:
            found[field].setdefault(code.zfill(14) if field == "gtin" else code.casefold(), code)
    return StatedIdentifiers(**{f: next(iter(v.values())) if len(v) == 1 else None for f, v in found.items()})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.lists(_element(), max_size=6).map("".join))
def test_looking_in_the_source_first_finds_what_a_walk_finds(body: str) -> None:
    """A label written with character references, or after a comment, is the exception the source check allows:
    such a page may be read with a code fewer (or without the second code that made a field ambiguous), never
    with another code."""
    tree, source = _parse_source(f"<html><head></head><body>{body}</body></html>")
    assert tree is not None
    fast, walked = _Page(tree, URL, source).stated_identifiers, _walked(_Page(tree, URL, source))
    if "&#" not in body and "<!--" not in body:
        assert fast == walked
    for field in ("sku", "gtin", "model"):
        assert getattr(fast, field) is None or getattr(walked, field) in (None, getattr(fast, field))
