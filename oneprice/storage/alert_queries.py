"""Alert list filters and keyset pagination (newest first by id, served by `ix_alerts_status_id`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select

from oneprice.domain.alert import Alert, AlertStatus, Severity
from oneprice.storage.tables import AlertRow


@dataclass(frozen=True)
class AlertFilter:
    """Every field narrows the list; empty tuples and None mean "any"."""

    statuses: tuple[AlertStatus, ...] = ()
    rules: tuple[str, ...] = ()
    severities: tuple[Severity, ...] = ()
    platforms: tuple[str, ...] = ()
    product_skus: tuple[str, ...] = ()
    seller_keys: tuple[str, ...] = ()
    seen_since: datetime | None = None
    seen_until: datetime | None = None


@dataclass(frozen=True)
class AlertPage:
    items: list[Alert]
    next_cursor: int | None


def page_query(f: AlertFilter, after: int | None, limit: int | None, *, newest_first: bool = True) -> Select[Any]:
    q = select(AlertRow)
    for column, values in (
        (AlertRow.status, [s.value for s in f.statuses]),
        (AlertRow.rule, list(f.rules)),
        (AlertRow.severity, [s.value for s in f.severities]),
        (AlertRow.platform, list(f.platforms)),
        (AlertRow.product_sku, list(f.product_skus)),
        (AlertRow.seller_key, list(f.seller_keys)),
    ):
        if len(values) == 1:
            q = q.where(column == values[0])
        elif values:
            q = q.where(column.in_(values))
    if f.seen_since is not None:
        q = q.where(AlertRow.last_seen >= f.seen_since)
    if f.seen_until is not None:
        q = q.where(AlertRow.first_seen < f.seen_until)
    if after is not None:
        q = q.where(AlertRow.id < after if newest_first else AlertRow.id > after)
    q = q.order_by(AlertRow.id.desc() if newest_first else AlertRow.id)
    return q.limit(limit) if limit is not None else q
