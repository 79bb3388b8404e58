"""Sync journal: runs, and each action's way through planned -> sent -> accepted -> verified | failed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update

from oneprice.storage.db import Database, chunks
from oneprice.storage.tables import JournalRow, SyncRunRow

STATES = ("planned", "sent", "accepted", "verified", "failed")
OPEN_STATES = ("planned", "sent")


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
    remote_id: str | None = None
    request_id: str | None = None
    attempts: int = 0


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

    def record_many(
        self, run_id: int, channel: str, items: list[tuple[str, str, dict[str, Any] | None, dict[str, Any]]]
    ) -> list[int]:
        """Journal many actions as `planned` in one transaction: (sku, action, before, after) each."""
        now = datetime.now(UTC)
        with self.db.session() as s:
            rows = [
                JournalRow(
                    run_id=run_id,
                    channel=channel,
                    sku=sku,
                    action=action,
                    state="planned",
                    before=before,
                    after=after,
                    updated_at=now,
                    attempts=0,
                )
                for sku, action, before, after in items
            ]
            s.add_all(rows)
            s.flush()
            return [r.id for r in rows]

    def mark(
        self,
        entry_ids: list[int],
        state: str,
        *,
        error: str | None = None,
        remote_id: str | None = None,
        request_id: str | None = None,
        attempt: bool = False,
    ) -> None:
        """Move many entries to `state` in one transaction; `attempt` counts one more send."""
        _check(state)
        if not entry_ids:
            return
        values: dict[str, Any] = {"state": state, "updated_at": datetime.now(UTC)}
        if error is not None:
            values["error"] = error
        if remote_id is not None:
            values["remote_id"] = remote_id
        if request_id is not None:
            values["request_id"] = request_id
        if attempt:
            values["attempts"] = JournalRow.attempts + 1
        with self.db.session() as s:
            for chunk in chunks(entry_ids):
                s.execute(update(JournalRow).where(JournalRow.id.in_(chunk)).values(**values))

    def settle(self, outcomes: list[tuple[int, str, str | None, str | None, str | None]]) -> None:
        """Final states of many entries in one transaction: (id, state, error, remote id, request id)."""
        if not outcomes:
            return
        now = datetime.now(UTC)
        for _, state, *_rest in outcomes:
            _check(state)
        with self.db.session() as s:
            s.execute(
                update(JournalRow),
                [
                    {
                        "id": entry_id,
                        "state": state,
                        "error": error,
                        "remote_id": remote_id,
                        "request_id": request_id,
                        "updated_at": now,
                    }
                    for entry_id, state, error, remote_id, request_id in outcomes
                ],
            )

    def sends_today(self, channel: str, now: datetime | None = None) -> dict[str, int]:
        """Write calls that carried each SKU of `channel` since 00:00 UTC today, over every run.

        An entry counts its `attempts` (each send, retries included) when it was last touched today:
        a send at 23:59 settled after midnight counts for the new day too, never for none.
        """
        now = now or datetime.now(UTC)
        midnight = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        query = (
            select(JournalRow.sku, func.sum(JournalRow.attempts))
            .where(JournalRow.channel == channel, JournalRow.updated_at >= midnight, JournalRow.attempts > 0)
            .group_by(JournalRow.sku)
        )
        with self.db.session() as s:
            return {sku: int(n) for sku, n in s.execute(query)}

    def interrupted(self, channel: str) -> list[SyncRun]:
        """Runs on `channel` that never finished (the process died mid-apply)."""
        with self.db.session() as s:
            rows = s.scalars(
                select(SyncRunRow)
                .where(SyncRunRow.channel == channel, SyncRunRow.finished_at.is_(None))
                .order_by(SyncRunRow.id)
            )
            return [
                SyncRun(r.id, r.kind, r.channel, r.started_at, r.finished_at, r.outcome, dict(r.counts or {}))
                for r in rows
            ]

    def close_interrupted(self, channel: str, by_run: int) -> int:
        """Close the channel's unfinished runs: their open entries fail as superseded by `by_run`.

        Returns how many open entries there were; the new run's plan, made from the live
        channel state, covers whatever those entries left undone.
        """
        runs = [r.id for r in self.interrupted(channel) if r.id != by_run]
        if not runs:
            return 0
        now = datetime.now(UTC)
        with self.db.session() as s:
            result = s.execute(
                update(JournalRow)
                .where(JournalRow.run_id.in_(runs), JournalRow.state.in_(OPEN_STATES))
                .values(state="failed", error=f"interrupted; superseded by run {by_run}", updated_at=now)
            )
            s.execute(update(SyncRunRow).where(SyncRunRow.id.in_(runs)).values(finished_at=now, outcome="interrupted"))
            return int(result.rowcount or 0)  # type: ignore[attr-defined]

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
                    r.remote_id,
                    r.request_id,
                    r.attempts or 0,
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
