"""WooCommerceAdapter request shapes and error mapping, against `responses` (no network)."""

from __future__ import annotations

import base64
import json
import random
from typing import Any

import pytest
import requests
import responses
from responses import matchers

from adapters.base import Change
from adapters.woocommerce import WooCommerceAdapter, WooCommerceOptions
from oneprice.domain.listing import ListingState
from oneprice.domain.money import Money
from oneprice.errors import (
    BatchTooLarge,
    ChannelAuthError,
    ChannelRateLimited,
    ChannelRequestError,
    ChannelResponseError,
    ChannelUnavailable,
)

BASE = "https://shop.example/store"
API = BASE + "/wp-json/wc/v3/"
KEY, SECRET = "ck_test_0123456789", "cs_test_abcdefghij"


def product(pid: int, sku: str, price: str = "1299.00", **kw: Any) -> dict[str, Any]:
    doc = {
        "id": pid,
        "sku": sku,
        "name": f"Product {sku}",
        "type": "simple",
        "status": "publish",
        "regular_price": price,
        "sale_price": "",
        "manage_stock": True,
        "stock_quantity": 5,
        "date_modified_gmt": "2026-11-11T08:00:00",
    }
    doc.update(kw)
    return doc


def state(sku: str, price: str = "1299", stock: int = 5) -> ListingState:
    return ListingState(sku=sku, name=f"Product {sku}", price=Money.of(price, "CNY"), stock=stock)


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def make(sleeps: list[float]) -> Any:
    def build(**options: Any) -> WooCommerceAdapter:
        return WooCommerceAdapter(
            channel="official",
            base_url=BASE + "/",
            currency="CNY",
            consumer_key=KEY,
            consumer_secret=SECRET,
            options=WooCommerceOptions(**options),
            sleep=sleeps.append,
            rng=random.Random(7),
        )

    return build


@pytest.fixture
def adapter(make: Any) -> WooCommerceAdapter:
    return make()


def basic_auth() -> str:
    return "Basic " + base64.b64encode(f"{KEY}:{SECRET}".encode()).decode()


# -- reads ------------------------------------------------------------------------------


@responses.activate
def test_list_follows_total_pages_with_basic_auth(adapter: WooCommerceAdapter) -> None:
    for page, docs in ((1, [product(1, "A"), product(2, "B")]), (2, [product(3, "C")])):
        responses.get(
            API + "products",
            json=docs,
            headers={"X-WP-TotalPages": "2", "X-WP-Total": "3"},
            match=[
                matchers.query_param_matcher({"per_page": "100", "page": str(page), "orderby": "id", "order": "asc"})
            ],
        )
    listings = adapter.list_listings()
    assert [x.state.sku for x in listings] == ["A", "B", "C"]
    assert [x.remote_id for x in listings] == ["1", "2", "3"]
    assert len(responses.calls) == 2
    for call in responses.calls:
        assert call.request.headers["Authorization"] == basic_auth()
        assert KEY not in (call.request.url or "")
    assert adapter.write_requests == 0


@responses.activate
def test_list_without_total_pages_stops_on_a_short_page(make: Any) -> None:
    adapter = make(per_page=2)
    responses.get(
        API + "products",
        json=[product(1, "A"), product(2, "B")],
        match=[matchers.query_param_matcher({"page": "1"}, strict_match=False)],
    )
    responses.get(
        API + "products",
        json=[product(3, "C")],
        match=[matchers.query_param_matcher({"page": "2"}, strict_match=False)],
    )
    assert [x.state.sku for x in adapter.list_listings()] == ["A", "B", "C"]
    assert "per_page=2" in (responses.calls[0].request.url or "")


@responses.activate
def test_list_skips_products_without_sku(adapter: WooCommerceAdapter) -> None:
    responses.get(API + "products", json=[product(1, ""), product(2, "B")], headers={"X-WP-TotalPages": "1"})
    assert [x.state.sku for x in adapter.list_listings()] == ["B"]


@responses.activate
def test_list_refuses_a_non_array(adapter: WooCommerceAdapter) -> None:
    responses.get(API + "products", json={"products": []}, headers={"X-WP-TotalPages": "1"})
    with pytest.raises(ChannelResponseError, match="JSON array"):
        adapter.list_listings()


@responses.activate
def test_timeout_option_reaches_requests(make: Any) -> None:
    adapter = make(timeout=12.5)
    responses.get(API + "products", json=[], headers={"X-WP-TotalPages": "0"})
    adapter.list_listings()
    assert responses.calls[0].request.req_kwargs["timeout"] == 12.5


@responses.activate
def test_find_by_skus_asks_per_sku(adapter: WooCommerceAdapter) -> None:
    responses.get(API + "products", json=[product(9, "A")], match=[matchers.query_param_matcher({"sku": "A"})])
    responses.get(API + "products", json=[], match=[matchers.query_param_matcher({"sku": "Z"})])
    found = adapter.find_by_skus(["A", "Z", "A"])
    assert list(found) == ["A"]
    assert found["A"].remote_id == "9"
    assert len(responses.calls) == 2


# -- writes -----------------------------------------------------------------------------


def batch_body(call: Any) -> dict[str, Any]:
    return json.loads(call.request.body)


@responses.activate
def test_push_sends_one_batch_with_creates_and_updates(adapter: WooCommerceAdapter) -> None:
    responses.post(
        API + "products/batch",
        json={
            "create": [product(11, "A"), product(12, "B")],
            "update": [product(7, "C", price="88.00", date_modified_gmt="2026-11-11T09:00:00")],
        },
    )
    results = adapter.push([Change.create(state("A")), Change.update("7", state("C", "88")), Change.create(state("B"))])
    assert len(responses.calls) == 1
    call = responses.calls[0]
    assert call.request.headers["Authorization"] == basic_auth()
    body = batch_body(call)
    assert set(body) == {"create", "update"}
    assert [item["sku"] for item in body["create"]] == ["A", "B"]
    assert body["create"][0] == {
        "sku": "A",
        "name": "Product A",
        "type": "simple",
        "status": "publish",
        "regular_price": "1299.00",
        "sale_price": "",
        "manage_stock": True,
        "stock_quantity": 5,
    }
    assert body["update"] == [{"id": 7, **{k: v for k, v in body["update"][0].items() if k != "id"}}]
    assert body["update"][0]["regular_price"] == "88.00"
    assert all(isinstance(i["regular_price"], str) for i in body["create"] + body["update"])
    # results come back in the order of the changes
    assert [(r.sku, r.ok, r.remote_id) for r in results] == [
        ("A", True, "11"),
        ("C", True, "7"),
        ("B", True, "12"),
    ]
    assert results[1].modified == "2026-11-11T09:00:00"
    assert adapter.write_requests == 1


@responses.activate
def test_push_chunks_by_batch_size(make: Any) -> None:
    adapter = make(batch_size=2)
    sizes: list[int] = []

    def answer(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        body = json.loads(request.body or b"{}")
        sizes.append(sum(len(v) for v in body.values()))
        out = {k: [product(item.get("id", 100 + n), item["sku"]) for n, item in enumerate(v)] for k, v in body.items()}
        return 200, {}, json.dumps(out)

    responses.add_callback(responses.POST, API + "products/batch", callback=answer)
    changes = [Change.create(state(f"S{n}")) for n in range(3)] + [
        Change.update("5", state("U1")),
        Change.update("6", state("U2")),
    ]
    results = adapter.push(changes)
    assert sizes == [2, 2, 1]
    assert adapter.write_requests == 3
    assert all(r.ok for r in results)
    assert adapter.capabilities.batch_limit == 2


@responses.activate
def test_push_maps_per_item_errors(adapter: WooCommerceAdapter) -> None:
    responses.post(
        API + "products/batch",
        json={
            "update": [
                {
                    "id": 7,
                    "error": {
                        "code": "woocommerce_rest_product_invalid_id",
                        "message": "Invalid ID.",
                        "data": {"status": 400},
                    },
                },
                {"id": 8, "error": {"code": "db_locked", "message": "Try again.", "data": {"status": 503}}},
                product(9, "C"),
            ]
        },
    )
    results = adapter.push(
        [Change.update("7", state("A")), Change.update("8", state("B")), Change.update("9", state("C"))]
    )
    a, b, c = results
    assert (a.ok, a.retryable, a.remote_id) == (False, False, "7")
    assert a.error == "woocommerce_rest_product_invalid_id: Invalid ID. (HTTP 400)"
    assert (b.ok, b.retryable) == (False, True)
    assert c.ok and c.remote_id == "9"


@responses.activate
def test_push_links_a_create_whose_sku_exists(adapter: WooCommerceAdapter) -> None:
    duplicate = {
        "id": 0,
        "error": {
            "code": "product_invalid_sku",
            "message": "Invalid or duplicated SKU.",
            "data": {"status": 400},
        },
    }
    responses.post(API + "products/batch", json={"create": [duplicate]})
    responses.get(
        API + "products",
        json=[product(42, "A", price="10.00")],
        match=[matchers.query_param_matcher({"sku": "A"})],
    )
    responses.post(API + "products/batch", json={"update": [product(42, "A")]})
    [result] = adapter.push([Change.create(state("A"))])
    assert (result.ok, result.remote_id) == (True, "42")
    assert batch_body(responses.calls[2])["update"][0]["id"] == 42
    assert adapter.write_requests == 2


@responses.activate
def test_push_refuses_a_wrong_currency_without_sending(adapter: WooCommerceAdapter) -> None:
    usd = ListingState(sku="A", name="A", price=Money.of("10", "USD"), stock=1)
    [result] = adapter.push([Change.create(usd)])
    assert not result.ok and "USD" in (result.error or "")
    assert adapter.write_requests == 0
    assert len(responses.calls) == 0


@responses.activate
def test_push_of_nothing_sends_nothing(adapter: WooCommerceAdapter) -> None:
    assert adapter.push([]) == []
    assert adapter.write_requests == 0


# -- HTTP errors ------------------------------------------------------------------------


@responses.activate
def test_413_is_batch_too_large(adapter: WooCommerceAdapter, sleeps: list[float]) -> None:
    responses.post(
        API + "products/batch",
        status=413,
        json={
            "code": "woocommerce_rest_request_entity_too_large",
            "message": "Unable to accept more than 100 items for this request.",
            "data": {"status": 413},
        },
    )
    with pytest.raises(BatchTooLarge) as info:
        adapter.push([Change.create(state("A"))])
    assert info.value.status == 413
    assert info.value.code == "woocommerce_rest_request_entity_too_large"
    assert sleeps == []
    assert len(responses.calls) == 1


@responses.activate
@pytest.mark.parametrize("status", [401, 403])
def test_auth_errors_name_no_secret(adapter: WooCommerceAdapter, status: int, sleeps: list[float]) -> None:
    responses.get(
        API + "products",
        status=status,
        json={
            "code": "woocommerce_rest_cannot_view",
            "message": f"Consumer key {KEY} / {SECRET} is invalid.",
            "data": {"status": status},
        },
    )
    with pytest.raises(ChannelAuthError) as info:
        adapter.list_listings()
    message = str(info.value)
    assert KEY not in message and SECRET not in message
    assert "woocommerce_rest_cannot_view" in message and "official" in message
    assert sleeps == []


@responses.activate
def test_429_waits_retry_after_then_succeeds(adapter: WooCommerceAdapter, sleeps: list[float]) -> None:
    responses.post(
        API + "products/batch",
        status=429,
        headers={"Retry-After": "7"},
        json={"code": "too_many_requests", "message": "Slow down."},
    )
    responses.post(API + "products/batch", json={"create": [product(1, "A")]})
    [result] = adapter.push([Change.create(state("A"))])
    assert result.ok
    assert sleeps == [7.0]
    assert adapter.write_requests == 2  # both attempts were sent


@responses.activate
def test_429_gives_up_after_max_retries(make: Any, sleeps: list[float]) -> None:
    adapter = make(max_retries=2)
    responses.get(API + "products", status=429, headers={"Retry-After": "3"})
    with pytest.raises(ChannelRateLimited) as info:
        adapter.list_listings()
    assert info.value.retry_after == 3.0
    assert info.value.retryable
    assert sleeps == [3.0, 3.0]
    assert len(responses.calls) == 3


@responses.activate
def test_429_longer_than_we_wait_fails_at_once(make: Any, sleeps: list[float]) -> None:
    adapter = make(max_retry_after=60)
    responses.get(API + "products", status=429, headers={"Retry-After": "3600"})
    with pytest.raises(ChannelRateLimited) as info:
        adapter.list_listings()
    assert info.value.retry_after == 3600.0
    assert sleeps == []


@responses.activate
def test_5xx_is_retried_with_backoff_then_unavailable(make: Any, sleeps: list[float]) -> None:
    adapter = make(max_retries=3, backoff=1.0)
    responses.post(API + "products/batch", status=503, body="<html>busy</html>")
    with pytest.raises(ChannelUnavailable) as info:
        adapter.push([Change.create(state("A"))])
    assert info.value.status == 503
    assert len(responses.calls) == 4
    assert adapter.write_requests == 4
    # exponential with jitter: attempt n waits within [0.5, 1] x 2**n seconds
    assert len(sleeps) == 3
    for n, delay in enumerate(sleeps):
        assert 0.5 * 2**n <= delay <= 2**n


@responses.activate
def test_5xx_then_success(adapter: WooCommerceAdapter, sleeps: list[float]) -> None:
    responses.get(API + "products", status=502)
    responses.get(API + "products", json=[product(1, "A")], headers={"X-WP-TotalPages": "1"})
    assert [x.state.sku for x in adapter.list_listings()] == ["A"]
    assert len(sleeps) == 1


@responses.activate
@pytest.mark.parametrize(
    "failure",
    [requests.ConnectionError("refused"), requests.ConnectTimeout("slow"), requests.ReadTimeout("slow")],
)
def test_transport_failures_are_unavailable(make: Any, failure: Exception, sleeps: list[float]) -> None:
    adapter = make(max_retries=1)
    responses.get(API + "products", body=failure)
    with pytest.raises(ChannelUnavailable):
        adapter.list_listings()
    assert len(sleeps) == 1


@responses.activate
def test_other_4xx_is_a_request_error_not_retried(adapter: WooCommerceAdapter, sleeps: list[float]) -> None:
    responses.post(
        API + "products/batch",
        status=400,
        json={
            "code": "rest_invalid_param",
            "message": "Invalid parameter(s): create",
            "data": {"status": 400},
        },
    )
    with pytest.raises(ChannelRequestError) as info:
        adapter.push([Change.create(state("A"))])
    assert not isinstance(info.value, BatchTooLarge)
    assert info.value.code == "rest_invalid_param"
    assert sleeps == []


@responses.activate
def test_non_json_answer_is_a_response_error(adapter: WooCommerceAdapter) -> None:
    responses.get(API + "products", body="<html>maintenance</html>", content_type="text/html")
    with pytest.raises(ChannelResponseError, match="not JSON"):
        adapter.list_listings()


@pytest.mark.parametrize(("header", "expected"), [("7", 7.0), ("0", 0.0), ("soon", None), ("nan", None)])
def test_retry_after_parsing(header: str, expected: float | None) -> None:
    from adapters.woocommerce.adapter import _retry_after

    assert _retry_after(header) == expected


def test_retry_after_http_date() -> None:
    from adapters.woocommerce.adapter import _retry_after

    assert _retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past: go now


def test_repr_and_errors_hold_no_secret(adapter: WooCommerceAdapter) -> None:
    assert KEY not in repr(adapter) and SECRET not in repr(adapter)
