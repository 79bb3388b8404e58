"""An observation: what one crawl of one page saw, price or the reason there was none."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from oneprice.domain.money import Money


class ObservationStatus(StrEnum):
    """Only `ok` observations carry a price; every other status says why there is none."""

    OK = "ok"
    BLOCKED = "blocked"  # captcha, login wall, anti-bot page
    NO_PRICE = "no_price"  # page read but no price on it (sold out, removed)
    UNMATCHED = "unmatched"  # price read, but not a product of the catalog
    REVIEW = "review"  # price read, product guessed with too little confidence: a person decides
    HTTP_ERROR = "http_error"  # 4xx/5xx, timeout


# `Observation.price_kind` of a price that is the low end of a range ("¥128.00-168.00") or a "from" price
# ("¥99起", "From £59.00", an auction's current bid: no top, `price_high` None).
RANGE = "range"


class Observation(BaseModel):
    """One offer seen on one page visit. Only OK observations feed alerts.

    UNMATCHED and REVIEW keep the price they read (for the record, never for a rule). A page with
    several offers (sellers or variants) gives one observation per offer, told apart by
    `offer_key` and sharing one `visit`. `price` is what a buyer pays for the product; a
    range keeps its top in `price_high`; shipping is kept apart in `shipping`.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    target_id: str
    url: str
    platform: str
    observed_at: datetime
    status: ObservationStatus
    reason: str | None = None
    price: Money | None = None
    raw_price: str | None = None
    method: str | None = None  # json-ld, microdata, rdfa, opengraph, profile:<name>, text
    confidence: Decimal = Field(default=Decimal(0), ge=0, le=1)  # price confidence x match confidence
    seller_name: str | None = None
    reseller_id: str | None = None  # known reseller recognised from seller_name
    product_sku: str | None = None
    title: str | None = None
    listing_sku: str | None = None
    listing_gtin: str | None = None
    evidence_sha256: str | None = None
    price_kind: str | None = None  # sale, list, range, coupon
    price_high: Decimal | None = None
    shipping: Decimal | None = None  # in the price's currency
    offer_key: str = ""
    visit: str | None = None
    match_method: str | None = None  # gtin, sku, model, title, review
    id: int | None = None

    @property
    def listing_key(self) -> str:
        """The listing this offer is, across visits: a review decision is remembered per listing."""
        return listing_key(self.target_id, self.offer_key)


def listing_key(target_id: str, offer_key: str = "") -> str:
    return f"{target_id}#{offer_key}"[:255] if offer_key else target_id


def seller_key(reseller_id: str | None, seller_name: str | None) -> str:
    """The identity of a seller across observations: the known reseller id, else the normalised name."""
    if reseller_id:
        return reseller_id
    if seller_name:
        return "name:" + " ".join(unicodedata.normalize("NFKC", seller_name).casefold().split())[:150]
    return "unknown"
