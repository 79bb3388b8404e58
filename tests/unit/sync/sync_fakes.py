"""An in-memory channel adapter and small builders for the sync tests."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Self

import requests
from pydantic import BaseModel

from adapters.base import Capabilities, Change, ChannelAdapter, ItemResult
from oneprice.domain.catalog import Product
from oneprice.domain.listing import ListingState, RemoteListing
from oneprice.domain.money import Money
from oneprice.errors import BatchTooLarge
from oneprice.settings.models import ChannelSettings


class FakeSettings(BaseModel):
    credentials: dict[str, Any] = {}
    options: dict[str, Any] = {}


class FakeAdapter(ChannelAdapter):
    """A channel held in a dict; one `push` call is one write request.

    `refusals[sku]` lists (error, retryable) answers given to that SKU before it is accepted;
    `raise_next` lists exceptions raised by the next pushes; `accepts_at_most` makes bigger
    batches fail with BatchTooLarge; `before_push` runs at the start of every push.
    """

    kind = "fake"
    settings_model = FakeSettings

    def __init__(self, channel: str = "shop", currency: str = "CNY", batch_limit: int = 100) -> None:
        super().__init__(channel, currency, Capabilities(batch_limit=batch_limit))
        self.listings: dict[str, RemoteListing] = {}
        self.next_id = 100
        self.refusals: dict[str, list[tuple[str, bool]]] = {}
        self.raise_next: list[Exception] = []
        self.accepts_at_most: int | None = None
        self.pushes: list[list[Change]] = []
        self.before_push: Callable[[Sequence[Change]], None] | None = None
        self.reads = 0

    @classmethod
    def from_settings(cls, channel: ChannelSettings, session: requests.Session | None = None) -> Self:
        return cls(channel.name, channel.currency)

    def seed(self, *states: ListingState) -> list[RemoteListing]:
        out = []
        for s in states:
            self.next_id += 1
            listing = RemoteListing(remote_id=str(self.next_id), state=s, modified="m0")
            self.listings[listing.remote_id] = listing
            out.append(listing)
        return out

    def list_listings(self) -> list[RemoteListing]:
        self.reads += 1
        return list(self.listings.values())

    def push(self, changes: Sequence[Change]) -> list[ItemResult]:
        if self.before_push is not None:
            self.before_push(changes)
        self.write_requests += 1
        self.pushes.append(list(changes))
        if self.raise_next:
            raise self.raise_next.pop(0)
        if self.accepts_at_most is not None and len(changes) > self.accepts_at_most:
            raise BatchTooLarge(self.channel, f"more than {self.accepts_at_most} items", status=413)
        return [self._apply(c) for c in changes]

    def _apply(self, change: Change) -> ItemResult:
        pending = self.refusals.get(change.sku)
        if pending:
            error, retryable = pending.pop(0)
            return ItemResult.refused(change.sku, error, retryable=retryable)
        if change.kind == "create":
            self.next_id += 1
            remote_id = str(self.next_id)
        else:
            assert change.remote_id is not None
            remote_id = change.remote_id
        stamp = f"m{len(self.pushes)}"
        self.listings[remote_id] = RemoteListing(remote_id=remote_id, state=change.state, modified=stamp)
        return ItemResult.accepted(change.sku, remote_id, stamp)


def product(sku: str, price: str = "1299", **kw: Any) -> Product:
    fields: dict[str, Any] = {"name": f"Product {sku}", "stock": 5, "currency": "CNY"}
    fields.update(kw)
    currency = fields.pop("currency")
    return Product(sku=sku, unified_price=Money.of(price, currency), **fields)


def listing_state(sku: str, price: str = "1299", **kw: Any) -> ListingState:
    fields: dict[str, Any] = {"name": f"Product {sku}", "stock": 5, "status": "active", "currency": "CNY"}
    fields.update(kw)
    currency = fields.pop("currency")
    return ListingState(sku=sku, price=Money.of(price, currency), **fields)


def channel(name: str = "shop", currency: str = "CNY", **kw: Any) -> ChannelSettings:
    fields: dict[str, Any] = {
        "name": name,
        "kind": "fake",
        "base_url": "http://127.0.0.1:1",
        "currency": currency,
    }
    fields.update(kw)
    return ChannelSettings.model_validate(fields)


def loaded(tmp_path: Any, products: list[Product], *channels: dict[str, Any], **root: Any) -> Any:
    """A LoadedConfig of fake channels (default one channel `shop`) over `products`."""
    from oneprice.domain.catalog import Catalog
    from oneprice.settings import LoadedConfig
    from oneprice.settings.models import Settings

    chans = channels or ({"name": "shop"},)
    settings = Settings.model_validate(
        {
            "brand": {"name": "B"},
            "catalog": {"file": "catalog.csv"},
            "channels": [{"kind": "fake", "base_url": "http://127.0.0.1:1", **c} for c in chans],
            **root,
        }
    )
    return LoadedConfig(path=tmp_path / "c.yaml", settings=settings, catalog=Catalog(products=tuple(products)))


class FakeFactory:
    """Hands out one FakeAdapter per channel name, so channel state survives between runs."""

    def __init__(self) -> None:
        self.adapters: dict[str, FakeAdapter] = {}

    def __call__(self, ch: ChannelSettings, session: requests.Session | None) -> FakeAdapter:
        if ch.name not in self.adapters:
            self.adapters[ch.name] = FakeAdapter(ch.name, ch.currency)
        return self.adapters[ch.name]
