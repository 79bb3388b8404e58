"""The adapter contract for Pinduoduo against the sandbox's emulated router (prices in fen)."""

from __future__ import annotations

import math

from cn_contract import CnContract, box, demo

from adapters.base import Change, ChannelAdapter
from adapters.pinduoduo import PinduoduoAdapter

__all__ = ["box", "demo"]


class TestPinduoduoContract(CnContract):
    kind = "pinduoduo"
    channel_name = "pdd-mall"
    path = "/pinduoduo/{name}/api/router"
    secret_key = "client_secret"
    updatable = frozenset({"price", "stock", "status"})

    def expected_writes(self, adapter: ChannelAdapter, n: int) -> int:
        # Both prices of up to batch_limit SKUs of one goods per call, then stock per SKU.
        return math.ceil(n / adapter.capabilities.batch_limit) + n

    def test_both_prices_land_in_fen(self, adapter: PinduoduoAdapter) -> None:
        [remote_id] = self.place(adapter, [self.state(adapter, "CT-PDD-FEN", price="10.00")])
        [result] = adapter.push([Change.update(remote_id, self.state(adapter, "CT-PDD-FEN", price="1299.99"))])
        assert result.ok, result.error
        item_id, sku_id = (int(x) for x in remote_id.split(":"))
        sku = self.shop.find_sku(item_id, sku_id=sku_id)
        assert sku is not None
        assert (str(sku.price), str(sku.group_price)) == ("1299.99", "1298.99")
