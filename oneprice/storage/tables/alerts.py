"""Alert tables: episodes, one open per (rule, product, seller, platform)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from oneprice.storage.tables.base import BIGID, MONEY, Base, UTCDateTime


class AlertRow(Base):
    """An alert episode: one open row per (rule, product, seller, platform)."""

    __tablename__ = "alerts"
    __table_args__ = (
        Index(
            "uq_alerts_open_episode",
            "rule",
            "product_sku",
            "seller_key",
            "platform",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
        Index("ix_alerts_status_last_seen", "status", "last_seen"),
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
