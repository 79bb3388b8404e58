"""The saved pages under tests/fixtures/pages/, for the extraction and profile tests."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from crawlers.extraction import Extraction

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pages"


def page(name: str) -> bytes:
    """A saved page's bytes, by its path under tests/fixtures/pages/ ("tmall/detail_coupon.html")."""
    return (FIXTURES / name).read_bytes()


def amounts(got: Extraction) -> set[Decimal]:
    """Every candidate amount of an extraction, over all its offers."""
    return {c.amount for offer in (got.offers or (got,)) for c in offer.candidates}
