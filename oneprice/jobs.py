"""The daemon's jobs: what runs unattended, each a unit that either completes or is abandoned whole.

A job is a name, a schedule and a function of a JobContext returning counts for `oneprice runs`.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from oneprice.settings.daemon import JobSchedule
from oneprice.settings.loader import LoadedConfig
from oneprice.storage import Database

log = logging.getLogger(__name__)

Counts = dict[str, Any]


class JobAbandoned(Exception):
    """The daemon is stopping and the job gave its unit up cleanly (nothing half-written)."""


@dataclass
class JobContext:
    """What a job may use: the config (and its file, for child processes), the database, the stop flag."""

    config: LoadedConfig
    config_path: Path
    db: Database
    stop: threading.Event = field(default_factory=threading.Event)
    grace_seconds: float = 30.0


@dataclass(frozen=True)
class Job:
    """A unit of unattended work. Jobs of one `lane` run one at a time, in the order they came due;
    lanes run side by side, so an hour's crawl holds back neither delivery nor a channel's sync.
    A job with no lane of its own has its own (it never overlaps itself)."""

    name: str
    schedule: JobSchedule
    run: Callable[[JobContext], Counts]
    description: str = ""
    lane: str = ""

    @property
    def lane_name(self) -> str:
        return self.lane or self.name

    def due(self, last_started: datetime | None, now: datetime, tz: Any) -> bool:
        """Due when it never ran, its interval has passed, or a daily time passed since the last start."""
        if not self.schedule.enabled:
            return False
        if last_started is None:
            return True
        if self.schedule.every is not None and last_started + timedelta(seconds=self.schedule.every) <= now:
            return True
        local_now = now.astimezone(tz)
        for at in self.schedule.at:
            hh, mm = (int(x) for x in at.split(":"))
            slot = local_now.replace(hour=hh, minute=mm, second=0, microsecond=0)
            if slot > local_now:
                slot -= timedelta(days=1)
            if last_started < slot.astimezone(UTC):
                return True
        return False


def sync_apply_job(channel: str) -> Callable[[JobContext], Counts]:
    def run(ctx: JobContext) -> Counts:
        from sync.service import apply_all

        report = apply_all(ctx.config, ctx.db, channel=channel)
        result = report.channels[0]
        if result.error:
            raise RuntimeError(f"{channel}: {result.error}")
        return {
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "failed": report.failed,
            "write_requests": report.write_requests,
        }

    return run


def sync_check_job(channel: str) -> Callable[[JobContext], Counts]:
    def run(ctx: JobContext) -> Counts:
        from alerts.engine import recorder
        from sync.verifier import check_all

        [report] = check_all(ctx.config, ctx.db, channel=channel, record=recorder(ctx.config, ctx.db))
        if report.error:
            raise RuntimeError(f"{channel}: {report.error}")
        return {"drift": len(report.drifts)}

    return run


def _die_with_parent() -> Callable[[], None] | None:
    """On Linux, a preexec function asking the kernel to send the child SIGTERM when the daemon dies.

    Without it a crawler outlives a daemon killed outright (SIGKILL, OOM killer) and keeps crawling
    while the next daemon starts its own crawl. The libc function is looked up here, before the fork.
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    pr_set_pdeathsig = 1

    def preexec() -> None:
        prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0)

    return preexec


def _end_group(proc: subprocess.Popen[str]) -> None:
    """Kill the child if it still runs, and what is left of its process group once it is gone: a
    crawler that was killed (or died) leaves its extraction workers behind, waiting for it forever."""
    if proc.poll() is None:
        proc.kill()
        proc.wait()
    killpg = getattr(os, "killpg", None)  # POSIX
    if killpg is None:
        return
    try:
        killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass  # nothing left of the group


def _spider_child(ctx: JobContext, what: str, *args: str) -> Counts:
    """Run `python -m crawlers.runner CONFIG *args` in a child process (Twisted's reactor starts
    once per process) and return the JSON summary it prints last.

    On stop, the child gets SIGTERM (Scrapy finishes the pages in flight and closes its
    pipelines), then SIGKILL after the grace period; every item is stored in its own transaction.
    If the daemon itself dies, the kernel sends the child SIGTERM (Linux).
    """
    cmd = [sys.executable, "-m", "crawlers.runner", str(ctx.config_path), *args]
    return _child_summary(ctx, what, cmd)


def _child_summary(ctx: JobContext, what: str, cmd: list[str]) -> Counts:
    # stdout goes to a file, not a pipe nobody reads while the child runs: a child printing more
    # than a pipe holds would block on its write, and the daemon with it, forever.
    # The child leads its own process group: a terminal's Ctrl-C reaches the daemon only (which
    # passes one SIGTERM on), and whatever the child started (extraction workers) goes with it.
    with tempfile.TemporaryFile("w+", encoding="utf-8") as stdout:
        proc = subprocess.Popen(  # noqa: S603 - our interpreter, our module
            cmd, stdout=stdout, text=True, start_new_session=True, preexec_fn=_die_with_parent()
        )
        try:
            while proc.poll() is None:
                if ctx.stop.wait(0.2):
                    log.warning("%s: stopping, sending SIGTERM to crawler pid %d", what, proc.pid)
                    proc.send_signal(signal.SIGTERM)
                    try:
                        proc.wait(timeout=ctx.grace_seconds)
                    except subprocess.TimeoutExpired:
                        log.error("%s: crawler pid %d did not stop in %.0fs; killed", what, proc.pid, ctx.grace_seconds)
                    raise JobAbandoned(f"{what} interrupted by shutdown; what was already stored is kept")
        finally:
            _end_group(proc)
        stdout.seek(0)
        out = stdout.read()
    if proc.returncode != 0:
        raise RuntimeError(f"{what}: crawler exited {proc.returncode}")
    lines = [line for line in out.strip().splitlines() if line.startswith("{")]
    summary: Counts = json.loads(lines[-1]) if lines else {}
    return summary


def crawl_job(ctx: JobContext) -> Counts:
    """Crawl the watch targets in a child process, then evaluate the rules."""
    summary = _spider_child(ctx, "crawl")
    counts: Counts = {"pages": summary.get("pages", 0), **summary.get("by_status", {})}
    counts.update(evaluate_job(ctx))
    return counts


def discover_job(ctx: JobContext) -> Counts:
    """Search the marketplaces (crawl.discovery.search) in a child process: new listings become watch
    targets the next crawl visits, new sellers unknown sellers; search pages not shown are counted."""
    summary = _spider_child(ctx, "discover", "--discover")
    blocked = summary.get("blocked") or {}
    return {
        "pages": summary.get("pages", 0),
        "listings": summary.get("results", 0),
        "new_targets": summary.get("new_targets", 0),
        "new_unknown_sellers": summary.get("new_unknown_sellers", 0),
        "search_pages_not_shown": sum(blocked.values()),
    }


def evaluate_job(ctx: JobContext) -> Counts:
    from alerts.engine import evaluate
    from alerts.notify import LogNotifier

    result = evaluate(ctx.config, ctx.db, notifiers=[LogNotifier()])
    return {
        "alerts_opened": len(result.changes.opened),
        "alerts_open": len(result.changes.updated),
        "alerts_resolved": len(result.changes.resolved),
    }


def deliver_job(ctx: JobContext) -> Counts:
    """Send what the notification outbox holds (digests are folded per route's digest_minutes)."""
    from alerts.delivery import deliver

    report = deliver(ctx.config.settings.alerts, ctx.db)
    return {"sent": len(report.sent), "failed": len(report.failed), "digests": report.digests}


def retention_job(ctx: JobContext) -> Counts:
    from oneprice.storage.retention import purge_history, purge_observations

    days = ctx.config.settings.daemon.retention_days
    before = datetime.now(UTC) - timedelta(days=days)
    counts = purge_observations(ctx.db, before=before)
    counts.update(purge_history(ctx.db, before=before))
    refresh_statistics(ctx.db)
    return counts


def refresh_statistics(db: Database) -> None:
    """Planner statistics of the observations, which every crawl grows and retention thins.

    The alert engine's reads are planned from them (which index, which side of a join first);
    a table that was never analyzed is planned by guesses. On SQLite from a sample of each index
    (`analysis_limit`, milliseconds at a million rows); on PostgreSQL autovacuum does the same on
    its own schedule, this keeps it current after the purge.
    """
    with db.engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA analysis_limit = 1000")
        conn.exec_driver_sql("ANALYZE observations")


# Lanes: a channel's push and its read-back never overlap (the check would report the push in
# progress as drift); crawls, discovery and retention all write or delete observations and
# targets, so they take turns too (a purge of months of observations would hold the crawl's writes).
OBSERVATIONS_LANE = "observations"


CHANNEL_LANE_PREFIX = "channel:"


def channel_lane(channel: str) -> str:
    return f"{CHANNEL_LANE_PREFIX}{channel}"


def build_jobs(config: LoadedConfig) -> list[Job]:
    """Every job the config asks for, in the order a `--once` run should take them."""
    d = config.settings.daemon
    jobs: list[Job] = []
    for channel in config.settings.channels:
        if not channel.enabled:
            continue
        schedule = d.channels.get(channel.name, d.sync_apply)
        if schedule.enabled:
            jobs.append(
                Job(
                    f"sync_apply:{channel.name}",
                    schedule,
                    sync_apply_job(channel.name),
                    "push catalog to channel",
                    channel_lane(channel.name),
                )
            )
    for channel in config.settings.channels:
        if channel.enabled and d.sync_check.enabled:
            jobs.append(
                Job(
                    f"sync_check:{channel.name}",
                    d.sync_check,
                    sync_check_job(channel.name),
                    "read the channel back, report drift",
                    channel_lane(channel.name),
                )
            )
    if config.settings.crawl.discovery.search:
        jobs.append(
            Job(
                "discover",
                d.discover,
                discover_job,
                "search the marketplaces for new listings and sellers",
                OBSERVATIONS_LANE,
            )
        )
    jobs.append(Job("crawl", d.crawl, crawl_job, "crawl watch targets, then evaluate the rules", OBSERVATIONS_LANE))
    jobs.append(Job("deliver", d.deliver, deliver_job, "deliver notifications and digests from the outbox"))
    jobs.append(
        Job(
            "retention",
            d.retention,
            retention_job,
            "drop old observations, refresh their statistics",
            OBSERVATIONS_LANE,
        )
    )
    return [j for j in jobs if j.schedule.enabled]
