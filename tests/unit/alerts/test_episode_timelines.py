"""Months of crawls and evaluations on random timelines, checked by invariants after every step.

A small brand (two products, sellers authorized everywhere, on tmall only, unauthorized, unknown,
its own store, a page without a seller) is watched on three platforms. Per listing the price walks
around the unified price with dips below the floor, blocked and sold-out visits, ranges, "from"
prices, review and unmatched readings and prices in another currency; sanctioned promotions come
and go; a brand manager acknowledges, resolves and dismisses alerts. After every evaluation the
episodes are compared with a model written from docs/alerts.md (undercut, unauthorized seller,
coverage gap), and general invariants are checked for every rule: one active episode per key, valid
state histories, finished episodes left alone, evidence that really violates, one outbox message
per event and matching route.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import hypothesis
import pytest
from alert_fakes import Feed
from alert_fakes import make_config as make_fake_config
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from alerts.delivery import DeliveryError, deliver
from alerts.engine import evaluate
from oneprice.domain.alert import Alert, AlertStatus, EpisodePolicy, Severity
from oneprice.domain.catalog import Catalog, Product, Reseller, WatchTarget
from oneprice.domain.money import Money
from oneprice.domain.observation import Observation, ObservationStatus, seller_key
from oneprice.domain.outbox import OutboxStatus
from oneprice.errors import UserError
from oneprice.settings.alerts import RouteSettings
from oneprice.settings.loader import LoadedConfig
from oneprice.settings.models import Settings
from oneprice.storage import AlertRepository, Database, ObservationRepository, OutboxRepository
from oneprice.storage.tables import AlertEventRow

T0 = datetime(2026, 5, 1, 0, 0, tzinfo=UTC)
CHINA = timezone(timedelta(hours=8))
SCRATCH = "/dev/shm" if Path("/dev/shm").is_dir() else None  # a database in memory where the machine offers it
EVALUATION_LAG = timedelta(minutes=5)  # evaluate runs a few minutes after the crawl
DELIVERY_LAG = timedelta(minutes=6)  # then the outbox is delivered
ACTION_LAG = timedelta(minutes=7)  # and people act a little after that

PRODUCTS = {
    "JK": Product(sku="JK", name="Jacket", unified_price=Money.of("1000", "CNY"), product_line="apparel"),
    "TN": Product(sku="TN", name="Tent", unified_price=Money.of("2000", "CNY"), product_line="gear"),
}
RESELLERS = {
    "auth": Reseller(id="auth", name="授权店"),
    "tm": Reseller(id="tm", name="天猫专营", platforms=("tmall",)),
    "grey": Reseller(id="grey", name="灰市", authorized=False),
    "own": Reseller(id="own", name="官方店", own_store=True, platforms=("jd",)),
}
CRITICAL_GAP = Decimal(15)
REPEAT_ESCALATION = 2


@dataclass(frozen=True)
class Listing:
    target: str
    platform: str
    sku: str
    reseller: str | None
    seller: str | None

    @property
    def seller_key(self) -> str:
        return seller_key(self.reseller, self.seller)


LISTINGS = (
    Listing("tm-auth-jk", "tmall", "JK", "auth", "授权店"),
    Listing("jd-auth-tn", "jd", "TN", "auth", "授权店"),
    Listing("tm-tm-jk", "tmall", "JK", "tm", "天猫专营"),
    Listing("jd-tm-tn", "jd", "TN", "tm", "天猫专营"),  # authorized, but only on tmall
    Listing("tb-grey-jk", "taobao", "JK", "grey", "灰市"),
    Listing("tb-stranger-tn", "taobao", "TN", None, "路人 甲"),
    Listing("jd-own-jk", "jd", "JK", "own", "官方店"),
    Listing("tm-nobody-tn", "tmall", "TN", None, None),
)

ROUTES: tuple[dict[str, Any], ...] = (
    {"name": "log", "url": "log://"},
    {"name": "crit", "url": "log://", "min_severity": "critical", "language": "en"},
    {
        "name": "tmall",
        "url": "log://",
        "platforms": ["tmall"],
        "rules": ["undercut", "unauthorized_seller"],
        "events": ["opened"],
        "digest_minutes": 60,
    },
    {"name": "gear", "url": "log://", "product_lines": ["gear"], "min_severity": "warning"},
)

# What a visit shows. Weighted by repetition: mostly an ordinary price.
KINDS = (
    ("ok",) * 10
    + ("edge",) * 2  # exactly at the floor or one cent below it
    + ("range", "from", "blocked", "blocked", "http_error", "no_price", "review", "unmatched", "usd", "skip", "skip")
)
# The price walk in percent of the unified price: small steps, sometimes a dip or a jump back.
STEPS = (-3, -2, -1, 0, 0, 0, 1, 2, 3, -12, 12, -25, 25)
GAPS = (1, 2, 3, 4, 6, 6, 8, 12, 24, 72, 240)  # hours between crawls: days of dense crawls, quiet weeks
ACTIONS = ("ack", "ack", "resolve", "dismiss", "dismiss", "dismiss_without_reason")


@dataclass(frozen=True)
class Promotion:
    name: str
    start: datetime
    end: datetime
    platforms: tuple[str, ...]
    products: tuple[str, ...]
    floor_percent: Decimal | None
    floor_price: Decimal | None


@dataclass(frozen=True)
class Step:
    hours: int
    visits: tuple[tuple[str, int, int], ...]  # per listing: kind, walk step, range spread in percent
    action: tuple[str, int] | None  # (what, which active alert)
    again: bool  # evaluate twice at the same time
    crawls: int  # before this evaluation: none, one, or two (only the newest visit is judged)
    deliver: str  # "no", "yes" or "crit down" (the route crit refuses every message)


@dataclass(frozen=True)
class Timeline:
    listings: tuple[Listing, ...]
    grace_observations: int
    grace_minutes: int
    resolve_after_minutes: int
    coverage_minutes: int
    jd_override: bool
    gear_absolute: bool
    promotions: tuple[Promotion, ...]
    steps: tuple[Step, ...]


@st.composite
def timelines(draw: st.DrawFn, min_steps: int = 15, max_steps: int = 60) -> Timeline:
    listings = tuple(
        draw(st.lists(st.sampled_from(LISTINGS), min_size=3, max_size=len(LISTINGS), unique_by=lambda x: x.target))
    )
    visit = st.tuples(st.sampled_from(KINDS), st.sampled_from(STEPS), st.integers(0, 30))
    step = st.builds(
        Step,
        hours=st.sampled_from(GAPS),
        visits=st.tuples(*[visit] * len(listings)),
        action=st.none() | st.none() | st.tuples(st.sampled_from(ACTIONS), st.integers(0, 9)),
        again=st.integers(0, 4).map(lambda n: n == 0),
        crawls=st.sampled_from([0, 1, 1, 1, 1, 1, 1, 2]),
        deliver=st.sampled_from(["no", "no", "yes", "crit down"]),
    )
    steps = tuple(draw(st.lists(step, min_size=min_steps, max_size=max_steps)))
    total = sum(s.hours for s in steps)
    promotions = []
    for i in range(draw(st.integers(0, 2))):
        start = T0 + timedelta(hours=draw(st.integers(0, total)))
        floor_percent = draw(st.none() | st.sampled_from([Decimal(10), Decimal(20), Decimal(30)]))
        # An absolute floor is one product's; a floor in percent may hold for every product.
        products, floor_price = draw(st.sampled_from([(("JK",), Decimal(850)), (("TN",), Decimal(1700))]))
        promotions.append(
            Promotion(
                name=f"大促{i}",
                start=start,
                end=start + timedelta(hours=draw(st.sampled_from([6, 24, 72, 168]))),
                platforms=draw(st.sampled_from([(), ("tmall",), ("jd", "taobao")])),
                products=products if floor_percent is None or draw(st.booleans()) else (),
                floor_percent=floor_percent,
                floor_price=None if floor_percent is not None else floor_price,
            )
        )
    return Timeline(
        listings=listings,
        grace_observations=draw(st.integers(1, 3)),
        grace_minutes=draw(st.sampled_from([0, 0, 90, 360])),
        resolve_after_minutes=draw(st.sampled_from([0, 0, 120, 720])),
        coverage_minutes=draw(st.sampled_from([300, 1440])),
        jd_override=draw(st.booleans()),
        gear_absolute=draw(st.booleans()),
        promotions=tuple(promotions),
        steps=steps,
    )


def make_config(tl: Timeline, path: Path) -> LoadedConfig:
    overrides: list[dict[str, Any]] = []
    if tl.jd_override:
        overrides.append({"rule": "undercut", "platform": "jd", "grace_observations": 1, "resolve_after_minutes": 0})
    settings = Settings.model_validate(
        {
            "brand": {"name": "山屿", "currency": "CNY"},
            "catalog": {"file": "catalog.csv"},
            "policy": {
                "tolerance": {"percent": "5"},
                "product_lines": {"gear": {"absolute": "150"}} if tl.gear_absolute else {},
            },
            "resellers": [r.model_dump() for r in RESELLERS.values()],
            "watch": [
                WatchTarget(id=x.target, url=f"http://127.0.0.1:1/{x.target}", platform=x.platform).model_dump()
                for x in tl.listings
            ],
            "alerts": {
                "critical_gap_percent": str(CRITICAL_GAP),
                "episodes": {
                    "grace_observations": tl.grace_observations,
                    "grace_minutes": tl.grace_minutes,
                    "resolve_after_minutes": tl.resolve_after_minutes,
                    "repeat_escalation": REPEAT_ESCALATION,
                },
                "overrides": overrides,
                "coverage_gap": {"after_minutes": tl.coverage_minutes},
                "promotions": [
                    {
                        "name": p.name,
                        "start": p.start.astimezone(CHINA).isoformat(),  # windows are written in local time
                        "end": p.end.astimezone(CHINA).isoformat(),
                        "platforms": list(p.platforms),
                        "products": list(p.products),
                        **({"floor_percent": str(p.floor_percent)} if p.floor_percent is not None else {}),
                        **({"floor_price": str(p.floor_price)} if p.floor_price is not None else {}),
                    }
                    for p in tl.promotions
                ],
                "routes": list(ROUTES),
            },
        }
    )
    return LoadedConfig(
        path=path / "oneprice.yaml", settings=settings, catalog=Catalog(products=tuple(PRODUCTS.values()))
    )


# --- what the docs say a reading means ------------------------------------------------------------

Key = tuple[str, str, str, str]
UNDERCUT, UNAUTHORIZED, DRIFT, COVERAGE = "undercut", "unauthorized_seller", "drift", "coverage_gap"
MODELLED = (UNDERCUT, UNAUTHORIZED, COVERAGE)


@dataclass(frozen=True)
class Seen:
    """One stored observation, as the test wrote it."""

    id: int
    listing: Listing
    at: datetime
    status: ObservationStatus
    price: Money | None
    high: Decimal | None
    ranged: bool
    sku: str | None


@dataclass(frozen=True)
class Violates:
    gap: Decimal | None
    observation: int
    at: datetime


IN_LINE = "in line"
NO_JUDGEMENT = "no judgement"
Judgement = Violates | str


def gap_of(price: Decimal, unified: Money) -> Decimal:
    return ((unified.amount - price) / unified.amount * 100).quantize(Decimal("0.01"))


def floor_of(tl: Timeline, product: Product, platform: str, at: datetime) -> tuple[Decimal, Promotion | None]:
    """The lowest price that is no undercut: the lowest floor of the covering promotions (the first listed of
    equal floors), else the tolerance's."""
    unified = product.unified_price.amount
    best: tuple[Decimal, Promotion] | None = None
    for p in tl.promotions:
        if (
            p.start <= at < p.end
            and (not p.platforms or platform in p.platforms)
            and (not p.products or product.sku in p.products)
        ):
            if p.floor_price is not None:
                floor = Money.of(p.floor_price, "CNY").amount
            else:
                assert p.floor_percent is not None
                floor = Money.of(unified * (100 - p.floor_percent) / 100, "CNY").amount
            if best is None or floor < best[0]:
                best = (floor, p)
    if best is not None:
        return best
    if tl.gear_absolute and product.product_line == "gear":
        return unified - 150, None
    return Money.of(unified * Decimal("0.95"), "CNY").amount, None


def judgeable(o: Seen) -> bool:
    """Only OK observations of a catalog product with a price are judged for price and seller."""
    return o.status is ObservationStatus.OK and o.price is not None and o.sku in PRODUCTS


def judge_undercut(tl: Timeline, o: Seen) -> Judgement:
    if not judgeable(o):
        return NO_JUDGEMENT
    assert o.price is not None and o.sku is not None
    product = PRODUCTS[o.sku]
    if o.price.currency != product.unified_price.currency:
        return NO_JUDGEMENT  # "A price in another currency is not compared."
    floor, _ = floor_of(tl, product, o.listing.platform, o.at)
    if o.ranged:
        if o.high is not None and o.high < floor:
            return Violates(gap_of(o.high, product.unified_price), o.id, o.at)
        # A range reaching over the floor or a "from" price below it says nothing; wholly above is in line.
        return NO_JUDGEMENT if o.price.amount < floor else IN_LINE
    if o.price.amount < floor:
        return Violates(gap_of(o.price.amount, product.unified_price), o.id, o.at)
    return IN_LINE


def unauthorized(listing: Listing) -> bool:
    reseller = RESELLERS.get(listing.reseller or "")
    if reseller is None:
        return True
    if reseller.own_store:
        return False
    return not reseller.authorized or (bool(reseller.platforms) and listing.platform not in reseller.platforms)


def judge_unauthorized(o: Seen) -> Judgement:
    if not judgeable(o) or (o.listing.reseller is None and o.listing.seller is None):
        return NO_JUDGEMENT
    return Violates(None, o.id, o.at) if unauthorized(o.listing) else IN_LINE


def judge_coverage(tl: Timeline, history: list[Seen], now: datetime) -> Judgement:
    newest = history[-1]
    if newest.status is ObservationStatus.OK:
        return IN_LINE
    if newest.status not in (ObservationStatus.BLOCKED, ObservationStatus.HTTP_ERROR):
        return NO_JUDGEMENT
    ok = [o.at for o in history if o.status is ObservationStatus.OK]
    readable_since = max(ok) if ok else history[0].at
    if now - readable_since >= timedelta(minutes=tl.coverage_minutes):
        return Violates(None, newest.id, newest.at)
    return NO_JUDGEMENT


def key_of(rule: str, listing: Listing) -> Key:
    if rule == COVERAGE:
        return (COVERAGE, "-", f"target:{listing.target}", listing.platform)
    return (rule, listing.sku, listing.seller_key, listing.platform)


# --- the episode model -------------------------------------------------------------------------------


@dataclass
class Episode:
    status: AlertStatus
    observations: int
    last_observation: int
    first_seen: datetime
    last_seen: datetime
    gap: Decimal | None
    clear_since: datetime | None = None


@dataclass
class Model:
    """Episodes of the modelled rules as docs/alerts.md describes them."""

    tl: Timeline
    config: LoadedConfig
    active: dict[Key, Episode] = field(default_factory=dict)
    dismissed: dict[Key, list[Decimal | None]] = field(default_factory=dict)

    def policy(self, key: Key, listing: Listing) -> EpisodePolicy:
        line = PRODUCTS[listing.sku].product_line if key[0] != COVERAGE else None
        return self.config.settings.alerts.episode_policy(key[0], key[1], line, key[3], key[2])

    def evaluate(self, seen: dict[str, list[Seen]], now: datetime) -> None:
        for listing in self.tl.listings:
            history = seen.get(listing.target)
            if not history:
                continue
            newest = history[-1]
            for rule, judgement in (
                (UNDERCUT, judge_undercut(self.tl, newest)),
                (UNAUTHORIZED, judge_unauthorized(newest)),
                (COVERAGE, judge_coverage(self.tl, history, now)),
            ):
                key = key_of(rule, listing)
                policy = self.policy(key, listing)
                if isinstance(judgement, Violates):
                    self.violation(key, judgement, policy)
                elif judgement == IN_LINE:
                    self.in_line(key, newest.at, now, policy)

    def violation(self, key: Key, v: Violates, policy: EpisodePolicy) -> None:
        ep = self.active.get(key)
        if ep is None:
            gaps = self.dismissed.get(key, [])
            # "the same seller, product and platform at the same or a smaller gap is not raised again"
            if any(g is None or v.gap is None or v.gap <= g for g in gaps):
                return
            ep = self.active[key] = Episode(AlertStatus.PENDING, 1, v.observation, v.at, v.at, v.gap)
        else:
            if v.observation != ep.last_observation:  # "Evaluating twice without a new crawl does not count twice."
                ep.observations += 1
            ep.last_observation, ep.last_seen, ep.gap, ep.clear_since = (
                v.observation,
                max(ep.last_seen, v.at),
                v.gap,
                None,
            )
        lasted = ep.last_seen - ep.first_seen
        if (
            ep.status is AlertStatus.PENDING
            and ep.observations >= policy.grace_observations
            and lasted >= timedelta(minutes=policy.grace_minutes)
        ):
            ep.status = AlertStatus.OPEN

    def in_line(self, key: Key, at: datetime, now: datetime, policy: EpisodePolicy) -> None:
        ep = self.active.get(key)
        if ep is None:
            return
        if ep.status is AlertStatus.PENDING:
            del self.active[key]  # "A pending episode whose price comes back is forgotten"
            return
        ep.clear_since = ep.clear_since or at  # "from when the first reading back in line was observed"
        if now - ep.clear_since >= timedelta(minutes=policy.resolve_after_minutes):
            del self.active[key]


# --- the run ------------------------------------------------------------------------------------------


@dataclass
class Run:
    tl: Timeline
    config: LoadedConfig
    db: Database
    model: Model
    check: bool = True
    seen: dict[str, list[Seen]] = field(default_factory=dict)
    by_id: dict[int, Seen] = field(default_factory=dict)
    walk: dict[str, int] = field(default_factory=dict)
    expected_outbox: Counter[tuple[int, str, str]] = field(default_factory=Counter)
    announced: dict[str, set[int]] = field(default_factory=lambda: {"opened": set(), "resolved": set()})
    finished: dict[int, dict[str, Any]] = field(default_factory=dict)
    events: Counter[str] = field(default_factory=Counter)  # what happened, for hypothesis's statistics
    transport: Transport = field(default_factory=lambda: Transport())

    def crawl(self, step: Step, at: datetime) -> None:
        visits: list[tuple[Listing, Observation, str]] = []
        for listing, (kind, move, spread) in zip(self.tl.listings, step.visits, strict=True):
            if kind == "skip":
                continue
            percent = min(130, max(55, self.walk.get(listing.target, 100) + move))
            self.walk[listing.target] = percent
            product = PRODUCTS[listing.sku]
            amount = Money.of(product.unified_price.amount * percent / 100, "CNY").amount
            if kind == "edge":
                floor, _ = floor_of(self.tl, product, listing.platform, at)
                amount = floor - (Decimal("0.01") if move < 0 else 0)
            status = {
                "blocked": ObservationStatus.BLOCKED,
                "http_error": ObservationStatus.HTTP_ERROR,
                "no_price": ObservationStatus.NO_PRICE,
                "review": ObservationStatus.REVIEW,
                "unmatched": ObservationStatus.UNMATCHED,
            }.get(kind, ObservationStatus.OK)
            price = None
            if status not in (ObservationStatus.BLOCKED, ObservationStatus.HTTP_ERROR, ObservationStatus.NO_PRICE):
                price = Money.of(amount, "USD" if kind == "usd" else "CNY")
            high = (amount * (100 + spread) / 100).quantize(Decimal("0.01")) if kind == "range" else None
            sku = None if status in (ObservationStatus.UNMATCHED, ObservationStatus.BLOCKED) else listing.sku
            obs = Observation(
                target_id=listing.target,
                url=f"http://127.0.0.1:1/{listing.target}",
                platform=listing.platform,
                observed_at=at,
                status=status,
                reason={"no_price": "sold out", "blocked": "captcha", "http_error": "HTTP 503"}.get(kind),
                price=price,
                price_kind="range" if kind in ("range", "from") else None,
                price_high=high,
                seller_name=listing.seller,
                reseller_id=listing.reseller,
                product_sku=sku,
            )
            visits.append((listing, obs, kind))
        ids = ObservationRepository(self.db).add_many(
            [(obs, f"<html>{obs.target_id} {kind} {obs.price}</html>".encode(), "text/html") for _, obs, kind in visits]
        )
        for oid, (listing, obs, kind) in zip(ids, visits, strict=True):
            assert obs.price is None or obs.price.currency in ("CNY", "USD")
            record = Seen(
                oid, listing, at, obs.status, obs.price, obs.price_high, kind in ("range", "from"), obs.product_sku
            )
            self.seen.setdefault(listing.target, []).append(record)
            self.by_id[oid] = record

    def evaluate(self, now: datetime) -> None:
        changes = evaluate(self.config, self.db, now=now).changes
        self.events.update(
            {
                "opened": len(changes.opened),
                "resolved": len(changes.resolved),
                "suppressed": len(changes.suppressed),
                "pending": len(changes.pending),
            }
        )
        self.events.update(f"opened {a.rule}" for a in changes.opened)
        self.model.evaluate(self.seen, now)
        routes = self.config.settings.alerts.routes
        for event, alerts in (("opened", changes.opened), ("resolved", changes.resolved)):
            for alert in alerts:
                assert alert.id not in self.announced[event], f"alert #{alert.id} {event} twice"
                self.announced[event].add(alert.id)
                line = PRODUCTS[alert.product_sku].product_line if alert.product_sku in PRODUCTS else None
                for route in routes:
                    wants = (
                        event in route.events
                        and alert.severity.rank >= Severity(route.min_severity).rank
                        and (not route.platforms or alert.platform in route.platforms)
                        and (not route.product_lines or line in route.product_lines)
                        and (not route.rules or alert.rule in route.rules)
                    )
                    if wants:
                        self.expected_outbox[(alert.id, event, route.name)] += 1
        if self.check:
            for alert in changes.opened:
                # Grace: N distinct observations and T minutes, counted on the readings themselves.
                policy = self.config.settings.alerts.episode_policy(
                    alert.rule,
                    alert.product_sku,
                    PRODUCTS[alert.product_sku].product_line if alert.product_sku in PRODUCTS else None,
                    alert.platform,
                    alert.seller_key,
                )
                assert alert.observations >= policy.grace_observations, alert
                assert alert.last_seen - alert.first_seen >= timedelta(minutes=policy.grace_minutes), alert

    def act(self, action: tuple[str, int], now: datetime) -> None:
        repo = AlertRepository(self.db)
        active = repo.list(status=[AlertStatus.PENDING, AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED])
        if not active:
            return
        what, index = action
        alert = active[index % len(active)]
        to = {
            "ack": AlertStatus.ACKNOWLEDGED,
            "resolve": AlertStatus.RESOLVED,
            "dismiss": AlertStatus.DISMISSED,
            "dismiss_without_reason": AlertStatus.DISMISSED,
        }[what]
        note = None if what == "dismiss_without_reason" else f"{what} by the brand manager"
        allowed = {
            AlertStatus.PENDING: {AlertStatus.DISMISSED},
            AlertStatus.OPEN: {AlertStatus.ACKNOWLEDGED, AlertStatus.RESOLVED, AlertStatus.DISMISSED},
            AlertStatus.ACKNOWLEDGED: {AlertStatus.RESOLVED, AlertStatus.DISMISSED},
        }[alert.status]
        if to not in allowed or note is None:
            with pytest.raises(UserError):
                repo.transition(alert.id, to, actor="alice", now=now, note=note)
            assert repo.get(alert.id) == alert, "a refused transition changed the alert"
            self.events["refused transition"] += 1
            return
        moved = repo.transition(alert.id, to, actor="alice", now=now, note=note)
        assert moved.status is to
        self.events[f"{to.value} by a person"] += 1
        ep = self.model.active.get(alert.key)
        if alert.rule not in MODELLED:
            return
        assert ep is not None
        if to is AlertStatus.ACKNOWLEDGED:
            ep.status = to
            return
        del self.model.active[alert.key]
        if to is AlertStatus.DISMISSED:
            self.model.dismissed.setdefault(alert.key, []).append(alert.gap_percent)

    def snapshot(self) -> tuple[Any, ...]:
        alerts = AlertRepository(self.db).list(status=list(AlertStatus))
        with self.db.session() as s:
            events = [
                (e.alert_id, e.at, e.actor, e.from_status, e.to_status, e.note)
                for e in s.scalars(select(AlertEventRow).order_by(AlertEventRow.id))
            ]
        outbox = sorted(
            (m.dedupe_key, m.route, m.severity, m.status, m.subject, m.body_text)
            for m in OutboxRepository(self.db).list(limit=1_000_000)
        )
        return tuple(a.model_dump() for a in alerts), tuple(events), tuple(outbox)

    def run(self) -> None:
        at = T0
        for step in self.tl.steps:
            at += timedelta(hours=step.hours)
            for i in reversed(range(step.crawls)):  # two crawls: half an hour apart, the later one judged
                self.crawl(step, at - i * timedelta(minutes=30))
            now = at + EVALUATION_LAG
            self.evaluate(now)
            if self.check:
                self.check_invariants(now)
            if step.again:
                before = self.snapshot()
                result = evaluate(self.config, self.db, now=now)
                assert not result.changes.opened and not result.changes.resolved, result.changes
                assert self.snapshot() == before, "evaluating again at the same time changed something"
            if step.deliver != "no":
                self.transport.down = step.deliver == "crit down"
                deliver(self.config.settings.alerts, self.db, now=now + DELIVERY_LAG, transport=self.transport)
                if self.check:
                    self.check_delivery()
            if step.action is not None:
                self.act(step.action, now + ACTION_LAG)
                if self.check:
                    self.check_invariants(now + ACTION_LAG)

    # --- invariants ------------------------------------------------------------------------------

    def check_invariants(self, now: datetime) -> None:
        alerts = AlertRepository(self.db).list(status=list(AlertStatus))
        with self.db.session() as s:
            events = list(s.scalars(select(AlertEventRow).order_by(AlertEventRow.id)))
        history: dict[int, list[AlertEventRow]] = {}
        for e in events:
            history.setdefault(e.alert_id, []).append(e)
        assert set(history) == {a.id for a in alerts}, "state history of an alert that does not exist"

        active: dict[Key, list[int]] = {}
        for a in alerts:
            if a.status.active:
                active.setdefault(a.key, []).append(a.id)
            self.check_history(a, history[a.id], now)
            if a.status.active:
                self.check_evidence(a)
            else:
                # A finished episode is never reopened or refreshed in its row.
                self.finished.setdefault(a.id, a.model_dump())
                assert a.model_dump() == self.finished[a.id], f"finished alert #{a.id} changed"
        assert all(len(ids) == 1 for ids in active.values()), f"several active episodes of one key: {active}"
        assert set(self.finished) <= {a.id for a in alerts if not a.status.active}, "a finished alert vanished"

        # The modelled rules' episodes are exactly what the docs lead to expect.
        found = {a.key: a for a in alerts if a.status.active and a.rule in MODELLED}
        expected = self.model.active
        assert {k: a.status for k, a in found.items()} == {k: ep.status for k, ep in expected.items()}
        for k, a in found.items():
            ep = expected[k]
            assert (a.observations, a.first_seen, a.last_seen, a.gap_percent, a.clear_since) == (
                ep.observations,
                ep.first_seen,
                ep.last_seen,
                ep.gap,
                ep.clear_since,
            ), (a, ep)

        # Announcements: opened once when it became open, resolved once when the engine resolved it.
        opened = {a for a, h in history.items() if any(e.to_status == AlertStatus.OPEN.value for e in h)}
        resolved_by_engine = {
            a for a, h in history.items() if any(e.to_status == "resolved" and e.actor == "engine" for e in h)
        }
        assert self.announced["opened"] == opened
        assert self.announced["resolved"] == resolved_by_engine
        outbox = Counter(
            (m.alert_id, m.dedupe_key.split(":")[2], m.route)
            for m in OutboxRepository(self.db).list(limit=1_000_000)
            if m.kind == "alert"
        )
        assert outbox == self.expected_outbox, "outbox messages lost or duplicated"

    def check_delivery(self) -> None:
        """Every message is sent once, waits for a retry, or is folded into a digest; none is lost or sent twice."""
        items = OutboxRepository(self.db).list(limit=1_000_000)
        digests = {i.id: i for i in items if i.kind == "digest"}
        for i in items:
            if i.kind != "alert":
                continue
            sends = self.transport.sent[(i.route, i.subject)]
            if i.status is OutboxStatus.SENT:
                assert sends == 1, f"outbox #{i.id} sent {sends} times"
            elif i.status is OutboxStatus.PENDING:
                assert sends == 0 and (i.route == "crit" or i.mode == "digest"), i
            else:
                assert i.bundle_id in digests and digests[i.bundle_id].route == i.route, i
        assert self.transport.sent.total() == sum(1 for i in items if i.status is OutboxStatus.SENT)
        self.events["delivered"] += 1

    def check_history(self, alert: Alert, events: list[AlertEventRow], now: datetime) -> None:
        paths = {
            None: {"pending"},
            "pending": {"open", "dismissed"},
            "open": {"acknowledged", "resolved", "dismissed"},
            "acknowledged": {"resolved", "dismissed"},
        }
        engine_moves = {("pending", "open"), ("open", "resolved"), ("acknowledged", "resolved"), (None, "pending")}
        previous: str | None = None
        last = None
        for e in events:
            assert e.from_status == previous and e.to_status in paths.get(previous, set()), (alert, e.to_status)
            assert e.actor, "a state change without who"
            assert e.at is not None and e.at <= now
            if last is not None:
                assert e.at >= last, f"alert #{alert.id}: history goes back in time"
            if e.actor == "engine":
                assert (e.from_status, e.to_status) in engine_moves
            else:
                assert (e.from_status, e.to_status) not in {(None, "pending"), ("pending", "open")}
            if e.to_status == "dismissed":
                assert e.note and e.note.strip(), "a dismissal without a reason"
            previous, last = e.to_status, e.at
        assert previous == alert.status.value
        if alert.status.active:
            assert alert.resolved_at is None
        else:
            assert alert.resolved_at == events[-1].at

    def check_evidence(self, alert: Alert) -> None:
        """The reading an active alert rests on really shows the violation."""
        assert alert.observation_id is not None
        o = self.by_id[alert.observation_id]
        if alert.rule == COVERAGE:
            assert o.status in (ObservationStatus.BLOCKED, ObservationStatus.HTTP_ERROR)
            return
        assert judgeable(o), f"alert #{alert.id} rests on a {o.status.value} reading"
        assert o.sku == alert.product_sku and o.listing.seller_key == alert.seller_key
        product = PRODUCTS[alert.product_sku]
        if alert.rule == UNDERCUT:
            judged = judge_undercut(self.tl, o)
            assert isinstance(judged, Violates) and judged.gap == alert.gap_percent, (alert, o)
            expected = Severity.CRITICAL if judged.gap is not None and judged.gap >= CRITICAL_GAP else Severity.WARNING
            if alert.repeat >= REPEAT_ESCALATION:
                expected = expected.raised()
            assert alert.severity is expected, alert
        elif alert.rule == DRIFT:
            assert o.price is not None and o.price.currency == "CNY" and not o.ranged
            floor, promotion = floor_of(self.tl, product, o.listing.platform, o.at)
            assert promotion is None, f"drift #{alert.id} inside the sanctioned promotion {promotion}"
            assert floor <= o.price.amount < product.unified_price.amount
        elif alert.rule == UNAUTHORIZED:
            assert unauthorized(o.listing)


class Transport:
    """Routes that accept every message, except the route crit while it is down."""

    def __init__(self) -> None:
        self.sent: Counter[tuple[str, str]] = Counter()
        self.down = False

    def send(self, route: RouteSettings, subject: str, text: str, html: str) -> None:
        if self.down and route.name == "crit":
            raise DeliveryError("crit is down")
        self.sent[(route.name, subject)] += 1


# --- the tests --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A migrated empty SQLite database, copied for every example (migrating each time is slow)."""
    path = tmp_path_factory.mktemp("timelines") / "template.db"
    db = Database.open(f"sqlite:///{path}")
    db.dispose()
    yield path


def play(tl: Timeline, template: Path, *, check: bool) -> tuple[Any, ...]:
    with tempfile.TemporaryDirectory(dir=SCRATCH) as tmp:
        path = Path(tmp) / "oneprice.db"
        shutil.copyfile(template, path)
        db = Database(f"sqlite:///{path}")
        try:
            config = make_config(tl, Path(tmp))
            run = Run(tl, config, db, Model(tl, config), check=check)
            run.run()
            for name, count in sorted(run.events.items()):
                if count:
                    hypothesis.event(name)
            return run.snapshot()
        finally:
            db.dispose()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(tl=timelines())
def test_months_of_evaluations_keep_the_invariants(migrated: Path, tl: Timeline) -> None:
    play(tl, migrated, check=True)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(tl=timelines(max_steps=30))
def test_the_same_timeline_gives_the_same_episodes(migrated: Path, tl: Timeline) -> None:
    assert play(tl, migrated, check=False) == play(tl, migrated, check=False)


# --- the resolve clock, step by step -------------------------------------------------------------------
#
# Each timeline: ("crawl", price, minutes) stores a reading observed at T0 + minutes (stored now, so a
# reading older than one stored before it came in late); ("evaluate", minutes, status) evaluates at
# T0 + minutes and expects the undercut episode's status (None: there is none). Floor: 950 CNY;
# resolve_after_minutes: 120.

Script = tuple[tuple[str, Any, Any], ...]
RESOLVE_CLOCK: list[tuple[str, Script]] = [
    (
        "the clock runs from the in-line reading, not from the evaluation that first saw it",
        (
            ("crawl", "800", 0),
            ("evaluate", 0, "open"),
            ("crawl", "1000", 60),
            ("evaluate", 120, "open"),  # the evaluation ran an hour after the crawl
            ("evaluate", 179, "open"),
            ("evaluate", 180, "resolved"),  # in line since minute 60: 120 minutes
        ),
    ),
    (
        "a late undercut from before the price came back neither restarts nor resets the clock",
        (
            ("crawl", "800", 0),
            ("evaluate", 0, "open"),
            ("crawl", "1000", 60),
            ("evaluate", 60, "open"),
            ("crawl", "700", 30),
            ("evaluate", 90, "open"),  # late: between the dip and the reading back in line
            ("crawl", "1000", 180),
            ("evaluate", 180, "resolved"),  # in line since minute 60
        ),
    ),
    (
        "a late in-line reading neither shortens nor restarts the clock",
        (
            ("crawl", "800", 0),
            ("evaluate", 0, "open"),
            ("crawl", "1000", 120),
            ("evaluate", 120, "open"),
            ("crawl", "1000", 30),
            ("evaluate", 150, "open"),  # late: would put the clock at minute 30
            ("crawl", "1000", 200),
            ("evaluate", 200, "open"),  # 80 minutes since minute 120
            ("evaluate", 240, "resolved"),
        ),
    ),
    (
        "a late in-line reading observed while the undercut lasted does not start the clock",
        (
            ("crawl", "800", 0),
            ("evaluate", 0, "open"),
            ("crawl", "800", 120),
            ("evaluate", 120, "open"),
            ("crawl", "1000", 60),
            ("evaluate", 300, "open"),  # late: from before the newest dip
            ("crawl", "1000", 310),
            ("evaluate", 310, "open"),
            ("evaluate", 429, "open"),
            ("evaluate", 430, "resolved"),
        ),
    ),
    (
        "an undercut observed after the clock started restarts it",
        (
            ("crawl", "800", 0),
            ("evaluate", 0, "open"),
            ("crawl", "1000", 60),
            ("evaluate", 60, "open"),
            ("crawl", "800", 90),
            ("evaluate", 90, "open"),
            ("crawl", "1000", 120),
            ("evaluate", 120, "open"),
            ("evaluate", 180, "open"),
            ("evaluate", 240, "resolved"),
        ),
    ),
    (
        "an undercut stored after the episode resolved, observed after it was back in line, is a new episode",
        (
            ("crawl", "800", 0),
            ("evaluate", 0, "open"),
            ("crawl", "1000", 60),
            ("evaluate", 200, "resolved"),
            ("crawl", "800", 100),
            ("evaluate", 210, "open"),  # the price dipped again at minute 100
        ),
    ),
    (
        "an undercut stored after the episode resolved, observed before it was back in line, is none",
        (
            ("crawl", "800", 0),
            ("evaluate", 0, "open"),
            ("crawl", "1000", 60),
            ("evaluate", 200, "resolved"),
            ("crawl", "800", 50),
            ("evaluate", 210, "resolved"),
        ),
    ),
]


@pytest.mark.parametrize("script", [pytest.param(script, id=name) for name, script in RESOLVE_CLOCK])
def test_the_resolve_clock_runs_from_the_first_in_line_reading(
    tmp_path: Path, sqlite_db: Database, feed: Feed, script: Script
) -> None:
    config = make_fake_config(tmp_path, {"episodes": {"resolve_after_minutes": 120}})
    minute = timedelta(minutes=1)
    for i, (what, first, second) in enumerate(script):
        if what == "crawl":
            feed("t-star", first, T0 + second * minute)
            continue
        evaluate(config, sqlite_db, now=T0 + first * minute)
        alerts = [a for a in AlertRepository(sqlite_db).list(status=list(AlertStatus)) if a.rule == UNDERCUT]
        newest = alerts[-1].status.value if alerts else None
        assert newest == second, f"step {i}: evaluated at minute {first}"
