"""Fixtures of the alerting tests: an observation feed on a SQLite database."""

from __future__ import annotations

from datetime import datetime

import pytest
from alert_fakes import TARGETS, Feed

from oneprice.domain.money import Money
from oneprice.domain.observation import Observation, ObservationStatus
from oneprice.storage import Database, ObservationRepository


@pytest.fixture
def feed(sqlite_db: Database) -> Feed:
    """Store one observation: feed(target, price, at, seller=..., status=...) -> id."""
    repo = ObservationRepository(sqlite_db)

    def add(
        target: str,
        price: str | None,
        at: datetime,
        *,
        seller: str = "星光",
        reseller: str | None = "star",
        sku: str = "JK",
        status: ObservationStatus = ObservationStatus.OK,
        currency: str = "CNY",
    ) -> int:
        t = next(t for t in TARGETS if t.id == target)
        return repo.add(
            Observation(
                target_id=target,
                url=t.url,
                platform=t.platform,
                observed_at=at,
                status=status,
                reason=None if status is ObservationStatus.OK else "captcha",
                price=Money.of(price, currency) if price else None,
                seller_name=seller,
                reseller_id=reseller,
                product_sku=sku if status is ObservationStatus.OK else None,
            ),
            evidence=f"<html>{target} {price}</html>".encode(),
        )

    return add
