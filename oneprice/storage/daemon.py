"""Daemon repositories: a database lease (single instance across machines), job state and runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from oneprice.storage.db import Database, rowcount
from oneprice.storage.tables import JobRunRow, JobStateRow, LeaseRow


@dataclass(frozen=True)
class Lease:
    name: str
    holder: str
    acquired_at: datetime
    heartbeat_at: datetime
    expires_at: datetime

    def alive(self, now: datetime) -> bool:
        return self.expires_at > now


class LeaseRepository:
    """Acquire/renew are single conditional UPDATEs (or one INSERT), atomic on SQLite and PostgreSQL.

    >>> leases = LeaseRepository(db)                       # doctest: +SKIP
    >>> leases.acquire("daemon", "host:123", ttl=60, now=now)
    True
    """

    def __init__(self, db: Database) -> None:
        self.db = db

    def acquire(self, name: str, holder: str, *, ttl: float, now: datetime | None = None) -> bool:
        """Take the lease if it is free, expired, or already ours; True when we hold it after the call."""
        now = now or datetime.now(UTC)
        expires = now + timedelta(seconds=ttl)
        with self.db.session() as s:
            taken = s.execute(
                update(LeaseRow)
                .where(LeaseRow.name == name, (LeaseRow.expires_at <= now) | (LeaseRow.holder == holder))
                .values(holder=holder, acquired_at=now, heartbeat_at=now, expires_at=expires)
                .execution_options(synchronize_session=False)
            )
            if rowcount(taken) == 1:
                return True
        try:
            with self.db.session() as s:
                s.execute(
                    insert(LeaseRow).values(
                        name=name, holder=holder, acquired_at=now, heartbeat_at=now, expires_at=expires
                    )
                )
            return True
        except IntegrityError:
            return False

    def renew(self, name: str, holder: str, *, ttl: float, now: datetime | None = None) -> bool:
        """Extend our lease; False when it is no longer ours (it expired and someone took it)."""
        now = now or datetime.now(UTC)
        with self.db.session() as s:
            done = s.execute(
                update(LeaseRow)
                .where(LeaseRow.name == name, LeaseRow.holder == holder)
                .values(heartbeat_at=now, expires_at=now + timedelta(seconds=ttl))
                .execution_options(synchronize_session=False)
            )
            return rowcount(done) == 1

    def release(self, name: str, holder: str) -> None:
        with self.db.session() as s:
            s.execute(delete(LeaseRow).where(LeaseRow.name == name, LeaseRow.holder == holder))

    def get(self, name: str) -> Lease | None:
        with self.db.session() as s:
            row = s.get(LeaseRow, name)
            if row is None:
                return None
            return Lease(row.name, row.holder, row.acquired_at, row.heartbeat_at, row.expires_at)


@dataclass(frozen=True)
class JobState:
    job: str
    next_run_at: datetime | None
    last_started_at: datetime | None
    last_success_at: datetime | None
    last_outcome: str | None
    consecutive_failures: int
    backoff_until: datetime | None
    last_error: str | None


@dataclass(frozen=True)
class JobRun:
    id: int
    job: str
    holder: str
    started_at: datetime
    finished_at: datetime | None
    outcome: str
    counts: dict[str, Any]
    error: str | None


def _state(r: JobStateRow) -> JobState:
    return JobState(
        r.job,
        r.next_run_at,
        r.last_started_at,
        r.last_success_at,
        r.last_outcome,
        r.consecutive_failures or 0,
        r.backoff_until,
        r.last_error,
    )


def _run(r: JobRunRow) -> JobRun:
    counts = dict(r.counts or {})
    return JobRun(r.id, r.job, r.holder, r.started_at, r.finished_at, r.outcome, counts, r.error)


class JobRepository:
    """Job runs (history) and job state (what `oneprice status` shows about the schedule)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def start(self, job: str, holder: str, now: datetime) -> int:
        with self.db.session() as s:
            row = JobRunRow(job=job, holder=holder, started_at=now, outcome="running", counts={})
            s.add(row)
            state = s.get(JobStateRow, job) or JobStateRow(job=job, consecutive_failures=0)
            state.last_started_at = now
            s.add(state)
            s.flush()
            return row.id

    def finish(
        self,
        run_id: int,
        outcome: str,
        now: datetime,
        *,
        counts: dict[str, Any] | None = None,
        error: str | None = None,
        backoff_until: datetime | None = None,
    ) -> JobState:
        """Close a run and update the job's state; failures count up, a success resets them."""
        with self.db.session() as s:
            row = s.get_one(JobRunRow, run_id)
            row.finished_at, row.outcome, row.counts, row.error = now, outcome, dict(counts or {}), error
            state = s.get(JobStateRow, row.job) or JobStateRow(job=row.job, consecutive_failures=0)
            state.last_outcome = outcome
            if outcome == "ok":
                state.last_success_at, state.consecutive_failures = now, 0
                state.backoff_until, state.last_error = None, None
            elif outcome == "failed":
                state.consecutive_failures = (state.consecutive_failures or 0) + 1
                state.backoff_until, state.last_error = backoff_until, error
            s.add(state)
            s.flush()
            return _state(state)

    def set_next_run(self, job: str, when: datetime | None) -> None:
        with self.db.session() as s:
            state = s.get(JobStateRow, job) or JobStateRow(job=job, consecutive_failures=0)
            state.next_run_at = when
            s.add(state)

    def states(self) -> dict[str, JobState]:
        with self.db.session() as s:
            return {r.job: _state(r) for r in s.scalars(select(JobStateRow).order_by(JobStateRow.job))}

    def runs(self, *, job: str | None = None, limit: int = 50) -> list[JobRun]:
        with self.db.session() as s:
            q = select(JobRunRow).order_by(JobRunRow.id.desc()).limit(limit)
            if job is not None:
                q = q.where(JobRunRow.job == job)
            return [
                JobRun(
                    r.id,
                    r.job,
                    r.holder,
                    r.started_at,
                    r.finished_at,
                    r.outcome,
                    dict(r.counts or {}),
                    r.error,
                )
                for r in s.scalars(q)
            ]

    def abandon_running(self, holder: str, now: datetime) -> int:
        """Mark runs a dead holder left 'running' as abandoned (on takeover); returns how many."""
        with self.db.session() as s:
            done = s.execute(
                update(JobRunRow)
                .where(JobRunRow.outcome == "running", JobRunRow.holder != holder)
                .values(outcome="abandoned", finished_at=now)
                .execution_options(synchronize_session=False)
            )
            return rowcount(done)
