"""Match a listing to a catalog product: GTIN, then SKU, then model code (exact identifiers only).

Matchers are plain functions tried in order; a fuzzy title matcher can be appended to the chain.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from crawlers.extraction import Extraction
from oneprice.domain.catalog import Catalog, Product

MatchMethod = Literal["gtin", "sku", "model", "none"]


@dataclass(frozen=True)
class MatchResult:
    """Which catalog product a listing is (None when no identifier matched), how, and how sure."""

    product_sku: str | None
    method: MatchMethod
    confidence: Decimal


NO_MATCH = MatchResult(product_sku=None, method="none", confidence=Decimal(0))

# A GTIN is global, a SKU is the brand's own, a model code is shared by variants.
CONFIDENCE: dict[MatchMethod, Decimal] = {
    "gtin": Decimal("1.00"),
    "sku": Decimal("0.95"),
    "model": Decimal("0.85"),
    "none": Decimal(0),
}


def normalize_gtin(value: str) -> str | None:
    """GTIN-8/12/13/14 as 14 digits (GS1 pads on the left), so an EAN-13 and its GTIN-14 meet."""
    digits = "".join(value.split()).replace("-", "")
    if not digits.isdigit() or not 8 <= len(digits) <= 14:
        return None
    return digits.zfill(14)


class CatalogIndex:
    """Lookup tables over a catalog, built once per crawl instead of once per page."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.by_sku: dict[str, Product] = {}
        self.by_gtin: dict[str, Product] = {}
        self.by_model: dict[str, Product] = {}
        for p in catalog.products:
            self.by_sku.setdefault(p.sku, p)
            if p.gtin and (key := normalize_gtin(p.gtin)):
                self.by_gtin.setdefault(key, p)
            if p.model:
                self.by_model.setdefault(p.model.strip().casefold(), p)

    def product(self, sku: str) -> Product | None:
        return self.by_sku.get(sku)


Matcher = Callable[[Extraction, CatalogIndex], MatchResult | None]


def _found(product: Product | None, method: MatchMethod) -> MatchResult | None:
    return MatchResult(product.sku, method, CONFIDENCE[method]) if product is not None else None


def match_gtin(extraction: Extraction, index: CatalogIndex) -> MatchResult | None:
    key = normalize_gtin(extraction.gtin) if extraction.gtin else None
    return _found(index.by_gtin.get(key), "gtin") if key else None


def match_sku(extraction: Extraction, index: CatalogIndex) -> MatchResult | None:
    return _found(index.by_sku.get(extraction.sku.strip()), "sku") if extraction.sku else None


def match_model(extraction: Extraction, index: CatalogIndex) -> MatchResult | None:
    return (
        _found(index.by_model.get(extraction.model.strip().casefold()), "model") if extraction.model else None
    )


EXACT_MATCHERS: tuple[Matcher, ...] = (match_gtin, match_sku, match_model)


def match(
    extraction: Extraction,
    catalog: Catalog | CatalogIndex,
    *,
    matchers: Sequence[Matcher] = EXACT_MATCHERS,
) -> MatchResult:
    """The first matcher that recognises the listing wins; NO_MATCH when none does."""
    index = catalog if isinstance(catalog, CatalogIndex) else CatalogIndex(catalog)
    for matcher in matchers:
        result = matcher(extraction, index)
        if result is not None:
            return result
    return NO_MATCH
