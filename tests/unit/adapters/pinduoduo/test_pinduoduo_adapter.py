"""PinduoduoAdapter: signing against independent vectors, request shapes in fen, error codes (no network)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

import pytest
import requests
import responses

from adapters.base import Change
from adapters.pinduoduo import PinduoduoAdapter, PinduoduoOptions
from adapters.pinduoduo.signing import pdd_sign
from oneprice.domain.listing import ListingState
from oneprice.domain.money import Money
from oneprice.errors import ChannelAuthError, ChannelRateLimited, ChannelUnavailable

URL = "https://gw-api.pinduoduo.com/api/router"
CLIENT, SECRET, TOKEN = "cid", "pdd_secret_0123", "pdd_token_abcdef"
NOW = datetime(2026, 11, 27, 12, 0, 0, tzinfo=UTC)

VECTOR = {
    "type": "pdd.goods.sku.price.update",
    "client_id": "cid",
    "access_token": "tok",
    "timestamp": "1795780800",
    "data_type": "JSON",
    "version": "V1",
    "goods_id": "1001",
    "sku_price_list": '[{"sku_id":5001,"single_price":129900,"group_price":129800,"is_onsale":1}]',
}


def documented_sign(params: dict[str, str], secret: str) -> str:
    """MD5(client_secret + k1v1k2v2… sorted by key, without `sign` + client_secret), uppercase hex."""
    base = "".join(k + params[k] for k in sorted(params) if k != "sign")
    return hashlib.md5((secret + base + secret).encode("utf-8")).hexdigest().upper()  # noqa: S324 - the documented algorithm


def test_signature_follows_the_documented_algorithm() -> None:
    for params in (VECTOR, {**VECTOR, "goods_name": "山屿 冲锋衣", "sign": "X"}):
        assert pdd_sign(params, "pddsecret") == documented_sign(params, "pddsecret")


def test_fixed_vector() -> None:
    # Computed once by hand from the documented algorithm (python3, hashlib).
    assert pdd_sign(VECTOR, "pddsecret") == "C8BBD6138EEF43C48099D8986EF26B52"


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


def make(sleeps: list[float], **options: Any) -> PinduoduoAdapter:
    return PinduoduoAdapter(
        channel="pdd",
        base_url=URL,
        currency="CNY",
        client_id=CLIENT,
        client_secret=SECRET,
        access_token=TOKEN,
        options=PinduoduoOptions.model_validate({"max_retries": 1, **options}),
        session=requests.Session(),
        sleep=sleeps.append,
        clock=lambda: NOW,
    )


@pytest.fixture
def adapter(sleeps: list[float]) -> PinduoduoAdapter:
    return make(sleeps)


def form(call: Any) -> dict[str, str]:
    return dict(parse_qsl(call.request.body))


PRICE_OK = {"goods_update_sku_price_response": {"is_success": True}}
STOCK_OK = {"goods_quantity_update_response": {"is_success": True}}


@responses.activate
def test_one_price_call_per_goods_in_fen_then_full_stock_per_sku(adapter: PinduoduoAdapter) -> None:
    responses.post(URL, json=PRICE_OK)
    responses.post(URL, json=STOCK_OK)
    responses.post(URL, json=STOCK_OK)
    results = adapter.push(
        [
            Change.update("1001:5001", state("A", "1299.99", 4)),
            Change.update("1001:5002", state("B", "10.00", 0, "inactive")),
        ]
    )
    assert all(r.ok for r in results)
    sent = [form(c) for c in responses.calls]
    assert [s["type"] for s in sent] == ["pdd.goods.sku.price.update"] + ["pdd.goods.quantity.update"] * 2
    assert sent[0]["goods_id"] == "1001"
    assert json.loads(sent[0]["sku_price_list"]) == [
        {"sku_id": 5001, "single_price": 129999, "group_price": 129899, "is_onsale": 1},
        {"sku_id": 5002, "single_price": 1000, "group_price": 900, "is_onsale": 0},
    ]
    for s in sent:
        assert (s["client_id"], s["access_token"], s["data_type"], s["version"]) == (CLIENT, TOKEN, "JSON", "V1")
        assert s["timestamp"] == str(int(NOW.timestamp()))
        assert s["sign"] == documented_sign(s, SECRET)
    assert {k: sent[1][k] for k in ("goods_id", "sku_id", "quantity", "update_type")} == {
        "goods_id": "1001",
        "sku_id": "5001",
        "quantity": "4",
        "update_type": "1",
    }
    assert adapter.write_requests == 3


@responses.activate
def test_configured_rules_derive_both_prices(sleeps: list[float]) -> None:
    adapter = make(sleeps, group_price={"factor": "1"}, single_price={"factor": "1.1", "offset_fen": 1})
    responses.post(URL, json=PRICE_OK)
    responses.post(URL, json=STOCK_OK)
    assert adapter.push([Change.update("1:2", state("A", "100.00"))])[0].ok
    [entry] = json.loads(form(responses.calls[0])["sku_price_list"])
    assert (entry["group_price"], entry["single_price"]) == (10000, 11001)


def test_prices_the_rules_cannot_serve_are_refused_without_a_call(adapter: PinduoduoAdapter) -> None:
    [result] = adapter.push([Change.update("1:2", state("A", "0.50"))])
    assert not result.ok and result.error and "positive" in result.error
    assert adapter.write_requests == 0


def test_rules_must_leave_one_price_unified() -> None:
    with pytest.raises(ValueError, match="one of single_price/group_price"):
        PinduoduoOptions.model_validate({"single_price": {"factor": "1.2"}, "group_price": {"offset_fen": -1}})


@pytest.mark.parametrize(
    ("code", "error"),
    [
        (52101, ChannelRateLimited),
        (70031, ChannelRateLimited),
        (52102, ChannelUnavailable),
        (52103, ChannelUnavailable),
    ],
)
@responses.activate
def test_retryable_codes_are_retried_after_waiting(
    adapter: PinduoduoAdapter, sleeps: list[float], code: int, error: type[Exception]
) -> None:
    body = {"error_response": {"error_code": code, "error_msg": "busy", "sub_msg": "try again in 3 seconds"}}
    responses.post(URL, json=body)
    responses.post(URL, json=body)
    with pytest.raises(error):
        adapter.list_listings()
    assert len(responses.calls) == 2 and len(sleeps) == 1
    if error is ChannelRateLimited:
        assert sleeps == [3.0]


@pytest.mark.parametrize("code", [10000, 39999, 50000, 52003])
@responses.activate
def test_non_retryable_codes_refuse_the_goods_items(adapter: PinduoduoAdapter, code: int) -> None:
    responses.post(URL, json={"error_response": {"error_code": code, "error_msg": "bad", "sub_msg": "no"}})
    results = adapter.push([Change.update("1:2", state("A")), Change.update("1:3", state("B"))])
    assert [r.ok for r in results] == [False, False] and not results[0].retryable
    assert len(responses.calls) == 1


@responses.activate
def test_expired_token_is_an_auth_error_without_secrets(adapter: PinduoduoAdapter) -> None:
    responses.post(URL, json={"error_response": {"error_code": 10019, "error_msg": f"token {TOKEN} expired"}})
    with pytest.raises(ChannelAuthError) as info:
        adapter.list_listings()
    assert TOKEN not in str(info.value) and SECRET not in str(info.value)


@responses.activate
def test_listing_reads_goods_then_details_in_fen(adapter: PinduoduoAdapter) -> None:
    responses.post(URL, json={"goods_list_get_response": {"goods_list": [{"goods_id": 9}], "total_count": 1}})
    sku = {"sku_id": 3, "out_sku_sn": "A", "price": 129900, "multi_price": 129800, "quantity": 6, "is_onsale": 1}
    spec = [{"parent_name": "颜色", "spec_name": "黑"}]
    detail = {"goods_id": 9, "goods_name": "外套", "sku_list": [{**sku, "spec": spec}]}
    responses.post(URL, json={"goods_detail_get_response": detail})
    [listing] = adapter.list_listings()
    assert (listing.remote_id, listing.state.name, listing.state.stock) == ("9:3", "外套 黑", 6)
    assert listing.state.price == Money.of("1299.00", "CNY")
    assert [form(c)["type"] for c in responses.calls] == ["pdd.goods.list.get", "pdd.goods.detail.get"]
