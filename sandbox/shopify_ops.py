"""The GraphQL operations an emulated Shopify shop answers, matched by operation name.

Each handler reads `variables` as the adapter's fixed documents send them and returns
`(data, actual cost)`; business errors are `userErrors` as in the Admin API.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from sandbox.shopify import STATUSES, Obj, ShopifyShop, gid, gid_number

MUTATION_COST = 10
MAX_INPUT = 250
REASONS = ("correction", "cycle_count_available", "damaged", "movement_created", "received", "other")
_SKU_TERM = re.compile(r'sku:(?:"((?:[^"\\]|\\.)*)"|(\S+))')


class GraphqlError(Exception):
    """A top-level GraphQL error (`errors: [{message, extensions: {code}}]`), nothing applied."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


Handler = Callable[[ShopifyShop, Mapping[str, Any], str], tuple[Obj, int]]


def _err(field: list[Any], message: str, code: str | None = None) -> Obj:
    out: Obj = {"field": [str(f) for f in field], "message": message}
    if code:
        out["code"] = code
    return out


def _price_problem(value: Any) -> str | None:
    if not isinstance(value, str):
        return "Price must be a decimal string"
    try:
        amount = Decimal(value)
    except InvalidOperation:
        return f"Price {value!r} is not a number"
    if not amount.is_finite() or amount < 0:
        return "Price must be greater than or equal to 0"
    return None


def _list(variables: Mapping[str, Any], name: str) -> list[Any]:
    value = variables.get(name)
    if not isinstance(value, list):
        raise GraphqlError(f"Variable ${name} of type [..]! was provided invalid value", "INVALID_VARIABLE")
    if len(value) > MAX_INPUT:
        raise GraphqlError(
            f"The input array size of {len(value)} is greater than the maximum allowed of 250.",
            "MAX_INPUT_SIZE_EXCEEDED",
        )
    return value


# -- queries ------------------------------------------------------------------------------


def variants(shop: ShopifyShop, v: Mapping[str, Any], document: str) -> tuple[Obj, int]:
    first = v.get("first")
    if not isinstance(first, int) or isinstance(first, bool) or not 1 <= first <= MAX_INPUT:
        raise GraphqlError("first must be between 1 and 250", "BAD_REQUEST")
    after = None
    if v.get("after"):
        after = gid_number(str(v["after"]).removeprefix("cursor:"), "ProductVariant")
        if after is None:
            raise GraphqlError(f"Invalid cursor {v['after']!r}", "BAD_REQUEST")
    skus = None
    if v.get("query"):
        terms = [a if a else b for a, b in _SKU_TERM.findall(str(v["query"]))]
        skus = {re.sub(r"\\(.)", r"\1", t) for t in terms} if terms else None
    items, more = shop.page(first, after, skus)
    nodes = [shop.variant_view(x) for x in items]
    end = f"cursor:{nodes[-1]['id']}" if nodes else None
    data = {"productVariants": {"nodes": nodes, "pageInfo": {"hasNextPage": more, "endCursor": end}}}
    return data, 1 + len(nodes)


def variant_nodes(shop: ShopifyShop, v: Mapping[str, Any], document: str) -> tuple[Obj, int]:
    ids = _list(v, "ids")
    nodes: list[Obj | None] = []
    for value in ids:
        variant = shop.variant_by_gid(value)
        nodes.append(shop.variant_view(variant) if variant else None)
    return {"nodes": nodes}, 1 + len(nodes)


def product_by_handle(shop: ShopifyShop, v: Mapping[str, Any], document: str) -> tuple[Obj, int]:
    number = shop.handles.get(str(v.get("handle") or ""))
    if number is None:
        return {"productByIdentifier": None}, 1
    product = shop.products[number]
    nodes = [shop.variant_view(shop.variants[n]) for n in product["variants"][:5]]
    view = {"id": gid("Product", number), "variants": {"nodes": nodes}}
    return {"productByIdentifier": view}, 2 + len(nodes)


def location(shop: ShopifyShop, v: Mapping[str, Any], document: str) -> tuple[Obj, int]:
    return {"location": {"id": shop.location_id}}, 2


# -- mutations ----------------------------------------------------------------------------


def product_create(shop: ShopifyShop, v: Mapping[str, Any], document: str) -> tuple[Obj, int]:
    doc = v.get("product")
    doc = doc if isinstance(doc, Mapping) else {}
    errors = []
    title = doc.get("title")
    if not isinstance(title, str) or not title.strip():
        errors.append(_err(["title"], "Title can't be blank"))
    status = doc.get("status", "ACTIVE")
    if status not in STATUSES:
        errors.append(_err(["status"], f"Status {status!r} is not one of {', '.join(STATUSES)}"))
    handle = doc.get("handle")
    if handle is not None and (not isinstance(handle, str) or not handle.strip()):
        errors.append(_err(["handle"], "Handle can't be blank"))
    elif isinstance(handle, str) and handle in shop.handles:
        errors.append(_err(["handle"], f"Handle '{handle}' already in use. Please provide a new handle."))
    if errors:
        return {"productCreate": {"product": None, "userErrors": errors}}, MUTATION_COST
    product = shop.create_product(str(title), str(status), handle)
    return {"productCreate": {"product": shop.product_view(product), "userErrors": []}}, MUTATION_COST


def variants_create(shop: ShopifyShop, v: Mapping[str, Any], document: str) -> tuple[Obj, int]:
    inputs = _list(v, "variants")
    product = shop.product_by_gid(v.get("productId"))
    if product is None:
        error = _err(["productId"], "Product does not exist", "PRODUCT_DOES_NOT_EXIST")
        return {"productVariantsBulkCreate": {"productVariants": [], "userErrors": [error]}}, MUTATION_COST
    errors: list[Obj] = []
    for i, item in enumerate(inputs):
        item = item if isinstance(item, Mapping) else {}
        problem = _price_problem(item.get("price", "0.00"))
        if problem:
            errors.append(_err(["variants", i, "price"], problem, "INVALID_INPUT"))
        for q in item.get("inventoryQuantities") or []:
            if not isinstance(q, Mapping) or q.get("locationId") != shop.location_id:
                errors.append(
                    _err(
                        ["variants", i, "inventoryQuantities"],
                        "Location not found",
                        "TRACKED_VARIANT_LOCATION_NOT_FOUND",
                    )
                )
    if errors:
        return {"productVariantsBulkCreate": {"productVariants": [], "userErrors": errors}}, MUTATION_COST
    if "REMOVE_STANDALONE_VARIANT" in document:
        shop.remove_variants(product)
    created = []
    for item in inputs:
        sku = str((item.get("inventoryItem") or {}).get("sku") or "")
        stock = sum(int(q.get("availableQuantity") or 0) for q in item.get("inventoryQuantities") or [])
        price = f"{Decimal(item.get('price', '0')):.2f}"
        created.append(shop.add_variant(product, sku, price, stock))
    shop.touch(product)
    views = [shop.variant_view(x) for x in created]
    return {"productVariantsBulkCreate": {"productVariants": views, "userErrors": []}}, MUTATION_COST


def variants_update(shop: ShopifyShop, v: Mapping[str, Any], document: str) -> tuple[Obj, int]:
    inputs = _list(v, "variants")
    product = shop.product_by_gid(v.get("productId"))
    if product is None:
        error = _err(["productId"], "Product does not exist", "PRODUCT_DOES_NOT_EXIST")
        return {"productVariantsBulkUpdate": {"productVariants": None, "userErrors": [error]}}, MUTATION_COST
    partial = "allowPartialUpdates: true" in document or v.get("allowPartialUpdates") is True
    errors: list[Obj] = []
    valid: list[tuple[Obj, Mapping[str, Any]]] = []
    for i, item in enumerate(inputs):
        item = item if isinstance(item, Mapping) else {}
        variant = shop.variant_by_gid(item.get("id"))
        if variant is None or variant["product"] != product["id"]:
            errors.append(
                _err(["variants", i, "id"], "Product variant does not exist", "PRODUCT_VARIANT_DOES_NOT_EXIST")
            )
            continue
        if "inventoryQuantities" in item:
            errors.append(
                _err(
                    ["variants", i, "inventoryQuantities"],
                    "Inventory quantities can only be provided during create",
                    "NO_INVENTORY_QUANTITIES_ON_VARIANTS_UPDATE",
                )
            )
            continue
        problem = _price_problem(item["price"]) if "price" in item else None
        if problem:
            errors.append(_err(["variants", i, "price"], problem, "INVALID_INPUT"))
            continue
        valid.append((variant, item))
    if errors and not partial:
        valid = []
    for variant, item in valid:
        if "price" in item:
            variant["price"] = f"{Decimal(item['price']):.2f}"
        sku = (item.get("inventoryItem") or {}).get("sku")
        if isinstance(sku, str):
            variant["sku"] = sku
        shop.touch(variant)
    views = [shop.variant_view(x) for x, _ in valid]
    return {"productVariantsBulkUpdate": {"productVariants": views, "userErrors": errors}}, MUTATION_COST


def product_update(shop: ShopifyShop, v: Mapping[str, Any], document: str) -> tuple[Obj, int]:
    doc = v.get("product")
    doc = doc if isinstance(doc, Mapping) else {}
    product = shop.product_by_gid(doc.get("id"))
    errors = []
    if product is None:
        errors.append(_err(["id"], "Product does not exist"))
    if "title" in doc and (not isinstance(doc["title"], str) or not doc["title"].strip()):
        errors.append(_err(["title"], "Title can't be blank"))
    if "status" in doc and doc["status"] not in STATUSES:
        errors.append(_err(["status"], f"Status {doc['status']!r} is not one of {', '.join(STATUSES)}"))
    if errors or product is None:
        return {"productUpdate": {"product": None, "userErrors": errors}}, MUTATION_COST
    for key in ("title", "status"):
        if key in doc:
            product[key] = doc[key]
    shop.touch(product)
    return {"productUpdate": {"product": shop.product_view(product), "userErrors": []}}, MUTATION_COST


def set_quantities(shop: ShopifyShop, v: Mapping[str, Any], document: str) -> tuple[Obj, int]:
    doc = v.get("input")
    doc = doc if isinstance(doc, Mapping) else {}
    key = v.get("idempotencyKey") if "@idempotent" in document else None
    fingerprint = json.dumps(doc, sort_keys=True)
    if isinstance(key, str) and key in shop.idempotent:
        seen, first = shop.idempotent[key]
        if seen != fingerprint:
            raise GraphqlError("The idempotency key was already used with different input", "IDEMPOTENCY_KEY_REUSED")
        return first, MUTATION_COST  # the first answer again; nothing applied twice
    quantities = _list(doc, "quantities") if "quantities" in doc else []
    errors: list[Obj] = []
    if doc.get("name") not in ("available", "on_hand"):
        errors.append(_err(["input", "name"], "The quantity name must be available or on_hand", "INVALID_NAME"))
    if doc.get("reason") not in REASONS:
        errors.append(_err(["input", "reason"], "The reason is not valid", "INVALID_REASON"))
    changes: list[tuple[int, int]] = []
    for i, q in enumerate(quantities):
        q = q if isinstance(q, Mapping) else {}
        item = shop.item_number(q.get("inventoryItemId"))
        qty = q.get("quantity")
        if item is None:
            errors.append(
                _err(
                    ["input", "quantities", i, "inventoryItemId"],
                    "The inventory item could not be found",
                    "INVALID_INVENTORY_ITEM",
                )
            )
        elif q.get("locationId") != shop.location_id:
            errors.append(
                _err(["input", "quantities", i, "locationId"], "The location could not be found", "INVALID_LOCATION")
            )
        elif isinstance(qty, bool) or not isinstance(qty, int):
            errors.append(
                _err(["input", "quantities", i, "quantity"], "The quantity must be an integer", "INVALID_QUANTITY")
            )
        elif not doc.get("ignoreCompareQuantity") and q.get("compareQuantity") != shop.levels[item]:
            errors.append(
                _err(
                    ["input", "quantities", i, "compareQuantity"],
                    "The compareQuantity is stale",
                    "COMPARE_QUANTITY_STALE",
                )
            )
        else:
            changes.append((item, qty))
    if errors:
        answer: Obj = {"inventorySetQuantities": {"inventoryAdjustmentGroup": None, "userErrors": errors}}
    else:
        deltas = []
        for item, qty in changes:
            deltas.append({"name": doc["name"], "delta": qty - shop.levels[item]})
            shop.levels[item] = qty  # inventory levels live apart: the variant's updatedAt stays
        group = {"reason": doc["reason"], "changes": deltas}
        answer = {"inventorySetQuantities": {"inventoryAdjustmentGroup": group, "userErrors": []}}
    if isinstance(key, str):
        shop.idempotent[key] = (fingerprint, answer)
    return answer, MUTATION_COST


QUERIES: dict[str, tuple[Handler, Callable[[Mapping[str, Any]], int]]] = {
    "OnepriceVariants": (variants, lambda v: 1 + int(v.get("first") or 0)),
    "OnepriceVariantNodes": (variant_nodes, lambda v: 1 + len(v.get("ids") or [])),
    "OnepriceLocation": (location, lambda v: 2),
    "OnepriceProductByHandle": (product_by_handle, lambda v: 7),
}
MUTATIONS: dict[str, Handler] = {
    "OnepriceProductCreate": product_create,
    "OnepriceVariantsCreate": variants_create,
    "OnepriceVariantsUpdate": variants_update,
    "OnepriceProductUpdate": product_update,
    "OnepriceSetQuantities": set_quantities,
}
