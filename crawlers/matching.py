"""Match a listing to a catalog product: GTIN, SKU and model code first, then the title (fuzzy, with
attribute checks). Every result carries a confidence; below the accept threshold it goes to review.

Matchers are plain functions tried in order; the first that recognises the listing wins.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Literal

from crawlers.extraction import Extraction
from crawlers.titles import (
    TitleText,
    code_read,
    confirmed,
    conflicts,
    contained_weight,
    contains,
    listing_flags,
    model_codes,
    normalize_title,
    product_attributes,
    similarity_bound,
    similarity_of,
    title_attributes,
    unstated,
    word_weight,
)
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
MAX_BONUS = 3 * CONFIRMED_BONUS  # size, colour and volume all stated rightly
KEPT = 4  # the best product, and the next three as alternatives (the second also tells a tie)
# A title that names the product but sells it second-hand or in a set it does not count: a person decides.
UNSURE = Decimal("0.50")


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
        self.names = {p.sku: TitleText.of(p.name) for p in catalog.products}
        self.codes = {sku: model_codes(name) for sku, name in self.names.items()}
        # The first word of the products' names, the brand as a catalog writes it ("山屿", "aquaflow"), and
        # the model codes in them: what "适用于" or "compatible with" names when a listing is made for them.
        self.brands = sorted(
            {w.split()[0] for p in catalog.products if len(w := normalize_title(p.name)) > 1}
            | {code for codes in self.codes.values() for code in codes}
        )
        self.attributes = {p.sku: product_attributes(p) for p in catalog.products}
        # Which products name a word, and how much of their name it is; words found by their first
        # two characters (one for a one-character word), so a title is looked up, not compared with all.
        self._holders: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self._by_start: dict[str, set[str]] = defaultdict(set)
        self._numbered: set[str] = set()  # words that begin or end with a digit: `contains` checks them
        # The least weight of its words a title must contain for a product to reach MIN_SIMILARITY.
        self._needed: list[int] = []
        for position, p in enumerate(catalog.products):
            self._needed.append(_weight_needed(self.names[p.sku]))
            counts: dict[str, int] = defaultdict(int)
            for word in self.names[p.sku].words:
                counts[word] += 1
            for word, n in counts.items():
                self._holders[word].append((position, n * word_weight(word)))
                self._by_start[word[:2]].add(word)
                if word[0].isdigit() or word[-1].isdigit():
                    self._numbered.add(word)

    def product(self, sku: str) -> Product | None:
        return self.by_sku.get(sku)

    def contained(self, listing: TitleText, product: Product) -> int:
        """The weight of the product name's words that the listing's text contains."""
        return contained_weight(listing, self.names[product.sku].words)

    def title_pool(self, listing: TitleText) -> list[tuple[Product, int]]:
        """(product, `contained`) of every product whose name can score `MIN_SIMILARITY` against the
        listing, the most promising first: a product none of whose words the title contains cannot.

        The same products `similarity` would let through, found from the title's own words.
        """
        text = listing.compact
        starts = set(text) | {text[i : i + 2] for i in range(len(text) - 1)}
        contained: dict[int, int] = defaultdict(int)
        for start in starts:
            for word in self._by_start.get(start, ()):
                if word in text and (word not in self._numbered or contains(text, word)):
                    for position, weight in self._holders[word]:
                        contained[position] += weight
        if not listing.normalized:
            return []
        products, needed = self.catalog.products, self._needed
        pool = [
            (-similarity_bound(listing, self.names[products[position].sku], weight), position, weight)
            for position, weight in contained.items()
            if weight >= needed[position]
        ]
        pool.sort()
        return [(products[position], weight) for _, position, weight in pool]


def _weight_needed(name: TitleText) -> int:
    """The least `contained` weight with which `name` can reach MIN_SIMILARITY (above its weight: never)."""
    listing = TitleText("x", "x", (), 0)  # any non-empty title: the bound depends on the weight only
    low, high = 0, name.weight + 1
    while low < high:  # the bound grows with the weight
        middle = (low + high) // 2
        if name.weight and similarity_bound(listing, name, middle) >= MIN_SIMILARITY:
            high = middle
        else:
            low = middle + 1
    return low


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
    """Fuzzy title against every product (through the index's words), attribute conflicts excluded."""
    if not extraction.title:
        return None
    if "lookalike" in listing_flags(extraction.title):
        return MatchResult(None, "none", Decimal(0), "a lookalike of the brand's product (同款, 平替)")
    return _best_by_title(extraction, index, None, "title")


def _best_by_title(
    extraction: Extraction, index: CatalogIndex, products: Sequence[Product] | None, method: MatchMethod
) -> MatchResult | None:
    """The best product by title among `products` (None: the whole catalog), with the next best ones.

    Products are scored most promising first, and one whose upper bound cannot reach the `KEPT`
    best so far is not aligned at all: the outcome is that of scoring every product.
    """
    title = extraction.title or ""
    listing = title_attributes(title, index.colours, index.brands)
    text = TitleText.of(title)
    pool: Iterable[tuple[Product, int]]
    if products is None:
        pool = index.title_pool(text)
    else:
        pool = [(p, index.contained(text, p)) for p in products]
    kept: list[tuple[float, str, Product, list[str]]] = []  # the best, as (score, sku, ...) sorted as below
    for p, contained in pool:
        name = index.names[p.sku]
        bound = similarity_bound(text, name, contained) if title else 0.0
        if len(kept) >= KEPT and bound + MAX_BONUS < kept[-1][0]:
            if products is None:
                break  # the pool comes best bound first: no product after this one scores higher
            continue
        attrs = index.attributes[p.sku]
        codes = code_read(text, index.codes[p.sku]) if index.codes[p.sku] else None
        if codes == "other" or conflicts(listing, attrs):
            continue
        bonus = CONFIRMED_BONUS * len(confirmed(listing, attrs))
        if len(kept) >= KEPT and bound + bonus < kept[-1][0]:
            continue  # it would score below every kept product
        score = similarity_of(text, name, contained) if title else 0.0
        if method == "title" and score < MIN_SIMILARITY:
            continue
        score += bonus
        missing = unstated(listing, attrs)
        if codes == "unstated" and method == "title" and "model" not in missing:
            missing.append("model")  # by model code, the identifier states it
        kept.append((score, p.sku, p, missing))
        kept.sort(key=lambda t: (-t[0], t[1]))
        if len(kept) > KEPT:
            del kept[KEPT:]
    if not kept:
        if method == "model":
            return MatchResult(None, "none", Decimal(0), "model code known, but every variant conflicts")
        return None
    best, _, product, missing = kept[0]
    confidence = CONFIDENCE[method] * Decimal(str(round(min(best, 1.0), 3)))
    reasons = []
    if method == "model":
        confidence = CONFIDENCE["model"] if best >= MIN_SIMILARITY else CONFIDENCE["model"] - Decimal("0.15")
    if method == "title" and best < WEAK_SIMILARITY:
        reasons.append(f"title similarity {best:.2f}")
    if missing:
        confidence -= UNSTATED_PENALTY
        reasons.append(f"title does not state the {' and '.join(missing)}")
    if len(kept) > 1 and best - kept[1][0] < AMBIGUOUS_GAP:
        confidence = min(confidence, Decimal("0.50"))
        reasons.append(f"as close to {kept[1][2].sku}")
    alternatives = tuple((p.sku, Decimal(str(round(s, 2)))) for s, _, p, _ in kept[1:KEPT])
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
            return _as_offered(extraction, index, result)
    return NO_MATCH


def _as_offered(extraction: Extraction, index: CatalogIndex, result: MatchResult) -> MatchResult:
    """Review, whatever found the product, when the title sells it second-hand ("二手", "95新", "Renewed"):
    its price is no price of the new product. By title or model code, also when it sells a set the
    title does not count ("礼盒装", "套装", "Bundle") or names a part ("刷头", "鞋带") and the product is
    no such set or part."""
    product = index.product(result.product_sku) if result.product_sku else None
    if product is None or not extraction.title:
        return result
    flags = listing_flags(extraction.title) - index.attributes[product.sku].flags
    reasons = []
    if "used" in flags:
        reasons.append("the title sells it second-hand")
    if "bundle" in flags and result.method in ("title", "model"):
        reasons.append("the title sells a set it does not count")
    parts = sorted(f.removeprefix("part:") for f in flags if f.startswith("part:"))
    if parts and result.method in ("title", "model"):
        reasons.append(f"the title names a part ({', '.join(parts)}): an accessory or a feature")
    if not reasons:
        return result
    reason = "; ".join([*reasons, *([result.reason] if result.reason else [])])
    return replace(result, confidence=min(result.confidence, UNSURE), reason=reason)
