"""Plan and apply over random catalogs and channel states, checked by invariants (docs/sync.md).

Each example builds a small catalog (prices in CNY or JPY, raw amounts with more decimals than the
currency has), one or two channels held in memory (a full store, or one that writes only price and
stock and reads "inactive" as quantity 0, like Amazon), listings already on them (missing, extra,
at other prices, stock, names or status), transient failures (HTTP 503, 429 with Retry-After,
items refused as retryable) and a rate limit paced by a governor on a fake clock. Then:

- guards trip exactly as documented, and a channel stopped by one is not written at all;
- writes go in batches of the channel's limit, round by round, with no more calls than the limits
  allow for the items of that round; the items sent again are exactly those refused as retryable;
- the journal holds the plan's writes, and says "accepted"/"verified" for exactly what the channel
  took; a re-run after dead letters writes only what is left;
- after the run: the channel holds the unified price (or the override) quantized half-up to the
  channel's currency, sent as Decimal; listings not in the catalog, orphans and skipped SKUs are as
  they were; a new plan has no write, a second apply sends none; `sync check` finds no drift, and
  after a price is edited on the channel it finds exactly that listing;
- then the catalog changes (products added, removed, repriced) and the channel is edited; an apply
  that dies mid-run (before or after the channel took a batch) leaves a journal that says what was
  written, and the next apply writes nothing twice and ends as an uninterrupted run does.
"""

from __future__ import annotations

import math
import random
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Literal, Self

import pytest
import requests
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from adapters.base import Capabilities, Change, ChannelAdapter, ItemResult, RateFeedback, ThrottleStatus
from oneprice.domain.catalog import Catalog, Product
from oneprice.domain.listing import ListingState, RemoteListing
from oneprice.domain.money import Money
from oneprice.errors import ChannelRateLimited, ChannelUnavailable
from oneprice.settings.loader import LoadedConfig
from oneprice.settings.models import ChannelSettings, Settings
from oneprice.storage import BindingRepository, Database, JournalRepository
from sync.applier import RetryPolicy
from sync.governor import RateGovernor
from sync.plan import ChannelPlan
from sync.report import ApplyReport
from sync.service import ApplyOptions, apply_all, plan_all
from sync.verifier import CheckReport, check_all

CURRENCIES = {"CNY": 2, "JPY": 0}
ALL_GUARDS = frozenset({"price_change", "delist_share", "empty_remote"})
MAX_ATTEMPTS = 3
RETRY_AFTER = 2.0
SCRATCH = "/dev/shm" if Path("/dev/shm").is_dir() else None

Profile = Literal["full", "zero_stock"]


def q(amount: Decimal, currency: str) -> Decimal:
    """The amount as the currency holds it: half-up to its minor unit (written here, not imported)."""
    return amount.quantize(Decimal(1).scaleb(-CURRENCIES[currency]), rounding=ROUND_HALF_UP)


# -- the channel: a store in memory, reached only through the adapter interface ---------------------


class Crash(BaseException):
    """The process dies (SIGKILL): nothing in sync may catch it."""


class _Settings(BaseModel):
    credentials: dict[str, Any] = {}
    options: dict[str, Any] = {}


@dataclass
class Clock:
    now: float = 0.0
    events: list[tuple[str, str]] = field(default_factory=list)

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)

    def retry_sleep(self, seconds: float) -> None:
        """The retry policy's pause between rounds: marks a round boundary."""
        self.events.append(("retry", ""))
        self.sleep(seconds)


@dataclass
class Call:
    """One write call as the channel saw it."""

    channel: str
    skus: tuple[str, ...]
    retryable_failures: int
    landed: tuple[str, ...]


class SimChannel(ChannelAdapter):
    """A channel's store. Prices are kept as the decimal strings a wire carries.

    `full`: every field is written. `zero_stock`: only price and stock are written, and a listing
    reads as active only while it has stock (Amazon's BUYABLE). Faults: `faults[n]` makes write call
    n (1-based, over the adapter's life) fail before touching the store (503, or 429 with
    Retry-After); `refusals[sku]` refuses that SKU as retryable that many times; `crash` kills the
    process at write call n, before or after the store took the batch.
    """

    kind = "sim"
    settings_model = _Settings

    def __init__(self, name: str, currency: str, profile: Profile, batch_limit: int, clock: Clock) -> None:
        caps = Capabilities(batch_limit=batch_limit)
        if profile == "zero_stock":
            caps = Capabilities(
                batch_limit=batch_limit, writable_fields=frozenset({"price", "stock"}), inactive_is_zero_stock=True
            )
        super().__init__(name, currency, caps)
        self.profile = profile
        self.clock = clock
        self.store: dict[str, dict[str, Any]] = {}
        self.next_id = 1000
        self.faults: dict[int, str] = {}
        self.refusals: dict[str, int] = {}
        self.crash: tuple[int, bool] | None = None
        self.calls: list[Call] = []
        self.oversized: list[int] = []
        self.bad_prices: list[str] = []

    @classmethod
    def from_settings(cls, channel: ChannelSettings, session: requests.Session | None = None) -> Self:
        raise NotImplementedError

    # -- seeding and looking (the test's own access, not through the API) -----------------------

    def put(self, state: ListingState) -> str:
        self.next_id += 1
        rid = str(self.next_id)
        self.store[rid] = self._row(state)
        return rid

    def _row(self, state: ListingState) -> dict[str, Any]:
        return {
            "sku": state.sku,
            "name": state.name,
            "price": format(state.price.amount, "f"),
            "stock": state.stock,
            "active": state.status == "active",
        }

    def state_of(self, rid: str) -> ListingState:
        row = self.store[rid]
        active = row["stock"] > 0 if self.profile == "zero_stock" else row["active"]
        return ListingState(
            sku=row["sku"],
            name=row["name"],
            price=Money.of(row["price"], self.currency),
            stock=row["stock"],
            status="active" if active else "inactive",
        )

    def snapshot(self) -> dict[str, ListingState]:
        return {rid: self.state_of(rid) for rid in self.store}

    # -- the API ------------------------------------------------------------------------------

    def list_listings(self) -> list[RemoteListing]:
        self.rate_feedback.acquire()
        return [RemoteListing(remote_id=rid, state=self.state_of(rid)) for rid in self.store]

    def push(self, changes: Sequence[Change]) -> list[ItemResult]:
        self.rate_feedback.acquire()
        self.write_requests += 1
        n = self.write_requests
        skus = tuple(c.sku for c in changes)
        if len(changes) > self.capabilities.batch_limit:
            self.oversized.append(len(changes))
        fault = self.faults.pop(n, None)
        if fault is not None:
            self.calls.append(Call(self.channel, skus, len(changes), ()))
            if fault == "throttled":
                self.rate_feedback.report(ThrottleStatus(throttled=True, retry_after=RETRY_AFTER))
                raise ChannelRateLimited(self.channel, "HTTP 429", retry_after=RETRY_AFTER, status=429)
            raise ChannelUnavailable(self.channel, "HTTP 503", status=503)
        crash = self.crash if self.crash is not None and self.crash[0] == n else None
        if crash is not None and not crash[1]:
            self.calls.append(Call(self.channel, skus, 0, ()))
            raise Crash(f"{self.channel}: killed before write call {n}")
        results = [self._apply(c) for c in changes]
        landed = tuple(r.sku for r in results if r.ok)
        self.calls.append(Call(self.channel, skus, sum(1 for r in results if r.retryable), landed))
        if crash is not None:
            raise Crash(f"{self.channel}: killed after write call {n}, answer lost")
        return results

    def _apply(self, change: Change) -> ItemResult:
        amount = change.state.price.amount
        exponent = amount.as_tuple().exponent
        if (
            type(amount) is not Decimal
            or change.state.price.currency != self.currency
            or exponent != -CURRENCIES[self.currency]
        ):
            self.bad_prices.append(f"{change.sku}: {amount!r} {change.state.price.currency}")
        if self.refusals.get(change.sku, 0) > 0:
            self.refusals[change.sku] -= 1
            return ItemResult.refused(change.sku, "busy (HTTP 503)", retryable=True)
        if change.kind == "create":
            rid = self.put(change.state)
            return ItemResult.accepted(change.sku, rid, f"m{self.write_requests}")
        assert change.remote_id is not None
        if change.remote_id not in self.store:
            return ItemResult.refused(change.sku, f"no listing {change.remote_id}")
        row, new = self.store[change.remote_id], self._row(change.state)
        for f in ("sku", "name", "price", "stock", "active"):
            if self.profile == "full" or f in ("price", "stock"):
                row[f] = new[f]
        return ItemResult.accepted(change.sku, change.remote_id, f"m{self.write_requests}")


class Governor(RateGovernor):
    """The real governor on the fake clock, remembering every throttled answer (time, Retry-After)."""

    def __init__(self, rate: float | None, burst: int, clock: Clock, channel: str) -> None:
        super().__init__(rate, burst, clock=clock, sleep=clock.sleep, channel=channel)
        self.throttles: list[tuple[float, float, int]] = []
        """(clock, Retry-After, calls let through so far) of every throttled answer."""

    def report(self, status: ThrottleStatus) -> None:
        if status.throttled:
            self.throttles.append((self.clock(), status.retry_after or 0.0, self.stats.calls))
        super().report(status)


# -- scenarios ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProductSpec:
    sku: str
    name: str
    price: Decimal
    currency: str
    stock: int
    status: Literal["active", "inactive"]
    only: str | None  # listed on this channel only (catalog `channels`)

    def product(self) -> Product:
        return Product(
            sku=self.sku,
            name=self.name,
            unified_price=Money.of(self.price, self.currency),
            stock=self.stock,
            status=self.status,
            channels=(self.only,) if self.only else (),
        )


@dataclass(frozen=True)
class ChannelSpec:
    name: str
    currency: str
    profile: Profile
    batch_limit: int
    rate: tuple[float, int] | None
    overrides: dict[str, Decimal]

    def settings(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": "sim",
            "base_url": "http://127.0.0.1:1",
            "currency": self.currency,
            "overrides": {s: {"price": str(p), "reason": "agreed exception"} for s, p in self.overrides.items()},
        }


@dataclass(frozen=True)
class Seed:
    sku: str
    name: str
    price: Decimal
    stock: int
    active: bool


@dataclass(frozen=True)
class Faults:
    calls: dict[int, str]
    refusals: dict[str, int]


@dataclass(frozen=True)
class Scenario:
    channels: tuple[ChannelSpec, ...]
    catalog: tuple[ProductSpec, ...]
    seeds: dict[str, tuple[Seed, ...]]
    faults: dict[str, Faults]
    allow: frozenset[str]
    catalog2: tuple[ProductSpec, ...]
    edits: dict[str, tuple[tuple[str, int], ...]]  # channel -> (edit kind, which listing)
    crash: tuple[int, int, bool]  # which channel with writes, which of its write calls, after the store took it


SKUS = [f"P{i}" for i in range(8)]
EXTRA = ["X0", "X1", "Y-9"]
raw_amount = st.integers(0, 300_000).map(lambda n: Decimal(n).scaleb(-3))  # 0.000 .. 300.000


@st.composite
def product_specs(draw: st.DrawFn, skus: list[str], channels: list[str], currency: str) -> ProductSpec:
    sku = skus.pop()
    return ProductSpec(
        sku=sku,
        name=draw(st.sampled_from([f"Jacket {sku}", f"Tent {sku}"])),
        price=draw(raw_amount),
        currency=draw(st.sampled_from([currency, currency, currency, *sorted(CURRENCIES)])),
        stock=draw(st.integers(0, 9)),
        status=draw(st.sampled_from(["active", "active", "inactive"])),
        only=draw(st.one_of(st.none(), st.sampled_from(channels))) if len(channels) > 1 else None,
    )


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    n_channels = draw(st.integers(1, 2))
    names = [f"ch{i}" for i in range(n_channels)]
    pool = list(SKUS)
    draw(st.randoms(use_true_random=False)).shuffle(pool)
    currencies = [draw(st.sampled_from(sorted(CURRENCIES))) for _ in names]
    catalog = tuple(draw(product_specs(pool, names, currencies[0])) for _ in range(draw(st.integers(1, 5))))
    channels = []
    for name, currency in zip(names, currencies, strict=True):
        overridden = draw(st.lists(st.sampled_from([p.sku for p in catalog]), max_size=2, unique=True))
        channels.append(
            ChannelSpec(
                name=name,
                currency=currency,
                profile=draw(st.sampled_from(["full", "full", "zero_stock"])),
                batch_limit=draw(st.integers(1, 4)),
                rate=draw(st.one_of(st.none(), st.tuples(st.sampled_from([0.5, 2.0, 10.0]), st.integers(1, 3)))),
                overrides={s: draw(raw_amount) for s in overridden},
            )
        )
    seeds: dict[str, tuple[Seed, ...]] = {}
    faults: dict[str, Faults] = {}
    for ch in channels:
        found = []
        for p in catalog:
            how = draw(st.sampled_from(["missing", "same", "price", "stock", "status", "name", "all"]))
            if how == "missing":
                continue
            found.append(
                Seed(
                    sku=p.sku,
                    name=p.name if how not in ("name", "all") else "Old name",
                    price=draw(raw_amount) if how in ("price", "all") else p.price,
                    stock=draw(st.integers(0, 9)) if how in ("stock", "all") else p.stock,
                    active=(p.status != "active") if how in ("status", "all") else p.status == "active",
                )
            )
        for sku in draw(st.lists(st.sampled_from(EXTRA), max_size=2, unique=True)):
            found.append(Seed(sku, f"Not ours {sku}", draw(raw_amount), draw(st.integers(0, 3)), draw(st.booleans())))
        seeds[ch.name] = tuple(draw(st.permutations(found)))
        faults[ch.name] = Faults(
            calls=draw(st.dictionaries(st.integers(1, 6), st.sampled_from(["unavailable", "throttled"]), max_size=3)),
            refusals=draw(
                st.dictionaries(st.sampled_from([p.sku for p in catalog]), st.integers(1, MAX_ATTEMPTS), max_size=2)
            ),
        )
    # The catalog moves on: some products leave, some arrive, some change price, stock or status.
    kept = [p for p in catalog if draw(st.booleans()) or draw(st.booleans())]
    changed = []
    for p in kept:
        if draw(st.booleans()):
            p = ProductSpec(
                p.sku,
                p.name,
                draw(raw_amount),
                p.currency,
                draw(st.integers(0, 9)),
                draw(st.sampled_from(["active", "inactive"])),
                p.only,
            )
        changed.append(p)
    added = [draw(product_specs(pool, names, currencies[-1])) for _ in range(draw(st.integers(0, min(2, len(pool)))))]
    edits = {
        ch.name: tuple(
            draw(
                st.lists(
                    st.tuples(
                        st.sampled_from(
                            ["price", "stock", "delete", "extra"] + (["rename"] if ch.profile == "full" else [])
                        ),
                        st.integers(0, 20),
                    ),
                    max_size=2,
                )
            )
        )
        for ch in channels
    }
    return Scenario(
        channels=tuple(channels),
        catalog=catalog,
        seeds=seeds,
        faults=faults,
        allow=draw(st.sets(st.sampled_from(sorted(ALL_GUARDS))).map(frozenset)),
        catalog2=tuple(changed + added),
        edits=edits,
        crash=(draw(st.integers(0, 1)), draw(st.integers(0, 3)), draw(st.booleans())),
    )


# -- the world an example runs in ---------------------------------------------------------------------


class World:
    """Channels, the database, the clock and the calls, for one example."""

    def __init__(self, scenario: Scenario, folder: Path) -> None:
        self.scenario = scenario
        self.folder = folder
        self.clock = Clock()
        self.db = Database.open(f"sqlite:///{folder / 'sync.db'}")
        self.specs = {c.name: c for c in scenario.channels}
        self.sims = {
            c.name: SimChannel(c.name, c.currency, c.profile, c.batch_limit, self.clock) for c in scenario.channels
        }
        for name, seeds in scenario.seeds.items():
            for s in seeds:
                self.sims[name].put(
                    ListingState(
                        sku=s.sku,
                        name=s.name,
                        price=Money.of(s.price, self.specs[name].currency),
                        stock=s.stock,
                        status="active" if s.active else "inactive",
                    )
                )
        self.governors: list[Governor] = []

    def config(self, catalog: Sequence[ProductSpec]) -> LoadedConfig:
        settings = Settings.model_validate(
            {
                "brand": {"name": "B"},
                "catalog": {"file": "catalog.csv"},
                "channels": [c.settings() for c in self.scenario.channels],
            }
        )
        products = tuple(p.product() for p in catalog)
        return LoadedConfig(path=self.folder / "c.yaml", settings=settings, catalog=Catalog(products=products))

    def factory(self, ch: ChannelSettings, session: requests.Session | None) -> SimChannel:
        return self.sims[ch.name]

    def governor(self, ch: ChannelSettings, adapter: ChannelAdapter) -> RateFeedback:
        rate = self.specs[ch.name].rate
        governor = Governor(rate[0] if rate else None, rate[1] if rate else 1, self.clock, ch.name)
        self.governors.append(governor)
        return governor

    def plan(self, catalog: Sequence[ProductSpec]) -> dict[str, ChannelPlan]:
        return {p.channel: p for p in plan_all(self.config(catalog), self.db, adapter_factory=self.factory)}

    def apply(self, catalog: Sequence[ProductSpec], allow: frozenset[str] = ALL_GUARDS) -> ApplyReport:
        policy = RetryPolicy(max_attempts=MAX_ATTEMPTS, backoff=0.5, sleep=self.clock.retry_sleep, rng=random.Random(0))
        return apply_all(
            self.config(catalog),
            self.db,
            options=ApplyOptions(allow=allow, policy=policy),
            adapter_factory=self.factory,
            governor_factory=self.governor,
        )

    def check(self, catalog: Sequence[ProductSpec]) -> dict[str, CheckReport]:
        return {r.channel: r for r in check_all(self.config(catalog), self.db, adapter_factory=self.factory)}


@pytest.fixture
def scratch() -> Iterator[Callable[[], Path]]:
    def make() -> Path:
        folder = Path(tempfile.mkdtemp(dir=SCRATCH))
        made.append(folder)
        return folder

    made: list[Path] = []
    yield make
    for folder in made:
        shutil.rmtree(folder, ignore_errors=True)


# -- the model: what docs/sync.md says the channel holds after an apply ----------------------------------


def expected_state(spec: ChannelSpec, product: ProductSpec, live: ListingState | None) -> ListingState | None:
    """The listing of `product` after a complete apply, or None when it is rightly not on the channel."""
    if live is None and product.status == "inactive":
        return None
    raw = spec.overrides.get(product.sku, product.price)
    price = Money.of(q(raw, spec.currency), spec.currency)
    if spec.profile == "full":
        return ListingState(sku=product.sku, name=product.name, price=price, stock=product.stock, status=product.status)
    stock = product.stock if product.status == "active" else 0
    return ListingState(
        sku=product.sku,
        name=live.name if live is not None else product.name,
        price=price,
        stock=stock,
        status="active" if stock > 0 else "inactive",
    )


def listed(spec: ChannelSpec, catalog: Sequence[ProductSpec]) -> list[ProductSpec]:
    return [p for p in catalog if p.only in (None, spec.name)]


def matched(world: World, name: str, catalog: Sequence[ProductSpec]) -> dict[str, str]:
    """Catalog SKU -> remote id of its listing: by SKU, else by the binding (a SKU renamed on the channel)."""
    sim, skus = world.sims[name], {p.sku for p in catalog}
    by_sku: dict[str, list[str]] = {}
    for rid, state in sim.snapshot().items():
        by_sku.setdefault(state.sku, []).append(rid)
    out = {sku: rids[0] for sku, rids in by_sku.items() if sku in skus and len(rids) == 1}
    for sku, b in BindingRepository(world.db).for_channel(name).items():
        if sku in skus and sku not in out and b.remote_id in sim.store and sim.state_of(b.remote_id).sku not in skus:
            out[sku] = b.remote_id
    return out


def expectations(
    world: World, catalog: Sequence[ProductSpec]
) -> dict[str, tuple[dict[str, ListingState | None], dict[str, ListingState]]]:
    """Per channel: catalog SKU -> expected listing, and remote id -> state of what must stay untouched."""
    out = {}
    for name, spec in world.specs.items():
        sim, found = world.sims[name], matched(world, name, catalog)
        # Skipped SKUs (another currency, no override) are left as they are, like listings not in the catalog.
        mine = [p for p in listed(spec, catalog) if p.currency == spec.currency or p.sku in spec.overrides]
        want = {p.sku: expected_state(spec, p, sim.state_of(found[p.sku]) if p.sku in found else None) for p in mine}
        managed = {found[p.sku] for p in mine if p.sku in found}
        untouched = {rid: s for rid, s in sim.snapshot().items() if rid not in managed}
        out[name] = (want, untouched)
    return out


def assert_holds(
    world: World, expected: dict[str, tuple[dict[str, ListingState | None], dict[str, ListingState]]]
) -> None:
    for name, (want, untouched) in expected.items():
        sim = world.sims[name]
        now = sim.snapshot()
        for rid, state in untouched.items():
            assert now.get(rid) == state, f"{name}: listing {rid} is not in the plan, yet it changed"
        managed = {rid: s for rid, s in now.items() if rid not in untouched}
        counts = Counter(s.sku for s in managed.values())
        assert all(n == 1 for n in counts.values()), f"{name}: a SKU is on several listings: {counts}"
        held = {s.sku: s for s in managed.values()}
        for sku, wanted in want.items():
            if wanted is None:
                assert sku not in held, f"{name}: {sku} is inactive and was missing, yet it was created"
            else:
                assert held.get(sku) == wanted, f"{name}: {sku} is {held.get(sku)}, expected {wanted}"
        assert set(held) <= set(want), f"{name}: listings appeared that nobody asked for: {set(held) - set(want)}"
        assert sim.bad_prices == [], f"{name}: prices sent not as the currency's Decimal: {sim.bad_prices}"
        assert sim.oversized == [], f"{name}: calls larger than the batch limit: {sim.oversized}"


def price_jump(before: Decimal, after: Decimal) -> bool:
    """docs/sync.md, price_change: a move of more than 30% of the live price, or any move from 0."""
    return before != after and (before == 0 or abs(after - before) * 100 > 30 * before)


def expected_guards(plan: ChannelPlan) -> set[str]:
    trips = set()
    if plan.remote_count == 0 and plan.bound_count > 0:
        trips.add("empty_remote")
    if any(
        a.writes and a.before is not None and price_jump(a.before.price.amount, a.after.price.amount)
        for a in plan.actions
    ):
        trips.add("price_change")
    delists = sum(1 for a in plan.actions if a.kind == "delist")
    if delists * 10 > max(plan.bound_count, plan.remote_count, 1):
        trips.add("delist_share")
    return trips


def writes_of(world: World, name: str, since: int) -> list[Call]:
    return [c for c in world.sims[name].calls[since:] if c.channel == name]


def assert_converged(world: World, catalog: Sequence[ProductSpec]) -> None:
    """Idempotence: nothing left to write, a second apply sends nothing, `sync check` sees no drift."""
    for name, plan in world.plan(catalog).items():
        assert plan.writes == (), (
            f"{name}: still to write after apply: {[(a.sku, a.kind, a.reason) for a in plan.writes]}"
        )
    before = {n: s.write_requests for n, s in world.sims.items()}
    again = world.apply(catalog)
    assert again.write_requests == 0 and again.ok, again
    assert {n: s.write_requests for n, s in world.sims.items()} == before
    for name, report in world.check(catalog).items():
        assert report.error is None
        assert report.drifts == [], f"{name}: drift right after apply: {[d.describe() for d in report.drifts]}"
        assert report.missing == [], f"{name}: missing right after apply: {report.missing}"


def assert_paced(world: World) -> None:
    """Every call went out inside the token bucket, and none while a Retry-After was running."""
    for governor in world.governors:
        times = governor.stats.times
        if governor.rate is not None:
            for i in range(len(times)):
                for j in range(i + 1, len(times)):
                    allowed = governor.capacity + governor.rate * (times[j] - times[i]) + 1e-6
                    assert j - i + 1 <= allowed, f"{governor.channel}: {j - i + 1} calls in {times[j] - times[i]}s"
        for at, wait, calls in governor.throttles:
            assert all(t >= at + wait - 1e-6 for t in times[calls:]), f"{governor.channel}: call during Retry-After"


# -- the property -------------------------------------------------------------------------------------


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
@given(scenario=scenarios())
def test_plan_and_apply_keep_their_promises(scenario: Scenario, scratch: Callable[[], Path]) -> None:
    world = World(scenario, scratch())
    try:
        run_scenario(world, scenario)
    finally:
        world.db.dispose()


def run_scenario(world: World, scenario: Scenario) -> None:
    catalog = scenario.catalog

    # 1. Guards (on a copy of the world): an apply with only some guards allowed.
    probe = clone(world, world.folder / "probe")
    try:
        start = {n: s.snapshot() for n, s in probe.sims.items()}
        plans = probe.plan(catalog)
        report = probe.apply(catalog, allow=scenario.allow)
        results = {r.channel: r for r in report.channels}
        for name, plan in plans.items():
            assert {g.name for g in plan.guards} == expected_guards(plan), name
            stopped = plan.allowed(scenario.allow)
            if stopped:
                event(f"guard stopped a channel: {sorted(g.name for g in stopped)}")
                assert probe.sims[name].write_requests == 0 and probe.sims[name].snapshot() == start[name]
                assert results[name].guards and not results[name].ok
            else:
                assert results[name].guards == ()
    finally:
        probe.db.dispose()

    # 2. The first full apply, through transient failures and a rate limit.
    expected = expectations(world, catalog)
    plans = world.plan(catalog)
    for name, faults in scenario.faults.items():
        base = world.sims[name].write_requests
        world.sims[name].faults = {base + n: kind for n, kind in faults.calls.items()}
        world.sims[name].refusals = dict(faults.refusals)
    mark = {n: len(s.calls) for n, s in world.sims.items()}
    world.clock.events.clear()
    report = world.apply(catalog)
    if world.clock.events:
        event("items sent again after a transient failure")
    results = {r.channel: r for r in report.channels}
    journal = JournalRepository(world.db)
    accepted: dict[str, set[str]] = {}
    for name, plan in plans.items():
        sim, result = world.sims[name], results[name]
        calls = writes_of(world, name, mark[name])
        assert_rounds(calls, len(plan.writes), sim.capabilities.batch_limit)
        entries = journal.entries(result.run_id or 0)
        assert [(e.sku, e.action) for e in entries] == [(a.sku, a.kind) for a in plan.writes]
        took = {sku for c in calls for sku in c.landed}
        said = {e.sku for e in entries if e.state in ("accepted", "verified")}
        assert said == took, f"{name}: the journal says {said} were written, the channel took {took}"
        assert all(e.state in ("verified", "failed") for e in entries), [e.state for e in entries]
        assert result.created + result.updated == len(took) and result.failed == len(plan.writes) - len(took)
        accepted[name] = took
        if result.dead_lettered:
            event("dead letters re-sent by the next run")
        sim.faults.clear()
        sim.refusals.clear()

    # 3. What failed for good (dead letters) goes on the next run, and nothing is written twice.
    mark = {n: len(s.calls) for n, s in world.sims.items()}
    report = world.apply(catalog)
    assert report.ok, report
    for name in world.sims:
        again = {sku for c in writes_of(world, name, mark[name]) for sku in c.skus}
        assert not again & accepted[name], f"{name}: written twice: {again & accepted[name]}"
    assert_holds(world, expected)
    assert_converged(world, catalog)
    assert_paced(world)
    if any(g.throttles for g in world.governors):
        event("throttled by a channel (Retry-After)")

    # 4. A price edited on the channel is drift, on exactly that listing.
    for name, sim in world.sims.items():
        spec = world.specs[name]
        mine = {p.sku for p in listed(spec, catalog)}
        ours = sorted(rid for rid, s in sim.snapshot().items() if s.sku in mine)
        convertible = [
            rid
            for rid in ours
            if next(p for p in catalog if p.sku == sim.state_of(rid).sku).currency == spec.currency
            or sim.state_of(rid).sku in spec.overrides
        ]
        if not convertible:
            continue
        rid = convertible[0]
        live = sim.state_of(rid)
        sim.store[rid]["price"] = format(live.price.amount + 1, "f")
        [drift] = world.check(catalog)[name].drifts
        assert (drift.sku, drift.fields, drift.edited_on_channel) == (live.sku, ("price",), True)
        world.apply(catalog)
        assert world.check(catalog)[name].drifts == []

    # 5. The catalog moves on and the channels are edited; an apply dies mid-run; the next one finishes it.
    catalog2 = scenario.catalog2
    edit_channels(world, scenario)
    twin = clone(world, world.folder / "twin")
    try:
        expected = expectations(world, catalog2)
        assert twin.apply(catalog2).ok
        assert_holds(twin, expected)

        # Kill the process at one of the write calls the apply makes.
        plans = world.plan(catalog2)
        busy = [n for n, p in plans.items() if p.writes]
        which, nth, after = scenario.crash
        name = busy[which % len(busy)] if busy else next(iter(world.sims))
        sim = world.sims[name]
        at = nth % max(math.ceil(len(plans[name].writes) / sim.capabilities.batch_limit), 1)
        sim.crash = (sim.write_requests + 1 + at, after)
        mark = {n: len(s.calls) for n, s in world.sims.items()}
        runs_before = {r.id for r in JournalRepository(world.db).runs(100)}
        crashed = True
        try:
            world.apply(catalog2)
            crashed = False
        except Crash:
            pass
        world.sims[name].crash = None
        event(
            f"killed mid-apply: {crashed}"
            + (f" ({'after' if after else 'before'} the channel took it)" if crashed else "")
        )
        written: dict[str, set[str]] = {}
        for ch in world.sims:
            written[ch] = {sku for c in writes_of(world, ch, mark[ch]) for sku in c.landed}
        if crashed:
            [run] = [r for r in JournalRepository(world.db).runs(100) if r.id not in runs_before and r.channel == name]
            entries = JournalRepository(world.db).entries(run.id)
            said = {e.sku for e in entries if e.state == "accepted"}
            open_ = {e.sku for e in entries if e.state == "sent"}
            planned = {e.sku for e in entries if e.state == "planned"}
            assert run.finished_at is None
            if after:
                assert said <= written[name] <= said | open_, (said, open_, written[name])
            else:
                assert said == written[name], (said, written[name])
            assert not planned & written[name]
            mark = {n: len(s.calls) for n, s in world.sims.items()}
            report = world.apply(catalog2)
            assert report.ok, report
            for ch in world.sims:
                again = {sku for c in writes_of(world, ch, mark[ch]) for sku in c.landed}
                assert not again & written[ch], f"{ch}: written again after the crash: {again & written[ch]}"
            closed = {r.id: r for r in JournalRepository(world.db).runs(100)}[run.id]
            assert closed.outcome == "interrupted"
            leftovers = [e for e in JournalRepository(world.db).entries(run.id) if e.state in ("planned", "sent")]
            assert leftovers == []
        assert_holds(world, expected)
        assert_converged(world, catalog2)
        for ch in world.sims:
            ours = sorted(s.model_dump_json() for s in world.sims[ch].snapshot().values())
            theirs = sorted(s.model_dump_json() for s in twin.sims[ch].snapshot().values())
            assert ours == theirs, f"{ch}: the interrupted and the uninterrupted run differ"
            assert set(BindingRepository(world.db).for_channel(ch)) == set(BindingRepository(twin.db).for_channel(ch))
    finally:
        twin.db.dispose()


def assert_rounds(calls: list[Call], writes: int, limit: int) -> None:
    """Each round sends its items in ceil(items / limit) calls, all full but the last; a round's
    retryable failures are exactly the next round's items, while attempts last."""
    rounds: list[list[Call]] = []
    pending, round_no, i = writes, 0, 0
    while pending:
        round_no += 1
        n_calls = math.ceil(pending / limit)
        batch = calls[i : i + n_calls]
        assert len(batch) == n_calls, f"round {round_no}: {len(batch)} calls for {pending} items (limit {limit})"
        sizes = [len(c.skus) for c in batch]
        assert sum(sizes) == pending and all(s == limit for s in sizes[:-1]), sizes
        rounds.append(batch)
        i += n_calls
        failed = sum(c.retryable_failures for c in batch)
        pending = failed if round_no < MAX_ATTEMPTS else 0
    assert i == len(calls), f"{len(calls) - i} write calls beyond what {writes} writes need"


def edit_channels(world: World, scenario: Scenario) -> None:
    for name, edits in scenario.edits.items():
        sim = world.sims[name]
        for kind, which in edits:
            rids = sorted(sim.store)
            if kind == "extra":
                sim.put(
                    ListingState(sku=f"Z{which}", name="Someone else's", price=Money.of(which, sim.currency), stock=1)
                )
                continue
            if not rids:
                continue
            rid = rids[which % len(rids)]
            if kind == "price":
                sim.store[rid]["price"] = format(Decimal(which) + 3, "f")
            elif kind == "stock":
                sim.store[rid]["stock"] = which
            elif kind == "delete":
                del sim.store[rid]
            elif kind == "rename":
                sim.store[rid]["sku"] = sim.store[rid]["sku"] + "-typo"


def clone(world: World, folder: Path) -> World:
    """A copy of the world (channels and database) to run the same apply without interruption."""
    folder.mkdir()
    world.db.dispose()
    shutil.copy(world.folder / "sync.db", folder / "sync.db")
    twin = World.__new__(World)
    twin.scenario, twin.folder, twin.clock = world.scenario, folder, Clock()
    twin.db = Database.open(f"sqlite:///{folder / 'sync.db'}")
    twin.specs, twin.governors = world.specs, []
    twin.sims = {}
    for name, sim in world.sims.items():
        copy = SimChannel(name, sim.currency, sim.profile, sim.capabilities.batch_limit, twin.clock)
        copy.store = {rid: dict(row) for rid, row in sim.store.items()}
        copy.next_id = sim.next_id
        twin.sims[name] = copy
    return twin
