"""Sync tables: bindings (SKU <-> remote ids), runs and the per-action journal."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from oneprice.storage.tables.base import BIGID, Base, UTCDateTime


class BindingRow(Base):
    """Internal SKU <-> one channel's ids (the binder)."""

    __tablename__ = "bindings"
    __table_args__ = (UniqueConstraint("channel", "sku", name="uq_bindings_channel_sku"),)

    id: Mapped[int] = mapped_column(BIGID, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(64))
    sku: Mapped[str] = mapped_column(String(64))
    remote_id: Mapped[str] = mapped_column(String(128))
    last_hash: Mapped[str | None] = mapped_column(String(64))
    synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    remote_modified: Mapped[str | None] = mapped_column(String(64))


class SyncRunRow(Base):
    __tablename__ = "sync_runs"

    id: Mapped[int] = mapped_column(BIGID, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str | None] = mapped_column(String(32))
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class JournalRow(Base):
    """One action of a sync run: planned -> sent -> accepted | failed."""

    __tablename__ = "sync_journal"
    __table_args__ = (Index("ix_sync_journal_channel_sku", "channel", "sku"),)

    id: Mapped[int] = mapped_column(BIGID, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("sync_runs.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(64))
    sku: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
