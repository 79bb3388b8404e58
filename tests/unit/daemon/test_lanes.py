"""Lanes: a long crawl holds back neither the outbox nor a channel's sync; jobs of one lane take turns."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from daemon_fakes import ROOT

from alerts.engine import record
from oneprice.daemon import Daemon, Lane
from oneprice.domain.alert import Severity, Violation
from oneprice.domain.money import Money
from oneprice.jobs import OBSERVATIONS_LANE, Job, JobContext, build_jobs, channel_lane
from oneprice.settings import load_config
from oneprice.settings.daemon import JobSchedule
from oneprice.storage import AlertRepository, Database
from oneprice.storage.daemon import JobRepository


def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.02)


class Recorder:
    """Jobs that log when they start and end; `hold` ones wait for their release (or the stop flag)."""

    def __init__(self) -> None:
        self.log: list[str] = []
        self.lock = threading.Lock()
        self.release = threading.Event()

    def note(self, what: str) -> None:
        with self.lock:
            self.log.append(what)

    def count(self, what: str) -> int:
        with self.lock:
            return self.log.count(what)

    def job(self, name: str, every: float, lane: str = "", hold: bool = False) -> Job:
        def run(ctx: JobContext) -> dict[str, int]:
            self.note(f"{name} start")
            if hold:
                while not self.release.wait(0.02):
                    if ctx.stop.is_set():
                        self.note(f"{name} stopped")
                        return {}
            self.note(f"{name} end")
            return {}

        return Job(name, JobSchedule(every=every), run, lane=lane)


def start(config: Any, db: Database, jobs: list[Job], **settings: Any) -> tuple[Daemon, threading.Thread, list[int]]:
    daemon = Daemon(config, db, ROOT / "config" / "demo.yaml", jobs=jobs, holder="test:lanes")
    daemon.settings = daemon.settings.model_copy(update={"poll_seconds": 0.05, **settings})
    code: list[int] = []
    thread = threading.Thread(target=lambda: code.append(daemon.run(install_signals=False)), daemon=True)
    thread.start()
    return daemon, thread, code


def test_a_long_crawl_does_not_hold_back_delivery(config: Any, sqlite_db: Database) -> None:
    jobs = Recorder()
    crawl = jobs.job("crawl", 3600, OBSERVATIONS_LANE, hold=True)
    deliver = jobs.job("deliver", 1)
    daemon, thread, code = start(config, sqlite_db, [crawl, deliver])
    wait_for(lambda: jobs.count("deliver end") >= 3)
    assert jobs.count("crawl start") == 1 and jobs.count("crawl end") == 0  # delivered while crawling
    jobs.release.set()
    wait_for(lambda: jobs.count("crawl end") == 1)
    daemon.stop.set()
    thread.join(10)
    assert code == [0]
    outcomes = [(r.job, r.outcome) for r in JobRepository(sqlite_db).runs()]
    assert ("crawl", "ok") in outcomes and ("deliver", "ok") in outcomes
    assert "running" not in {outcome for _, outcome in outcomes}


def test_jobs_of_one_lane_take_turns_in_the_order_they_came_due(config: Any, sqlite_db: Database) -> None:
    jobs = Recorder()
    crawl = jobs.job("crawl", 3600, OBSERVATIONS_LANE, hold=True)
    retention = jobs.job("retention", 3600, OBSERVATIONS_LANE)
    daemon, thread, _ = start(config, sqlite_db, [crawl, retention])
    wait_for(lambda: jobs.count("crawl start") == 1)
    time.sleep(0.3)
    assert jobs.count("retention start") == 0  # waits for the crawl: both write the observations
    jobs.release.set()
    wait_for(lambda: jobs.count("retention end") == 1)
    assert jobs.log == ["crawl start", "crawl end", "retention start", "retention end"]
    daemon.stop.set()
    thread.join(10)


def test_stopping_waits_for_every_lane_and_records_each_unit(config: Any, sqlite_db: Database) -> None:
    jobs = Recorder()
    crawl = jobs.job("crawl", 3600, OBSERVATIONS_LANE, hold=True)
    apply = jobs.job("sync_apply:official", 3600, channel_lane("official"), hold=True)
    daemon, thread, code = start(config, sqlite_db, [crawl, apply])
    wait_for(lambda: jobs.count("crawl start") == 1 and jobs.count("sync_apply:official start") == 1)
    assert daemon.busy() == "crawl, sync_apply:official"
    daemon.stop.set()
    thread.join(10)
    assert not thread.is_alive() and code == [0]
    assert sorted(jobs.log[2:]) == ["crawl stopped", "sync_apply:official stopped"]
    assert daemon.busy() == ""
    assert {r.outcome for r in JobRepository(sqlite_db).runs()} == {"ok"}
    assert all(not lane.thread.is_alive() for lane in daemon.lanes.values())


def test_channels_beyond_channels_at_once_wait_for_a_free_turn(config: Any, sqlite_db: Database) -> None:
    jobs = Recorder()
    names = ["sync_apply:official", "sync_apply:tmall-flagship"]
    channels = [jobs.job(n, 3600, channel_lane(n.split(":")[1]), hold=True) for n in names]
    deliver = jobs.job("deliver", 1)
    daemon, thread, _ = start(config, sqlite_db, [*channels, deliver], channels_at_once=1)
    started = lambda: sum(jobs.count(f"{n} start") for n in names)  # noqa: E731
    wait_for(lambda: started() == 1 and jobs.count("deliver end") >= 2)
    assert started() == 1  # one channel at a time (either may go first); delivery goes on
    jobs.release.set()
    wait_for(lambda: sum(jobs.count(f"{n} end") for n in names) == 2)
    order = [line for line in jobs.log if line.startswith("sync_apply")]
    assert [line.split()[1] for line in order] == ["start", "end", "start", "end"]  # never side by side
    daemon.stop.set()
    thread.join(10)


def test_a_lane_does_not_queue_a_job_twice() -> None:
    release = threading.Event()
    ran: list[str] = []

    def run(job: Job) -> None:
        ran.append(job.name)
        release.wait(5)

    lane = Lane("observations", run)
    crawl = Job("crawl", JobSchedule(every=60), lambda ctx: {})
    retention = Job("retention", JobSchedule(every=60), lambda ctx: {})
    lane.thread.start()
    assert lane.submit(crawl)
    wait_for(lambda: ran == ["crawl"])
    assert lane.submit(retention)
    assert not lane.submit(crawl)  # running: not queued behind itself
    assert not lane.submit(retention)  # already waiting
    release.set()
    wait_for(lambda: ran == ["crawl", "retention"])
    assert lane.submit(crawl)  # it ran: due again, queued again
    wait_for(lambda: ran == ["crawl", "retention", "crawl"])
    lane.close()
    lane.thread.join(5)
    assert not lane.thread.is_alive()
    assert not lane.submit(crawl)


def test_the_jobs_lanes(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONEPRICE_DATABASE_URL", f"sqlite:///{tmp_path / 'd.db'}")
    lanes = {j.name: j.lane_name for j in build_jobs(load_config(ROOT / "config" / "demo.yaml"))}
    assert lanes["crawl"] == lanes["retention"] == OBSERVATIONS_LANE
    assert lanes["sync_apply:official"] == lanes["sync_check:official"] == channel_lane("official")
    assert lanes["deliver"] == "deliver"
    assert len({lanes[n] for n in lanes if n.startswith("sync_apply:")}) == len(
        [n for n in lanes if n.startswith("sync_apply:")]
    )  # channels side by side


def _violation(seller: str, now: datetime) -> Violation:
    return Violation(
        rule="undercut",
        product_sku="FX-JACKET-M",
        seller_key=seller,
        seller_name=seller,
        reseller_id=None,
        platform="tmall",
        unified_price=Money.of("599.00", "CNY"),
        observed_price=Money.of("499.00", "CNY"),
        gap_percent=None,
        severity=Severity.WARNING,
        message=f"{seller} undercuts",
        url="https://shop.example/item",
        observation_id=None,
        observed_at=now,
    )


def test_lanes_recording_the_same_new_episode_at_once_open_it_once(config: Any, any_db: Database) -> None:
    """A crawl's evaluation and a channel's check may record at the same moment (more so on PostgreSQL,
    where nothing else orders their transactions): the one-active-episode index must never refuse one."""
    now = datetime(2026, 11, 27, 4, 0, tzinfo=UTC)
    errors: list[BaseException] = []
    for round_ in range(5):
        sellers = [f"seller-{round_}-{i}" for i in range(20)]
        gate = threading.Barrier(4)

        def work(sellers: list[str] = sellers, gate: threading.Barrier = gate) -> None:
            gate.wait()
            try:
                record(config, any_db, [_violation(s, now) for s in sellers], [], now)
            except BaseException as e:
                errors.append(e)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    assert errors == []
    active = AlertRepository(any_db).active_keys()
    assert len([k for k in active if k[0] == "undercut"]) == 100
