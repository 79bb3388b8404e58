"""Read-only queries behind the dashboard pages: alert lists with keyset pagination, overview
figures, price histories, reseller scorecards, product price boards.

Lists page by id (newest first): `WHERE id < :cursor ORDER BY id DESC LIMIT n` walks the primary
key, so page 2,000 of 100,000 alerts costs what page 1 costs.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, or_, select

from oneprice.domain.alert import ACTIVE_STATUSES
from oneprice.storage.db import Database
from oneprice.storage.tables import AlertRow, ObservationRow, ProductRow, ResellerRow

ACTIVE = tuple(sorted(s.value for s in ACTIVE_STATUSES))


@dataclass(frozen=True)
class AlertFilter:
    """Filters of the alert inbox; empty fields do not filter."""

    statuses: tuple[str, ...] = ()
    rule: str | None = None
    severity: str | None = None
    platform: str | None = None
    product: str | None = None  # SKU, exact
    seller: str | None = None  # part of the seller's name, or its exact key
    since: date | None = None  # last seen on or after (UTC day)
    until: date | None = None  # last seen on or before (UTC day)

    def where(self, q: Select[Any]) -> Select[Any]:
        if self.statuses:
            q = q.where(AlertRow.status.in_(self.statuses))
        if self.rule:
            q = q.where(AlertRow.rule == self.rule)
        if self.severity:
            q = q.where(AlertRow.severity == self.severity)
        if self.platform:
            q = q.where(AlertRow.platform == self.platform)
        if self.product:
            q = q.where(AlertRow.product_sku == self.product)
        if self.seller:
            pattern = "%" + _escape_like(self.seller.casefold()) + "%"
            q = q.where(
                or_(
                    AlertRow.seller_key == self.seller,
                    func.lower(AlertRow.seller_name).like(pattern, escape="\\"),
                )
            )
        if self.since:
            q = q.where(AlertRow.last_seen >= _day_start(self.since))
        if self.until:
            if self.until < date.max:  # the last day there is has no day after it
                q = q.where(AlertRow.last_seen < _day_start(self.until + timedelta(days=1)))
        return q


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _day_start(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, tzinfo=UTC)


@dataclass(frozen=True)
class AlertLine:
    """One alert as the dashboard lists it (amounts exact, in the alert's currency)."""

    id: int
    rule: str
    status: str
    severity: str
    product_sku: str
    seller_key: str
    seller_name: str | None
    reseller_id: str | None
    platform: str
    observed_price: Decimal | None
    unified_price: Decimal
    currency: str
    gap_percent: Decimal | None
    message: str
    url: str | None
    observation_id: int | None
    first_seen: datetime
    last_seen: datetime
    resolved_at: datetime | None


_CENT = Decimal("0.01")


def _line(r: AlertRow) -> AlertLine:
    return AlertLine(
        id=r.id,
        rule=r.rule,
        status=r.status,
        severity=r.severity,
        product_sku=r.product_sku,
        seller_key=r.seller_key,
        seller_name=r.seller_name,
        reseller_id=r.reseller_id,
        platform=r.platform,
        observed_price=r.observed_price.quantize(_CENT) if r.observed_price is not None else None,
        unified_price=r.unified_price.quantize(_CENT),
        currency=r.currency,
        gap_percent=r.gap_percent.quantize(_CENT) if r.gap_percent is not None else None,
        message=r.message,
        url=r.url,
        observation_id=r.observation_id,
        first_seen=r.first_seen,
        last_seen=r.last_seen,
        resolved_at=r.resolved_at,
    )


@dataclass(frozen=True)
class AlertPage:
    lines: list[AlertLine]
    next_cursor: int | None  # pass as `before` for the next page; None on the last page


@dataclass(frozen=True)
class PricePoint:
    at: datetime
    price: Decimal
    currency: str
    observation_id: int


@dataclass(frozen=True)
class Listing:
    """The newest priced observation of one seller's listing of a product on a platform."""

    observation_id: int
    platform: str
    seller_key: str
    seller_name: str | None
    reseller_id: str | None
    title: str | None
    url: str
    price: Decimal | None
    currency: str | None
    status: str
    confidence: Decimal
    observed_at: datetime
    product_sku: str | None
    evidence_sha256: str | None


@dataclass(frozen=True)
class PlatformCompliance:
    platform: str
    listings: int
    violating: int

    @property
    def percent(self) -> Decimal:
        if self.listings == 0:
            return Decimal(100)
        return (Decimal(self.listings - self.violating) * 100 / self.listings).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class SellerInViolation:
    seller_key: str
    seller_name: str | None
    reseller_id: str | None
    active_alerts: int
    worst_severity: str


@dataclass(frozen=True)
class Overview:
    active_by_severity: dict[str, int]
    sellers: list[SellerInViolation]
    compliance: list[PlatformCompliance]
    trend_days: list[date]
    trend: dict[str, list[int]]  # severity -> alerts first seen per day, aligned with trend_days


@dataclass(frozen=True)
class Scorecard:
    seller_key: str
    name: str | None
    reseller_id: str | None
    authorized: bool | None  # None: not a known reseller
    own_store: bool
    platforms: tuple[str, ...]
    aliases: tuple[str, ...]
    active_alerts: int
    total_alerts: int
    dismissed_alerts: int
    listings: int
    violating_listings: int
    last_seen: datetime | None
    by_rule: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ProductLine:
    sku: str
    name: str
    unified_price: Decimal
    currency: str
    product_line: str | None
    active_alerts: int


_SEVERITY_ORDER = {"info": 0, "warning": 1, "critical": 2}


class DashboardQueries:
    """Every read the dashboard makes that no other repository offers."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- alerts ----------------------------------------------------------------------------

    def alert_page(self, flt: AlertFilter, *, before: int | None = None, limit: int = 50) -> AlertPage:
        with self.db.session() as s:
            q = flt.where(select(AlertRow))
            if before is not None:
                q = q.where(AlertRow.id < before)
            rows = list(s.scalars(q.order_by(AlertRow.id.desc()).limit(limit + 1)))
        lines = [_line(r) for r in rows[:limit]]
        return AlertPage(lines=lines, next_cursor=lines[-1].id if len(rows) > limit else None)

    def alert_count(self, flt: AlertFilter, *, cap: int | None = None) -> int:
        """How many alerts match; with `cap`, counting stops past it (returns cap + 1), so a page of a
        broad filter over 100,000 alerts does not pay for a full count."""
        with self.db.session() as s:
            if cap is None:
                return int(s.scalar(flt.where(select(func.count()).select_from(AlertRow))) or 0)
            sub = flt.where(select(AlertRow.id)).limit(cap + 1).subquery()
            return int(s.scalar(select(func.count()).select_from(sub)) or 0)

    def iter_alerts(self, flt: AlertFilter, *, chunk: int = 1000) -> Iterator[AlertLine]:
        """Every alert matching the filter, newest first, read a chunk at a time (for exports)."""
        before: int | None = None
        while True:
            page = self.alert_page(flt, before=before, limit=chunk)
            yield from page.lines
            if page.next_cursor is None:
                return
            before = page.next_cursor

    def alert(self, alert_id: int) -> AlertLine | None:
        with self.db.session() as s:
            row = s.get(AlertRow, alert_id)
            return _line(row) if row else None

    def seller_alerts(self, seller_key: str, limit: int = 50) -> list[AlertLine]:
        with self.db.session() as s:
            rows = s.scalars(
                select(AlertRow).where(AlertRow.seller_key == seller_key).order_by(AlertRow.id.desc()).limit(limit)
            )
            return [_line(r) for r in rows]

    # -- overview --------------------------------------------------------------------------

    def overview(self, *, days: int = 30, today: date | None = None) -> Overview:
        today = today or datetime.now(UTC).date()
        start = today - timedelta(days=days - 1)
        with self.db.session() as s:
            by_severity = dict.fromkeys(("critical", "warning", "info"), 0)
            for sev, n in s.execute(
                select(AlertRow.severity, func.count()).where(AlertRow.status.in_(ACTIVE)).group_by(AlertRow.severity)
            ):
                by_severity[sev] = n
            sellers = self._sellers_in_violation(s)
            compliance = self._compliance(s)
            per_day: dict[str, Counter[date]] = defaultdict(Counter)
            for first_seen, sev in s.execute(
                select(AlertRow.first_seen, AlertRow.severity).where(AlertRow.first_seen >= _day_start(start))
            ):
                per_day[sev][first_seen.date()] += 1
        trend_days = [start + timedelta(days=i) for i in range(days)]
        trend = {sev: [per_day[sev][d] for d in trend_days] for sev in ("critical", "warning", "info")}
        return Overview(by_severity, sellers, compliance, trend_days, trend)

    def _sellers_in_violation(self, s: Any) -> list[SellerInViolation]:
        counts: dict[str, int] = Counter()
        names: dict[str, tuple[str | None, str | None]] = {}
        worst: dict[str, str] = {}
        for key, name, rid, sev in s.execute(
            select(AlertRow.seller_key, AlertRow.seller_name, AlertRow.reseller_id, AlertRow.severity).where(
                AlertRow.status.in_(ACTIVE)
            )
        ):
            counts[key] += 1
            names[key] = (name, rid)
            if _SEVERITY_ORDER.get(sev, 0) >= _SEVERITY_ORDER.get(worst.get(key, "info"), 0):
                worst[key] = sev
        return sorted(
            (SellerInViolation(k, names[k][0], names[k][1], n, worst[k]) for k, n in counts.items()),
            key=lambda v: (-_SEVERITY_ORDER.get(v.worst_severity, 0), -v.active_alerts, v.seller_key),
        )

    def _latest_listings_query(self) -> Select[Any]:
        newest = (
            select(func.max(ObservationRow.id).label("id"))
            .where(ObservationRow.status == "ok", ObservationRow.product_sku.is_not(None))
            .group_by(ObservationRow.product_sku, ObservationRow.platform, ObservationRow.seller_key)
            .subquery()
        )
        return select(ObservationRow).join(newest, ObservationRow.id == newest.c.id)

    def _active_keys(self, s: Any, seller_key: str | None = None) -> set[tuple[str, str, str]]:
        """(product, seller, platform) of every active alert, or of one seller's."""
        query = select(AlertRow.product_sku, AlertRow.seller_key, AlertRow.platform).where(AlertRow.status.in_(ACTIVE))
        if seller_key is not None:
            query = query.where(AlertRow.seller_key == seller_key)
        return {(sku, seller, platform) for sku, seller, platform in s.execute(query)}

    def _compliance(self, s: Any) -> list[PlatformCompliance]:
        """Per platform: the newest priced reading of each (product, seller) listing, and how many
        of them have an active alert."""
        active = self._active_keys(s)
        listings: Counter[str] = Counter()
        violating: Counter[str] = Counter()
        for r in s.scalars(self._latest_listings_query()):
            listings[r.platform] += 1
            if (r.product_sku, r.seller_key, r.platform) in active:
                violating[r.platform] += 1
        return [PlatformCompliance(p, listings[p], violating[p]) for p in sorted(listings)]

    # -- price history and listings --------------------------------------------------------

    def price_history(self, product_sku: str, platform: str, seller_key: str, limit: int = 500) -> list[PricePoint]:
        """A seller's priced readings of a product on a platform, oldest first (the newest `limit`)."""
        with self.db.session() as s:
            rows = list(
                s.execute(
                    select(
                        ObservationRow.observed_at,
                        ObservationRow.price,
                        ObservationRow.currency,
                        ObservationRow.id,
                    )
                    .where(
                        ObservationRow.product_sku == product_sku,
                        ObservationRow.platform == platform,
                        ObservationRow.seller_key == seller_key,
                        ObservationRow.status == "ok",
                        ObservationRow.price.is_not(None),
                    )
                    .order_by(ObservationRow.observed_at.desc(), ObservationRow.id.desc())
                    .limit(limit)
                )
            )
        return [PricePoint(at, price, cur or "", oid) for at, price, cur, oid in reversed(rows) if price is not None]

    def product_listings(self, product_sku: str) -> list[Listing]:
        """The newest reading of every seller's listing of this product, by platform then price."""
        with self.db.session() as s:
            q = self._latest_listings_query().where(ObservationRow.product_sku == product_sku)
            rows = [_listing(r) for r in s.scalars(q)]
        return sorted(rows, key=lambda x: (x.platform, x.price if x.price is not None else Decimal(0)))

    def seller_listings(self, seller_key: str, limit: int = 200) -> list[Listing]:
        with self.db.session() as s:
            q = self._latest_listings_query().where(ObservationRow.seller_key == seller_key)
            rows = [_listing(r) for r in s.scalars(q.order_by(ObservationRow.id.desc()).limit(limit))]
        return rows

    # -- products and resellers -----------------------------------------------------------

    def products(self) -> list[ProductLine]:
        with self.db.session() as s:
            active = Counter(
                dict(
                    s.execute(
                        select(AlertRow.product_sku, func.count())
                        .where(AlertRow.status.in_(ACTIVE))
                        .group_by(AlertRow.product_sku)
                    ).all()
                )
            )
            return [
                ProductLine(r.sku, r.name, r.unified_price.quantize(_CENT), r.currency, r.product_line, active[r.sku])
                for r in s.scalars(select(ProductRow).order_by(ProductRow.sku))
            ]

    def product(self, sku: str) -> ProductLine | None:
        for p in self.products():
            if p.sku == sku:
                return p
        return None

    def seller_keys(self) -> list[str]:
        """Known resellers first (config order by id), then every other seller seen in alerts."""
        with self.db.session() as s:
            known = list(s.scalars(select(ResellerRow.id).order_by(ResellerRow.id)))
            seen = s.scalars(select(AlertRow.seller_key).distinct().order_by(AlertRow.seller_key))
            return known + [k for k in seen if k not in set(known)]

    def scorecard(self, seller_key: str) -> Scorecard | None:
        with self.db.session() as s:
            reseller = s.get(ResellerRow, seller_key)
            by_status = dict(
                s.execute(
                    select(AlertRow.status, func.count())
                    .where(AlertRow.seller_key == seller_key)
                    .group_by(AlertRow.status)
                ).all()
            )
            by_rule = dict(
                s.execute(
                    select(AlertRow.rule, func.count()).where(AlertRow.seller_key == seller_key).group_by(AlertRow.rule)
                ).all()
            )
            name_row = s.execute(
                select(AlertRow.seller_name, AlertRow.last_seen)
                .where(AlertRow.seller_key == seller_key)
                .order_by(AlertRow.id.desc())
                .limit(1)
            ).first()
            obs_row = s.execute(
                select(ObservationRow.seller_name, ObservationRow.observed_at)
                .where(ObservationRow.seller_key == seller_key)
                .order_by(ObservationRow.id.desc())
                .limit(1)
            ).first()
            active = self._active_keys(s, seller_key)
            latest = list(s.scalars(self._latest_listings_query().where(ObservationRow.seller_key == seller_key)))
        if reseller is None and name_row is None and obs_row is None:
            return None
        name = reseller.name if reseller else (name_row[0] if name_row else obs_row[0] if obs_row else None)
        times = [t for t in (name_row[1] if name_row else None, obs_row[1] if obs_row else None) if t]
        return Scorecard(
            seller_key=seller_key,
            name=name,
            reseller_id=reseller.id if reseller else None,
            authorized=(reseller.authorized or reseller.own_store) if reseller else None,
            own_store=bool(reseller and reseller.own_store),
            platforms=tuple(reseller.platforms) if reseller else (),
            aliases=tuple(reseller.aliases) if reseller else (),
            active_alerts=sum(n for st, n in by_status.items() if st in ACTIVE),
            total_alerts=sum(by_status.values()),
            dismissed_alerts=by_status.get("dismissed", 0),
            listings=len(latest),
            violating_listings=sum(1 for r in latest if (r.product_sku, r.seller_key, r.platform) in active),
            last_seen=max(times) if times else None,
            by_rule=by_rule,
        )


def _listing(r: ObservationRow) -> Listing:
    return Listing(
        observation_id=r.id,
        platform=r.platform,
        seller_key=r.seller_key or "unknown",
        seller_name=r.seller_name,
        reseller_id=r.reseller_id,
        title=r.title,
        url=r.url,
        price=r.price.quantize(_CENT) if r.price is not None else None,
        currency=r.currency,
        status=r.status,
        confidence=r.confidence,
        observed_at=r.observed_at,
        product_sku=r.product_sku,
        evidence_sha256=r.evidence_sha256,
    )
