"""Catalog repository: mirrors the configured catalog, channels, resellers and watch targets."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from oneprice.domain.catalog import Catalog, Reseller, WatchTarget
from oneprice.settings.models import ChannelSettings
from oneprice.storage.db import Database
from oneprice.storage.tables import Base, ChannelRow, ProductRow, ResellerRow, WatchTargetRow


def _upsert(s: Session, table: type[Base], key: str, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT .. ON CONFLICT (key) DO UPDATE: processes starting together mirror the config safely."""
    if not rows:
        return
    dialect = s.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(table)
    columns = [c for c in rows[0] if c != key]
    s.execute(
        stmt.on_conflict_do_update(index_elements=[key], set_={c: stmt.excluded[c] for c in columns}),
        list(rows),
    )


class CatalogRepository:
    """Keeps the database's copy of the configuration in step (upserts; removed targets go inactive)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def sync(
        self,
        catalog: Catalog,
        channels: tuple[ChannelSettings, ...],
        resellers: tuple[Reseller, ...],
        targets: tuple[WatchTarget, ...],
    ) -> None:
        now = datetime.now(UTC)
        products = [
            {
                "sku": p.sku,
                "name": p.name,
                "parent_sku": p.parent_sku,
                "gtin": p.gtin,
                "model": p.model,
                "color": p.color,
                "size": p.size,
                "product_line": p.product_line,
                "unified_price": p.unified_price.amount,
                "currency": p.unified_price.currency,
                "stock": p.stock,
                "status": p.status,
                "channels": list(p.channels),
                "updated_at": now,
            }
            for p in catalog.products
        ]
        with self.db.session() as s:
            _upsert(s, ProductRow, "sku", products)
            _upsert(
                s,
                ChannelRow,
                "name",
                [
                    {
                        "name": c.name,
                        "kind": c.kind,
                        "platform": c.platform,
                        "currency": c.currency,
                        "enabled": c.enabled,
                    }
                    for c in channels
                ],
            )
            _upsert(
                s,
                ResellerRow,
                "id",
                [
                    {
                        "id": r.id,
                        "name": r.name,
                        "aliases": list(r.aliases),
                        "authorized": r.authorized,
                        "own_store": r.own_store,
                        "platforms": list(r.platforms),
                    }
                    for r in resellers
                ],
            )
            _upsert(
                s,
                WatchTargetRow,
                "id",
                [{"id": t.id, "url": t.url, "platform": t.platform, "kind": t.kind, "active": True} for t in targets],
            )
            wanted = [t.id for t in targets]
            s.execute(
                update(WatchTargetRow)
                .where(
                    WatchTargetRow.active.is_(True),
                    WatchTargetRow.id.not_in(wanted),
                    WatchTargetRow.source == "config",  # discovered targets are not in the config
                )
                .values(active=False)
                .execution_options(synchronize_session=False)
            )

    def product_count(self) -> int:
        with self.db.session() as s:
            return len(s.scalars(select(ProductRow.sku)).all())
