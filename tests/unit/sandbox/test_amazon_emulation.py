"""The sandbox's SP-API emulation: LWA tokens, auth, JSON Patch, delayed apply, the 5 rps bucket, faults."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from oneprice.domain.catalog import Catalog, Product
from oneprice.domain.money import Money
from sandbox.amazon import AmazonSeller, TokenBucket
from sandbox.amazon_api import AmazonEmulation
from sandbox.server import Request, Response, Router

MARKET = "ATVPDKIKX0DER"
CREDS = {"lwa_client_id": "cid", "lwa_client_secret": "csecret", "refresh_token": "Atzr|r", "seller_id": "A1S"}
ITEMS = "/amazon/us/listings/2021-08-01/items/A1S"


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def seller(clock: Clock) -> AmazonSeller:
    return AmazonSeller("us", CREDS, marketplace_id=MARKET, currency="USD", bucket=TokenBucket(5.0, 5, clock))


@pytest.fixture
def router(seller: AmazonSeller, clock: Clock) -> Router:
    r = Router()
    AmazonEmulation({"us": seller}, clock).install(r)
    return r


def call(router: Router, method: str, url: str, body: Any = None, headers: dict[str, str] | None = None) -> Response:
    parts = urlsplit(url)
    raw = body if isinstance(body, bytes) else json.dumps(body).encode() if body is not None else b""
    request = Request(method, parts.path, parse_qs(parts.query, keep_blank_values=True), headers or {}, raw)
    return router.dispatch(request)


def doc(response: Response) -> Any:
    return json.loads(response.body, parse_float=Decimal)


def token(router: Router, **form: str) -> Response:
    fields = {"grant_type": "refresh_token", "client_id": "cid", "client_secret": "csecret", "refresh_token": "Atzr|r"}
    return call(router, "POST", "/amazon/auth/o2/token", urlencode({**fields, **form}).encode())


def auth(router: Router) -> dict[str, str]:
    return {"x-amz-access-token": doc(token(router))["access_token"]}


def patch_body(price: str = "12.30", qty: int = 3) -> bytes:
    """A PATCH body written by hand, so the price is a JSON number exactly as given."""
    offer = (
        f'{{"marketplace_id": "{MARKET}", "currency": "USD", '
        f'"our_price": [{{"schedule": [{{"value_with_tax": {price}}}]}}]}}'
    )
    stock = f'{{"fulfillment_channel_code": "DEFAULT", "quantity": {qty}}}'
    return (
        '{"productType": "PRODUCT", "patches": ['
        f'{{"op": "replace", "path": "/attributes/purchasable_offer", "value": [{offer}]}}, '
        f'{{"op": "replace", "path": "/attributes/fulfillment_availability", "value": [{stock}]}}]}}'
    ).encode()


def test_token_endpoint_checks_the_app_and_refresh_token(router: Router, seller: AmazonSeller) -> None:
    ok = token(router)
    assert ok.status == 200 and doc(ok)["expires_in"] == 3600
    assert token(router, client_secret="nope").status == 401
    assert token(router, refresh_token="Atzr|other").status == 401
    assert token(router, grant_type="client_credentials").status == 400
    assert seller.token_requests == 1


def test_calls_need_a_valid_token_the_seller_and_the_marketplace(router: Router, seller: AmazonSeller) -> None:
    q = f"?marketplaceIds={MARKET}"
    assert doc(call(router, "GET", ITEMS + q))["errors"][0]["code"] == "Unauthorized"
    headers = auth(router)
    assert call(router, "GET", ITEMS + q, headers=headers).status == 200
    assert call(router, "GET", "/amazon/us/listings/2021-08-01/items/OTHER" + q, headers=headers).status == 403
    assert call(router, "GET", ITEMS, headers=headers).status == 400
    seller.expire_tokens()
    assert call(router, "GET", ITEMS + q, headers=headers).status == 403
    assert seller.read_requests == 5


def test_patch_is_applied_and_read_back_as_numbers(router: Router, seller: AmazonSeller) -> None:
    seller.add_listing("S1", "Jacket", Decimal("10.00"), 1)
    headers = auth(router)
    answer = doc(call(router, "PATCH", f"{ITEMS}/S1?marketplaceIds={MARKET}", patch_body("1299.10", 4), headers))
    assert answer["status"] == "ACCEPTED" and answer["issues"] == []
    item = call(router, "GET", f"{ITEMS}/S1?marketplaceIds={MARKET}", headers=headers)
    assert b'"value_with_tax": 1299.10' in item.body
    got = doc(item)
    assert got["offers"][0]["price"] == {"currencyCode": "USD", "amount": "1299.10"}
    assert got["fulfillmentAvailability"] == [{"fulfillmentChannelCode": "DEFAULT", "quantity": 4}]
    assert got["summaries"][0]["status"] == ["DISCOVERABLE", "BUYABLE"]
    assert seller.write_requests == 1


def test_applied_after_n_reads(router: Router, seller: AmazonSeller) -> None:
    seller.add_listing("S1", "Jacket", Decimal("10.00"), 1)
    seller.apply_after_reads = 2
    headers = auth(router)
    call(router, "PATCH", f"{ITEMS}/S1?marketplaceIds={MARKET}", patch_body("11.00"), headers)
    prices = [
        doc(call(router, "GET", f"{ITEMS}/S1?marketplaceIds={MARKET}", headers=headers))["offers"][0]["price"]["amount"]
        for _ in range(3)
    ]
    assert prices == ["10.00", "11.00", "11.00"]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b'{"productType": "PRODUCT", "patches": []}', "90220"),
        (b'{"patches": [{"op": "replace", "path": "/attributes/x", "value": [{}]}]}', "90220"),
        (b'{"productType": "P", "patches": [{"op": "move", "path": "/attributes/x", "value": [{}]}]}', "90220"),
        (patch_body("-1"), "4000001"),
        (patch_body("12.30").replace(b'"USD"', b'"EUR"'), "4000001"),
        (patch_body("12.30").replace(b"12.30", b'"12.30"'), "4000001"),
        (patch_body("1", 3).replace(b'"quantity": 3', b'"quantity": 1.5'), "4000001"),
    ],
)
def test_invalid_patches_answer_invalid_with_issues(
    router: Router, seller: AmazonSeller, body: bytes, code: str
) -> None:
    seller.add_listing("S1", "Jacket", Decimal("10.00"), 1)
    answer = doc(call(router, "PATCH", f"{ITEMS}/S1?marketplaceIds={MARKET}", body, auth(router)))
    assert answer["status"] == "INVALID"
    assert answer["issues"][0]["code"] == code and answer["issues"][0]["severity"] == "ERROR"
    assert seller.applied("S1")["purchasable_offer"][0]["our_price"][0]["schedule"][0]["value_with_tax"] == Decimal(
        "10.00"
    )


def test_delete_op_removes_the_attribute(router: Router, seller: AmazonSeller) -> None:
    seller.add_listing("S1", "Jacket", Decimal("10.00"), 1)
    body = b'{"productType": "P", "patches": [{"op": "delete", "path": "/attributes/purchasable_offer"}]}'
    assert doc(call(router, "PATCH", f"{ITEMS}/S1?marketplaceIds={MARKET}", body, auth(router)))["status"] == "ACCEPTED"
    assert "purchasable_offer" not in seller.applied("S1")


def test_unknown_sku_and_put(router: Router) -> None:
    headers = auth(router)
    answer = doc(call(router, "PATCH", f"{ITEMS}/NOPE?marketplaceIds={MARKET}", patch_body(), headers))
    assert answer["status"] == "INVALID" and answer["issues"][0]["code"] == "4000004"
    assert call(router, "GET", f"{ITEMS}/NOPE?marketplaceIds={MARKET}", headers=headers).status == 404
    assert call(router, "PUT", f"{ITEMS}/NOPE?marketplaceIds={MARKET}", patch_body(), headers).status == 400


def test_patch_bucket_is_5_per_second_burst_5(router: Router, seller: AmazonSeller, clock: Clock) -> None:
    seller.add_listing("S1", "Jacket", Decimal("10.00"), 1)
    headers = auth(router)
    url = f"{ITEMS}/S1?marketplaceIds={MARKET}"
    statuses = [call(router, "PATCH", url, patch_body(), headers).status for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    refused = call(router, "PATCH", url, patch_body(), headers)
    assert doc(refused)["errors"][0]["code"] == "QuotaExceeded"
    assert refused.headers["x-amzn-RateLimit-Limit"] == "5.0"
    assert call(router, "GET", url, headers=headers).status == 200  # reads are not in the PATCH bucket
    clock.now += 0.2
    assert call(router, "PATCH", url, patch_body(), headers).status == 200
    assert call(router, "PATCH", url, patch_body(), headers).status == 429


def test_fail_next_and_counters(router: Router, seller: AmazonSeller) -> None:
    headers = auth(router)
    seller.fail_next(429, retry_after=7)
    seller.fail_next(503)
    q = f"?marketplaceIds={MARKET}"
    first, second = call(router, "GET", ITEMS + q, headers=headers), call(router, "GET", ITEMS + q, headers=headers)
    assert (first.status, first.headers["Retry-After"], second.status) == (429, "7", 503)
    assert call(router, "GET", ITEMS + q, headers=headers).status == 200
    assert seller.read_requests == 3 and len(seller.requests) == 3


def test_search_pages_and_seed_catalog(router: Router, seller: AmazonSeller) -> None:
    def product(sku: str, currency: str = "USD", **kw: Any) -> Product:
        return Product(sku=sku, name=sku, unified_price=Money.of("9.5", currency), stock=2, **kw)

    emulation = AmazonEmulation({"us": seller})
    products = [product(f"P{i}") for i in range(3)]
    products += [product("CNY1", "CNY"), product("OFF", status="inactive"), product("ELSE", channels=("other",))]
    emulation.seed_catalog(Catalog(products=tuple(products)))
    assert sorted(seller.listings) == ["CNY1", "P0", "P1", "P2"]
    headers = auth(router)
    page1 = doc(call(router, "GET", f"{ITEMS}?marketplaceIds={MARKET}&pageSize=3", headers=headers))
    token_ = page1["pagination"]["nextToken"]
    page2 = doc(call(router, "GET", f"{ITEMS}?marketplaceIds={MARKET}&pageSize=3&pageToken={token_}", headers=headers))
    assert [i["sku"] for i in page1["items"] + page2["items"]] == ["CNY1", "P0", "P1", "P2"]
    assert page2["pagination"] == {}
    assert page1["items"][0]["offers"] == []  # a CNY price is not offered in a USD marketplace
    assert page1["items"][1]["offers"][0]["price"]["amount"] == "9.50"
    assert call(router, "GET", f"{ITEMS}?marketplaceIds={MARKET}&pageSize=21", headers=headers).status == 400


def test_from_channels_seeds_overridden_products(seller: AmazonSeller) -> None:
    from oneprice.settings.models import ChannelSettings

    channel = ChannelSettings.model_validate(
        {
            "name": "us",
            "kind": "amazon",
            "base_url": "http://127.0.0.1:8700/amazon/us",
            "currency": "USD",
            "credentials": CREDS,
            "options": {"marketplace_id": MARKET},
            "overrides": {"J": {"price": "24.99", "reason": "US list price"}},
        }
    )
    emulation = AmazonEmulation.from_channels([channel])
    emulation.seed_catalog(
        Catalog(products=(Product(sku="J", name="J", unified_price=Money.of("169", "CNY"), stock=8),))
    )
    attributes = emulation.seller("us").applied("J")
    assert attributes["purchasable_offer"][0]["our_price"][0]["schedule"][0]["value_with_tax"] == Decimal("24.99")
    assert attributes["fulfillment_availability"][0]["quantity"] == 6
