"""Sync tables: bindings (SKU <-> remote ids), runs, the per-action journal, dead letters, channel state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
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
    """One action of a sync run: planned -> sent -> accepted -> verified, or failed."""

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
    remote_id: Mapped[str | None] = mapped_column(String(128))
    request_id: Mapped[str | None] = mapped_column(String(128))
    """The channel's request or submission id for the call that carried this action."""
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class DeadLetterRow(Base):
    """An action that kept failing after every attempt; `oneprice sync retry` sends it again."""

    __tablename__ = "sync_dead_letters"
    __table_args__ = (UniqueConstraint("channel", "sku", name="uq_sync_dead_letters_channel_sku"),)

    id: Mapped[int] = mapped_column(BIGID, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(64))
    sku: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    error: Mapped[str] = mapped_column(Text)
    retryable: Mapped[bool] = mapped_column(Boolean, default=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    run_id: Mapped[int | None] = mapped_column(BIGID)
    first_failed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_failed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ChannelStateRow(Base):
    """Per-channel switches kept in the database: paused (with who/why) for `sync pause`/`resume`."""

    __tablename__ = "sync_channel_state"

    channel: Mapped[str] = mapped_column(String(64), primary_key=True)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str | None] = mapped_column(Text)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime())
