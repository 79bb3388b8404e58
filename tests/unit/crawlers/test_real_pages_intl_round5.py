"""Shapes seen on real store pages abroad, fifth round: web-store software resellers run themselves.

OpenCart's default theme prints no structured data, and its price list (`ul.list-unstyled`, the
price in an `<h2>`) reads as a list price to the text reader, which took a related product's
`p.price` below it. Each saved page is trimmed from a real page of its shape, with invented shop and
brand names.
"""

from __future__ import annotations

from decimal import Decimal

from saved_pages import page

from crawlers.extraction import Extraction, ExtractionStatus, extract


def price_of(got: Extraction) -> tuple[Decimal, str, str | None, Decimal | None]:
    assert got.status is ExtractionStatus.OK, got.reason
    assert got.price is not None
    return got.price.amount, got.price.currency, got.price_kind, got.price_high


# -- OpenCart ------------------------------------------------------------------------------------------

OPENCART3 = "https://www.peakline-store.example/index.php?route=product/product&product_id=52"
OPENCART4 = "https://www.bergsteiger-laden.example/de/stirnlampe-trail-400"


def test_opencart3_special_price_is_read_not_a_related_products() -> None:
    got = extract(page("shop/opencart3_special_related.html"), OPENCART3)
    # not 12.00, the related pole tips' price, nor the struck 149.00, "Ex Tax" or the 5-or-more price
    assert price_of(got) == (Decimal("119.00"), "USD", "sale", None)
    assert (got.method, got.profile) == ("profile", "opencart")
    assert (got.title, got.sku) == ("Summit Gear Carbon Trekking Poles", "SG-CTP-2")
    assert {(c.amount, c.kind) for c in got.candidates} == {(Decimal("119.00"), "sale"), (Decimal("149.00"), "list")}


def test_opencart4_in_stock_reads_price_new() -> None:
    html = page("eushop/opencart4_sold_out.html").replace(b"Nicht auf Lager", b"Auf Lager")
    got = extract(html, OPENCART4)
    # not 19.90, the related battery's price
    assert price_of(got) == (Decimal("49.90"), "EUR", "sale", None)
    assert got.sku == "SG-HL400"


def test_opencart4_out_of_stock_is_sold_out() -> None:
    got = extract(page("eushop/opencart4_sold_out.html"), OPENCART4)
    assert (got.status, got.reason, got.profile) == (ExtractionStatus.NO_PRICE, "sold_out", "opencart")
    assert got.title == "Summit Gear Stirnlampe Trail 400"


def test_a_theme_without_the_price_list_is_not_read_as_opencart() -> None:
    # the same page with another theme's price markup: no `<h2>` price list before `div#product`
    html = page("shop/opencart3_special_related.html").replace(b"<h2>$119.00</h2>", b"<b>$119.00</b>")
    assert extract(html, OPENCART3).profile is None
