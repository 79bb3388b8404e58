"""Notifiers: where new and resolved alerts are announced. The log is the first route."""

from __future__ import annotations

import logging
from typing import Protocol

from alerts.rules.base import RuleContext
from oneprice.domain.alert import Alert
from oneprice.storage import EpisodeChanges

log = logging.getLogger("oneprice.alerts")


class Notifier(Protocol):
    def notify(self, changes: EpisodeChanges, ctx: RuleContext) -> None: ...


def describe(alert: Alert, ctx: RuleContext) -> str:
    """One line about an alert; scraped text is quoted with repr() so it cannot forge log lines."""
    product = ctx.products.get(alert.product_sku)
    name = product.name if product else alert.product_sku
    seller = alert.seller_name or alert.seller_key
    price = f" at {alert.observed_price}" if alert.observed_price else ""
    return (
        f"[{alert.severity.value}] {alert.rule} #{alert.id}: {seller!r} on {alert.platform} sells "
        f"{alert.product_sku} ({name}){price}: {alert.message}"
    )


class LogNotifier:
    """Writes new alerts at WARNING and resolutions at INFO to the `oneprice.alerts` logger."""

    def notify(self, changes: EpisodeChanges, ctx: RuleContext) -> None:
        for alert in changes.opened:
            log.warning("new alert %s", describe(alert, ctx))
        for alert in changes.resolved:
            log.info("resolved alert #%d (%s, %s, %s)", alert.id, alert.rule, alert.product_sku, alert.platform)
