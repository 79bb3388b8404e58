"""The daemon's job runner: schedules, failures isolated and backed off, alerts while failing."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from daemon_fakes import T0, Clock, make

from oneprice.daemon import FAILING_RULE, LeaseHeld
from oneprice.domain.alert import AlertStatus
from oneprice.jobs import Job, JobAbandoned, JobContext
from oneprice.settings.daemon import DaemonSettings, JobSchedule, parse_duration
from oneprice.storage import AlertRepository, Database
from oneprice.storage.daemon import JobRepository

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("text", "seconds"), [("30s", 30), ("15m", 900), ("6h", 21600), ("1d", 86400), (45, 45), ("250ms", 0.25)]
)
def test_durations(text: object, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("bad", ["soon", "-5m", 0, True])
def test_bad_durations(bad: object) -> None:
    with pytest.raises(ValueError):
        parse_duration(bad)


def test_heartbeat_must_fit_in_the_lease() -> None:
    with pytest.raises(ValueError, match="heartbeat"):
        DaemonSettings(lease_seconds=10, heartbeat_seconds=8)


DUE = [
    # schedule, last started (minutes before T0, None = never), due?
    (JobSchedule(every=600), None, True),
    (JobSchedule(every=600), 5, False),
    (JobSchedule(every=600), 10, True),
    (JobSchedule(at=("11:30",)), 20, False),  # started 11:40 local, after today's 11:30 slot
    (JobSchedule(at=("11:30",)), 40, True),  # started 11:20 local, the 11:30 slot passed since
    (JobSchedule(at=("13:00",)), 60 * 20, False),  # yesterday 16:00 local: after yesterday's 13:00 slot
    (JobSchedule(at=("13:00",)), 60 * 24, True),  # yesterday 12:00 local: yesterday's 13:00 slot passed since
    (JobSchedule(at=("13:00",)), 60, False),  # 11:00 local today; last slot was yesterday 13:00
    (JobSchedule(every=60, enabled=False), None, False),
]


@pytest.mark.parametrize(("schedule", "minutes_ago", "due"), DUE)
def test_job_due(schedule: JobSchedule, minutes_ago: int | None, due: bool) -> None:
    job = Job("j", schedule, lambda ctx: {})
    last = None if minutes_ago is None else T0 - timedelta(minutes=minutes_ago)
    assert job.due(last, T0, SHANGHAI) is due


def test_a_failing_job_does_not_stop_the_others_and_backs_off(config, sqlite_db: Database) -> None:  # type: ignore[no-untyped-def]
    ran: list[str] = []

    def boom(ctx: JobContext) -> dict[str, int]:
        ran.append("boom")
        raise RuntimeError("channel down")

    def fine(ctx: JobContext) -> dict[str, int]:
        ran.append("fine")
        return {"pages": 3}

    clock = Clock()
    jobs = [Job("boom", JobSchedule(every=60), boom), Job("fine", JobSchedule(every=60), fine)]
    daemon = make(config, sqlite_db, jobs, clock)
    assert daemon.run(once=True, install_signals=False) == 0
    assert ran == ["boom", "fine"]
    states = JobRepository(sqlite_db).states()
    assert states["boom"].consecutive_failures == 1 and states["boom"].last_error == "RuntimeError: channel down"
    assert states["boom"].backoff_until is not None and states["boom"].backoff_until > T0
    assert states["fine"].last_outcome == "ok"
    # inside the backoff window the failing job is skipped, the other still runs
    daemon.stop.clear()
    clock.now = T0 + timedelta(seconds=30)
    assert daemon.run_job(jobs[0]) == "skipped"
    assert daemon.run_job(jobs[1]) == "ok"
    runs = JobRepository(sqlite_db).runs()
    assert [(r.job, r.outcome) for r in reversed(runs)] == [("boom", "failed"), ("fine", "ok"), ("fine", "ok")]
    assert runs[-1].counts == {}


def test_one_alert_while_a_job_keeps_failing_resolved_on_success(config, sqlite_db: Database) -> None:  # type: ignore[no-untyped-def]
    outcome = {"fail": True}

    def flaky(ctx: JobContext) -> dict[str, int]:
        if outcome["fail"]:
            raise RuntimeError("401 from channel")
        return {}

    clock = Clock()
    job = Job("sync_apply:official", JobSchedule(every=60), flaky)
    daemon = make(config, sqlite_db, [job], clock)
    for i in range(5):
        clock.now = T0 + timedelta(hours=i)  # past every backoff
        assert daemon.run_job(job) == "failed"
    alerts = AlertRepository(sqlite_db).list(rule=FAILING_RULE)
    assert len(alerts) == 1 and alerts[0].status is AlertStatus.OPEN
    assert "failed 5 times in a row" in alerts[0].message
    outcome["fail"] = False
    clock.now = T0 + timedelta(hours=6)
    assert daemon.run_job(job) == "ok"
    assert [a.status for a in AlertRepository(sqlite_db).list(rule=FAILING_RULE)] == [AlertStatus.RESOLVED]


def test_abandoned_unit_is_recorded(config, sqlite_db: Database) -> None:  # type: ignore[no-untyped-def]
    def interrupted(ctx: JobContext) -> dict[str, int]:
        raise JobAbandoned("stopping")

    daemon = make(config, sqlite_db, [Job("crawl", JobSchedule(every=60), interrupted)], Clock())
    daemon.run(once=True, install_signals=False)
    [run] = JobRepository(sqlite_db).runs()
    assert run.outcome == "abandoned" and run.finished_at is not None


def test_second_instance_is_refused_and_takes_over_after_expiry(config, sqlite_db: Database) -> None:  # type: ignore[no-untyped-def]
    clock = Clock()
    first = make(config, sqlite_db, [], clock, holder="host-a:1")
    first.acquire()
    JobRepository(sqlite_db).start("crawl", "host-a:1", clock())  # a run the first daemon never finishes
    second = make(config, sqlite_db, [], clock, holder="host-b:2")
    with pytest.raises(LeaseHeld, match="host-a:1"):
        second.acquire()
    clock.now = T0 + timedelta(seconds=config.settings.daemon.lease_seconds + 1)  # host-a died
    second.acquire()
    [run] = JobRepository(sqlite_db).runs()
    assert run.outcome == "abandoned"


def test_json_log_lines(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import json
    import logging

    from oneprice.app import setup_logging

    monkeypatch.setenv("ONEPRICE_LOG_FORMAT", "json")
    setup_logging("INFO")
    logging.getLogger("oneprice.test").warning("seller %r\nforged line", "<b>x</b>")
    line = capsys.readouterr().err.strip()
    doc = json.loads(line)
    assert doc["level"] == "WARNING" and doc["message"] == "seller '<b>x</b>'\nforged line"
    assert "\n" not in line  # the newline is escaped inside one JSON line
    setup_logging("INFO")


def test_daily_times_are_scheduled_in_the_daemons_time_zone(config, sqlite_db: Database) -> None:  # type: ignore[no-untyped-def]
    """A job at "03:30" (the retention default) is put on the schedule in `daemon.timezone`."""
    jobs = [
        Job("nightly", JobSchedule(at=("03:30",)), lambda ctx: {}),
        Job("often", JobSchedule(every=60), lambda ctx: {}),
    ]
    daemon = make(config, sqlite_db, jobs, Clock())
    daemon._install_schedule()
    by_tag = {next(iter(j.tags)): j for j in daemon.scheduler.get_jobs()}
    assert set(by_tag) == {"nightly", "often"}
    nightly = by_tag["nightly"]
    assert nightly.next_run is not None and nightly.at_time is not None
    assert (nightly.at_time.hour, nightly.at_time.minute) == (3, 30)
    assert str(nightly.at_time_zone) == config.settings.daemon.timezone
