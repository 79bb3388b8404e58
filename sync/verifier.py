"""`oneprice sync check`: read each channel back, report drift from the unified price or the last push.

Drift is stored as `own_channel_drift` alerts (one episode per SKU and channel),
resolved when the listing is back in line.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

import requests

from adapters import create_adapter
from adapters.base import Capabilities
from oneprice.domain.alert import Severity, Violation
from oneprice.domain.catalog import Product
from oneprice.domain.listing import ListingState
from oneprice.errors import ChannelError
from oneprice.settings.loader import LoadedConfig
from oneprice.settings.models import ChannelSettings
from oneprice.storage import AlertRepository, Database
from sync.planner import desired_state, fit_to_channel, listed_on
from sync.reading import ChannelView, read_channel
from sync.service import AdapterFactory, select_channels

log = logging.getLogger(__name__)

RULE = "own_channel_drift"
CHECKED_FIELDS: tuple[str, ...] = ("price", "stock", "status")


@dataclass(frozen=True)
class Drift:
    """One listing whose live state is not what the catalog asks for."""

    channel: str
    sku: str
    remote_id: str
    fields: tuple[str, ...]
    live: ListingState
    desired: ListingState
    edited_on_channel: bool
    """The live listing also differs from what oneprice last pushed (someone changed it there)."""

    def describe(self) -> str:
        parts = []
        for f in self.fields:
            live, want = getattr(self.live, f), getattr(self.desired, f)
            if f == "price":
                parts.append(f"price {live.amount} (unified {want.amount} {want.currency})")
            else:
                parts.append(f"{f} {live} (expected {want})")
        who = "edited on the channel" if self.edited_on_channel else "not yet pushed"
        return f"{', '.join(parts)}; {who}"


@dataclass
class CheckReport:
    channel: str
    checked: int = 0
    drifts: list[Drift] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    error: str | None = None


def find_drift(
    channel: ChannelSettings,
    products: Sequence[Product],
    view: ChannelView,
    capabilities: Capabilities | None = None,
) -> CheckReport:
    """Compare every listed catalog product with its live listing (pure)."""
    report = CheckReport(channel=channel.name)
    for product in products:
        convertible = product.currency == channel.currency or product.sku in channel.overrides
        if not listed_on(product, channel.name) or not convertible:
            continue
        listing = view.remote.get(product.sku)
        if listing is None:
            if product.status == "active":
                report.missing.append(product.sku)
            continue
        report.checked += 1
        desired = fit_to_channel(desired_state(product, channel), listing.state, capabilities)
        fields = tuple(f for f in CHECKED_FIELDS if getattr(listing.state, f) != getattr(desired, f))
        if not fields:
            continue
        binding = view.bindings.get(product.sku)
        edited = (
            binding is not None and binding.last_hash is not None and (binding.last_hash != listing.state.fingerprint())
        )
        report.drifts.append(
            Drift(channel.name, product.sku, listing.remote_id, fields, listing.state, desired, edited)
        )
    return report


def drift_violation(channel: ChannelSettings, drift: Drift, now: datetime) -> Violation:
    want, live = drift.desired.price, drift.live.price
    gap = (want.amount - live.amount) / want.amount * 100 if want.amount else None
    return Violation(
        rule=RULE,
        product_sku=drift.sku,
        seller_key=channel.name,
        seller_name=channel.name,
        reseller_id=None,
        platform=channel.platform,
        unified_price=want,
        observed_price=live,
        gap_percent=gap.quantize(Decimal("0.01")) if gap is not None else None,
        severity=Severity.WARNING,
        message=f"{channel.name}: {drift.sku}: {drift.describe()}",
        url=channel.base_url,
        observation_id=None,
        observed_at=now,
    )


RecordViolations = Callable[[Sequence[Violation], Sequence[tuple[str, str, str, str]], datetime], object]


def check_all(
    config: LoadedConfig,
    db: Database,
    *,
    channel: str | None = None,
    now: datetime | None = None,
    session: requests.Session | None = None,
    adapter_factory: AdapterFactory = create_adapter,
    record: RecordViolations | None = None,
) -> list[CheckReport]:
    """Read each selected channel, report drift, and open/refresh/resolve `own_channel_drift` alerts.

    `record(violations, cleared, now)` stores them; the composition root passes the alert engine's
    (grace, routes, notifications), the default stores them plainly.
    """
    now = now or datetime.now(UTC)
    products = config.catalog.products
    reports: list[CheckReport] = []
    store: RecordViolations = record or AlertRepository(db).apply
    for ch in select_channels(config, channel):
        with adapter_factory(ch, session) as adapter:
            try:
                view = read_channel(adapter, db, products)
            except ChannelError as e:  # one unreadable channel must not hide the others
                log.error("%s: cannot read the channel: %s", ch.name, e)
                reports.append(CheckReport(channel=ch.name, error=str(e)))
                continue
        report = find_drift(ch, products, view, adapter.capabilities)
        violations = [drift_violation(ch, d, now) for d in report.drifts]
        drifting = {d.sku for d in report.drifts}
        cleared = [
            (RULE, p.sku, ch.name, ch.platform) for p in products if listed_on(p, ch.name) and p.sku not in drifting
        ]
        store(violations, cleared, now)
        reports.append(report)
    return reports
