"""The emulated WooCommerce REST v3 API, over HTTP on 127.0.0.1."""

from __future__ import annotations

import base64
import json
from http.client import HTTPConnection
from typing import Any

import pytest
import requests

from oneprice.settings import LoadedConfig
from sandbox import Sandbox, WooStore

API = "/woo/official/wp-json/wc/v3"


def api(sandbox: Sandbox, path: str = "/products") -> str:
    return sandbox.url + API + path


def make(n: int, prefix: str = "T") -> list[dict[str, Any]]:
    return [
        {
            "name": f"Item {i}",
            "sku": f"{prefix}-{i:03d}",
            "regular_price": "10.00",
            "manage_stock": True,
            "stock_quantity": i,
        }
        for i in range(n)
    ]


# -- authentication ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("auth", "message"),
    [
        (None, "Sorry, you cannot list resources."),
        (("ck_wrong", "cs_sandbox_official"), "Consumer key is invalid."),
        (("ck_sandbox_outlet", "cs_sandbox_outlet"), "Consumer key is invalid."),
    ],
)
def test_requests_without_valid_credentials_are_refused(
    sandbox: Sandbox, official: WooStore, http: requests.Session, auth: tuple[str, str] | None, message: str
) -> None:
    r = http.get(api(sandbox), auth=auth)
    assert r.status_code == 401
    assert r.json() == {"code": "woocommerce_rest_cannot_view", "message": message, "data": {"status": 401}}


def test_wrong_secret_and_garbage_header_are_refused(
    sandbox: Sandbox, official: WooStore, http: requests.Session, official_auth: tuple[str, str]
) -> None:
    r = http.post(api(sandbox), auth=(official_auth[0], "cs_wrong"), json=make(1)[0])
    assert (r.status_code, r.json()["message"]) == (401, "Consumer secret is invalid.")
    r = http.get(api(sandbox), headers={"Authorization": "Basic !!!not-base64"})
    assert r.status_code == 401
    assert official.products == {}


def test_query_string_credentials_are_accepted(
    sandbox: Sandbox, official: WooStore, http: requests.Session, official_auth: tuple[str, str]
) -> None:
    key, secret = official_auth
    r = http.get(api(sandbox), params={"consumer_key": key, "consumer_secret": secret})
    assert r.status_code == 200
    assert r.json() == []


# -- routes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", API + "/orders"),
        ("DELETE", API + "/products"),
        ("GET", "/woo/official/wp-json/wc/v2/products"),
        ("GET", "/woo/nosuchstore/wp-json/wc/v3/products"),
    ],
)
def test_unknown_routes_answer_rest_no_route(
    sandbox: Sandbox,
    official: WooStore,
    http: requests.Session,
    official_auth: tuple[str, str],
    method: str,
    path: str,
) -> None:
    r = http.request(method, sandbox.url + path, auth=official_auth)
    assert r.status_code == 404
    assert r.json()["code"] == "rest_no_route"


def test_create_get_update_delete_roundtrip(
    sandbox: Sandbox, official: WooStore, http: requests.Session, official_auth: tuple[str, str]
) -> None:
    body = {
        "name": "冲锋衣",
        "sku": "SY-JK01-BLK-M",
        "regular_price": "1299.00",
        "manage_stock": True,
        "stock_quantity": 3,
    }
    r = http.post(api(sandbox), json=body, auth=official_auth)
    assert r.status_code == 201
    created = r.json()
    assert created["type"] == "simple" and created["status"] == "publish"
    assert (created["regular_price"], created["price"], created["sale_price"]) == ("1299.00", "1299.00", "")
    assert (created["stock_quantity"], created["stock_status"]) == (3, "instock")
    pid = created["id"]

    got = http.get(api(sandbox, f"/products/{pid}"), auth=official_auth).json()
    assert got == created

    r = http.put(
        api(sandbox, f"/products/{pid}"),
        json={"regular_price": "1199.10", "stock_quantity": 0},
        auth=official_auth,
    )
    assert r.status_code == 200
    updated = r.json()
    assert (updated["regular_price"], updated["price"], updated["stock_status"]) == (
        "1199.10",
        "1199.10",
        "outofstock",
    )
    assert updated["date_modified_gmt"] > created["date_modified_gmt"]
    assert official.products[pid]["regular_price"] == "1199.10"

    r = http.delete(api(sandbox, f"/products/{pid}"), params={"force": "true"}, auth=official_auth)
    assert r.status_code == 200 and r.json()["id"] == pid
    assert official.products == {}


def test_every_write_changes_the_modified_stamp(
    sandbox: Sandbox, official: WooStore, http: requests.Session, official_auth: tuple[str, str]
) -> None:
    (product,) = official.seed(make(1))
    stamps = [product["date_modified_gmt"]]
    for price in ("11.00", "12.00", "13.00"):
        r = http.put(api(sandbox, f"/products/{product['id']}"), json={"regular_price": price}, auth=official_auth)
        stamps.append(r.json()["date_modified_gmt"])
    assert len(set(stamps)) == 4 and stamps == sorted(stamps)


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/products/999999", 404, "woocommerce_rest_product_invalid_id"),
        ("PUT", "/products/999999", 400, "woocommerce_rest_product_invalid_id"),
        ("DELETE", "/products/999999", 404, "woocommerce_rest_product_invalid_id"),
    ],
)
def test_unknown_product_id(
    sandbox: Sandbox,
    official: WooStore,
    http: requests.Session,
    official_auth: tuple[str, str],
    method: str,
    path: str,
    status: int,
    code: str,
) -> None:
    r = http.request(method, api(sandbox, path), json={"regular_price": "1.00"}, auth=official_auth)
    assert r.status_code == status
    assert r.json()["code"] == code


def test_invalid_json_body(
    sandbox: Sandbox, official: WooStore, http: requests.Session, official_auth: tuple[str, str]
) -> None:
    r = http.post(api(sandbox), data=b"{not json", auth=official_auth, headers={"Content-Type": "application/json"})
    assert (r.status_code, r.json()["code"]) == (400, "rest_invalid_json")


def test_single_create_with_a_float_price_is_refused(
    sandbox: Sandbox, official: WooStore, http: requests.Session, official_auth: tuple[str, str]
) -> None:
    r = http.post(api(sandbox), json={"name": "x", "sku": "X-1", "regular_price": 12.5}, auth=official_auth)
    assert r.status_code == 400
    assert r.json()["code"] == "rest_invalid_param"
    assert "regular_price" in r.json()["data"]["params"]


# -- listing, paging and SKU lookup -------------------------------------------------


@pytest.mark.parametrize(
    ("params", "count", "total", "pages"),
    [
        ({}, 10, 25, 3),
        ({"per_page": "10", "page": "3"}, 5, 25, 3),
        ({"per_page": "10", "page": "4"}, 0, 25, 3),
        ({"per_page": "100"}, 25, 25, 1),
        ({"per_page": "7", "page": "2"}, 7, 25, 4),
        ({"sku": "T-003"}, 1, 1, 1),
        ({"sku": "T-003,T-010, T-024"}, 3, 3, 1),
        ({"sku": "NOPE"}, 0, 0, 0),
    ],
)
def test_paging_headers_and_sku_lookup(
    sandbox: Sandbox,
    official: WooStore,
    http: requests.Session,
    official_auth: tuple[str, str],
    params: dict[str, str],
    count: int,
    total: int,
    pages: int,
) -> None:
    official.seed(make(25))
    r = http.get(api(sandbox), params=params, auth=official_auth)
    assert r.status_code == 200
    assert len(r.json()) == count
    assert (r.headers["X-WP-Total"], r.headers["X-WP-TotalPages"]) == (str(total), str(pages))
    if "sku" in params:
        wanted = {s.strip() for s in params["sku"].split(",")}
        assert {p["sku"] for p in r.json()} <= wanted


def test_pages_cover_every_product_once(
    sandbox: Sandbox, official: WooStore, http: requests.Session, official_auth: tuple[str, str]
) -> None:
    official.seed(make(23))
    seen: list[int] = []
    for page in (1, 2, 3):
        seen += [
            p["id"] for p in http.get(api(sandbox), params={"page": page, "per_page": 10}, auth=official_auth).json()
        ]
    assert sorted(seen) == sorted(official.products)


def test_id_ordered_pages_follow_writes_between_pages(official: WooStore) -> None:
    """Paging by id (what the adapter does) sees creates, updates and trashing made between two pages."""
    ids = [p["id"] for p in official.seed(make(25))]
    first, total = official.page_of_products(orderby="id", order="asc", page=1, per_page=10)
    assert [p["id"] for p in first] == ids[:10] and total == 25
    official.update(ids[12], {"regular_price": "12.50"})
    official.delete(ids[11], force=False)
    created = official.create(make(1, prefix="N")[0])
    second, total = official.page_of_products(orderby="id", order="asc", page=2, per_page=10)
    assert [p["id"] for p in second] == ids[10:11] + ids[12:21] and total == 25
    assert second[1]["regular_price"] == "12.50"
    third, _ = official.page_of_products(orderby="id", order="asc", page=3, per_page=10)
    assert [p["id"] for p in third] == [*ids[21:], created["id"]]
    trashed, _ = official.page_of_products(status="trash", orderby="id", order="asc")
    assert [p["id"] for p in trashed] == [ids[11]]


@pytest.mark.parametrize("params", [{"per_page": "101"}, {"per_page": "0"}, {"page": "0"}, {"page": "x"}])
def test_bad_paging_parameters(
    sandbox: Sandbox,
    official: WooStore,
    http: requests.Session,
    official_auth: tuple[str, str],
    params: dict[str, str],
) -> None:
    r = http.get(api(sandbox), params=params, auth=official_auth)
    assert (r.status_code, r.json()["code"]) == (400, "rest_invalid_param")


# -- batch -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {"create": make(101)},
        {"create": make(60), "update": [{"id": i, "regular_price": "1.00"} for i in range(41)]},
        {"create": make(50), "update": [{"id": 1}] * 25, "delete": list(range(26))},
    ],
)
def test_batch_over_100_objects_is_413(
    sandbox: Sandbox,
    official: WooStore,
    http: requests.Session,
    official_auth: tuple[str, str],
    body: dict[str, Any],
) -> None:
    r = http.post(api(sandbox, "/products/batch"), json=body, auth=official_auth)
    assert r.status_code == 413
    assert r.json()["code"] == "woocommerce_rest_request_entity_too_large"
    assert r.json()["data"]["status"] == 413
    assert official.products == {}


def test_batch_of_exactly_100_is_accepted(
    sandbox: Sandbox, official: WooStore, http: requests.Session, official_auth: tuple[str, str]
) -> None:
    r = http.post(api(sandbox, "/products/batch"), json={"create": make(100)}, auth=official_auth)
    assert r.status_code == 200
    assert len(r.json()["create"]) == 100
    assert all("error" not in item for item in r.json()["create"])
    assert len(official.products) == 100


def _error_of(item: dict[str, Any]) -> tuple[int, str, int]:
    return item["id"], item["error"]["code"], item["error"]["data"]["status"]


def test_batch_reports_per_item_errors_inline(
    sandbox: Sandbox, official: WooStore, http: requests.Session, official_auth: tuple[str, str]
) -> None:
    (existing,) = official.seed(make(1, "OLD"))
    body = {
        "create": [
            {"name": "dup of existing", "sku": "OLD-000", "regular_price": "5.00"},
            {"name": "fine", "sku": "NEW-1", "regular_price": "5.00"},
            {"name": "dup in batch", "sku": "NEW-1", "regular_price": "5.00"},
            {"name": "float", "sku": "NEW-2", "regular_price": 5.5},
            {"name": "negative", "sku": "NEW-3", "regular_price": "-1"},
            {"name": "words", "sku": "NEW-4", "regular_price": "cheap"},
        ],
        "update": [
            {"id": existing["id"], "regular_price": "8.80"},
            {"id": 424242, "regular_price": "8.80"},
            {"id": existing["id"], "regular_price": "1,299.00"},
        ],
        "delete": [555555],
    }
    r = http.post(api(sandbox, "/products/batch"), json=body, auth=official_auth)
    assert r.status_code == 200
    out = r.json()
    create, update, delete = out["create"], out["update"], out["delete"]
    assert _error_of(create[0]) == (0, "product_invalid_sku", 400)
    assert create[1]["sku"] == "NEW-1" and "error" not in create[1]
    assert _error_of(create[2]) == (0, "product_invalid_sku", 400)
    for item in create[3:]:
        assert _error_of(item) == (0, "rest_invalid_param", 400)
    assert update[0]["regular_price"] == "8.80"
    assert _error_of(update[1]) == (424242, "woocommerce_rest_product_invalid_id", 400)
    assert _error_of(update[2]) == (existing["id"], "rest_invalid_param", 400)
    assert delete[0]["error"]["code"] == "woocommerce_rest_product_invalid_id"
    assert sorted(p["sku"] for p in official.products.values()) == ["NEW-1", "OLD-000"]
    assert official.by_sku("OLD-000") is not None
    assert official.by_sku("OLD-000")["regular_price"] == "8.80"  # type: ignore[index]


def test_batch_delete_removes_products(
    sandbox: Sandbox, official: WooStore, http: requests.Session, official_auth: tuple[str, str]
) -> None:
    ids = [p["id"] for p in official.seed(make(3))]
    r = http.post(api(sandbox, "/products/batch"), json={"delete": ids[:2]}, auth=official_auth)
    assert [p["id"] for p in r.json()["delete"]] == ids[:2]
    assert list(official.products) == ids[2:]


# -- counters and fault injection --------------------------------------------------


def test_requests_are_counted(
    sandbox: Sandbox, official: WooStore, http: requests.Session, official_auth: tuple[str, str]
) -> None:
    (product,) = official.seed(make(1))
    assert (official.read_requests, official.write_requests) == (0, 0)
    http.get(api(sandbox), auth=official_auth)
    http.get(api(sandbox), params={"sku": "T-000"}, auth=official_auth)
    http.put(api(sandbox, f"/products/{product['id']}"), json={"stock_quantity": 9}, auth=official_auth)
    http.post(api(sandbox, "/products/batch"), json={"create": make(5, "B")}, auth=official_auth)
    http.post(api(sandbox), json={"sku": "X"}, auth=("bad", "bad"))
    assert official.read_requests == 2
    assert official.write_requests == 3
    assert [m for m, _ in official.requests] == ["GET", "GET", "PUT", "POST", "POST"]
    assert official.requests[3] == ("POST", API + "/products/batch")


@pytest.mark.parametrize(("status", "retry_after"), [(500, None), (503, None), (429, 7)])
def test_fail_next_injects_faults_then_recovers(
    sandbox: Sandbox,
    official: WooStore,
    http: requests.Session,
    official_auth: tuple[str, str],
    status: int,
    retry_after: int | None,
) -> None:
    official.fail_next(status, count=2, retry_after=retry_after)
    for _ in range(2):
        r = http.get(api(sandbox), auth=official_auth)
        assert r.status_code == status
        assert r.json()["data"]["status"] == status
        assert r.headers.get("Retry-After") == (str(retry_after) if retry_after else None)
    assert http.get(api(sandbox), auth=official_auth).status_code == 200
    assert official.read_requests == 3


def test_seed_accepts_catalog_products(official: WooStore, demo_config: LoadedConfig) -> None:
    created = official.seed(demo_config.catalog.products[:3])
    first = demo_config.catalog.products[0]
    assert [p["sku"] for p in created] == [p.sku for p in demo_config.catalog.products[:3]]
    assert created[0]["regular_price"] == str(first.unified_price.amount)
    assert created[0]["stock_quantity"] == first.stock
    assert (official.read_requests, official.write_requests) == (0, 0)


def test_chunked_request_bodies(sandbox: Sandbox, official: WooStore, official_auth: tuple[str, str]) -> None:
    host, port = sandbox.url.removeprefix("http://").split(":")
    token = base64.b64encode(":".join(official_auth).encode()).decode()
    body = json.dumps({"name": "分块", "sku": "CH-1", "regular_price": "5.00"}).encode()
    conn = HTTPConnection(host, int(port), timeout=10)
    try:
        conn.request(
            "POST",
            API + "/products",
            body=iter([body[:7], body[7:]]),
            headers={"Authorization": f"Basic {token}", "Content-Type": "application/json"},
            encode_chunked=True,
        )
        response = conn.getresponse()
        assert response.status == 201
        assert json.loads(response.read())["name"] == "分块"
    finally:
        conn.close()


def test_delete_without_force_moves_to_the_trash(
    sandbox: Sandbox, official: WooStore, http: requests.Session, official_auth: tuple[str, str]
) -> None:
    (product,) = official.seed(make(1))
    r = http.delete(api(sandbox, f"/products/{product['id']}"), auth=official_auth)
    assert (r.status_code, r.json()["status"]) == (200, "trash")
    assert http.get(api(sandbox), auth=official_auth).json() == []
    trashed = http.get(api(sandbox), params={"status": "trash"}, auth=official_auth).json()
    assert [p["id"] for p in trashed] == [product["id"]]
