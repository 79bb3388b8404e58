"""What the Shopify GraphQL Admin API can do (API_FACTS 2.1)."""

from __future__ import annotations

from adapters.base import Capabilities

# `productVariantsBulkUpdate` takes the variants of one product per call (at most 250), and
# each catalog SKU is a product of its own, so one write carries one SKU's price. Stock is
# an absolute `inventorySetQuantities`. Throttling is a leaky bucket of query-cost points
# whose size and restore rate depend on the plan: the governor learns them from each
# answer's `extensions.cost.throttleStatus` instead of from a configured rate.
SHOPIFY_CAPABILITIES = Capabilities(
    batch_limit=1,
    price_unit="decimal",
    absolute_stock=True,
    partial_success=True,
    async_confirmation=False,
    rate_model="cost",
    throttle_signal="GraphQL 'Throttled' error + extensions.cost.throttleStatus",
)

MAX_VARIANTS_PER_CALL = 250
"""Shopify's cap on any array input (variants of one bulk call, quantities of one set)."""
