"""What a channel listing should look like (desired) and what it looks like (remote)."""

from __future__ import annotations

import hashlib
import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from oneprice.domain.money import Money

ListingStatus = Literal["active", "inactive"]


class ListingState(BaseModel):
    """The fields oneprice manages on a channel listing."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sku: str
    name: str
    price: Money
    stock: int = Field(ge=0)
    status: ListingStatus = "active"

    def fingerprint(self) -> str:
        """Stable hash of the managed fields; equal states hash equal."""
        doc = {
            "sku": self.sku,
            "name": self.name,
            "price": str(self.price.amount),
            "currency": self.price.currency,
            "stock": self.stock,
            "status": self.status,
        }
        return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()[:16]


class RemoteListing(BaseModel):
    """A listing as the channel reports it, with the channel's own ids."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    remote_id: str
    state: ListingState
    modified: str | None = None
