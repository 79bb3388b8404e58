"""EbayAdapter request shapes (API_FACTS 2.3), token flow, 207 mapping, revision budget, via `responses`."""

from __future__ import annotations

import base64
import json
import random
from datetime import date
from typing import Any
from urllib.parse import parse_qs

import pytest
import responses
from responses import matchers

from adapters.base import Change, ThrottleStatus
from adapters.ebay import CREATE_REFUSED, EbayAdapter, EbayOptions
from oneprice.domain.listing import ListingState
from oneprice.domain.money import Money
from oneprice.errors import ChannelAuthError, ChannelRateLimited, ChannelRequestError

BASE = "https://api.ebay.com"
API = BASE + "/sell/inventory/v1/"
TOKEN_URL = "https://api.ebay.com/identity/v1/oauth2/token"
CLIENT_ID, CLIENT_SECRET, REFRESH = "Brand-app-PRD-1234", "PRD-cert-secret", "v^1.1#refresh-secret"
SCOPE = "https://api.ebay.com/oauth/api_scope/sell.inventory"


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def now() -> list[float]:
    return [100.0]


@pytest.fixture
def day() -> list[date]:
    return [date(2026, 11, 27)]


def make(sleeps: list[float], now: list[float], day: list[date], **options: Any) -> EbayAdapter:
    return EbayAdapter(
        channel="ebay-us",
        base_url=BASE,
        currency="USD",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        refresh_token=REFRESH,
        options=EbayOptions(**options),
        sleep=sleeps.append,
        clock=lambda: now[0],
        today=lambda: day[0],
        rng=random.Random(1),
    )


@pytest.fixture
def adapter(sleeps: list[float], now: list[float], day: list[date]) -> EbayAdapter:
    return make(sleeps, now, day, batch_size=2)


def state(sku: str, price: str = "12.3", stock: int = 4) -> ListingState:
    return ListingState(sku=sku, name=f"Item {sku}", price=Money.of(price, "USD"), stock=stock)


def token(rsps: responses.RequestsMock, access: str = "user-token-1", expires_in: int = 7200) -> None:
    rsps.post(TOKEN_URL, json={"access_token": access, "expires_in": expires_in, "token_type": "User Access Token"})


def entry(sku: str, offer_id: str, value: str = "12.30", qty: int = 4) -> dict[str, Any]:
    return {
        "sku": sku,
        "shipToLocationAvailability": {"quantity": qty},
        "offers": [{"offerId": offer_id, "availableQuantity": qty, "price": {"value": value, "currency": "USD"}}],
    }


def test_token_uses_basic_auth_refresh_grant_and_scope(adapter: EbayAdapter, now: list[float]) -> None:
    with responses.RequestsMock() as rsps:
        token(rsps)
        rsps.get(API + "inventory_item", json={"total": 0, "inventoryItems": []})
        adapter.list_listings()
        adapter.list_listings()
        request = rsps.calls[0].request
        basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        assert request.headers["Authorization"] == f"Basic {basic}"
        assert parse_qs(request.body) == {  # type: ignore[arg-type]
            "grant_type": ["refresh_token"],
            "refresh_token": [REFRESH],
            "scope": [SCOPE],
        }
        assert rsps.calls[1].request.headers["Authorization"] == "Bearer user-token-1"
        assert rsps.calls[1].request.headers["X-EBAY-C-MARKETPLACE-ID"] == "EBAY_US"
        assert adapter.token.refreshes == 1
        now[0] += 7200
        adapter.list_listings()
        assert adapter.token.refreshes == 2


def test_refused_token_is_an_auth_error_without_secrets(adapter: EbayAdapter) -> None:
    with responses.RequestsMock() as rsps:
        rsps.post(TOKEN_URL, status=400, json={"error": "invalid_grant", "error_description": REFRESH})
        with pytest.raises(ChannelAuthError) as info:
            adapter.list_listings()
    assert "invalid_grant" in str(info.value)
    assert REFRESH not in str(info.value) and CLIENT_SECRET not in str(info.value)


def test_listing_pages_by_offset_and_joins_offers(adapter: EbayAdapter) -> None:
    def item(sku: str) -> dict[str, Any]:
        return {"sku": sku, "product": {"title": sku}, "availability": {"shipToLocationAvailability": {"quantity": 3}}}

    def offers(sku: str, offer_id: str) -> dict[str, Any]:
        return {
            "offers": [
                {
                    "offerId": offer_id,
                    "sku": sku,
                    "marketplaceId": "EBAY_US",
                    "availableQuantity": 3,
                    "status": "PUBLISHED",
                    "pricingSummary": {"price": {"value": "9.99", "currency": "USD"}},
                }
            ]
        }

    with responses.RequestsMock() as rsps:
        token(rsps)
        rsps.get(
            API + "inventory_item",
            json={"total": 3, "next": "…offset=2", "inventoryItems": [item("A"), item("B")]},
            match=[matchers.query_param_matcher({"limit": "2", "offset": "0"})],
        )
        rsps.get(
            API + "inventory_item",
            json={"total": 3, "inventoryItems": [item("C")]},
            match=[matchers.query_param_matcher({"limit": "2", "offset": "2"})],
        )
        for sku, oid in (("A", "1"), ("C", "3")):
            rsps.get(
                API + "offer",
                json=offers(sku, oid),
                match=[matchers.query_param_matcher({"sku": sku, "marketplace_id": "EBAY_US"})],
            )
        rsps.get(API + "offer", status=404, json={"errors": [{"errorId": 25713, "message": "not available"}]})
        adapter.options = adapter.options.model_copy(update={"page_size": 2})
        listed = adapter.list_listings()
    assert [(r.state.sku, r.remote_id) for r in listed] == [("A", "1"), ("C", "3")]  # B has no offer
    assert listed[0].state.price == Money.of("9.99", "USD")


def test_bulk_update_body_and_batches(adapter: EbayAdapter) -> None:
    ok = {"responses": [{"statusCode": 200, "sku": s, "offerId": o} for s, o in (("A", "1"), ("B", "2"))]}
    with responses.RequestsMock() as rsps:
        token(rsps)
        rsps.post(
            API + "bulk_update_price_quantity",
            json=ok,
            match=[matchers.json_params_matcher({"requests": [entry("A", "1"), entry("B", "2", "7.00", 0)]})],
        )
        rsps.post(
            API + "bulk_update_price_quantity",
            json={"responses": [{"statusCode": 200, "sku": "C", "offerId": "3"}]},
            match=[matchers.json_params_matcher({"requests": [entry("C", "3")]})],
        )
        results = adapter.push(
            [
                Change.update("1", state("A")),
                Change.update("2", state("B", "7", 0)),
                Change.update("3", state("C")),
            ]
        )
    assert [(r.sku, r.ok, r.remote_id) for r in results] == [("A", True, "1"), ("B", True, "2"), ("C", True, "3")]
    assert adapter.write_requests == 2
    assert adapter.capabilities.batch_limit == 2


def test_207_is_mapped_per_sku(adapter: EbayAdapter) -> None:
    multi = {
        "responses": [
            {"statusCode": 200, "sku": "A", "offerId": "1"},
            {
                "statusCode": 400,
                "sku": "B",
                "offerId": "2",
                "errors": [
                    {"errorId": 25021, "domain": "API_INVENTORY", "category": "REQUEST", "message": "bad price"}
                ],
            },
        ]
    }
    with responses.RequestsMock() as rsps:
        token(rsps)
        rsps.post(API + "bulk_update_price_quantity", status=207, json=multi)
        results = adapter.push([Change.update("1", state("A")), Change.update("2", state("B"))])
    assert [r.ok for r in results] == [True, False]
    assert results[1].error == "25021: bad price" and not results[1].retryable
    assert results[1].remote_id == "2"


def test_missing_and_5xx_entries(adapter: EbayAdapter) -> None:
    answer = {
        "responses": [{"statusCode": 500, "sku": "A", "offerId": "1", "errors": [{"errorId": 25001, "message": "x"}]}]
    }
    with responses.RequestsMock() as rsps:
        token(rsps)
        rsps.post(API + "bulk_update_price_quantity", status=207, json=answer)
        results = adapter.push([Change.update("1", state("A")), Change.update("2", state("B"))])
    assert [(r.ok, r.retryable) for r in results] == [(False, True), (False, False)]
    assert "no result" in (results[1].error or "")


def test_creates_are_refused_without_a_call(adapter: EbayAdapter) -> None:
    with responses.RequestsMock():
        [result] = adapter.push([Change.create(state("NEW"))])
    assert not result.ok and result.error == CREATE_REFUSED
    assert adapter.write_requests == 0


def test_revision_budget_refuses_past_the_cap(sleeps: list[float], now: list[float], day: list[date]) -> None:
    adapter = make(sleeps, now, day, revisions_per_day=2)
    with responses.RequestsMock() as rsps:
        token(rsps)
        rsps.post(
            API + "bulk_update_price_quantity", json={"responses": [{"statusCode": 200, "sku": "A", "offerId": "1"}]}
        )
        assert adapter.push([Change.update("1", state("A"))])[0].ok
        assert adapter.revision_budget_left("A") == 1
        assert adapter.push([Change.update("1", state("A"))])[0].ok
        [refused] = adapter.push([Change.update("1", state("A"))])
        assert len([c for c in rsps.calls if c.request.method == "POST" and "bulk" in c.request.url]) == 2
    assert not refused.ok and not refused.retryable
    assert "revision budget" in (refused.error or "")
    assert adapter.revision_budget_left("A") == 0 and adapter.revision_budget_left("B") == 2
    day[0] = date(2026, 11, 28)
    assert adapter.revision_budget_left("A") == 2


def test_429_waits_retry_after_and_reports_it(adapter: EbayAdapter, sleeps: list[float]) -> None:
    reports: list[ThrottleStatus] = []

    class Governor:
        def acquire(self, cost: float = 1.0) -> None:
            return None

        def report(self, status: ThrottleStatus) -> None:
            reports.append(status)

    adapter.rate_feedback = Governor()
    with responses.RequestsMock() as rsps:
        token(rsps)
        rsps.post(
            API + "bulk_update_price_quantity",
            status=429,
            json={"errors": [{"errorId": 2001}]},
            headers={"Retry-After": "4"},
        )
        rsps.post(
            API + "bulk_update_price_quantity", json={"responses": [{"statusCode": 200, "sku": "A", "offerId": "1"}]}
        )
        [result] = adapter.push([Change.update("1", state("A"))])
    assert result.ok
    assert sleeps == [4.0]
    assert [(r.throttled, r.retry_after) for r in reports] == [(True, 4.0)]
    assert adapter.write_requests == 2
    assert adapter.revision_budget_left("A") == 248  # both sends count against the cap


def test_429_beyond_the_longest_wait_is_raised(adapter: EbayAdapter, sleeps: list[float]) -> None:
    with responses.RequestsMock() as rsps:
        token(rsps)
        rsps.get(API + "inventory_item", status=429, headers={"Retry-After": "86400"})
        with pytest.raises(ChannelRateLimited) as info:
            adapter.list_listings()
    assert info.value.retry_after == 86400 and sleeps == []


def test_expired_token_401_is_renewed_once(adapter: EbayAdapter) -> None:
    with responses.RequestsMock() as rsps:
        token(rsps, "old")
        rsps.get(
            API + "inventory_item", status=401, json={"errors": [{"errorId": 1001, "message": "Invalid access token"}]}
        )
        rsps.add_callback(
            responses.POST,
            TOKEN_URL,
            callback=lambda r: (200, {}, json.dumps({"access_token": "new", "expires_in": 7200})),
        )
        rsps.get(
            API + "inventory_item",
            json={"inventoryItems": []},
            match=[matchers.header_matcher({"Authorization": "Bearer new"})],
        )
        assert adapter.list_listings() == []
    assert adapter.token.refreshes == 2


def test_whole_request_refused_raises(adapter: EbayAdapter) -> None:
    with responses.RequestsMock() as rsps:
        token(rsps)
        rsps.post(
            API + "bulk_update_price_quantity", status=400, json={"errors": [{"errorId": 25709, "message": "too many"}]}
        )
        with pytest.raises(ChannelRequestError, match="25709: too many"):
            adapter.push([Change.update("1", state("A"))])
