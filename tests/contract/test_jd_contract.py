"""The adapter contract for JD (JOS) against the sandbox's emulated `routerjson` gateway."""

from __future__ import annotations

from cn_contract import CnContract, box, demo

from adapters.base import ChannelAdapter

__all__ = ["box", "demo"]


class TestJdContract(CnContract):
    kind = "jd"
    channel_name = "jd-pop"
    path = "/jd/{name}/routerjson"
    secret_key = "app_secret"

    def expected_writes(self, adapter: ChannelAdapter, n: int) -> int:
        return 2 * n  # price and stock are one SKU per call each
