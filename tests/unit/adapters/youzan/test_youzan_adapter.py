"""YouzanAdapter: token auth, JSON bodies, yuan writes and fen reads, both answer shapes (no network)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from adapters.base import Change
from adapters.youzan import YouzanAdapter, YouzanOptions
from oneprice.domain.listing import ListingState
from oneprice.domain.money import Money
from oneprice.errors import ChannelAuthError

BASE = "https://api.youzanyun.com"
TOKEN = "yz_token_abcdef0123"


def api(name: str) -> str:
    return f"{BASE}/api/{name}/3.0.0"


def state(sku: str, price: str = "1299", stock: int = 5) -> ListingState:
    return ListingState(sku=sku, name=f"Item {sku}", price=Money.of(price, "CNY"), stock=stock)


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def adapter(sleeps: list[float]) -> YouzanAdapter:
    return YouzanAdapter(
        channel="wx",
        base_url=BASE,
        currency="CNY",
        access_token=TOKEN,
        options=YouzanOptions(page_size=2, max_retries=1),
        session=requests.Session(),
        sleep=sleeps.append,
    )


def ok(data: Any) -> dict[str, Any]:
    return {"success": True, "code": 200, "message": "successful", "data": data, "request_id": "r"}


@responses.activate
def test_sku_update_posts_json_with_yuan_and_full_quantity(adapter: YouzanAdapter) -> None:
    responses.post(api("youzan.item.sku.update"), json=ok({"is_success": True}))
    [result] = adapter.push([Change.update("1001:5001", state("A", "88.8", 3))])
    assert result.ok and result.remote_id == "1001:5001"
    [call] = responses.calls
    url = urlsplit(call.request.url)
    assert f"{url.scheme}://{url.netloc}{url.path}" == api("youzan.item.sku.update")
    assert parse_qs(url.query) == {"access_token": [TOKEN]}
    assert call.request.headers["Content-Type"] == "application/json"
    assert json.loads(call.request.body) == {"item_id": 1001, "sku_id": 5001, "price": "88.80", "quantity": 3}
    assert adapter.write_requests == 1


@responses.activate
def test_listing_reads_items_with_fen_prices(adapter: YouzanAdapter) -> None:
    responses.post(api("youzan.items.onsale.get"), json=ok({"count": 1, "items": [{"item_id": 7}]}))
    sku = {
        "sku_id": 2,
        "item_no": "A",
        "price": 129900,
        "quantity": 4,
        "properties_name_json": '[{"k":"颜色","v":"黑"}]',
    }
    item = {"item_id": 7, "title": "外套", "is_listing": True, "skus": [sku, {"sku_id": 3, "price": 1}]}
    responses.post(api("youzan.item.get"), json=ok({"item": item}))
    [listing] = adapter.list_listings()
    assert (listing.remote_id, listing.state.name, listing.state.stock) == ("7:2", "外套 黑", 4)
    assert listing.state.price == Money.of("1299.00", "CNY")
    assert json.loads(responses.calls[1].request.body) == {"item_id": 7}


@responses.activate
def test_business_refusal_in_both_shapes_is_per_item(adapter: YouzanAdapter) -> None:
    responses.post(api("youzan.item.sku.update"), json={"success": False, "code": 4000, "message": "SKU 不存在"})
    responses.post(api("youzan.item.sku.update"), json={"error_response": {"code": 50000, "msg": "legacy refusal"}})
    first, second = adapter.push([Change.update("1:2", state("A")), Change.update("1:3", state("B"))])
    assert not first.ok and first.error and "SKU 不存在" in first.error
    assert not second.ok and second.error and "legacy refusal" in second.error


@responses.activate
def test_throttle_waits_the_hinted_seconds(adapter: YouzanAdapter, sleeps: list[float]) -> None:
    responses.post(api("youzan.items.onsale.get"), json={"success": False, "code": 4290, "message": "请 6 秒后再试"})
    responses.post(api("youzan.items.onsale.get"), json=ok({"count": 0, "items": []}))
    assert adapter.list_listings() == []
    assert sleeps == [6.0]


@responses.activate
def test_legacy_success_shape_is_read(adapter: YouzanAdapter) -> None:
    responses.post(api("youzan.items.onsale.get"), json={"response": {"count": 0, "items": []}})
    assert adapter.list_listings() == []


@responses.activate
def test_expired_token_is_an_auth_error_without_the_token(adapter: YouzanAdapter) -> None:
    responses.post(api("youzan.items.onsale.get"), json={"success": False, "code": 4203, "message": f"{TOKEN} 已过期"})
    with pytest.raises(ChannelAuthError) as info:
        adapter.list_listings()
    assert TOKEN not in str(info.value)


def test_creates_are_refused_with_the_link_key(adapter: YouzanAdapter) -> None:
    [result] = adapter.push([Change.create(state("N"))])
    assert not result.ok and result.error and "create the item on Youzan first" in result.error
    assert "item_no" in result.error
