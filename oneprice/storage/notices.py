"""Notice repository: drafts and sent notices per seller; the sent ones count as escalation stages."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select

from oneprice.domain.notice import Notice, NoticeStatus
from oneprice.domain.outbox import OutboxMessage
from oneprice.errors import UserError
from oneprice.storage.db import Database
from oneprice.storage.outbox import enqueue_in
from oneprice.storage.tables import NoticeRow


def _to_notice(r: NoticeRow) -> Notice:
    return Notice(
        id=r.id,
        seller_key=r.seller_key,
        seller_name=r.seller_name,
        stage=r.stage,
        language=r.language,
        alert_ids=tuple(int(x) for x in r.alert_ids.split(",") if x),
        subject=r.subject,
        body_text=r.body_text,
        body_html=r.body_html,
        status=NoticeStatus(r.status),
        created_at=r.created_at,
        sent_at=r.sent_at,
        sent_via=r.sent_via,
        recipient=r.recipient,
    )


class NoticeRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def sent_count(self, seller_key: str) -> int:
        with self.db.session() as s:
            return (
                s.scalar(
                    select(func.count())
                    .select_from(NoticeRow)
                    .where(NoticeRow.seller_key == seller_key, NoticeRow.status == NoticeStatus.SENT.value)
                )
                or 0
            )

    def add_draft(
        self,
        *,
        seller_key: str,
        seller_name: str | None,
        stage: int,
        language: str,
        alert_ids: Sequence[int],
        subject: str,
        body_text: str,
        body_html: str,
        now: datetime,
    ) -> Notice:
        with self.db.session() as s:
            row = NoticeRow(
                seller_key=seller_key,
                seller_name=seller_name,
                stage=stage,
                language=language,
                alert_ids=",".join(str(i) for i in alert_ids),
                subject=subject,
                body_text=body_text,
                body_html=body_html,
                status=NoticeStatus.DRAFT.value,
                created_at=now,
            )
            s.add(row)
            s.flush()
            return _to_notice(row)

    def get(self, notice_id: int) -> Notice | None:
        with self.db.session() as s:
            row = s.get(NoticeRow, notice_id)
            return _to_notice(row) if row else None

    def send(self, notice_id: int, message: OutboxMessage, now: datetime) -> Notice:
        """Mark a draft sent and queue its message in one transaction; sending twice is refused."""
        with self.db.session() as s:
            row = s.get(NoticeRow, notice_id, with_for_update=True)
            if row is None:
                raise UserError(f"no notice #{notice_id}")
            if row.status == NoticeStatus.SENT.value:
                raise UserError(f"notice #{notice_id} was sent already ({row.sent_at:%Y-%m-%d %H:%M} UTC)")
            enqueue_in(s, [message], now)
            row.status, row.sent_at, row.sent_via = NoticeStatus.SENT.value, now, message.route
            row.recipient = message.recipient
            s.flush()
            return _to_notice(row)

    def list(self, *, seller_key: str | None = None) -> list[Notice]:
        with self.db.session() as s:
            q = select(NoticeRow)
            if seller_key is not None:
                q = q.where(NoticeRow.seller_key == seller_key)
            return [_to_notice(r) for r in s.scalars(q.order_by(NoticeRow.id))]
