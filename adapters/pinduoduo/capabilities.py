"""What the Pinduoduo write APIs can do (API_FACTS 2.7)."""

from __future__ import annotations

from adapters.base import Capabilities

# `pdd.goods.sku.price.update` sets many SKUs of one goods (both prices, in fen) per call;
# `pdd.goods.quantity.update` sets one SKU's full quantity. The SDK's limiter metadata says
# 1200 price calls per 10 s at the lowest level.
PINDUODUO_CAPABILITIES = Capabilities(
    batch_limit=50,
    price_unit="minor",
    absolute_stock=True,
    partial_success=True,
    async_confirmation=False,
    rate_model="fixed",
    requests_per_second=100.0,
    burst=100,
    throttle_signal="error_response error_code 52101 / 70031 (retryable), 52102 / 52103 (unavailable)",
    writable_fields=frozenset({"price", "stock", "status"}),
)
