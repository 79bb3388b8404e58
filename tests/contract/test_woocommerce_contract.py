"""The adapter contract for WooCommerce, against the sandbox's emulated stores on 127.0.0.1.

Also runs sync end to end on the demo config: the second apply sends zero write requests.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from adapter_contract import AdapterContract
from pydantic import SecretStr

import sandbox as sandbox_package
from adapters import channel_validators, create_adapter
from adapters.base import Change, ChannelAdapter
from adapters.woocommerce import WooCommerceAdapter
from oneprice.domain.listing import ListingState
from oneprice.domain.money import Money
from oneprice.errors import ChannelAuthError
from oneprice.settings import ChannelSettings, LoadedConfig, load_config
from oneprice.storage import Database
from sync.service import apply_all, plan_all

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "config" / "demo.yaml"
STORE = "official"

if not hasattr(sandbox_package, "Sandbox"):
    pytest.skip("the sandbox package has no Sandbox yet: WooCommerce contract not run", allow_module_level=True)

Sandbox = sandbox_package.Sandbox


@pytest.fixture(scope="module")
def demo() -> LoadedConfig:
    return load_config(DEMO, channel_validators())


@pytest.fixture(scope="module")
def box(demo: LoadedConfig) -> Iterator[tuple[Any, str]]:
    sb = Sandbox.from_config(demo)
    with sb.running(port=0) as url:
        yield sb, url


def at_sandbox(channel: ChannelSettings, url: str, **options: object) -> ChannelSettings:
    return channel.model_copy(
        update={"base_url": f"{url}/woo/{channel.name}", "options": {**channel.options, **options}}
    )


class TestWooCommerceContract(AdapterContract):
    @pytest.fixture(autouse=True)
    def _sandbox(self, box: tuple[Any, str], demo: LoadedConfig) -> None:
        self.sandbox, self.url, self.demo = box[0], box[1], demo

    @pytest.fixture
    def adapter(self, demo: LoadedConfig) -> Iterator[ChannelAdapter]:
        # A small page size so listing crosses pages; no real sleeping on retries.
        settings = at_sandbox(demo.settings.channel(STORE), self.url, per_page=5)
        adapter = create_adapter(settings)
        assert isinstance(adapter, WooCommerceAdapter)
        adapter.sleep = lambda seconds: None
        yield adapter
        adapter.close()

    def server_write_requests(self) -> int | None:
        return int(self.sandbox.woo_store(STORE).write_requests)

    def inject_fault(self, status: int, retry_after: float | None = None) -> bool:
        # More faults than the adapter's own retries, so the translated error comes out.
        self.sandbox.woo_store(STORE).fail_next(status, count=10, retry_after=retry_after)
        return True

    @pytest.fixture(autouse=True)
    def _no_faults_left(self) -> Iterator[None]:
        yield
        self.sandbox.woo_store(STORE).clear_faults()

    def refuse_credentials(self) -> ChannelAdapter | None:
        settings = at_sandbox(self.demo.settings.channel(STORE), self.url)
        credentials = {**settings.credentials, "consumer_secret": SecretStr("cs_wrong")}
        return create_adapter(settings.model_copy(update={"credentials": credentials}))

    def limit_rate(self, per_second: float | None) -> bool:
        # A burst of 3 absorbs network jitter: calls paced at the rate may arrive bunched.
        self.sandbox.woo_store(STORE).limit_rate(per_second, burst=3)
        return True

    def server_throttled(self) -> int:
        limit = self.sandbox.woo_store(STORE).rate_limit
        return limit.throttled if limit is not None else 0

    # -- WooCommerce specifics on the sandbox -------------------------------------------------

    def test_listing_crosses_pages(self, adapter: ChannelAdapter) -> None:
        skus = self.new_skus(6)
        assert all(r.ok for r in adapter.push([Change.create(self.state(adapter, sku)) for sku in skus]))
        store = self.sandbox.woo_store(STORE)
        reads = store.read_requests
        listed = self.by_sku(adapter.list_listings())
        assert set(skus) <= set(listed)
        assert store.read_requests - reads == -(-len(listed) // 5)  # one GET per page of 5

    def test_injected_5xx_is_retried(self, adapter: WooCommerceAdapter) -> None:
        self.sandbox.woo_store(STORE).fail_next(503, count=2)
        [sku] = self.new_skus()
        [result] = adapter.push([Change.create(self.state(adapter, sku))])
        assert result.ok
        assert adapter.write_requests == 3

    def test_injected_429_waits_retry_after(self, adapter: WooCommerceAdapter) -> None:
        waits: list[float] = []
        adapter.sleep = waits.append
        self.sandbox.woo_store(STORE).fail_next(429, retry_after=2)
        adapter.list_listings()
        assert waits == [2.0]

    def test_wrong_secret_is_refused(self, demo: LoadedConfig) -> None:
        settings = at_sandbox(demo.settings.channel(STORE), self.url)
        credentials = {**settings.credentials, "consumer_secret": SecretStr("cs_wrong")}
        wrong = settings.model_copy(update={"credentials": credentials})
        with create_adapter(wrong) as adapter, pytest.raises(ChannelAuthError) as info:
            adapter.list_listings()
        assert "cs_wrong" not in str(info.value)

    def test_duplicate_create_links_the_existing_product(self, adapter: ChannelAdapter) -> None:
        [sku] = self.new_skus()
        first = ListingState(sku=sku, name="Dup", price=Money.of("5", adapter.currency), stock=1)
        [a] = adapter.push([Change.create(first)])
        [b] = adapter.push([Change.create(first.model_copy(update={"stock": 2}))])
        assert b.ok and b.remote_id == a.remote_id
        assert adapter.find_by_skus([sku])[sku].state.stock == 2


def test_demo_sync_second_apply_sends_no_write(
    demo: LoadedConfig, box: tuple[Any, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sb, url = box
    monkeypatch.setenv("ONEPRICE_SANDBOX_URL", url)
    config = load_config(DEMO, channel_validators())
    db = Database.open(f"sqlite:///{tmp_path / 'sync.db'}")
    try:
        plans = plan_all(config, db)
        official = next(p for p in plans if p.channel == STORE)
        kinds = {a.sku: a.kind for a in official.actions}
        assert kinds["SY-JK01-BLK-M"] == "unchanged"  # seeded in step with the catalog
        assert kinds["SY-TS05"] == "reprice"  # seeded with a stale price

        first = apply_all(config, db)
        assert first.ok, [(c.channel, c.error, c.failures) for c in first.channels]
        assert first.write_requests >= 1

        stores = {name: sb.woo_store(name) for name in ("official", "outlet")}
        writes_before = {name: store.write_requests for name, store in stores.items()}
        second = apply_all(config, db)
        assert second.write_requests == 0
        assert all(c.created == c.updated == c.failed == 0 for c in second.channels)
        assert {name: store.write_requests for name, store in stores.items()} == writes_before
    finally:
        db.dispose()
