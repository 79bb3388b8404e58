"""Alert repository: episodes keyed by (rule, product, seller, platform), one open at a time."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from oneprice.domain.alert import Alert, AlertStatus, Severity, Violation
from oneprice.domain.money import Money
from oneprice.storage.db import Database
from oneprice.storage.tables import AlertRow

Key = tuple[str, str, str, str]
_CENT = Decimal("0.01")


def _to_alert(r: AlertRow) -> Alert:
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
    )


@dataclass
class EpisodeChanges:
    """What one evaluation did to the alert episodes."""

    opened: list[Alert] = field(default_factory=list)
    updated: list[Alert] = field(default_factory=list)
    resolved: list[Alert] = field(default_factory=list)


class AlertRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def apply(self, violations: Sequence[Violation], cleared: Iterable[Key], now: datetime) -> EpisodeChanges:
        """Open or refresh an episode per violation; resolve open episodes whose key is in `cleared`.

        All in one transaction: an evaluation lands whole or not at all.
        """
        changes = EpisodeChanges()
        violating = {v.key for v in violations}
        with self.db.session() as s:
            open_rows = {
                (r.rule, r.product_sku, r.seller_key, r.platform): r
                for r in s.scalars(select(AlertRow).where(AlertRow.status == AlertStatus.OPEN.value))
            }
            for v in violations:
                row = open_rows.get(v.key)
                fresh = row is None
                if row is None:
                    row = AlertRow(
                        rule=v.rule,
                        status=AlertStatus.OPEN.value,
                        product_sku=v.product_sku,
                        seller_key=v.seller_key,
                        platform=v.platform,
                        first_seen=v.observed_at,
                    )
                    s.add(row)
                    open_rows[v.key] = row
                row.severity = v.severity.value
                row.seller_name, row.reseller_id = v.seller_name, v.reseller_id
                row.unified_price, row.currency = v.unified_price.amount, v.unified_price.currency
                row.observed_price = v.observed_price.amount if v.observed_price else None
                row.gap_percent, row.message, row.url = v.gap_percent, v.message, v.url
                row.observation_id = v.observation_id
                row.last_seen = max(v.observed_at, row.last_seen) if row.last_seen else v.observed_at
                s.flush()
                (changes.opened if fresh else changes.updated).append(_to_alert(row))
            for key in set(cleared) - violating:
                row = open_rows.get(key)
                if row is not None:
                    row.status, row.resolved_at = AlertStatus.RESOLVED.value, now
                    s.flush()
                    changes.resolved.append(_to_alert(row))
        return changes

    def list(
        self,
        *,
        status: AlertStatus | None = None,
        rule: str | None = None,
        limit: int | None = None,
    ) -> list[Alert]:
        with self.db.session() as s:
            q = select(AlertRow)
            if status is not None:
                q = q.where(AlertRow.status == status.value)
            if rule is not None:
                q = q.where(AlertRow.rule == rule)
            q = q.order_by(AlertRow.id)
            if limit is not None:
                q = q.limit(limit)
            return [_to_alert(r) for r in s.scalars(q)]
