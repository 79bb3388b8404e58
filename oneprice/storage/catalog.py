"""Catalog repository: mirrors the configured catalog, channels, resellers and watch targets."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from oneprice.domain.catalog import Catalog, Reseller, WatchTarget
from oneprice.settings.models import ChannelSettings
from oneprice.storage.db import Database
from oneprice.storage.tables import ChannelRow, ProductRow, ResellerRow, WatchTargetRow


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
        with self.db.session() as s:
            for p in catalog.products:
                row = s.get(ProductRow, p.sku) or ProductRow(sku=p.sku)
                row.name, row.parent_sku, row.gtin, row.model = p.name, p.parent_sku, p.gtin, p.model
                row.color, row.size, row.product_line = p.color, p.size, p.product_line
                row.unified_price, row.currency = p.unified_price.amount, p.unified_price.currency
                row.stock, row.status, row.channels, row.updated_at = p.stock, p.status, list(p.channels), now
                s.add(row)
            for c in channels:
                ch = s.get(ChannelRow, c.name) or ChannelRow(name=c.name)
                ch.kind, ch.platform, ch.currency, ch.enabled = c.kind, c.platform, c.currency, c.enabled
                s.add(ch)
            for r in resellers:
                rr = s.get(ResellerRow, r.id) or ResellerRow(id=r.id)
                rr.name, rr.aliases, rr.authorized = r.name, list(r.aliases), r.authorized
                rr.own_store, rr.platforms = r.own_store, list(r.platforms)
                s.add(rr)
            wanted = {t.id for t in targets}
            for t in targets:
                wt = s.get(WatchTargetRow, t.id) or WatchTargetRow(id=t.id)
                wt.url, wt.platform, wt.kind, wt.active = t.url, t.platform, t.kind, True
                s.add(wt)
            for wt in s.scalars(select(WatchTargetRow).where(WatchTargetRow.active.is_(True))):
                if wt.id not in wanted:
                    wt.active = False

    def product_count(self) -> int:
        with self.db.session() as s:
            return len(s.scalars(select(ProductRow.sku)).all())
