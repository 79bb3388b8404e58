"""Match a listing to a catalog product: GTIN, SKU and model code first, then the title (fuzzy, with
attribute checks). Every result carries a confidence; below the accept threshold it goes to review.

Matchers are plain functions tried in order; the first that recognises the listing wins.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from crawlers.extraction import Extraction
from crawlers.titles import confirmed, conflicts, product_attributes, similarity, title_attributes, unstated
from oneprice.domain.catalog import Catalog, Product

MatchMethod = Literal["gtin", "sku", "model", "title", "review", "none"]


@dataclass(frozen=True)
class MatchResult:
    """Which catalog product a listing is (None when no identifier matched), how, and how sure."""

    product_sku: str | None
    method: MatchMethod
    confidence: Decimal
    reason: str | None = None  # why the confidence is low, or why nothing matched
    alternatives: tuple[tuple[str, Decimal], ...] = ()  # other products considered, best first


NO_MATCH = MatchResult(product_sku=None, method="none", confidence=Decimal(0))

# A GTIN is global, a SKU is the brand's own, a model code is shared by variants.
CONFIDENCE: dict[MatchMethod, Decimal] = {
    "gtin": Decimal("1.00"),
    "sku": Decimal("0.95"),
    "model": Decimal("0.85"),
    "title": Decimal("0.90"),  # the ceiling of a title match; similarity and attributes scale it
    "review": Decimal("1.00"),  # a person decided
    "none": Decimal(0),
}
AMBIGUOUS_GAP = 0.03  # two products scoring this close are a tie
MIN_SIMILARITY = 0.55  # below this a title says nothing about the product
WEAK_SIMILARITY = 0.88  # below this a title match is worth a look
UNSTATED_PENALTY = Decimal("0.20")  # the product has a size/colour the title does not state
CONFIRMED_BONUS = 0.04  # per variant attribute (size, colour, volume) the title states rightly


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
        self.family: dict[str, list[Product]] = {}  # model code or parent SKU -> every variant
        for p in catalog.products:
            self.by_sku.setdefault(p.sku, p)
            if p.gtin and (key := normalize_gtin(p.gtin)):
                self.by_gtin.setdefault(key, p)
            if p.model:
                self.by_model.setdefault(p.model.strip().casefold(), p)
            for code in {p.model, p.parent_sku} - {None}:
                assert code is not None
                family = self.family.setdefault(code.strip().casefold(), [])
                if p not in family:
                    family.append(p)
        self.colours = sorted({p.color for p in catalog.products if p.color}, key=len, reverse=True)
        self.attributes = {p.sku: product_attributes(p) for p in catalog.products}

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
    """A model code (or a parent SKU given as the listing's sku); variants are told apart by the title."""
    for code in (extraction.model, extraction.sku):
        family = index.family.get(code.strip().casefold(), []) if code else []
        if len(family) == 1:
            return _found(family[0], "model")
        if family:
            return _best_by_title(extraction, index, family, "model")
    return None


def match_title(extraction: Extraction, index: CatalogIndex) -> MatchResult | None:
    """Fuzzy title against every product, attribute conflicts excluded."""
    if not extraction.title:
        return None
    return _best_by_title(extraction, index, index.catalog.products, "title")


def _best_by_title(
    extraction: Extraction, index: CatalogIndex, products: Sequence[Product], method: MatchMethod
) -> MatchResult | None:
    title = extraction.title or ""
    listing = title_attributes(title, index.colours)
    scored: list[tuple[float, Product, list[str]]] = []
    rejected: list[str] = []
    for p in products:
        attrs = index.attributes[p.sku]
        clash = conflicts(listing, attrs)
        if clash:
            rejected.append(f"{p.sku}: {'/'.join(clash)} differs")
            continue
        score = similarity(title, p.name) if title else 0.0
        if method == "title" and score < MIN_SIMILARITY:
            continue
        score += CONFIRMED_BONUS * len(confirmed(listing, attrs))
        scored.append((score, p, unstated(listing, attrs)))
    if not scored:
        if method == "model":
            return MatchResult(None, "none", Decimal(0), "model code known, but every variant conflicts")
        return None
    scored.sort(key=lambda t: (-t[0], t[1].sku))
    best, product, missing = scored[0]
    confidence = CONFIDENCE[method] * Decimal(str(round(min(best, 1.0), 3)))
    reasons = []
    if method == "model":
        confidence = CONFIDENCE["model"] if best >= MIN_SIMILARITY else CONFIDENCE["model"] - Decimal("0.15")
    if method == "title" and best < WEAK_SIMILARITY:
        reasons.append(f"title similarity {best:.2f}")
    if missing:
        confidence -= UNSTATED_PENALTY
        reasons.append(f"title does not state the {' and '.join(missing)}")
    if len(scored) > 1 and best - scored[1][0] < AMBIGUOUS_GAP:
        confidence = min(confidence, Decimal("0.50"))
        reasons.append(f"as close to {scored[1][1].sku}")
    alternatives = tuple((p.sku, Decimal(str(round(s, 2)))) for s, p, _ in scored[1:4])
    return MatchResult(
        product.sku,
        method,
        max(confidence, Decimal(0)).quantize(Decimal("0.01")),
        "; ".join(reasons) or None,
        alternatives,
    )


EXACT_MATCHERS: tuple[Matcher, ...] = (match_gtin, match_sku, match_model)
MATCHERS: tuple[Matcher, ...] = (*EXACT_MATCHERS, match_title)


def match(
    extraction: Extraction,
    catalog: Catalog | CatalogIndex,
    *,
    matchers: Sequence[Matcher] = MATCHERS,
) -> MatchResult:
    """The first matcher that recognises the listing wins; NO_MATCH when none does."""
    index = catalog if isinstance(catalog, CatalogIndex) else CatalogIndex(catalog)
    for matcher in matchers:
        result = matcher(extraction, index)
        if result is not None:
            return result
    return NO_MATCH
