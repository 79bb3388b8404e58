"""The review queue: listings whose product could not be told with enough confidence, and decisions."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from oneprice.domain.money import Money


class ReviewState(StrEnum):
    PENDING = "pending"  # waiting for a person
    ACCEPTED = "accepted"  # the listing is `decided_sku`; its observations may alert from now on
    REJECTED = "rejected"  # not a product of the catalog; never alerts


class ListingReview(BaseModel):
    """One listing in the review queue; the decision holds for every later visit of the listing."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    listing_key: str
    target_id: str
    offer_key: str = ""
    platform: str
    url: str
    title: str | None = None
    seller_name: str | None = None
    price: Money | None = None
    suggested_sku: str | None = None
    confidence: Decimal = Field(default=Decimal(0), ge=0, le=1)
    reason: str | None = None
    state: ReviewState = ReviewState.PENDING
    decided_sku: str | None = None
    decided_at: datetime | None = None
    first_seen: datetime
    last_seen: datetime
    observation_id: int | None = None


class Decision(BaseModel):
    """What a reviewer decided for a listing (what the crawler needs to know)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    state: ReviewState
    sku: str | None = None
