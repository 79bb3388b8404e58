"""The adapter contract for Taobao/Tmall (TOP) against the sandbox's emulated router."""

from __future__ import annotations

import math

from cn_contract import CnContract, box, demo

from adapters.base import Change, ChannelAdapter
from adapters.taobao import TaobaoAdapter
from sync.governor import RateGovernor

__all__ = ["box", "demo"]


class TestTaobaoContract(CnContract):
    kind = "taobao"
    channel_name = "tmall-flagship"
    path = "/taobao/{name}/router/rest"
    secret_key = "app_secret"

    def expected_writes(self, adapter: ChannelAdapter, n: int) -> int:
        return n + math.ceil(n / 20)  # one price call per SKU, stock 20 SKUs of an item per call

    def ban_seconds(self, injected: int) -> float:
        return injected + 1.0  # "This ban will last for N more seconds": wait N + 1

    def test_a_governor_is_told_about_the_ban(self, adapter: TaobaoAdapter) -> None:
        now = [0.0]
        waits: list[float] = []

        def sleep(seconds: float) -> None:
            waits.append(seconds)
            now[0] += seconds

        governor = RateGovernor(None, clock=lambda: now[0], sleep=sleep)
        adapter.rate_feedback = governor
        adapter.sleep = sleep
        self.shop.throttle_next(5)
        [remote_id] = self.place(adapter, [self.state(adapter, "CT-GOV-1", price="1.00")])
        [result] = adapter.push([Change.update(remote_id, self.state(adapter, "CT-GOV-1"))])
        assert result.ok
        assert governor.stats.throttled == 1
        assert waits == [6.0]  # the ban is waited out once, not by the adapter and the governor both
