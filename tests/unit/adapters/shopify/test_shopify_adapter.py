"""ShopifyAdapter request shapes for reads and writes, against `responses` (no network)."""

from __future__ import annotations

from typing import Any

import pytest
from shopify_fakes import LOCATION, TOKEN, Shop, page, state, variant

from adapters.base import Change
from oneprice.domain.listing import ListingState
from oneprice.domain.money import Money
from oneprice.errors import (
    ChannelResponseError,
)

# -- reads ------------------------------------------------------------------------------------


def test_list_reads_every_page_with_token_header(shop: Shop, make: Any) -> None:
    shop.on("OnepriceVariants", page([variant(11, "A"), {**variant(21, "B"), "sku": ""}], True, "c1"))
    shop.on("OnepriceVariants", page([variant(31, "C", price="9.50", stock=-2, status="DRAFT")]))
    adapter = make(page_size=2)
    listings = adapter.list_listings()
    assert [r.state.sku for r in listings] == ["A", "C"]  # a variant without SKU is skipped
    assert listings[1].state.price == Money.of("9.50", "CNY")
    assert listings[1].state.stock == 0 and listings[1].state.status == "inactive"
    assert [b["variables"] for b in shop.bodies] == [
        {"first": 2, "after": None, "query": None},
        {"first": 2, "after": "c1", "query": None},
    ]
    assert all(h["X-Shopify-Access-Token"] == TOKEN for h in shop.headers)
    assert "productVariants(" in shop.bodies[0]["query"]
    assert adapter.write_requests == 0


def test_find_by_skus_searches_by_quoted_sku(shop: Shop, make: Any) -> None:
    shop.on("OnepriceVariants", page([variant(11, "A"), variant(21, 'B"2')]))
    found = make().find_by_skus(["A", 'B"2', "A"])
    assert set(found) == {"A", 'B"2'}
    assert shop.bodies[0]["variables"]["query"] == 'sku:"A" OR sku:"B\\"2"'


def test_a_malformed_variant_is_named(shop: Shop, make: Any) -> None:
    shop.on("OnepriceVariants", page([variant(11, "A", price="abc")]))
    with pytest.raises(ChannelResponseError, match=r"OnepriceVariants: variant .*/11: price 'abc'"):
        make().list_listings()


# -- writes -----------------------------------------------------------------------------------


def test_price_change_is_one_bulk_update_never_product_set(shop: Shop, make: Any) -> None:
    shop.on("OnepriceVariants", page([variant(11, "A")]))
    shop.on(
        "OnepriceVariantsUpdate",
        {
            "productVariantsBulkUpdate": {
                "productVariants": [
                    {"id": variant(11, "A")["id"], "price": "999.00", "updatedAt": "2026-11-12T00:00:00Z"}
                ],
                "userErrors": [],
            }
        },
    )
    adapter = make()
    [listing] = adapter.list_listings()
    [result] = adapter.push([Change.update(listing.remote_id, state("A", price="999"))])
    assert result.ok and result.remote_id == listing.remote_id and result.modified == "2026-11-12T00:00:00Z"
    assert shop.operations == ["OnepriceVariants", "OnepriceVariantsUpdate"]
    sent = shop.bodies[1]
    assert sent["variables"] == {
        "productId": "gid://shopify/Product/10",
        "variants": [{"id": listing.remote_id, "price": "999.00"}],
    }
    assert "allowPartialUpdates: true" in sent["query"]
    assert all("productSet" not in b["query"] for b in shop.bodies)
    assert adapter.write_requests == 1


def test_stock_change_sets_absolute_quantity_with_idempotency_key(shop: Shop, make: Any) -> None:
    shop.on("OnepriceVariants", page([variant(11, "A", stock=5)]))
    done = {
        "inventorySetQuantities": {
            "inventoryAdjustmentGroup": {"reason": "correction", "changes": []},
            "userErrors": [],
        }
    }
    shop.on("OnepriceSetQuantities", done, done)
    adapter = make()
    adapter.idempotency_scope = "run-7"
    [listing] = adapter.list_listings()
    seen = adapter.records_for([listing.remote_id])[listing.remote_id]
    [result] = adapter.push([Change.update(listing.remote_id, state("A", stock=2))])
    assert result.ok
    sent = shop.bodies[1]
    assert sent["operationName"] == "OnepriceSetQuantities"
    assert "@idempotent(key: $idempotencyKey)" in sent["query"]
    assert sent["variables"]["input"] == {
        "name": "available",
        "reason": "correction",
        "ignoreCompareQuantity": True,
        "quantities": [{"inventoryItemId": "gid://shopify/InventoryItem/12", "locationId": LOCATION, "quantity": 2}],
    }
    # The same run resending the same quantities reuses the key: a replay is answered, not applied.
    again = make()
    again.idempotency_scope = "run-7"
    again.remember(seen)  # as read before the first push
    again.push([Change.update(listing.remote_id, state("A", stock=2))])
    assert shop.bodies[2]["variables"]["idempotencyKey"] == sent["variables"]["idempotencyKey"]


def test_name_and_status_go_through_product_update(shop: Shop, make: Any) -> None:
    shop.on("OnepriceVariants", page([variant(11, "A")]))
    shop.on(
        "OnepriceProductUpdate",
        {
            "productUpdate": {
                "product": {"id": "gid://shopify/Product/10", "updatedAt": "2026-11-13T00:00:00Z"},
                "userErrors": [],
            }
        },
    )
    adapter = make()
    [listing] = adapter.list_listings()
    desired = ListingState(sku="A", name="Renamed", price=Money.of("1299", "CNY"), stock=5, status="inactive")
    [result] = adapter.push([Change.update(listing.remote_id, desired)])
    assert result.ok and result.modified == "2026-11-13T00:00:00Z"
    assert shop.bodies[1]["variables"] == {
        "product": {"id": "gid://shopify/Product/10", "title": "Renamed", "status": "DRAFT"}
    }


def test_unchanged_update_sends_nothing(shop: Shop, make: Any) -> None:
    shop.on("OnepriceVariants", page([variant(11, "A")]))
    adapter = make()
    [listing] = adapter.list_listings()
    [result] = adapter.push([Change.update(listing.remote_id, listing.state)])
    assert result.ok and adapter.write_requests == 0 and shop.operations == ["OnepriceVariants"]


def test_unseen_variant_is_read_first_and_unknown_ids_refused(shop: Shop, make: Any) -> None:
    shop.on("OnepriceVariantNodes", {"nodes": [variant(11, "A"), None]})
    shop.on(
        "OnepriceVariantsUpdate",
        {"productVariantsBulkUpdate": {"productVariants": [], "userErrors": []}},
    )
    results = make().push(
        [
            Change.update("11", state("A", price="5")),
            Change.update("999", state("B")),
            Change.update("not-an-id", state("C")),
        ]
    )
    assert [r.ok for r in results] == [True, False, False]
    assert results[1].error == "no variant gid://shopify/ProductVariant/999 on the shop"
    assert "is not a variant id" in (results[2].error or "")
    assert shop.bodies[0]["variables"] == {
        "ids": ["gid://shopify/ProductVariant/11", "gid://shopify/ProductVariant/999"]
    }


def test_user_errors_are_mapped_to_their_item(shop: Shop, make: Any) -> None:
    a, b = variant(11, "A", title="Jacket"), variant(13, "B", title="Jacket")
    b["product"] = a["product"]  # two variants of one product: one call
    shop.on("OnepriceVariants", page([a, b]))
    error = {"field": ["variants", "1", "price"], "message": "Price must be positive", "code": "INVALID_INPUT"}
    shop.on("OnepriceVariantsUpdate", {"productVariantsBulkUpdate": {"productVariants": [], "userErrors": [error]}})
    adapter = make()
    la, lb = adapter.list_listings()
    results = adapter.push(
        [
            Change.update(la.remote_id, state("A", price="1", name="Jacket")),
            Change.update(lb.remote_id, state("B", price="2", name="Jacket")),
        ]
    )
    assert [r.ok for r in results] == [True, False]
    assert results[1].error == "variants.1.price: Price must be positive (INVALID_INPUT)"
    assert results[1].remote_id == lb.remote_id and not results[1].retryable
    assert len(shop.bodies[1]["variables"]["variants"]) == 2


def test_create_is_product_then_variant_with_stock(shop: Shop, make: Any) -> None:
    shop.on(
        "OnepriceProductCreate", {"productCreate": {"product": {"id": "gid://shopify/Product/10"}, "userErrors": []}}
    )
    shop.on(
        "OnepriceVariantsCreate",
        {"productVariantsBulkCreate": {"productVariants": [variant(11, "A", stock=3)], "userErrors": []}},
    )
    adapter = make()
    [result] = adapter.push([Change.create(state("A", stock=3))])
    assert result.ok and result.remote_id == "gid://shopify/ProductVariant/11"
    assert shop.operations == ["OnepriceProductCreate", "OnepriceVariantsCreate"]
    assert shop.bodies[0]["variables"] == {"product": {"title": "Product A", "handle": "a", "status": "ACTIVE"}}
    [sent] = shop.bodies[1]["variables"]["variants"]
    assert sent["inventoryQuantities"] == [{"locationId": LOCATION, "availableQuantity": 3}]
    assert sent["inventoryItem"] == {"sku": "A", "tracked": True} and sent["price"] == "1299.00"
    assert "REMOVE_STANDALONE_VARIANT" in shop.bodies[1]["query"]
    assert adapter.write_requests == 2


TAKEN = {
    "productCreate": {"product": None, "userErrors": [{"field": ["handle"], "message": "Handle 'a' already in use."}]}
}


def by_handle(*nodes: dict[str, Any]) -> dict[str, Any]:
    return {"productByIdentifier": {"id": "gid://shopify/Product/10", "variants": {"nodes": list(nodes)}}}


def test_a_create_resent_after_a_lost_answer_finishes_the_first_product(shop: Shop, make: Any) -> None:
    shop.on("OnepriceProductCreate", lambda body: (502, {"errors": "bad gateway"}), TAKEN)
    standalone = {**variant(11, "A"), "sku": None, "price": "0.00"}
    shop.on("OnepriceProductByHandle", by_handle(standalone))
    shop.on(
        "OnepriceVariantsCreate",
        {"productVariantsBulkCreate": {"productVariants": [variant(13, "A")], "userErrors": []}},
    )
    [result] = make().push([Change.create(state("A"))])
    assert result.ok and result.remote_id == "gid://shopify/ProductVariant/13"
    assert shop.operations == [
        "OnepriceProductCreate",
        "OnepriceProductCreate",
        "OnepriceProductByHandle",
        "OnepriceVariantsCreate",
    ]
    assert shop.bodies[2]["variables"] == {"handle": "a"}
    assert shop.bodies[3]["variables"]["productId"] == "gid://shopify/Product/10"


def test_a_create_whose_sku_exists_becomes_an_update(shop: Shop, make: Any) -> None:
    shop.on("OnepriceProductCreate", TAKEN)
    shop.on("OnepriceProductByHandle", by_handle(variant(11, "A", price="5.00")))
    shop.on("OnepriceVariantsUpdate", {"productVariantsBulkUpdate": {"productVariants": [], "userErrors": []}})
    [result] = make().push([Change.create(state("A"))])
    assert result.ok and result.remote_id == "gid://shopify/ProductVariant/11"
    assert shop.bodies[-1]["variables"]["variants"] == [{"id": "gid://shopify/ProductVariant/11", "price": "1299.00"}]


def test_a_handle_taken_by_another_sku_is_refused(shop: Shop, make: Any) -> None:
    shop.on("OnepriceProductCreate", TAKEN)
    shop.on("OnepriceProductByHandle", by_handle(variant(11, "OTHER")))
    [result] = make().push([Change.create(state("A"))])
    assert not result.ok
    assert result.error == "productCreate: handle 'a' is taken by gid://shopify/Product/10 holding SKU 'OTHER'"


def test_create_refused_by_user_errors(shop: Shop, make: Any) -> None:
    error = {"field": ["title"], "message": "Title can't be blank"}
    shop.on("OnepriceProductCreate", {"productCreate": {"product": None, "userErrors": [error]}})
    [result] = make().push([Change.create(state("A"))])
    assert not result.ok and result.error == "productCreate: title: Title can't be blank"


def test_primary_location_is_asked_once_when_not_configured(shop: Shop, make: Any) -> None:
    shop.on("OnepriceLocation", {"location": {"id": "gid://shopify/Location/1"}})
    adapter = make(location_id=None)
    assert adapter.location_id() == adapter.location_id() == "gid://shopify/Location/1"
    assert shop.operations == ["OnepriceLocation"]
