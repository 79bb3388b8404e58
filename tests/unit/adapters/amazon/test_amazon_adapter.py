"""AmazonAdapter request shapes (API_FACTS 2.4), token flow and error mapping, against `responses`."""

from __future__ import annotations

import json
import random
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs

import pytest
import responses
from responses import matchers

from adapters.amazon import CREATE_REFUSED, AmazonAdapter, AmazonOptions
from adapters.base import Change, ThrottleStatus
from oneprice.domain.listing import ListingState
from oneprice.domain.money import Money
from oneprice.errors import ChannelAuthError, ChannelResponseError

BASE = "https://sellingpartnerapi-na.amazon.com"
TOKEN_URL = "https://api.amazon.com/auth/o2/token"
SELLER, MARKET = "A1SELLER", "ATVPDKIKX0DER"
ITEMS = f"{BASE}/listings/2021-08-01/items/{SELLER}"
CLIENT_ID, CLIENT_SECRET, REFRESH = "amzn1.application-oa2-client.abc", "lwa-secret-xyz", "Atzr|refresh-123"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Governor:
    def __init__(self) -> None:
        self.acquired = 0
        self.reports: list[ThrottleStatus] = []

    def acquire(self, cost: float = 1.0) -> None:
        self.acquired += 1

    def report(self, status: ThrottleStatus) -> None:
        self.reports.append(status)


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def adapter(sleeps: list[float], clock: Clock) -> AmazonAdapter:
    return AmazonAdapter(
        channel="amazon-us",
        base_url=BASE,
        currency="USD",
        lwa_client_id=CLIENT_ID,
        lwa_client_secret=CLIENT_SECRET,
        refresh_token=REFRESH,
        seller_id=SELLER,
        options=AmazonOptions(marketplace_id=MARKET, product_type="OUTERWEAR", page_size=2),
        sleep=sleeps.append,
        clock=clock,
        rng=random.Random(1),
    )


def state(sku: str = "SKU-1", price: str = "12.30", stock: int = 4) -> ListingState:
    return ListingState(sku=sku, name=f"Item {sku}", price=Money.of(price, "USD"), stock=stock)


def token(rsps: responses.RequestsMock, access: str = "Atza|token-1", expires_in: int = 3600) -> None:
    rsps.post(TOKEN_URL, json={"access_token": access, "token_type": "bearer", "expires_in": expires_in})


def item(sku: str, price: str = "12.30", qty: int = 4) -> dict[str, Any]:
    return {
        "sku": sku,
        "summaries": [{"marketplaceId": MARKET, "status": ["BUYABLE"], "itemName": f"Item {sku}"}],
        "offers": [{"marketplaceId": MARKET, "offerType": "B2C", "price": {"currencyCode": "USD", "amount": price}}],
        "fulfillmentAvailability": [{"fulfillmentChannelCode": "DEFAULT", "quantity": qty}],
    }


def accepted(sku: str) -> dict[str, Any]:
    return {"sku": sku, "status": "ACCEPTED", "submissionId": "sub-1", "issues": []}


def test_lwa_token_is_requested_once_and_sent_as_header(adapter: AmazonAdapter) -> None:
    with responses.RequestsMock() as rsps:
        token(rsps)
        rsps.get(
            ITEMS,
            json={"items": [item("A")], "pagination": {}},
            match=[
                matchers.header_matcher({"x-amz-access-token": "Atza|token-1"}),
                matchers.query_param_matcher(
                    {
                        "marketplaceIds": MARKET,
                        "includedData": "summaries,attributes,offers,fulfillmentAvailability",
                        "pageSize": "2",
                    }
                ),
            ],
        )
        adapter.list_listings()
        adapter.list_listings()
        form = parse_qs(rsps.calls[0].request.body)  # type: ignore[arg-type]
        assert form == {
            "grant_type": ["refresh_token"],
            "refresh_token": [REFRESH],
            "client_id": [CLIENT_ID],
            "client_secret": [CLIENT_SECRET],
        }
        assert [c.request.method for c in rsps.calls] == ["POST", "GET", "GET"]
        assert adapter.token.refreshes == 1


def test_token_is_refreshed_after_expiry(adapter: AmazonAdapter, clock: Clock) -> None:
    with responses.RequestsMock() as rsps:
        token(rsps, "Atza|first", expires_in=3600)
        rsps.get(ITEMS, json={"items": []})
        adapter.list_listings()
        clock.now += 3600 - 30  # inside the renewal margin: a new token before the old one expires
        rsps.replace(responses.POST, TOKEN_URL, json={"access_token": "Atza|second", "expires_in": 3600})
        adapter.list_listings()
        assert rsps.calls[-1].request.headers["x-amz-access-token"] == "Atza|second"
        assert adapter.token.refreshes == 2


def test_refused_refresh_token_is_an_auth_error_without_secrets(adapter: AmazonAdapter) -> None:
    with responses.RequestsMock() as rsps:
        rsps.post(TOKEN_URL, status=400, json={"error": "invalid_grant", "error_description": REFRESH})
        with pytest.raises(ChannelAuthError) as info:
            adapter.list_listings()
    text = str(info.value)
    assert "invalid_grant" in text
    assert REFRESH not in text and CLIENT_SECRET not in text


def test_listing_follows_next_token(adapter: AmazonAdapter) -> None:
    with responses.RequestsMock() as rsps:
        token(rsps)
        rsps.get(
            ITEMS,
            json={"items": [item("A"), item("B")], "pagination": {"nextToken": "tok2"}},
            match=[matchers.query_param_matcher({"pageSize": "2"}, strict_match=False)],
        )
        rsps.get(
            ITEMS,
            json={"items": [item("C")], "pagination": {}},
            match=[matchers.query_param_matcher({"pageToken": "tok2"}, strict_match=False)],
        )
        listed = adapter.list_listings()
    assert [r.remote_id for r in listed] == ["A", "B", "C"]
    assert listed[0].state.price == Money.of("12.30", "USD")


def test_malformed_listing_is_a_response_error(adapter: AmazonAdapter) -> None:
    with responses.RequestsMock() as rsps:
        token(rsps)
        rsps.get(ITEMS, json={"items": [{"sku": ""}]})
        with pytest.raises(ChannelResponseError):
            adapter.list_listings()


def test_find_by_skus_gets_each_sku_and_skips_unknown(adapter: AmazonAdapter) -> None:
    with responses.RequestsMock() as rsps:
        token(rsps)
        rsps.get(f"{ITEMS}/A%2F1", json=item("A/1"))
        rsps.get(f"{ITEMS}/NOPE", status=404, json={"errors": [{"code": "NOT_FOUND", "message": "not found"}]})
        found = adapter.verify(["A/1", "NOPE"])
    assert list(found) == ["A/1"]


def test_patch_shape_exact_bytes_and_never_put(adapter: AmazonAdapter) -> None:
    with responses.RequestsMock() as rsps:
        token(rsps)
        rsps.patch(
            f"{ITEMS}/SKU-1",
            json=accepted("SKU-1"),
            match=[
                matchers.query_param_matcher({"marketplaceIds": MARKET, "includedData": "issues"}),
                matchers.header_matcher({"x-amz-access-token": "Atza|token-1", "Content-Type": "application/json"}),
            ],
        )
        [result] = adapter.push([Change.update("SKU-1", state(price="1299.10", stock=7))])
        body = rsps.calls[-1].request.body
    assert result.ok and result.remote_id == "SKU-1"
    assert isinstance(body, bytes)
    assert b'"value_with_tax": 1299.10' in body  # a JSON number with the Decimal's digits
    doc = json.loads(body, parse_float=Decimal)
    assert doc["productType"] == "OUTERWEAR"
    assert [(p["op"], p["path"]) for p in doc["patches"]] == [
        ("replace", "/attributes/purchasable_offer"),
        ("replace", "/attributes/fulfillment_availability"),
    ]
    assert doc["patches"][0]["value"][0]["our_price"][0]["schedule"][0]["value_with_tax"] == Decimal("1299.10")
    assert doc["patches"][1]["value"] == [{"fulfillment_channel_code": "DEFAULT", "quantity": 7}]
    assert all(c.request.method != "PUT" for c in rsps.calls)
    assert adapter.write_requests == 1


def test_one_patch_per_sku_and_creates_are_refused_without_a_call(adapter: AmazonAdapter) -> None:
    with responses.RequestsMock() as rsps:
        token(rsps)
        rsps.patch(f"{ITEMS}/A", json=accepted("A"))
        rsps.patch(f"{ITEMS}/B", json=accepted("B"))
        results = adapter.push(
            [Change.update("A", state("A")), Change.create(state("NEW")), Change.update("B", state("B"))]
        )
    assert [(r.sku, r.ok) for r in results] == [("A", True), ("NEW", False), ("B", True)]
    assert results[1].error == CREATE_REFUSED and not results[1].retryable
    assert adapter.write_requests == 2


def test_invalid_submission_is_refused_with_the_issues(adapter: AmazonAdapter) -> None:
    answer = {
        "sku": "A",
        "status": "INVALID",
        "submissionId": "s",
        "issues": [
            {
                "code": "90220",
                "message": "'our_price' is required.",
                "severity": "ERROR",
                "attributeNames": ["purchasable_offer"],
            },
            {"code": "18027", "message": "just a warning", "severity": "WARNING"},
        ],
    }
    with responses.RequestsMock() as rsps:
        token(rsps)
        rsps.patch(f"{ITEMS}/A", json=answer)
        [result] = adapter.push([Change.update("A", state("A"))])
    assert not result.ok and not result.retryable
    assert result.error == "INVALID: 90220: 'our_price' is required. [purchasable_offer]"


@pytest.mark.parametrize("status", [400, 413, 415])
def test_client_errors_refuse_the_item_only(adapter: AmazonAdapter, status: int) -> None:
    with responses.RequestsMock() as rsps:
        token(rsps)
        rsps.patch(f"{ITEMS}/A", status=status, json={"errors": [{"code": "InvalidInput", "message": "bad"}]})
        rsps.patch(f"{ITEMS}/B", json=accepted("B"))
        results = adapter.push([Change.update("A", state("A")), Change.update("B", state("B"))])
    assert [r.ok for r in results] == [False, True]
    assert f"HTTP {status} InvalidInput: bad" in (results[0].error or "")
    assert not results[0].retryable


def test_429_waits_retry_after_then_succeeds(adapter: AmazonAdapter, sleeps: list[float]) -> None:
    governor = Governor()
    adapter.rate_feedback = governor
    quota = {"errors": [{"code": "QuotaExceeded", "message": "You exceeded your quota for the requested resource."}]}
    with responses.RequestsMock() as rsps:
        token(rsps)
        rsps.patch(f"{ITEMS}/A", status=429, json=quota, headers={"Retry-After": "3"})
        rsps.patch(f"{ITEMS}/A", status=429, json=quota, headers={"x-amzn-RateLimit-Limit": "5.0"})
        rsps.patch(f"{ITEMS}/A", json=accepted("A"))
        [result] = adapter.push([Change.update("A", state("A"))])
    assert result.ok
    assert sleeps == [3.0, 0.2]
    assert adapter.write_requests == 3
    assert [r.retry_after for r in governor.reports] == [3.0, 0.2]
    assert all(r.throttled for r in governor.reports)
    assert governor.acquired == 3  # the token request is not an SP-API call


def test_throttle_outlasting_retries_refuses_the_rest_as_retryable(adapter: AmazonAdapter, sleeps: list[float]) -> None:
    quota = {"errors": [{"code": "QuotaExceeded", "message": "quota"}]}
    with responses.RequestsMock() as rsps:
        token(rsps)
        rsps.patch(f"{ITEMS}/A", status=429, json=quota, headers={"Retry-After": "1"})
        results = adapter.push([Change.update("A", state("A")), Change.update("B", state("B"))])
        assert len([c for c in rsps.calls if c.request.method == "PATCH"]) == 4  # 1 + 3 retries, B never sent
    assert [r.ok for r in results] == [False, False]
    assert all(r.retryable for r in results)
    assert "QuotaExceeded" in (results[0].error or "") and "not sent" in (results[1].error or "")
    assert sleeps == [1.0, 1.0, 1.0]


def test_too_long_retry_after_is_not_waited(adapter: AmazonAdapter, sleeps: list[float]) -> None:
    with responses.RequestsMock() as rsps:
        token(rsps)
        rsps.patch(f"{ITEMS}/A", status=429, json={"errors": []}, headers={"Retry-After": "3600"})
        [result] = adapter.push([Change.update("A", state("A"))])
    assert not result.ok and result.retryable
    assert sleeps == []


def test_expired_access_token_is_renewed_once(adapter: AmazonAdapter) -> None:
    unauthorized = {"errors": [{"code": "Unauthorized", "message": "Access to requested resource is denied."}]}
    with responses.RequestsMock() as rsps:
        token(rsps, "Atza|old")
        rsps.get(ITEMS, status=403, json=unauthorized)
        rsps.get(ITEMS, json={"items": []}, match=[matchers.header_matcher({"x-amz-access-token": "Atza|new"})])
        rsps.add_callback(
            responses.POST,
            TOKEN_URL,
            callback=lambda request: (200, {}, json.dumps({"access_token": "Atza|new", "expires_in": 3600})),
        )
        assert adapter.list_listings() == []  # token answers are used in the order registered
    assert adapter.token.refreshes == 2


def test_403_forbidden_is_an_auth_error(adapter: AmazonAdapter) -> None:
    with responses.RequestsMock() as rsps:
        token(rsps)
        rsps.get(ITEMS, status=403, json={"errors": [{"code": "Forbidden", "message": "no role"}]})
        with pytest.raises(ChannelAuthError, match="Forbidden"):
            adapter.list_listings()


def test_5xx_is_retried_with_backoff(adapter: AmazonAdapter, sleeps: list[float]) -> None:
    with responses.RequestsMock() as rsps:
        token(rsps)
        rsps.get(ITEMS, status=503, json={"errors": [{"code": "ServiceUnavailable", "message": "later"}]})
        rsps.get(ITEMS, json={"items": [item("A")]})
        assert len(adapter.list_listings()) == 1
    assert len(sleeps) == 1 and 0.25 <= sleeps[0] <= 0.5


def test_from_settings_validates_credentials() -> None:
    from oneprice.errors import UserError
    from oneprice.settings.models import ChannelSettings

    channel = ChannelSettings(
        name="amazon-us",
        kind="amazon",
        base_url=BASE,
        currency="USD",
        credentials={"lwa_client_id": "x", "lwa_client_secret": "y", "refresh_token": "z"},  # type: ignore[dict-item]
        options={"marketplace_id": MARKET},
    )
    with pytest.raises(UserError, match="seller_id"):
        AmazonAdapter.from_settings(channel)
