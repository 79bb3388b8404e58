"""Pure conversion between ListingState and Shopify GraphQL Admin API objects (no I/O).

Prices travel as decimal strings in the shop's currency; ids are GIDs (`gid://shopify/ProductVariant/1`).
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from adapters.base import ThrottleStatus, answered_money, ascii_digits
from oneprice.domain.listing import ListingState, RemoteListing
from oneprice.domain.money import CURRENCY_EXPONENTS, check_currency, to_decimal

ACTIVE = "ACTIVE"
DRAFT = "DRAFT"
_GID_RE = re.compile(r"^gid://shopify/(?P<type>[A-Za-z]+)/(?P<id>\d+)$")
_DECIMAL_RE = re.compile(r"-?[0-9]+(\.[0-9]+)?")  # ASCII digits only: `\d` also takes "١٢"
_HANDLE_RUN = re.compile(r"[^a-z0-9]+")
# Idempotency keys are UUIDs derived from what the call sets, so a replay reuses the key.
_KEY_NAMESPACE = uuid.UUID("6f1c1d52-3b0e-4f7e-9a55-0e7c1b2a9d41")


def gid(kind: str, value: str) -> str:
    """`value` as a GID of `kind`: a bare number becomes `gid://shopify/<kind>/<n>`; a GID stays."""
    value = value.strip()
    return f"gid://shopify/{kind}/{value}" if value.isdigit() else value


def gid_kind(value: str) -> str | None:
    """The object type named by a GID (`ProductVariant`), None when `value` is not a GID."""
    m = _GID_RE.match(value)
    return m.group("type") if m else None


@dataclass(frozen=True)
class VariantRecord:
    """A variant as last read: the listing, plus the ids every write to it needs."""

    listing: RemoteListing
    product_id: str
    inventory_item_id: str | None

    @property
    def variant_id(self) -> str:
        return self.listing.remote_id


class ShopifyMapper:
    """ListingState <-> Shopify objects for one shop's currency.

    Each catalog SKU is one product with one variant: the product carries the name
    (`title`) and the status (ACTIVE, or DRAFT when inactive; ARCHIVED reads as inactive),
    the variant the SKU, price and stock. Stock reads from `inventoryQuantity` (all
    locations) and is written to one location.

    >>> ShopifyMapper("USD").price_input("gid://shopify/ProductVariant/1", state)   # doctest: +SKIP
    {'id': 'gid://shopify/ProductVariant/1', 'price': '19.90'}
    """

    def __init__(self, currency: str) -> None:
        self.currency = check_currency(currency)
        self._places = max(2, CURRENCY_EXPONENTS[self.currency])

    def format_price(self, amount: Decimal) -> str:
        return f"{amount:.{self._places}f}"

    def _check(self, state: ListingState) -> None:
        if state.price.currency != self.currency:
            raise ValueError(f"SKU {state.sku}: price is in {state.price.currency}, the shop sells in {self.currency}")

    # -- reading -----------------------------------------------------------------------

    def to_record(self, node: Any) -> VariantRecord:
        """A `ProductVariant` node as the adapter queries it; ValueError names what is malformed."""
        if not isinstance(node, Mapping):
            raise ValueError(f"a variant must be a JSON object, got {type(node).__name__}")
        variant_id = node.get("id")
        if not isinstance(variant_id, str) or gid_kind(variant_id) != "ProductVariant":
            raise ValueError(f"variant id {variant_id!r} is not a ProductVariant GID")
        product = node.get("product")
        if not isinstance(product, Mapping) or not isinstance(product.get("id"), str):
            raise ValueError(f"variant {variant_id} has no product id")
        sku = str(node.get("sku") or "").strip()
        if not sku:
            raise ValueError(f"variant {variant_id} has no SKU")
        item = node.get("inventoryItem")
        item_id = item.get("id") if isinstance(item, Mapping) else None
        state = ListingState(
            sku=sku,
            name=str(product.get("title") or ""),
            price=answered_money(self._price_of(node.get("price"), variant_id), self.currency, f"variant {variant_id}"),
            stock=self._stock_of(node.get("inventoryQuantity"), variant_id),
            status="active" if product.get("status") == ACTIVE else "inactive",
        )
        stamps = [str(s) for s in (node.get("updatedAt"), product.get("updatedAt")) if s]
        listing = RemoteListing(remote_id=variant_id, state=state, modified=max(stamps) if stamps else None)
        return VariantRecord(listing, str(product["id"]), str(item_id) if item_id else None)

    @staticmethod
    def _price_of(raw: Any, variant_id: str) -> Decimal:
        if not isinstance(raw, str | int) or isinstance(raw, bool) or not _DECIMAL_RE.fullmatch(str(raw).strip()):
            raise ValueError(f"variant {variant_id}: price {raw!r} is not a decimal string")
        amount = to_decimal(str(raw))
        if amount < 0:
            raise ValueError(f"variant {variant_id}: price {raw!r} is negative")
        return amount

    @staticmethod
    def _stock_of(raw: Any, variant_id: str) -> int:
        """Available stock; no figure reads as 0, oversold (negative) stock as 0."""
        if raw is None:
            return 0
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ValueError(f"variant {variant_id}: inventoryQuantity {raw!r} is not an integer")
        return max(raw, 0)

    # -- writing -----------------------------------------------------------------------

    @staticmethod
    def handle_for(sku: str) -> str:
        """The product handle oneprice gives a SKU's product: the SKU, lowercased, runs of other signs as `-`.

        Handles are unique per shop (validated from API 2025-01), so a create that is sent
        twice finds the first product by its handle instead of making a second one.
        """
        return _HANDLE_RUN.sub("-", sku.lower()).strip("-") or "sku"

    def product_create_input(self, state: ListingState) -> dict[str, Any]:
        """`ProductCreateInput` for a new product holding `state`'s listing."""
        self._check(state)
        return {
            "title": state.name,
            "handle": self.handle_for(state.sku),
            "status": ACTIVE if state.status == "active" else DRAFT,
        }

    def variant_create_input(self, state: ListingState, location_id: str) -> dict[str, Any]:
        """`ProductVariantsBulkInput` for the new product's one variant, stock included."""
        self._check(state)
        return {
            "price": self.format_price(state.price.amount),
            "inventoryItem": {"sku": state.sku, "tracked": True},
            "inventoryQuantities": [{"locationId": location_id, "availableQuantity": state.stock}],
            "optionValues": [{"optionName": "Title", "name": "Default Title"}],
        }

    def variant_update_input(self, variant_id: str, state: ListingState, *, sku: bool) -> dict[str, Any]:
        """`ProductVariantsBulkInput` setting the price (and the SKU when `sku`) of one variant."""
        self._check(state)
        doc: dict[str, Any] = {"id": variant_id, "price": self.format_price(state.price.amount)}
        if sku:
            doc["inventoryItem"] = {"sku": state.sku}
        return doc

    def product_update_input(self, product_id: str, state: ListingState) -> dict[str, Any]:
        """`ProductUpdateInput` setting the title and status."""
        return {"id": product_id, "title": state.name, "status": ACTIVE if state.status == "active" else DRAFT}

    @staticmethod
    def set_quantities_input(quantities: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
        """`InventorySetQuantitiesInput`: absolute "available" quantities, no compare-and-set."""
        return {
            "name": "available",
            "reason": "correction",
            "ignoreCompareQuantity": True,
            "quantities": [dict(q) for q in quantities],
        }

    @staticmethod
    def quantity(inventory_item_id: str, location_id: str, stock: int) -> dict[str, Any]:
        return {"inventoryItemId": inventory_item_id, "locationId": location_id, "quantity": stock}

    @staticmethod
    def idempotency_key(scope: str, items: Iterable[tuple[str, str, int, int]]) -> str:
        """A UUID from the scope (the apply run) and each (sku, inventory item, quantity read, quantity set).

        The same run resending the same call gets the same key, so Shopify answers the replay
        without applying it twice. The quantity read is part of the key, so a later run that
        finds the stock moved again (9 -> 8 -> set 9) gets a new key even under the same scope.
        """
        parts = "\n".join(f"{sku}\t{item}\t{before}\t{after}" for sku, item, before, after in sorted(items))
        return str(uuid.uuid5(_KEY_NAMESPACE, f"{scope}\n{parts}"))

    # -- answers -----------------------------------------------------------------------

    @staticmethod
    def user_error_text(error: Any) -> str:
        """`field.path: message (CODE)` for one `userErrors` entry."""
        if not isinstance(error, Mapping):
            return f"malformed user error {error!r}"
        field = error.get("field")
        path = ".".join(str(f) for f in field) if isinstance(field, list) else ""
        message = str(error.get("message") or "refused")
        code = error.get("code")
        text = f"{path}: {message}" if path else message
        return f"{text} ({code})" if code else text

    @staticmethod
    def user_error_index(error: Any, list_name: str) -> int | None:
        """The position in the input list `list_name` an error's `field` points at, if any.

        `["variants", "0", "price"]` -> 0 for "variants"; None when the error is about the whole call.
        """
        field = error.get("field") if isinstance(error, Mapping) else None
        if not isinstance(field, list):
            return None
        names = [str(f) for f in field]
        for pos, name in enumerate(names[:-1]):
            if name == list_name and ascii_digits(names[pos + 1]) and len(names[pos + 1]) <= 9:
                return int(names[pos + 1])
        return None

    @staticmethod
    def cost_of(extensions: Any) -> tuple[ThrottleStatus | None, float | None]:
        """(bucket status, requested cost) from a response's `extensions.cost`, when present."""
        cost = extensions.get("cost") if isinstance(extensions, Mapping) else None
        if not isinstance(cost, Mapping):
            return None, None
        bucket = cost.get("throttleStatus")
        bucket = bucket if isinstance(bucket, Mapping) else {}
        status = ThrottleStatus(
            available=_number(bucket.get("currentlyAvailable")),
            capacity=_number(bucket.get("maximumAvailable")),
            restore_rate=_number(bucket.get("restoreRate")),
            cost=_number(cost.get("actualQueryCost")),
        )
        return status, _number(cost.get("requestedQueryCost"))

    @staticmethod
    def throttle_wait(requested: float | None, status: ThrottleStatus | None) -> float | None:
        """Seconds until the bucket holds `requested` points: (requested - available) / restoreRate."""
        if requested is None or status is None or status.available is None or not status.restore_rate:
            return None
        return max(requested - status.available, 0.0) / status.restore_rate


def _number(value: Any) -> float | None:
    """A finite number of `extensions.cost`; anything else (strings, NaN/Infinity literals) is no figure.

    Python's JSON decoder takes `NaN` and `Infinity`; a NaN restore rate would become a NaN wait.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None
