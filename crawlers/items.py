"""The item the `watch` spider yields: one offer of one visited page, ready to become an Observation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from oneprice.domain.money import Money
from oneprice.domain.observation import Observation, ObservationStatus


@dataclass
class ListingItem:
    """One page visit as plain values (so feed exports work); `ObservationPipeline` stores it.

    `evidence` is the page body; the pipeline keeps it as evidence and then drops it from the item.
    """

    target_id: str
    url: str
    platform: str
    observed_at: datetime
    status: ObservationStatus
    reason: str | None = None
    price: Decimal | None = None
    currency: str | None = None
    raw_price: str | None = None
    method: str | None = None
    confidence: Decimal = Decimal(0)
    seller_name: str | None = None
    reseller_id: str | None = None
    product_sku: str | None = None
    title: str | None = None
    listing_sku: str | None = None
    listing_gtin: str | None = None
    evidence: bytes | None = field(default=None, repr=False)
    content_type: str = "text/html"
    observation_id: int | None = None
    price_kind: str | None = None
    price_high: Decimal | None = None
    shipping: Decimal | None = None
    offer_key: str = ""
    visit: str | None = None
    match_method: str | None = None

    def to_observation(self) -> Observation:
        price = Money.of(self.price, self.currency) if self.price is not None and self.currency else None
        return Observation(
            target_id=self.target_id,
            url=self.url,
            platform=self.platform,
            observed_at=self.observed_at,
            status=self.status,
            reason=self.reason,
            price=price,
            raw_price=self.raw_price,
            method=self.method,
            confidence=self.confidence,
            seller_name=self.seller_name,
            reseller_id=self.reseller_id,
            product_sku=self.product_sku,
            title=self.title,
            listing_sku=self.listing_sku,
            listing_gtin=self.listing_gtin,
            price_kind=self.price_kind,
            price_high=self.price_high,
            shipping=self.shipping,
            offer_key=self.offer_key,
            visit=self.visit,
            match_method=self.match_method,
        )
