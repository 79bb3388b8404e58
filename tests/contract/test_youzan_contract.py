"""The adapter contract for Youzan against the sandbox's emulated youzanyun gateway."""

from __future__ import annotations

from cn_contract import CnContract, box, demo

from adapters.base import ChannelAdapter

__all__ = ["box", "demo"]


class TestYouzanContract(CnContract):
    kind = "youzan"
    channel_name = "youzan-wx"
    path = "/youzan/{name}"
    secret_key = "access_token"

    def expected_writes(self, adapter: ChannelAdapter, n: int) -> int:
        return n  # price and quantity of one SKU per call
