"""The emulated Shopify GraphQL Admin API: cost bucket, Throttled answers, idempotency, userErrors, faults."""

from __future__ import annotations

import json
from typing import Any

import pytest

from adapters.shopify import queries
from oneprice.domain.catalog import Product
from oneprice.domain.money import Money
from oneprice.settings import LoadedConfig
from sandbox import Sandbox
from sandbox.server import Request, Response, Router
from sandbox.shopify import CostBucket, ShopifyShop
from sandbox.shopify_graphql import ShopifyEmulation, ShopifyGraphqlApi

TOKEN = "shpat_sandbox_test"
PATH = "/shopify/us/admin/api/2025-01/graphql.json"
LOCATION = "gid://shopify/Location/1"


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def shop(clock: Clock) -> ShopifyShop:
    return ShopifyShop("us", TOKEN, currency="CNY", capacity=100.0, restore_rate=10.0, clock=clock)


@pytest.fixture
def router(shop: ShopifyShop) -> Router:
    router = Router()
    ShopifyGraphqlApi({"us": shop}).install(router)
    return router


def call(router: Router, operation: str, document: str, variables: dict[str, Any], token: str = TOKEN) -> Response:
    body = json.dumps({"query": document, "variables": variables, "operationName": operation}).encode()
    request = Request("POST", PATH, {}, {"X-Shopify-Access-Token": token}, body)
    return router.dispatch(request)


def doc(response: Response) -> Any:
    return json.loads(response.body)


def seed(shop: ShopifyShop, *skus: str) -> list[dict[str, Any]]:
    return shop.seed(Product(sku=s, name=f"P {s}", unified_price=Money.of("100", "CNY"), stock=4) for s in skus)


def set_stock(router: Router, item: str, qty: int, key: str) -> Response:
    quantities = [{"inventoryItemId": item, "locationId": LOCATION, "quantity": qty}]
    variables = {
        "input": {"name": "available", "reason": "correction", "ignoreCompareQuantity": True, "quantities": quantities},
        "idempotencyKey": key,
    }
    return call(router, "OnepriceSetQuantities", queries.SET_QUANTITIES, variables)


# -- cost bucket ------------------------------------------------------------------------------


def test_bucket_leaks_back_at_the_restore_rate(clock: Clock) -> None:
    bucket = CostBucket(100.0, 10.0, clock)
    assert bucket.take(80) and not bucket.take(30)
    clock.now += 1.0
    assert bucket.available() == pytest.approx(30.0)
    clock.now += 60.0
    assert bucket.available() == 100.0  # never above capacity
    bucket.refund(5)
    assert bucket.status() == {"maximumAvailable": 100.0, "currentlyAvailable": 100.0, "restoreRate": 10.0}


def test_answers_carry_cost_and_refund_the_unused_part(router: Router, shop: ShopifyShop) -> None:
    seed(shop, "A")
    answer = doc(call(router, "OnepriceVariants", queries.VARIANTS, {"first": 50, "after": None, "query": None}))
    cost = answer["extensions"]["cost"]
    assert cost["requestedQueryCost"] == 51 and cost["actualQueryCost"] == 2
    assert cost["throttleStatus"]["currentlyAvailable"] == 98.0


def test_a_call_that_does_not_fit_is_throttled_and_not_applied(router: Router, shop: ShopifyShop, clock: Clock) -> None:
    [variant] = seed(shop, "A")
    shop.bucket.drain(5)
    item = variant["inventoryItem"]["id"]
    response = set_stock(router, item, 9, "k1")
    answer = doc(response)
    assert response.status == 200
    assert answer["errors"] == [{"message": "Throttled", "extensions": {"code": "THROTTLED"}}]
    assert answer["extensions"]["cost"]["requestedQueryCost"] == 10
    assert answer["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"] == 5.0
    assert "data" not in answer and shop.throttled == 1
    assert shop.by_sku("A")[0]["inventoryQuantity"] == 4
    clock.now += 0.5  # (10 - 5) / 10 per second
    assert "errors" not in doc(set_stock(router, item, 9, "k1"))
    assert shop.by_sku("A")[0]["inventoryQuantity"] == 9


# -- idempotency ------------------------------------------------------------------------------


def test_same_key_same_answer_without_applying_twice(router: Router, shop: ShopifyShop) -> None:
    [variant] = seed(shop, "A")
    item = variant["inventoryItem"]["id"]
    first = doc(set_stock(router, item, 7, "key-1"))["data"]
    shop.levels[int(item.rsplit("/", 1)[1])] = 3  # someone sells 4 between the two calls
    again = doc(set_stock(router, item, 7, "key-1"))["data"]
    assert again == first
    assert first["inventorySetQuantities"]["inventoryAdjustmentGroup"]["changes"] == [{"name": "available", "delta": 3}]
    assert shop.by_sku("A")[0]["inventoryQuantity"] == 3  # the replay changed nothing
    assert doc(set_stock(router, item, 7, "key-2"))["data"]["inventorySetQuantities"]["userErrors"] == []
    assert shop.by_sku("A")[0]["inventoryQuantity"] == 7


def test_a_key_reused_with_other_input_is_an_error(router: Router, shop: ShopifyShop) -> None:
    [variant] = seed(shop, "A")
    set_stock(router, variant["inventoryItem"]["id"], 7, "key-1")
    answer = doc(set_stock(router, variant["inventoryItem"]["id"], 8, "key-1"))
    assert answer["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED"


# -- userErrors -------------------------------------------------------------------------------


def test_bulk_update_user_errors_with_partial_updates(router: Router, shop: ShopifyShop) -> None:
    a, b = seed(shop, "A", "B")
    variables = {
        "productId": a["product"]["id"],
        "variants": [
            {"id": a["id"], "price": "88.00"},
            {"id": a["id"], "price": "-1"},
            {"id": b["id"], "price": "5.00"},  # a variant of another product
            {"id": a["id"], "inventoryQuantities": [{"locationId": LOCATION, "availableQuantity": 1}]},
        ],
    }
    answer = doc(call(router, "OnepriceVariantsUpdate", queries.VARIANTS_UPDATE, variables))
    result = answer["data"]["productVariantsBulkUpdate"]
    assert [(e["field"], e["code"]) for e in result["userErrors"]] == [
        (["variants", "1", "price"], "INVALID_INPUT"),
        (["variants", "2", "id"], "PRODUCT_VARIANT_DOES_NOT_EXIST"),
        (["variants", "3", "inventoryQuantities"], "NO_INVENTORY_QUANTITIES_ON_VARIANTS_UPDATE"),
    ]
    assert shop.by_sku("A")[0]["price"] == "88.00" and shop.by_sku("B")[0]["price"] == "100.00"


def test_unknown_product_and_inventory_item(router: Router, shop: ShopifyShop) -> None:
    variables = {"productId": "gid://shopify/Product/999", "variants": []}
    answer = doc(call(router, "OnepriceVariantsUpdate", queries.VARIANTS_UPDATE, variables))
    assert answer["data"]["productVariantsBulkUpdate"]["userErrors"][0]["code"] == "PRODUCT_DOES_NOT_EXIST"
    errors = doc(set_stock(router, "gid://shopify/InventoryItem/999", 1, "k"))["data"]["inventorySetQuantities"]
    assert errors["userErrors"][0]["field"] == ["input", "quantities", "0", "inventoryItemId"]


def test_create_replaces_the_standalone_variant(router: Router, shop: ShopifyShop) -> None:
    created = doc(call(router, "OnepriceProductCreate", queries.PRODUCT_CREATE, {"product": {"title": "T"}}))
    product_id = created["data"]["productCreate"]["product"]["id"]
    variant = {
        "price": "12.5",
        "inventoryItem": {"sku": "NEW", "tracked": True},
        "inventoryQuantities": [{"locationId": LOCATION, "availableQuantity": 6}],
    }
    answer = doc(
        call(
            router, "OnepriceVariantsCreate", queries.VARIANTS_CREATE, {"productId": product_id, "variants": [variant]}
        )
    )
    [made] = answer["data"]["productVariantsBulkCreate"]["productVariants"]
    assert (made["sku"], made["price"], made["inventoryQuantity"]) == ("NEW", "12.50", 6)
    assert [v["sku"] for v in shop.all_variants()] == ["NEW"]


# -- transport --------------------------------------------------------------------------------


def test_token_is_checked_and_requests_counted(router: Router, shop: ShopifyShop) -> None:
    response = call(router, "OnepriceLocation", queries.PRIMARY_LOCATION, {}, token="shpat_wrong")
    assert response.status == 401 and "Invalid API key" in doc(response)["errors"]
    call(router, "OnepriceLocation", queries.PRIMARY_LOCATION, {})
    call(router, "OnepriceProductCreate", queries.PRODUCT_CREATE, {"product": {"title": "T"}})
    assert (shop.read_requests, shop.write_requests) == (2, 1)
    assert shop.requests == ["OnepriceLocation", "OnepriceLocation", "OnepriceProductCreate"]


def test_injected_faults_then_normal_answers(router: Router, shop: ShopifyShop) -> None:
    shop.fail_next(503, count=2)
    shop.fail_next(429, retry_after=3)
    statuses = [call(router, "OnepriceLocation", queries.PRIMARY_LOCATION, {}) for _ in range(4)]
    assert [r.status for r in statuses] == [503, 503, 429, 200]
    assert statuses[2].headers == {"Retry-After": "3"}


def test_unknown_operations_are_refused(router: Router) -> None:
    answer = doc(call(router, "ProductSet", "mutation ProductSet { productSet { product { id } } }", {}))
    assert answer["errors"][0]["extensions"]["code"] == "UNSUPPORTED_OPERATION"


def test_pages_follow_the_cursor_and_sku_search(router: Router, shop: ShopifyShop) -> None:
    seed(shop, "A", "B", "C")
    first = doc(call(router, "OnepriceVariants", queries.VARIANTS, {"first": 2, "after": None, "query": None}))
    conn = first["data"]["productVariants"]
    assert [n["sku"] for n in conn["nodes"]] == ["A", "B"] and conn["pageInfo"]["hasNextPage"]
    after = conn["pageInfo"]["endCursor"]
    second = doc(call(router, "OnepriceVariants", queries.VARIANTS, {"first": 2, "after": after, "query": None}))
    assert [n["sku"] for n in second["data"]["productVariants"]["nodes"]] == ["C"]
    found = doc(call(router, "OnepriceVariants", queries.VARIANTS, {"first": 9, "query": 'sku:"C" OR sku:A'}))
    assert [n["sku"] for n in found["data"]["productVariants"]["nodes"]] == ["A", "C"]


def test_demo_sandbox_serves_a_shop_per_shopify_channel(demo_config: LoadedConfig) -> None:
    emulation = Sandbox.from_config(demo_config).emulation("shopify")
    assert isinstance(emulation, ShopifyEmulation)
    names = [c.name for c in demo_config.settings.channels if c.kind == "shopify"]
    assert names and sorted(emulation.shops) == sorted(names)
    assert emulation.shop(names[0]).token_ok("shpat_sandbox_shopify_us")
    with pytest.raises(KeyError, match="no emulated Shopify shop 'nope'"):
        emulation.shop("nope")


def test_handles_are_unique_and_found(router: Router, shop: ShopifyShop) -> None:
    seed(shop, "SY-A1")
    answer = doc(
        call(router, "OnepriceProductCreate", queries.PRODUCT_CREATE, {"product": {"title": "T", "handle": "sy-a1"}})
    )
    assert answer["data"]["productCreate"]["userErrors"][0]["field"] == ["handle"]
    found = doc(call(router, "OnepriceProductByHandle", queries.PRODUCT_BY_HANDLE, {"handle": "sy-a1"}))
    assert [n["sku"] for n in found["data"]["productByIdentifier"]["variants"]["nodes"]] == ["SY-A1"]
    missing = doc(call(router, "OnepriceProductByHandle", queries.PRODUCT_BY_HANDLE, {"handle": "nope"}))
    assert missing["data"]["productByIdentifier"] is None
    assert shop.free_handle("SY A1") == "sy-a1-1"
