"""In-memory state of one emulated WooCommerce store: products, request counters, injected faults.

Product JSON follows WooCommerce REST v3 (prices are strings, never floats); the HTTP
routes that drive a store live in `sandbox.woo_api`.
"""

from __future__ import annotations

import copy
import hmac
import random
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

from oneprice.domain.catalog import Product as CatalogProduct

BATCH_LIMIT = 100
STATUSES = ("draft", "pending", "private", "publish")
STOCK_STATUSES = ("instock", "outofstock", "onbackorder")
TYPES = ("simple", "grouped", "external", "variable")
_PRICE_RE = re.compile(r"^\d+(\.\d+)?$")
_STAMP = "%Y-%m-%dT%H:%M:%S"

Product = dict[str, Any]


class WooError(Exception):
    """A WooCommerce REST error: `{code, message, data: {status, ...}}`."""

    def __init__(self, code: str, message: str, status: int, **data: Any) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        self.data = data

    def body(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "data": {"status": self.status, **self.data}}


@dataclass(frozen=True)
class Fault:
    """An injected failure for the next request: HTTP status and optional Retry-After seconds.

    `delay` > 0 with status 0 is a slow answer: the request is carried out, then answered
    after `delay` seconds (a client with a shorter timeout sees a timeout for a write that
    happened).
    """

    status: int
    retry_after: float | None = None
    delay: float = 0.0


@dataclass(frozen=True)
class Chaos:
    """Random faults at a rate: 429/5xx answers, slow answers, and refused items inside a batch.

    >>> store.set_chaos(Chaos(rate=0.2, seed=7))   # doctest: +SKIP
    """

    rate: float = 0.0
    """Share of API requests answered with one of `statuses` (nothing is done)."""
    statuses: tuple[int, ...] = (429, 500, 502, 503)
    retry_after: float | None = 0.05
    """Retry-After sent with an injected 429."""
    slow_rate: float = 0.0
    """Share of requests carried out but answered only after `slow_delay` seconds."""
    slow_delay: float = 0.5
    item_rate: float = 0.0
    """Share of batch items refused with a retryable per-item error (HTTP 503 in the item)."""
    seed: int | None = None


class RateLimit:
    """A token bucket of `burst` requests refilled at `per_second`: what the host lets through."""

    def __init__(self, per_second: float, burst: int = 1, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_second = per_second
        self.burst = float(max(burst, 1))
        self.clock = clock
        self._tokens = self.burst
        self._updated = clock()
        self.throttled = 0
        self.allowed = 0

    def take(self) -> float | None:
        """Take one token; None if allowed, else seconds until one is available."""
        now = self.clock()
        self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.per_second)
        self._updated = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            self.allowed += 1
            return None
        self.throttled += 1
        return (1.0 - self._tokens) / self.per_second


def invalid_id() -> WooError:
    return WooError("woocommerce_rest_product_invalid_id", "Invalid ID.", 400)


def _check_params(payload: Mapping[str, Any]) -> None:
    """Type-check the fields WooCommerce declares in its schema; raise `rest_invalid_param`."""
    bad: dict[str, str] = {}
    for key in ("name", "sku", "description", "short_description"):
        if key in payload and not isinstance(payload[key], str):
            bad[key] = f"{key} is not of type string."
    for key in ("regular_price", "sale_price"):
        if key in payload:
            value = payload[key]
            if not isinstance(value, str):
                bad[key] = f"{key} is not of type string."
            elif value != "" and not _PRICE_RE.match(value):
                bad[key] = f"{key} is not a non-negative decimal number."
    if "manage_stock" in payload and not isinstance(payload["manage_stock"], bool):
        bad["manage_stock"] = "manage_stock is not of type boolean."
    if "stock_quantity" in payload:
        qty = payload["stock_quantity"]
        if qty is not None and (isinstance(qty, bool) or not isinstance(qty, int)):
            bad["stock_quantity"] = "stock_quantity is not of type integer."
    for key, allowed in (("status", STATUSES), ("stock_status", STOCK_STATUSES), ("type", TYPES)):
        if key in payload and payload[key] not in allowed:
            bad[key] = f"{key} is not one of {', '.join(allowed)}."
    if bad:
        raise WooError("rest_invalid_param", f"Invalid parameter(s): {', '.join(bad)}", 400, params=bad)


class WooStore:
    """One emulated store: what it holds and what it was asked.

    `products` is a snapshot (id -> product JSON); `requests` lists (method, path) of
    every API call received, refused ones included; `write_requests` counts the
    POST/PUT/PATCH/DELETE calls among them, `read_requests` the others.
    """

    def __init__(
        self,
        name: str,
        consumer_key: str,
        consumer_secret: str,
        *,
        currency: str = "CNY",
        batch_limit: int = BATCH_LIMIT,
    ) -> None:
        self.name = name
        self.currency = currency
        self.batch_limit = batch_limit
        self.public_url = f"/woo/{name}"
        self._key = consumer_key
        self._secret = consumer_secret
        self._lock = threading.RLock()
        self._products: dict[int, Product] = {}
        self._faults: deque[Fault] = deque()
        self._chaos = Chaos()
        self._random = random.Random()
        self.rate_limit: RateLimit | None = None
        self.injected: list[int] = []
        """Status of every injected fault (0: a slow answer), in order."""
        self.write_times: list[float] = []
        """Monotonic time of every write request that got through (rate measurements)."""
        self._next_id = 101
        # Products not in the trash, in id order: what a plain `orderby=id&order=asc` listing pages
        # through. Kept until the next write, so paging through 100k products costs a slice per page
        # (as an indexed LIMIT/OFFSET does in WooCommerce's database), not a sort of every product.
        self._live_view: list[Product] | None = None
        self.requests: list[tuple[str, str]] = []
        self.read_requests = 0
        self.write_requests = 0

    # -- test and demo controls -------------------------------------------------

    @property
    def products(self) -> dict[int, Product]:
        with self._lock:
            return {pid: self._public(p) for pid, p in self._products.items()}

    def fail_next(self, status: int, count: int = 1, *, retry_after: float | None = None) -> None:
        """Answer the next `count` API requests with `status` (e.g. 429, 500, 503)."""
        with self._lock:
            self._faults.extend(Fault(status, retry_after) for _ in range(count))

    def clear_faults(self) -> None:
        """Drop faults queued by `fail_next` that no request has met yet."""
        with self._lock:
            self._faults.clear()

    def set_chaos(self, chaos: Chaos) -> None:
        """Inject random faults from now on (`Chaos()` turns them off)."""
        with self._lock:
            self._chaos = chaos
            self._random = random.Random(chaos.seed)

    def limit_rate(self, per_second: float | None, burst: int = 1) -> None:
        """Answer 429 with Retry-After above `per_second` requests (None: no limit)."""
        with self._lock:
            self.rate_limit = RateLimit(per_second, burst) if per_second else None

    def seed(self, products: Iterable[Mapping[str, Any] | CatalogProduct]) -> list[Product]:
        """Create products directly (not counted as requests); raise WooError on a bad one.

        Each item is a WooCommerce create payload, or a catalog product (listed at its unified price).
        """
        return [self.create(_payload(p) if isinstance(p, CatalogProduct) else p) for p in products]

    def reset(self) -> None:
        """Forget products, counters and pending faults."""
        with self._lock:
            self._products.clear()
            self._live_view = None
            self._faults.clear()
            self.requests.clear()
            self.read_requests = 0
            self.write_requests = 0

    def by_sku(self, sku: str) -> Product | None:
        with self._lock:
            for p in self._products.values():
                if p["sku"] == sku:
                    return self._public(p)
        return None

    # -- what the HTTP layer calls ----------------------------------------------

    def record(self, method: str, path: str) -> Fault | None:
        """Count one received request; return the fault to answer with, if one is pending."""
        with self._lock:
            self.requests.append((method, path))
            write = method in ("POST", "PUT", "PATCH", "DELETE")
            if write:
                self.write_requests += 1
            else:
                self.read_requests += 1
            fault = self._faults.popleft() if self._faults else self._chaos_fault()
            if fault is None and self.rate_limit is not None:
                wait = self.rate_limit.take()
                if wait is not None:
                    fault = Fault(429, retry_after=round(wait, 3))
            if fault is not None and fault.status:
                self.injected.append(fault.status)
            elif write:
                self.write_times.append(time.monotonic())
            return fault

    def _chaos_fault(self) -> Fault | None:
        chaos = self._chaos
        roll = self._random.random()
        if roll < chaos.rate:
            status = self._random.choice(chaos.statuses)
            return Fault(status, chaos.retry_after if status == 429 else None)
        if roll < chaos.rate + chaos.slow_rate:
            self.injected.append(0)
            return Fault(0, delay=chaos.slow_delay)
        return None

    def credentials_ok(self, key: str, secret: str) -> tuple[bool, str]:
        """(accepted, reason) for a consumer key/secret pair, compared in constant time."""
        if not hmac.compare_digest(key.encode(), self._key.encode()) or not self._key:
            return False, "Consumer key is invalid."
        if not hmac.compare_digest(secret.encode(), self._secret.encode()):
            return False, "Consumer secret is invalid."
        return True, ""

    def list_products(
        self,
        *,
        skus: list[str] | None = None,
        status: str | None = None,
        search: str | None = None,
        modified_after: datetime | None = None,
        orderby: str = "date",
        order: str = "desc",
    ) -> list[Product]:
        items, _ = self.page_of_products(
            skus=skus, status=status, search=search, modified_after=modified_after, orderby=orderby, order=order
        )
        return items

    def page_of_products(
        self,
        *,
        skus: list[str] | None = None,
        status: str | None = None,
        search: str | None = None,
        modified_after: datetime | None = None,
        orderby: str = "date",
        order: str = "desc",
        page: int = 1,
        per_page: int | None = None,
    ) -> tuple[list[Product], int]:
        """One page of the matching products and how many match; only the page is copied out."""
        with self._lock:
            plain = skus is None and not search and modified_after is None and status in (None, "", "any")
            if plain and orderby == "id" and order == "asc":
                if self._live_view is None:
                    self._live_view = [p for p in self._products.values() if p["status"] != "trash"]
                view = self._live_view
                if per_page is not None:
                    view = view[(page - 1) * per_page : page * per_page]
                return [self._public(p) for p in view], len(self._live_view)
            items = list(self._products.values())
            if skus is not None:
                wanted = set(skus)
                items = [p for p in items if p["sku"] in wanted]
            if status and status != "any":
                items = [p for p in items if p["status"] == status]
            else:
                items = [p for p in items if p["status"] != "trash"]
            if search:
                items = [p for p in items if search.lower() in p["name"].lower()]
            if modified_after is not None:
                stamp = modified_after.strftime(_STAMP)
                items = [p for p in items if p["date_modified_gmt"] > stamp]
            key = {"id": "id", "title": "name", "date": "date_created_gmt"}.get(orderby, "date_created_gmt")
            if not (key == "id" and order == "asc"):  # products are held in id order already
                items.sort(key=lambda p: (p[key], p["id"]), reverse=order == "desc")
            total = len(items)
            if per_page is not None:
                items = items[(page - 1) * per_page : page * per_page]
            return [self._public(p) for p in items], total

    def get(self, product_id: int) -> Product:
        with self._lock:
            p = self._products.get(product_id)
            if p is None:
                raise WooError("woocommerce_rest_product_invalid_id", "Invalid ID.", 404)
            return self._public(p)

    def create(self, payload: Mapping[str, Any]) -> Product:
        if not isinstance(payload, Mapping):
            raise WooError("rest_invalid_param", "Invalid parameter(s): body", 400)
        _check_params(payload)
        with self._lock:
            sku = payload.get("sku", "")
            self._check_sku(sku, None)
            return self._insert(payload)

    def seed_many(self, payloads: Iterable[Mapping[str, Any]]) -> int:
        """Create many products directly (benchmarks): SKUs checked once as a set, not per item."""
        with self._lock:
            taken = {p["sku"] for p in self._products.values() if p["sku"]}
            n = 0
            for payload in payloads:
                _check_params(payload)
                sku = payload.get("sku", "")
                if sku and sku in taken:
                    raise WooError("product_invalid_sku", "Invalid or duplicated SKU.", 400, resource_id=0)
                taken.add(sku)
                self._insert(payload)
                n += 1
            return n

    def _insert(self, payload: Mapping[str, Any]) -> Product:
        with self._lock:
            sku = payload.get("sku", "")
            stamp = self._stamp(None)
            product: Product = {
                "id": self._next_id,
                "name": payload.get("name", ""),
                "slug": "",
                "date_created_gmt": stamp,
                "date_modified_gmt": stamp,
                "type": payload.get("type", "simple"),
                "status": payload.get("status", "publish"),
                "description": payload.get("description", ""),
                "short_description": payload.get("short_description", ""),
                "sku": sku,
                "regular_price": payload.get("regular_price", ""),
                "sale_price": payload.get("sale_price", ""),
                "manage_stock": payload.get("manage_stock", False),
                "stock_quantity": payload.get("stock_quantity"),
                "stock_status": payload.get("stock_status", "instock"),
            }
            self._next_id += 1
            self._derive(product)
            self._products[product["id"]] = product
            self._live_view = None
            return self._public(product)

    def update(self, product_id: int, payload: Mapping[str, Any]) -> Product:
        if not isinstance(payload, Mapping):
            raise WooError("rest_invalid_param", "Invalid parameter(s): body", 400)
        with self._lock:
            current = self._products.get(product_id)
            if current is None:
                raise invalid_id()
            _check_params(payload)
            if "sku" in payload and payload["sku"] != current["sku"]:  # keeping one's own SKU never clashes
                self._check_sku(payload["sku"], product_id)
            changed = dict(current)
            for key in (
                "name",
                "type",
                "status",
                "description",
                "short_description",
                "sku",
                "regular_price",
                "sale_price",
                "manage_stock",
                "stock_quantity",
                "stock_status",
            ):
                if key in payload:
                    changed[key] = payload[key]
            changed["date_modified_gmt"] = self._stamp(current)
            self._derive(changed)
            self._products[product_id] = changed
            self._live_view = None
            return self._public(changed)

    def delete(self, product_id: int, *, force: bool) -> Product:
        """Delete for good with `force`, else move to the trash (status `trash`)."""
        with self._lock:
            current = self._products.get(product_id)
            if current is None:
                raise WooError("woocommerce_rest_product_invalid_id", "Invalid ID.", 404)
            self._live_view = None
            if force:
                del self._products[product_id]
                return self._public(current)
            trashed = {**current, "status": "trash", "date_modified_gmt": self._stamp(current)}
            self._products[product_id] = trashed
            return self._public(trashed)

    def batch(self, body: Any) -> dict[str, list[Any]]:
        """Create, then update, then delete; per-item failures come back inline."""
        if not isinstance(body, Mapping):
            raise WooError("rest_invalid_param", "Invalid parameter(s): body", 400)
        actions = {k: body[k] for k in ("create", "update", "delete") if k in body}
        for key, items in actions.items():
            if not isinstance(items, list):
                raise WooError(
                    "rest_invalid_param",
                    f"Invalid parameter(s): {key}",
                    400,
                    params={key: f"{key} is not of type array."},
                )
        total = sum(len(items) for items in actions.values())
        if total > self.batch_limit:
            raise WooError(
                "woocommerce_rest_request_entity_too_large",
                f"Unable to accept more than {self.batch_limit} items for this request.",
                413,
            )
        result: dict[str, list[Any]] = {}
        if "create" in actions:
            result["create"] = [self._busy() or self._batch_create(item) for item in actions["create"]]
        if "update" in actions:
            result["update"] = [self._busy(item) or self._batch_update(item) for item in actions["update"]]
        if "delete" in actions:
            result["delete"] = [self._batch_delete(item) for item in actions["delete"]]
        return result

    # -- internals ---------------------------------------------------------------

    def _busy(self, item: Any = None) -> Any:
        """A retryable per-item refusal, at the chaos item rate (None: carry the item out)."""
        if self._chaos.item_rate <= 0 or self._random.random() >= self._chaos.item_rate:
            return None
        pid = _as_id(item.get("id")) if isinstance(item, Mapping) else None
        err = WooError("sandbox_item_busy", "Injected by the sandbox: try again.", 503)
        return {"id": pid or 0, "error": err.body()}

    def _batch_create(self, item: Any) -> Any:
        return self._item(0, lambda: self.create(item))

    def _batch_update(self, item: Any) -> Any:
        pid = _as_id(item.get("id") if isinstance(item, Mapping) else None)
        if pid is None:
            return {"id": 0, "error": invalid_id().body()}
        return self._item(pid, lambda: self.update(pid, item))

    def _batch_delete(self, item: Any) -> Any:
        pid = _as_id(item)
        if pid is None:
            return {"id": 0, "error": invalid_id().body()}
        # WooCommerce forces deletes made through the batch endpoint.
        return self._item(pid, lambda: self.delete(pid, force=True))

    @staticmethod
    def _item(pid: int, call: Callable[[], Product]) -> Any:
        try:
            return call()
        except WooError as e:
            return {"id": pid, "error": e.body()}

    def _check_sku(self, sku: str, own_id: int | None) -> None:
        if sku and any(p["sku"] == sku and pid != own_id for pid, p in self._products.items()):
            raise WooError("product_invalid_sku", "Invalid or duplicated SKU.", 400, resource_id=own_id or 0)

    def _stamp(self, current: Product | None) -> str:
        """Now, but always later than the product's previous stamp (one write, one new stamp)."""
        now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
        if current is not None:
            previous = datetime.strptime(current["date_modified_gmt"], _STAMP)
            now = max(now, previous + timedelta(seconds=1))
        return now.strftime(_STAMP)

    @staticmethod
    def _derive(p: Product) -> None:
        """Fields WooCommerce computes: price, on_sale, stock status from quantity."""
        p["price"] = p["sale_price"] or p["regular_price"]
        p["on_sale"] = bool(p["sale_price"])
        p["slug"] = p["slug"] or (p["sku"] or str(p["id"])).lower()
        if p["manage_stock"]:
            qty = p["stock_quantity"] or 0
            p["stock_quantity"] = qty
            if p["stock_status"] != "onbackorder" or qty > 0:
                p["stock_status"] = "instock" if qty > 0 else "outofstock"
        else:
            p["stock_quantity"] = None

    def _public(self, p: Product) -> Product:
        out = copy.deepcopy(p)
        out["date_created"] = p["date_created_gmt"]
        out["date_modified"] = p["date_modified_gmt"]
        out["permalink"] = f"{self.public_url}/product/{quote(p['sku'] or str(p['id']), safe='')}"
        return out


def _as_id(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def _payload(product: CatalogProduct) -> dict[str, Any]:
    """The create payload that lists a catalog product at its unified price and stock."""
    return {
        "name": product.name,
        "sku": product.sku,
        "regular_price": str(product.unified_price.amount),
        "manage_stock": True,
        "stock_quantity": product.stock,
        "status": "publish" if product.status == "active" else "draft",
    }
