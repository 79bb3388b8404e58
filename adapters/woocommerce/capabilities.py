"""What the WooCommerce REST API v3 can do (API_FACTS 2.2)."""

from __future__ import annotations

from adapters.base import Capabilities

# No rate limit in core REST v3: throttling, when any, comes from the host or a WAF
# as 429/5xx/timeouts. Batch create+update+delete is capped at 100 objects (413 above).
WOOCOMMERCE_CAPABILITIES = Capabilities(
    batch_limit=100,
    price_unit="decimal",
    absolute_stock=True,
    partial_success=True,
    async_confirmation=False,
    rate_model="none",
    throttle_signal="host 429 Retry-After, 5xx, timeouts",
)
