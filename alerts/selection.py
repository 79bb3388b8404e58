"""Pre-selection: which newest observations a rule could flag, or an open episode needs to see.

Everything else is in line for every rule and has no episode to resolve, so it never leaves the
database (see AlertInputRepository.candidates). The test suite checks that evaluating the
selection equals evaluating everything.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from alerts.rules.base import RuleContext
from oneprice.domain.catalog import Reseller
from oneprice.domain.observation import Observation, ObservationStatus
from oneprice.storage.alert_inputs import EVERYWHERE, CandidateFilter

Key = tuple[str, str, str, str]


def _authorized_everywhere(r: Reseller) -> bool:
    return r.own_store or (r.authorized and not r.platforms)


def thresholds(ctx: RuleContext) -> dict[str, tuple[Decimal, Decimal, str]]:
    """Per SKU: (floor, highest price a rule can object to, currency)."""
    raised: dict[str, Decimal] = {}
    for promo in ctx.alerts.promotions:
        if promo.floor_price is None:
            continue
        for p in ctx.products.values():
            if (not promo.products or p.sku in promo.products) and (
                not promo.product_lines or p.product_line in promo.product_lines
            ):
                raised[p.sku] = max(raised.get(p.sku, Decimal(0)), promo.floor_price)
    return {
        sku: (ctx.floor_amount(p), max(p.unified_price.amount, raised.get(sku, Decimal(0))), p.unified_price.currency)
        for sku, p in ctx.products.items()
    }


def candidate_filter(
    limits: dict[str, tuple[Decimal, Decimal, str]], ctx: RuleContext, active: Iterable[Key]
) -> CandidateFilter:
    """The rows worth judging: not OK or not matched (skip counts, coverage), priced below what a
    rule accepts, sold by a seller not authorized on the platform, or under an active episode."""
    keys = list(active)
    allowed = {(r.id, EVERYWHERE) for r in ctx.resellers.values() if _authorized_everywhere(r)}
    allowed |= {(r.id, p) for r in ctx.resellers.values() if r.authorized and not r.own_store for p in r.platforms}
    return CandidateFilter(
        limits={sku: (highest, currency) for sku, (_, highest, currency) in limits.items()},
        allowed=allowed,
        watched={(k[1], k[2], k[3]) for k in keys},
        watched_targets={k[2][len("target:") :] for k in keys if k[2].startswith("target:")},
    )


def drift_targets(observations: Sequence[Observation], limits: dict[str, tuple[Decimal, Decimal, str]]) -> list[str]:
    """Targets whose newest price sits between the floor and the highest price a rule objects to."""
    found: list[str] = []
    for obs in observations:
        limit = limits.get(obs.product_sku or "")
        if obs.status is not ObservationStatus.OK or obs.price is None or limit is None:
            continue
        floor, highest, currency = limit
        if obs.price.currency == currency and floor <= obs.price.amount < highest:
            found.append(obs.target_id)
    return found
