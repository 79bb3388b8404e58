"""`oneprice daemon`: runs the jobs on their schedules, one instance at a time, for months.

One job's failure is recorded and retried with backoff; it never stops the others. Jobs run in
lanes (`Job.lane`): one at a time within a lane, lanes side by side, so a long crawl delays neither
the outbox nor a channel's sync. SIGTERM or SIGINT lets the running units finish (or abandons them
cleanly), releases the lease and exits 0.
"""

from __future__ import annotations

import logging
import math
import os
import random
import signal
import socket
import threading
from collections import deque
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import Any
from zoneinfo import ZoneInfo

import schedule

from oneprice.domain.alert import Severity, Violation
from oneprice.domain.money import Money
from oneprice.errors import ConfigError
from oneprice.jobs import CHANNEL_LANE_PREFIX, Job, JobAbandoned, JobContext, build_jobs
from oneprice.settings.loader import LoadedConfig
from oneprice.settings.watch import ConfigWatcher, store_catalog
from oneprice.storage import Database
from oneprice.storage.daemon import JobRepository, JobState, LeaseRepository

log = logging.getLogger(__name__)


LEASE = "daemon"
FAILING_RULE = "job_failing"
CONFIG_RULE = "config_invalid"  # the configuration's files changed and do not load: the daemon keeps the last good one


class LeaseHeld(Exception):
    """Another daemon holds the lease."""


class Lane:
    """A thread running its jobs one at a time, in the order they were handed to it.

    A job already waiting or running is not queued again: a schedule that comes due while its job
    still runs (a crawl longer than its `every:`) runs it once more afterwards, not once per tick.
    """

    def __init__(self, name: str, run: Callable[[Job], object], gate: threading.Semaphore | None = None) -> None:
        self.name = name
        self._run = run
        self._gate = gate  # shared by lanes that may not all run at once (the channels')
        self._waiting: deque[Job] = deque()
        self._running: str | None = None
        self._closed = False
        self._cv = threading.Condition()
        self.thread = threading.Thread(target=self._loop, daemon=True, name=f"lane {name}")

    def submit(self, job: Job) -> bool:
        with self._cv:
            if self._closed or job.name == self._running or any(j.name == job.name for j in self._waiting):
                return False
            self._waiting.append(job)
            self._cv.notify()
            return True

    def close(self) -> None:
        """Run nothing more: what is waiting is dropped (it is due again at the next start)."""
        with self._cv:
            self._closed = True
            self._waiting.clear()
            self._cv.notify_all()

    def _loop(self) -> None:
        while True:
            with self._cv:
                while not self._waiting and not self._closed:
                    self._cv.wait()
                if self._closed:
                    return
                job = self._waiting.popleft()
                self._running = job.name
            try:
                if self._gate is None:
                    self._run(job)
                else:
                    with self._gate:
                        self._run(job)
            finally:
                with self._cv:
                    self._running = None


def default_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Daemon:
    """Scheduler + lease + job runner.

    >>> Daemon(config, db, Path("config/oneprice.yaml")).run()      # doctest: +SKIP
    """

    def __init__(
        self,
        config: LoadedConfig,
        db: Database,
        config_path: Path,
        *,
        jobs: Sequence[Job] | None = None,
        holder: str | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        reload_config: Callable[[], LoadedConfig] | None = None,
    ) -> None:
        self.config = config
        # Loads the configuration again when its files change (or on SIGHUP); None: never reloaded.
        self.watcher = ConfigWatcher(config, reload_config) if reload_config is not None else None
        self.settings = config.settings.daemon
        self.db = db
        self.holder = holder or default_holder()
        self.clock = clock
        self.jobs = list(jobs if jobs is not None else build_jobs(config))
        self.tz = ZoneInfo(self.settings.timezone)
        self.leases = LeaseRepository(db)
        self.runs = JobRepository(db)
        self.stop = threading.Event()
        self.lost_lease = False
        self.running: set[str] = set()  # changed by the lanes: read it through busy()
        self._running_lock = threading.RLock()  # the signal handler reads it too
        self.lanes: dict[str, Lane] = {}
        self._retired: list[Lane] = []  # lanes whose jobs left the configuration
        # the scheduler is not thread-safe: the loop runs it, lanes add retries to it
        self._scheduler_lock = threading.RLock()
        self.ctx = JobContext(config, config_path, db, self.stop, self.settings.shutdown_grace_seconds)
        self.scheduler = schedule.Scheduler()
        self._next_recorded: dict[str, datetime] = {}
        self._unrecorded: list[tuple[int, str, dict[str, Any]]] = []

    # -- lease -----------------------------------------------------------------

    def acquire(self, *, wait: bool = False) -> None:
        """Take the lease, or wait for it (`wait`), or raise LeaseHeld naming the holder."""
        while True:
            if self.leases.acquire(LEASE, self.holder, ttl=self.settings.lease_seconds, now=self.clock()):
                # Nothing of ours runs yet: every run still 'running' was left by a dead daemon, even
                # one with our own holder name (a restarted container: same host name, same pid).
                abandoned = self.runs.abandon_running("", self.clock())
                if abandoned:
                    log.warning("took over the lease; %d run(s) of a dead daemon marked abandoned", abandoned)
                return
            lease = self.leases.get(LEASE)
            who = f"{lease.holder} until {lease.expires_at:%Y-%m-%d %H:%M:%S} UTC" if lease else "another daemon"
            if not wait:
                raise LeaseHeld(f"another daemon is running ({who}); not starting a second one")
            log.info("waiting for the lease held by %s", who)
            if self.stop.wait(min(self.settings.lease_seconds / 2, 5.0)):
                raise LeaseHeld("stopped while waiting for the lease")

    def _heartbeat(self) -> None:
        while not self.stop.wait(self.settings.heartbeat_seconds):
            try:
                ok = self.leases.renew(LEASE, self.holder, ttl=self.settings.lease_seconds, now=self.clock())
            except Exception as e:  # a locked or unreachable database: one line, not a traceback a beat
                log.error("heartbeat failed (%s: %s); will retry", type(e).__name__, e)
                log.debug("heartbeat traceback", exc_info=True)
                continue
            if not ok:
                log.error("lost the daemon lease to another instance; stopping")
                self.lost_lease = True
                self.stop.set()

    # -- jobs ------------------------------------------------------------------

    def run_job(self, job: Job) -> str:
        """Run one job unit and record it; returns the outcome (ok, failed, abandoned, skipped).

        Never raises: the database being locked or away while the run is recorded is logged and
        the run is skipped (or its outcome recorded on a later tick); the daemon keeps running.
        """
        try:
            return self._run_job(job)
        except Exception as e:
            log.error(
                "job %s: could not record its run (%s: %s); next attempt on schedule", job.name, type(e).__name__, e
            )
            log.debug("job %s bookkeeping traceback", job.name, exc_info=True)
            return "skipped"

    def _run_job(self, job: Job) -> str:
        now = self.clock()
        state = self.runs.states().get(job.name)
        if state and state.backoff_until and state.backoff_until > now:
            log.debug("%s: backing off until %s", job.name, state.backoff_until)
            return "skipped"
        if self.stop.is_set():
            return "skipped"
        run_id = self.runs.start(job.name, self.holder, now)
        with self._running_lock:
            self.running.add(job.name)
        log.info("job %s: started", job.name)
        try:
            counts = job.run(self.ctx)
        except JobAbandoned as e:
            self._finish(run_id, "abandoned", error=str(e))
            log.warning("job %s: abandoned: %s", job.name, e)
            return "abandoned"
        except Exception as e:
            failures = (state.consecutive_failures if state else 0) + 1
            delay = min(self.settings.backoff_initial * 2 ** (failures - 1), self.settings.backoff_max)
            delay *= random.uniform(0.9, 1.1)
            until = self.clock() + timedelta(seconds=delay)
            message = f"{type(e).__name__}: {e}"
            new_state = self._finish(run_id, "failed", error=message, backoff_until=until)
            log.error("job %s failed (%d in a row), retry after %.0fs: %s", job.name, failures, delay, message)
            log.debug("job %s traceback", job.name, exc_info=True)
            self._schedule_retry(job, delay)
            if new_state and new_state.consecutive_failures >= self.settings.failure_alert_after:
                self._failing_alert(job, message, new_state.consecutive_failures)
            return "failed"
        finally:
            with self._running_lock:
                self.running.discard(job.name)
        self._finish(run_id, "ok", counts=counts)
        if state and state.consecutive_failures >= self.settings.failure_alert_after:
            self._failing_alert(job, None, 0)
        log.info("job %s: ok %s", job.name, counts)
        return "ok"

    def _finish(self, run_id: int, outcome: str, **details: Any) -> JobState | None:
        """Record a run's outcome; when the database refuses, keep it and try again on the next tick."""
        details.setdefault("now", self.clock())
        try:
            return self.runs.finish(run_id, outcome, **details)
        except Exception as e:
            log.error(
                "job run #%d: could not record outcome %s (%s: %s); will retry", run_id, outcome, type(e).__name__, e
            )
            self._unrecorded.append((run_id, outcome, details))
            return None

    def _record_pending_outcomes(self) -> None:
        while self._unrecorded:
            run_id, outcome, details = self._unrecorded[0]
            self.runs.finish(run_id, outcome, **details)
            self._unrecorded.pop(0)
            log.info("job run #%d: outcome %s recorded", run_id, outcome)

    def _failing_alert(self, job: Job, message: str | None, failures: int) -> None:
        """One alert episode while a job keeps failing (not one per failure); resolved on success."""
        text = None if message is None else f"job {job.name} failed {failures} times in a row: {message}"
        self._daemon_alert(FAILING_RULE, job.name, text)

    def _daemon_alert(self, rule: str, name: str, message: str | None) -> None:
        """One critical episode of `rule` for `name` while `message` says what is wrong; None resolves it."""
        try:
            self._record_daemon_alert(rule, name, message)
        except Exception as e:
            log.error("%s: could not record its %s alert (%s: %s)", name, rule, type(e).__name__, e)

    def _record_daemon_alert(self, rule: str, name: str, message: str | None) -> None:
        from alerts.engine import record

        key = (rule, "*", name, "daemon")
        if message is None:
            record(self.config, self.db, [], [key], self.clock())
            return
        violation = Violation(
            rule=rule,
            product_sku="*",
            seller_key=name,
            seller_name=name,
            reseller_id=None,
            platform="daemon",
            unified_price=Money.of(0, self.config.settings.brand.currency),
            observed_price=None,
            gap_percent=None,
            severity=Severity.CRITICAL,
            message=message,
            url="",
            observation_id=None,
            observed_at=self.clock(),
        )
        changes = record(self.config, self.db, [violation], [], self.clock())
        for alert in changes.opened:
            log.error("new alert #%d: %s", alert.id, alert.message)

    def busy(self) -> str:
        """The jobs running now, for messages ("" when idle)."""
        with self._running_lock:
            return ", ".join(sorted(self.running))

    def dispatch(self, job: Job) -> None:
        """Hand a due job to its lane; before the lanes run (`--once`, tests) run it here and now."""
        lane = self.lanes.get(job.lane_name)
        if not self.lanes:
            self.run_job(job)
        elif lane is None:  # its job left the configuration since this was scheduled
            log.info("job %s: no longer configured; not run", job.name)
        elif not lane.submit(job):
            log.debug("job %s: already waiting or running in lane %s", job.name, lane.name)

    def _start_lanes(self) -> None:
        self._channel_gate = threading.Semaphore(self.settings.channels_at_once)
        self._add_lanes()

    def _add_lanes(self) -> None:
        """A started lane for every job's lane that has none yet."""
        for job in self.jobs:
            if job.lane_name not in self.lanes:
                gate = self._channel_gate if job.lane_name.startswith(CHANNEL_LANE_PREFIX) else None
                lane = self.lanes[job.lane_name] = Lane(job.lane_name, self.run_job, gate)
                lane.thread.start()

    def _stop_lanes(self) -> None:
        """Stop taking work and wait for the running units (they see the stop flag and end or abandon;
        the signal's watchdog exits the process if one does not within the grace period)."""
        lanes = [*self.lanes.values(), *self._retired]
        for lane in lanes:
            lane.close()
        for lane in lanes:
            if lane.thread.is_alive():
                lane.thread.join()

    def _schedule_retry(self, job: Job, delay: float) -> None:
        """One pending retry per job, due when its backoff ends (never before: it would be skipped)."""
        tag = f"{job.name}:retry"

        def retry() -> Any:
            try:
                left = self._backoff_left(job)
            except Exception:
                left = 0.0  # run_job reads the state again and records what it can
            if left > 0:  # woke up before the backoff ended: keep the retry, for what is left of it
                self._schedule_retry(job, left)
            else:
                self.dispatch(job)
            return schedule.CancelJob

        with self._scheduler_lock:
            self.scheduler.clear(tag)
            self.scheduler.every(max(1, math.ceil(delay))).seconds.do(retry).tag(tag)

    def _backoff_left(self, job: Job) -> float:
        state = self.runs.states().get(job.name)
        if state is None or state.backoff_until is None:
            return 0.0
        return max(0.0, (state.backoff_until - self.clock()).total_seconds())

    def _resume_backoffs(self) -> None:
        """Jobs a previous daemon left backing off get their retry at the end of the backoff."""
        for job in self.jobs:
            left = self._backoff_left(job)
            if left > 0:
                self._schedule_retry(job, left)

    def due_jobs(self) -> list[Job]:
        states = self.runs.states()
        now = self.clock()
        return [
            j for j in self.jobs if j.due(states[j.name].last_started_at if j.name in states else None, now, self.tz)
        ]

    def _install_schedule(self) -> None:
        with self._scheduler_lock:
            for job in self.jobs:
                self._install(job)

    def _install(self, job: Job) -> None:
        if job.schedule.every is not None:
            self.scheduler.every(max(1, round(job.schedule.every))).seconds.do(self.dispatch, job).tag(job.name)
        for at in job.schedule.at:
            self.scheduler.every().day.at(at, self.settings.timezone).do(self.dispatch, job).tag(job.name)

    # -- configuration -----------------------------------------------------------

    def request_reload(self) -> None:
        """Load the configuration again on the next tick, changed or not (SIGHUP)."""
        if self.watcher is not None:
            self.watcher.request()

    def _check_config(self) -> None:
        """Switch to the configuration's new version once its files changed and settled (`ConfigWatcher`).

        A version that does not load changes nothing and opens one `config_invalid` alert; a database
        that refuses the copy of the catalog raises, and the next ticks try again.
        """
        if self.watcher is None:
            return
        try:
            new = self.watcher.poll()
        except ConfigError as e:
            log.error("configuration not reloaded; the daemon keeps the one it has: %s", e)
            self._daemon_alert(CONFIG_RULE, "config", f"the configuration does not load, the last good one runs: {e}")
            return
        if new is None:
            return
        if new.database_url() != self.config.database_url():
            log.warning("database.url changed: the daemon keeps its database until it is restarted")
        store_catalog(new, self.db)
        self.config = self.ctx.config = new
        self.settings = new.settings.daemon
        self.tz = ZoneInfo(self.settings.timezone)
        self.watcher.accept(new)
        self._apply_jobs(build_jobs(new))
        self._daemon_alert(CONFIG_RULE, "config", None)
        log.info("configuration reloaded: %d products, %d jobs", len(new.catalog.products), len(self.jobs))

    def _apply_jobs(self, jobs: list[Job]) -> None:
        """The jobs of a reloaded configuration: new and rescheduled ones get their schedule (and lane),
        removed ones lose theirs and their pending retry. A running unit finishes as it started."""
        old = {j.name: j for j in self.jobs}
        new = {j.name: j for j in jobs}
        removed = [name for name in old if name not in new]
        changed = [n for n, j in new.items() if n not in old or (old[n].schedule, old[n].lane) != (j.schedule, j.lane)]
        self.jobs = jobs
        if not self.lanes:  # not running its loop (`--once`): nothing is scheduled
            return
        with self._scheduler_lock:
            for name in removed + changed:
                self.scheduler.clear(name)
            for name in removed:
                self.scheduler.clear(f"{name}:retry")
                self._next_recorded.pop(name, None)
            for name in changed:
                self._install(new[name])
        for name in removed:
            self.runs.set_next_run(name, None)
        self._add_lanes()
        for name in [n for n, lane in self.lanes.items() if not any(j.lane_name == n for j in jobs)]:
            lane = self.lanes.pop(name)
            lane.close()  # a unit it still runs finishes; stopping the daemon waits for it
            self._retired.append(lane)
        if removed or changed:
            log.info("jobs changed: %s", ", ".join([f"-{n}" for n in removed] + [f"~{n}" for n in changed]))

    def _record_next_runs(self) -> None:
        """Each job's next run for `oneprice status`; written only when it changed (not every tick)."""
        nexts: dict[str, datetime] = {}
        with self._scheduler_lock:
            scheduled = self.scheduler.get_jobs()
        for sjob in scheduled:
            tag = str(next(iter(sjob.tags), ""))
            if tag and sjob.next_run is not None and not tag.endswith(":retry"):
                when = sjob.next_run.astimezone(UTC).replace(microsecond=0)
                if tag not in nexts or when < nexts[tag]:
                    nexts[tag] = when
        for name, when in nexts.items():
            if self._next_recorded.get(name) != when:
                self.runs.set_next_run(name, when)
                self._next_recorded[name] = when

    def _tick(self) -> bool:
        """One turn of the loop; a database that is locked or away is logged and tried again (False)."""
        try:
            self._record_pending_outcomes()
            self._check_config()
            self._record_next_runs()
            with self._scheduler_lock:
                self.scheduler.run_pending()
        except Exception as e:
            log.error("scheduler: %s: %s; trying again", type(e).__name__, e)
            log.debug("scheduler traceback", exc_info=True)
            return False
        return True

    # -- lifecycle ---------------------------------------------------------------

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        log.warning("%s received: finishing %s, then exiting", signal.Signals(signum).name, self.busy() or "idle")
        self.stop.set()
        threading.Thread(target=self._watchdog, daemon=True, name="shutdown-watchdog").start()

    def _watchdog(self) -> None:
        """If the current unit does not end within the grace period, release the lease and exit."""
        if self.stop.wait(0) and not threading.main_thread().is_alive():
            return
        deadline = self.settings.shutdown_grace_seconds + 5
        done = threading.Event()
        threading.Timer(deadline, done.set).start()
        while not done.wait(0.2):
            if not self.busy():
                return
        log.error("job(s) %s did not stop within %.0fs; abandoning", self.busy(), deadline)
        self.leases.release(LEASE, self.holder)
        os._exit(0)

    def run(
        self,
        *,
        once: bool = False,
        wait: bool = False,
        install_signals: bool = True,
        started: Callable[[], None] | None = None,
    ) -> int:
        """Run until stopped (or, with `once`, run every due job once); returns the exit code.

        `started` is called once the lease is held (the CLI starts /healthz there, so a second
        daemon is told another one runs, not that the port is taken); if it raises, the lease is
        released and the error passes on.
        """
        if install_signals:
            signal.signal(signal.SIGTERM, self._on_signal)
            signal.signal(signal.SIGINT, self._on_signal)
            if hasattr(signal, "SIGHUP"):  # POSIX: `systemctl reload`, `kill -HUP`
                signal.signal(signal.SIGHUP, lambda _signum, _frame: self.request_reload())
        self.acquire(wait=wait)
        beat = threading.Thread(target=self._heartbeat, daemon=True, name="lease-heartbeat")
        beat.start()
        try:
            if started is not None:
                started()
            log.info(
                "daemon %s started with %d jobs: %s",
                self.holder,
                len(self.jobs),
                ", ".join(j.name for j in self.jobs),
            )
            if not once:
                self._start_lanes()
            for job in self.due_jobs():
                if self.stop.is_set():
                    break
                self.dispatch(job)
            if not once:
                self._install_schedule()
                try:
                    self._resume_backoffs()
                except Exception as e:
                    log.error("could not read the jobs' backoff (%s: %s); they retry on schedule", type(e).__name__, e)
                while not self.stop.is_set():
                    ok = self._tick()
                    # a database that is away is not asked again every poll
                    self.stop.wait(self.settings.poll_seconds if ok else max(self.settings.poll_seconds, 5.0))
        finally:
            self.stop.set()
            self._stop_lanes()
            try:
                self._record_pending_outcomes()
            except Exception as e:
                why = f"{type(e).__name__}: {e}"
                log.error("%d job outcome(s) could not be recorded (%s)", len(self._unrecorded), why)
            if not self.lost_lease:
                self.leases.release(LEASE, self.holder)
            log.info("daemon %s stopped", self.holder)
        return 1 if self.lost_lease else 0
