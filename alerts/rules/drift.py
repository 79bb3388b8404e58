"""Drift: a seller's price sliding away from the unified price, raised before it becomes an undercut."""

from __future__ import annotations

import itertools
from datetime import timedelta
from decimal import Decimal

from alerts.rules.base import RANGE, Reading, Rule, RuleContext, same_currency
from alerts.rules.undercut import floor_for
from oneprice.domain.alert import Severity, Violation
from oneprice.domain.catalog import Product
from oneprice.domain.observation import seller_key


class DriftRule(Rule):
    """`alerts.drift.cuts_in_a_row` price cuts in a row, or an average over `window_days` at least
    `average_below_percent` below the unified price, while the newest price is not (yet) an undercut.

    Reads the target's OK readings of the same seller inside the window (`ctx.history`). A range or a
    "from" price as the newest reading is not judged (`abstains`): which variant moved is not known;
    nor is a price in another currency.
    """

    name = "drift"
    needs_history = True

    def check(self, obs: Reading, product: Product, ctx: RuleContext) -> Violation | None:
        settings = ctx.alerts.drift
        unified = product.unified_price
        price = obs.price
        if not settings.enabled or price is None or not same_currency(price, unified) or obs.price_kind == RANGE:
            return None
        floor, promo = floor_for(obs, product, ctx)
        # Amounts compare directly: every floor is in the unified price's currency, as the price is.
        if price.amount < floor.amount or promo is not None or not price.amount < unified.amount:
            return None  # an undercut is the undercut rule's; a promotion or the full price is no drift
        me = seller_key(obs.reseller_id, obs.seller_name)
        since = obs.observed_at - timedelta(days=settings.window_days)
        readings = [
            r.amount
            for r in ctx.history.get(obs.target_id, ())
            if r.currency == unified.currency and r.observed_at >= since and r.id != obs.id and r.seller_key == me
        ]
        readings.append(price.amount)
        gap = price.gap_percent(unified)
        tail = readings[-settings.cuts_in_a_row :]
        if len(tail) == settings.cuts_in_a_row and all(b < a for a, b in itertools.pairwise(tail)):
            why = f"{settings.cuts_in_a_row} price cuts in a row ({' → '.join(str(p) for p in tail)})"
        else:
            average = sum(readings, Decimal(0)) / len(readings)
            below = ((unified.amount - average) / unified.amount * 100) if unified.amount else Decimal(0)
            if len(readings) < 2 or below < settings.average_below_percent:
                return None
            why = f"average {below.quantize(Decimal('0.01'))}% below over {len(readings)} readings"
        return self.violation(
            obs,
            product,
            severity=Severity.INFO,
            gap_percent=gap,
            message=f"{price} drifting toward the floor {floor}: {why}",
        )

    def abstains(self, obs: Reading, product: Product, ctx: RuleContext) -> bool:
        return obs.price_kind == RANGE or not same_currency(obs.price, product.unified_price)
