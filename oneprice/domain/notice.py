"""Notices to resellers: a violation letter at one escalation stage, drafted then sent."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class NoticeStatus(StrEnum):
    DRAFT = "draft"
    SENT = "sent"


class Notice(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: int
    seller_key: str
    seller_name: str | None
    stage: int  # 1-based escalation stage
    language: str
    alert_ids: tuple[int, ...]
    subject: str
    body_text: str
    body_html: str
    status: NoticeStatus
    created_at: datetime
    sent_at: datetime | None
    sent_via: str | None
    recipient: str | None = None
    """The reseller's address the notice was sent to; None: the route's own recipients."""
