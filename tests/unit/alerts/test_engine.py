"""The engine end to end on SQLite: grace, resolution, promotions, coverage gaps, outbox messages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from alert_fakes import Feed, make_config

from alerts.engine import evaluate
from oneprice.domain.alert import AlertStatus
from oneprice.domain.observation import ObservationStatus
from oneprice.storage import AlertRepository, Database, OutboxRepository

T0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def undercuts(db: Database) -> list[tuple[str, AlertStatus]]:
    return [
        (a.seller_key, a.status) for a in AlertRepository(db).list(status=list(AlertStatus)) if a.rule == "undercut"
    ]


def test_dip_once_stay_low_come_back_then_promotion(tmp_path: Path, sqlite_db: Database, feed: Feed) -> None:
    config = make_config(
        tmp_path,
        {
            "episodes": {"grace_observations": 2},
            "routes": [{"name": "log", "url": "log://"}],
            "promotions": [
                {
                    "name": "双11",
                    "start": "2026-11-10T20:00:00+08:00",
                    "end": "2026-11-12T00:00:00+08:00",
                    "platforms": ["tmall"],
                    "floor_percent": "20",
                }
            ],
        },
    )
    at = T0
    # One odd reading, then back in line: no alert, nothing left behind.
    feed("t-star", "800", at)
    assert not evaluate(config, sqlite_db, now=at).changes.opened
    at += HOUR
    feed("t-star", "1000", at)
    evaluate(config, sqlite_db, now=at)
    assert undercuts(sqlite_db) == []

    # Low twice: one alert; evaluating again without a new crawl changes nothing.
    for _ in range(2):
        at += HOUR
        feed("t-star", "800", at)
        result = evaluate(config, sqlite_db, now=at)
    assert [a.rule for a in result.changes.opened] == ["undercut"]
    assert not evaluate(config, sqlite_db, now=at + timedelta(minutes=1)).changes.opened
    assert undercuts(sqlite_db) == [("star", AlertStatus.OPEN)]

    # Back in line: resolved, and the log route got both events through the outbox.
    at += HOUR
    feed("t-star", "990", at)
    assert len(evaluate(config, sqlite_db, now=at).changes.resolved) == 1
    assert undercuts(sqlite_db) == [("star", AlertStatus.RESOLVED)]
    assert [i.subject.split(" ")[0] for i in OutboxRepository(sqlite_db).list()] == ["已恢复", "[严重]"]

    # 双11 on tmall: 850 is above the promotion's 800 floor, twice: no alert. 790 is below it.
    at = datetime(2026, 11, 11, 10, 0, tzinfo=UTC)
    for price in ("850", "850", "790", "790"):
        feed("t-star", price, at)
        evaluate(config, sqlite_db, now=at)
        if price == "850":
            assert undercuts(sqlite_db) == [("star", AlertStatus.RESOLVED)]
        at += HOUR
    [_, second] = AlertRepository(sqlite_db).list(rule="undercut", status=list(AlertStatus))
    assert second.status is AlertStatus.OPEN and second.observed_price and second.observed_price.amount == 790
    assert "双11" in second.message


def test_grace_in_minutes_and_quiet_period_before_resolving(tmp_path: Path, sqlite_db: Database, feed: Feed) -> None:
    config = make_config(tmp_path, {"episodes": {"grace_minutes": 90, "resolve_after_minutes": 120}})
    for i, price in enumerate(["800", "800", "800"]):
        feed("t-star", price, T0 + i * HOUR)
        evaluate(config, sqlite_db, now=T0 + i * HOUR)
        assert undercuts(sqlite_db) == [("star", AlertStatus.OPEN if i == 2 else AlertStatus.PENDING)]
    feed("t-star", "1000", T0 + 3 * HOUR)
    evaluate(config, sqlite_db, now=T0 + 3 * HOUR)
    assert undercuts(sqlite_db) == [("star", AlertStatus.OPEN)]
    evaluate(config, sqlite_db, now=T0 + 5 * HOUR)
    assert undercuts(sqlite_db) == [("star", AlertStatus.RESOLVED)]


def test_a_price_in_another_currency_neither_ends_nor_counts_toward_an_episode(
    tmp_path: Path, sqlite_db: Database, feed: Feed
) -> None:
    config = make_config(
        tmp_path, {"episodes": {"grace_observations": 2}, "routes": [{"name": "log", "url": "log://"}]}
    )
    at = T0
    for price, currency, expected in [
        ("800", "CNY", AlertStatus.PENDING),
        ("1000", "USD", AlertStatus.PENDING),  # not compared: the pending episode is not forgotten
        ("800", "CNY", AlertStatus.OPEN),
        ("1000", "USD", AlertStatus.OPEN),  # nor is the open one resolved
        ("1000", "CNY", AlertStatus.RESOLVED),
    ]:
        feed("t-star", price, at, currency=currency)
        evaluate(config, sqlite_db, now=at)
        assert undercuts(sqlite_db) == [("star", expected)], (price, currency)
        at += HOUR
    [alert] = AlertRepository(sqlite_db).list(status=AlertStatus.RESOLVED)
    assert alert.observations == 2 and alert.resolved_at == T0 + 4 * HOUR
    assert [i.subject.split(" ")[0] for i in OutboxRepository(sqlite_db).list()] == ["已恢复", "[严重]"]


def test_overrides_switch_a_rule_off_for_one_seller(tmp_path: Path, sqlite_db: Database, feed: Feed) -> None:
    config = make_config(tmp_path, {"overrides": [{"rule": "unauthorized_seller", "seller": "grey", "enabled": False}]})
    feed("t-grey", "1000", T0, seller="灰市", reseller="grey")
    feed("t-star", "1000", T0, seller="路人", reseller=None)
    evaluate(config, sqlite_db, now=T0)
    found = {(a.rule, a.seller_key) for a in AlertRepository(sqlite_db).list()}
    assert found == {("unauthorized_seller", "name:路人")}


def test_coverage_gap_opens_after_a_day_dark_and_resolves_when_readable(
    tmp_path: Path, sqlite_db: Database, feed: Feed
) -> None:
    config = make_config(tmp_path, {"coverage_gap": {"after_minutes": 1440}})
    feed("t-star", "1000", T0)
    blocked = ObservationStatus.BLOCKED
    feed("t-star", None, T0 + HOUR, status=blocked)
    assert not evaluate(config, sqlite_db, now=T0 + 2 * HOUR).changes.opened
    feed("t-star", None, T0 + 25 * HOUR, status=blocked)
    [gap] = evaluate(config, sqlite_db, now=T0 + 25 * HOUR).changes.opened
    assert (gap.rule, gap.seller_key, gap.platform) == ("coverage_gap", "target:t-star", "tmall")
    assert "25 h" in gap.message
    feed("t-star", "1000", T0 + 26 * HOUR)
    [done] = evaluate(config, sqlite_db, now=T0 + 26 * HOUR).changes.resolved
    assert done.id == gap.id


def test_drift_raised_before_the_undercut(tmp_path: Path, sqlite_db: Database, feed: Feed) -> None:
    config = make_config(tmp_path, {"drift": {"cuts_in_a_row": 3, "average_below_percent": "50"}})
    for i, price in enumerate(["1000", "990", "975", "960"]):
        feed("t-star", price, T0 + i * HOUR)
        changes = evaluate(config, sqlite_db, now=T0 + i * HOUR).changes
        assert [a.rule for a in changes.opened] == (["drift"] if i == 2 else [])
    feed("t-star", "900", T0 + 5 * HOUR)  # now an undercut: the drift episode ends, the undercut starts
    changes = evaluate(config, sqlite_db, now=T0 + 5 * HOUR).changes
    assert [a.rule for a in changes.opened] == ["undercut"] and [a.rule for a in changes.resolved] == ["drift"]
