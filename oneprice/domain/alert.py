"""Violations found by rules, and the alert episodes they open."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from oneprice.domain.money import Money


class AlertStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


class Violation(BaseModel):
    """What a rule found in one observation; the episode key is (rule, product, seller, platform)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule: str
    product_sku: str
    seller_key: str
    seller_name: str | None
    reseller_id: str | None
    platform: str
    unified_price: Money
    observed_price: Money | None
    gap_percent: Decimal | None
    severity: Severity
    message: str
    url: str
    observation_id: int | None
    observed_at: datetime

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.rule, self.product_sku, self.seller_key, self.platform)


class Alert(BaseModel):
    """An alert episode as stored: open while the violation lasts."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: int
    rule: str
    status: AlertStatus
    severity: Severity
    product_sku: str
    seller_key: str
    seller_name: str | None
    reseller_id: str | None
    platform: str
    unified_price: Money
    observed_price: Money | None
    gap_percent: Decimal | None
    message: str
    url: str | None
    observation_id: int | None
    first_seen: datetime
    last_seen: datetime
    resolved_at: datetime | None

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.rule, self.product_sku, self.seller_key, self.platform)
