"""Alert tables: episodes (one active per key), their state history, dismissals, outbox, notices."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from oneprice.storage.tables.base import BIGID, MONEY, Base, UTCDateTime

ACTIVE_WHERE = "status IN ('pending', 'open', 'acknowledged')"


class AlertRow(Base):
    """An alert episode: one active (pending, open, acknowledged) row per (rule, product, seller, platform)."""

    __tablename__ = "alerts"
    __table_args__ = (
        Index(
            "uq_alerts_active_episode",
            "rule",
            "product_sku",
            "seller_key",
            "platform",
            unique=True,
            sqlite_where=text(ACTIVE_WHERE),
            postgresql_where=text(ACTIVE_WHERE),
        ),
        Index("ix_alerts_status_last_seen", "status", "last_seen"),
        Index("ix_alerts_status_id", "status", "id"),
        Index("ix_alerts_seller_rule", "seller_key", "rule", "first_seen"),
        Index("ix_alerts_product_platform", "product_sku", "platform"),
    )

    id: Mapped[int] = mapped_column(BIGID, primary_key=True, autoincrement=True)
    rule: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    severity: Mapped[str] = mapped_column(String(16))
    product_sku: Mapped[str] = mapped_column(String(64))
    seller_key: Mapped[str] = mapped_column(String(160))
    seller_name: Mapped[str | None] = mapped_column(Text)
    reseller_id: Mapped[str | None] = mapped_column(String(64))
    platform: Mapped[str] = mapped_column(String(32))
    observed_price: Mapped[Decimal | None] = mapped_column(MONEY)
    unified_price: Mapped[Decimal] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3))
    gap_percent: Mapped[Decimal | None] = mapped_column(MONEY)
    message: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    observation_id: Mapped[int | None] = mapped_column(ForeignKey("observations.id"))
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    observations: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    repeat: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    clear_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    note: Mapped[str | None] = mapped_column(Text)


class AlertEventRow(Base):
    """One state change of an episode, with who made it and when."""

    __tablename__ = "alert_events"
    __table_args__ = (Index("ix_alert_events_alert_id", "alert_id", "id"),)

    id: Mapped[int] = mapped_column(BIGID, primary_key=True, autoincrement=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(64))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)


class AlertDismissalRow(Base):
    """A dismissed false positive: the same key at the same or a smaller gap is not raised again."""

    __tablename__ = "alert_dismissals"
    __table_args__ = (Index("ix_alert_dismissals_key", "rule", "product_sku", "seller_key", "platform"),)

    id: Mapped[int] = mapped_column(BIGID, primary_key=True, autoincrement=True)
    rule: Mapped[str] = mapped_column(String(32))
    product_sku: Mapped[str] = mapped_column(String(64))
    seller_key: Mapped[str] = mapped_column(String(160))
    platform: Mapped[str] = mapped_column(String(32))
    gap_percent: Mapped[Decimal | None] = mapped_column(MONEY)
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alerts.id"))


class OutboxRow(Base):
    """A message waiting for (or done with) delivery to one route; `dedupe_key` makes enqueueing idempotent."""

    __tablename__ = "alert_outbox"
    __table_args__ = (Index("ix_alert_outbox_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(BIGID, primary_key=True, autoincrement=True)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    route: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    mode: Mapped[str] = mapped_column(String(16))
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alerts.id"))
    severity: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(Text)
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    bundle_id: Mapped[int | None] = mapped_column(BIGID)
    recipient: Mapped[str | None] = mapped_column(String(320))
    """An address that replaces the route's own `to=` (a notice to a reseller)."""


class NoticeRow(Base):
    """A violation notice to a reseller, at one escalation stage."""

    __tablename__ = "alert_notices"
    __table_args__ = (Index("ix_alert_notices_seller", "seller_key", "stage"),)

    id: Mapped[int] = mapped_column(BIGID, primary_key=True, autoincrement=True)
    seller_key: Mapped[str] = mapped_column(String(160))
    seller_name: Mapped[str | None] = mapped_column(Text)
    stage: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(8))
    alert_ids: Mapped[str] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(Text)
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_via: Mapped[str | None] = mapped_column(String(64))
    recipient: Mapped[str | None] = mapped_column(String(320))
