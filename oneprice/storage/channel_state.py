"""Channel state repository: which channels sync is paused on, since when and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from oneprice.storage.db import Database
from oneprice.storage.tables.sync import ChannelStateRow


@dataclass(frozen=True)
class ChannelState:
    channel: str
    paused: bool
    reason: str | None
    changed_at: datetime


class ChannelStateRepository:
    """`oneprice sync pause C` / `resume C` write here; plan and apply read it."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def set_paused(self, channel: str, paused: bool, reason: str | None = None) -> None:
        with self.db.session() as s:
            row = s.get(ChannelStateRow, channel)
            if row is None:
                row = ChannelStateRow(channel=channel)
                s.add(row)
            row.paused, row.reason, row.changed_at = paused, reason, datetime.now(UTC)

    def get(self, channel: str) -> ChannelState | None:
        with self.db.session() as s:
            row = s.get(ChannelStateRow, channel)
            return ChannelState(row.channel, row.paused, row.reason, row.changed_at) if row else None

    def paused(self) -> dict[str, ChannelState]:
        with self.db.session() as s:
            rows = s.scalars(select(ChannelStateRow).where(ChannelStateRow.paused.is_(True)))
            return {r.channel: ChannelState(r.channel, r.paused, r.reason, r.changed_at) for r in rows}
