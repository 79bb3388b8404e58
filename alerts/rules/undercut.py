"""Undercut: a seller's price below the unified price minus the tolerance."""

from __future__ import annotations

import logging

from alerts.rules.base import Rule, RuleContext, same_currency
from oneprice.domain.alert import Severity, Violation
from oneprice.domain.catalog import Product
from oneprice.domain.observation import Observation

log = logging.getLogger(__name__)


class UndercutRule(Rule):
    """price < unified × (1 − tolerance%) (or unified − absolute tolerance) is an undercut.

    Severity is critical from `alerts.critical_gap_percent` below the unified price, else warning.
    A price in another currency than the unified price is skipped (conversion is not guessed).
    """

    name = "undercut"

    def check(self, obs: Observation, product: Product, ctx: RuleContext) -> Violation | None:
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
        assert obs.price is not None
        floor = ctx.policy.tolerance_for(product.product_line).floor(unified)
        if not obs.price < floor:
            return None
        gap = obs.price.gap_percent(unified)
        severity = Severity.CRITICAL if gap >= ctx.critical_gap_percent else Severity.WARNING
        return self.violation(
            obs,
            product,
            severity=severity,
            gap_percent=gap,
            message=f"{obs.price} is {gap}% below the unified price {unified} (floor {floor})",
        )
