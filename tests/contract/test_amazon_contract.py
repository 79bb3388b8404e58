"""The adapter contract for Amazon SP-API Listings Items, against the sandbox's emulated seller on 127.0.0.1.

Listings are made in Seller Central, not by the adapter: `place` seeds them in the emulation.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

import pytest
from adapter_contract import AdapterContract
from pydantic import SecretStr

from adapters import channel_validators, create_adapter
from adapters.amazon import AmazonAdapter
from adapters.base import Change, ChannelAdapter
from oneprice.domain.catalog import Product
from oneprice.domain.listing import ListingState
from oneprice.domain.money import Money
from oneprice.errors import ChannelAuthError
from oneprice.settings import ChannelSettings, LoadedConfig, load_config
from sandbox import Sandbox
from sandbox.amazon import AmazonSeller, TokenBucket
from sync.applier import change_for
from sync.planner import plan_channel

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "config" / "demo.yaml"
CHANNEL = "amazon-us"


@pytest.fixture(scope="module")
def demo() -> LoadedConfig:
    return load_config(DEMO, channel_validators())


@pytest.fixture(scope="module")
def box(demo: LoadedConfig) -> Iterator[tuple[Sandbox, str]]:
    sb = Sandbox.from_config(demo)
    with sb.running(port=0) as url:
        yield sb, url


def at_sandbox(channel: ChannelSettings, url: str) -> ChannelSettings:
    options = {**channel.options, "token_url": f"{url}/amazon/auth/o2/token"}
    return channel.model_copy(update={"base_url": f"{url}/amazon/{channel.name}", "options": options})


def seller_of(sb: Sandbox) -> AmazonSeller:
    seller = sb.emulation("amazon").seller(CHANNEL)  # type: ignore[attr-defined]
    assert isinstance(seller, AmazonSeller)
    return seller


class TestAmazonContract(AdapterContract):
    creates_listings: ClassVar[bool] = False
    updatable: ClassVar[frozenset[str]] = frozenset({"price", "stock", "status"})

    @pytest.fixture(autouse=True)
    def _sandbox(self, box: tuple[Sandbox, str], demo: LoadedConfig) -> Iterator[None]:
        self.sandbox, self.url = box
        self.demo = demo
        self.seller = seller_of(self.sandbox)
        rate = self.seller.bucket.rate
        self.seller.bucket.rate = None  # the 5 rps bucket has its own tests; here calls are not paced
        yield
        self.seller.bucket.rate = rate
        self.seller.apply_after_reads = 0

    @pytest.fixture
    def adapter(self, demo: LoadedConfig) -> Iterator[ChannelAdapter]:
        adapter = create_adapter(at_sandbox(demo.settings.channel(CHANNEL), self.url))
        assert isinstance(adapter, AmazonAdapter)
        adapter.sleep = lambda seconds: None
        yield adapter
        adapter.close()

    def place(self, adapter: ChannelAdapter, states: Sequence[ListingState]) -> list[str]:
        for s in states:
            self.seller.add_listing(s.sku, s.name, s.price.amount, s.stock)
        return [s.sku for s in states]

    def server_write_requests(self) -> int | None:
        return self.seller.write_requests

    def inject_fault(self, status: int, retry_after: float | None = None) -> bool:
        # One answer per attempt the adapter makes (1 + max_retries), so the error reaches the caller.
        wait = None if retry_after is None else int(retry_after)
        self.seller.fail_next(status, count=4, retry_after=wait)
        return True

    def refuse_credentials(self) -> ChannelAdapter | None:
        settings = at_sandbox(self.demo.settings.channel(CHANNEL), self.url)
        credentials = {**settings.credentials, "lwa_client_secret": SecretStr("wrong-secret-value")}
        return create_adapter(settings.model_copy(update={"credentials": credentials}))

    def test_second_plan_has_only_unchanged(self, adapter: ChannelAdapter) -> None:
        """As the shared test, without a zero stock: Amazon has no inactive state of its own, a
        listing with quantity 0 is not BUYABLE and reads as inactive (see the adapter's docs)."""
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

    # -- Amazon specifics on the sandbox -------------------------------------------------------

    def test_listing_crosses_pages(self, adapter: ChannelAdapter) -> None:
        skus = self.new_skus(25)
        self.place(adapter, [self.state(adapter, s) for s in skus])
        reads = self.seller.read_requests
        listed = self.by_sku(adapter.list_listings())
        assert set(skus) <= set(listed)
        assert self.seller.read_requests - reads == -(-len(listed) // 20)  # pages of 20

    def test_accepted_is_applied_only_after_reads(self, adapter: AmazonAdapter) -> None:
        [sku] = self.new_skus()
        self.place(adapter, [self.state(adapter, sku, price="10.00")])
        self.seller.apply_after_reads = 2
        [result] = adapter.push([Change.update(sku, self.state(adapter, sku, price="12.34"))])
        assert result.ok  # ACCEPTED: queued, not yet applied
        assert adapter.verify([sku])[sku].state.price == Money.of("10.00", adapter.currency)
        assert adapter.verify([sku])[sku].state.price == Money.of("12.34", adapter.currency)

    def test_invalid_patch_is_refused_with_issues(self, adapter: AmazonAdapter) -> None:
        [result] = adapter.push([Change.update("CT-NOT-LISTED", self.state(adapter, "CT-NOT-LISTED"))])
        assert not result.ok and not result.retryable
        assert result.error and result.error.startswith("INVALID: 4000004")

    def test_price_is_stored_exactly(self, adapter: AmazonAdapter) -> None:
        [sku] = self.new_skus()
        self.place(adapter, [self.state(adapter, sku)])
        assert adapter.push([Change.update(sku, self.state(adapter, sku, price="1299.10"))])[0].ok
        offer = self.seller.applied(sku)["purchasable_offer"][0]
        amount = offer["our_price"][0]["schedule"][0]["value_with_tax"]
        assert str(amount) == "1299.10"
        assert ("PUT", f"/amazon/{CHANNEL}/listings/2021-08-01/items/{self.seller.seller_id}/{sku}") not in (
            self.seller.requests
        )

    def test_quota_exceeded_waits_and_retries(self, adapter: AmazonAdapter) -> None:
        waits: list[float] = []
        adapter.sleep = waits.append
        [sku] = self.new_skus()
        self.place(adapter, [self.state(adapter, sku)])
        self.seller.fail_next(429)
        [result] = adapter.push([Change.update(sku, self.state(adapter, sku, price="3.00"))])
        assert result.ok
        assert waits == [0.2]  # one period of the 5 rps stated in x-amzn-RateLimit-Limit

    def test_expired_token_is_renewed(self, adapter: AmazonAdapter) -> None:
        adapter.list_listings()
        self.seller.expire_tokens()
        adapter.list_listings()
        assert adapter.token.refreshes == 2

    def test_wrong_secret_is_refused(self, demo: LoadedConfig) -> None:
        settings = at_sandbox(demo.settings.channel(CHANNEL), self.url)
        credentials = {**settings.credentials, "lwa_client_secret": SecretStr("wrong-secret-value")}
        with create_adapter(settings.model_copy(update={"credentials": credentials})) as adapter:
            with pytest.raises(ChannelAuthError) as info:
                adapter.list_listings()
        assert "wrong-secret-value" not in str(info.value)


def test_bucket_refuses_the_sixth_patch_in_a_second(box: tuple[Sandbox, str], demo: LoadedConfig) -> None:
    sb, url = box
    seller = seller_of(sb)
    saved = seller.bucket
    seller.bucket = TokenBucket(rate=5.0, burst=5, clock=lambda: 0.0)  # a frozen clock: no refill
    adapter: Any = create_adapter(at_sandbox(demo.settings.channel(CHANNEL), url))
    waits: list[float] = []
    adapter.sleep = waits.append
    skus = [f"CT-BUCKET-{i}" for i in range(6)]
    for sku in skus:
        seller.add_listing(sku, sku, None, 1)
    try:
        results = adapter.push([Change.update(s, AdapterContract.state(adapter, s)) for s in skus])
    finally:
        seller.bucket = saved
        adapter.close()
    assert all(r.ok for r in results[:5])
    assert not results[5].ok and results[5].retryable and "QuotaExceeded" in (results[5].error or "")
    assert waits == [0.2] * 3  # retries run out: the bucket never refills
