"""The adapter contract for eBay Sell Inventory, against the sandbox's emulated seller on 127.0.0.1.

Listings (inventory item + published offer) are made on eBay, not by the adapter: `place` seeds them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import ClassVar

import pytest
from adapter_contract import AdapterContract
from pydantic import SecretStr

from adapters import channel_validators, create_adapter
from adapters.base import Change, ChannelAdapter
from adapters.ebay import EbayAdapter
from oneprice.domain.catalog import Product
from oneprice.domain.listing import ListingState
from oneprice.domain.money import Money
from oneprice.errors import ChannelAuthError, ChannelRequestError
from oneprice.settings import ChannelSettings, LoadedConfig, load_config
from sandbox import Sandbox
from sandbox.ebay import EbaySeller
from sync.applier import change_for
from sync.planner import plan_channel

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "config" / "demo.yaml"
CHANNEL = "ebay-us"


@pytest.fixture(scope="module")
def demo() -> LoadedConfig:
    return load_config(DEMO, channel_validators())


@pytest.fixture(scope="module")
def box(demo: LoadedConfig) -> Iterator[tuple[Sandbox, str]]:
    sb = Sandbox.from_config(demo)
    with sb.running(port=0) as url:
        yield sb, url


def at_sandbox(channel: ChannelSettings, url: str, **options: object) -> ChannelSettings:
    options = {**channel.options, "token_url": f"{url}/ebay/identity/v1/oauth2/token", **options}
    return channel.model_copy(update={"base_url": f"{url}/ebay/{channel.name}", "options": options})


class TestEbayContract(AdapterContract):
    creates_listings: ClassVar[bool] = False
    updatable: ClassVar[frozenset[str]] = frozenset({"price", "stock", "status"})

    @pytest.fixture(autouse=True)
    def _sandbox(self, box: tuple[Sandbox, str], demo: LoadedConfig) -> None:
        self.sandbox, self.url = box
        self.demo = demo
        seller = self.sandbox.emulation("ebay").seller(CHANNEL)  # type: ignore[attr-defined]
        assert isinstance(seller, EbaySeller)
        self.seller = seller

    @pytest.fixture
    def adapter(self, demo: LoadedConfig) -> Iterator[ChannelAdapter]:
        adapter = create_adapter(at_sandbox(demo.settings.channel(CHANNEL), self.url, page_size=10))
        assert isinstance(adapter, EbayAdapter)
        adapter.sleep = lambda seconds: None
        yield adapter
        adapter.close()

    def place(self, adapter: ChannelAdapter, states: Sequence[ListingState]) -> list[str]:
        return [self.seller.add_listing(s.sku, s.name, s.price.amount, s.stock) for s in states]

    def server_write_requests(self) -> int | None:
        return self.seller.write_requests

    def inject_fault(self, status: int, retry_after: float | None = None) -> bool:
        # One answer per attempt the adapter makes (1 + max_retries), so the error reaches the caller.
        wait = None if retry_after is None else int(retry_after)
        self.seller.fail_next(status, count=4, retry_after=wait)
        return True

    def refuse_credentials(self) -> ChannelAdapter | None:
        settings = at_sandbox(self.demo.settings.channel(CHANNEL), self.url)
        credentials = {**settings.credentials, "client_secret": SecretStr("wrong-cert-id")}
        return create_adapter(settings.model_copy(update={"credentials": credentials}))

    def test_second_plan_has_only_unchanged(self, adapter: ChannelAdapter) -> None:
        """As the shared test, without a zero stock: a price/quantity update cannot end an eBay
        listing, so quantity 0 stands for inactive and reads as inactive (see the adapter's docs)."""
        skus = self.new_skus(3)
        products = [
            Product(sku=s, name=f"Contract {s}", unified_price=Money.of(p, adapter.currency), stock=n)
            for s, p, n in zip(skus, ("10", "20.5", "1999.99"), (2, 1, 250), strict=True)
        ]
        self.place(adapter, [self.state(adapter, s, price="1.00", stock=7) for s in skus])
        channel = self.channel(adapter)
        first = plan_channel(channel, products, self.by_sku(adapter.list_listings()))
        assert len(first.writes) == 3
        assert all(r.ok for r in adapter.push([change_for(a) for a in first.writes]))
        writes = adapter.write_requests
        second = plan_channel(channel, products, self.by_sku(adapter.list_listings()))
        assert [a.kind for a in second.actions] == ["unchanged"] * 3
        assert adapter.write_requests == writes

    # -- eBay specifics on the sandbox ---------------------------------------------------------

    def test_26_entries_take_two_calls(self, adapter: EbayAdapter) -> None:
        skus = self.new_skus(26)
        ids = self.place(adapter, [self.state(adapter, s) for s in skus])
        before = self.seller.write_requests
        results = adapter.push(
            [Change.update(i, self.state(adapter, s, price="5.00")) for i, s in zip(ids, skus, strict=True)]
        )
        assert all(r.ok for r in results)
        assert self.seller.write_requests - before == 2

    def test_more_than_25_entries_are_refused_by_the_sandbox(self, demo: LoadedConfig) -> None:
        self.seller.batch_limit = 2
        try:
            with create_adapter(at_sandbox(demo.settings.channel(CHANNEL), self.url, batch_size=3)) as adapter:
                skus = self.new_skus(3)
                ids = self.place(adapter, [self.state(adapter, s) for s in skus])
                with pytest.raises(ChannelRequestError, match="25709"):
                    adapter.push([Change.update(i, self.state(adapter, s)) for i, s in zip(ids, skus, strict=True)])
        finally:
            self.seller.batch_limit = 25

    def test_quantity_set_at_item_and_offer(self, adapter: EbayAdapter) -> None:
        [sku] = self.new_skus()
        [offer_id] = self.place(adapter, [self.state(adapter, sku, stock=9)])
        assert adapter.push([Change.update(offer_id, self.state(adapter, sku, stock=4))])[0].ok
        offer = self.seller.offers[offer_id]
        assert (self.seller.items[sku].quantity, offer.quantity, str(offer.price)) == (4, 4, "199.00")

    def test_revision_cap_of_the_sandbox_answers_207(self, adapter: EbayAdapter) -> None:
        [good, capped] = self.new_skus(2)
        ids = self.place(adapter, [self.state(adapter, s) for s in (good, capped)])
        self.seller.spend_revisions(capped, self.seller.revisions_per_day)
        results = adapter.push(
            [Change.update(i, self.state(adapter, s)) for i, s in zip(ids, (good, capped), strict=True)]
        )
        assert [r.ok for r in results] == [True, False]
        assert "25001" in (results[1].error or "")

    def test_adapter_budget_stops_before_the_cap(self, adapter: EbayAdapter) -> None:
        [sku] = self.new_skus()
        [offer_id] = self.place(adapter, [self.state(adapter, sku)])
        adapter.budget.limit = 2
        writes = self.seller.write_requests
        results = [adapter.push([Change.update(offer_id, self.state(adapter, sku, stock=n))])[0] for n in (1, 2, 3)]
        assert [r.ok for r in results] == [True, True, False]
        assert self.seller.write_requests - writes == 2
        assert adapter.revision_budget_left(sku) == 0

    def test_injected_429_waits_retry_after(self, adapter: EbayAdapter) -> None:
        waits: list[float] = []
        adapter.sleep = waits.append
        self.seller.fail_next(429, retry_after=2)
        adapter.list_listings()
        assert waits == [2.0]

    def test_expired_token_is_renewed(self, adapter: EbayAdapter) -> None:
        adapter.list_listings()
        self.seller.expire_tokens()
        adapter.list_listings()
        assert adapter.token.refreshes == 2

    def test_wrong_secret_is_refused(self, demo: LoadedConfig) -> None:
        settings = at_sandbox(demo.settings.channel(CHANNEL), self.url)
        credentials = {**settings.credentials, "client_secret": SecretStr("wrong-cert-id")}
        with create_adapter(settings.model_copy(update={"credentials": credentials})) as adapter:
            with pytest.raises(ChannelAuthError) as info:
                adapter.list_listings()
        assert "wrong-cert-id" not in str(info.value)
