"""In-memory state of emulated Amazon sellers (SP-API Listings Items 2021-08-01): listings, JSON Patch.

Attributes are stored as sent (amounts stay Decimal); an ACCEPTED patch becomes readable after
`apply_after_reads` reads of the listing (0: at once), like Amazon's downstream processing.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import itertools
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from oneprice.domain.catalog import Product

PATCH_OPS = ("add", "replace", "merge", "delete")
PAGE_SIZE_MAX = 20
TOKEN_LIFETIME = 3600


def now_stamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class TokenBucket:
    """`burst` calls back to back, refilled at `rate` per second; `rate=None` never refuses."""

    rate: float | None = 5.0
    burst: int = 5
    clock: Callable[[], float] = time.monotonic
    _level: float = -1.0
    _at: float = 0.0

    def take(self) -> bool:
        if self.rate is None:
            return True
        now = self.clock()
        if self._level < 0:
            self._level, self._at = float(self.burst), now
        self._level = min(float(self.burst), self._level + (now - self._at) * self.rate)
        self._at = now
        if self._level >= 1:
            self._level -= 1
            return True
        return False


@dataclass
class Listing:
    sku: str
    asin: str
    product_type: str
    attributes: dict[str, Any]
    updated: str
    pending: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    """Accepted patches not applied yet: (reads left, attributes after the patch)."""


@dataclass(frozen=True)
class Fault:
    status: int
    retry_after: int | None = None


class AmazonSeller:
    """One seller account in one marketplace, with its LWA app credentials.

    `requests` lists (method, path) of every SP-API call (not token calls), refused ones
    included; `write_requests` counts PATCH/PUT/DELETE, `read_requests` the GETs.
    """

    def __init__(
        self,
        name: str,
        credentials: Mapping[str, str],
        *,
        marketplace_id: str,
        currency: str = "USD",
        bucket: TokenBucket | None = None,
        apply_after_reads: int = 0,
    ) -> None:
        self.name = name
        self.client_id = credentials.get("lwa_client_id", "")
        self.client_secret = credentials.get("lwa_client_secret", "")
        self.refresh_token = credentials.get("refresh_token", "")
        self.seller_id = credentials.get("seller_id", "")
        self.marketplace_id = marketplace_id
        self.currency = currency
        self.bucket = bucket or TokenBucket()
        self.apply_after_reads = apply_after_reads
        self.lock = threading.RLock()
        self.listings: dict[str, Listing] = {}
        self.tokens: dict[str, float] = {}
        self.requests: list[tuple[str, str]] = []
        self.read_requests = 0
        self.write_requests = 0
        self.token_requests = 0
        self._faults: deque[Fault] = deque()
        self._submissions = itertools.count(1)

    # -- test and demo controls -----------------------------------------------------

    def fail_next(self, status: int, count: int = 1, *, retry_after: int | None = None) -> None:
        """Answer the next `count` SP-API calls with `status` (429 in the QuotaExceeded shape)."""
        with self.lock:
            self._faults.extend(Fault(status, retry_after) for _ in range(count))

    def add_listing(
        self, sku: str, name: str, price: Decimal | None, quantity: int, product_type: str = "PRODUCT"
    ) -> None:
        """Create a listing as Seller Central would (not counted); `price=None`: no offer yet."""
        attributes: dict[str, Any] = {
            "item_name": [{"value": name, "language_tag": "en_US", "marketplace_id": self.marketplace_id}],
            "fulfillment_availability": [{"fulfillment_channel_code": "DEFAULT", "quantity": quantity}],
        }
        if price is not None:
            attributes["purchasable_offer"] = [
                {
                    "marketplace_id": self.marketplace_id,
                    "currency": self.currency,
                    "our_price": [{"schedule": [{"value_with_tax": price}]}],
                }
            ]
        asin = "B0" + hashlib.sha256(sku.encode()).hexdigest()[:8].upper()
        with self.lock:
            self.listings[sku] = Listing(sku, asin, product_type, attributes, now_stamp())

    def seed_catalog(
        self, products: Iterable[Product], channel: str, overrides: Mapping[str, Decimal] | None = None
    ) -> None:
        """List the catalog products sold on `channel`, as made on the platform before any sync.

        Priced at the channel's override, else at the unified price when its currency is the
        store's, else without a price. Overridden products are listed 2 short in stock, so the
        first sync has a change to push.
        """
        overrides = overrides or {}
        for p in products:
            if p.status != "active" or (p.channels and channel not in p.channels):
                continue
            price = p.unified_price.amount if p.unified_price.currency == self.currency else None
            stock = p.stock
            if p.sku in overrides:
                price, stock = overrides[p.sku], max(p.stock - 2, 0)
            self.add_listing(p.sku, p.name, price, stock)

    def applied(self, sku: str) -> dict[str, Any]:
        """The applied attributes of a listing (pending patches not included)."""
        with self.lock:
            return copy.deepcopy(self.listings[sku].attributes)

    # -- what the HTTP layer calls ------------------------------------------------------

    def record(self, method: str, path: str) -> Fault | None:
        with self.lock:
            self.requests.append((method, path))
            if method == "GET":
                self.read_requests += 1
            else:
                self.write_requests += 1
            if self._faults:
                return self._faults.popleft()
            if method == "PATCH" and not self.bucket.take():
                return Fault(429)
            return None

    def issue_token(self, client_id: str, client_secret: str, refresh_token: str, now: float) -> str | None:
        """A new access token when the app pair and refresh token are this seller's, else None."""
        ok = all(
            hmac.compare_digest(a.encode(), b.encode()) and b
            for a, b in (
                (client_id, self.client_id),
                (client_secret, self.client_secret),
                (refresh_token, self.refresh_token),
            )
        )
        if not ok:
            return None
        token = "Atza|" + secrets.token_urlsafe(24)
        with self.lock:
            self.token_requests += 1
            self.tokens[token] = now + TOKEN_LIFETIME
        return token

    def token_ok(self, token: str, now: float) -> bool:
        with self.lock:
            expires = self.tokens.get(token)
            return expires is not None and now < expires

    def expire_tokens(self) -> None:
        """Make every issued access token expired (to test the refresh)."""
        with self.lock:
            self.tokens = dict.fromkeys(self.tokens, 0.0)

    def read(self, sku: str) -> dict[str, Any] | None:
        """The listing as getListingsItem shows it; one read brings pending patches closer."""
        with self.lock:
            listing = self.listings.get(sku)
            if listing is None:
                return None
            still: list[tuple[int, dict[str, Any]]] = []
            for reads_left, attributes in listing.pending:
                if reads_left <= 1:
                    listing.attributes, listing.updated = attributes, now_stamp()
                else:
                    still.append((reads_left - 1, attributes))
            listing.pending = still
            return self._public(listing)

    def search(self) -> list[str]:
        with self.lock:
            return sorted(self.listings)

    def patch(self, sku: str, product_type: Any, patches: Any) -> dict[str, Any]:
        """Validate and queue a JSON Patch; the ListingsItemSubmissionResponse."""
        submission = f"sbx-{next(self._submissions):08d}"
        with self.lock:
            listing = self.listings.get(sku)
            if listing is None:
                issue = _issue("4000004", f"SKU '{sku}' is not a listing of this seller; create it first.", [])
                return {"sku": sku, "status": "INVALID", "submissionId": submission, "issues": [issue]}
            base = listing.pending[-1][1] if listing.pending else listing.attributes
            attributes, issues = self._apply(base, product_type, patches)
            if issues:
                return {"sku": sku, "status": "INVALID", "submissionId": submission, "issues": issues}
            if self.apply_after_reads <= 0:
                listing.attributes, listing.updated = attributes, now_stamp()
            else:
                listing.pending.append((self.apply_after_reads, attributes))
            return {"sku": sku, "status": "ACCEPTED", "submissionId": submission, "issues": []}

    # -- internals ----------------------------------------------------------------------

    def _apply(
        self, base: dict[str, Any], product_type: Any, patches: Any
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        if not isinstance(product_type, str) or not product_type:
            return base, [_issue("90220", "'productType' is required.", [])]
        if not isinstance(patches, list) or not patches:
            return base, [_issue("90220", "'patches' must be a non-empty array.", [])]
        attributes = copy.deepcopy(base)
        issues: list[dict[str, Any]] = []
        for patch in patches:
            op = patch.get("op") if isinstance(patch, Mapping) else None
            path = str(patch.get("path") or "") if isinstance(patch, Mapping) else ""
            name = path.removeprefix("/attributes/")
            if op not in PATCH_OPS or not path.startswith("/attributes/") or not name or "/" in name:
                issues.append(_issue("90220", f"Invalid patch operation {op!r} on path {path!r}.", [name]))
                continue
            assert isinstance(patch, Mapping)
            if op == "delete":
                attributes.pop(name, None)
                continue
            value = patch.get("value")
            if not isinstance(value, list) or not value:
                issues.append(_issue("90220", f"The value of '{name}' must be a non-empty array.", [name]))
                continue
            issues.extend(self._check(name, value))
            attributes[name] = copy.deepcopy(value)
        return attributes, issues

    def _check(self, name: str, value: list[Any]) -> list[dict[str, Any]]:
        problems: list[str] = []
        for entry in value:
            if not isinstance(entry, Mapping):
                problems.append("each value must be an object")
            elif name == "purchasable_offer":
                if entry.get("marketplace_id") != self.marketplace_id:
                    problems.append(f"marketplace_id must be {self.marketplace_id}")
                if entry.get("currency") != self.currency:
                    problems.append(f"currency must be {self.currency} in this marketplace")
                try:
                    amount = entry["our_price"][0]["schedule"][0]["value_with_tax"]
                except (KeyError, IndexError, TypeError):
                    problems.append("our_price[0].schedule[0].value_with_tax is required")
                else:
                    if isinstance(amount, bool) or not isinstance(amount, int | Decimal) or amount < 0:
                        problems.append("value_with_tax must be a non-negative number")
            elif name == "fulfillment_availability":
                qty = entry.get("quantity")
                if isinstance(qty, bool) or not isinstance(qty, int) or qty < 0:
                    problems.append("quantity must be a non-negative integer")
                if entry.get("fulfillment_channel_code") != "DEFAULT":
                    problems.append("fulfillment_channel_code must be DEFAULT for merchant stock")
        return [_issue("4000001", f"'{name}': {p}.", [name]) for p in problems]

    def _public(self, listing: Listing) -> dict[str, Any]:
        attributes = copy.deepcopy(listing.attributes)
        offer: dict[str, Any] = _first(attributes.get("purchasable_offer"))
        stock = _first(attributes.get("fulfillment_availability")).get("quantity", 0)
        price = offer["our_price"][0]["schedule"][0]["value_with_tax"] if offer else None
        status = ["DISCOVERABLE"] + (["BUYABLE"] if price is not None and stock > 0 else [])
        name = _first(attributes.get("item_name")).get("value", listing.sku)
        doc: dict[str, Any] = {
            "sku": listing.sku,
            "summaries": [
                {
                    "marketplaceId": self.marketplace_id,
                    "asin": listing.asin,
                    "productType": listing.product_type,
                    "conditionType": "new_new",
                    "status": status,
                    "itemName": name,
                    "lastUpdatedDate": listing.updated,
                }
            ],
            "attributes": attributes,
            "offers": [],
            "fulfillmentAvailability": [{"fulfillmentChannelCode": "DEFAULT", "quantity": stock}],
        }
        if price is not None:
            doc["offers"] = [
                {
                    "marketplaceId": self.marketplace_id,
                    "offerType": "B2C",
                    "price": {"currencyCode": self.currency, "amount": str(price)},
                }
            ]
        return doc


def _first(values: Any) -> dict[str, Any]:
    first = values[0] if isinstance(values, list) and values else None
    return first if isinstance(first, dict) else {}


def _issue(code: str, message: str, names: list[str]) -> dict[str, Any]:
    return {"code": code, "message": message, "severity": "ERROR", "attributeNames": names}
