"""Sync over the configured channels: read each channel, plan, and (for apply) carry the plan out.

The CLI and the daemon call `plan_all` and `apply_all`; everything below them is testable alone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence

import requests

from adapters import create_adapter
from adapters.base import ChannelAdapter
from oneprice.domain.catalog import Product
from oneprice.domain.listing import RemoteListing
from oneprice.errors import ChannelError, UserError
from oneprice.settings.loader import LoadedConfig
from oneprice.settings.models import ChannelSettings
from oneprice.storage import Binding, BindingRepository, Database
from sync.applier import ApplyReport, ChannelResult, Progress, apply_plan
from sync.plan import ChannelPlan
from sync.planner import listed_on, plan_channel

log = logging.getLogger(__name__)

AdapterFactory = Callable[[ChannelSettings, requests.Session | None], ChannelAdapter]


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


def remote_by_sku(
    listings: Sequence[RemoteListing], bindings: Mapping[str, Binding], products: Sequence[Product]
) -> dict[str, RemoteListing]:
    """The channel's listings keyed by catalog SKU.

    A listing matches by its SKU; a product whose SKU is not on the channel but whose
    binding points at a listing now carrying a non-catalog SKU matches that listing, so
    the update repairs the SKU instead of creating a duplicate.
    """
    remote: dict[str, RemoteListing] = {}
    for listing in listings:
        sku = listing.state.sku
        if sku in remote:
            log.warning(
                "SKU %s appears on more than one listing (%s, %s); using the first",
                sku,
                remote[sku].remote_id,
                listing.remote_id,
            )
            continue
        remote[sku] = listing
    catalog = {p.sku for p in products}
    by_id = {listing.remote_id: listing for listing in listings}
    for sku, binding in bindings.items():
        found = by_id.get(binding.remote_id)
        if sku in remote or sku not in catalog or found is None or found.state.sku in catalog:
            continue
        remote.pop(found.state.sku, None)
        remote[sku] = found
    return remote


def _link(
    db: Database, channel: str, remote: Mapping[str, RemoteListing], products: Sequence[Product]
) -> None:
    """Bind catalog SKUs to the listings found for them, so existing products are linked, not duplicated."""
    repo = BindingRepository(db)
    known = repo.for_channel(channel)
    linked = 0
    for product in products:
        listing = remote.get(product.sku)
        if listing is None or not listed_on(product, channel):
            continue
        binding = known.get(product.sku)
        if binding is None or binding.remote_id != listing.remote_id:
            log.debug("%s: linking SKU %s to listing %s", channel, product.sku, listing.remote_id)
            repo.save(channel, product.sku, listing.remote_id, remote_modified=listing.modified)
            linked += 1
    if linked:
        log.info("%s: linked %d catalog SKU(s) to listings already on the channel", channel, linked)


def _plan_with(
    adapter: ChannelAdapter, channel: ChannelSettings, config: LoadedConfig, db: Database
) -> ChannelPlan:
    products = config.catalog.products
    listings = adapter.list_listings()
    remote = remote_by_sku(listings, BindingRepository(db).for_channel(channel.name), products)
    _link(db, channel.name, remote, products)
    return plan_channel(channel, products, remote)


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
            plans.append(_plan_with(adapter, ch, config, db))
    return plans


def apply_all(
    config: LoadedConfig,
    db: Database,
    *,
    channel: str | None = None,
    session: requests.Session | None = None,
    progress: Progress | None = None,
    adapter_factory: AdapterFactory = create_adapter,
) -> ApplyReport:
    """Plan each selected channel afresh and apply it; a channel that fails does not stop the others.

    With no catalog change since the last apply, every action is unchanged and no write is sent.
    """
    results: list[ChannelResult] = []
    for ch in select_channels(config, channel):
        with adapter_factory(ch, session) as adapter:
            try:
                plan = _plan_with(adapter, ch, config, db)
            except ChannelError as e:
                log.error("%s: cannot read the channel: %s", ch.name, e)
                results.append(ChannelResult(channel=ch.name, error=str(e)))
                continue
            results.append(apply_plan(plan, adapter, db, progress=progress))
    return ApplyReport(channels=tuple(results))
