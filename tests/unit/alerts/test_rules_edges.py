"""Edges a brand meets after months of running: promotion windows in local time, tolerance
boundaries, late observations and the episodes they must leave alone."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from alert_fakes import Feed, make_config

from alerts.engine import evaluate
from alerts.rules import DriftRule, RuleContext, UnauthorizedSellerRule, UndercutRule
from oneprice.domain import Money, Observation, ObservationStatus, Product, Reseller, Severity, TolerancePolicy
from oneprice.domain.alert import AlertStatus, PriceReading
from oneprice.settings.alerts import AlertSettings
from oneprice.settings.models import PolicySettings
from oneprice.storage import AlertRepository, Database

JACKET = Product(sku="JK", name="Jacket", unified_price=Money.of("1000", "CNY"), product_line="apparel")
ODD = Product(sku="OD", name="Odd", unified_price=Money.of("19.99", "CNY"), product_line="apparel")
YEN = Product(sku="JP", name="Yen", unified_price=Money.of("1999", "JPY"), product_line="apparel")
WON = Product(sku="KR", name="Won", unified_price=Money.of("19999", "KRW"), product_line="packs")
PACK = Product(sku="BP", name="Pack", unified_price=Money.of("500", "CNY"), product_line="packs")
CTX = RuleContext(
    products={p.sku: p for p in (JACKET, ODD, YEN, WON, PACK)},
    resellers={"star": Reseller(id="star", name="星光", platforms=("tmall",))},
    policy=PolicySettings(
        tolerance=TolerancePolicy(percent=Decimal(5)),
        product_lines={"packs": TolerancePolicy(absolute=Decimal(20))},
    ),
    critical_gap_percent=Decimal(15),
)
T0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def reading(price: str, *, currency: str = "CNY", platform: str = "tmall", at: datetime = T0) -> Observation:
    return Observation(
        id=1,
        target_id="t1",
        url="http://127.0.0.1:1/p",
        platform=platform,
        observed_at=at,
        status=ObservationStatus.OK,
        price=Money.of(price, currency),
        seller_name="星光",
        reseller_id="star",
        product_sku="JK",
    )


TOLERANCE = [
    # product, price, currency, undercut?
    (JACKET, "950", "CNY", False),  # exactly at the 5% floor
    (JACKET, "949.99", "CNY", True),  # one cent below
    (ODD, "18.99", "CNY", False),  # floor 18.9905 rounds to 18.99: the price in line stays in line
    (ODD, "18.98", "CNY", True),
    (YEN, "1899", "JPY", False),  # floor 1899.05, no minor unit: 1899 is the floor
    (YEN, "1898", "JPY", True),
    (WON, "19979", "KRW", False),  # absolute 20 per line
    (WON, "19978", "KRW", True),
    (PACK, "480", "CNY", False),  # line override: 20 CNY absolute
    (PACK, "479.99", "CNY", True),
    (JACKET, "1", "USD", False),  # another currency: not compared
]


@pytest.mark.parametrize(("product", "price", "currency", "undercut"), TOLERANCE)
def test_tolerance_boundaries(product: Product, price: str, currency: str, undercut: bool) -> None:
    o = reading(price, currency=currency).model_copy(update={"product_sku": product.sku})
    assert (UndercutRule().check(o, product, CTX) is not None) == undercut


SINGLES_DAY = {
    "name": "双11",
    "start": "2026-11-11T00:00:00+08:00",
    "end": "2026-11-12T00:00:00+08:00",
    "floor_percent": "20",
}

WINDOWS: list[tuple[dict[str, Any], str, str, datetime, bool]] = [
    # promotion, price, platform, observed at (UTC), undercut?
    (SINGLES_DAY, "850", "tmall", datetime(2026, 11, 10, 16, 30, tzinfo=UTC), False),  # 00:30 in Shanghai
    (SINGLES_DAY, "850", "tmall", datetime(2026, 11, 10, 16, 0, tzinfo=UTC), False),  # first minute
    (SINGLES_DAY, "850", "tmall", datetime(2026, 11, 10, 15, 59, 59, tzinfo=UTC), True),  # before it
    (SINGLES_DAY, "850", "tmall", datetime(2026, 11, 11, 15, 59, 59, tzinfo=UTC), False),  # last second
    (SINGLES_DAY, "850", "tmall", datetime(2026, 11, 11, 16, 0, tzinfo=UTC), True),  # end is exclusive
    ({**SINGLES_DAY, "platforms": ["jd"]}, "850", "tmall", datetime(2026, 11, 11, 4, tzinfo=UTC), True),
    ({**SINGLES_DAY, "products": ["BP"]}, "850", "tmall", datetime(2026, 11, 11, 4, tzinfo=UTC), True),
    ({**SINGLES_DAY, "products": ["JK"]}, "850", "tmall", datetime(2026, 11, 11, 4, tzinfo=UTC), False),
    ({**SINGLES_DAY, "product_lines": ["apparel"]}, "850", "tmall", datetime(2026, 11, 11, 4, tzinfo=UTC), False),
]


@pytest.mark.parametrize(("promo", "price", "platform", "at", "undercut"), WINDOWS)
def test_promotion_windows_in_local_time(
    promo: dict[str, Any], price: str, platform: str, at: datetime, undercut: bool
) -> None:
    ctx = dataclasses.replace(CTX, alerts=AlertSettings.model_validate({"promotions": [promo]}))
    found = UndercutRule().check(reading(price, platform=platform, at=at), JACKET, ctx)
    assert (found is not None) == undercut


def undercuts(db: Database) -> list[AlertStatus]:
    return [a.status for a in AlertRepository(db).list(status=list(AlertStatus)) if a.rule == "undercut"]


def test_a_late_reading_in_line_does_not_resolve_a_newer_undercut(
    tmp_path: Path, sqlite_db: Database, feed: Feed
) -> None:
    config = make_config(tmp_path)
    feed("t-star", "800", T0 + HOUR)
    evaluate(config, sqlite_db, now=T0 + HOUR)
    assert undercuts(sqlite_db) == [AlertStatus.OPEN]
    # A reading from before the dip arrives late: it says nothing about the price now.
    feed("t-star", "1000", T0)
    evaluate(config, sqlite_db, now=T0 + 2 * HOUR)
    assert undercuts(sqlite_db) == [AlertStatus.OPEN]


def test_a_late_undercut_does_not_count_toward_grace_nor_restart_the_quiet_period(
    tmp_path: Path, sqlite_db: Database, feed: Feed
) -> None:
    config = make_config(tmp_path, {"episodes": {"grace_observations": 2, "resolve_after_minutes": 120}})
    feed("t-star", "800", T0 + HOUR)
    evaluate(config, sqlite_db, now=T0 + HOUR)
    feed("t-star", "700", T0)  # late: observed before the first dip
    evaluate(config, sqlite_db, now=T0 + HOUR)
    assert undercuts(sqlite_db) == [AlertStatus.PENDING]
    [pending] = AlertRepository(sqlite_db).list(status=AlertStatus.PENDING)
    assert pending.observations == 1 and pending.observed_price == Money.of("800", "CNY")
    feed("t-star", "800", T0 + 2 * HOUR)
    evaluate(config, sqlite_db, now=T0 + 2 * HOUR)
    assert undercuts(sqlite_db) == [AlertStatus.OPEN]
    feed("t-star", "1000", T0 + 3 * HOUR)
    evaluate(config, sqlite_db, now=T0 + 3 * HOUR)
    feed("t-star", "800", T0 + 90 * timedelta(minutes=1))  # late again, from before the price came back
    evaluate(config, sqlite_db, now=T0 + 4 * HOUR)
    feed("t-star", "1000", T0 + 5 * HOUR)
    evaluate(config, sqlite_db, now=T0 + 5 * HOUR)
    assert undercuts(sqlite_db) == [AlertStatus.RESOLVED]


def test_a_late_undercut_does_not_reopen_a_resolved_episode(tmp_path: Path, sqlite_db: Database, feed: Feed) -> None:
    config = make_config(tmp_path)
    feed("t-star", "800", T0)
    evaluate(config, sqlite_db, now=T0)
    feed("t-star", "1000", T0 + 2 * HOUR)
    evaluate(config, sqlite_db, now=T0 + 2 * HOUR)
    assert undercuts(sqlite_db) == [AlertStatus.RESOLVED]
    feed("t-star", "800", T0 + HOUR)  # observed while the episode lasted, stored after it ended
    evaluate(config, sqlite_db, now=T0 + 3 * HOUR)
    assert undercuts(sqlite_db) == [AlertStatus.RESOLVED]


DEEPER = {**SINGLES_DAY, "name": "JK 清仓", "products": ["JK"], "floor_percent": "30"}
IN_SINGLES_DAY = datetime(2026, 11, 11, 4, tzinfo=UTC)


@pytest.mark.parametrize("order", [(SINGLES_DAY, DEEPER), (DEEPER, SINGLES_DAY)])
@pytest.mark.parametrize(("price", "undercut"), [("700", False), ("699.99", True)])
def test_overlapping_promotions_sanction_the_lowest_floor_whatever_their_order(
    order: tuple[dict[str, Any], ...], price: str, undercut: bool
) -> None:
    ctx = dataclasses.replace(CTX, alerts=AlertSettings.model_validate({"promotions": list(order)}))
    found = UndercutRule().check(reading(price, at=IN_SINGLES_DAY), JACKET, ctx)
    assert (found is not None) == undercut
    if found is not None:
        assert "JK 清仓" in found.message and "700.00" in found.message


def drift_history(*prices: tuple[int, str]) -> dict[str, list[PriceReading]]:
    """(days before the newest reading, price) per earlier reading of target t1, oldest first."""
    return {
        "t1": [
            PriceReading(100 + i, T0 - timedelta(days=days), Decimal(p), "CNY", "star")
            for i, (days, p) in enumerate(prices)
        ]
    }


DRIFT: list[tuple[tuple[tuple[int, str], ...], str, bool]] = [
    # earlier readings (days before, price), newest price, drift?
    (((1, "990"),), "980", False),  # two readings: one cut, three needed; average 1.5% below
    (((2, "990"), (1, "990")), "990", False),  # equal prices are no cut; average 1% below
    (((2, "999"), (1, "985")), "975", True),  # three cuts in a row
    (((2, "990"), (1, "980")), "985", False),  # a cut followed by a raise; average 1.5% below
    (((6, "960"), (3, "960")), "970", True),  # average 3.67% below over 7 days with gaps
    (((8, "900"), (3, "990")), "990", False),  # the 900 is outside the 7-day window
]


@pytest.mark.parametrize(("earlier", "price", "drift"), DRIFT)
def test_drift_edges(earlier: tuple[tuple[int, str], ...], price: str, drift: bool) -> None:
    ctx = dataclasses.replace(CTX, history=drift_history(*earlier))
    o = reading(price).model_copy(update={"target_id": "t1"})
    assert (DriftRule().check(o, JACKET, ctx) is not None) == drift


@pytest.mark.parametrize(
    ("price", "severity"),
    [("850", Severity.CRITICAL), ("850.06", Severity.WARNING), ("949.99", Severity.WARNING)],
)
def test_severity_at_the_critical_gap(price: str, severity: Severity) -> None:
    found = UndercutRule().check(reading(price), JACKET, CTX)
    assert found is not None and found.severity is severity


@pytest.mark.parametrize(
    ("reseller", "seller", "platform", "unauthorized"),
    [
        ("star", "星光", "tmall", False),
        ("star", "星光", "jd", True),  # authorized, but not on this platform
        (None, None, "tmall", False),  # a page without a seller is not judged
        (None, "路人", "tmall", True),
    ],
)
def test_unauthorized_seller_edges(reseller: str | None, seller: str | None, platform: str, unauthorized: bool) -> None:
    o = reading("1000", platform=platform).model_copy(update={"reseller_id": reseller, "seller_name": seller})
    assert (UnauthorizedSellerRule().check(o, JACKET, CTX) is not None) == unauthorized
