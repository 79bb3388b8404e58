"""The pre-selection's candidate rows: read back exactly, flagged soundly, judged as observations are."""

from __future__ import annotations

import dataclasses
import gc
import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from alert_fakes import market

from alerts.engine import collector_paused, detect, find_violations, judge_candidates
from alerts.rules import RULES, RuleContext
from alerts.rules.coverage import UNREADABLE, coverage_key
from alerts.selection import RULE_FLAGS, candidate_filter, thresholds
from oneprice.domain.alert import Violation
from oneprice.domain.catalog import WatchTarget
from oneprice.domain.money import Money
from oneprice.domain.observation import RANGE, Observation, ObservationStatus, seller_key
from oneprice.settings.loader import LoadedConfig
from oneprice.storage import AlertRepository, Database, ObservationRepository
from oneprice.storage.alert_inputs import WATCHED, WATCHED_TARGET, AlertInputRepository, Candidate

T0 = datetime(2026, 11, 1, tzinfo=UTC)
STATUSES = [ObservationStatus.OK] * 6 + [
    ObservationStatus.BLOCKED,
    ObservationStatus.HTTP_ERROR,
    ObservationStatus.NO_PRICE,
    ObservationStatus.UNMATCHED,
]
PRICES = ["0.01", "700", "949.99", "950", "955", "960", "980", "999.99", "1000", "1000.004", "1100", "1250.555"]


def world(tmp_path: Path) -> LoadedConfig:
    alerts: dict[str, Any] = {
        "promotions": [
            {
                "name": "raised",
                "start": "2026-11-01T00:00:00Z",
                "end": "2026-11-01T03:00:00Z",
                "products": ["P1"],
                "floor_price": "1200",
            },
            {
                "name": "lowered",
                "start": "2026-11-01T02:00:00Z",
                "end": "2026-11-01T05:00:00Z",
                "platforms": ["jd"],
                "floor_percent": "20",
            },
        ],
        "drift": {"cuts_in_a_row": 2, "average_below_percent": "1"},
        "coverage_gap": {"after_minutes": 60},
    }
    return market(tmp_path, alerts, products=3, targets=30)


def fill(db: Database, config: LoadedConfig, rnd: random.Random, rounds: int) -> None:
    repo = ObservationRepository(db)
    gone = WatchTarget(id="gone", url="http://127.0.0.1:1/gone", platform="jd")
    sellers = ["r0", "r1", "r2", "r3", None, "Stranger  Shop", ""]
    # Mostly the same seller per listing from visit to visit, so that drift has a history to read.
    usual = {(t.id, offer): rnd.choice(sellers) for t in (*config.settings.watch, gone) for offer in range(3)}
    for r in range(rounds):
        for t in (*config.settings.watch, gone):
            offers = rnd.choice([1, 1, 2, 3])
            for offer in range(offers):
                status = rnd.choice(STATUSES)
                seller = usual[t.id, offer] if rnd.random() < 0.8 else rnd.choice(sellers)
                known = seller if seller and seller.startswith("r") else None
                priced = status in (ObservationStatus.OK, ObservationStatus.UNMATCHED)
                above = rnd.choice([0, 0, 0, None, 120])  # a range's top above its low end; None: a "from" price
                repo.add(
                    Observation(
                        target_id=t.id,
                        url=t.url,
                        platform=t.platform,
                        observed_at=T0 + timedelta(hours=r),
                        status=status,
                        reason="captcha" if status is ObservationStatus.BLOCKED else None,
                        price=Money.of(rnd.choice(PRICES), rnd.choice(["CNY"] * 5 + ["USD"])) if priced else None,
                        price_kind="range" if priced and above != 0 else None,
                        price_high=Decimal(2000 + above) if priced and above else None,
                        seller_name=seller,
                        reseller_id=known,
                        product_sku=rnd.choice(["P0", "P1", "P2", "NOPE", None]) if priced else None,
                        offer_key=f"o{offer}" if offers > 1 else "",
                        visit=f"{t.id}-{r}" if offers > 1 else None,
                    )
                )


def read(db: Database, config: LoadedConfig, active: set[tuple[str, str, str, str]]) -> list[Candidate]:
    ctx = RuleContext.from_config(config)
    keep = candidate_filter(thresholds(ctx), ctx, active, UNREADABLE)
    return AlertInputRepository(db).candidates(None, keep).observations


FIELDS = ["id", "target_id", "url", "platform", "observed_at", "status", "reason", "price"]
FIELDS += ["seller_name", "reseller_id", "product_sku", "visit", "price_kind", "price_high"]


@pytest.mark.parametrize("seed", range(3))
def test_candidates_read_back_as_observations_are(tmp_path: Path, any_db: Database, seed: int) -> None:
    config = world(tmp_path)
    fill(any_db, config, random.Random(seed), rounds=3)
    stored = {o.id: o for o in ObservationRepository(any_db).latest_per_target()}
    candidates = read(any_db, config, set())
    assert candidates
    assert [(c.target_id, c.id) for c in candidates] == sorted((c.target_id, c.id) for c in candidates)
    for c in candidates:
        obs = stored[c.id]  # every candidate is a newest observation
        assert [getattr(c, f) for f in FIELDS] == [getattr(obs, f) for f in FIELDS]
        assert c.observed_at.tzinfo is not None
        if c.price is not None:
            assert c.price.amount.as_tuple().exponent == -2  # quantized to the currency, as stored


@pytest.mark.parametrize("seed", range(3))
def test_flags_cover_every_violation(tmp_path: Path, any_db: Database, seed: int) -> None:
    """A rule that fires on a newest observation finds it among the candidates, with the flag it needs."""
    config = world(tmp_path)
    fill(any_db, config, random.Random(seed), rounds=3)
    everything = ObservationRepository(any_db).latest_per_target()
    rules = [cls.from_config(config) for cls in RULES.values()]
    ctx = RuleContext.from_config(config)
    history = AlertInputRepository(any_db).recent_prices([o.target_id for o in everything], T0 - timedelta(days=8))
    violations, _, _ = find_violations(everything, rules, dataclasses.replace(ctx, history=history))
    by_id = {c.id: c for c in read(any_db, config, set())}
    assert {v.rule for v in violations} == {"undercut", "unauthorized_seller", "drift"}
    for v in violations:
        assert v.observation_id is not None
        row = by_id[v.observation_id]
        assert row.flags & RULE_FLAGS[v.rule] or (row.price and row.price.currency != "CNY")


@pytest.mark.parametrize("seed", range(3))
def test_judging_candidates_equals_judging_them_as_observations(tmp_path: Path, any_db: Database, seed: int) -> None:
    rnd = random.Random(seed)
    config = world(tmp_path)
    fill(any_db, config, rnd, rounds=3)
    rules = [cls.from_config(config) for cls in RULES.values()]
    now = T0 + timedelta(hours=3)
    first = detect(config, any_db, now=now)
    AlertRepository(any_db).apply(first.violations[1::2], [], now)
    active = AlertRepository(any_db).active_keys()
    assert any(k[0] == "coverage_gap" for k in active) and any(k[0] == "undercut" for k in active)
    candidates = read(any_db, config, active)
    assert any(c.flags & WATCHED for c in candidates) and any(c.flags & WATCHED_TARGET for c in candidates)
    history = AlertInputRepository(any_db).recent_prices([c.target_id for c in candidates], T0 - timedelta(days=8))
    ctx = dataclasses.replace(RuleContext.from_config(config), history=history)
    observations = AlertInputRepository(any_db).observations([c.id for c in candidates])

    fast, judged, skipped = judge_candidates(candidates, rules, ctx, active)
    slow, all_judged, slow_skipped = find_violations(observations, rules, ctx)

    def view(vs: list[Violation]) -> list[tuple[object, ...]]:
        return sorted(
            ((v.key, v.observation_id, v.observed_price, v.gap_percent, v.severity, v.message) for v in vs),
            key=repr,
        )

    assert view(fast) == view(slow)
    assert judged == {k for k in all_judged if k in active}
    assert skipped == slow_skipped
    # Watched rows name their keys the way the rules do.
    for c in candidates:
        if c.flags & WATCHED:
            assert c.product_sku is not None
            assert any(k[1:] == (c.product_sku, seller_key(c.reseller_id, c.seller_name), c.platform) for k in active)


def test_unreadable_rows_carry_since_when_their_target_shows_no_price(tmp_path: Path, any_db: Database) -> None:
    config = world(tmp_path)
    fill(any_db, config, random.Random(5), rounds=4)
    candidates = read(any_db, config, set())
    dark = [c for c in candidates if c.status in UNREADABLE]
    assert dark
    expected = AlertInputRepository(any_db).readable_since([c.target_id for c in dark])
    for c in candidates:
        if c.status in UNREADABLE:
            assert c.readable_since == expected[c.target_id]
        else:
            assert c.readable_since is None
    found = detect(config, any_db, now=T0 + timedelta(hours=6))
    gaps = {v.seller_key for v in found.violations if v.rule == "coverage_gap"}
    assert gaps == {
        coverage_key(c.target_id, c.platform)[2]
        for c in dark
        if c.target_id != "gone"
        and c.readable_since is not None
        and T0 + timedelta(hours=6) - c.readable_since >= timedelta(minutes=60)
    }


def test_newest_counts_wanted_targets_only(tmp_path: Path, any_db: Database) -> None:
    config = world(tmp_path)
    fill(any_db, config, random.Random(9), rounds=2)
    everything = ObservationRepository(any_db).latest_per_target()
    ctx = RuleContext.from_config(config)
    keep = candidate_filter(thresholds(ctx), ctx, set(), UNREADABLE)
    wanted = {f"w{i}" for i in range(0, 30, 2)}
    chosen = AlertInputRepository(any_db).candidates(wanted, keep)
    assert chosen.newest == sum(1 for o in everything if o.target_id in wanted)
    assert {c.target_id for c in chosen.observations} <= wanted
    every = AlertInputRepository(any_db).candidates(None, keep)
    assert every.newest == len(everything)
    assert [c for c in every.observations if c.target_id in wanted] == chosen.observations


def test_an_empty_database_and_odd_target_ids(tmp_path: Path, any_db: Database) -> None:
    config = world(tmp_path)
    ctx = RuleContext.from_config(config)
    keep = candidate_filter(thresholds(ctx), ctx, set(), UNREADABLE)
    empty = AlertInputRepository(any_db).candidates(None, keep)
    assert (empty.newest, empty.observations) == (0, [])
    assert detect(config, any_db, now=T0).violations == []
    # A stored target id with a space in it (ids are listed space-separated) is still counted once.
    repo = ObservationRepository(any_db)
    for target in ("odd id", "w1"):
        repo.add(
            Observation(
                target_id=target,
                url="http://127.0.0.1:1/odd",
                platform="tmall",
                observed_at=T0,
                status=ObservationStatus.BLOCKED,
            )
        )
    found = AlertInputRepository(any_db).candidates({"odd id"}, keep)
    assert found.newest == 1
    assert [c.target_id for c in found.observations] == ["odd id"]
    assert AlertInputRepository(any_db).candidates(None, keep).newest == 2


def test_recent_prices_reads_what_was_stored(tmp_path: Path, any_db: Database) -> None:
    config = world(tmp_path)
    fill(any_db, config, random.Random(2), rounds=3)
    repo = ObservationRepository(any_db)
    since = T0 + timedelta(hours=1)
    history = AlertInputRepository(any_db).recent_prices(["w1", "w2", "w3", "nothing"], since)
    ranges = 0
    for target in ("w1", "w2", "w3"):
        stored = sorted(
            (o for o in repo.for_target(target) if o.status is ObservationStatus.OK and o.price is not None),
            key=lambda o: (o.observed_at, o.id or 0),
        )
        expected = [
            (o.id, o.observed_at, o.price.amount, o.price.currency, seller_key(o.reseller_id, o.seller_name))
            for o in stored
            if o.observed_at >= since and o.price is not None and o.price_kind != RANGE
        ]
        assert [tuple(r) for r in history.get(target, [])] == expected
        ranges += sum(1 for o in stored if o.observed_at >= since and o.price_kind == RANGE)
    assert ranges  # the world stores ranges and "from" prices: the history leaves them out
    assert "nothing" not in history


def test_collector_paused_restores_the_collector() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()
