"""What a daemon running for months meets: a locked database, retries, restarts, growing history."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import schedule
import yaml
from daemon_fakes import ROOT, T0, Clock, locked, make

from oneprice.daemon import Daemon
from oneprice.jobs import Job, JobContext, _child_summary, build_jobs
from oneprice.settings import load_config
from oneprice.settings.daemon import JobSchedule
from oneprice.storage import Database
from oneprice.storage.daemon import JobRepository
from oneprice.storage.retention import purge_history


def test_a_locked_database_skips_the_run_instead_of_stopping_the_daemon(
    config: Any, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran: list[str] = []
    job = Job("crawl", JobSchedule(every=60), lambda ctx: ran.append("crawl") or {})
    daemon = make(config, sqlite_db, [job], Clock())
    with monkeypatch.context() as m:
        m.setattr(daemon.runs, "start", locked)
        assert daemon.run_job(job) == "skipped"
    assert ran == []
    assert daemon.run_job(job) == "ok"  # the lock is gone: the next turn runs it
    assert ran == ["crawl"]
    assert [r.outcome for r in JobRepository(sqlite_db).runs()] == ["ok"]


def test_an_outcome_the_database_refused_is_recorded_on_a_later_tick(
    config: Any, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = Job("crawl", JobSchedule(every=60), lambda ctx: {"pages": 24})
    clock = Clock()
    daemon = make(config, sqlite_db, [job], clock)
    with monkeypatch.context() as m:
        m.setattr(daemon.runs, "finish", locked)
        assert daemon.run_job(job) == "ok"
        assert [r.outcome for r in JobRepository(sqlite_db).runs()] == ["running"]
        assert daemon._tick() is False  # still locked: logged, the loop goes on
    clock.now = T0 + timedelta(seconds=40)
    assert daemon._tick() is True
    [run] = JobRepository(sqlite_db).runs()
    assert run.outcome == "ok" and run.counts == {"pages": 24}
    assert run.finished_at == T0  # when it ended, not when the database let us write it
    assert JobRepository(sqlite_db).states()["crawl"].last_success_at == T0


def test_the_loop_survives_a_locked_database(config: Any, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    daemon = make(config, sqlite_db, [Job("deliver", JobSchedule(every=60), lambda ctx: {})], Clock())
    daemon._install_schedule()
    monkeypatch.setattr(daemon.runs, "set_next_run", locked)
    assert daemon._tick() is False


def test_the_next_run_is_written_when_it_changes_not_every_tick(
    config: Any, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    jobs = [Job(name, JobSchedule(every=600), lambda ctx: {}) for name in ("crawl", "deliver", "retention")]
    daemon = make(config, sqlite_db, jobs, Clock())
    daemon._install_schedule()
    writes: list[str] = []
    real = daemon.runs.set_next_run

    def counting(job: str, when: datetime | None) -> None:
        writes.append(job)
        real(job, when)

    monkeypatch.setattr(daemon.runs, "set_next_run", counting)
    for _ in range(50):
        daemon._record_next_runs()
    assert sorted(writes) == ["crawl", "deliver", "retention"]
    [crawl] = daemon.scheduler.get_jobs("crawl")
    assert crawl.next_run is not None
    crawl.next_run += timedelta(seconds=600)  # the job ran: its next run moved
    daemon._record_next_runs()
    assert sorted(writes) == ["crawl", "crawl", "deliver", "retention"]
    assert JobRepository(sqlite_db).states()["crawl"].next_run_at is not None


def _retries(daemon: Daemon, name: str) -> list[schedule.Job]:
    return daemon.scheduler.get_jobs(f"{name}:retry")


def test_a_retry_that_wakes_before_the_backoff_ends_is_kept(config: Any, sqlite_db: Database) -> None:
    calls: list[datetime] = []
    clock = Clock()

    def flaky(ctx: JobContext) -> dict[str, int]:
        calls.append(clock())
        if len(calls) == 1:
            raise RuntimeError("channel down")
        return {}

    job = Job("sync_apply:official", JobSchedule(every=6 * 3600), flaky)
    daemon = make(config, sqlite_db, [job], clock)
    assert daemon.run_job(job) == "failed"
    until = JobRepository(sqlite_db).states()[job.name].backoff_until
    assert until is not None
    [retry] = _retries(daemon, job.name)
    assert retry.interval >= (until - T0).total_seconds()  # not rounded down below the backoff
    # the scheduler wakes the retry a moment before the backoff ends (poll granularity)
    clock.now = until - timedelta(milliseconds=300)
    assert retry.job_func() is schedule.CancelJob
    daemon.scheduler.cancel_job(retry)
    assert len(calls) == 1
    [again] = _retries(daemon, job.name)  # still a retry pending, not lost until the 6h schedule
    clock.now = until + timedelta(seconds=1)
    again.job_func()
    daemon.scheduler.cancel_job(again)
    assert len(calls) == 2
    assert JobRepository(sqlite_db).states()[job.name].last_outcome == "ok"
    assert _retries(daemon, job.name) == []


def test_one_pending_retry_per_job(config: Any, sqlite_db: Database) -> None:
    clock = Clock()

    def boom(ctx: JobContext) -> dict[str, int]:
        raise RuntimeError("down")

    job = Job("crawl", JobSchedule(every=60), boom)
    daemon = make(config, sqlite_db, [job], clock)
    for i in range(4):
        clock.now = T0 + timedelta(hours=i)
        assert daemon.run_job(job) == "failed"
    assert len(_retries(daemon, "crawl")) == 1


def test_a_restarted_daemon_retries_a_job_left_backing_off(config: Any, sqlite_db: Database) -> None:
    clock = Clock()

    def boom(ctx: JobContext) -> dict[str, int]:
        raise RuntimeError("down")

    job = Job("sync_apply:official", JobSchedule(every=6 * 3600), boom)
    first = make(config, sqlite_db, [job], clock, holder="host:1")
    assert first.run_job(job) == "failed"
    clock.now = T0 + timedelta(seconds=20)
    heir = make(config, sqlite_db, [job], clock, holder="host:2")
    heir._install_schedule()
    heir._resume_backoffs()
    [retry] = _retries(heir, job.name)
    until = JobRepository(sqlite_db).states()[job.name].backoff_until
    assert until is not None
    assert retry.interval >= (until - clock.now).total_seconds()
    assert retry.interval < 6 * 3600


def test_the_daemon_checks_every_enabled_channel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONEPRICE_DATABASE_URL", f"sqlite:///{tmp_path / 'd.db'}")
    config = load_config(ROOT / "config" / "demo.yaml")
    names = [j.name for j in build_jobs(config)]
    channels = [c.name for c in config.settings.channels if c.enabled]
    assert [n for n in names if n.startswith("sync_check:")] == [f"sync_check:{c}" for c in channels]
    assert names.index(f"sync_check:{channels[0]}") > names.index(f"sync_apply:{channels[-1]}")
    [check] = [j for j in build_jobs(config) if j.name == "sync_check:official"]
    assert check.schedule.every == config.settings.daemon.sync_check.every

    doc = yaml.safe_load((ROOT / "config" / "demo.yaml").read_text(encoding="utf-8"))
    doc["catalog"]["file"] = str(ROOT / "config" / doc["catalog"]["file"])
    doc["alerts"]["notices"]["templates"] = str(ROOT / "config" / doc["alerts"]["notices"]["templates"])
    doc["daemon"]["sync_check"] = {"enabled": False}
    off = tmp_path / "off.yaml"
    off.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    assert not [j.name for j in build_jobs(load_config(off)) if j.name.startswith("sync_check:")]


def test_retention_drops_old_job_runs_but_not_a_running_one(sqlite_db: Database) -> None:
    runs = JobRepository(sqlite_db)
    old = runs.start("deliver", "host:1", T0 - timedelta(days=200))
    runs.finish(old, "ok", T0 - timedelta(days=200))
    stuck = runs.start("crawl", "host:1", T0 - timedelta(days=200))
    recent = runs.start("deliver", "host:1", T0 - timedelta(days=1))
    runs.finish(recent, "ok", T0 - timedelta(days=1))
    assert purge_history(sqlite_db, before=T0 - timedelta(days=180))["job_runs_deleted"] == 1
    assert sorted(r.id for r in runs.runs()) == sorted([stuck, recent])
    assert runs.states()["deliver"].last_success_at == T0 - timedelta(days=1)


def test_a_child_printing_more_than_a_pipe_holds_does_not_hang_the_daemon(tmp_path: Path, sqlite_db: Database) -> None:
    code = 'import sys; sys.stdout.write("x" * 1_000_000 + "\\n"); print(\'{"pages": 7}\')'
    ctx = JobContext(config=None, config_path=tmp_path, db=sqlite_db)  # type: ignore[arg-type]
    result: list[dict[str, Any]] = []
    worker = threading.Thread(
        target=lambda: result.append(_child_summary(ctx, "crawl", [sys.executable, "-c", code])), daemon=True
    )
    worker.start()
    worker.join(120)
    if worker.is_alive():  # before: the child blocked writing to a full pipe nobody read
        ctx.stop.set()
        worker.join(30)
        pytest.fail("the child process never finished")
    assert result == [{"pages": 7}]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def _wait_gone(pid: int, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.1)
    return False


def _pid_from(path: Path, timeout: float = 60) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().strip():
            return int(path.read_text())
        time.sleep(0.1)
    raise AssertionError(f"no pid in {path}")


linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; parent-death signal")


@linux_only
def test_what_the_crawler_started_does_not_outlive_it(tmp_path: Path, sqlite_db: Database) -> None:
    """A crawler that ends (or is killed) leaving a worker behind: the worker goes with it."""
    pidfile = tmp_path / "worker.pid"
    code = (
        "import json, subprocess, sys, time;"
        "w = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)']);"
        f"open({str(pidfile)!r}, 'w').write(str(w.pid));"
        "print(json.dumps({'pages': 1}))"
    )
    ctx = JobContext(config=None, config_path=tmp_path, db=sqlite_db)  # type: ignore[arg-type]
    try:
        assert _child_summary(ctx, "crawl", [sys.executable, "-c", code]) == {"pages": 1}
        worker = _pid_from(pidfile)
        assert _wait_gone(worker), "the crawler's worker outlived it"
    finally:
        if pidfile.exists() and _alive(int(pidfile.read_text())):
            os.kill(int(pidfile.read_text()), signal.SIGKILL)


DAEMON = """
import sys
from pathlib import Path
from oneprice.jobs import JobContext, _child_summary
code = "import os, time; open(%r, 'w').write(str(os.getpid())); time.sleep(600)"
ctx = JobContext(config=None, config_path=Path("."), db=None)
_child_summary(ctx, "crawl", [sys.executable, "-c", code % sys.argv[1]])
"""


@linux_only
def test_a_crawler_does_not_outlive_a_daemon_killed_outright(tmp_path: Path) -> None:
    pidfile = tmp_path / "crawler.pid"
    daemon = subprocess.Popen([sys.executable, "-c", DAEMON, str(pidfile)], cwd=ROOT)
    crawler = None
    try:
        crawler = _pid_from(pidfile)
        daemon.kill()  # SIGKILL: no handler, no finally
        daemon.wait(timeout=30)
        assert _wait_gone(crawler), "the crawler kept running after its daemon was killed"
    finally:
        if daemon.poll() is None:
            daemon.kill()
        if crawler is not None and _alive(crawler):
            os.kill(crawler, signal.SIGKILL)


def test_the_health_server_starts_once_the_lease_is_held(config: Any, sqlite_db: Database) -> None:
    from oneprice.daemon import LEASE, LeaseHeld
    from oneprice.storage.daemon import LeaseRepository

    clock = Clock()
    first = make(config, sqlite_db, [], clock, holder="host:1")
    first.acquire()
    started: list[str] = []
    second = make(config, sqlite_db, [], clock, holder="host:2")
    with pytest.raises(LeaseHeld):
        second.run(once=True, install_signals=False, started=lambda: started.append("health"))
    assert started == []  # a second daemon never binds the first one's port

    first.leases.release(LEASE, "host:1")

    def port_taken() -> None:
        raise OSError(98, "Address already in use")

    with pytest.raises(OSError):
        second.run(once=True, install_signals=False, started=port_taken)
    assert LeaseRepository(sqlite_db).get(LEASE) is None  # released on the way out


def test_a_restarted_container_abandons_the_runs_of_its_former_self(config: Any, sqlite_db: Database) -> None:
    """Same host name, same pid (a container's daemon is often pid 1): the same holder name."""
    clock = Clock()
    before = make(config, sqlite_db, [], clock, holder="c0ffee:1")
    before.acquire()
    JobRepository(sqlite_db).start("crawl", "c0ffee:1", clock())  # killed mid-crawl with the container
    clock.now = T0 + timedelta(seconds=5)  # restarted within the lease: the lease is still "ours"
    after = make(config, sqlite_db, [], clock, holder="c0ffee:1")
    after.acquire()
    [run] = JobRepository(sqlite_db).runs()
    assert run.outcome == "abandoned" and run.finished_at == clock.now
