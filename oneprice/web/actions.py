"""People's actions through the alert store's public API: acknowledge, resolve, dismiss; notices."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime

from oneprice.domain.alert import TRANSITIONS, AlertEvent, AlertStatus
from oneprice.domain.notice import Notice
from oneprice.errors import UserError
from oneprice.settings.loader import LoadedConfig
from oneprice.storage import AlertRepository, Database
from oneprice.storage.notices import NoticeRepository
from oneprice.storage.web_queries import AlertLine

log = logging.getLogger(__name__)

ACTIONS = {
    "acknowledge": AlertStatus.ACKNOWLEDGED,
    "resolve": AlertStatus.RESOLVED,
    "dismiss": AlertStatus.DISMISSED,
}
_BY_STATUS = {v: k for k, v in ACTIONS.items()}


@dataclass
class Outcome:
    done: list[int] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def transition(db: Database, ids: list[int], action: str, actor: str, note: str | None) -> Outcome:
    """Move each alert; an alert that cannot make the move is reported, the others still move."""
    to = ACTIONS.get(action)
    if to is None:
        raise UserError(f"unknown action {action!r} (expected {', '.join(ACTIONS)})")
    if to is AlertStatus.DISMISSED and not (note and note.strip()):
        raise UserError("a dismissal needs a reason")
    repo = AlertRepository(db)
    outcome = Outcome()
    now = datetime.now(UTC)
    for alert_id in ids:
        try:
            repo.transition(alert_id, to, actor=actor, now=now, note=note)
        except UserError as e:
            outcome.refused.append(str(e))
        else:
            outcome.done.append(alert_id)
            log.info("alert #%d %s by %r", alert_id, to.value, actor)
    return outcome


def allowed(status: str) -> list[str]:
    """The actions a person may take on an alert in this state."""
    try:
        current = AlertStatus(status)
    except ValueError:
        return []
    return [_BY_STATUS[s] for s in sorted(TRANSITIONS[current], key=list(AlertStatus).index) if s in _BY_STATUS]


def history(db: Database, alert_id: int) -> list[AlertEvent]:
    return AlertRepository(db).history(alert_id)


def notices(db: Database, alert: AlertLine) -> list[Notice]:
    """Notices to the alert's seller that named this alert, newest first."""
    return [n for n in reversed(NoticeRepository(db).list(seller_key=alert.seller_key)) if alert.id in n.alert_ids]


def seller_notices(db: Database, seller_key: str) -> list[Notice]:
    return list(reversed(NoticeRepository(db).list(seller_key=seller_key)))


def draft_notice(config: LoadedConfig, db: Database, seller_key: str, language: str, actor: str) -> Notice:
    """Draft the seller's next-stage notice about its active alerts (not sent yet)."""
    from alerts.notices import draft

    notice = draft(config, db, seller_key, language=language)
    log.info("notice #%d (stage %d) drafted for seller %r by %r", notice.id, notice.stage, seller_key, actor)
    return notice


def send_notice(config: LoadedConfig, db: Database, notice_id: int, actor: str) -> Notice:
    """Queue a drafted notice on the configured notice route."""
    from alerts.notices import send

    notice = send(config, db, notice_id)
    log.info("notice #%d sent to seller %r by %r", notice_id, notice.seller_key, actor)
    return notice
