"""Pre-selection: which newest observations a rule could flag, or an open episode needs to see.

Everything else is in line for every rule and has no episode to resolve, so the engine skips
building it. The test suite checks that evaluating the selection equals evaluating everything.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from alerts.rules.base import RuleContext
from oneprice.domain.catalog import Reseller
from oneprice.domain.observation import ObservationStatus
from oneprice.storage.alert_inputs import NewestRow

Key = tuple[str, str, str, str]
OK = ObservationStatus.OK.value


@dataclass(frozen=True)
class Selection:
    ids: list[int]  # observations to build and judge
    drift_targets: list[str]  # targets whose newest price sits between the floor and the unified price


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


def preselect(rows: Sequence[NewestRow], ctx: RuleContext, active: Iterable[Key]) -> Selection:
    """The rows worth judging: not OK or not matched (skip counts, coverage), priced below what a
    rule accepts, sold by a seller not authorized everywhere, or under an active episode."""
    limits = thresholds(ctx)
    everywhere = {r.id for r in ctx.resellers.values() if _authorized_everywhere(r)}
    allowed = {(r.id, p) for r in ctx.resellers.values() if r.authorized and not r.own_store for p in r.platforms}
    watched = {(k[1], k[2], k[3]) for k in active}
    watched_targets = {k[2][len("target:") :] for k in active if k[2].startswith("target:")}
    ids: list[int] = []
    drift: list[str] = []
    for row in rows:
        limit = limits.get(row.product_sku or "")
        if row.status != OK or row.price is None or limit is None:
            ids.append(row.id)
            continue
        floor, highest, currency = limit
        seller = row.seller_key or "unknown"
        if row.currency == currency and row.price < highest:
            ids.append(row.id)
            if row.price >= floor:
                drift.append(row.target_id)
        elif (
            seller != "unknown" and row.reseller_id not in everywhere and (row.reseller_id, row.platform) not in allowed
        ):
            ids.append(row.id)
        elif (row.product_sku, seller, row.platform) in watched or row.target_id in watched_targets:
            ids.append(row.id)
    return Selection(ids, drift)
