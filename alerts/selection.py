"""Pre-selection: which newest observations a rule could flag, or an open episode needs to see.

Everything else is in line for every rule and has no episode to resolve, so it never leaves the
database (see AlertInputRepository.candidates). The test suite checks that evaluating the
selection equals evaluating everything.

Each candidate comes with the comparisons that chose it (`Candidate.flags`); `RULE_FLAGS` says
which of them a rule needs to possibly fire, so a rule is not run where it cannot.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from decimal import Decimal

from alerts.rules.base import Reading, RuleContext
from oneprice.domain.catalog import Reseller
from oneprice.domain.observation import ObservationStatus
from oneprice.storage.alert_inputs import BELOW, EVERYWHERE, STRANGER, CandidateFilter

# Per rule: the flags of which one at least must be set on a candidate (priced, in the product's
# currency, not under an active episode) for the rule to possibly fire. A rule not named here
# runs on every candidate.
#  - undercut: price < floor, and every floor (tolerance or promotion) is at most the limit
#    `thresholds` gives the product, so a price at or above the limit is no undercut;
#  - drift: needs price < unified price <= the limit;
#  - unauthorized_seller: a seller with no name is not judged, and one authorized on the
#    platform (or everywhere) is fine, which is what `candidate_filter(...).allowed` holds.
RULE_FLAGS: dict[str, int] = {"undercut": BELOW, "drift": BELOW, "unauthorized_seller": STRANGER}

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
    limits: dict[str, tuple[Decimal, Decimal, str]],
    ctx: RuleContext,
    active: Iterable[Key],
    unreadable: Collection[ObservationStatus] = (),
) -> CandidateFilter:
    """The rows worth judging: not OK or not matched (skip counts, coverage), priced below what a
    rule accepts, sold by a seller not authorized on the platform, or under an active episode.

    `unreadable`: statuses for which the coverage rule needs to know since when a target shows no price.
    """
    keys = list(active)
    allowed = {(r.id, EVERYWHERE) for r in ctx.resellers.values() if _authorized_everywhere(r)}
    allowed |= {(r.id, p) for r in ctx.resellers.values() if r.authorized and not r.own_store for p in r.platforms}
    return CandidateFilter(
        limits={sku: (highest, currency) for sku, (_, highest, currency) in limits.items()},
        allowed=allowed,
        watched={(k[1], k[2], k[3]) for k in keys},
        watched_targets={k[2][len("target:") :] for k in keys if k[2].startswith("target:")},
        unreadable={s.value for s in unreadable},
    )


def drift_targets(observations: Sequence[Reading], limits: dict[str, tuple[Decimal, Decimal, str]]) -> list[str]:
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
