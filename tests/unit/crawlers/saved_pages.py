"""The saved pages under tests/fixtures/pages/, for the extraction and profile tests."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from crawlers.discovery import SearchResult
from crawlers.extraction import Extraction, ExtractionStatus

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pages"


def page(name: str) -> bytes:
    """A saved page's bytes, by its path under tests/fixtures/pages/ ("tmall/detail_coupon.html")."""
    return (FIXTURES / name).read_bytes()


def html(name: str) -> str:
    """A saved UTF-8 page as text, to be edited for a variant of its shape."""
    return page(name).decode("utf-8")


def replaced(text: str, old: str, new: str) -> str:
    """`text` with `old` replaced by `new`; fails when `old` is not in it (the saved page changed)."""
    assert old in text
    return text.replace(old, new)


def sold_out(got: Extraction, profile: str) -> None:
    """The page was read by `profile` as sold out: no price."""
    assert (got.status, got.reason, got.profile) == (ExtractionStatus.NO_PRICE, "sold_out", profile)
    assert got.price is None


def amounts(got: Extraction) -> set[Decimal]:
    """Every candidate amount of an extraction, over all its offers."""
    return {c.amount for offer in (got.offers or (got,)) for c in offer.candidates}


def price_of(got: Extraction) -> tuple[Decimal, str, str | None, Decimal | None]:
    """(amount, currency, kind, top of a range) of a page read with a price; fails with the reason when none."""
    assert got.status is ExtractionStatus.OK, got.reason
    assert got.price is not None
    return got.price.amount, got.price.currency, got.price_kind, got.price_high


def search_page(name: str) -> bytes:
    """A saved search result page, by its name under tests/fixtures/pages/search/."""
    return page(f"search/{name}")


def result_row(r: SearchResult) -> tuple[str, str | None, str | None, Decimal | None]:
    """(listing URL, title, seller, price) of one search result."""
    return (r.url, r.title, r.seller_name, r.price)
