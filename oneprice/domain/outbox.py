"""Outbox messages: notifications written with the alert change that caused them, delivered later."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class OutboxStatus(StrEnum):
    PENDING = "pending"  # waiting for delivery (or for a retry after a failure)
    BUNDLED = "bundled"  # folded into a digest message, which carries the delivery
    SENT = "sent"


class OutboxMessage(BaseModel):
    """A message to enqueue; `dedupe_key` makes enqueueing it twice a no-op."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    dedupe_key: str
    route: str
    kind: str  # alert, digest, notice
    mode: str  # immediate, digest
    alert_id: int | None
    severity: str
    subject: str
    body_text: str
    body_html: str
    recipient: str | None = None
    """An e-mail address the message goes to instead of the route's own `to=` (who get a blind copy)."""


class OutboxItem(BaseModel):
    """A stored outbox message with its delivery state."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: int
    dedupe_key: str
    route: str
    kind: str
    mode: str
    alert_id: int | None
    severity: str
    subject: str
    body_text: str
    body_html: str
    status: OutboxStatus
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
    bundle_id: int | None
    recipient: str | None = None
