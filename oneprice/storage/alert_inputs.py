"""What the alert engine reads: the newest observations as plain rows, price history, readable-since.

Plain rows (not domain objects) let the engine pick the few observations a rule could flag
before it builds full objects: 200,000 targets cost a scan, not 200,000 model validations.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import and_, func, or_, select

from oneprice.domain.alert import PriceReading
from oneprice.domain.money import Money
from oneprice.domain.observation import Observation, ObservationStatus
from oneprice.storage.db import Database
from oneprice.storage.tables import ObservationRow

_CHUNK = 500


class NewestRow(NamedTuple):
    """The fields the engine's pre-selection needs of one newest observation."""

    id: int
    target_id: str
    status: str
    product_sku: str | None
    price: Decimal | None
    currency: str | None
    reseller_id: str | None
    seller_key: str | None
    platform: str


def _chunks(items: Sequence[Any]) -> list[Sequence[Any]]:
    return [items[i : i + _CHUNK] for i in range(0, len(items), _CHUNK)]


def _newest_ids() -> Any:
    """Ids of each target's newest visit: its newest row, or every offer sharing that row's visit.

    The same rows as ObservationRepository.latest_per_target.
    """
    newest = (
        select(ObservationRow.target_id, func.max(ObservationRow.id).label("id"))
        .group_by(ObservationRow.target_id)
        .subquery()
    )
    last = (
        select(ObservationRow.target_id, ObservationRow.visit, ObservationRow.id)
        .join(newest, ObservationRow.id == newest.c.id)
        .subquery()
    )
    return last, or_(
        ObservationRow.id == last.c.id,
        and_(last.c.visit.is_not(None), ObservationRow.visit == last.c.visit),
    )


_COPIED = [
    name
    for name in ObservationRow.__table__.columns.keys()
    if name in Observation.model_fields and name not in ("price", "status", "confidence", "offer_key")
]


def _build(m: Any) -> Observation:
    """The Observation of one stored row (as ObservationRepository builds it)."""
    values = {name: m[name] for name in _COPIED}
    price, currency = m["price"], m["currency"]
    values["price"] = Money.model_construct(amount=price, currency=currency) if price is not None and currency else None
    values["status"] = ObservationStatus(m["status"])
    values["confidence"] = min(m["confidence"] or Decimal(0), Decimal(1))
    values["offer_key"] = m["offer_key"] or ""
    return Observation.model_construct(**values)


class AlertInputRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def newest_rows(self, target_ids: Collection[str] | None = None) -> list[NewestRow]:
        """The newest visit of every target (of `target_ids`, when given), as plain rows."""
        last, on_newest = _newest_ids()
        q = (
            select(
                ObservationRow.id,
                ObservationRow.target_id,
                ObservationRow.status,
                ObservationRow.product_sku,
                ObservationRow.price,
                ObservationRow.currency,
                ObservationRow.reseller_id,
                ObservationRow.seller_key,
                ObservationRow.platform,
            )
            .join(last, ObservationRow.target_id == last.c.target_id)
            .where(on_newest)
            .order_by(ObservationRow.target_id, ObservationRow.id)
        )
        wanted = set(target_ids) if target_ids is not None else None
        with self.db.session() as s:
            return [NewestRow(*r) for r in s.execute(q) if wanted is None or r[1] in wanted]

    def observations(self, ids: Sequence[int]) -> list[Observation]:
        """Full observations by id, ordered by target and id.

        Built without re-validation (the rows were validated when stored): the engine reads
        thousands of them per evaluation.
        """
        found: list[Observation] = []
        table = ObservationRow.__table__
        with self.db.session() as s:
            for chunk in _chunks(sorted(ids)):
                for m in s.execute(select(table).where(table.c.id.in_(chunk))).mappings():
                    found.append(_build(m))
        return sorted(found, key=lambda o: (o.target_id, o.id or 0))

    def recent_prices(self, target_ids: Sequence[str], since: datetime) -> dict[str, list[PriceReading]]:
        """Priced OK readings of each target since `since`, oldest first (for the drift rule)."""
        found: dict[str, list[PriceReading]] = {}
        with self.db.session() as s:
            for chunk in _chunks(sorted(set(target_ids))):
                rows = s.execute(
                    select(
                        ObservationRow.target_id,
                        ObservationRow.id,
                        ObservationRow.observed_at,
                        ObservationRow.price,
                        ObservationRow.currency,
                        ObservationRow.seller_key,
                    )
                    .where(
                        ObservationRow.target_id.in_(chunk),
                        ObservationRow.status == ObservationStatus.OK.value,
                        ObservationRow.observed_at >= since,
                        ObservationRow.price.is_not(None),
                    )
                    .order_by(ObservationRow.target_id, ObservationRow.observed_at, ObservationRow.id)
                )
                for target, oid, at, price, currency, key in rows:
                    if currency is not None and price is not None:
                        found.setdefault(target, []).append(PriceReading(oid, at, price, currency, key or "unknown"))
        return found

    def readable_since(self, target_ids: Sequence[str]) -> dict[str, datetime]:
        """Per target: its newest OK observation's time, else its first observation's time."""
        result: dict[str, datetime] = {}
        with self.db.session() as s:
            for chunk in _chunks(sorted(set(target_ids))):
                first = s.execute(
                    select(ObservationRow.target_id, func.min(ObservationRow.observed_at))
                    .where(ObservationRow.target_id.in_(chunk))
                    .group_by(ObservationRow.target_id)
                )
                result.update({t: at for t, at in first})
                ok = s.execute(
                    select(ObservationRow.target_id, func.max(ObservationRow.observed_at))
                    .where(
                        ObservationRow.target_id.in_(chunk),
                        ObservationRow.status == ObservationStatus.OK.value,
                    )
                    .group_by(ObservationRow.target_id)
                )
                result.update({t: at for t, at in ok})
        return result

    def price_points(self, skus: Sequence[str], since: datetime) -> list[tuple[str, str, str | None, datetime, Money]]:
        """(sku, seller key, seller name, time, price) of OK observations since `since`, oldest first."""
        points: list[tuple[str, str, str | None, datetime, Money]] = []
        with self.db.session() as s:
            for chunk in _chunks(list(skus)):
                rows = s.execute(
                    select(
                        ObservationRow.product_sku,
                        ObservationRow.seller_key,
                        ObservationRow.seller_name,
                        ObservationRow.observed_at,
                        ObservationRow.price,
                        ObservationRow.currency,
                    )
                    .where(
                        ObservationRow.product_sku.in_(chunk),
                        ObservationRow.status == ObservationStatus.OK.value,
                        ObservationRow.observed_at >= since,
                        ObservationRow.price.is_not(None),
                    )
                    .order_by(ObservationRow.observed_at, ObservationRow.id)
                )
                for sku, key, name, at, price, currency in rows:
                    if sku and currency:
                        points.append((sku, key or "unknown", name, at, Money.of(price, currency)))
        points.sort(key=lambda p: p[3])
        return points
