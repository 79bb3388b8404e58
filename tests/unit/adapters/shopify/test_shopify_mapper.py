"""ShopifyMapper: variant nodes -> listings, listing states -> GraphQL inputs, answers -> errors and waits."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from adapters.base import ThrottleStatus
from adapters.shopify.mapper import ShopifyMapper, gid, gid_kind
from oneprice.domain.listing import ListingState
from oneprice.domain.money import Money

VARIANT = "gid://shopify/ProductVariant/11"
PRODUCT = "gid://shopify/Product/7"
ITEM = "gid://shopify/InventoryItem/12"


def node(**kw: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": VARIANT,
        "sku": "SY-JK01",
        "price": "1299.00",
        "inventoryQuantity": 5,
        "updatedAt": "2026-11-11T08:00:00Z",
        "inventoryItem": {"id": ITEM},
        "product": {"id": PRODUCT, "title": "Jacket", "status": "ACTIVE", "updatedAt": "2026-11-10T08:00:00Z"},
    }
    doc.update(kw)
    return doc


def state(**kw: Any) -> ListingState:
    fields: dict[str, Any] = {"sku": "SY-JK01", "name": "Jacket", "price": Money.of("1299", "CNY"), "stock": 5}
    fields.update(kw)
    return ListingState(**fields)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("11", "gid://shopify/ProductVariant/11"),
        (" 11 ", "gid://shopify/ProductVariant/11"),
        ("gid://shopify/ProductVariant/11", "gid://shopify/ProductVariant/11"),
        ("abc", "abc"),
    ],
)
def test_gid_normalises_bare_numbers(value: str, expected: str) -> None:
    assert gid("ProductVariant", value) == expected


@pytest.mark.parametrize(
    ("value", "kind"),
    [(VARIANT, "ProductVariant"), (PRODUCT, "Product"), ("11", None), ("gid://shopify/Product/x", None)],
)
def test_gid_kind(value: str, kind: str | None) -> None:
    assert gid_kind(value) == kind


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, {"price": Decimal("1299.00"), "stock": 5, "status": "active"}),
        ({"price": "19.9"}, {"price": Decimal("19.90")}),
        ({"price": 15}, {"price": Decimal("15.00")}),
        ({"inventoryQuantity": -3}, {"stock": 0}),
        ({"inventoryQuantity": None}, {"stock": 0}),
        ({"product": {"id": PRODUCT, "title": "J", "status": "DRAFT"}}, {"status": "inactive", "name": "J"}),
        ({"product": {"id": PRODUCT, "title": "J", "status": "ARCHIVED"}}, {"status": "inactive"}),
        ({"sku": "  SY-JK01  "}, {"sku": "SY-JK01"}),
    ],
)
def test_to_record_reads_the_listing(changes: dict[str, Any], expected: dict[str, Any]) -> None:
    record = ShopifyMapper("CNY").to_record(node(**changes))
    listing = record.listing
    assert listing.remote_id == VARIANT and record.product_id == PRODUCT and record.inventory_item_id == ITEM
    got = {
        "price": listing.state.price.amount,
        "stock": listing.state.stock,
        "status": listing.state.status,
        "name": listing.state.name,
        "sku": listing.state.sku,
    }
    assert {k: got[k] for k in expected} == expected
    assert listing.state.price.currency == "CNY"


def test_modified_is_the_later_of_variant_and_product() -> None:
    record = ShopifyMapper("CNY").to_record(node())
    assert record.listing.modified == "2026-11-11T08:00:00Z"
    later = node(product={"id": PRODUCT, "title": "J", "status": "ACTIVE", "updatedAt": "2026-11-12T00:00:00Z"})
    assert ShopifyMapper("CNY").to_record(later).listing.modified == "2026-11-12T00:00:00Z"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"id": "gid://shopify/Product/1"}, "not a ProductVariant GID"),
        ({"product": None}, "has no product id"),
        ({"sku": ""}, "has no SKU"),
        ({"price": 12.5}, "is not a decimal string"),
        ({"price": "12,50"}, "is not a decimal string"),
        ({"price": "-1.00"}, "is negative"),
        ({"inventoryQuantity": "5"}, "inventoryQuantity '5' is not an integer"),
    ],
)
def test_to_record_names_what_is_malformed(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ShopifyMapper("CNY").to_record(node(**changes))


def test_create_inputs_carry_sku_price_and_stock() -> None:
    mapper = ShopifyMapper("CNY")
    assert mapper.product_create_input(state(status="inactive")) == {
        "title": "Jacket",
        "handle": "sy-jk01",
        "status": "DRAFT",
    }
    assert mapper.variant_create_input(state(stock=7), "gid://shopify/Location/1") == {
        "price": "1299.00",
        "inventoryItem": {"sku": "SY-JK01", "tracked": True},
        "inventoryQuantities": [{"locationId": "gid://shopify/Location/1", "availableQuantity": 7}],
        "optionValues": [{"optionName": "Title", "name": "Default Title"}],
    }


@pytest.mark.parametrize(
    ("currency", "amount", "text"),
    [("CNY", "1299", "1299.00"), ("JPY", "1500", "1500.00"), ("KWD", "1.5", "1.500"), ("USD", "0.1", "0.10")],
)
def test_prices_travel_as_decimal_strings(currency: str, amount: str, text: str) -> None:
    mapper = ShopifyMapper(currency)
    doc = mapper.variant_update_input(VARIANT, state(price=Money.of(amount, currency)), sku=False)
    assert doc == {"id": VARIANT, "price": text}


def test_update_input_sets_the_sku_only_when_asked() -> None:
    doc = ShopifyMapper("CNY").variant_update_input(VARIANT, state(sku="NEW-1"), sku=True)
    assert doc["inventoryItem"] == {"sku": "NEW-1"}


def test_a_price_in_another_currency_is_refused() -> None:
    with pytest.raises(ValueError, match="price is in USD, the shop sells in CNY"):
        ShopifyMapper("CNY").product_create_input(state(price=Money.of("1", "USD")))


def test_set_quantities_input_is_absolute() -> None:
    q = ShopifyMapper.quantity(ITEM, "gid://shopify/Location/1", 4)
    assert ShopifyMapper.set_quantities_input([q]) == {
        "name": "available",
        "reason": "correction",
        "ignoreCompareQuantity": True,
        "quantities": [{"inventoryItemId": ITEM, "locationId": "gid://shopify/Location/1", "quantity": 4}],
    }


def test_idempotency_key_depends_on_scope_and_quantities_not_order() -> None:
    key = ShopifyMapper.idempotency_key
    a = key("run-1", [("A", ITEM, 5, 3), ("B", "i2", 0, 1)])
    assert a == key("run-1", [("B", "i2", 0, 1), ("A", ITEM, 5, 3)])
    assert a != key("run-2", [("A", ITEM, 5, 3), ("B", "i2", 0, 1)])
    assert a != key("run-1", [("A", ITEM, 5, 4), ("B", "i2", 0, 1)])
    assert a != key("run-1", [("A", ITEM, 2, 3), ("B", "i2", 0, 1)])  # the stock moved again since
    assert len(a) == 36


@pytest.mark.parametrize(
    ("error", "text", "index"),
    [
        (
            {"field": ["variants", "1", "price"], "message": "Price is bad", "code": "INVALID_INPUT"},
            "variants.1.price: Price is bad (INVALID_INPUT)",
            1,
        ),
        ({"field": ["productId"], "message": "Product does not exist"}, "productId: Product does not exist", None),
        ({"field": None, "message": "Nope", "code": "X"}, "Nope (X)", None),
        ("odd", "malformed user error 'odd'", None),
    ],
)
def test_user_errors(error: Any, text: str, index: int | None) -> None:
    assert ShopifyMapper.user_error_text(error) == text
    assert ShopifyMapper.user_error_index(error, "variants") == index


def test_quantity_errors_point_into_the_quantities_list() -> None:
    error = {"field": ["input", "quantities", "2", "quantity"], "message": "bad"}
    assert ShopifyMapper.user_error_index(error, "quantities") == 2


def test_cost_and_throttle_wait() -> None:
    extensions = {
        "cost": {
            "requestedQueryCost": 101,
            "actualQueryCost": None,
            "throttleStatus": {"maximumAvailable": 1000.0, "currentlyAvailable": 1, "restoreRate": 50.0},
        }
    }
    status, requested = ShopifyMapper.cost_of(extensions)
    assert status == ThrottleStatus(available=1.0, capacity=1000.0, restore_rate=50.0, cost=None)
    assert requested == 101
    assert ShopifyMapper.throttle_wait(requested, status) == pytest.approx(2.0)
    assert ShopifyMapper.throttle_wait(0, status) == 0.0
    assert ShopifyMapper.cost_of({}) == (None, None)
    assert ShopifyMapper.throttle_wait(10, ThrottleStatus(available=0.0)) is None


@pytest.mark.parametrize(
    ("sku", "handle"),
    [("SY-JK01-BLK-M", "sy-jk01-blk-m"), ("A.B/C__D", "a-b-c-d"), ("-X-", "x"), ("9", "9"), ("..", "sku")],
)
def test_handle_for_sku(sku: str, handle: str) -> None:
    assert ShopifyMapper.handle_for(sku) == handle
