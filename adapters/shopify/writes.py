"""How one Shopify push becomes GraphQL writes: creates in two calls, updates split by what differs.

Prices go per product (`productVariantsBulkUpdate`), stock for many items at once
(`inventorySetQuantities`), names and statuses per product (`productUpdate`); never `productSet`.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from adapters.base import Change, ItemResult
from adapters.shopify import queries
from adapters.shopify.capabilities import MAX_VARIANTS_PER_CALL
from adapters.shopify.mapper import VariantRecord, gid, gid_kind
from oneprice.domain.listing import RemoteListing
from oneprice.errors import ChannelAuthError, ChannelError, ChannelResponseError

if TYPE_CHECKING:
    from adapters.shopify.adapter import ShopifyAdapter

log = logging.getLogger(__name__)


@dataclass
class _Update:
    """One update change and what it needs written."""

    change: Change
    record: VariantRecord
    errors: list[str] = field(default_factory=list)
    modified: str | None = None
    retryable: bool = False
    """Refused only because another item of the same call was: sending it again alone may succeed."""


class WritePlanner:
    """Carries out one `push` for a ShopifyAdapter; one ItemResult per change, in order."""

    def __init__(self, adapter: ShopifyAdapter) -> None:
        self.adapter = adapter
        self.mapper = adapter.mapper
        self.channel = adapter.channel

    def push(self, changes: Sequence[Change]) -> list[ItemResult]:
        results: list[ItemResult | None] = [None] * len(changes)
        wanted: dict[int, str] = {}
        for i, change in enumerate(changes):
            if change.kind == "create":
                results[i] = self._create(change)
                continue
            variant_id = gid("ProductVariant", change.remote_id or "")
            if gid_kind(variant_id) != "ProductVariant":
                results[i] = ItemResult.refused(change.sku, f"{change.remote_id!r} is not a variant id")
            else:
                wanted[i] = variant_id
        if wanted:
            records = self.adapter.records_for(wanted.values())
            updates: dict[int, _Update] = {}
            for i, variant_id in wanted.items():
                record = records.get(variant_id)
                if record is None:
                    results[i] = ItemResult.refused(
                        changes[i].sku, f"no variant {variant_id} on the shop", remote_id=variant_id
                    )
                else:
                    updates[i] = _Update(changes[i], record)
            for i, result in self._update(updates).items():
                results[i] = result
        return [r for r in results if r is not None]

    # -- create --------------------------------------------------------------------------

    def _create(self, change: Change) -> ItemResult:
        sku = change.sku
        try:
            product_input = self.mapper.product_create_input(change.state)
        except ValueError as e:
            return ItemResult.refused(sku, str(e))
        location = self.adapter.location_id()
        data = self.adapter.graphql(
            "OnepriceProductCreate",
            queries.PRODUCT_CREATE,
            {"product": product_input},
            queries.MUTATION_COST,
            write=True,
            # Safe to resend only where handles are unique: a product made by a lost answer is then found.
            retry_unavailable=self.adapter.handles_unique,
        )
        payload = self._payload(data, "productCreate")
        errors = self._user_errors(payload, "productCreate")
        if any(_about_handle(e) for e in errors):
            return self._adopt(change, product_input["handle"], location)
        if errors:
            return ItemResult.refused(sku, "productCreate: " + "; ".join(self._texts(errors)))
        product = payload.get("product")
        product_id = product.get("id") if isinstance(product, Mapping) else None
        if not isinstance(product_id, str):
            raise ChannelResponseError(self.channel, "productCreate: answered without a product id")
        return self._add_variant(change, product_id, location)

    def _adopt(self, change: Change, handle: str, location: str) -> ItemResult:
        """The SKU's handle is taken: finish our own earlier create, or update the variant it made."""
        sku = change.sku
        data = self.adapter.graphql(
            "OnepriceProductByHandle", queries.PRODUCT_BY_HANDLE, {"handle": handle}, queries.query_cost(6)
        )
        product = data.get("productByIdentifier")
        variants = product.get("variants") if isinstance(product, Mapping) else None
        nodes = variants.get("nodes") if isinstance(variants, Mapping) else None
        if not isinstance(product, Mapping) or not isinstance(product.get("id"), str) or not isinstance(nodes, list):
            raise ChannelResponseError(
                self.channel, f"productByIdentifier: no product with its variants for {handle!r}"
            )
        skus = [str(n.get("sku") or "").strip() for n in nodes if isinstance(n, Mapping)]
        if sku in skus:
            [record] = self.adapter.records_of([nodes[skus.index(sku)]], "productByIdentifier")
            log.info("%s: SKU %s is already on %s; updating it instead", self.channel, sku, record.variant_id)
            return self._update({0: _Update(Change.update(record.variant_id, change.state), record)})[0]
        taken = [s for s in skus if s]
        if taken:
            return ItemResult.refused(
                sku, f"productCreate: handle {handle!r} is taken by {product['id']} holding SKU {taken[0]!r}"
            )
        log.info("%s: finishing product %s for SKU %s (left without its variant)", self.channel, product["id"], sku)
        return self._add_variant(change, str(product["id"]), location)

    def _add_variant(self, change: Change, product_id: str, location: str) -> ItemResult:
        sku = change.sku
        variables = {
            "productId": product_id,
            "variants": [self.mapper.variant_create_input(change.state, location)],
        }
        try:
            data = self.adapter.graphql(
                "OnepriceVariantsCreate", queries.VARIANTS_CREATE, variables, queries.MUTATION_COST, write=True
            )
        except ChannelAuthError:
            raise
        except ChannelError as e:
            log.error("%s: product %s created for SKU %s, its variant not: %s", self.channel, product_id, sku, e)
            return ItemResult.refused(
                sku, f"product {product_id} was created without its variant: {e}", retryable=e.retryable
            )
        payload = self._payload(data, "productVariantsBulkCreate")
        errors = self._user_errors(payload, "productVariantsBulkCreate")
        if errors:
            text = "; ".join(self._texts(errors))
            return ItemResult.refused(sku, f"productVariantsBulkCreate on {product_id}: {text}")
        nodes = payload.get("productVariants")
        records = self.adapter.records_of(nodes, "productVariantsBulkCreate") if isinstance(nodes, list) else []
        record = next((r for r in records if r.listing.state.sku == sku), None)
        if record is None:
            raise ChannelResponseError(
                self.channel, f"productVariantsBulkCreate: no variant with SKU {sku!r} in the answer"
            )
        log.info("%s: created %s for SKU %s", self.channel, record.variant_id, sku)
        return ItemResult.accepted(sku, record.variant_id, record.listing.modified)

    # -- update --------------------------------------------------------------------------

    def _update(self, updates: Mapping[int, _Update]) -> dict[int, ItemResult]:
        prices: dict[str, list[_Update]] = defaultdict(list)
        products: dict[str, list[_Update]] = defaultdict(list)
        stock: list[_Update] = []
        for u in updates.values():
            current, desired = u.record.listing.state, u.change.state
            if desired.price.currency != self.mapper.currency:
                u.errors.append(f"price is in {desired.price.currency}, the shop sells in {self.mapper.currency}")
                continue
            if desired.price != current.price or desired.sku != current.sku:
                prices[u.record.product_id].append(u)
            if (desired.name, desired.status) != (current.name, current.status):
                products[u.record.product_id].append(u)
            if desired.stock != current.stock:
                if u.record.inventory_item_id is None:
                    u.errors.append(f"variant {u.record.variant_id} has no inventory item")
                else:
                    stock.append(u)
        for product_id, items in prices.items():
            for start in range(0, len(items), MAX_VARIANTS_PER_CALL):
                self._set_prices(product_id, items[start : start + MAX_VARIANTS_PER_CALL])
        for product_id, items in products.items():
            self._set_product(product_id, items)
        for start in range(0, len(stock), MAX_VARIANTS_PER_CALL):
            self._set_stock(stock[start : start + MAX_VARIANTS_PER_CALL])
        return {i: self._result(u) for i, u in updates.items()}

    def _set_prices(self, product_id: str, items: Sequence[_Update]) -> None:
        variants = [
            self.mapper.variant_update_input(
                u.record.variant_id, u.change.state, sku=u.change.sku != u.record.listing.state.sku
            )
            for u in items
        ]
        data = self.adapter.graphql(
            "OnepriceVariantsUpdate",
            queries.VARIANTS_UPDATE,
            {"productId": product_id, "variants": variants},
            queries.MUTATION_COST,
            write=True,
        )
        payload = self._payload(data, "productVariantsBulkUpdate")
        self._assign(items, self._user_errors(payload, "productVariantsBulkUpdate"), "variants")
        nodes = payload.get("productVariants")
        stamps = (
            {n["id"]: n.get("updatedAt") for n in nodes if isinstance(n, Mapping) and isinstance(n.get("id"), str)}
            if isinstance(nodes, list)
            else {}
        )
        for u in items:
            if stamps.get(u.record.variant_id):
                u.modified = str(stamps[u.record.variant_id])

    def _set_product(self, product_id: str, items: Sequence[_Update]) -> None:
        data = self.adapter.graphql(
            "OnepriceProductUpdate",
            queries.PRODUCT_UPDATE,
            {"product": self.mapper.product_update_input(product_id, items[0].change.state)},
            queries.MUTATION_COST,
            write=True,
        )
        payload = self._payload(data, "productUpdate")
        self._assign(items, self._user_errors(payload, "productUpdate"), None)
        product = payload.get("product")
        stamp = product.get("updatedAt") if isinstance(product, Mapping) else None
        for u in items:
            if stamp and (u.modified is None or str(stamp) > u.modified):
                u.modified = str(stamp)

    def _set_stock(self, items: Sequence[_Update]) -> None:
        location = self.adapter.location_id()
        quantities = []
        keyed = []
        for u in items:
            item_id = u.record.inventory_item_id or ""
            quantities.append(self.mapper.quantity(item_id, location, u.change.state.stock))
            keyed.append((u.change.sku, item_id, u.record.listing.state.stock, u.change.state.stock))
        key = self.mapper.idempotency_key(f"{self.adapter.idempotency_scope}\t{location}", keyed)
        data = self.adapter.graphql(
            "OnepriceSetQuantities",
            queries.SET_QUANTITIES,
            {"input": self.mapper.set_quantities_input(quantities), "idempotencyKey": key},
            queries.MUTATION_COST,
            write=True,
        )
        payload = self._payload(data, "inventorySetQuantities")
        errors = self._user_errors(payload, "inventorySetQuantities")
        self._assign(items, errors, "quantities")
        if errors and payload.get("inventoryAdjustmentGroup") is None:
            # The mutation sets all its quantities or none: user errors without an adjustment group
            # mean no quantity of this call was set, also those of items no error points at.
            for u in items:
                if not u.errors:
                    u.errors.append("stock not set: inventorySetQuantities refused another item of the same call")
                    u.retryable = True

    # -- answers -------------------------------------------------------------------------

    def _result(self, u: _Update) -> ItemResult:
        sku, variant_id = u.change.sku, u.record.variant_id
        if u.errors:
            self.adapter.forget(variant_id)  # read it afresh before the next write
            return ItemResult.refused(sku, "; ".join(u.errors), remote_id=variant_id, retryable=u.retryable)
        modified = u.modified or u.record.listing.modified
        listing = RemoteListing(remote_id=variant_id, state=u.change.state, modified=modified)
        self.adapter.remember(VariantRecord(listing, u.record.product_id, u.record.inventory_item_id))
        return ItemResult.accepted(sku, variant_id, modified)

    def _assign(self, items: Sequence[_Update], errors: list[Any], list_name: str | None) -> None:
        """Give each user error to the item its `field` points at, or to every item of the call."""
        for error in errors:
            text = self.adapter.scrub(self.mapper.user_error_text(error))
            index = self.mapper.user_error_index(error, list_name) if list_name else None
            targets = [items[index]] if index is not None and index < len(items) else items
            for u in targets:
                u.errors.append(text)

    def _payload(self, data: Mapping[str, Any], name: str) -> Mapping[str, Any]:
        payload = data.get(name)
        if not isinstance(payload, Mapping):
            raise ChannelResponseError(self.channel, f"{name}: the answer has no {name} object")
        return payload

    def _user_errors(self, payload: Mapping[str, Any], name: str) -> list[Any]:
        errors = payload.get("userErrors")
        if errors is None:
            return []
        if not isinstance(errors, list):
            raise ChannelResponseError(self.channel, f"{name}: userErrors is not a list")
        return errors

    def _texts(self, errors: list[Any]) -> list[str]:
        return [self.adapter.scrub(self.mapper.user_error_text(e)) for e in errors]


def _about_handle(error: Any) -> bool:
    field = error.get("field") if isinstance(error, Mapping) else None
    return isinstance(field, list) and bool(field) and str(field[-1]) == "handle"
