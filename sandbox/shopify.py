"""In-memory state of one emulated Shopify shop: products, variants, stock, cost bucket, faults.

Objects are kept as the GraphQL Admin API shows them (GIDs, decimal-string prices); the
HTTP route and the operations the adapter sends live in `sandbox.shopify_graphql`.
"""

from __future__ import annotations

import bisect
import hmac
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from oneprice.domain.catalog import Product as CatalogProduct

Obj = dict[str, Any]
STATUSES = ("ACTIVE", "DRAFT", "ARCHIVED")
_HANDLE_RUN = re.compile(r"[^a-z0-9]+")
_STAMP = "%Y-%m-%dT%H:%M:%SZ"


def gid(kind: str, number: int) -> str:
    return f"gid://shopify/{kind}/{number}"


def gid_number(value: Any, kind: str) -> int | None:
    """The number in a GID of `kind`, None for anything else."""
    prefix = f"gid://shopify/{kind}/"
    if isinstance(value, str) and value.startswith(prefix) and value[len(prefix) :].isdigit():
        return int(value[len(prefix) :])
    return None


@dataclass(frozen=True)
class Fault:
    """An injected failure for the next request: HTTP status and optional Retry-After seconds."""

    status: int
    retry_after: float | None = None


class CostBucket:
    """Shopify's leaky bucket of query-cost points: `capacity` points, refilled at `restore_rate`/s."""

    def __init__(self, capacity: float, restore_rate: float, clock: Callable[[], float]) -> None:
        self.capacity = capacity
        self.restore_rate = restore_rate
        self.clock = clock
        self._available = capacity
        self._updated = clock()

    def available(self) -> float:
        now = self.clock()
        self._available = min(self.capacity, self._available + (now - self._updated) * self.restore_rate)
        self._updated = now
        return self._available

    def take(self, points: float) -> bool:
        """Spend `points` if the bucket holds them; False (nothing spent) when it does not."""
        if points > self.available():
            return False
        self._available -= points
        return True

    def refund(self, points: float) -> None:
        self._available = min(self.capacity, self.available() + points)

    def drain(self, to: float = 0.0) -> None:
        """Leave `to` points in the bucket (tests: force the next call to be throttled)."""
        self.available()
        self._available = max(min(to, self.capacity), 0.0)

    def status(self) -> dict[str, float]:
        return {
            "maximumAvailable": self.capacity,
            "currentlyAvailable": round(self.available(), 3),
            "restoreRate": self.restore_rate,
        }


class ShopifyShop:
    """One emulated shop: what it holds and what it was asked.

    `requests` lists the operation name of every GraphQL call received (refused ones
    included); `write_requests` counts the mutations among them, `read_requests` the
    queries, `throttled` the calls answered "Throttled".
    """

    def __init__(
        self,
        name: str,
        access_token: str,
        *,
        currency: str = "USD",
        capacity: float = 1000.0,
        restore_rate: float = 50.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.name = name
        self.currency = currency
        self.bucket = CostBucket(capacity, restore_rate, clock)
        self.location_id = gid("Location", 1)
        self.lock = threading.RLock()
        self._token = access_token
        self._faults: deque[Fault] = deque()
        self.idempotent: dict[str, tuple[str, Obj]] = {}
        """Idempotency key -> (fingerprint of the input, the answer given)."""
        self.requests: list[str] = []
        self.read_requests = 0
        self.write_requests = 0
        self.throttled = 0
        self.products: dict[int, Obj] = {}
        self.variants: dict[int, Obj] = {}
        self.levels: dict[int, int] = {}
        self.handles: dict[str, int] = {}
        """Product handle -> product number (handles are unique per shop)."""
        """Inventory item number -> available quantity at the shop's one location."""
        self._order: list[int] = []  # variant numbers in creation order (ids only grow)
        self._next = 1001

    # -- test and demo controls -------------------------------------------------

    def fail_next(self, status: int, count: int = 1, *, retry_after: float | None = None) -> None:
        """Answer the next `count` API requests with HTTP `status` (e.g. 500, 503, 429)."""
        with self.lock:
            self._faults.extend(Fault(status, retry_after) for _ in range(count))

    def clear_faults(self) -> None:
        with self.lock:
            self._faults.clear()

    def set_bucket(self, capacity: float = 1000.0, restore_rate: float = 50.0) -> None:
        """Give the shop another cost bucket (full): e.g. a Standard plan's 100 points per second."""
        with self.lock:
            self.bucket = CostBucket(capacity, restore_rate, self.bucket.clock)

    def reset(self) -> None:
        """Forget products, counters, idempotency keys and pending faults; refill the bucket."""
        with self.lock:
            for store in (self.products, self.variants, self.levels, self.idempotent, self.handles):
                store.clear()
            self._order.clear()
            self._faults.clear()
            self.requests.clear()
            self.read_requests = self.write_requests = self.throttled = 0
            self.bucket.drain(self.bucket.capacity)

    def seed(self, products: Iterable[CatalogProduct]) -> list[Obj]:
        """List catalog products at their unified price and stock (not counted as requests)."""
        out = []
        for p in products:
            status = "ACTIVE" if p.status == "active" else "DRAFT"
            product = self.create_product(p.name, status, self.free_handle(p.sku))
            self.remove_variants(product)
            out.append(self.add_variant(product, p.sku, str(p.unified_price.amount), p.stock))
        return [self.variant_view(v) for v in out]

    def by_sku(self, sku: str) -> list[Obj]:
        """Every variant carrying `sku`, as the API shows it."""
        with self.lock:
            return [self.variant_view(v) for v in self.variants.values() if v["sku"] == sku]

    def all_variants(self) -> list[Obj]:
        with self.lock:
            return [self.variant_view(self.variants[n]) for n in self._order if n in self.variants]

    # -- what the HTTP layer calls ----------------------------------------------

    def record(self, operation: str, mutation: bool) -> Fault | None:
        """Count one received request; return the fault to answer with, if one is pending."""
        with self.lock:
            self.requests.append(operation)
            if mutation:
                self.write_requests += 1
            else:
                self.read_requests += 1
            return self._faults.popleft() if self._faults else None

    def token_ok(self, token: str) -> bool:
        return bool(self._token) and hmac.compare_digest(token.encode(), self._token.encode())

    # -- objects ----------------------------------------------------------------

    def _id(self) -> int:
        self._next += 1
        return self._next - 1

    @staticmethod
    def stamp(previous: str | None = None) -> str:
        """Now, but later than `previous` (one write, one new stamp)."""
        now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
        if previous:
            now = max(now, datetime.strptime(previous, _STAMP) + timedelta(seconds=1))
        return now.strftime(_STAMP)

    def free_handle(self, text: str) -> str:
        """A handle made from `text` that no product has yet (`potion`, `potion-1`, ...)."""
        base = _HANDLE_RUN.sub("-", text.lower()).strip("-") or "product"
        handle, n = base, 0
        while handle in self.handles:
            n += 1
            handle = f"{base}-{n}"
        return handle

    def create_product(self, title: str, status: str, handle: str | None = None) -> Obj:
        """A product with its standalone "Default Title" variant, as productCreate makes it.

        A `handle` given must be free (the caller checks); without one, one is made from the title.
        """
        with self.lock:
            number = self._id()
            stamp = self.stamp()
            handle = handle if handle is not None else self.free_handle(title)
            product = {
                "id": number,
                "title": title,
                "handle": handle,
                "status": status,
                "updatedAt": stamp,
                "variants": [],
            }
            self.products[number] = product
            self.handles[handle] = number
            self.add_variant(product, "", "0.00", 0, standalone=True)
            return product

    def add_variant(self, product: Obj, sku: str, price: str, stock: int, *, standalone: bool = False) -> Obj:
        with self.lock:
            number, item = self._id(), self._id()
            variant = {
                "id": number,
                "product": product["id"],
                "sku": sku,
                "price": price,
                "item": item,
                "standalone": standalone,
                "updatedAt": self.stamp(product["updatedAt"]),
            }
            self.variants[number] = variant
            self.levels[item] = stock
            self._order.append(number)
            product["variants"].append(number)
            return variant

    def remove_variants(self, product: Obj, *, standalone_only: bool = True) -> None:
        with self.lock:
            keep = []
            for number in product["variants"]:
                if standalone_only and not self.variants[number]["standalone"]:
                    keep.append(number)
                    continue
                variant = self.variants.pop(number)
                self.levels.pop(variant["item"], None)
            product["variants"] = keep

    def touch(self, obj: Obj) -> None:
        obj["updatedAt"] = self.stamp(obj["updatedAt"])

    def variant_by_gid(self, value: Any) -> Obj | None:
        number = gid_number(value, "ProductVariant")
        return self.variants.get(number) if number is not None else None

    def product_by_gid(self, value: Any) -> Obj | None:
        number = gid_number(value, "Product")
        return self.products.get(number) if number is not None else None

    def item_number(self, value: Any) -> int | None:
        number = gid_number(value, "InventoryItem")
        return number if number is not None and number in self.levels else None

    def page(self, first: int, after: int | None, skus: set[str] | None) -> tuple[list[Obj], bool]:
        """Up to `first` variants after variant number `after` (by id), and whether more follow."""
        with self.lock:
            start = bisect.bisect_right(self._order, after) if after is not None else 0
            out: list[Obj] = []
            for number in self._order[start:]:
                variant = self.variants.get(number)
                if variant is None or (skus is not None and variant["sku"] not in skus):
                    continue
                if len(out) == first:
                    return out, True
                out.append(variant)
            return out, False

    def variant_view(self, variant: Mapping[str, Any]) -> Obj:
        """A variant with the fields the adapter queries, as the API shows them."""
        product = self.products[variant["product"]]
        return {
            "id": gid("ProductVariant", variant["id"]),
            "sku": variant["sku"] or None,
            "price": variant["price"],
            "inventoryQuantity": self.levels.get(variant["item"], 0),
            "updatedAt": variant["updatedAt"],
            "inventoryItem": {"id": gid("InventoryItem", variant["item"])},
            "product": {
                "id": gid("Product", product["id"]),
                "title": product["title"],
                "status": product["status"],
                "updatedAt": product["updatedAt"],
            },
        }

    def product_view(self, product: Mapping[str, Any]) -> Obj:
        return {
            "id": gid("Product", product["id"]),
            "title": product["title"],
            "handle": product["handle"],
            "status": product["status"],
            "updatedAt": product["updatedAt"],
        }
