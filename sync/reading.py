"""Read one channel for planning: its listings keyed by catalog SKU, duplicates reported, bindings linked.

`link_channel` is `oneprice sync link`: bind listings already on the channel by SKU, never guessing.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from adapters.base import ChannelAdapter
from oneprice.domain.catalog import Product
from oneprice.domain.listing import RemoteListing
from oneprice.storage import Binding, BindingRepository, Database
from sync.planner import listed_on

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChannelView:
    """One read of a channel: listings by catalog SKU, SKUs on several listings, and the bindings."""

    listings: tuple[RemoteListing, ...]
    remote: dict[str, RemoteListing]
    duplicates: dict[str, tuple[str, ...]]
    bindings: dict[str, Binding]


@dataclass
class LinkReport:
    """What `sync link` did on one channel."""

    channel: str
    linked: list[tuple[str, str]] = field(default_factory=list)
    """(SKU, remote id) bound now."""
    already: int = 0
    missing: list[str] = field(default_factory=list)
    """Catalog SKUs listed on this channel that the channel does not have."""
    duplicates: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """SKU -> remote ids of every listing carrying it: reported, never guessed."""


def remote_by_sku(
    listings: Sequence[RemoteListing], bindings: Mapping[str, Binding], products: Sequence[Product]
) -> tuple[dict[str, RemoteListing], dict[str, tuple[str, ...]]]:
    """The channel's listings keyed by catalog SKU, and the SKUs found on more than one listing.

    A SKU on several listings matches the one its binding names; with no binding it is
    reported as a duplicate and matches none. A product whose SKU is not on the channel
    but whose binding points at a listing now carrying a non-catalog SKU matches that
    listing, so the update repairs the SKU (relink) instead of creating a duplicate.
    """
    by_sku: dict[str, list[RemoteListing]] = {}
    for listing in listings:
        by_sku.setdefault(listing.state.sku, []).append(listing)
    remote: dict[str, RemoteListing] = {}
    duplicates: dict[str, tuple[str, ...]] = {}
    for sku, found in by_sku.items():
        if len(found) == 1:
            remote[sku] = found[0]
            continue
        binding = bindings.get(sku)
        chosen = [f for f in found if binding is not None and f.remote_id == binding.remote_id]
        if chosen:
            remote[sku] = chosen[0]
        else:
            duplicates[sku] = tuple(f.remote_id for f in found)
            log.warning("SKU %s is on %d listings (%s); not guessing", sku, len(found), ", ".join(duplicates[sku]))
    catalog = {p.sku for p in products}
    by_id = {listing.remote_id: listing for listing in listings}
    for sku, binding in bindings.items():
        found_listing = by_id.get(binding.remote_id)
        if sku in remote or sku not in catalog or found_listing is None or found_listing.state.sku in catalog:
            continue
        remote.pop(found_listing.state.sku, None)
        remote[sku] = found_listing
    return remote, duplicates


def read_channel(adapter: ChannelAdapter, db: Database, products: Sequence[Product]) -> ChannelView:
    """List the channel once and match it to the catalog with the channel's bindings."""
    listings = tuple(adapter.list_listings())
    bindings = BindingRepository(db).for_channel(adapter.channel)
    remote, duplicates = remote_by_sku(listings, bindings, products)
    return ChannelView(listings, remote, duplicates, bindings)


def link_channel(view: ChannelView, db: Database, channel: str, products: Sequence[Product]) -> LinkReport:
    """Bind catalog SKUs to the listings found for them (one transaction), so nothing is created twice."""
    report = LinkReport(channel=channel, duplicates={s: ids for s, ids in view.duplicates.items()})
    new: list[Binding] = []
    for product in products:
        if not listed_on(product, channel):
            continue
        listing = view.remote.get(product.sku)
        if listing is None:
            if product.sku not in view.duplicates:
                report.missing.append(product.sku)
            continue
        binding = view.bindings.get(product.sku)
        if binding is not None and binding.remote_id == listing.remote_id:
            report.already += 1
            continue
        new.append(Binding(channel, product.sku, listing.remote_id, None, None, listing.modified))
        report.linked.append((product.sku, listing.remote_id))
    BindingRepository(db).save_many(channel, new)
    if new:
        log.info("%s: linked %d catalog SKU(s) to listings already on the channel", channel, len(new))
    return report
