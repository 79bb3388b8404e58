"""Hot targets: pages with a violation in progress, which the crawler may revisit sooner."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from oneprice.domain import Money, Observation, ObservationStatus, Severity, Violation
from oneprice.storage import AlertRepository, Database, ObservationRepository
from oneprice.storage.targets import TargetRepository

T0 = datetime(2026, 11, 11, tzinfo=UTC)


def observe(db: Database, target: str) -> int:
    return ObservationRepository(db).add(
        Observation(
            target_id=target,
            url=f"http://127.0.0.1/{target}",
            platform="taobao",
            observed_at=T0,
            status=ObservationStatus.OK,
            price=Money.of("800", "CNY"),
            seller_name="路人甲",
            product_sku="JK",
        )
    )


def violation(obs_id: int) -> Violation:
    return Violation(
        rule="undercut",
        product_sku="JK",
        seller_key="name:路人甲",
        seller_name="路人甲",
        reseller_id=None,
        platform="taobao",
        unified_price=Money.of("1000", "CNY"),
        observed_price=Money.of("800", "CNY"),
        gap_percent=Decimal("20.00"),
        severity=Severity.CRITICAL,
        message="below",
        url="http://127.0.0.1/t1",
        observation_id=obs_id,
        observed_at=T0,
    )


def test_only_targets_of_active_alerts_are_hot(any_db: Database) -> None:
    hot_obs = observe(any_db, "t1")
    observe(any_db, "t2")
    targets = TargetRepository(any_db)
    assert targets.hot(["t1", "t2"]) == set()
    alerts = AlertRepository(any_db)
    alerts.apply([violation(hot_obs)], [], T0)
    assert targets.hot(["t1", "t2"]) == {"t1"}
    assert targets.hot([]) == set()
    later = T0 + timedelta(days=30)
    alerts.apply([], [violation(hot_obs).key], later)  # back in line: resolved
    [alert] = alerts.list()
    assert not alert.status.active
    assert targets.hot(["t1", "t2"]) == set()
