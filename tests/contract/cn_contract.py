"""The adapter contract for the Chinese marketplaces, against the sandbox's emulated shops on 127.0.0.1.

Items cannot be created there by API, so listings are placed in the emulated shop, as a seller would.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

import pytest
from adapter_contract import AdapterContract
from pydantic import SecretStr

from adapters import channel_validators, create_adapter
from adapters.base import Change, ChannelAdapter
from adapters.cn_gateway import GatewayAdapter
from oneprice.domain.listing import ListingState
from oneprice.errors import ChannelAuthError
from oneprice.settings import ChannelSettings, LoadedConfig, load_config
from sandbox import Sandbox
from sandbox.cn_common import CnShop, split_names

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "config" / "demo.yaml"


@pytest.fixture(scope="module")
def demo() -> LoadedConfig:
    return load_config(DEMO, channel_validators())


@pytest.fixture(scope="module")
def box(demo: LoadedConfig) -> Iterator[tuple[Sandbox, str]]:
    sb = Sandbox.from_config(demo)
    with sb.running(port=0) as url:
        yield sb, url


class CnContract(AdapterContract):
    """The shared contract plus what every gateway adapter must do: refuse creates, wait out bans."""

    kind: ClassVar[str]
    channel_name: ClassVar[str]
    path: ClassVar[str]
    """Gateway path under the sandbox URL, `{name}` being the channel name."""
    secret_key: ClassVar[str]
    creates_listings = False
    updatable: ClassVar[frozenset[str]] = frozenset({"price", "stock"})

    @pytest.fixture(autouse=True)
    def _sandbox(self, box: tuple[Sandbox, str], demo: LoadedConfig) -> None:
        self.sandbox, self.url = box
        self.demo = demo

    def settings(self, demo: LoadedConfig, **credentials: str) -> ChannelSettings:
        channel = demo.settings.channel(self.channel_name)
        creds = {**channel.credentials, **{k: SecretStr(v) for k, v in credentials.items()}}
        base_url = self.url + self.path.format(name=self.channel_name)
        return channel.model_copy(update={"base_url": base_url, "credentials": creds})

    @pytest.fixture
    def adapter(self, demo: LoadedConfig) -> Iterator[ChannelAdapter]:
        adapter = create_adapter(self.settings(demo))
        assert isinstance(adapter, GatewayAdapter)
        adapter.sleep = lambda seconds: None
        yield adapter
        adapter.close()

    @property
    def shop(self) -> CnShop:
        emulation: Any = self.sandbox.emulation(self.kind)
        shop: CnShop = emulation.shop(self.channel_name)
        return shop

    def server_write_requests(self) -> int | None:
        return self.shop.write_requests

    def inject_fault(self, status: int, retry_after: float | None = None) -> bool:
        """429: the platform's throttle answer; 5xx: its "unavailable" answer; enough to outlast the retries."""
        attempts = 3  # the demo channels keep the default max_retries of 2
        if status == 429:
            self.shop.throttle_next(int(retry_after or 0), count=attempts)
        elif status >= 500:
            self.shop.fail_next(count=attempts)
        else:
            return False
        return True

    def refuse_credentials(self) -> ChannelAdapter | None:
        return create_adapter(self.settings(self.demo, **{self.secret_key: "wrong_secret_value"}))

    def server_throttled(self) -> int:
        return self.shop.throttled

    def place(self, adapter: ChannelAdapter, states: Sequence[ListingState]) -> list[str]:
        """One item holding a SKU per state, put on the shop as the seller center would."""
        title, props = split_names([s.name for s in states])
        rows = [(s.sku, s.price.amount, s.stock, p) for s, p in zip(states, props, strict=True)]
        item = self.shop.add_item(title, rows)
        return [f"{item.item_id}:{sku.sku_id}" for sku in item.skus]

    # -- what every gateway adapter does ----------------------------------------------------

    def ban_seconds(self, injected: int) -> float:
        """How long the adapter must wait after a ban of `injected` seconds in the platform's shape."""
        return float(injected)

    def test_create_is_refused_with_a_reason(self, adapter: ChannelAdapter) -> None:
        [sku] = self.new_skus()
        [result] = adapter.push([Change.create(self.state(adapter, sku))])
        assert not result.ok and result.error is not None
        assert "first" in result.error and "links it by SKU" in result.error
        assert adapter.write_requests == 0

    def test_injected_throttle_is_waited_out_before_the_retry(self, adapter: GatewayAdapter) -> None:
        shop = self.shop
        waits: list[tuple[float, int]] = []
        adapter.sleep = lambda seconds: waits.append((seconds, len(shop.requests)))
        before = len(shop.requests)
        shop.throttle_next(7)
        adapter.list_listings()
        # One wait, of the whole ban, taken when only the throttled call had been sent.
        assert waits == [(self.ban_seconds(7), before + 1)]

    def test_wrong_secret_is_refused_without_echoing_it(self, demo: LoadedConfig) -> None:
        wrong = self.settings(demo, **{self.secret_key: "wrong_secret_value"})
        with create_adapter(wrong) as adapter, pytest.raises(ChannelAuthError) as info:
            adapter.list_listings()
        assert "wrong_secret_value" not in str(info.value)
