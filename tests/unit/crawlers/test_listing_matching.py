"""Listings -> catalog products by GTIN, then SKU, then model code (exact)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crawlers.extraction import Extraction, ExtractionStatus
from crawlers.matching import NO_MATCH, CatalogIndex, MatchResult, match, normalize_gtin
from oneprice.domain.catalog import Catalog, Product
from oneprice.domain.money import Money

CATALOG = Catalog(
    products=(
        Product(
            sku="OP12-128-SLV",
            name="OnePhone 12",
            unified_price=Money.of("1299", "CNY"),
            gtin="6901234567892",
            model="OP12-128",
        ),
        Product(
            sku="OPODS-PRO-WHT",
            name="OnePods Pro",
            unified_price=Money.of("899", "CNY"),
            gtin="96385074",
            model="OPODS-PRO",
        ),
        Product(sku="OW-S-BLK", name="OneWatch S", unified_price=Money.of("1299", "CNY"), model="OW-S"),
    )
)


def listing(**ids: str) -> Extraction:
    return Extraction(status=ExtractionStatus.NO_PRICE, **ids)


@pytest.mark.parametrize(
    ("ids", "sku", "method"),
    [
        ({"gtin": "6901234567892"}, "OP12-128-SLV", "gtin"),
        ({"gtin": "06901234567892"}, "OP12-128-SLV", "gtin"),  # the same EAN-13 as a GTIN-14
        ({"gtin": "690 1234 567892"}, "OP12-128-SLV", "gtin"),
        ({"gtin": "96385074"}, "OPODS-PRO-WHT", "gtin"),  # GTIN-8
        ({"sku": "OW-S-BLK"}, "OW-S-BLK", "sku"),
        ({"sku": " OW-S-BLK "}, "OW-S-BLK", "sku"),
        ({"model": "ow-s"}, "OW-S-BLK", "model"),
        # GTIN wins over a SKU that names another product; then SKU over model.
        ({"gtin": "6901234567892", "sku": "OW-S-BLK"}, "OP12-128-SLV", "gtin"),
        ({"sku": "OPODS-PRO-WHT", "model": "OW-S"}, "OPODS-PRO-WHT", "sku"),
        # An unknown GTIN falls through to the next identifier.
        ({"gtin": "4006381333931", "model": "OP12-128"}, "OP12-128-SLV", "model"),
        ({"gtin": "4006381333931"}, None, "none"),
        ({"sku": "op12-128-slv"}, None, "none"),  # SKUs are exact
        ({}, None, "none"),
    ],
)
def test_match(ids: dict[str, str], sku: str | None, method: str) -> None:
    result = match(listing(**ids), CATALOG)
    assert (result.product_sku, result.method) == (sku, method)
    assert match(listing(**ids), CatalogIndex(CATALOG)) == result


def test_confidence_order() -> None:
    by_gtin = match(listing(gtin="6901234567892"), CATALOG)
    by_sku = match(listing(sku="OW-S-BLK"), CATALOG)
    by_model = match(listing(model="OW-S"), CATALOG)
    assert by_gtin.confidence > by_sku.confidence > by_model.confidence > NO_MATCH.confidence == 0


def test_more_matchers_can_be_chained() -> None:
    def by_title(extraction: Extraction, index: CatalogIndex) -> MatchResult | None:
        for product in index.catalog.products:
            if extraction.title and product.name in extraction.title:
                return MatchResult(product.sku, "none", Decimal("0.5"))
        return None

    result = match(
        Extraction(status=ExtractionStatus.NO_PRICE, title="全新 OneWatch S 国行"),
        CATALOG,
        matchers=(by_title,),
    )
    assert result.product_sku == "OW-S-BLK"


@pytest.mark.parametrize(
    ("raw", "normal"),
    [("96385074", "00000096385074"), ("6901234567892", "06901234567892"), ("123", None), ("abc12345", None)],
)
def test_normalize_gtin(raw: str, normal: str | None) -> None:
    assert normalize_gtin(raw) == normal
