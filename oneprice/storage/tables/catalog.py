"""Tables mirroring the configuration: products, channels, resellers, watch targets."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from oneprice.storage.tables.base import MONEY, Base, UTCDateTime


class ProductRow(Base):
    __tablename__ = "products"

    sku: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    parent_sku: Mapped[str | None] = mapped_column(String(64))
    gtin: Mapped[str | None] = mapped_column(String(14), index=True)
    model: Mapped[str | None] = mapped_column(String(64))
    color: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[str | None] = mapped_column(String(32))
    product_line: Mapped[str | None] = mapped_column(String(64))
    unified_price: Mapped[Decimal] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3))
    stock: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16))
    channels: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ChannelRow(Base):
    __tablename__ = "channels"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    platform: Mapped[str] = mapped_column(String(32))
    currency: Mapped[str] = mapped_column(String(3))
    enabled: Mapped[bool] = mapped_column(default=True)


class ResellerRow(Base):
    __tablename__ = "resellers"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    authorized: Mapped[bool] = mapped_column(default=True)
    own_store: Mapped[bool] = mapped_column(default=False)
    platforms: Mapped[list[str]] = mapped_column(JSON, default=list)


class WatchTargetRow(Base):
    """A page the crawler visits: from the config (`source` "config") or found by discovery.

    The health columns say how the last visits went; a target that keeps failing waits until
    `next_due_at` before it is visited again. A discovered target keeps the one price its search
    result showed last (`search_price` in `search_currency`, None when the page's currency is not
    known, seen at `search_price_seen_at`): a lead, never an observation.
    """

    __tablename__ = "watch_targets"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    platform: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16), default="listing")
    active: Mapped[bool] = mapped_column(default=True)
    source: Mapped[str] = mapped_column(String(16), default="config", server_default="config")
    title: Mapped[str | None] = mapped_column(Text)
    seller_name: Mapped[str | None] = mapped_column(Text)
    discovered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_visit_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_status: Mapped[str | None] = mapped_column(String(16))
    last_reason: Mapped[str | None] = mapped_column(Text)
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    search_price: Mapped[Decimal | None] = mapped_column(MONEY)
    search_currency: Mapped[str | None] = mapped_column(String(3))
    search_price_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
