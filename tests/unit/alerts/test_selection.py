"""Pre-selection loses nothing: judging the selection finds what judging every observation finds."""

from __future__ import annotations

import dataclasses
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alert_fakes import market

from alerts.engine import detect, find_violations
from alerts.rules import RULES, RuleContext
from oneprice.domain.catalog import WatchTarget
from oneprice.domain.money import Money
from oneprice.domain.observation import Observation, ObservationStatus
from oneprice.settings.loader import LoadedConfig
from oneprice.storage import AlertRepository, Database, ObservationRepository
from oneprice.storage.alert_inputs import AlertInputRepository

T0 = datetime(2026, 11, 1, tzinfo=UTC)
STATUSES = [ObservationStatus.OK] * 8 + [ObservationStatus.BLOCKED, ObservationStatus.NO_PRICE]


def world(tmp_path: Path, rnd: random.Random) -> LoadedConfig:
    alerts: dict[str, Any] = {
        "promotions": [
            {
                "name": "p",
                "start": "2026-11-01T00:00:00Z",
                "end": "2026-11-02T00:00:00Z",
                "products": ["P1"],
                "floor_price": "1200",  # a promotion floor above the unified price
            }
        ],
        "overrides": [{"rule": "unauthorized_seller", "seller": "r2", "enabled": False}],
    }
    return market(tmp_path, alerts, products=4, targets=40)


# A target no longer watched (neither configured nor discovered): its rows are neither judged nor counted.
GONE = WatchTarget(id="gone", url="http://127.0.0.1:1/gone", platform="tmall")


def fill(db: Database, config: LoadedConfig, rnd: random.Random, rounds: int) -> None:
    repo = ObservationRepository(db)
    for r in range(rounds):
        for t in (*config.settings.watch, GONE):
            # Some visits show several offers (a listing with sellers to choose from): all are newest.
            offers = rnd.choice([1, 1, 1, 2, 3])
            for offer in range(offers):
                status = rnd.choice(STATUSES)
                seller = rnd.choice(["r0", "r1", "r2", "r3", None, "stranger"])
                known = seller if seller and seller.startswith("r") else None
                price = (
                    Money.of(rnd.choice([700, 940, 960, 990, 1000, 1100, 1300]), rnd.choice(["CNY"] * 5 + ["USD"]))
                    if status is ObservationStatus.OK
                    else None
                )
                # Some prices are the low end of a range ("¥700.00-990.00") or a "from" price (no top).
                above = rnd.choice([0] * 6 + [None, 50, 400])
                ranged = price is not None and above != 0
                repo.add(
                    Observation(
                        target_id=t.id,
                        url=t.url,
                        platform=t.platform,
                        observed_at=T0 + timedelta(hours=r),
                        status=status,
                        price=price,
                        price_kind="range" if ranged else None,
                        price_high=price.amount + above if price is not None and above else None,
                        seller_name=seller,
                        reseller_id=known,
                        product_sku=rnd.choice(["P0", "P1", "P2", "P3", "NOPE"])
                        if status is ObservationStatus.OK
                        else None,
                        offer_key=f"o{offer}" if offers > 1 else "",
                        visit=f"{t.id}-{r}" if offers > 1 else None,
                    )
                )


@pytest.mark.parametrize("seed", range(4))
def test_selection_finds_what_judging_everything_finds(tmp_path: Path, any_db: Database, seed: int) -> None:
    sqlite_db = any_db  # the pre-selection runs in SQL: on every backend the machine offers
    rnd = random.Random(seed)
    config = world(tmp_path, rnd)
    fill(sqlite_db, config, rnd, rounds=3)
    now = T0 + timedelta(hours=3)
    # Some episodes are active, so in-line readings under them must be judged too.
    first = detect(config, sqlite_db, now=now)
    AlertRepository(sqlite_db).apply(first.violations[::2], [], now)
    fill(sqlite_db, config, rnd, rounds=1)

    found = detect(config, sqlite_db, now=now + timedelta(hours=1))
    everything = [o for o in ObservationRepository(sqlite_db).latest_per_target() if o.target_id != GONE.id]
    assert len({o.target_id for o in everything}) < len(everything)  # visits with several offers
    rules = [cls.from_config(config) for cls in RULES.values()]
    ctx = RuleContext.from_config(config)
    history = AlertInputRepository(sqlite_db).recent_prices([o.target_id for o in everything], T0 - timedelta(days=8))
    expected, judged, skipped = find_violations(everything, rules, dataclasses.replace(ctx, history=history))

    def view(vs: list) -> set:  # type: ignore[type-arg]
        return {(v.key, v.observed_price, v.severity, v.observation_id) for v in vs if v.rule != "coverage_gap"}

    assert view(found.violations) == view(expected)
    active = AlertRepository(sqlite_db).active_keys()
    assert {k for k in found.judged if k in active} == {k for k in judged if k in active}
    assert found.skipped == skipped
    assert found.observations == len(everything)
    assert GONE.url not in {v.url for v in found.violations}
    assert f"target:{GONE.id}" not in {k[2] for k in found.judged}


def test_observations_read_back_as_the_observation_repository_reads_them(tmp_path: Path, sqlite_db: Database) -> None:
    rnd = random.Random(3)
    fill(sqlite_db, world(tmp_path, rnd), rnd, rounds=1)
    everything = ObservationRepository(sqlite_db).latest_per_target()
    fast = AlertInputRepository(sqlite_db).observations([o.id for o in everything if o.id is not None])
    assert [o.model_dump() for o in fast] == [o.model_dump() for o in everything]
