"""What the Youzan (youzanyun) write APIs can do (API_FACTS 2.8)."""

from __future__ import annotations

from adapters.base import Capabilities

# `youzan.item.sku.update` sets one SKU's price (yuan, 2 dp) and full quantity per call.
# Youzan publishes no rate here (⚠): throttling is recognised by code (options.throttle_codes).
YOUZAN_CAPABILITIES = Capabilities(
    batch_limit=1,
    price_unit="decimal",
    absolute_stock=True,
    partial_success=False,
    async_confirmation=False,
    rate_model="quota",
    throttle_signal="success=false with a throttle code (options.throttle_codes), HTTP 429",
    writable_fields=frozenset({"price", "stock"}),
)
