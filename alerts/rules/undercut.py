"""Undercut: a seller's price below the unified price minus the tolerance (or a promotion's floor)."""

from __future__ import annotations

import logging

from alerts.rules.base import Reading, Rule, RuleContext, same_currency
from oneprice.domain.alert import Severity, Violation
from oneprice.domain.catalog import Product
from oneprice.domain.money import Money

log = logging.getLogger(__name__)


def promotion_floor(obs: Reading, product: Product, ctx: RuleContext) -> tuple[str, Money] | None:
    """(promotion name, floor) when a sanctioned promotion covers this product, platform and time."""
    if not ctx.alerts.promotions:
        return None
    promo = ctx.alerts.promotion_for(product.sku, product.product_line, obs.platform, obs.observed_at)
    if promo is None:
        return None
    unified = product.unified_price
    if promo.floor_price is not None:
        return promo.name, Money.of(promo.floor_price, unified.currency)
    assert promo.floor_percent is not None
    return promo.name, Money.of(unified.amount * (100 - promo.floor_percent) / 100, unified.currency)


class UndercutRule(Rule):
    """price < unified × (1 − tolerance%) (or unified − absolute tolerance) is an undercut.

    Inside a sanctioned promotion window the promotion's floor replaces the tolerance. Severity
    is critical from `alerts.critical_gap_percent` below the unified price, else warning. A price
    in another currency than the unified price is skipped (conversion is not guessed).
    """

    name = "undercut"

    def check(self, obs: Reading, product: Product, ctx: RuleContext) -> Violation | None:
        unified = product.unified_price
        if not same_currency(obs.price, unified):
            if obs.price is not None:
                log.info(
                    "undercut: %s on %s priced in %s, unified in %s; not compared",
                    product.sku,
                    obs.url,
                    obs.price.currency,
                    unified.currency,
                )
            return None
        price = obs.price
        assert price is not None
        promo = promotion_floor(obs, product, ctx)
        floor = promo[1] if promo else ctx.floor(product)
        if not price.amount < floor.amount:  # every floor is in the unified price's currency
            return None
        gap = price.gap_percent(unified)
        severity = Severity.CRITICAL if gap >= ctx.critical_gap_percent else Severity.WARNING
        during = f" during promotion {promo[0]!r}" if promo else ""
        return self.violation(
            obs,
            product,
            severity=severity,
            gap_percent=gap,
            message=f"{price} is {gap}% below the unified price {unified} (floor {floor}{during})",
        )
