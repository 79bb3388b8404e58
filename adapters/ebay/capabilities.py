"""What the eBay Sell Inventory API can do for price and quantity (API_FACTS 2.3)."""

from __future__ import annotations

from adapters.base import Capabilities

# bulk_update_price_quantity takes up to 25 entries and answers 200 or 207 Multi-Status with
# one result per entry. eBay publishes daily call quotas rather than a per-second rate, and
# caps each listing at 250 revisions a day (the adapter keeps that budget).
EBAY_CAPABILITIES = Capabilities(
    batch_limit=25,
    price_unit="decimal",
    absolute_stock=True,
    partial_success=True,
    async_confirmation=False,
    rate_model="quota",
    throttle_signal="429 (daily call quota), 250 revisions per listing per day",
    writable_fields=frozenset({"price", "stock"}),
    inactive_is_zero_stock=True,
    revisions_per_day=250,
)
