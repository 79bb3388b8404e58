"""TaobaoAdapter request shapes and error mapping, against `responses` (no network)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

import pytest
import requests
import responses

from adapters.base import Change
from adapters.taobao import TaobaoAdapter, TaobaoOptions
from oneprice.domain.listing import ListingState
from oneprice.domain.money import Money
from oneprice.errors import ChannelAuthError, ChannelRateLimited

URL = "https://gw.api.taobao.com/router/rest"
KEY, SECRET, SESSION = "12345678", "top_secret_0123", "session_abcdef"
NOW = datetime(2026, 11, 27, 12, 0, 0, tzinfo=UTC)


def state(sku: str, price: str = "1299", stock: int = 5, status: str = "active") -> ListingState:
    return ListingState(
        sku=sku,
        name=f"Item {sku}",
        price=Money.of(price, "CNY"),
        stock=stock,
        status=status,  # type: ignore[arg-type]
    )


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def adapter(sleeps: list[float]) -> TaobaoAdapter:
    return TaobaoAdapter(
        channel="tmall",
        base_url=URL,
        currency="CNY",
        app_key=KEY,
        app_secret=SECRET,
        session_key=SESSION,
        options=TaobaoOptions(page_size=2),
        session=requests.Session(),
        sleep=sleeps.append,
        clock=lambda: NOW,
    )


def ok(key: str, body: dict[str, Any]) -> dict[str, Any]:
    return {key: body}


def error(code: int, msg: str, sub_code: str = "", sub_msg: str = "") -> dict[str, Any]:
    return {"error_response": {"code": code, "msg": msg, "sub_code": sub_code, "sub_msg": sub_msg}}


def form(call: Any) -> dict[str, str]:
    return dict(parse_qsl(call.request.body))


def check_signed(sent: dict[str, str]) -> None:
    """Common params present and the signature what TOP would compute (md5 with the secret at both ends)."""
    assert {k: sent[k] for k in ("app_key", "session", "v", "sign_method", "format")} == {
        "app_key": KEY,
        "session": SESSION,
        "v": "2.0",
        "sign_method": "md5",
        "format": "json",
    }
    assert sent["timestamp"] == "2026-11-27 20:00:00"  # GMT+8
    base = "".join(k + sent[k] for k in sorted(sent) if k != "sign")
    assert sent["sign"] == hashlib.md5((SECRET + base + SECRET).encode()).hexdigest().upper()  # noqa: S324 - the documented algorithm


@responses.activate
def test_update_sets_price_per_sku_then_full_stock_per_item(adapter: TaobaoAdapter) -> None:
    responses.post(URL, json=ok("item_sku_price_update_response", {"sku": {"modified": "m1"}}))
    responses.post(URL, json=ok("item_sku_price_update_response", {"sku": {"modified": "m2"}}))
    responses.post(URL, json=ok("skus_quantity_update_response", {"item": {"num_iid": 1001, "modified": "m3"}}))
    results = adapter.push(
        [Change.update("1001:5001", state("A-1", "1299", 42)), Change.update("1001:5002", state("A-2", "10.5", 7))]
    )
    assert [(r.ok, r.remote_id, r.modified) for r in results] == [(True, "1001:5001", "m3"), (True, "1001:5002", "m3")]
    sent = [form(c) for c in responses.calls]
    for s in sent:
        check_signed(s)
        assert responses.calls[0].request.headers["Content-Type"].startswith("application/x-www-form-urlencoded")
    assert [s["method"] for s in sent] == ["taobao.item.sku.price.update"] * 2 + ["taobao.skus.quantity.update"]
    assert {k: sent[1][k] for k in ("num_iid", "outer_id", "price")} == {
        "num_iid": "1001",
        "outer_id": "A-2",
        "price": "10.50",
    }
    assert (sent[2]["num_iid"], sent[2]["skuid_quantities"], sent[2]["type"]) == ("1001", "5001:42;5002:7", "1")
    assert adapter.write_requests == 3


@responses.activate
def test_stock_goes_at_most_20_skus_per_call(adapter: TaobaoAdapter) -> None:
    responses.post(URL, json=ok("item_sku_price_update_response", {"sku": {}}))
    changes = [Change.update(f"1001:{5000 + i}", state(f"S-{i}", stock=i)) for i in range(21)]
    for _ in range(20):
        responses.post(URL, json=ok("item_sku_price_update_response", {"sku": {}}))
    responses.post(URL, json=ok("skus_quantity_update_response", {"item": {}}))
    responses.post(URL, json=ok("skus_quantity_update_response", {"item": {}}))
    assert all(r.ok for r in adapter.push(changes))
    stock_calls = [form(c) for c in responses.calls if form(c)["method"] == "taobao.skus.quantity.update"]
    assert [len(s["skuid_quantities"].split(";")) for s in stock_calls] == [20, 1]


@responses.activate
def test_ban_is_waited_out_n_plus_one_seconds(adapter: TaobaoAdapter, sleeps: list[float]) -> None:
    ban = error(
        7, "App Call Limited", "accesscontrol.limited-by-app-access-count", "This ban will last for 12 more seconds"
    )
    responses.post(URL, json=ban)
    responses.post(URL, json=ok("items_onsale_get_response", {"total_results": 0, "items": {"item": []}}))
    assert adapter.list_listings() == []
    assert sleeps == [13.0]
    assert len(responses.calls) == 2


@responses.activate
def test_a_ban_longer_than_we_wait_is_raised(adapter: TaobaoAdapter, sleeps: list[float]) -> None:
    responses.post(
        URL,
        json=error(
            7,
            "App Call Limited",
            "accesscontrol.limited-by-api-access-count",
            "This ban will last for 3600 more seconds",
        ),
    )
    with pytest.raises(ChannelRateLimited) as info:
        adapter.list_listings()
    assert info.value.retry_after == 3601.0
    assert sleeps == []


@responses.activate
def test_invalid_session_is_an_auth_error_without_secrets(adapter: TaobaoAdapter) -> None:
    responses.post(URL, json=error(27, "Invalid session", "invalid-sessionkey", f"session {SESSION} expired"))
    with pytest.raises(ChannelAuthError) as info:
        adapter.list_listings()
    assert SESSION not in str(info.value) and SECRET not in str(info.value)


@responses.activate
def test_isv_errors_refuse_one_item_only(adapter: TaobaoAdapter) -> None:
    responses.post(URL, json=error(15, "Remote service error", "isv.item-sku-not-exist", "no such SKU"))
    responses.post(URL, json=ok("item_sku_price_update_response", {"sku": {}}))
    responses.post(URL, json=ok("skus_quantity_update_response", {"item": {}}))
    bad, good = adapter.push([Change.update("1001:5001", state("X")), Change.update("1002:5003", state("Y"))])
    assert not bad.ok and bad.error and "isv.item-sku-not-exist" in bad.error and not bad.retryable
    assert good.ok
    assert form(responses.calls[2])["skuid_quantities"] == "5003:5"


def test_creates_and_delists_are_refused_without_a_call(adapter: TaobaoAdapter) -> None:
    created, delisted = adapter.push([Change.create(state("N")), Change.update("1:2", state("D", status="inactive"))])
    assert not created.ok and created.error and "create the item on Taobao/Tmall first" in created.error
    assert not delisted.ok and delisted.error and "item-level" in delisted.error
    assert adapter.write_requests == 0


@responses.activate
def test_listing_pages_ids_then_reads_items_with_skus(adapter: TaobaoAdapter) -> None:
    responses.post(
        URL,
        json=ok("items_onsale_get_response", {"total_results": 3, "items": {"item": [{"num_iid": 1}, {"num_iid": 2}]}}),
    )
    responses.post(URL, json=ok("items_onsale_get_response", {"total_results": 3, "items": {"item": [{"num_iid": 3}]}}))
    sku = {"sku_id": 9, "outer_id": "A-1", "price": "99.90", "quantity": 4, "properties_name": "1:2:颜色:黑;3:4:尺码:M"}
    items = [
        {
            "num_iid": 1,
            "title": "外套",
            "approve_status": "onsale",
            "skus": {"sku": [sku, {"sku_id": 10, "price": "1"}]},
        }
    ]
    responses.post(URL, json=ok("items_seller_list_get_response", {"items": {"item": items}}))
    [listing] = adapter.list_listings()
    assert (listing.remote_id, listing.state.sku, listing.state.name) == ("1:9", "A-1", "外套 黑 M")
    assert (listing.state.price, listing.state.stock) == (Money.of("99.90", "CNY"), 4)
    sent = [form(c) for c in responses.calls]
    assert [s["method"] for s in sent] == ["taobao.items.onsale.get"] * 2 + ["taobao.items.seller.list.get"]
    assert (sent[0]["page_no"], sent[1]["page_no"], sent[2]["num_iids"]) == ("1", "2", "1,2,3")
    assert adapter.write_requests == 0
