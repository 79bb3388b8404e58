"""Undercut: a seller's price below the unified price minus the tolerance (or a promotion's floor)."""

from __future__ import annotations

import logging

from alerts.rules.base import RANGE, Reading, Rule, RuleContext, range_top, same_currency
from oneprice.domain.alert import Severity, Violation
from oneprice.domain.catalog import Product
from oneprice.domain.money import Money

log = logging.getLogger(__name__)


def promotion_floor(obs: Reading, product: Product, ctx: RuleContext) -> tuple[str, Money] | None:
    """(promotion name, floor) when a sanctioned promotion covers this product, platform and time.

    Overlapping promotions each sanction their floor, so the lowest one applies (the first
    configured of equal floors), whatever their order in the configuration.
    """
    if not ctx.alerts.promotions:
        return None
    unified = product.unified_price
    found: tuple[str, Money] | None = None
    for promo in ctx.alerts.promotions_for(product.sku, product.product_line, obs.platform, obs.observed_at):
        if promo.floor_price is not None:
            floor = Money.of(promo.floor_price, unified.currency)
        else:
            assert promo.floor_percent is not None
            floor = Money.of(unified.amount * (100 - promo.floor_percent) / 100, unified.currency)
        if found is None or floor.amount < found[1].amount:
            found = (promo.name, floor)
    return found


def floor_for(obs: Reading, product: Product, ctx: RuleContext) -> tuple[Money, str | None]:
    """(the lowest price that is no undercut, the promotion that sets it or None)."""
    promo = promotion_floor(obs, product, ctx)
    return (promo[1], promo[0]) if promo else (ctx.floor(product), None)


class UndercutRule(Rule):
    """price < unified × (1 − tolerance%) (or unified − absolute tolerance) is an undercut.

    Inside a sanctioned promotion window the promotion's floor replaces the tolerance. Severity
    is critical from `alerts.critical_gap_percent` below the unified price, else warning. A price
    in another currency than the unified price is skipped (conversion is not guessed).

    A range ("¥128.00-168.00", variants priced apart) is an undercut only when its top is below the
    floor: then every variant is. Its low end may be a cheaper variant than the listing's product,
    and a "from" price (no top: "¥99起", an auction's current bid) is no price anyone pays for it, so
    a range reaching over the floor, or a "from" price below it, is no undercut and no sign of being
    in line either (`abstains`): an open episode stays as it is. So is a price in another currency.
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
        floor, promo = floor_for(obs, product, ctx)
        # A range is judged by its top; a "from" price (no top) by nothing: what it sells for is not known.
        judged = range_top(obs) if obs.price_kind == RANGE else price
        if judged is None or not judged.amount < floor.amount:  # every floor is in the unified price's currency
            return None
        gap = judged.gap_percent(unified)
        severity = Severity.CRITICAL if gap >= ctx.critical_gap_percent else Severity.WARNING
        during = f" during promotion {promo!r}" if promo else ""
        shown = f"{price} to {judged} (every price of the range)" if judged is not price else str(price)
        return self.violation(
            obs,
            product,
            severity=severity,
            gap_percent=gap,
            message=f"{shown} is {gap}% below the unified price {unified} (floor {floor}{during})",
            observed=judged,
        )

    def abstains(self, obs: Reading, product: Product, ctx: RuleContext) -> bool:
        price = obs.price
        if price is None:
            return False
        if not same_currency(price, product.unified_price):
            return True  # not compared: no sign of being in line either
        if obs.price_kind != RANGE:
            return False
        return price.amount < floor_for(obs, product, ctx)[0].amount  # partly below the floor, or a "from" price
