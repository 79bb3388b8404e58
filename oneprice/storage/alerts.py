"""Alert repository: episodes keyed by (rule, product, seller, platform), one active at a time.

An evaluation lands whole in one transaction: episodes, their state history and the outbox
messages they cause.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from oneprice.domain.alert import (
    ACTIVE_STATUSES,
    TRANSITIONS,
    Alert,
    AlertEvent,
    AlertStatus,
    EpisodePolicy,
    Severity,
    Violation,
)
from oneprice.domain.money import Money
from oneprice.domain.outbox import OutboxMessage
from oneprice.errors import UserError
from oneprice.storage.alert_queries import AlertFilter, AlertPage, page_query
from oneprice.storage.db import Database
from oneprice.storage.outbox import enqueue_in
from oneprice.storage.tables import AlertDismissalRow, AlertEventRow, AlertRow

Key = tuple[str, str, str, str]
PolicyFor = Callable[[Key], EpisodePolicy]
MessagesFor = Callable[["EpisodeChanges"], Sequence[OutboxMessage]]
ENGINE = "engine"
_CENT = Decimal("0.01")
_ACTIVE = [s.value for s in ACTIVE_STATUSES]
_DEFAULT = EpisodePolicy()


def to_alert(r: AlertRow) -> Alert:
    return Alert(
        id=r.id,
        rule=r.rule,
        status=AlertStatus(r.status),
        severity=Severity(r.severity),
        product_sku=r.product_sku,
        seller_key=r.seller_key,
        seller_name=r.seller_name,
        reseller_id=r.reseller_id,
        platform=r.platform,
        unified_price=Money.of(r.unified_price, r.currency),
        observed_price=Money.of(r.observed_price, r.currency) if r.observed_price is not None else None,
        gap_percent=r.gap_percent.quantize(_CENT) if r.gap_percent is not None else None,
        message=r.message,
        url=r.url,
        observation_id=r.observation_id,
        first_seen=r.first_seen,
        last_seen=r.last_seen,
        resolved_at=r.resolved_at,
        observations=r.observations or 1,
        repeat=r.repeat or 0,
        clear_since=r.clear_since,
        note=r.note,
    )


def _key(r: AlertRow) -> Key:
    return (r.rule, r.product_sku, r.seller_key, r.platform)


@dataclass
class EpisodeChanges:
    """What one evaluation did: `opened` are the alerts that became open (and are announced)."""

    opened: list[Alert] = field(default_factory=list)
    updated: list[Alert] = field(default_factory=list)
    resolved: list[Alert] = field(default_factory=list)
    pending: list[Alert] = field(default_factory=list)
    suppressed: list[Violation] = field(default_factory=list)


def _event(s: Session, row: AlertRow, to: AlertStatus, at: datetime, actor: str, note: str | None = None) -> None:
    s.add(AlertEventRow(alert_id=row.id, at=at, actor=actor, from_status=row.status, to_status=to.value, note=note))
    row.status = to.value


class AlertRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def apply(
        self,
        violations: Sequence[Violation],
        cleared: Iterable[Key],
        now: datetime,
        *,
        policy: PolicyFor | None = None,
        messages: MessagesFor | None = None,
        cleared_at: Mapping[Key, datetime] | None = None,
    ) -> EpisodeChanges:
        """Open, refresh or resolve episodes; keys in `cleared` were judged in line this time.

        A new violation starts a pending episode that opens after its grace period; a dismissed
        key is not raised again unless the gap got worse. `messages` turns the changes into
        outbox messages stored in the same transaction.

        `cleared_at` gives when the in-line reading of a cleared key was observed: the resolve clock
        (`clear_since`) runs from the first one after the episode's newest violation (from `now`
        for keys without a time).

        A reading observed before what its episode has already seen arrived late and says nothing
        about the price now: a violation older than the episode's newest one, or than the in-line
        reading that started the resolve clock, neither counts toward grace nor restarts the clock,
        and one observed before the key's last resolved episode was seen back in line starts none;
        an in-line reading older than the episode's newest violation neither resolves nor forgets
        it, and one older than the clock's start does not move the clock.
        """
        policy_for = policy or (lambda _key: _DEFAULT)
        changes = EpisodeChanges()
        violating = {v.key for v in violations}
        with self.db.session() as s:
            active = {_key(r): r for r in s.scalars(select(AlertRow).where(AlertRow.status.in_(_ACTIVE)))}
            new = [v.key for v in violations if v.key not in active]
            dismissed = self._dismissals(s, new)
            ended = self._ended(s, new)
            for v in violations:
                row = active.get(v.key)
                rule_policy = policy_for(v.key)
                if row is None:
                    if v.key in ended and v.observed_at < ended[v.key]:
                        continue  # late: observed before the last episode of its key came back in line
                    if v.key in dismissed and _covered(dismissed[v.key], v.gap_percent):
                        changes.suppressed.append(v)
                        continue
                    row = self._start(s, v, rule_policy, now)
                    active[v.key] = row
                elif v.observed_at >= row.last_seen and (row.clear_since is None or v.observed_at >= row.clear_since):
                    fresh_reading = (v.observation_id is not None and v.observation_id != row.observation_id) or (
                        v.observation_id is None and v.observed_at > row.last_seen
                    )
                    self._refresh(row, v, fresh_reading, rule_policy)
                before = row.status
                if row.status == AlertStatus.PENDING.value and _grace_over(row, rule_policy):
                    _event(s, row, AlertStatus.OPEN, now, ENGINE, f"after {row.observations} observation(s)")
                s.flush()
                alert = to_alert(row)
                if row.status == AlertStatus.PENDING.value:
                    changes.pending.append(alert)
                elif before == AlertStatus.PENDING.value:
                    changes.opened.append(alert)
                else:
                    changes.updated.append(alert)
            for key in set(cleared) - violating:
                row = active.get(key)
                if row is None:
                    continue
                seen = cleared_at.get(key) if cleared_at else None
                if seen is not None and seen < row.last_seen:
                    continue  # a late in-line reading, from before the episode's newest violation
                if row.status == AlertStatus.PENDING.value:
                    # One odd reading that came back in line is not an alert: forget it.
                    s.execute(delete(AlertEventRow).where(AlertEventRow.alert_id == row.id))
                    s.delete(row)
                    continue
                if row.clear_since is None:
                    # The resolve clock runs from when the first in-line reading was observed (not from
                    # this evaluation), never later than now: a crawler's clock ahead of ours delays nothing.
                    row.clear_since = min(seen, now) if seen is not None else now
                wait = timedelta(minutes=policy_for(key).resolve_after_minutes)
                if now - row.clear_since >= wait:
                    row.resolved_at = now
                    _event(s, row, AlertStatus.RESOLVED, now, ENGINE, "price back in line")
                    s.flush()
                    changes.resolved.append(to_alert(row))
            if messages is not None:
                enqueue_in(s, messages(changes), now)
        return changes

    def _start(self, s: Session, v: Violation, policy: EpisodePolicy, now: datetime) -> AlertRow:
        since = now - timedelta(days=policy.repeat_window_days)
        repeat = s.scalar(
            select(func.count())
            .select_from(AlertRow)
            .where(
                AlertRow.seller_key == v.seller_key,
                AlertRow.rule == v.rule,
                AlertRow.first_seen >= since,
                AlertRow.status.in_([AlertStatus.OPEN.value, AlertStatus.ACKNOWLEDGED.value, "resolved"]),
            )
        )
        row = AlertRow(
            rule=v.rule,
            status=AlertStatus.PENDING.value,
            product_sku=v.product_sku,
            seller_key=v.seller_key,
            platform=v.platform,
            first_seen=v.observed_at,
            observations=0,
            repeat=repeat or 0,
        )
        self._refresh(row, v, True, policy)
        s.add(row)
        s.flush()
        s.add(AlertEventRow(alert_id=row.id, at=now, actor=ENGINE, from_status=None, to_status="pending"))
        return row

    @staticmethod
    def _refresh(row: AlertRow, v: Violation, fresh_reading: bool, policy: EpisodePolicy) -> None:
        if fresh_reading:
            row.observations = (row.observations or 0) + 1
        severity = v.severity
        if row.repeat >= policy.repeat_escalation:
            severity = severity.raised()
        row.severity = severity.value
        row.seller_name, row.reseller_id = v.seller_name, v.reseller_id
        row.unified_price, row.currency = v.unified_price.amount, v.unified_price.currency
        row.observed_price = v.observed_price.amount if v.observed_price else None
        row.gap_percent, row.message, row.url = v.gap_percent, v.message, v.url
        row.observation_id = v.observation_id
        row.last_seen = max(v.observed_at, row.last_seen) if row.last_seen else v.observed_at
        row.clear_since = None

    @staticmethod
    def _ended(s: Session, keys: Sequence[Key]) -> dict[Key, datetime]:
        """Per key, when the reading that started its last resolved episode's resolve clock was
        observed (`clear_since`), for episodes that ended that way: a violation observed before then
        came in late."""
        found: dict[Key, datetime] = {}
        if not keys:
            return found
        wanted = set(keys)
        rows = s.execute(
            select(AlertRow.rule, AlertRow.product_sku, AlertRow.seller_key, AlertRow.platform, AlertRow.clear_since)
            .where(AlertRow.product_sku.in_({k[1] for k in wanted}), AlertRow.clear_since.is_not(None))
            .where(AlertRow.status == AlertStatus.RESOLVED.value)
        )
        for rule, sku, seller, platform, at in rows:
            key = (rule, sku, seller, platform)
            if at is not None and key in wanted and (key not in found or at > found[key]):
                found[key] = at
        return found

    @staticmethod
    def _dismissals(s: Session, keys: Sequence[Key]) -> dict[Key, list[Decimal | None]]:
        found: dict[Key, list[Decimal | None]] = {}
        if not keys:
            return found
        wanted = set(keys)
        skus = {k[1] for k in wanted}
        for d in s.scalars(select(AlertDismissalRow).where(AlertDismissalRow.product_sku.in_(skus))):
            key = (d.rule, d.product_sku, d.seller_key, d.platform)
            if key in wanted:
                found.setdefault(key, []).append(d.gap_percent)
        return found

    # -- people's actions ------------------------------------------------------------------

    def transition(
        self, alert_id: int, to: AlertStatus, *, actor: str, now: datetime, note: str | None = None
    ) -> Alert:
        """Acknowledge, resolve or dismiss an episode; a dismissal needs a reason and is remembered."""
        with self.db.session() as s:
            row = s.get(AlertRow, alert_id, with_for_update=True)
            if row is None:
                raise UserError(f"no alert #{alert_id}")
            current = AlertStatus(row.status)
            if to not in TRANSITIONS[current]:
                raise UserError(f"alert #{alert_id} is {current.value}; it cannot become {to.value}")
            if to is AlertStatus.DISMISSED:
                if not note or not note.strip():
                    raise UserError("a dismissal needs a reason (--reason)")
                s.add(
                    AlertDismissalRow(
                        rule=row.rule,
                        product_sku=row.product_sku,
                        seller_key=row.seller_key,
                        platform=row.platform,
                        gap_percent=row.gap_percent,
                        reason=note.strip(),
                        actor=actor,
                        at=now,
                        alert_id=row.id,
                    )
                )
                row.note = note.strip()
            if to in (AlertStatus.RESOLVED, AlertStatus.DISMISSED):
                row.resolved_at = now
            _event(s, row, to, now, actor, note)
            s.flush()
            return to_alert(row)

    # -- reading -----------------------------------------------------------------------------

    def get(self, alert_id: int) -> Alert | None:
        with self.db.session() as s:
            row = s.get(AlertRow, alert_id)
            return to_alert(row) if row else None

    def history(self, alert_id: int) -> list[AlertEvent]:
        with self.db.session() as s:
            rows = s.scalars(select(AlertEventRow).where(AlertEventRow.alert_id == alert_id).order_by(AlertEventRow.id))
            return [
                AlertEvent(
                    id=r.id,
                    alert_id=r.alert_id,
                    at=r.at,
                    actor=r.actor,
                    from_status=AlertStatus(r.from_status) if r.from_status else None,
                    to_status=AlertStatus(r.to_status),
                    note=r.note,
                )
                for r in rows
            ]

    def page(self, filters: AlertFilter | None = None, *, after: int | None = None, limit: int = 50) -> AlertPage:
        """Newest first, keyset-paginated: pass the page's `next_cursor` as `after` for the next page."""
        if limit < 1:
            raise ValueError(f"a page holds at least one alert, not {limit}")
        with self.db.session() as s:
            rows = list(s.scalars(page_query(filters or AlertFilter(), after, limit + 1)))
            items = [to_alert(r) for r in rows[:limit]]
            return AlertPage(items=items, next_cursor=items[-1].id if len(rows) > limit else None)

    def count(self, filters: AlertFilter | None = None) -> int:
        with self.db.session() as s:
            sub = page_query(filters or AlertFilter(), None, None).subquery()
            return s.scalar(select(func.count()).select_from(sub)) or 0

    def active_keys(self) -> set[Key]:
        """Keys of the pending, open and acknowledged episodes."""
        with self.db.session() as s:
            rows = s.execute(
                select(AlertRow.rule, AlertRow.product_sku, AlertRow.seller_key, AlertRow.platform).where(
                    AlertRow.status.in_(_ACTIVE)
                )
            )
            return {(r, p, k, pl) for r, p, k, pl in rows}

    def find(self, filters: AlertFilter, *, limit: int | None = None) -> list[Alert]:
        """Every alert matching `filters`, oldest first (reports, exports)."""
        with self.db.session() as s:
            return [to_alert(r) for r in s.scalars(page_query(filters, None, limit, newest_first=False))]

    def list(
        self,
        *,
        status: AlertStatus | Iterable[AlertStatus] | None = None,
        rule: str | None = None,
        limit: int | None = None,
        seller_key: str | None = None,
    ) -> list[Alert]:
        """Oldest first; `status` may be one state or several."""
        statuses = (status,) if isinstance(status, AlertStatus) else tuple(status) if status else ()
        f = AlertFilter(
            statuses=statuses,
            rules=(rule,) if rule else (),
            seller_keys=(seller_key,) if seller_key else (),
        )
        with self.db.session() as s:
            q = page_query(f, None, limit, newest_first=False)
            return [to_alert(r) for r in s.scalars(q)]


def _covered(gaps: list[Decimal | None], gap: Decimal | None) -> bool:
    """A dismissal covers a violation at the same or a smaller gap (or any, when either has none)."""
    return any(g is None or gap is None or gap <= g for g in gaps)


def _grace_over(row: AlertRow, policy: EpisodePolicy) -> bool:
    lasted = row.last_seen - row.first_seen
    return row.observations >= policy.grace_observations and lasted >= timedelta(minutes=policy.grace_minutes)
