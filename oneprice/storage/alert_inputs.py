"""What the alert engine reads: the newest observations a rule could flag, price history, readable-since.

The pre-selection runs in the database (`AlertInputRepository.candidates`): the newest visit of every
target is compared there with per-product thresholds, reseller authorizations and the keys of active
episodes, held in temporary tables, so only the candidate rows leave it. Amounts in those tables go
through the `Amount` type like every stored price, so the comparison is exact on every backend.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    MetaData,
    String,
    Table,
    and_,
    exists,
    func,
    literal,
    or_,
    select,
    text,
)

from oneprice.domain.alert import PriceReading
from oneprice.domain.money import Money, quantize
from oneprice.domain.observation import Observation, ObservationStatus
from oneprice.storage.db import Database
from oneprice.storage.tables import ObservationRow
from oneprice.storage.tables.base import Amount

_CHUNK = 500
_M = TypeVar("_M", bound=BaseModel)


def _chunks(items: Sequence[Any]) -> list[Sequence[Any]]:
    return [items[i : i + _CHUNK] for i in range(0, len(items), _CHUNK)]


EVERYWHERE = "*"  # the platform of an authorization that holds on every platform

_TEMP = MetaData()
_FLOORS = Table(
    "alert_sel_floors",
    _TEMP,
    Column("sku", String(), primary_key=True),
    Column("highest", Amount()),
    Column("currency", String()),
    prefixes=["TEMPORARY"],
)
_ALLOWED = Table(
    "alert_sel_allowed",
    _TEMP,
    Column("reseller_id", String(), primary_key=True),
    Column("platform", String(), primary_key=True),
    prefixes=["TEMPORARY"],
)
_WATCHED = Table(
    "alert_sel_watched",
    _TEMP,
    Column("product_sku", String(), primary_key=True),
    Column("seller_key", String(), primary_key=True),
    Column("platform", String(), primary_key=True),
    prefixes=["TEMPORARY"],
)
_WATCHED_TARGETS = Table(
    "alert_sel_targets",
    _TEMP,
    Column("target_id", String(), primary_key=True),
    prefixes=["TEMPORARY"],
)
_NEWEST = Table(
    "alert_sel_newest",
    _TEMP,
    Column("target_id", String()),
    Column("id", BigInteger),
    Column("visit", String()),
    prefixes=["TEMPORARY"],
)
_ROWS = Table(  # every row of each target's newest visit
    "alert_sel_rows",
    _TEMP,
    Column("id", BigInteger),
    Column("target_id", String()),
    prefixes=["TEMPORARY"],
)


@dataclass(frozen=True)
class CandidateFilter:
    """What makes a newest observation worth judging, besides not being OK, priced and matched.

    `limits`: per catalog SKU, the highest price a rule can object to and its currency (a lower
    price in that currency is a candidate; a SKU missing here is not in the catalog).
    `allowed`: (reseller id, platform) pairs where a seller is authorized (platform `EVERYWHERE`
    for all platforms); a named seller outside them is a candidate.
    `watched`: (product, seller key, platform) of active episodes; `watched_targets`: targets
    of active coverage episodes.
    """

    limits: Mapping[str, tuple[Decimal, str]]
    allowed: Collection[tuple[str, str]]
    watched: Collection[tuple[str, str, str]]
    watched_targets: Collection[str]


@dataclass(frozen=True)
class Candidates:
    newest: int  # newest observations of the wanted targets, candidates or not
    observations: list[Observation]  # the candidates, ordered by target and id


def _fill(conn: Connection, table: Table, rows: Iterable[dict[str, Any]]) -> None:
    table.create(conn)
    batch = list(rows)
    for i in range(0, len(batch), 5000):
        conn.execute(table.insert(), batch[i : i + 5000])
    if conn.dialect.name == "postgresql":
        conn.execute(text(f"ANALYZE {table.name}"))


def _drop_temporary(conn: Connection) -> None:
    schema = "temp" if conn.dialect.name == "sqlite" else "pg_temp"
    for table in _TEMP.sorted_tables:
        conn.execute(text(f"DROP TABLE IF EXISTS {schema}.{table.name}"))


def _column(conn: Connection, sql: str) -> set[str]:
    """The values of a one-column query, read straight from the driver's cursor (many rows, no types)."""
    cursor = conn.connection.cursor()
    try:
        cursor.execute(sql)
        return {value for (value,) in cursor.fetchall()}
    finally:
        cursor.close()


_FIELDS = list(Observation.model_fields)
# Every field of an Observation is a column: a stored row gives all of them, none is defaulted.
assert set(_FIELDS) <= set(ObservationRow.__table__.columns.keys())
assert not Observation.__pydantic_post_init__


def _trusted(cls: type[_M], values: dict[str, Any]) -> _M:
    """What `cls.model_construct(**values)` returns for values naming every field of a model,
    without its per-field alias and default lookups and without post-init (thousands per evaluation)."""
    m = cls.__new__(cls)
    object.__setattr__(m, "__dict__", values)
    object.__setattr__(m, "__pydantic_fields_set__", set(values))
    object.__setattr__(m, "__pydantic_extra__", None)
    object.__setattr__(m, "__pydantic_private__", None)
    return m


def _build(m: Mapping[str, Any]) -> Observation:
    """The Observation of one stored row (as ObservationRepository builds it)."""
    values = {name: m[name] for name in _FIELDS}
    price, currency = values["price"], m["currency"]
    # Money's post-init quantizes to the currency; done here since _trusted skips it.
    values["price"] = (
        _trusted(Money, {"amount": quantize(price, currency), "currency": currency})
        if price is not None and currency
        else None
    )
    values["status"] = ObservationStatus(values["status"])
    values["confidence"] = min(values["confidence"] or Decimal(0), Decimal(1))
    values["offer_key"] = values["offer_key"] or ""
    return _trusted(Observation, values)


def _built(result: Any) -> list[Observation]:
    keys = list(result.keys())
    return [_build(dict(zip(keys, row, strict=True))) for row in result]


class AlertInputRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def candidates(self, wanted: Collection[str] | None, keep: CandidateFilter) -> Candidates:
        """The newest visit of every target (of `wanted`, when given) that `keep` selects, built,
        and how many newest observations there were in all.

        A row is a candidate when it is not OK, has no price, names no catalog product, is priced
        below its product's limit in the product's currency, is sold by a named seller outside
        `keep.allowed`, or falls under an active episode.
        """
        o = ObservationRow.__table__.alias("o")
        n, rows, limit = _NEWEST, _ROWS, _FLOORS
        seller = func.coalesce(o.c.seller_key, literal("unknown"))
        chosen = or_(
            o.c.status != ObservationStatus.OK.value,
            o.c.price.is_(None),
            limit.c.sku.is_(None),
            and_(o.c.currency == limit.c.currency, o.c.price < limit.c.highest),
            and_(
                seller != "unknown",
                ~exists().where(
                    _ALLOWED.c.reseller_id == o.c.reseller_id,
                    _ALLOWED.c.platform.in_([o.c.platform, literal(EVERYWHERE)]),
                ),
            ),
            exists().where(
                _WATCHED.c.product_sku == o.c.product_sku,
                _WATCHED.c.seller_key == seller,
                _WATCHED.c.platform == o.c.platform,
            ),
            o.c.target_id.in_(select(_WATCHED_TARGETS.c.target_id)),
        )
        q = (
            select(o)
            .select_from(rows.join(o, o.c.id == rows.c.id).outerjoin(limit, limit.c.sku == o.c.product_sku))
            .where(chosen)
            .order_by(o.c.target_id, o.c.id)
        )
        table = ObservationRow.__table__
        last = select(table.c.target_id, func.max(table.c.id).label("id")).group_by(table.c.target_id).subquery()
        with self.db.engine.begin() as conn:
            # Temporary tables live as long as the (pooled) connection: start from none.
            _drop_temporary(conn)
            n.create(conn)
            conn.execute(
                n.insert().from_select(
                    ["target_id", "id", "visit"],
                    select(table.c.target_id, table.c.id, table.c.visit).join(last, table.c.id == last.c.id),
                )
            )
            if conn.dialect.name == "postgresql":
                conn.execute(text(f"ANALYZE {n.name}"))
            rows.create(conn)
            conn.execute(rows.insert().from_select(["id", "target_id"], select(n.c.id, n.c.target_id)))
            # The other offers of a newest visit (one listing page can show several).
            conn.execute(
                rows.insert().from_select(
                    ["id", "target_id"],
                    select(o.c.id, o.c.target_id)
                    .join(n, and_(o.c.target_id == n.c.target_id, o.c.visit == n.c.visit, o.c.id != n.c.id))
                    .where(n.c.visit.is_not(None)),
                )
            )
            if conn.dialect.name == "postgresql":
                conn.execute(text(f"ANALYZE {rows.name}"))
            _fill(conn, _FLOORS, ({"sku": k, "highest": v[0], "currency": v[1]} for k, v in keep.limits.items()))
            _fill(conn, _ALLOWED, ({"reseller_id": r, "platform": p} for r, p in set(keep.allowed)))
            _fill(
                conn,
                _WATCHED,
                ({"product_sku": k, "seller_key": s, "platform": p} for k, s, p in set(keep.watched)),
            )
            _fill(conn, _WATCHED_TARGETS, ({"target_id": t} for t in set(keep.watched_targets)))
            found = _built(conn.execute(q))
            total = int(conn.execute(select(func.count()).select_from(rows)).scalar_one())
            if wanted is not None:
                present = _column(conn, f"SELECT target_id FROM {n.name}")
                others = present.difference(wanted)
                if others:
                    found = [obs for obs in found if obs.target_id in wanted]
                    for chunk in _chunks(sorted(others)):
                        total -= int(
                            conn.execute(
                                select(func.count()).select_from(rows).where(rows.c.target_id.in_(chunk))
                            ).scalar_one()
                        )
            _drop_temporary(conn)
        return Candidates(total, found)

    def observations(self, ids: Sequence[int]) -> list[Observation]:
        """Full observations by id, ordered by target and id.

        Built without re-validation (the rows were validated when stored): the engine reads
        thousands of them per evaluation.
        """
        found: list[Observation] = []
        table = ObservationRow.__table__
        with self.db.session() as s:
            for chunk in _chunks(sorted(ids)):
                found.extend(_built(s.execute(select(table).where(table.c.id.in_(chunk)))))
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
