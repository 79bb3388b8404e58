"""Fakes for the ShopifyAdapter tests: a scripted GraphQL endpoint on `responses`, variant nodes, a feedback spy."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import responses

from adapters.base import ThrottleStatus
from oneprice.domain.listing import ListingState
from oneprice.domain.money import Money

BASE = "https://brand.myshopify.com"
URL = BASE + "/admin/api/2025-01/graphql.json"
TOKEN = "shpat_test_0123456789abcdef"
LOCATION = "gid://shopify/Location/9"
COST = {
    "requestedQueryCost": 10,
    "actualQueryCost": 10,
    "throttleStatus": {"maximumAvailable": 1000.0, "currentlyAvailable": 990, "restoreRate": 50.0},
}
Answer = Callable[[dict[str, Any]], Any]


def variant(n: int, sku: str, price: str = "1299.00", stock: int = 5, **product: Any) -> dict[str, Any]:
    return {
        "id": f"gid://shopify/ProductVariant/{n}",
        "sku": sku,
        "price": price,
        "inventoryQuantity": stock,
        "updatedAt": "2026-11-11T08:00:00Z",
        "inventoryItem": {"id": f"gid://shopify/InventoryItem/{n + 1}"},
        "product": {
            "id": f"gid://shopify/Product/{n - 1}",
            "title": product.get("title", f"Product {sku}"),
            "status": product.get("status", "ACTIVE"),
            "updatedAt": "2026-11-10T08:00:00Z",
        },
    }


def state(sku: str, price: str = "1299", stock: int = 5, name: str | None = None) -> ListingState:
    return ListingState(sku=sku, name=name or f"Product {sku}", price=Money.of(price, "CNY"), stock=stock)


class Shop:
    """A scripted GraphQL endpoint: answers by operation name, records every body it got."""

    def __init__(self, rsps: responses.RequestsMock) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.answers: dict[str, list[Answer]] = {}
        rsps.add_callback(responses.POST, URL, callback=self._serve)

    def on(self, operation: str, *answers: Answer | dict[str, Any]) -> None:
        for a in answers:
            fn: Answer = a if callable(a) else (lambda body, doc=a: {"data": doc, "extensions": {"cost": COST}})
            self.answers.setdefault(operation, []).append(fn)

    def _serve(self, request: Any) -> tuple[int, dict[str, str], str]:
        body = json.loads(request.body)
        self.bodies.append(body)
        self.headers.append(dict(request.headers))
        queue = self.answers.get(body["operationName"]) or []
        answer = queue.pop(0)(body) if queue else {"errors": [{"message": "unexpected"}]}
        if isinstance(answer, tuple):
            status, doc = answer
            return status, {}, json.dumps(doc)
        return 200, {}, json.dumps(answer)

    @property
    def operations(self) -> list[str]:
        return [b["operationName"] for b in self.bodies]


def page(nodes: list[dict[str, Any]], more: bool = False, cursor: str | None = None) -> dict[str, Any]:
    return {"productVariants": {"nodes": nodes, "pageInfo": {"hasNextPage": more, "endCursor": cursor}}}


class Feedback:
    def __init__(self) -> None:
        self.acquired: list[float] = []
        self.reported: list[ThrottleStatus] = []

    def acquire(self, cost: float = 1.0) -> None:
        self.acquired.append(cost)

    def report(self, status: ThrottleStatus) -> None:
        self.reported.append(status)
