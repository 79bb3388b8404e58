"""Binding repository: internal SKU <-> each channel's remote ids, for every channel kind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, insert, select, update

from oneprice.storage.db import Database, chunks, rowcount
from oneprice.storage.tables import BindingRow


@dataclass(frozen=True)
class Binding:
    channel: str
    sku: str
    remote_id: str
    last_hash: str | None
    synced_at: datetime | None
    remote_modified: str | None


class BindingRepository:
    """Upserts commit at once, so a remote id is never lost once the channel has created it."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def for_channel(self, channel: str) -> dict[str, Binding]:
        """Every binding of the channel by SKU (plain rows, no ORM objects: 100k bindings stay cheap)."""
        t = BindingRow.__table__
        query = select(t.c.sku, t.c.remote_id, t.c.last_hash, t.c.synced_at, t.c.remote_modified).where(
            t.c.channel == channel
        )
        with self.db.session() as s:
            return {
                sku: Binding(channel, sku, remote_id, last_hash, synced_at, modified)
                for sku, remote_id, last_hash, synced_at, modified in s.execute(query)
            }

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

    def save_many(self, channel: str, items: list[Binding]) -> None:
        """Upsert many bindings of one channel in one transaction (linking a large catalog).

        Unset fields (None) of an existing binding keep their stored value, as in `save`.
        """
        if not items:
            return
        now = datetime.now(UTC)
        t = BindingRow.__table__
        wanted = {b.sku: b for b in items}
        with self.db.session() as s:
            existing: dict[str, tuple[int, str | None, str | None, datetime | None]] = {}
            skus = list(wanted)
            for chunk in chunks(skus):
                query = select(t.c.sku, t.c.id, t.c.last_hash, t.c.remote_modified, t.c.synced_at).where(
                    t.c.channel == channel, t.c.sku.in_(chunk)
                )
                existing.update({sku: (rid, h, m, at) for sku, rid, h, m, at in s.execute(query)})
            inserts: list[dict[str, Any]] = []
            updates: list[dict[str, Any]] = []
            for sku, b in wanted.items():
                row: dict[str, Any] = {
                    "remote_id": b.remote_id,
                    "last_hash": b.last_hash,
                    "remote_modified": b.remote_modified,
                    "synced_at": b.synced_at,
                }
                if sku not in existing:
                    inserts.append({**row, "channel": channel, "sku": sku, "synced_at": b.synced_at or now})
                    continue
                row_id, last_hash, modified, synced_at = existing[sku]
                row["id"] = row_id
                row["last_hash"] = b.last_hash if b.last_hash is not None else last_hash
                row["remote_modified"] = b.remote_modified if b.remote_modified is not None else modified
                row["synced_at"] = b.synced_at or synced_at or now
                updates.append(row)
            if inserts:
                s.execute(insert(BindingRow), inserts)
            if updates:
                s.execute(update(BindingRow), updates)

    def forget_channel(self, channel: str) -> int:
        """Drop every binding of a channel (its store was replaced by an empty one); returns how many."""
        with self.db.session() as s:
            return rowcount(s.execute(delete(BindingRow).where(BindingRow.channel == channel)))

    def delete(self, channel: str, sku: str) -> None:
        with self.db.session() as s:
            for row in s.scalars(select(BindingRow).where(BindingRow.channel == channel, BindingRow.sku == sku)):
                s.delete(row)
