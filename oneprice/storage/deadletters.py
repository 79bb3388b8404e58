"""Dead-letter repository: sync actions that failed every attempt, kept until a retry succeeds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, select

from oneprice.storage.db import Database, chunks
from oneprice.storage.tables.sync import DeadLetterRow


@dataclass(frozen=True)
class DeadLetter:
    channel: str
    sku: str
    action: str
    error: str
    retryable: bool
    attempts: int
    run_id: int | None
    first_failed_at: datetime
    last_failed_at: datetime


def _to_letter(r: DeadLetterRow) -> DeadLetter:
    return DeadLetter(
        r.channel,
        r.sku,
        r.action,
        r.error,
        r.retryable,
        r.attempts,
        r.run_id,
        r.first_failed_at,
        r.last_failed_at,
    )


class DeadLetterRepository:
    """One letter per (channel, SKU): a new failure refreshes it, a success clears it."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def put(
        self,
        channel: str,
        sku: str,
        action: str,
        error: str,
        *,
        retryable: bool,
        attempts: int,
        run_id: int | None = None,
        now: datetime | None = None,
    ) -> None:
        now = now or datetime.now(UTC)
        with self.db.session() as s:
            row = s.scalars(
                select(DeadLetterRow).where(DeadLetterRow.channel == channel, DeadLetterRow.sku == sku)
            ).one_or_none()
            if row is None:
                row = DeadLetterRow(channel=channel, sku=sku, first_failed_at=now, attempts=0)
                s.add(row)
            row.action, row.error, row.retryable, row.run_id = action, error, retryable, run_id
            row.attempts = (row.attempts or 0) + attempts
            row.last_failed_at = now

    def clear(self, channel: str, skus: list[str] | None = None) -> int:
        """Remove the channel's letters (all, or those of `skus`); returns how many went."""
        query = delete(DeadLetterRow).where(DeadLetterRow.channel == channel)
        with self.db.session() as s:
            if skus is None:
                return int(s.execute(query).rowcount or 0)  # type: ignore[attr-defined]
            removed = 0
            for chunk in chunks(skus):
                removed += int(s.execute(query.where(DeadLetterRow.sku.in_(chunk))).rowcount or 0)  # type: ignore[attr-defined]
            return removed

    def list(self, channel: str | None = None) -> list[DeadLetter]:
        with self.db.session() as s:
            query = select(DeadLetterRow).order_by(DeadLetterRow.channel, DeadLetterRow.sku)
            if channel is not None:
                query = query.where(DeadLetterRow.channel == channel)
            return [_to_letter(r) for r in s.scalars(query)]
