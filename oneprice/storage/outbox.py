"""Outbox repository: enqueue idempotently, claim what is due, record success or a retry with backoff."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from oneprice.domain.outbox import OutboxItem, OutboxMessage, OutboxStatus
from oneprice.storage.db import Database
from oneprice.storage.tables import OutboxRow


def _to_item(r: OutboxRow) -> OutboxItem:
    return OutboxItem(
        id=r.id,
        dedupe_key=r.dedupe_key,
        route=r.route,
        kind=r.kind,
        mode=r.mode,
        alert_id=r.alert_id,
        severity=r.severity,
        subject=r.subject,
        body_text=r.body_text,
        body_html=r.body_html,
        status=OutboxStatus(r.status),
        attempts=r.attempts,
        next_attempt_at=r.next_attempt_at,
        last_error=r.last_error,
        created_at=r.created_at,
        sent_at=r.sent_at,
        bundle_id=r.bundle_id,
        recipient=r.recipient,
    )


def enqueue_in(s: Session, messages: Sequence[OutboxMessage], now: datetime) -> int:
    """Add messages inside the caller's transaction; a dedupe key already queued is skipped."""
    if not messages:
        return 0
    keys = [m.dedupe_key for m in messages]
    known = set(s.scalars(select(OutboxRow.dedupe_key).where(OutboxRow.dedupe_key.in_(keys))))
    added = 0
    for m in messages:
        if m.dedupe_key in known:
            continue
        known.add(m.dedupe_key)
        s.add(
            OutboxRow(
                **m.model_dump(),
                status=OutboxStatus.PENDING.value,
                attempts=0,
                next_attempt_at=now,
                created_at=now,
            )
        )
        added += 1
    s.flush()
    return added


class OutboxRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def enqueue(self, messages: Sequence[OutboxMessage], now: datetime) -> int:
        with self.db.session() as s:
            return enqueue_in(s, messages, now)

    def due(self, now: datetime, *, mode: str = "immediate", routes: Sequence[str] | None = None) -> list[OutboxItem]:
        """Pending messages of `mode` whose next attempt is due, oldest first."""
        with self.db.session() as s:
            q = select(OutboxRow).where(
                OutboxRow.status == OutboxStatus.PENDING.value,
                OutboxRow.mode == mode,
                OutboxRow.next_attempt_at <= now,
            )
            if routes is not None:
                q = q.where(OutboxRow.route.in_(list(routes)))
            return [_to_item(r) for r in s.scalars(q.order_by(OutboxRow.id))]

    def pending_digest(self, route: str) -> list[OutboxItem]:
        with self.db.session() as s:
            q = select(OutboxRow).where(
                OutboxRow.status == OutboxStatus.PENDING.value,
                OutboxRow.mode == "digest",
                OutboxRow.route == route,
            )
            return [_to_item(r) for r in s.scalars(q.order_by(OutboxRow.id))]

    def bundle(self, digest: OutboxMessage, item_ids: Sequence[int], now: datetime) -> int | None:
        """Enqueue one digest and mark its items bundled, in one transaction; None if already done."""
        with self.db.session() as s:
            if not enqueue_in(s, [digest], now):
                return None
            digest_id = s.scalar(select(OutboxRow.id).where(OutboxRow.dedupe_key == digest.dedupe_key))
            for row in s.scalars(select(OutboxRow).where(OutboxRow.id.in_(list(item_ids)))):
                row.status, row.bundle_id = OutboxStatus.BUNDLED.value, digest_id
            return digest_id

    def mark_sent(self, item_id: int, now: datetime) -> None:
        with self.db.session() as s:
            row = s.get(OutboxRow, item_id)
            if row is not None:
                row.status, row.sent_at, row.attempts = OutboxStatus.SENT.value, now, row.attempts + 1
                row.last_error = None

    def mark_failed(self, item_id: int, error: str, now: datetime, *, base: int, cap: int) -> datetime:
        """Keep the message pending; the next attempt waits base × 2^(attempts−1) seconds, at most cap."""
        with self.db.session() as s:
            row = s.get(OutboxRow, item_id)
            assert row is not None
            row.attempts += 1
            delay = min(cap, base * 2 ** min(row.attempts - 1, 30))
            row.next_attempt_at = now + timedelta(seconds=delay)
            row.last_error = error[:2000]
            return row.next_attempt_at

    def postpone(self, item_id: int, until: datetime) -> None:
        """Move a message's next attempt without counting an attempt (its route just failed)."""
        with self.db.session() as s:
            row = s.get(OutboxRow, item_id)
            if row is not None and row.status == OutboxStatus.PENDING.value:
                row.next_attempt_at = max(row.next_attempt_at, until)

    def list(self, *, status: OutboxStatus | None = None, limit: int = 200) -> list[OutboxItem]:
        with self.db.session() as s:
            q = select(OutboxRow)
            if status is not None:
                q = q.where(OutboxRow.status == status.value)
            return [_to_item(r) for r in s.scalars(q.order_by(OutboxRow.id.desc()).limit(limit))]

    def counts(self) -> dict[str, int]:
        with self.db.session() as s:
            rows = s.execute(select(OutboxRow.status, func.count()).group_by(OutboxRow.status))
            return {status: n for status, n in rows}
