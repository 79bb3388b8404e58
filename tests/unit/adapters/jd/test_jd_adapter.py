"""JdAdapter: JOS signing against independent vectors, request shapes and error mapping (no network)."""

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
from adapters.jd import JdAdapter, JdOptions
from adapters.jd.signing import jos_sign
from oneprice.domain.listing import ListingState
from oneprice.domain.money import Money
from oneprice.errors import ChannelAuthError, ChannelUnavailable

URL = "https://api.jd.com/routerjson"
KEY, SECRET, TOKEN = "jdkey", "jd_secret_0123", "jd_token_abcdef"
NOW = datetime(2026, 11, 27, 12, 0, 0, tzinfo=UTC)


def documented_sign(params: dict[str, str], secret: str) -> str:
    """MD5(secret + k1v1k2v2… sorted by key, without `sign` + secret), uppercase hex."""
    base = "".join(k + params[k] for k in sorted(params) if k != "sign")
    return hashlib.md5((secret + base + secret).encode("utf-8")).hexdigest().upper()  # noqa: S324 - the documented algorithm


VECTOR = {
    "360buy_param_json": '{"skuId":100001,"jdPrice":"1299.00"}',
    "access_token": "tok",
    "app_key": "jdkey",
    "method": "jingdong.price.write.updateSkuJdPrice",
    "timestamp": "2026-11-27 20:00:00",
    "v": "2.0",
}


def test_signature_follows_the_documented_algorithm() -> None:
    for params in (VECTOR, {**VECTOR, "360buy_param_json": '{"skuName":"山屿 冲锋衣"}', "sign": "X"}):
        assert jos_sign(params, "jdsecret") == documented_sign(params, "jdsecret")


def test_fixed_vector() -> None:
    # Computed once by hand from the documented algorithm (python3, hashlib).
    assert jos_sign(VECTOR, "jdsecret") == "1A7CD81AA6042CF128EA54D7F6BA6723"


def state(sku: str, price: str = "1299", stock: int = 5) -> ListingState:
    return ListingState(sku=sku, name=f"Item {sku}", price=Money.of(price, "CNY"), stock=stock)


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def adapter(sleeps: list[float]) -> JdAdapter:
    return JdAdapter(
        channel="jd",
        base_url=URL,
        currency="CNY",
        app_key=KEY,
        app_secret=SECRET,
        access_token=TOKEN,
        options=JdOptions(page_size=2, max_retries=1),
        session=requests.Session(),
        sleep=sleeps.append,
        clock=lambda: NOW,
    )


def form(call: Any) -> dict[str, str]:
    return dict(parse_qsl(call.request.body))


def responce(api: str, **body: Any) -> dict[str, Any]:
    return {api.replace(".", "_") + "_responce": {"code": "0", **body}}


@responses.activate
def test_update_sends_price_then_stock_in_360buy_param_json(adapter: JdAdapter) -> None:
    responses.post(URL, json=responce("jingdong.price.write.updateSkuJdPrice", success=True))
    responses.post(URL, json=responce("jingdong.stock.write.updateSkuStock", success=True))
    [result] = adapter.push([Change.update("77:100001", state("A", "88.8", 3))])
    assert result.ok and result.remote_id == "77:100001"
    sent = [form(c) for c in responses.calls]
    assert [s["method"] for s in sent] == [
        "jingdong.price.write.updateSkuJdPrice",
        "jingdong.stock.write.updateSkuStock",
    ]
    assert json.loads(sent[0]["360buy_param_json"]) == {"skuId": 100001, "jdPrice": "88.80"}
    assert json.loads(sent[1]["360buy_param_json"]) == {"skuId": 100001, "stockNum": 3}
    for s in sent:
        assert (s["app_key"], s["access_token"], s["v"], s["timestamp"]) == (KEY, TOKEN, "2.0", "2026-11-27 20:00:00")
        assert s["sign"] == documented_sign(s, SECRET)
        assert set(s) == {"method", "app_key", "access_token", "timestamp", "v", "360buy_param_json", "sign"}
    assert adapter.write_requests == 2


@responses.activate
def test_listing_reads_sku_pages(adapter: JdAdapter) -> None:
    row = {"skuId": 1, "wareId": 7, "outerId": "A", "skuName": "外套 黑", "jdPrice": 12.5, "stockNum": 3, "status": 1}
    api = "jingdong.sku.read.searchSkuList"
    responses.post(URL, json=responce(api, page={"data": [row, {**row, "skuId": 2, "outerId": ""}], "totalItem": 3}))
    responses.post(
        URL, json=responce(api, page={"data": [{**row, "skuId": 3, "outerId": "B", "status": 2}], "totalItem": 3})
    )
    listings = adapter.list_listings()
    assert [(r.remote_id, r.state.sku, r.state.status) for r in listings] == [
        ("7:1", "A", "active"),
        ("7:3", "B", "inactive"),
    ]
    assert listings[0].state.price == Money.of("12.50", "CNY")
    assert [json.loads(form(c)["360buy_param_json"])["page"] for c in responses.calls] == [1, 2]


@responses.activate
def test_error_body_maps_to_auth_throttle_and_refusal(adapter: JdAdapter, sleeps: list[float]) -> None:
    responses.post(URL, json={"error_response": {"code": "60", "zh_desc": "调用频率超限，请 4 秒后再试"}})
    responses.post(URL, json={"error_response": {"code": "100", "zh_desc": "SKU 不存在"}})
    [result] = adapter.push([Change.update("7:1", state("A"))])
    assert sleeps == [4.0]
    assert not result.ok and result.error and "SKU 不存在" in result.error
    responses.post(URL, json={"error_response": {"code": "19", "zh_desc": f"token {TOKEN} 无效"}})
    with pytest.raises(ChannelAuthError) as info:
        adapter.list_listings()
    assert TOKEN not in str(info.value)


@responses.activate
def test_http_5xx_is_retried_then_raised(adapter: JdAdapter, sleeps: list[float]) -> None:
    responses.post(URL, status=503, body="busy")
    responses.post(URL, status=503, body="busy")
    with pytest.raises(ChannelUnavailable):
        adapter.list_listings()
    assert len(sleeps) == 1 and len(responses.calls) == 2
