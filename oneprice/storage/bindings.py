"""Binding repository: internal SKU <-> each channel's remote ids, for every channel kind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from oneprice.storage.db import Database
from oneprice.storage.tables import BindingRow


@dataclass(frozen=True)
class Binding:
    channel: str
    sku: str
    remote_id: str
    last_hash: str | None
    synced_at: datetime | None
    remote_modified: str | None


def _to_binding(row: BindingRow) -> Binding:
    return Binding(row.channel, row.sku, row.remote_id, row.last_hash, row.synced_at, row.remote_modified)


class BindingRepository:
    """Upserts commit at once, so a remote id is never lost once the channel has created it."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def for_channel(self, channel: str) -> dict[str, Binding]:
        with self.db.session() as s:
            rows = s.scalars(select(BindingRow).where(BindingRow.channel == channel))
            return {r.sku: _to_binding(r) for r in rows}

    def save(
        self,
        channel: str,
        sku: str,
        remote_id: str,
        *,
        last_hash: str | None = None,
        remote_modified: str | None = None,
        synced_at: datetime | None = None,
    ) -> None:
        with self.db.session() as s:
            row = s.scalars(
                select(BindingRow).where(BindingRow.channel == channel, BindingRow.sku == sku)
            ).one_or_none()
            if row is None:
                row = BindingRow(channel=channel, sku=sku)
                s.add(row)
            row.remote_id = remote_id
            if last_hash is not None:
                row.last_hash = last_hash
            if remote_modified is not None:
                row.remote_modified = remote_modified
            row.synced_at = synced_at or row.synced_at or datetime.now(UTC)

    def delete(self, channel: str, sku: str) -> None:
        with self.db.session() as s:
            for row in s.scalars(
                select(BindingRow).where(BindingRow.channel == channel, BindingRow.sku == sku)
            ):
                s.delete(row)
