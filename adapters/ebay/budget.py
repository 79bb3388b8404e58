"""eBay's revision cap: each listing may be revised at most 250 times per calendar day.

Kept in memory per adapter (one process); the day is the UTC date.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime


def utc_today() -> date:
    return datetime.now(UTC).date()


class RevisionBudget:
    """Counts revisions per SKU for the current UTC day; yesterday's counts are dropped.

    >>> budget = RevisionBudget(limit=2, today=lambda: date(2026, 11, 27))
    >>> budget.spend("A"); budget.left("A")
    1
    """

    def __init__(self, limit: int = 250, today: Callable[[], date] = utc_today) -> None:
        self.limit = limit
        self.today = today
        self._day: date | None = None
        self._used: dict[str, int] = {}

    def _roll(self) -> None:
        day = self.today()
        if day != self._day:
            self._day = day
            self._used.clear()

    def used(self, sku: str) -> int:
        self._roll()
        return self._used.get(sku, 0)

    def left(self, sku: str) -> int:
        """Revisions of `sku` still allowed today."""
        return max(self.limit - self.used(sku), 0)

    def spend(self, sku: str, count: int = 1) -> None:
        self._roll()
        self._used[sku] = self._used.get(sku, 0) + count
