"""The operations around apply: pause/resume, guards, saved plans, dead letters and retry, drift check."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sync_fakes import FakeFactory, listing_state, loaded, product

from oneprice.errors import PlanError
from oneprice.storage import AlertRepository, ChannelStateRepository, Database, DeadLetterRepository
from sync.applier import RetryPolicy
from sync.governor import RateGovernor
from sync.planfile import read_plan_file, write_plan_file
from sync.service import ApplyOptions, apply_all, plan_all, retry_all
from sync.verifier import RULE, check_all

NO_WAIT = RetryPolicy(max_attempts=2, sleep=lambda _: None)


def test_paused_channel_is_planned_but_not_written(tmp_path: Path, sqlite_db: Database) -> None:
    factory = FakeFactory()
    cfg = loaded(tmp_path, [product("A")])
    ChannelStateRepository(sqlite_db).set_paused("shop", True, "stock take")
    [plan] = plan_all(cfg, sqlite_db, adapter_factory=factory)
    assert plan.paused == "stock take" and plan.creates == 1
    report = apply_all(cfg, sqlite_db, adapter_factory=factory)
    assert report.channels[0].paused and report.ok and report.write_requests == 0
    ChannelStateRepository(sqlite_db).set_paused("shop", False)
    assert apply_all(cfg, sqlite_db, adapter_factory=factory).created == 1


def test_tripped_guard_stops_the_channel_until_allowed(tmp_path: Path, sqlite_db: Database) -> None:
    factory = FakeFactory()
    factory(loaded(tmp_path, []).settings.channel("shop"), None).seed(listing_state("A", "100"))
    cfg = loaded(tmp_path, [product("A", "300")])
    stopped = apply_all(cfg, sqlite_db, adapter_factory=factory)
    [result] = stopped.channels
    assert not stopped.ok and stopped.write_requests == 0 and "price_change" in result.guards[0]
    passed = apply_all(cfg, sqlite_db, adapter_factory=factory, options=ApplyOptions(allow=frozenset({"price_change"})))
    assert passed.ok and passed.updated == 1


def test_empty_channel_with_bindings_is_refused(tmp_path: Path, sqlite_db: Database) -> None:
    factory = FakeFactory()
    cfg = loaded(tmp_path, [product("A")])
    apply_all(cfg, sqlite_db, adapter_factory=factory)
    factory.adapters["shop"].listings.clear()  # a wrong URL or a wiped store: everything "missing"
    report = apply_all(cfg, sqlite_db, adapter_factory=factory)
    assert report.write_requests == 0 and "empty_remote" in report.channels[0].guards[0]


def test_saved_plan_applies_only_while_its_basis_holds(tmp_path: Path, sqlite_db: Database) -> None:
    factory = FakeFactory()
    cfg = loaded(tmp_path, [product("A"), product("B")])
    path = tmp_path / "plan.json"
    write_plan_file(path, plan_all(cfg, sqlite_db, adapter_factory=factory))
    expected = read_plan_file(path)
    changed = loaded(tmp_path, [product("A", "1300"), product("B")])
    with pytest.raises(PlanError, match="changed since the plan was made"):
        apply_all(changed, sqlite_db, adapter_factory=factory, options=ApplyOptions(expected=expected))
    assert factory.adapters["shop"].write_requests == 0
    report = apply_all(cfg, sqlite_db, adapter_factory=factory, options=ApplyOptions(expected=expected))
    assert report.ok and report.created == 2


@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        (lambda text: text.replace('"1299.00"', '"1.00"', 1), "edited after it was made"),
        (lambda text: "{", "not a readable plan file"),
        (lambda text: '{"format": "other"}', "not a oneprice plan file"),
    ],
)
def test_plan_file_that_was_tampered_with_is_refused(
    tmp_path: Path, sqlite_db: Database, mangle: object, message: str
) -> None:
    path = tmp_path / "plan.json"
    write_plan_file(path, plan_all(loaded(tmp_path, [product("A")]), sqlite_db, adapter_factory=FakeFactory()))
    path.write_text(mangle(path.read_text()))  # type: ignore[operator]
    with pytest.raises(PlanError, match=message):
        read_plan_file(path)


def test_dead_letters_are_retried_by_sync_retry(tmp_path: Path, sqlite_db: Database) -> None:
    factory = FakeFactory()
    cfg = loaded(tmp_path, [product("A"), product("B")])
    shop = factory(cfg.settings.channel("shop"), None)
    shop.refusals["B"] = [("busy (HTTP 503)", True)] * 2
    first = apply_all(cfg, sqlite_db, adapter_factory=factory, options=ApplyOptions(policy=NO_WAIT))
    assert first.failed == 1 and first.channels[0].dead_lettered == 1
    assert [d.sku for d in DeadLetterRepository(sqlite_db).list()] == ["B"]
    pushes = len(shop.pushes)
    again = retry_all(cfg, sqlite_db, adapter_factory=factory, options=ApplyOptions(policy=NO_WAIT))
    assert again.ok and again.created == 1
    assert [[c.sku for c in p] for p in shop.pushes[pushes:]] == [["B"]]
    assert DeadLetterRepository(sqlite_db).list() == []
    assert retry_all(cfg, sqlite_db, adapter_factory=factory).channels == ()


def test_the_governor_is_handed_to_the_adapter(tmp_path: Path, sqlite_db: Database) -> None:
    factory = FakeFactory()
    cfg = loaded(tmp_path, [product("A")], {"name": "shop", "rate": {"requests_per_second": 5, "burst": 2}})
    apply_all(cfg, sqlite_db, adapter_factory=factory)
    governor = factory.adapters["shop"].rate_feedback
    assert isinstance(governor, RateGovernor) and (governor.rate, governor.capacity) == (5, 2)


def test_check_reports_drift_and_keeps_an_alert_until_reconciled(tmp_path: Path, sqlite_db: Database) -> None:
    factory = FakeFactory()
    cfg = loaded(tmp_path, [product("A", "100"), product("B", "50")], {"name": "shop", "platform": "tmall"})
    apply_all(cfg, sqlite_db, adapter_factory=factory)
    shop = factory.adapters["shop"]
    a = next(r for r in shop.listings.values() if r.state.sku == "A")
    shop.listings[a.remote_id] = a.model_copy(update={"state": listing_state("A", "80")})  # edited on the channel

    now = datetime(2026, 11, 27, 12, tzinfo=UTC)
    [report] = check_all(cfg, sqlite_db, adapter_factory=factory, now=now)
    [drift] = report.drifts
    assert (drift.sku, drift.fields, drift.edited_on_channel, report.checked) == ("A", ("price",), True, 2)
    key = (RULE, "A", "shop", "tmall")
    assert {k for k in AlertRepository(sqlite_db).active_keys() if k[0] == RULE} == {key}

    [plan] = plan_all(cfg, sqlite_db, adapter_factory=factory)
    action = next(x for x in plan.actions if x.sku == "A")
    assert action.kind == "reprice" and action.drift
    apply_all(cfg, sqlite_db, adapter_factory=factory)
    [report] = check_all(cfg, sqlite_db, adapter_factory=factory, now=now + timedelta(days=1))
    assert report.drifts == []
    assert key not in AlertRepository(sqlite_db).active_keys()
