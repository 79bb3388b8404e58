"""The sandbox's Sell Inventory emulation: OAuth, the 25-entry limit, 207 answers, the revision cap, faults."""

from __future__ import annotations

import base64
import json
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from oneprice.domain.catalog import Catalog, Product
from oneprice.domain.money import Money
from sandbox.ebay import SCOPE_INVENTORY, EbaySeller
from sandbox.ebay_api import EbayEmulation
from sandbox.server import Request, Response, Router

CREDS = {"client_id": "app-id", "client_secret": "cert-id", "refresh_token": "v^1.1#r"}
API = "/ebay/us/sell/inventory/v1/"
BULK = API + "bulk_update_price_quantity"


@pytest.fixture
def day() -> list[date]:
    return [date(2026, 11, 27)]


@pytest.fixture
def seller(day: list[date]) -> EbaySeller:
    return EbaySeller("us", CREDS, revisions_per_day=3, today=lambda: day[0])


@pytest.fixture
def router(seller: EbaySeller) -> Router:
    r = Router()
    EbayEmulation({"us": seller}, clock=lambda: 0.0).install(r)
    return r


def call(router: Router, method: str, url: str, body: Any = None, headers: dict[str, str] | None = None) -> Response:
    parts = urlsplit(url)
    raw = body if isinstance(body, bytes) else json.dumps(body).encode() if body is not None else b""
    return router.dispatch(Request(method, parts.path, parse_qs(parts.query), headers or {}, raw))


def doc(response: Response) -> Any:
    return json.loads(response.body)


def token(router: Router, secret: str = CREDS["client_secret"], scope: str = SCOPE_INVENTORY) -> Response:
    basic = base64.b64encode(f"app-id:{secret}".encode()).decode()
    form = urlencode({"grant_type": "refresh_token", "refresh_token": "v^1.1#r", "scope": scope}).encode()
    return call(router, "POST", "/ebay/identity/v1/oauth2/token", form, {"Authorization": f"Basic {basic}"})


def bearer(router: Router) -> dict[str, str]:
    return {"Authorization": "Bearer " + doc(token(router))["access_token"]}


def entry(sku: str, offer_id: str, value: Any = "12.34", qty: int = 2) -> dict[str, Any]:
    return {
        "sku": sku,
        "shipToLocationAvailability": {"quantity": qty},
        "offers": [{"offerId": offer_id, "availableQuantity": qty, "price": {"value": value, "currency": "USD"}}],
    }


def test_token_endpoint_checks_basic_auth_grant_and_scope(router: Router, seller: EbaySeller) -> None:
    assert doc(token(router))["token_type"] == "User Access Token"
    assert doc(token(router, secret="wrong"))["error"] == "invalid_grant"
    assert doc(token(router, scope="https://api.ebay.com/oauth/api_scope"))["error"] == "invalid_scope"
    assert seller.token_requests == 1


def test_calls_need_a_bearer_token(router: Router, seller: EbaySeller) -> None:
    refused = call(router, "GET", API + "inventory_item")
    assert refused.status == 401 and doc(refused)["errors"][0]["errorId"] == 1001
    headers = bearer(router)
    assert call(router, "GET", API + "inventory_item", headers=headers).status == 200
    seller.expire_tokens()
    assert call(router, "GET", API + "inventory_item", headers=headers).status == 401


def test_items_page_and_offers(router: Router, seller: EbaySeller) -> None:
    ids = [seller.add_listing(f"S{i}", f"Item {i}", Decimal("5"), i) for i in range(3)]
    headers = bearer(router)
    page = doc(call(router, "GET", API + "inventory_item?limit=2&offset=0", headers=headers))
    assert [i["sku"] for i in page["inventoryItems"]] == ["S0", "S1"] and page["total"] == 3 and page["next"]
    last = doc(call(router, "GET", API + "inventory_item?limit=2&offset=2", headers=headers))
    assert [i["sku"] for i in last["inventoryItems"]] == ["S2"] and "next" not in last
    offers = doc(call(router, "GET", API + "offer?sku=S1&marketplace_id=EBAY_US", headers=headers))["offers"]
    assert offers[0]["offerId"] == ids[1] and offers[0]["pricingSummary"]["price"] == {
        "value": "5.00",
        "currency": "USD",
    }
    assert call(router, "GET", API + "offer?sku=NOPE", headers=headers).status == 404
    assert call(router, "GET", API + "inventory_item/NOPE", headers=headers).status == 404
    assert call(router, "GET", API + "inventory_item?limit=500", headers=headers).status == 400


def test_bulk_update_sets_both_quantities_and_price(router: Router, seller: EbaySeller) -> None:
    oid = seller.add_listing("S1", "Tent", Decimal("5"), 9)
    answer = call(router, "POST", BULK, {"requests": [entry("S1", oid, "12.34", 3)]}, bearer(router))
    assert answer.status == 200
    assert doc(answer) == {"responses": [{"statusCode": 200, "sku": "S1", "offerId": oid}]}
    assert (seller.items["S1"].quantity, seller.offers[oid].quantity, seller.offers[oid].price) == (
        3,
        3,
        Decimal("12.34"),
    )
    assert seller.write_requests == 1


def test_partial_failure_answers_207(router: Router, seller: EbaySeller) -> None:
    oid = seller.add_listing("S1", "Tent", Decimal("5"), 9)
    other = seller.add_listing("S2", "Pack", Decimal("5"), 9)
    body = {
        "requests": [
            entry("S1", oid),
            entry("S2", oid),  # S1's offer under S2
            entry("NOPE", "1"),
            entry("S2", other, 12.5),  # a number, not a decimal string
        ]
    }
    answer = call(router, "POST", BULK, body, bearer(router))
    assert answer.status == 207
    codes = [(r["sku"], r["statusCode"], r.get("errors", [{}])[0].get("errorId")) for r in doc(answer)["responses"]]
    assert codes == [("S1", 200, None), ("S2", 404, 25713), ("NOPE", 404, 25710), ("S2", 400, 25021)]
    assert seller.offers[other].price == Decimal("5")


def test_more_than_25_entries_is_refused_whole(router: Router, seller: EbaySeller) -> None:
    ids = [seller.add_listing(f"S{i}", "x", Decimal("1"), 1) for i in range(26)]
    answer = call(router, "POST", BULK, {"requests": [entry(f"S{i}", o) for i, o in enumerate(ids)]}, bearer(router))
    assert answer.status == 400 and doc(answer)["errors"][0]["errorId"] == 25709
    assert all(seller.offers[o].price == Decimal("1") for o in ids)


def test_revision_cap_per_listing_per_day(router: Router, seller: EbaySeller, day: list[date]) -> None:
    oid = seller.add_listing("S1", "Tent", Decimal("5"), 9)
    headers = bearer(router)
    statuses = [call(router, "POST", BULK, {"requests": [entry("S1", oid)]}, headers).status for _ in range(4)]
    assert statuses == [200, 200, 200, 207]
    day[0] = date(2026, 11, 28)
    assert call(router, "POST", BULK, {"requests": [entry("S1", oid)]}, headers).status == 200


def test_fail_next(router: Router, seller: EbaySeller) -> None:
    headers = bearer(router)
    seller.fail_next(429, retry_after=3)
    throttled = call(router, "GET", API + "inventory_item", headers=headers)
    assert (throttled.status, throttled.headers["Retry-After"]) == (429, "3")
    assert call(router, "GET", API + "inventory_item", headers=headers).status == 200
    assert seller.read_requests == 2


def test_seed_catalog_lists_the_channels_products(seller: EbaySeller) -> None:
    def product(sku: str, currency: str = "USD", **kw: Any) -> Product:
        return Product(sku=sku, name=f"N {sku}", unified_price=Money.of("9.5", currency), stock=2, **kw)

    EbayEmulation({"us": seller}).seed_catalog(
        Catalog(
            products=(product("A"), product("B", "CNY"), product("C", status="inactive"), product("D", channels=("x",)))
        )
    )
    assert sorted(seller.items) == ["A", "B"]
    a, b = seller.offer_of("A"), seller.offer_of("B")
    assert a is not None and b is not None
    assert (a.price, b.price, a.quantity) == (Decimal("9.50"), None, 2)


def test_seed_catalog_lists_overridden_products_at_their_price_and_short_in_stock(seller: EbaySeller) -> None:
    cny = Product(sku="A", name="N", unified_price=Money.of("99", "CNY"), stock=5)
    seller.seed_catalog([cny], "us", {"A": Decimal("14.99")})
    offer = seller.offer_of("A")
    assert offer is not None and (offer.price, offer.quantity) == (Decimal("14.99"), 3)
