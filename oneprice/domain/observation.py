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
    HTTP_ERROR = "http_error"  # 4xx/5xx, timeout


class Observation(BaseModel):
    """One page visit. Only OK observations feed alerts; UNMATCHED may keep the price it read."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    target_id: str
    url: str
    platform: str
    observed_at: datetime
    status: ObservationStatus
    reason: str | None = None
    price: Money | None = None
    raw_price: str | None = None
    method: str | None = None  # json-ld, microdata, rdfa, opengraph, text
    confidence: Decimal = Field(default=Decimal(0), ge=0, le=1)
    seller_name: str | None = None
    reseller_id: str | None = None  # known reseller recognised from seller_name
    product_sku: str | None = None
    title: str | None = None
    listing_sku: str | None = None
    listing_gtin: str | None = None
    evidence_sha256: str | None = None
    id: int | None = None


def seller_key(reseller_id: str | None, seller_name: str | None) -> str:
    """The identity of a seller across observations: the known reseller id, else the normalised name."""
    if reseller_id:
        return reseller_id
    if seller_name:
        return "name:" + " ".join(unicodedata.normalize("NFKC", seller_name).casefold().split())[:150]
    return "unknown"
