"""ShopifyAdapter error mapping, throttling, registry and settings, against `responses` (no network)."""

from __future__ import annotations

from typing import Any

import pytest
import requests
import responses
from shopify_fakes import BASE, TOKEN, URL, Answer, Feedback, Shop, page, state, variant

from adapters import ADAPTERS, channel_validators, create_adapter
from adapters.base import Change
from adapters.shopify import ShopifyAdapter
from oneprice.errors import (
    ChannelAuthError,
    ChannelRateLimited,
    ChannelRequestError,
    ChannelResponseError,
    ChannelUnavailable,
)
from oneprice.settings import ChannelSettings

# -- errors and throttling --------------------------------------------------------------------


def throttled(available: float, requested: int = 101) -> Answer:
    status = {"maximumAvailable": 1000.0, "currentlyAvailable": available, "restoreRate": 50.0}
    doc = {
        "errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED"}}],
        "extensions": {"cost": {"requestedQueryCost": requested, "actualQueryCost": None, "throttleStatus": status}},
    }
    return lambda body: doc


def test_throttled_raises_rate_limited_with_the_bucket_wait(shop: Shop, make: Any) -> None:
    shop.on("OnepriceVariants", throttled(1.0))
    adapter = make(max_retries=0)
    feedback = Feedback()
    adapter.rate_feedback = feedback
    with pytest.raises(ChannelRateLimited) as info:
        adapter.list_listings()
    assert info.value.retry_after == pytest.approx(2.0)  # (101 - 1) / 50
    assert feedback.acquired == [101]
    assert feedback.reported[-1].throttled and feedback.reported[-1].retry_after == pytest.approx(2.0)
    assert adapter.last_throttle_status is not None and adapter.last_throttle_status.available == 1.0


def test_throttled_call_is_retried_after_the_wait(shop: Shop, make: Any, sleeps: list[float]) -> None:
    shop.on("OnepriceVariants", throttled(51.0), page([variant(11, "A")]))
    adapter = make(max_retries=2)
    feedback = Feedback()
    adapter.rate_feedback = feedback
    assert len(adapter.list_listings()) == 1
    assert sleeps == [pytest.approx(1.0)]
    last = feedback.reported[-1]
    assert (last.throttled, last.available, last.capacity, last.restore_rate, last.cost) == (False, 990, 1000, 50, 10)


@pytest.mark.parametrize("status", [401, 403])
def test_auth_refused(shop: Shop, make: Any, status: int) -> None:
    shop.on("OnepriceVariants", lambda body: (status, {"errors": f"[API] Invalid API key {TOKEN}"}))
    with pytest.raises(ChannelAuthError) as info:
        make().list_listings()
    assert "write_products" in str(info.value) and TOKEN not in str(info.value)


def test_5xx_is_retried_then_raised(shop: Shop, make: Any, sleeps: list[float]) -> None:
    shop.on("OnepriceVariants", *[lambda body: (503, {"errors": "busy"})] * 3)
    with pytest.raises(ChannelUnavailable, match="HTTP 503"):
        make(max_retries=2).list_listings()
    assert len(sleeps) == 2


def test_product_create_is_not_retried_where_handles_are_not_unique(make: Any) -> None:
    with responses.RequestsMock() as rsps:
        url = BASE + "/admin/api/2024-10/graphql.json"
        rsps.add(responses.POST, url, json={"errors": "bad gateway"}, status=502)
        adapter = make(max_retries=3, api_version="2024-10")
        with pytest.raises(ChannelUnavailable):
            adapter.push([Change.create(state("A"))])
        assert len(rsps.calls) == 1 and adapter.write_requests == 1


def test_timeout_is_unavailable(make: Any) -> None:
    with responses.RequestsMock() as rsps:
        rsps.add(responses.POST, URL, body=requests.Timeout("slow"))
        with pytest.raises(ChannelUnavailable, match="no answer within"):
            make(max_retries=0).list_listings()


@pytest.mark.parametrize(
    ("doc", "error", "message"),
    [
        (
            {"errors": [{"message": "Access denied", "extensions": {"code": "ACCESS_DENIED"}}]},
            ChannelAuthError,
            "Access denied",
        ),
        ({"errors": [{"message": "Field 'x' doesn't exist"}]}, ChannelRequestError, "Field 'x'"),
        ({"data": None}, ChannelResponseError, "no data object"),
        ([1, 2], ChannelResponseError, "not a JSON object"),
        (page([variant(11, "A")], True, None), ChannelResponseError, "hasNextPage without endCursor"),
    ],
)
def test_bad_answers_name_what_was_wrong(shop: Shop, make: Any, doc: Any, error: type[Exception], message: str) -> None:
    shop.on("OnepriceVariants", (lambda body: doc) if "productVariants" not in doc else doc)
    with pytest.raises(error, match=message):
        make(max_retries=0).list_listings()


# -- registry and settings --------------------------------------------------------------------


def test_registered_and_built_from_settings() -> None:
    channel = ChannelSettings.model_validate(
        {
            "name": "us",
            "kind": "shopify",
            "base_url": BASE,
            "currency": "USD",
            "credentials": {"access_token": TOKEN},
            "options": {"api_version": "2025-04", "page_size": 50},
        }
    )
    assert ADAPTERS["shopify"] is ShopifyAdapter
    with create_adapter(channel) as adapter:
        assert isinstance(adapter, ShopifyAdapter)
        assert adapter.endpoint == BASE + "/admin/api/2025-04/graphql.json"
        assert adapter.capabilities.rate_model == "cost" and adapter.capabilities.batch_limit == 1
        assert TOKEN not in repr(adapter)


@pytest.mark.parametrize(
    ("block", "where"),
    [
        ({"credentials": {}}, ("credentials", "access_token")),
        ({"credentials": {"access_token": "x"}, "options": {"api_version": "2025-02"}}, ("options", "api_version")),
        ({"credentials": {"access_token": "x"}, "options": {"page_size": 251}}, ("options", "page_size")),
        ({"credentials": {"access_token": "x"}, "options": {"sku_field": "x"}}, ("options", "sku_field")),
    ],
)
def test_settings_problems_name_the_key(block: dict[str, Any], where: tuple[str, str]) -> None:
    problems = channel_validators()["shopify"](block)
    assert [loc for loc, _ in problems] == [where]
