"""In-memory stores shared by the Taobao, JD, Pinduoduo and Youzan emulations: items, SKUs, counters, faults.

Items are seeded from the catalog (they cannot be created through the price APIs); prices are Decimal yuan.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from itertools import groupby
from typing import Literal

from oneprice.domain.catalog import Catalog, Product
from oneprice.settings.models import ChannelSettings

FaultKind = Literal["throttle", "unavailable"]


@dataclass
class CnSku:
    sku_id: int
    outer_id: str
    price: Decimal
    quantity: int
    props: list[tuple[str, str]] = field(default_factory=list)
    onsale: bool = True
    group_price: Decimal | None = None
    """Pinduoduo's group-buy price (the single-buy price is `price`)."""
    modified: str = ""


@dataclass
class CnItem:
    item_id: int
    title: str
    skus: list[CnSku]
    onsale: bool = True
    modified: str = ""


@dataclass(frozen=True)
class Fault:
    """An injected answer for the next request: a throttle for `seconds`, or the platform being down."""

    kind: FaultKind
    seconds: int = 0


def stamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")


class CnShop:
    """One emulated store: its credentials, items, request counters, faults and call budget.

    `requests` lists the API names received (refused ones included); `write_requests`
    counts the writes among them. `budget` calls per `window` seconds are answered, the
    next ones throttled until the window ends (None: no budget).
    """

    def __init__(
        self,
        name: str,
        credentials: dict[str, str],
        *,
        currency: str = "CNY",
        budget: int | None = None,
        window: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.name = name
        self.credentials = credentials
        self.currency = currency
        self.budget = budget
        self.window = window
        self.clock = clock
        self.lock = threading.RLock()
        self.items: dict[int, CnItem] = {}
        self.requests: list[str] = []
        self.read_requests = 0
        self.write_requests = 0
        self.throttled = 0
        """Requests answered with the platform's throttle error (injected or over budget)."""
        self._faults: deque[Fault] = deque()
        self._window_start = clock()
        self._window_calls = 0
        self._next_item = 1001
        self._next_sku = 5001

    # -- test and demo controls -------------------------------------------------------

    def throttle_next(self, seconds: int, count: int = 1) -> None:
        """Answer the next `count` requests with the platform's throttle error, ban `seconds` long."""
        with self.lock:
            self._faults.extend(Fault("throttle", seconds) for _ in range(count))

    def fail_next(self, count: int = 1) -> None:
        """Answer the next `count` requests with the platform's "temporarily unavailable" error."""
        with self.lock:
            self._faults.extend(Fault("unavailable") for _ in range(count))

    def set_budget(self, calls: int | None, window: float = 1.0, clock: Callable[[], float] | None = None) -> None:
        """Answer `calls` requests per `window` seconds, throttle the rest (None: no budget)."""
        with self.lock:
            self.budget, self.window = calls, window
            if clock is not None:
                self.clock = clock
            self._window_start, self._window_calls = self.clock(), 0

    def reset_counters(self) -> None:
        with self.lock:
            self.requests.clear()
            self.read_requests = self.write_requests = self.throttled = 0
            self._faults.clear()

    def add_item(self, title: str, skus: Sequence[tuple[str, Decimal, int, list[tuple[str, str]]]]) -> CnItem:
        """Put an item on the store (as the seller would in the seller center); not counted."""
        with self.lock:
            now = stamp()
            item = CnItem(self._next_item, title, [], modified=now)
            self._next_item += 1
            for outer_id, price, quantity, props in skus:
                item.skus.append(CnSku(self._next_sku, outer_id, price, quantity, list(props), modified=now))
                self._next_sku += 1
            self.items[item.item_id] = item
            return item

    def seed_catalog(self, products: Iterable[Product]) -> None:
        """One item per catalog model (parent SKU), one SKU per product, some a little off the catalog.

        Every third SKU is listed ¥20 below its unified price, every third with 3 too few in
        stock, so the first sync has something to correct.
        """
        listed = [p for p in products if p.status == "active" and (not p.channels or self.name in p.channels)]
        listed.sort(key=lambda p: (p.parent_sku or p.sku, p.sku))
        n = 0
        for _, group in groupby(listed, key=lambda p: p.parent_sku or p.sku):
            members = list(group)
            title, props = split_names([p.name for p in members])
            skus = []
            for product, values in zip(members, props, strict=True):
                price, stock = product.unified_price.amount, product.stock
                if n % 3 == 0:
                    price = max(price - 20, Decimal("0.01"))
                elif n % 3 == 1:
                    stock = max(stock - 3, 0)
                n += 1
                skus.append((product.sku, price, stock, values))
            self.add_item(title, skus)

    # -- what the HTTP layer calls ------------------------------------------------------

    def record(self, api: str, *, write: bool) -> Fault | None:
        """Count one request; return the fault to answer with (injected, or the budget spent)."""
        with self.lock:
            self.requests.append(api)
            if write:
                self.write_requests += 1
            else:
                self.read_requests += 1
            if self._faults:
                fault = self._faults.popleft()
                self.throttled += fault.kind == "throttle"
                return fault
            if self.budget is None:
                return None
            now = self.clock()
            if now - self._window_start >= self.window:
                self._window_start, self._window_calls = now, 0
            self._window_calls += 1
            if self._window_calls > self.budget:
                self.throttled += 1
                return Fault("throttle", max(math.ceil(self._window_start + self.window - now), 1))
            return None

    def find_sku(self, item_id: int, *, sku_id: int | None = None, outer_id: str | None = None) -> CnSku | None:
        item = self.items.get(item_id)
        if item is None:
            return None
        for sku in item.skus:
            if (sku_id is not None and sku.sku_id == sku_id) or (outer_id is not None and sku.outer_id == outer_id):
                return sku
        return None

    def sku_anywhere(self, sku_id: int) -> tuple[CnItem, CnSku] | None:
        for item in self.items.values():
            for sku in item.skus:
                if sku.sku_id == sku_id:
                    return item, sku
        return None

    def touch(self, item: CnItem, sku: CnSku | None = None) -> str:
        now = stamp()
        item.modified = now
        if sku is not None:
            sku.modified = now
        return now


def split_names(names: Sequence[str]) -> tuple[str, list[list[tuple[str, str]]]]:
    """A title shared by one model's names and each name's remaining words as properties.

    `["山屿 冲锋衣 黑 M", "山屿 冲锋衣 红 L"]` -> `("山屿 冲锋衣", [[("颜色", "黑"), ("尺码", "M")], ...])`.
    """
    words = [n.split() for n in names]
    common = 0
    if len(words) > 1:
        while all(len(w) > common + 1 for w in words) and len({w[common] for w in words}) == 1:
            common += 1
    else:
        common = len(words[0])
    title = " ".join(words[0][:common])
    labels = ("颜色", "尺码", "规格", "款式")
    props = [[(labels[min(k, len(labels) - 1)], value) for k, value in enumerate(w[common:])] for w in words]
    return title, props


def shops_from(
    channels: Sequence[ChannelSettings], *, budget: int | None = None, window: float = 1.0
) -> dict[str, CnShop]:
    """One shop per channel, with the channel's resolved credentials."""
    return {
        c.name: CnShop(
            c.name,
            {k: v.get_secret_value() for k, v in c.credentials.items()},
            currency=c.currency,
            budget=budget,
            window=window,
        )
        for c in channels
    }


def seed_shops(shops: dict[str, CnShop], catalog: Catalog) -> None:
    for shop in shops.values():
        shop.seed_catalog(catalog.products)
