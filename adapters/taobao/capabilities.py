"""What the Taobao/Tmall TOP write APIs can do (API_FACTS 2.5)."""

from __future__ import annotations

from adapters.base import Capabilities

PRICE_SKUS_PER_CALL = 1
"""`taobao.item.sku.price.update` sets one SKU."""
STOCK_SKUS_PER_CALL = 20
"""`taobao.skus.quantity.update` sets at most 20 SKUs of one item (type 1: full quantity)."""
READ_ITEMS_PER_CALL = 20
"""`taobao.items.seller.list.get` reads at most 20 items (with their SKUs) per call."""

# One push takes up to 20 changes: each costs one price call, the stock of each item's
# SKUs goes in one call per 20. Throttling is per app key and per API ("ban N seconds").
TAOBAO_CAPABILITIES = Capabilities(
    batch_limit=STOCK_SKUS_PER_CALL,
    price_unit="decimal",
    absolute_stock=True,
    partial_success=True,
    async_confirmation=False,
    rate_model="quota",
    throttle_signal="error_response code 7, sub_msg 'This ban will last for N more seconds'",
    writable_fields=frozenset({"price", "stock"}),
)
