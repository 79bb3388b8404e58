"""Sync journal: runs, and each action's way through planned -> sent -> accepted | failed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from oneprice.storage.db import Database
from oneprice.storage.tables import JournalRow, SyncRunRow

STATES = ("planned", "sent", "accepted", "failed")


@dataclass(frozen=True)
class JournalEntry:
    id: int
    run_id: int
    channel: str
    sku: str
    action: str
    state: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    error: str | None
    updated_at: datetime


@dataclass(frozen=True)
class SyncRun:
    id: int
    kind: str
    channel: str | None
    started_at: datetime
    finished_at: datetime | None
    outcome: str | None
    counts: dict[str, Any]


class JournalRepository:
    """Every write is its own transaction, so the journal survives a crash mid-run."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def start_run(self, kind: str, channel: str | None = None) -> int:
        with self.db.session() as s:
            row = SyncRunRow(kind=kind, channel=channel, started_at=datetime.now(UTC), counts={})
            s.add(row)
            s.flush()
            return row.id

    def finish_run(self, run_id: int, outcome: str, counts: dict[str, int]) -> None:
        with self.db.session() as s:
            row = s.get_one(SyncRunRow, run_id)
            row.finished_at, row.outcome, row.counts = datetime.now(UTC), outcome, dict(counts)

    def record(
        self,
        run_id: int,
        channel: str,
        sku: str,
        action: str,
        state: str,
        *,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
        error: str | None = None,
    ) -> int:
        _check(state)
        with self.db.session() as s:
            row = JournalRow(
                run_id=run_id,
                channel=channel,
                sku=sku,
                action=action,
                state=state,
                before=before,
                after=after,
                error=error,
                updated_at=datetime.now(UTC),
            )
            s.add(row)
            s.flush()
            return row.id

    def update(self, entry_id: int, state: str, *, error: str | None = None) -> None:
        _check(state)
        with self.db.session() as s:
            row = s.get_one(JournalRow, entry_id)
            row.state, row.updated_at = state, datetime.now(UTC)
            if error is not None:
                row.error = error

    def entries(self, run_id: int) -> list[JournalEntry]:
        with self.db.session() as s:
            rows = s.scalars(select(JournalRow).where(JournalRow.run_id == run_id).order_by(JournalRow.id))
            return [
                JournalEntry(
                    r.id,
                    r.run_id,
                    r.channel,
                    r.sku,
                    r.action,
                    r.state,
                    r.before,
                    r.after,
                    r.error,
                    r.updated_at,
                )
                for r in rows
            ]

    def runs(self, limit: int = 20) -> list[SyncRun]:
        with self.db.session() as s:
            rows = s.scalars(select(SyncRunRow).order_by(SyncRunRow.id.desc()).limit(limit))
            return [
                SyncRun(r.id, r.kind, r.channel, r.started_at, r.finished_at, r.outcome, dict(r.counts or {}))
                for r in rows
            ]


def _check(state: str) -> None:
    if state not in STATES:
        raise ValueError(f"unknown journal state {state!r} (one of {', '.join(STATES)})")
