"""WooCommerceMapper: ListingState <-> Woo product JSON, table-driven."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from adapters.woocommerce.mapper import WooCommerceMapper
from oneprice.domain.listing import ListingState
from oneprice.domain.money import Money


def state(price: str = "1299", currency: str = "CNY", **kw: Any) -> ListingState:
    fields: dict[str, Any] = {"sku": "SY-1", "name": "岚峰 冲锋衣", "stock": 5, "status": "active"}
    fields.update(kw)
    return ListingState(price=Money.of(price, currency), **fields)


@pytest.mark.parametrize(
    ("listing", "currency", "expected"),
    [
        (
            state(),
            "CNY",
            {
                "sku": "SY-1",
                "name": "岚峰 冲锋衣",
                "type": "simple",
                "status": "publish",
                "regular_price": "1299.00",
                "sale_price": "",
                "manage_stock": True,
                "stock_quantity": 5,
            },
        ),
        (
            state("0.5", stock=0, status="inactive"),
            "CNY",
            {"regular_price": "0.50", "status": "draft", "stock_quantity": 0},
        ),
        (state("12.345", "USD"), "USD", {"regular_price": "12.35"}),  # Money quantizes half-up to cents
        (state("1500", "JPY"), "JPY", {"regular_price": "1500.00"}),
        (state("1.234", "KWD"), "KWD", {"regular_price": "1.234"}),  # 3-decimal currency keeps its mills
    ],
)
def test_to_product(listing: ListingState, currency: str, expected: dict[str, Any]) -> None:
    body = WooCommerceMapper(currency).to_product(listing)
    assert {k: body[k] for k in expected} == expected
    assert isinstance(body["regular_price"], str)


def test_to_update_adds_numeric_id() -> None:
    body = WooCommerceMapper("CNY").to_update("101", state())
    assert body["id"] == 101
    assert body["regular_price"] == "1299.00"


def test_to_product_refuses_another_currency() -> None:
    with pytest.raises(ValueError, match="USD"):
        WooCommerceMapper("CNY").to_product(state("10", "USD"))


BASE: dict[str, Any] = {
    "id": 101,
    "sku": "SY-1",
    "name": "岚峰 冲锋衣",
    "status": "publish",
    "regular_price": "1299.00",
    "sale_price": "",
    "on_sale": False,
    "manage_stock": True,
    "stock_quantity": 5,
    "date_modified_gmt": "2026-11-11T08:00:00",
}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, {"price": Decimal("1299.00"), "stock": 5, "status": "active", "name": "岚峰 冲锋衣"}),
        ({"status": "draft"}, {"status": "inactive"}),
        ({"status": "private"}, {"status": "inactive"}),
        ({"status": "pending"}, {"status": "inactive"}),
        ({"regular_price": "99.9"}, {"price": Decimal("99.90")}),
        ({"regular_price": ""}, {"price": Decimal("0.00")}),
        ({"regular_price": "1,299.00"}, {"price": Decimal("1299.00")}),
        ({"sale_price": "999.00", "on_sale": True}, {"price": Decimal("999.00")}),
        ({"sale_price": "999.00", "on_sale": False}, {"price": Decimal("1299.00")}),
        ({"manage_stock": False, "stock_quantity": None}, {"stock": 0}),
        ({"stock_quantity": -3}, {"stock": 0}),
        ({"stock_quantity": "7"}, {"stock": 7}),
        ({"name": "Tea &amp; Cup"}, {"name": "Tea & Cup"}),
    ],
)
def test_to_listing(changes: dict[str, Any], expected: dict[str, Any]) -> None:
    listing = WooCommerceMapper("CNY").to_listing({**BASE, **changes})
    got = {
        "price": listing.state.price.amount,
        "stock": listing.state.stock,
        "status": listing.state.status,
        "name": listing.state.name,
    }
    assert {k: got[k] for k in expected} == expected
    assert listing.remote_id == "101"
    assert listing.state.price.currency == "CNY"
    assert isinstance(listing.state.price.amount, Decimal)


def test_to_listing_modified_stamp() -> None:
    mapper = WooCommerceMapper("CNY")
    assert mapper.to_listing(BASE).modified == "2026-11-11T08:00:00"
    local_only = {k: v for k, v in BASE.items() if k != "date_modified_gmt"} | {"date_modified": "2026-11-11T16:00:00"}
    assert mapper.to_listing(local_only).modified == "2026-11-11T16:00:00"


@pytest.mark.parametrize(
    "doc",
    [
        {**BASE, "sku": ""},
        {k: v for k, v in BASE.items() if k != "id"},
        {**BASE, "stock_quantity": [1]},
        {**BASE, "stock_quantity": "many"},
        {**BASE, "regular_price": "abc"},
        ["not", "a", "product"],
    ],
)
def test_to_listing_refuses_malformed(doc: Any) -> None:
    with pytest.raises(ValueError):
        WooCommerceMapper("CNY").to_listing(doc)


def test_round_trip_is_unchanged() -> None:
    """What the mapper writes, read back as the store echoes it, equals the desired state."""
    mapper = WooCommerceMapper("CNY")
    desired = state("1299.5", stock=3, status="inactive")
    echoed = {"id": 7, **mapper.to_product(desired)}
    assert mapper.to_listing(echoed).state == desired
