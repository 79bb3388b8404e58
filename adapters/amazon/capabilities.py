"""What the Amazon SP-API Listings Items API (2021-08-01) can do (API_FACTS 2.4)."""

from __future__ import annotations

from adapters.base import Capabilities

# One SKU per PATCH; the usage plan for patchListingsItem is 5 requests per second with a
# burst of 5. ACCEPTED means "queued": the change is applied downstream, so a read-back
# confirms it (async_confirmation).
AMAZON_CAPABILITIES = Capabilities(
    batch_limit=1,
    price_unit="decimal",
    absolute_stock=True,
    partial_success=False,
    async_confirmation=True,
    rate_model="fixed",
    requests_per_second=5.0,
    burst=5,
    throttle_signal="429 QuotaExceeded, x-amzn-RateLimit-Limit",
    writable_fields=frozenset({"price", "stock"}),
    inactive_is_zero_stock=True,
)
