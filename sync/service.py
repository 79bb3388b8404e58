"""Sync over the configured channels: read each channel, plan, guard, and (for apply) carry the plan out.

The CLI and the daemon call `plan_all`, `apply_all`, `link_all` and `retry_all`;
everything below them is testable alone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping
from contextlib import ExitStack
from dataclasses import dataclass

import requests

from adapters import create_adapter
from adapters.base import ChannelAdapter, RateFeedback
from oneprice.errors import ChannelError, PlanError, UserError
from oneprice.settings.loader import LoadedConfig
from oneprice.settings.models import ChannelSettings
from oneprice.storage import (
    BindingRepository,
    ChannelStateRepository,
    Database,
    DeadLetterRepository,
    JournalRepository,
)
from sync.applier import RetryPolicy, apply_plan
from sync.governor import RateGovernor
from sync.guards import check_guards
from sync.plan import ChannelPlan
from sync.planner import plan_channel
from sync.reading import LinkReport, link_channel, read_channel
from sync.report import ApplyReport, ChannelResult, Progress

log = logging.getLogger(__name__)

AdapterFactory = Callable[[ChannelSettings, requests.Session | None], ChannelAdapter]
GovernorFactory = Callable[[ChannelSettings, ChannelAdapter], RateFeedback]


@dataclass(frozen=True)
class ApplyOptions:
    """How an apply may go: guards allowed past, SKUs to limit it to, a saved plan's fingerprints."""

    allow: frozenset[str] = frozenset()
    only_skus: Mapping[str, frozenset[str]] | None = None
    """Per channel, the SKUs to write (`sync retry`); None: every write of the plan."""
    expected: Mapping[str, str] | None = None
    """Per channel, the fingerprint of a saved plan; a fresh plan must match it."""
    verify: bool | None = None
    """Read back after writing; None: the `sync.verify` setting."""
    policy: RetryPolicy | None = None


def select_channels(config: LoadedConfig, channel: str | None = None) -> list[ChannelSettings]:
    """The enabled channels, or the one named; an unknown or disabled name is a UserError."""
    channels = config.settings.channels
    if channel is None:
        return [c for c in channels if c.enabled]
    for c in channels:
        if c.name == channel:
            if not c.enabled:
                raise UserError(f"channel {channel!r} is disabled (enabled: false in {config.path.name})")
            return [c]
    known = ", ".join(c.name for c in channels) or "none configured"
    raise UserError(f"unknown channel {channel!r} (known: {known})")


def default_governor(config: LoadedConfig) -> GovernorFactory:
    """A RateGovernor per channel: the channel's `rate`, else `sync.rate`, else the adapter's rate."""

    def build(channel: ChannelSettings, adapter: ChannelAdapter) -> RateFeedback:
        default = config.settings.sync.rate
        caps = adapter.capabilities
        rate = channel.rate.requests_per_second or default.requests_per_second or caps.requests_per_second
        burst = channel.rate.burst or default.burst or caps.burst or 1
        return RateGovernor(rate, burst, channel=channel.name)

    return build


def _plan_one(adapter: ChannelAdapter, channel: ChannelSettings, config: LoadedConfig, db: Database) -> ChannelPlan:
    products = config.catalog.products
    view = read_channel(adapter, db, products)
    link_channel(view, db, channel.name, products)
    # Re-read bindings after linking, so drift is judged against what we pushed last.
    bindings = BindingRepository(db).for_channel(channel.name)
    plan = plan_channel(
        channel,
        products,
        view.remote,
        bindings,
        duplicates=view.duplicates,
        remote_count=len(view.listings),
        capabilities=adapter.capabilities,
        sends_today=JournalRepository(db).sends_today(channel.name) if adapter.capabilities.revisions_per_day else None,
    )
    plan = check_guards(plan, config.settings.sync.guards)
    state = ChannelStateRepository(db).get(channel.name)
    if state is not None and state.paused:
        plan = plan.model_copy(update={"paused": state.reason or "paused"})
    return plan


def plan_all(
    config: LoadedConfig,
    db: Database,
    *,
    channel: str | None = None,
    session: requests.Session | None = None,
    adapter_factory: AdapterFactory = create_adapter,
) -> list[ChannelPlan]:
    """Read every selected channel and plan it; records bindings for listings found by SKU.

    Sends no write to any channel. A channel that cannot be read raises its ChannelError.
    """
    plans = []
    for ch in select_channels(config, channel):
        with adapter_factory(ch, session) as adapter:
            plans.append(_plan_one(adapter, ch, config, db))
    return plans


def link_all(
    config: LoadedConfig,
    db: Database,
    *,
    channel: str | None = None,
    session: requests.Session | None = None,
    adapter_factory: AdapterFactory = create_adapter,
) -> list[LinkReport]:
    """`sync link`: bind every catalog SKU already on each channel; report duplicates and missing SKUs."""
    reports = []
    products = config.catalog.products
    for ch in select_channels(config, channel):
        with adapter_factory(ch, session) as adapter:
            reports.append(link_channel(read_channel(adapter, db, products), db, ch.name, products))
    return reports


def _narrow(plan: ChannelPlan, skus: Collection[str]) -> ChannelPlan:
    kept = tuple(a for a in plan.actions if a.sku in skus or not a.writes)
    return plan.model_copy(update={"actions": kept})


def apply_all(
    config: LoadedConfig,
    db: Database,
    *,
    channel: str | None = None,
    options: ApplyOptions | None = None,
    session: requests.Session | None = None,
    progress: Progress | None = None,
    adapter_factory: AdapterFactory = create_adapter,
    governor_factory: GovernorFactory | None = None,
) -> ApplyReport:
    """Plan each selected channel afresh, check guards (and a saved plan's fingerprint), then apply.

    Every channel is planned before any write is sent: a stale saved plan raises PlanError
    and nothing is written. A paused channel, a tripped guard, or a channel that cannot be
    read stops that channel only. With nothing changed since the last apply, no write is sent.
    """
    options = options or ApplyOptions()
    governors = governor_factory or default_governor(config)
    sync = config.settings.sync
    policy = options.policy or RetryPolicy(sync.retry.max_attempts, sync.retry.backoff, sync.retry.max_backoff)
    verify = sync.verify if options.verify is None else options.verify
    selected = select_channels(config, channel)
    if options.expected is not None:
        unknown = sorted(set(options.expected) - {c.name for c in selected})
        if unknown:
            raise PlanError(f"the plan names channel(s) not selected or not configured: {', '.join(unknown)}")
        selected = [c for c in selected if c.name in options.expected]
    results: dict[str, ChannelResult] = {}
    with ExitStack() as stack:
        ready: list[tuple[ChannelSettings, ChannelAdapter, ChannelPlan]] = []
        for ch in selected:
            adapter = stack.enter_context(adapter_factory(ch, session))
            adapter.rate_feedback = governors(ch, adapter)
            try:
                plan = _plan_one(adapter, ch, config, db)
            except ChannelError as e:
                log.error("%s: cannot read the channel: %s", ch.name, e)
                results[ch.name] = ChannelResult(channel=ch.name, error=str(e))
                continue
            if options.expected is not None and plan.fingerprint() != options.expected[ch.name]:
                raise PlanError(
                    f"channel {ch.name!r} changed since the plan was made (catalog, overrides or the "
                    "channel itself); make a new plan with `oneprice sync plan --out FILE`"
                )
            ready.append((ch, adapter, plan))
        for ch, adapter, plan in ready:
            if plan.paused is not None:
                log.info("%s: paused (%s); nothing sent", ch.name, plan.paused)
                results[ch.name] = ChannelResult(channel=ch.name, paused=True, unchanged=plan.unchanged)
                continue
            tripped = plan.allowed(options.allow)
            if tripped:
                for g in tripped:
                    log.error("guard %s: %s", g.name, g.message)
                results[ch.name] = ChannelResult(channel=ch.name, guards=tuple(g.message for g in tripped))
                continue
            if options.only_skus is not None:
                plan = _narrow(plan, options.only_skus.get(ch.name, frozenset()))
            results[ch.name] = apply_plan(plan, adapter, db, progress=progress, policy=policy, verify=verify)
    return ApplyReport(channels=tuple(results[c.name] for c in selected if c.name in results))


def retry_all(
    config: LoadedConfig,
    db: Database,
    *,
    channel: str | None = None,
    options: ApplyOptions | None = None,
    session: requests.Session | None = None,
    adapter_factory: AdapterFactory = create_adapter,
) -> ApplyReport:
    """`sync retry`: apply again only the dead-lettered SKUs, planned afresh from the live channel.

    A letter whose SKU now plans as unchanged is cleared without a write.
    """
    letters = DeadLetterRepository(db).list(channel)
    skus: dict[str, set[str]] = {}
    for letter in letters:
        skus.setdefault(letter.channel, set()).add(letter.sku)
    if not skus:
        return ApplyReport()
    chosen = [c for c in select_channels(config, channel) if c.name in skus]
    base = options or ApplyOptions()
    report = ApplyReport()
    dead = DeadLetterRepository(db)
    for ch in chosen:
        narrowed = ApplyOptions(
            allow=base.allow,
            only_skus={ch.name: frozenset(skus[ch.name])},
            verify=base.verify,
            policy=base.policy,
        )
        part = apply_all(
            config, db, channel=ch.name, options=narrowed, session=session, adapter_factory=adapter_factory
        )
        report = ApplyReport(channels=report.channels + part.channels)
        for result in part.channels:
            if result.ok and not result.paused:
                failed = {f.sku for f in result.failures}
                dead.clear(ch.name, sorted(skus[ch.name] - failed))
    return report
