"""Crawl tables: observations, the evidence pages they were read from, the listing review queue, validators."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from oneprice.storage.tables.base import BIGID, MONEY, Base, UTCDateTime


class EvidenceRow(Base):
    """A page body kept as evidence, stored once per content hash (gzip)."""

    __tablename__ = "evidence"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    body_gz: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ObservationRow(Base):
    __tablename__ = "observations"
    __table_args__ = (
        Index("ix_observations_product_seller", "product_sku", "platform", "seller_key"),
        # Per target in time order, and covering the alert engine's reads per target (price
        # history without ranges, newest OK reading); it replaced (target_id, observed_at), its prefix.
        Index(
            "ix_observations_target_history",
            "target_id",
            "observed_at",
            "id",
            "status",
            "currency",
            "price",
            "seller_key",
            "price_kind",
        ),
    )

    id: Mapped[int] = mapped_column(BIGID, primary_key=True, autoincrement=True)
    target_id: Mapped[str] = mapped_column(String(128))
    url: Mapped[str] = mapped_column(Text)
    platform: Mapped[str] = mapped_column(String(32))
    observed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    price: Mapped[Decimal | None] = mapped_column(MONEY)
    currency: Mapped[str | None] = mapped_column(String(3))
    raw_price: Mapped[str | None] = mapped_column(Text)
    method: Mapped[str | None] = mapped_column(String(32))
    confidence: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    seller_name: Mapped[str | None] = mapped_column(Text)
    seller_key: Mapped[str | None] = mapped_column(String(160))
    reseller_id: Mapped[str | None] = mapped_column(String(64))
    product_sku: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str | None] = mapped_column(Text)
    listing_sku: Mapped[str | None] = mapped_column(String(128))
    listing_gtin: Mapped[str | None] = mapped_column(String(14))
    evidence_sha256: Mapped[str | None] = mapped_column(ForeignKey("evidence.sha256"))
    price_kind: Mapped[str | None] = mapped_column(String(8))
    price_high: Mapped[Decimal | None] = mapped_column(MONEY)
    shipping: Mapped[Decimal | None] = mapped_column(MONEY)
    offer_key: Mapped[str] = mapped_column(String(128), default="", server_default="")
    visit: Mapped[str | None] = mapped_column(String(32))
    match_method: Mapped[str | None] = mapped_column(String(16))


class ListingReviewRow(Base):
    """A listing waiting for (or carrying) a reviewer's decision about which product it is."""

    __tablename__ = "listing_reviews"
    __table_args__ = (Index("ix_listing_reviews_state", "state"),)

    listing_key: Mapped[str] = mapped_column(String(255), primary_key=True)
    target_id: Mapped[str] = mapped_column(String(128))
    offer_key: Mapped[str] = mapped_column(String(128), default="")
    platform: Mapped[str] = mapped_column(String(32))
    url: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    seller_name: Mapped[str | None] = mapped_column(Text)
    price: Mapped[Decimal | None] = mapped_column(MONEY)
    currency: Mapped[str | None] = mapped_column(String(3))
    suggested_sku: Mapped[str | None] = mapped_column(String(64))
    confidence: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    reason: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    decided_sku: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime())
    observation_id: Mapped[int | None] = mapped_column(BIGID)


class DiscoveredSellerRow(Base):
    """A seller seen on search result pages; `reseller_id` is None while nobody knows who it is."""

    __tablename__ = "discovered_sellers"

    seller_key: Mapped[str] = mapped_column(String(160), primary_key=True)
    platform: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    reseller_id: Mapped[str | None] = mapped_column(String(64))
    listings: Mapped[int] = mapped_column(Integer, default=0)
    example_url: Mapped[str | None] = mapped_column(Text)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime())


class PageValidatorRow(Base):
    """What a target's page last answered that lets the next visit ask "changed since?".

    `etag` and `last_modified` are the validators of the last full (200) answer whose page was
    stored; `evidence_sha256` is that page in `evidence`, read again when the site answers
    304 Not Modified. `answer` says how the newest visit went (`full`, `modified`,
    `not_modified`, `evidence_missing`); `not_modified` counts the 304 answers.
    No foreign key to `evidence`: retention may drop the page, and a 304 then falls back to a
    plain request.
    """

    __tablename__ = "page_validators"

    target_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    etag: Mapped[str | None] = mapped_column(String(255))
    last_modified: Mapped[str | None] = mapped_column(String(64))
    evidence_sha256: Mapped[str | None] = mapped_column(String(64))
    stored_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answer: Mapped[str | None] = mapped_column(String(16))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    not_modified: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
