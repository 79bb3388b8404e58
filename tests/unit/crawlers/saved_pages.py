"""The saved pages under tests/fixtures/pages/, for the extraction and profile tests."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from crawlers.extraction import Extraction, ExtractionStatus

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pages"


def page(name: str) -> bytes:
    """A saved page's bytes, by its path under tests/fixtures/pages/ ("tmall/detail_coupon.html")."""
    return (FIXTURES / name).read_bytes()


def amounts(got: Extraction) -> set[Decimal]:
    """Every candidate amount of an extraction, over all its offers."""
    return {c.amount for offer in (got.offers or (got,)) for c in offer.candidates}


def price_of(got: Extraction) -> tuple[Decimal, str, str | None, Decimal | None]:
    """(amount, currency, kind, top of a range) of a page read with a price; fails with the reason when none."""
    assert got.status is ExtractionStatus.OK, got.reason
    assert got.price is not None
    return got.price.amount, got.price.currency, got.price_kind, got.price_high
