"""What the JD (JOS) write APIs can do (API_FACTS 2.6)."""

from __future__ import annotations

from adapters.base import Capabilities

# Price (`jingdong.price.write.updateSkuJdPrice`) and stock (`jingdong.stock.write.updateSkuStock`)
# each take one SKU per call, so a push of one change is two calls. JD publishes no rate here (⚠).
JD_CAPABILITIES = Capabilities(
    batch_limit=1,
    price_unit="decimal",
    absolute_stock=True,
    partial_success=False,
    async_confirmation=False,
    rate_model="quota",
    throttle_signal="error_response with a throttle code (options.throttle_codes)",
    writable_fields=frozenset({"price", "stock"}),
)
