"""Evaluation: run every rule over the newest observation of each target, then update episodes."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from alerts.notify import Notifier
from alerts.rules import RULES, Rule, RuleContext
from oneprice.domain.alert import Violation
from oneprice.domain.observation import Observation, ObservationStatus, seller_key
from oneprice.settings.loader import LoadedConfig
from oneprice.storage import AlertRepository, Database, EpisodeChanges, ObservationRepository

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
        for rule in rules:
            judged.add((rule.name, product.sku, seller_key(obs.reseller_id, obs.seller_name), obs.platform))
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


def evaluate(
    config: LoadedConfig,
    db: Database,
    *,
    notifiers: Sequence[Notifier] = (),
    now: datetime | None = None,
) -> Evaluation:
    """Judge the newest observation of every watch target and open/refresh/resolve episodes."""
    now = now or datetime.now(UTC)
    rules = [cls.from_config(config) for cls in RULES.values()]
    ctx = RuleContext.from_config(config)
    target_ids = [t.id for t in config.settings.watch]
    observations = ObservationRepository(db).latest_per_target(target_ids)
    violations, judged, skipped = find_violations(observations, rules, ctx)
    changes = AlertRepository(db).apply(violations, judged, now)
    log.info(
        "evaluated %d observations: %d alerts opened, %d still open, %d resolved",
        len(observations),
        len(changes.opened),
        len(changes.updated),
        len(changes.resolved),
    )
    for notifier in notifiers:
        notifier.notify(changes, ctx)
    return Evaluation(len(observations), len(observations) - sum(skipped.values()), skipped, changes)
