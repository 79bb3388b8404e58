"""The catalog's word index finds the same best product by title as scoring every product does."""

from __future__ import annotations

from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from bench.matching import COLOURS, ITEM_TYPES, MARKETING, SERIES_SYLLABLES, labelled_set, scaled_catalog
from crawlers.extraction import Extraction, ExtractionStatus
from crawlers.matching import (
    CONFIRMED_BONUS,
    MIN_SIMILARITY,
    CatalogIndex,
    MatchResult,
    _best_by_title,
    match_title,
)
from crawlers.titles import TitleText, confirmed, conflicts, listing_flags, similarity, title_attributes


@cache
def index() -> CatalogIndex:
    return CatalogIndex(scaled_catalog(600))


def listing(title: str) -> Extraction:
    return Extraction(status=ExtractionStatus.NO_PRICE, title=title)


def outcome(result: MatchResult | None) -> tuple[object, ...] | None:
    if result is None:
        return None
    return (result.product_sku, result.method, result.confidence, result.reason, result.alternatives)


def ranking(title: str, idx: CatalogIndex) -> list[tuple[str, float]]:
    """Every product scored one by one, the plain way: (sku, score) best first."""
    wanted = title_attributes(title, idx.colours)
    scored = []
    for p in idx.catalog.products:
        attrs = idx.attributes[p.sku]
        score = similarity(title, p.name)
        if not conflicts(wanted, attrs) and score >= MIN_SIMILARITY:
            scored.append((p.sku, score + CONFIRMED_BONUS * len(confirmed(wanted, attrs))))
    return sorted(scored, key=lambda t: (-t[1], t[0]))


def test_the_labelled_listings_match_as_when_every_product_is_scored() -> None:
    idx = index()
    titles = [item.title for item in labelled_set(idx.catalog, per_product=1)][::3]
    assert len(titles) > 200
    found = 0
    for title in titles:
        result = match_title(listing(title), idx)
        if "lookalike" in listing_flags(title):  # turned away before any product is scored
            assert result is not None and result.product_sku is None, title
            continue
        scanned = _best_by_title(listing(title), idx, idx.catalog.products, "title")
        assert outcome(result) == outcome(scanned), title
        plain = ranking(title, idx)
        assert (result.product_sku if result else None) == (plain[0][0] if plain else None), title
        if result is not None:
            found += 1
            assert [sku for sku, _ in result.alternatives] == [sku for sku, _ in plain[1:4]], title
    assert found > 150


words = st.sampled_from(
    ["山屿", "山", *SERIES_SYLLABLES, *ITEM_TYPES, *COLOURS, *MARKETING, "M", "XL", "30L", "3件装", "Pro", "gore-tex"]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(words, min_size=1, max_size=8), st.sampled_from(["", " "]))
def test_any_title_made_of_catalog_words_matches_as_when_every_product_is_scored(parts: list[str], sep: str) -> None:
    idx = index()
    title = sep.join(parts)
    scanned = _best_by_title(listing(title), idx, idx.catalog.products, "title")
    assert outcome(match_title(listing(title), idx)) == outcome(scanned)
    # The pool leaves out only products that cannot reach the similarity a title match needs.
    pooled = {p.sku for p, _ in idx.title_pool(TitleText.of(title))}
    left_out = [p for p in idx.catalog.products if p.sku not in pooled]
    assert all(similarity(title, p.name) < MIN_SIMILARITY for p in left_out[::7])
