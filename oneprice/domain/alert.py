"""Violations found by rules, the alert episodes they open, and the episodes' state history."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict

from oneprice.domain.money import Money


class AlertStatus(StrEnum):
    """An episode's life: pending (in its grace period) → open → acknowledged → resolved | dismissed."""

    PENDING = "pending"
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"
    DISMISSED = "dismissed"

    @property
    def active(self) -> bool:
        return self in ACTIVE_STATUSES


ACTIVE_STATUSES = frozenset({AlertStatus.PENDING, AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED})

# Who may move an episode where: the engine opens and resolves, people acknowledge, resolve, dismiss.
TRANSITIONS: dict[AlertStatus, frozenset[AlertStatus]] = {
    AlertStatus.PENDING: frozenset({AlertStatus.OPEN, AlertStatus.DISMISSED}),
    AlertStatus.OPEN: frozenset({AlertStatus.ACKNOWLEDGED, AlertStatus.RESOLVED, AlertStatus.DISMISSED}),
    AlertStatus.ACKNOWLEDGED: frozenset({AlertStatus.RESOLVED, AlertStatus.DISMISSED}),
    AlertStatus.RESOLVED: frozenset(),
    AlertStatus.DISMISSED: frozenset(),
}


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def raised(self, steps: int = 1) -> Severity:
        order = list(_RANK)
        return order[min(len(order) - 1, self.rank + steps)]


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.CRITICAL: 2}


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


class EpisodePolicy(BaseModel):
    """How an episode of one rule behaves: grace before it opens, quiet time before it resolves.

    An episode opens once its violation was seen in `grace_observations` distinct observations
    and has lasted `grace_minutes`; it resolves once the price has been back in line for
    `resolve_after_minutes`. `repeat_escalation` prior episodes of the same seller and rule within
    `repeat_window_days` raise the severity one step.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    grace_observations: int = 1
    grace_minutes: int = 0
    resolve_after_minutes: int = 0
    repeat_escalation: int = 2
    repeat_window_days: int = 90


class PriceReading(NamedTuple):
    """One priced reading of a watch target, as the drift rule reads the history."""

    id: int
    observed_at: datetime
    amount: Decimal
    currency: str
    seller_key: str


class Alert(BaseModel):
    """An alert episode as stored: active while the violation lasts."""

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
    observations: int = 1
    repeat: int = 0
    clear_since: datetime | None = None
    note: str | None = None

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.rule, self.product_sku, self.seller_key, self.platform)


class AlertEvent(BaseModel):
    """One state change of an episode: who moved it from where to where, when, and why."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: int
    alert_id: int
    at: datetime
    actor: str
    from_status: AlertStatus | None
    to_status: AlertStatus
    note: str | None = None
