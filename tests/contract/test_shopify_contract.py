"""The adapter contract for Shopify, against the sandbox's emulated GraphQL Admin API on 127.0.0.1.

Also: throttling through the rate governor, fault retries, token refusal and idempotent stock replays.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from adapter_contract import AdapterContract
from pydantic import SecretStr

from adapters import channel_validators, create_adapter
from adapters.base import Change, ChannelAdapter
from adapters.shopify import ShopifyAdapter
from adapters.shopify.queries import MUTATION_COST
from oneprice.errors import ChannelAuthError, ChannelRateLimited
from oneprice.settings import ChannelSettings, LoadedConfig, load_config
from sandbox import Sandbox
from sandbox.shopify import ShopifyShop
from sync.governor import RateGovernor

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "config" / "demo.yaml"


@pytest.fixture(scope="module")
def demo() -> LoadedConfig:
    return load_config(DEMO, channel_validators())


@pytest.fixture(scope="module")
def channel(demo: LoadedConfig) -> ChannelSettings:
    return next(c for c in demo.settings.channels if c.kind == "shopify")


@pytest.fixture(scope="module")
def box(demo: LoadedConfig) -> Iterator[tuple[Sandbox, str]]:
    sb = Sandbox.from_config(demo)
    with sb.running(port=0) as url:
        yield sb, url


def at_sandbox(channel: ChannelSettings, url: str, **options: object) -> ChannelSettings:
    return channel.model_copy(
        update={"base_url": f"{url}/shopify/{channel.name}", "options": {**channel.options, **options}}
    )


class TestShopifyContract(AdapterContract):
    @pytest.fixture(autouse=True)
    def _sandbox(self, box: tuple[Sandbox, str], channel: ChannelSettings) -> None:
        self.sandbox, self.url = box
        self.settings = at_sandbox(channel, self.url, page_size=5)

    @property
    def shop(self) -> ShopifyShop:
        emulation: Any = self.sandbox.emulation("shopify")
        shop: ShopifyShop = emulation.shop(self.settings.name)
        return shop

    @pytest.fixture
    def adapter(self) -> Iterator[ChannelAdapter]:
        # A small page size so listing crosses pages. The adapter's own retry sleep is off:
        # the rate governor, fed by each answer's throttleStatus, does the waiting, as in sync.
        self.shop.bucket.drain(self.shop.bucket.capacity)
        adapter = create_adapter(self.settings)
        assert isinstance(adapter, ShopifyAdapter)
        adapter.sleep = lambda seconds: None
        adapter.rate_feedback = RateGovernor(rate=None, channel=adapter.channel)
        yield adapter
        adapter.close()

    def server_write_requests(self) -> int | None:
        return self.shop.write_requests

    @pytest.fixture(autouse=True)
    def _no_faults_left(self) -> Iterator[None]:
        yield
        self.shop.clear_faults()
        self.shop.set_bucket()

    def inject_fault(self, status: int, retry_after: float | None = None) -> bool:
        # More faults than the adapter's own retries, so the translated error comes out.
        self.shop.fail_next(status, count=10, retry_after=retry_after)
        return True

    def refuse_credentials(self) -> ChannelAdapter | None:
        return create_adapter(self.settings.model_copy(update={"credentials": {"access_token": SecretStr("shpat_no")}}))

    def limit_rate(self, per_second: float | None) -> bool:
        # Shopify limits cost points, not calls: a bucket of one mutation, refilled `per_second` times a second.
        if per_second is None:
            self.shop.set_bucket()
        else:
            self.shop.set_bucket(capacity=MUTATION_COST, restore_rate=per_second * MUTATION_COST)
        return True

    def server_throttled(self) -> int:
        return self.shop.throttled

    def expected_writes(self, adapter: ChannelAdapter, n: int) -> int:
        """The contract's batch writes are creates: `productCreate` + `productVariantsBulkCreate` each."""
        return 2 * n

    # -- Shopify specifics on the sandbox -------------------------------------------------------

    def test_one_price_write_per_product(self, adapter: ShopifyAdapter) -> None:
        skus = self.new_skus(3)
        ids = self.place(adapter, [self.state(adapter, s) for s in skus])
        before, ops = adapter.write_requests, len(self.shop.requests)
        results = adapter.push(
            [Change.update(i, self.state(adapter, s, price="88.80")) for i, s in zip(ids, skus, strict=True)]
        )
        assert all(r.ok for r in results)
        assert adapter.write_requests - before == 3
        assert self.shop.requests[ops:] == ["OnepriceVariantsUpdate"] * 3
        assert all(v["price"] == "88.80" for s in skus for v in self.shop.by_sku(s))

    def test_listing_crosses_pages(self, adapter: ShopifyAdapter) -> None:
        self.place(adapter, [self.state(adapter, s) for s in self.new_skus(6)])
        reads = self.shop.read_requests
        listed = adapter.list_listings()
        assert self.shop.read_requests - reads == len(listed) // 5 + 1

    def test_throttled_call_waits_through_the_governor(self, adapter: ShopifyAdapter) -> None:
        governor = adapter.rate_feedback
        assert isinstance(governor, RateGovernor)
        throttled = self.shop.throttled
        self.shop.bucket.drain(0)
        adapter.list_listings()
        assert self.shop.throttled - throttled == 1  # the retry came after the bucket refilled
        assert governor.stats.throttled == 1
        assert adapter.last_throttle_status is not None and adapter.last_throttle_status.restore_rate == 50.0

    def test_throttled_without_retries_raises_the_wait(self) -> None:
        with create_adapter(at_sandbox(self.settings, self.url, max_retries=0)) as adapter:
            self.shop.bucket.drain(0)
            with pytest.raises(ChannelRateLimited) as info:
                adapter.list_listings()
        assert info.value.retry_after is not None and 0 < info.value.retry_after <= 6 / 50

    def test_injected_5xx_is_retried(self, adapter: ShopifyAdapter) -> None:
        [sku] = self.new_skus()
        [remote_id] = self.place(adapter, [self.state(adapter, sku)])
        self.shop.fail_next(503, count=2)
        [result] = adapter.push([Change.update(remote_id, self.state(adapter, sku, price="7.00"))])
        assert result.ok and self.shop.by_sku(sku)[0]["price"] == "7.00"

    def test_stock_replay_of_the_same_run_is_not_applied_twice(self, adapter: ShopifyAdapter) -> None:
        [sku] = self.new_skus()
        [remote_id] = self.place(adapter, [self.state(adapter, sku, stock=5)])
        adapter.idempotency_scope = "run-1"
        change = Change.update(remote_id, self.state(adapter, sku, stock=9))
        assert adapter.push([change])[0].ok
        variant = self.shop.by_sku(sku)[0]
        item = int(variant["inventoryItem"]["id"].rsplit("/", 1)[1])
        self.shop.levels[item] = 8  # a sale after the first apply
        with create_adapter(self.settings) as replay:
            assert isinstance(replay, ShopifyAdapter)
            replay.idempotency_scope = "run-1"
            replay.remember(adapter.mapper.to_record({**variant, "inventoryQuantity": 5}))
            assert replay.push([change])[0].ok
        assert self.shop.by_sku(sku)[0]["inventoryQuantity"] == 8  # answered from the key, not re-applied

    def test_wrong_token_is_not_echoed(self) -> None:
        wrong = self.settings.model_copy(update={"credentials": {"access_token": SecretStr("shpat_wrong")}})
        with create_adapter(wrong) as adapter, pytest.raises(ChannelAuthError) as info:
            adapter.list_listings()
        assert "shpat_wrong" not in str(info.value)

    def test_create_after_a_crash_between_its_two_calls_makes_no_duplicate(self, adapter: ShopifyAdapter) -> None:
        [sku] = self.new_skus()
        handle = adapter.mapper.handle_for(sku)
        orphan = self.shop.create_product(f"Contract {sku}", "ACTIVE", handle)  # productCreate answered, then a crash
        [result] = adapter.push([Change.create(self.state(adapter, sku))])
        assert result.ok, result.error
        [variant] = self.shop.by_sku(sku)
        assert variant["product"]["id"] == f"gid://shopify/Product/{orphan['id']}"
        assert [v["sku"] for v in self.shop.all_variants() if v["product"]["id"] == variant["product"]["id"]] == [sku]
        [again] = adapter.push([Change.create(self.state(adapter, sku, price="5.00"))])  # a replayed create
        assert again.ok and again.remote_id == result.remote_id
        assert [v["price"] for v in self.shop.by_sku(sku)] == ["5.00"]
