"""Coverage gap: a watch target that has shown no price (blocked, error) for longer than allowed."""

from __future__ import annotations

from datetime import datetime, timedelta

from alerts.rules.base import Reading, make_violation
from oneprice.domain.alert import Severity, Violation
from oneprice.domain.money import Money
from oneprice.domain.observation import ObservationStatus
from oneprice.settings.alerts import CoverageSettings

RULE = "coverage_gap"
UNREADABLE = frozenset({ObservationStatus.BLOCKED, ObservationStatus.HTTP_ERROR})


def coverage_key(target_id: str, platform: str) -> tuple[str, str, str, str]:
    """Coverage episodes are per target: (coverage_gap, "-", "target:<id>", platform)."""
    return (RULE, "-", f"target:{target_id}"[:160], platform)


class CoverageGapRule:
    """Judges one target from its newest observation and when it last showed a price.

    `readable_since` is the newest OK observation's time, else the first observation's time.
    """

    name = RULE

    def __init__(self, settings: CoverageSettings, currency: str) -> None:
        self.settings = settings
        self.currency = currency
        self.zero = Money.of(0, currency)

    def check(self, latest: Reading, readable_since: datetime | None, now: datetime) -> Violation | None:
        if not self.settings.enabled or latest.status not in UNREADABLE or readable_since is None:
            return None
        dark = now - readable_since
        if dark < timedelta(minutes=self.settings.after_minutes):
            return None
        hours = int(dark.total_seconds() // 3600)
        _, sku, key, platform = coverage_key(latest.target_id, latest.platform)
        return make_violation(
            {
                "rule": RULE,
                "product_sku": sku,
                "seller_key": key,
                "seller_name": None,
                "reseller_id": None,
                "platform": platform,
                "unified_price": self.zero,
                "observed_price": None,
                "gap_percent": None,
                "severity": Severity.WARNING,
                "message": (
                    f"watch target {latest.target_id} unreadable for {hours} h "
                    f"({latest.status.value}: {latest.reason or 'no reason given'})"
                ),
                "url": latest.url,
                "observation_id": latest.id,
                "observed_at": latest.observed_at,
            }
        )
