"""In-memory state of emulated eBay sellers (Sell Inventory API): inventory items, offers, revisions.

Quantity lives on the item (`shipToLocationAvailability`) and on the offer; each listing takes at
most `revisions_per_day` revisions per UTC day; `bulk_update_price_quantity` takes `batch_limit` entries.
"""

from __future__ import annotations

import hmac
import itertools
import re
import secrets
import threading
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from oneprice.domain.catalog import Product

SCOPE_INVENTORY = "https://api.ebay.com/oauth/api_scope/sell.inventory"
TOKEN_LIFETIME = 7200
BATCH_LIMIT = 25
REVISIONS_PER_DAY = 250
_PRICE_RE = re.compile(r"^\d+(\.\d{1,2})?$")


@dataclass
class Offer:
    offer_id: str
    sku: str
    price: Decimal | None
    quantity: int
    status: str = "PUBLISHED"


@dataclass
class Item:
    sku: str
    title: str
    quantity: int


@dataclass(frozen=True)
class Fault:
    status: int
    retry_after: int | None = None


class EbayError(Exception):
    """One eBay REST error: `{errorId, domain, category, message}` with an HTTP status."""

    def __init__(self, status: int, error_id: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.error_id = error_id
        self.message = message

    def entry(self) -> dict[str, Any]:
        return {"errorId": self.error_id, "domain": "API_INVENTORY", "category": "REQUEST", "message": self.message}


def not_found(what: str) -> EbayError:
    return EbayError(404, 25710, f"We didn't find the {what} you are requesting.")


class EbaySeller:
    """One seller in one marketplace, with the app's keys and the seller's refresh token.

    `requests` lists (method, path) of every Inventory API call; `write_requests` counts the
    POSTs; `revisions` holds today's revision count per SKU.
    """

    def __init__(
        self,
        name: str,
        credentials: Mapping[str, str],
        *,
        marketplace_id: str = "EBAY_US",
        currency: str = "USD",
        batch_limit: int = BATCH_LIMIT,
        revisions_per_day: int = REVISIONS_PER_DAY,
        today: Callable[[], date] = lambda: datetime.now(UTC).date(),
    ) -> None:
        self.name = name
        self.client_id = credentials.get("client_id", "")
        self.client_secret = credentials.get("client_secret", "")
        self.refresh_token = credentials.get("refresh_token", "")
        self.marketplace_id = marketplace_id
        self.currency = currency
        self.batch_limit = batch_limit
        self.revisions_per_day = revisions_per_day
        self.today = today
        self.lock = threading.RLock()
        self.items: dict[str, Item] = {}
        self.offers: dict[str, Offer] = {}
        self.tokens: dict[str, float] = {}
        self.revisions: dict[str, int] = {}
        self._revision_day: date | None = None
        self.requests: list[tuple[str, str]] = []
        self.read_requests = 0
        self.write_requests = 0
        self.token_requests = 0
        self._faults: deque[Fault] = deque()
        self._offer_ids = itertools.count(5000000001)

    # -- test and demo controls -----------------------------------------------------

    def fail_next(self, status: int, count: int = 1, *, retry_after: int | None = None) -> None:
        with self.lock:
            self._faults.extend(Fault(status, retry_after) for _ in range(count))

    def add_listing(self, sku: str, title: str, price: Decimal | None, quantity: int) -> str:
        """An inventory item with a published offer, as the seller made it (not counted); the offerId."""
        with self.lock:
            self.items[sku] = Item(sku, title, quantity)
            offer_id = str(next(self._offer_ids))
            self.offers[offer_id] = Offer(offer_id, sku, price, quantity)
            return offer_id

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

    def spend_revisions(self, sku: str, count: int) -> None:
        """Count `count` revisions of `sku` today, as if made elsewhere (e.g. in Seller Hub)."""
        with self.lock:
            self._roll_day()
            self.revisions[sku] = self.revisions.get(sku, 0) + count

    def offer_of(self, sku: str) -> Offer | None:
        with self.lock:
            return next((o for o in self.offers.values() if o.sku == sku), None)

    # -- what the HTTP layer calls ------------------------------------------------------

    def record(self, method: str, path: str) -> Fault | None:
        with self.lock:
            self.requests.append((method, path))
            if method == "GET":
                self.read_requests += 1
            else:
                self.write_requests += 1
            return self._faults.popleft() if self._faults else None

    def issue_token(self, client_id: str, client_secret: str, refresh_token: str, now: float) -> str | None:
        pairs = ((client_id, self.client_id), (client_secret, self.client_secret), (refresh_token, self.refresh_token))
        if not all(b and hmac.compare_digest(a.encode(), b.encode()) for a, b in pairs):
            return None
        token = "v^1.1#i^1#" + secrets.token_urlsafe(24)
        with self.lock:
            self.token_requests += 1
            self.tokens[token] = now + TOKEN_LIFETIME
        return token

    def token_ok(self, token: str, now: float) -> bool:
        with self.lock:
            expires = self.tokens.get(token)
            return expires is not None and now < expires

    def expire_tokens(self) -> None:
        with self.lock:
            self.tokens = dict.fromkeys(self.tokens, 0.0)

    def item_doc(self, sku: str) -> dict[str, Any]:
        with self.lock:
            item = self.items.get(sku)
            if item is None:
                raise not_found("inventory item")
            return {
                "sku": item.sku,
                "locale": "en_US",
                "condition": "NEW",
                "product": {"title": item.title},
                "availability": {"shipToLocationAvailability": {"quantity": item.quantity}},
            }

    def skus(self) -> list[str]:
        with self.lock:
            return sorted(self.items)

    def offer_docs(self, sku: str) -> list[dict[str, Any]]:
        with self.lock:
            return [self._offer_doc(o) for o in self.offers.values() if o.sku == sku]

    def _offer_doc(self, o: Offer) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "offerId": o.offer_id,
            "sku": o.sku,
            "marketplaceId": self.marketplace_id,
            "format": "FIXED_PRICE",
            "availableQuantity": o.quantity,
            "status": o.status,
            "listing": {"listingId": "11" + o.offer_id[-10:], "listingStatus": "ACTIVE"},
        }
        if o.price is not None:
            doc["pricingSummary"] = {"price": {"value": f"{o.price:.2f}", "currency": self.currency}}
        return doc

    def bulk_update(self, body: Any) -> tuple[int, dict[str, Any]]:
        """Apply each entry on its own: (200 or 207, {responses: [...]}); a malformed request raises."""
        requests = body.get("requests") if isinstance(body, Mapping) else None
        if not isinstance(requests, list) or not requests:
            raise EbayError(400, 25709, "Invalid value for requests: one or more entries are required.")
        if len(requests) > self.batch_limit:
            raise EbayError(400, 25709, f"Invalid value for requests: at most {self.batch_limit} entries per call.")
        responses: list[dict[str, Any]] = []
        with self.lock:
            self._roll_day()
            for entry in requests:
                responses.extend(self._entry(entry))
        status = 200 if all(r["statusCode"] == 200 for r in responses) else 207
        return status, {"responses": responses}

    # -- internals ----------------------------------------------------------------------

    def _roll_day(self) -> None:
        day = self.today()
        if day != self._revision_day:
            self._revision_day, self.revisions = day, {}

    def _entry(self, entry: Any) -> list[dict[str, Any]]:
        sku = str(entry.get("sku") or "") if isinstance(entry, Mapping) else ""
        offers = (entry.get("offers") or []) if isinstance(entry, Mapping) else []
        if not isinstance(offers, list):
            offers = [None]
        ids: list[str | None] = [str(o.get("offerId") or "") if isinstance(o, Mapping) else "" for o in offers]
        ids = ids or [None]

        def fail(err: EbayError) -> list[dict[str, Any]]:
            return [
                {"statusCode": err.status, "sku": sku, **({"offerId": i} if i else {}), "errors": [err.entry()]}
                for i in ids
            ]

        if sku not in self.items:
            return fail(not_found("inventory item"))
        if self.revisions.get(sku, 0) >= self.revisions_per_day:
            return fail(
                EbayError(400, 25001, f"This listing was revised {self.revisions_per_day} times today; try tomorrow.")
            )
        try:
            changes = self._validate(sku, entry, offers)
        except EbayError as err:
            return fail(err)
        item_qty, offer_changes = changes
        if item_qty is not None:
            self.items[sku].quantity = item_qty
        for offer, price, qty in offer_changes:
            if price is not None:
                offer.price = price
            if qty is not None:
                offer.quantity = qty
        self.revisions[sku] = self.revisions.get(sku, 0) + 1
        return [{"statusCode": 200, "sku": sku, **({"offerId": i} if i else {})} for i in ids]

    def _validate(
        self, sku: str, entry: Mapping[str, Any], offers: list[Any]
    ) -> tuple[int | None, list[tuple[Offer, Decimal | None, int | None]]]:
        ship = entry.get("shipToLocationAvailability")
        item_qty = None
        if ship is not None:
            item_qty = ship.get("quantity") if isinstance(ship, Mapping) else None
            if isinstance(item_qty, bool) or not isinstance(item_qty, int) or item_qty < 0:
                raise EbayError(400, 25604, "shipToLocationAvailability.quantity must be a non-negative integer.")
        changes: list[tuple[Offer, Decimal | None, int | None]] = []
        for o in offers:
            if not isinstance(o, Mapping):
                raise EbayError(400, 25709, "Each offer must be an object.")
            offer = self.offers.get(str(o.get("offerId") or ""))
            if offer is None or offer.sku != sku:
                raise EbayError(404, 25713, "This Offer is not available.")
            price, qty = None, o.get("availableQuantity")
            if qty is not None and (isinstance(qty, bool) or not isinstance(qty, int) or qty < 0):
                raise EbayError(400, 25604, "availableQuantity must be a non-negative integer.")
            if o.get("price") is not None:
                p = o["price"]
                value = p.get("value") if isinstance(p, Mapping) else None
                if not isinstance(value, str) or not _PRICE_RE.match(value):
                    raise EbayError(400, 25021, 'price.value must be a decimal string such as "12.34".')
                if p.get("currency") != self.currency:
                    raise EbayError(400, 25022, f"price.currency must be {self.currency} on this marketplace.")
                price = Decimal(value)
            changes.append((offer, price, qty))
        return item_qty, changes
