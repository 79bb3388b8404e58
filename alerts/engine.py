"""Evaluation: run every rule over the newest observation of each target, then update episodes.

Episodes, their history and the outbox messages they cause are stored in one transaction.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from alerts.messages import messages_for
from alerts.notify import Notifier
from alerts.rules import RULES, CoverageGapRule, Rule, RuleContext
from alerts.rules.coverage import coverage_key
from alerts.selection import candidate_filter, drift_targets, thresholds
from oneprice.domain.alert import EpisodePolicy, Violation
from oneprice.domain.observation import Observation, ObservationStatus, seller_key
from oneprice.settings.loader import LoadedConfig
from oneprice.storage import AlertRepository, Database, EpisodeChanges
from oneprice.storage.alert_inputs import AlertInputRepository
from oneprice.storage.alerts import Key
from oneprice.storage.targets import TargetRepository

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Evaluation:
    """What one evaluation looked at and what it changed."""

    observations: int
    judged: int
    skipped: dict[str, int]
    changes: EpisodeChanges


def find_violations(
    observations: Sequence[Observation], rules: Sequence[Rule], ctx: RuleContext
) -> tuple[list[Violation], set[tuple[str, str, str, str]], dict[str, int]]:
    """Pure core: (violations, keys judged in line or not, skip reasons with counts).

    Only OK observations of a catalog product are judged; a blocked page, a page without a
    price or an unmatched listing says nothing about compliance and leaves episodes as they are.
    Rules switched off by `alerts.overrides` for a product, platform or seller are not run there.
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
        for rule in rules:
            if ctx.alerts.overrides and not ctx.alerts.enabled(
                rule.name, product.sku, product.product_line, obs.platform, seller
            ):
                continue
            judged.add((rule.name, product.sku, seller, obs.platform))
            found = rule.check(obs, product, ctx)
            if found is not None:
                violations.append(found)
    # Two listings of one seller and product on one platform: keep the worst reading.
    worst: dict[tuple[str, str, str, str], Violation] = {}
    for v in violations:
        held = worst.get(v.key)
        if held is None or (v.gap_percent or 0) > (held.gap_percent or 0):
            worst[v.key] = v
    return list(worst.values()), judged, skipped


def coverage_gaps(
    config: LoadedConfig, db: Database, observations: Sequence[Observation], now: datetime
) -> tuple[list[Violation], list[Key]]:
    """Targets unreadable for longer than `alerts.coverage_gap.after_minutes`, and those readable again."""
    rule = CoverageGapRule(config.settings.alerts.coverage_gap, config.settings.brand.currency)
    dark = [o for o in observations if o.status is not ObservationStatus.OK]
    since = AlertInputRepository(db).readable_since([o.target_id for o in dark]) if dark else {}
    violations = [v for o in dark if (v := rule.check(o, since.get(o.target_id), now)) is not None]
    cleared = [coverage_key(o.target_id, o.platform) for o in observations if o.status is ObservationStatus.OK]
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
    config: LoadedConfig, db: Database, violations: Sequence[Violation], cleared: Sequence[Key], now: datetime
) -> EpisodeChanges:
    """Store violations found elsewhere (sync check, daemon) with the configured grace and routes."""
    products = config.catalog.by_sku()
    routes = config.settings.alerts.routes
    return AlertRepository(db).apply(
        violations,
        cleared,
        now,
        policy=policy_for(config),
        messages=lambda changes: messages_for(changes, routes, products),
    )


def recorder(
    config: LoadedConfig, db: Database
) -> Callable[[Sequence[Violation], Sequence[Key], datetime], EpisodeChanges]:
    """`record` bound to a config and database, for code that finds violations elsewhere (sync check)."""
    return lambda violations, cleared, now: record(config, db, violations, cleared, now)


@dataclass(frozen=True)
class Detection:
    """What the rules found in the newest observations, before anything is stored."""

    observations: int
    violations: list[Violation]
    judged: list[Key]
    skipped: dict[str, int]
    ctx: RuleContext


def detect(config: LoadedConfig, db: Database, *, now: datetime) -> Detection:
    """Read the newest observation of every watch target and run every rule over them.

    Only the observations a rule could flag (or an active episode needs) leave the database and
    are built and judged; see alerts/selection.py.
    """
    rules = [cls.from_config(config) for cls in RULES.values()]
    ctx = RuleContext.from_config(config)
    inputs = AlertInputRepository(db)
    # Configured targets and those discovery added: an unknown seller found by search is judged too.
    target_ids = {t.id for t in config.settings.watch} | {t.id for t in TargetRepository(db).discovered()}
    limits = thresholds(ctx)
    chosen = inputs.candidates(target_ids, candidate_filter(limits, ctx, AlertRepository(db).active_keys()))
    observations = chosen.observations
    drift = drift_targets(observations, limits)
    if drift and any(r.needs_history for r in rules) and config.settings.alerts.drift.enabled:
        window = timedelta(days=config.settings.alerts.drift.window_days)
        oldest = min((o.observed_at for o in observations), default=now) - window
        history = inputs.recent_prices(drift, oldest)
        ctx = dataclasses.replace(ctx, history=history)
    violations, judged, skipped = find_violations(observations, rules, ctx)
    gaps, readable = coverage_gaps(config, db, observations, now)
    return Detection(chosen.newest, [*violations, *gaps], [*judged, *readable], skipped, ctx)


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
    changes = record(config, db, found.violations, found.judged, now)
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
