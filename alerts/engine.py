"""Evaluation: run every rule over the newest observation of each target, then update episodes.

Episodes, their history and the outbox messages they cause are stored in one transaction.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from alerts.messages import messages_for
from alerts.notify import Notifier
from alerts.rules import RULES, CoverageGapRule, Rule, RuleContext
from alerts.rules.base import RANGE, Reading
from alerts.rules.coverage import UNREADABLE, coverage_key
from alerts.selection import RULE_FLAGS, candidate_filter, drift_targets, thresholds
from oneprice.domain.alert import EpisodePolicy, Violation
from oneprice.domain.observation import ObservationStatus, seller_key
from oneprice.settings.loader import LoadedConfig
from oneprice.storage import AlertRepository, Database, EpisodeChanges
from oneprice.storage.alert_inputs import BELOW, WATCHED, WATCHED_TARGET, AlertInputRepository, Candidate
from oneprice.storage.alerts import Key
from oneprice.storage.targets import TargetRepository

log = logging.getLogger(__name__)

_RECORDING = threading.Lock()


@dataclass(frozen=True)
class Evaluation:
    """What one evaluation looked at and what it changed."""

    observations: int
    judged: int
    skipped: dict[str, int]
    changes: EpisodeChanges


def find_violations(
    observations: Sequence[Reading], rules: Sequence[Rule], ctx: RuleContext
) -> tuple[list[Violation], set[tuple[str, str, str, str]], dict[str, int]]:
    """Pure core: (violations, keys judged in line or not, skip reasons with counts).

    Only OK observations of a catalog product are judged; a blocked page, a page without a
    price or an unmatched listing says nothing about compliance and leaves episodes as they are.
    Rules switched off by `alerts.overrides` for a product, platform or seller are not run there.
    A rule that abstains on a range reading or a price in another currency (`Rule.abstains`) has
    not judged its key.
    """
    violations: list[Violation] = []
    judged: set[tuple[str, str, str, str]] = set()
    skipped: dict[str, int] = {}
    for obs in observations:
        product = ctx.products.get(obs.product_sku or "")
        if obs.status is not ObservationStatus.OK or obs.price is None or product is None:
            reason = obs.status.value if obs.status is not ObservationStatus.OK else "not_in_catalog"
            skipped[reason] = skipped.get(reason, 0) + 1
            continue
        seller = seller_key(obs.reseller_id, obs.seller_name)
        foreign = obs.price.currency != product.unified_price.currency
        for rule in rules:
            if ctx.alerts.overrides and not ctx.alerts.enabled(
                rule.name, product.sku, product.product_line, obs.platform, seller
            ):
                continue
            found = rule.check(obs, product, ctx)
            if found is not None:
                violations.append(found)
            elif (obs.price_kind == RANGE or foreign) and rule.abstains(obs, product, ctx):
                continue
            judged.add((rule.name, product.sku, seller, obs.platform))
    return worst(violations), judged, skipped


def worst(violations: Sequence[Violation]) -> list[Violation]:
    """Two listings of one seller and product on one platform: keep the worst reading (the first of equals)."""
    kept: dict[tuple[str, str, str, str], Violation] = {}
    for v in violations:
        key = (v.rule, v.product_sku, v.seller_key, v.platform)
        held = kept.get(key)
        if held is None or (v.gap_percent or 0) > (held.gap_percent or 0):
            kept[key] = v
    return list(kept.values())


def judge_candidates(
    candidates: Sequence[Candidate],
    rules: Sequence[Rule],
    ctx: RuleContext,
    active: Collection[Key],
    judged_at: dict[Key, datetime] | None = None,
) -> tuple[list[Violation], set[Key], dict[str, int]]:
    """`find_violations` over the pre-selection's candidates, with what the database compared.

    A rule runs on a candidate only where it can fire (`RULE_FLAGS`), on every candidate under an
    active episode and on every price in another currency than its product's. The judged keys
    returned are those of `active`: only an active episode can be resolved by an in-line reading.
    `judged_at`, when given, receives per judged key when its newest judged reading was observed.
    """
    violations: list[Violation] = []
    judged: set[Key] = set()
    skipped: dict[str, int] = {}
    products = ctx.products
    overrides = bool(ctx.alerts.overrides)
    # The rules to run per combination of the flags that choose rules.
    masks = [RULE_FLAGS.get(rule.name) for rule in rules]
    runs = {
        flags: [rule for rule, mask in zip(rules, masks, strict=True) if mask is None or flags & mask]
        for flags in range(WATCHED)
    }
    ok = ObservationStatus.OK
    for row in candidates:
        product = products.get(row.product_sku or "")
        price = row.price
        if row.status is not ok or price is None or product is None:
            reason = row.status.value if row.status is not ok else "not_in_catalog"
            skipped[reason] = skipped.get(reason, 0) + 1
            continue
        flags = row.flags
        watched = flags & WATCHED
        foreign = price.currency != product.unified_price.currency
        run = rules if watched or foreign else runs[flags & (WATCHED - 1)]
        if not run:
            continue
        seller = seller_key(row.reseller_id, row.seller_name) if watched or overrides else ""
        for rule in run:
            if overrides and not ctx.alerts.enabled(rule.name, product.sku, product.product_line, row.platform, seller):
                continue
            found = rule.check(row, product, ctx)
            if found is not None:
                violations.append(found)
            elif (row.price_kind == RANGE or foreign) and rule.abstains(row, product, ctx):
                continue
            if watched:
                key = (rule.name, product.sku, seller, row.platform)
                if key in active:
                    judged.add(key)
                    if judged_at is not None and (key not in judged_at or judged_at[key] < row.observed_at):
                        judged_at[key] = row.observed_at
    return worst(violations), judged, skipped


def coverage_gaps(
    rule: CoverageGapRule,
    candidates: Sequence[Candidate],
    active: Collection[Key],
    now: datetime,
    judged_at: dict[Key, datetime] | None = None,
) -> tuple[list[Violation], list[Key]]:
    """Targets unreadable for longer than `alerts.coverage_gap.after_minutes`, and the active
    coverage episodes of targets readable again."""
    violations: list[Violation] = []
    cleared: list[Key] = []
    ok = ObservationStatus.OK
    for row in candidates:
        if row.status is ok:
            if row.flags & WATCHED_TARGET and (key := coverage_key(row.target_id, row.platform)) in active:
                cleared.append(key)
                if judged_at is not None:
                    judged_at[key] = row.observed_at
        elif (found := rule.check(row, row.readable_since, now)) is not None:
            violations.append(found)
    return violations, cleared


def policy_for(config: LoadedConfig) -> Callable[[Key], EpisodePolicy]:
    settings = config.settings.alerts
    products = config.catalog.by_sku()

    def policy(key: Key) -> EpisodePolicy:
        rule, sku, seller, platform = key
        product = products.get(sku)
        return settings.episode_policy(rule, sku, product.product_line if product else None, platform, seller)

    return policy


def record(
    config: LoadedConfig,
    db: Database,
    violations: Sequence[Violation],
    cleared: Sequence[Key],
    now: datetime,
    cleared_at: Mapping[Key, datetime] | None = None,
) -> EpisodeChanges:
    """Store violations found elsewhere (sync check, daemon) with the configured grace and routes.

    Episodes are read, then written. The daemon's lanes (a crawl's evaluation, a channel's check)
    take turns here: on PostgreSQL two such transactions would both open the same new episode
    and the second would fail on the one-active-episode index. (SQLite's write lock, taken at the
    start of every transaction, already orders them; separate processes still meet that index.)
    """
    products = config.catalog.by_sku()
    routes = config.settings.alerts.routes
    with _RECORDING:
        return AlertRepository(db).apply(
            violations,
            cleared,
            now,
            policy=policy_for(config),
            messages=lambda changes: messages_for(changes, routes, products),
            cleared_at=cleared_at,
        )


def recorder(
    config: LoadedConfig, db: Database
) -> Callable[[Sequence[Violation], Sequence[Key], datetime], EpisodeChanges]:
    """`record` bound to a config and database, for code that finds violations elsewhere (sync check)."""
    return lambda violations, cleared, now: record(config, db, violations, cleared, now)


@dataclass(frozen=True)
class Detection:
    """What the rules found in the newest observations, before anything is stored.

    `judged`: the keys of active episodes whose rule judged a newest observation, in line or not
    (only an active episode can be resolved by a reading back in line); `judged_at`: when the
    newest reading judging each of them was observed.
    """

    observations: int
    violations: list[Violation]
    judged: list[Key]
    skipped: dict[str, int]
    ctx: RuleContext
    judged_at: dict[Key, datetime] = field(default_factory=dict)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block; afterwards it runs again, as it was.

    Detection allocates a few hundred thousand short-lived objects (rows, prices, violations) that
    form no reference cycles, so reference counting frees them; the collections their allocation
    would trigger include full ones, which walk every object of the process (the loaded
    configuration of a large brand alone holds hundreds of thousands) and free nothing. At the
    end the youngest generation (what the block left alive) is collected once, as the collector
    would have at its next allocation.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(0)


def detect(config: LoadedConfig, db: Database, *, now: datetime) -> Detection:
    """Read the newest observation of every watch target and run every rule over them.

    Only the observations a rule could flag (or an active episode needs) leave the database, with
    the comparisons already done there, and are judged; see alerts/selection.py.
    """
    with collector_paused():
        return _detect(config, db, now)


def _detect(config: LoadedConfig, db: Database, now: datetime) -> Detection:
    rules = [cls.from_config(config) for cls in RULES.values()]
    ctx = RuleContext.from_config(config)
    inputs = AlertInputRepository(db)
    # Configured targets and those discovery added: an unknown seller found by search is judged too.
    target_ids = {t.id for t in config.settings.watch} | {t.id for t in TargetRepository(db).discovered()}
    limits = thresholds(ctx)
    active = AlertRepository(db).active_keys()
    coverage = CoverageGapRule(config.settings.alerts.coverage_gap, config.settings.brand.currency)
    unreadable = UNREADABLE if coverage.settings.enabled else frozenset()
    chosen = inputs.candidates(target_ids, candidate_filter(limits, ctx, active, unreadable))
    candidates = chosen.observations
    # Drift needs a price below the unified price, so only rows the database found below their limit.
    drift = set(drift_targets([c for c in candidates if c.flags & BELOW], limits))
    judging = ctx
    if drift and any(r.needs_history for r in rules) and config.settings.alerts.drift.enabled:
        window = timedelta(days=config.settings.alerts.drift.window_days)
        oldest = min(o.observed_at for o in candidates if o.target_id in drift) - window
        judging = ctx.with_history(inputs.recent_prices(drift, oldest))
    judged_at: dict[Key, datetime] = {}
    violations, judged, skipped = judge_candidates(candidates, rules, judging, active, judged_at)
    gaps, readable = coverage_gaps(coverage, candidates, active, now, judged_at)
    # The context handed on (to notifiers) without the price history only the drift rule reads.
    return Detection(chosen.newest, [*violations, *gaps], [*judged, *readable], skipped, ctx, judged_at)


def evaluate(
    config: LoadedConfig,
    db: Database,
    *,
    notifiers: Sequence[Notifier] = (),
    now: datetime | None = None,
) -> Evaluation:
    """Judge the newest observation of every watch target and open/refresh/resolve episodes."""
    now = now or datetime.now(UTC)
    found = detect(config, db, now=now)
    changes = record(config, db, found.violations, found.judged, now, found.judged_at)
    log.info(
        "evaluated %d observations: %d alerts opened, %d still open, %d resolved, %d in grace, %d dismissed before",
        found.observations,
        len(changes.opened),
        len(changes.updated),
        len(changes.resolved),
        len(changes.pending),
        len(changes.suppressed),
    )
    for notifier in notifiers:
        notifier.notify(changes, found.ctx)
    return Evaluation(found.observations, found.observations - sum(found.skipped.values()), found.skipped, changes)
