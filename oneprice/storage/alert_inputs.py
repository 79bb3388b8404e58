"""What the alert engine reads: the newest observations a rule could flag, price history, readable-since.

The pre-selection runs in the database (`AlertInputRepository.candidates`): one query finds the
newest visit of every target and compares it there with per-product price limits, reseller
authorizations and the keys of active episodes, so only the candidate rows leave it, each with
flags saying which comparison chose it and, for an unreadable page, since when its target has
been unreadable. Rows are read straight from the driver's cursor and converted once per
distinct value (times, amounts) by the column types' own converters, so they read back exactly
as the ORM reads them. The inputs of the comparison travel as temporary tables on SQLite and as
arrays (`unnest`) on PostgreSQL, where temporary tables would cost catalog round trips.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from operator import itemgetter
from typing import Any, NamedTuple, TypeVar

from pydantic import BaseModel
from sqlalchemy import Connection, Dialect, func, select

from oneprice.domain.alert import PriceReading
from oneprice.domain.money import Money, quantize
from oneprice.domain.observation import RANGE, Observation, ObservationStatus
from oneprice.storage.db import Database, chunks
from oneprice.storage.tables import ObservationRow

_M = TypeVar("_M", bound=BaseModel)


EVERYWHERE = "*"  # the platform of an authorization that holds on every platform

# Why a candidate row was chosen (bits of Candidate.flags), besides not being judgeable at all.
BELOW = 1  # priced below its product's limit, in the product's currency
STRANGER = 2  # a named seller not authorized on this platform
WATCHED = 4  # (product, seller key, platform) of an active episode
WATCHED_TARGET = 8  # the target of an active coverage episode


@dataclass(frozen=True)
class CandidateFilter:
    """What makes a newest observation worth judging, besides not being OK, priced and matched.

    `limits`: per catalog SKU, the highest price a rule can object to and its currency (a lower
    price in that currency is a candidate; a SKU missing here is not in the catalog).
    `allowed`: (reseller id, platform) pairs where a seller is authorized (platform `EVERYWHERE`
    for all platforms); a named seller outside them is a candidate.
    `watched`: (product, seller key, platform) of active episodes; `watched_targets`: targets
    of active coverage episodes.
    `unreadable`: statuses of a page that showed nothing; for those rows the query also reads
    since when their target has been unreadable (empty: not needed).
    """

    limits: Mapping[str, tuple[Decimal, str]]
    allowed: Collection[tuple[str, str]]
    watched: Collection[tuple[str, str, str]]
    watched_targets: Collection[str]
    unreadable: Collection[str] = ()


class Candidate(NamedTuple):
    """A newest observation the pre-selection chose, with the fields the rules read.

    `flags`: bits BELOW, STRANGER, WATCHED, WATCHED_TARGET as compared in the database.
    `readable_since`: for a status in `CandidateFilter.unreadable`, the target's newest OK
    observation's time, else its first observation's time. `price_kind` and `price_high` say
    whether the price is the low end of a range and where the range ends (None: a "from" price).
    """

    id: int
    target_id: str
    url: str
    platform: str
    observed_at: datetime
    status: ObservationStatus
    reason: str | None
    price: Money | None
    seller_name: str | None
    reseller_id: str | None
    product_sku: str | None
    visit: str | None
    flags: int
    readable_since: datetime | None
    price_kind: str | None = None
    price_high: Decimal | None = None


@dataclass(frozen=True)
class Candidates:
    newest: int  # newest observations of the wanted targets, candidates or not
    observations: list[Candidate]  # the candidates, ordered by target and id


_FIELDS = list(Observation.model_fields)
# Every field of an Observation is a column: a stored row gives all of them, none is defaulted.
assert set(_FIELDS) <= set(ObservationRow.__table__.columns.keys())
assert not Observation.__pydantic_post_init__


def _trusted(cls: type[_M], values: dict[str, Any], fields_set: set[str] | None = None) -> _M:
    """What `cls.model_construct(**values)` returns for values naming every field of a model,
    without its per-field alias and default lookups and without post-init (thousands per evaluation).

    `fields_set`: the names of `values`, shared between instances of a frozen model (pydantic
    copies it before it changes it), so each instance does not carry a set of its own.
    """
    m = cls.__new__(cls)
    object.__setattr__(m, "__dict__", values)
    object.__setattr__(m, "__pydantic_fields_set__", set(values) if fields_set is None else fields_set)
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


# --- raw reads -----------------------------------------------------------------------------------

_TABLE = ObservationRow.__table__
assert Money.model_config.get("frozen")
_MONEY_FIELDS = set(Money.model_fields)
_STATUS = {s.value: s for s in ObservationStatus}


def _result_converter(column: str, dialect: Dialect) -> Callable[[Any], Any]:
    """The column type's own conversion of a raw driver value (as the ORM applies it)."""
    type_ = _TABLE.c[column].type
    if dialect.name == "sqlite":
        process = type_.dialect_impl(dialect).result_processor(dialect, None)
        if process is not None:
            return process
    # PostgreSQL drivers return datetime and Decimal already: only the type's own step remains.
    return lambda value: type_.process_result_value(value, dialect)  # type: ignore[attr-defined]


def _bind_converter(column: str, dialect: Dialect) -> Callable[[Any], Any]:
    """The column type's conversion of a Python value to what the driver is given."""
    process = _TABLE.c[column].type.dialect_impl(dialect).bind_processor(dialect)
    return process if process is not None else (lambda value: value)


class _Values:
    """Converters with a cache per distinct raw value: many rows share a time or a price."""

    def __init__(self, dialect: Dialect) -> None:
        self._at = _result_converter("observed_at", dialect)
        self._amount = _result_converter("price", dialect)
        self.times: dict[Any, datetime] = {}  # converted so far, by raw value
        self.amounts: dict[Any, Decimal] = {}
        self.prices: dict[tuple[Any, str], Money] = {}

    def at(self, raw: Any) -> datetime:
        found = self.times.get(raw)
        if found is None:
            found = self.times[raw] = self._at(raw)
        return found

    def amount(self, raw: Any) -> Decimal:
        found = self.amounts.get(raw)
        if found is None:
            found = self.amounts[raw] = self._amount(raw)
        return found

    def price(self, raw: Any, currency: str | None) -> Money | None:
        """The Money of a stored price, as ObservationRepository builds it (quantized to the currency)."""
        if raw is None or not currency:
            return None
        key = (raw, currency)
        found = self.prices.get(key)
        if found is None:
            amount = quantize(self.amount(raw), currency)
            found = self.prices[key] = _trusted(Money, {"amount": amount, "currency": currency}, _MONEY_FIELDS)
        return found


def _cursor_rows(conn: Connection, sql: str, params: Mapping[str, Any] | Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Rows of one statement read straight from the driver's cursor (no per-row type processing)."""
    cursor = conn.connection.cursor()
    try:
        cursor.execute(sql, params)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def _no_jit(conn: Connection) -> None:
    """PostgreSQL: no JIT compilation for this transaction. The correlated look-ups make the planner
    expect a costly query, and compiling it took longer than running it (0.5 s of 1.2 s)."""
    conn.exec_driver_sql("SET LOCAL jit = off")


def _executemany(conn: Connection, sql: str, rows: Sequence[Sequence[Any]]) -> None:
    if not rows:
        return
    cursor = conn.connection.cursor()
    try:
        cursor.executemany(sql, rows)
    finally:
        cursor.close()


# The candidate query, written once for both backends: {p} marks a parameter, {inputs} the
# relations alert_sel_limits, alert_sel_allowed, alert_sel_watched and alert_sel_targets.
_COLUMNS = (
    "o.id, o.target_id, o.url, o.platform, o.observed_at, o.status, o.reason, o.price, o.currency, "
    "o.seller_name, o.reseller_id, o.product_sku, o.visit"
)
# Read after the computed columns (flags, readable since), so that those keep their places.
_RANGE_COLUMNS = "o.price_kind, o.price_high"
_NAMED = "(coalesce(o.reseller_id, '') <> '' OR coalesce(o.seller_name, '') <> '')"
_STRANGER = (
    f"{_NAMED}"
    # Two probes rather than `platform IN (o.platform, '*')`: SQLite runs an IN list row by row.
    " AND NOT EXISTS (SELECT 1 FROM alert_sel_allowed a"
    " WHERE a.reseller_id = o.reseller_id AND a.platform = o.platform)"
    " AND NOT EXISTS (SELECT 1 FROM alert_sel_allowed a WHERE a.reseller_id = o.reseller_id AND a.platform = '*')"
)
_BELOW = "o.currency = l.currency AND o.price < l.highest"
_WATCHED = (
    "EXISTS (SELECT 1 FROM alert_sel_watched w WHERE w.product_sku = o.product_sku"
    " AND w.seller_key = coalesce(o.seller_key, 'unknown') AND w.platform = o.platform)"
)
_WATCHED_TARGET = "o.target_id IN (SELECT target_id FROM alert_sel_targets)"


def _conditions(keep: CandidateFilter) -> tuple[str, str]:
    """(the WHERE condition choosing a candidate, the expression of its flags). The look-ups of
    active episodes are left out when there are none (most evaluations of a quiet market)."""
    terms = [(_BELOW, BELOW), (_STRANGER, STRANGER)]
    if keep.watched:
        terms.append((_WATCHED, WATCHED))
    if keep.watched_targets:
        terms.append((_WATCHED_TARGET, WATCHED_TARGET))
    chosen = "(o.status <> 'ok' OR o.price IS NULL OR l.sku IS NULL OR " + " OR ".join(f"({t})" for t, _ in terms) + ")"
    flags = " + ".join(f"(CASE WHEN {t} THEN {bit} ELSE 0 END)" for t, bit in terms)
    return chosen, flags


# Since when an unreadable page's target shows no price: its newest OK reading, else its first.
_READABLE = (
    "CASE WHEN o.status IN ({unreadable}) THEN coalesce("
    "(SELECT max(h.observed_at) FROM observations h WHERE h.target_id = o.target_id AND h.status = 'ok'), "
    "(SELECT min(h.observed_at) FROM observations h WHERE h.target_id = o.target_id)) END"
)
_SEPARATOR = " "  # between target ids in the summary row (ids of watch targets have no spaces)


class AlertInputRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def candidates(self, wanted: Collection[str] | None, keep: CandidateFilter) -> Candidates:
        """The newest visit of every target (of `wanted`, when given) that `keep` selects, and how
        many newest observations there were in all.

        A row is a candidate when it is not OK, has no price, names no catalog product, is priced
        below its product's limit in the product's currency, is sold by a named seller outside
        `keep.allowed`, or falls under an active episode.

        One statement reads the candidates, each newest row of a visit with several offers (so
        that its other offers can be read), and a summary row: the targets present and their count.
        """
        with self.db.engine.begin() as conn:
            dialect = conn.dialect
            values = _Values(dialect)
            sqlite = dialect.name == "sqlite"
            params: dict[str, Any] = {}
            if sqlite:
                _fill_sqlite(conn, keep)
                inputs = ""
            else:
                _no_jit(conn)
                inputs = _postgres_inputs(keep, params)

            def p(name: str) -> str:
                return f":{name}" if sqlite else f"%({name})s"

            unreadable = sorted(set(keep.unreadable))
            for i, status in enumerate(unreadable):
                params[f"dark{i}"] = status
            readable = (
                _READABLE.format(unreadable=", ".join(p(f"dark{i}") for i in range(len(unreadable))))
                if unreadable
                else "NULL"
            )
            listing = f"{'group_concat' if sqlite else 'string_agg'}(target_id, '{_SEPARATOR}')"
            chosen_if, flags = _conditions(keep)
            sql = (
                f"WITH {inputs}newest AS MATERIALIZED "
                "(SELECT target_id, max(id) AS id FROM observations GROUP BY target_id) "
                f"SELECT {_COLUMNS}, {flags}, {readable}, {_RANGE_COLUMNS} FROM newest n "
                "JOIN observations o ON o.id = n.id "
                "LEFT JOIN alert_sel_limits l ON l.sku = o.product_sku "
                f"WHERE o.visit IS NOT NULL OR {chosen_if} "
                f"UNION ALL SELECT NULL, {listing}, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
                "count(*), NULL, NULL, NULL FROM newest"
            )
            raw = _cursor_rows(conn, sql, params)
            summary = next(r for r in raw if r[0] is None)
            rows = [r for r in raw if r[0] is not None]
            present_count = int(summary[13])
            present = summary[1].split(_SEPARATOR) if summary[1] else []
            if len(present) != present_count:  # a stored target id with a space in it
                present = [t for (t,) in _cursor_rows(conn, "SELECT DISTINCT target_id FROM observations")]
            # The other offers of a newest visit with several: read only where there are any.
            anchors = [(r[1], r[12], r[0]) for r in rows if r[12] is not None]
            computed = f"{flags}, {readable}, {_RANGE_COLUMNS}"
            offers = _other_offers(conn, anchors, inputs, computed, params) if anchors else []
            if sqlite:
                _drop_sqlite(conn)
        if wanted is None:
            others: set[str] = set()
        else:  # set operations in C: 200,000 targets for a large brand
            others = set(present).difference(wanted if isinstance(wanted, (set, frozenset)) else set(wanted))
        total = present_count - len(others) + sum(1 for r in offers if r[1] not in others)
        chosen: list[Candidate] = []
        limits = keep.limits
        ok = ObservationStatus.OK
        make = tuple.__new__  # a Candidate from a tuple of its fields, without argument parsing
        at, price, times, prices, amount = values.at, values.price, values.times, values.prices, values.amount
        for r in (*rows, *offers) if offers else rows:
            if others and r[1] in others:
                continue
            status = _STATUS.get(r[5]) or ObservationStatus(r[5])
            # The newest row of a visit with several offers comes even when in line: keep only candidates.
            if r[13] == 0 and status is ok and r[7] is not None and r[11] in limits and r[12] is not None:
                continue
            since = r[14]
            chosen.append(
                make(
                    Candidate,
                    (
                        r[0],
                        r[1],
                        r[2],
                        r[3],
                        times.get(r[4]) or at(r[4]),
                        status,
                        r[6],
                        None if r[7] is None else prices.get((r[7], r[8])) or price(r[7], r[8]),
                        r[9],
                        r[10],
                        r[11],
                        r[12],
                        r[13],
                        at(since) if since is not None else None,
                        r[15],
                        None if r[16] is None else amount(r[16]),
                    ),
                )
            )
        chosen.sort(key=itemgetter(1, 0))  # by target, then id
        return Candidates(total, chosen)

    def observations(self, ids: Sequence[int]) -> list[Observation]:
        """Full observations by id, ordered by target and id.

        Built without re-validation (the rows were validated when stored): the engine reads
        thousands of them per evaluation.
        """
        found: list[Observation] = []
        with self.db.session() as s:
            for chunk in chunks(sorted(ids)):
                found.extend(_built(s.execute(select(_TABLE).where(_TABLE.c.id.in_(chunk)))))
        return sorted(found, key=lambda o: (o.target_id, o.id or 0))

    def recent_prices(self, target_ids: Collection[str], since: datetime) -> dict[str, list[PriceReading]]:
        """Priced OK readings of each target since `since`, oldest first (for the drift rule).

        A range's low end or a "from" price is no reading of what the seller asks for this variant
        (`RANGE`) and is left out. One statement for all targets, read from the
        driver's cursor.
        """
        found: dict[str, list[PriceReading]] = {}
        wanted = sorted(set(target_ids))
        if not wanted:
            return found
        with self.db.engine.begin() as conn:
            dialect = conn.dialect
            values = _Values(dialect)
            at = _bind_converter("observed_at", dialect)(since)
            columns = "o.target_id, o.id, o.observed_at, o.price, o.currency, o.seller_key"
            where = (
                "o.status = 'ok' AND o.price IS NOT NULL AND o.currency IS NOT NULL "
                f"AND (o.price_kind IS NULL OR o.price_kind <> '{RANGE}')"
            )
            order = "ORDER BY o.target_id, o.observed_at, o.id"
            if dialect.name == "sqlite":
                conn.exec_driver_sql("DROP TABLE IF EXISTS temp.alert_sel_history")
                conn.exec_driver_sql("CREATE TEMPORARY TABLE alert_sel_history (target_id VARCHAR PRIMARY KEY)")
                _executemany(conn, "INSERT INTO alert_sel_history VALUES (?)", [(t,) for t in wanted])
                # `IN (SELECT ...)` probes the index per wanted target and reads every column from
                # it (ix_observations_target_history covers them), in the order asked for; as a join
                # SQLite read each row from the table, and without a probe it scanned every observation.
                rows = _cursor_rows(
                    conn,
                    f"SELECT {columns} FROM observations o WHERE o.target_id IN "
                    f"(SELECT target_id FROM alert_sel_history) AND o.observed_at >= ? AND {where} {order}",
                    (at,),
                )
                conn.exec_driver_sql("DROP TABLE IF EXISTS temp.alert_sel_history")
            else:
                _no_jit(conn)
                rows = _cursor_rows(
                    conn,
                    f"SELECT {columns} FROM observations o WHERE o.target_id = ANY(%(t)s) "
                    f"AND o.observed_at >= %(at)s AND {where} {order}",
                    {"t": wanted, "at": at},
                )
        # Rows come ordered by target: one list per run of a target; a PriceReading from a tuple
        # of its fields without argument parsing; conversions looked up before they are called.
        times, amounts, make = values.times, values.amounts, tuple.__new__
        held: list[PriceReading] = []
        current = None
        for target, oid, raw_at, price, currency, key in rows:
            if target != current:
                current, held = target, []
                found[target] = held
            when = times.get(raw_at) or values.at(raw_at)
            amount = amounts.get(price) or values.amount(price)
            held.append(make(PriceReading, (oid, when, amount, currency, key or "unknown")))
        return found

    def readable_since(self, target_ids: Sequence[str]) -> dict[str, datetime]:
        """Per target: its newest OK observation's time, else its first observation's time."""
        result: dict[str, datetime] = {}
        with self.db.session() as s:
            for chunk in chunks(sorted(set(target_ids))):
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
            for chunk in chunks(list(skus)):
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


# --- the inputs of the comparison ----------------------------------------------------------------

_SQLITE_INPUTS = {
    "alert_sel_limits": "sku VARCHAR PRIMARY KEY, highest BIGINT, currency VARCHAR",
    "alert_sel_allowed": "reseller_id VARCHAR, platform VARCHAR, PRIMARY KEY (reseller_id, platform)",
    "alert_sel_watched": "product_sku VARCHAR, seller_key VARCHAR, platform VARCHAR, "
    "PRIMARY KEY (product_sku, seller_key, platform)",
    "alert_sel_targets": "target_id VARCHAR PRIMARY KEY",
    "alert_sel_visits": "target_id VARCHAR, visit VARCHAR, id BIGINT",
}


def _drop_sqlite(conn: Connection) -> None:
    for name in _SQLITE_INPUTS:
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS temp.{name}")


def _fill_sqlite(conn: Connection, keep: CandidateFilter) -> None:
    """Temporary tables (they live as long as the pooled connection: start from none)."""
    _drop_sqlite(conn)
    for name, columns in _SQLITE_INPUTS.items():
        conn.exec_driver_sql(f"CREATE TEMPORARY TABLE {name} ({columns})")
    amount = _bind_converter("price", conn.dialect)
    _executemany(
        conn,
        "INSERT INTO alert_sel_limits VALUES (?, ?, ?)",
        [(sku, amount(highest), currency) for sku, (highest, currency) in keep.limits.items()],
    )
    _executemany(conn, "INSERT INTO alert_sel_allowed VALUES (?, ?)", sorted(set(keep.allowed)))
    _executemany(conn, "INSERT INTO alert_sel_watched VALUES (?, ?, ?)", sorted(set(keep.watched)))
    _executemany(conn, "INSERT INTO alert_sel_targets VALUES (?)", [(t,) for t in sorted(set(keep.watched_targets))])


def _postgres_inputs(keep: CandidateFilter, params: dict[str, Any]) -> str:
    """The inputs as common table expressions over array parameters (one round trip, no catalog churn)."""
    amount = Decimal  # NUMERIC parameters take Decimal as is
    limits = list(keep.limits.items())
    allowed = sorted(set(keep.allowed))
    watched = sorted(set(keep.watched))
    params.update(
        lim_sku=[k for k, _ in limits],
        lim_highest=[amount(v[0]) for _, v in limits],
        lim_currency=[v[1] for _, v in limits],
        allowed_reseller=[r for r, _ in allowed],
        allowed_platform=[p for _, p in allowed],
        watched_sku=[k for k, _, _ in watched],
        watched_seller=[s for _, s, _ in watched],
        watched_platform=[p for _, _, p in watched],
        watched_targets=sorted(set(keep.watched_targets)),
    )
    return (
        "alert_sel_limits (sku, highest, currency) AS (SELECT * FROM unnest("
        "%(lim_sku)s::text[], %(lim_highest)s::numeric[], %(lim_currency)s::text[])), "
        "alert_sel_allowed (reseller_id, platform) AS (SELECT * FROM unnest("
        "%(allowed_reseller)s::text[], %(allowed_platform)s::text[])), "
        "alert_sel_watched (product_sku, seller_key, platform) AS (SELECT * FROM unnest("
        "%(watched_sku)s::text[], %(watched_seller)s::text[], %(watched_platform)s::text[])), "
        "alert_sel_targets (target_id) AS (SELECT unnest(%(watched_targets)s::text[])), "
    )


def _other_offers(
    conn: Connection,
    anchors: Sequence[tuple[str, str, int]],
    inputs: str,
    computed: str,
    params: dict[str, Any],
) -> list[tuple[Any, ...]]:
    """Every other offer of the visits named by (target, visit, newest id), candidates or not,
    with the `computed` columns (flags, readable since, range) of the candidate query."""
    body = (
        f"SELECT {_COLUMNS}, {computed} FROM alert_sel_visits x "
        "JOIN observations o ON o.target_id = x.target_id AND o.visit = x.visit AND o.id <> x.id "
        "LEFT JOIN alert_sel_limits l ON l.sku = o.product_sku"
    )
    if conn.dialect.name == "sqlite":
        _executemany(conn, "INSERT INTO alert_sel_visits VALUES (?, ?, ?)", anchors)
        return _cursor_rows(conn, body, params)
    params = {
        **params,
        "visit_target": [t for t, _, _ in anchors],
        "visit_visit": [v for _, v, _ in anchors],
        "visit_id": [i for _, _, i in anchors],
    }
    visits = (
        "alert_sel_visits (target_id, visit, id) AS (SELECT * FROM unnest("
        "%(visit_target)s::text[], %(visit_visit)s::text[], %(visit_id)s::bigint[])) "
    )
    return _cursor_rows(conn, f"WITH {inputs}{visits}{body}", params)
