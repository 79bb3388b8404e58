"""Fixtures for the ShopifyAdapter tests: the scripted shop and an adapter factory (no network)."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest
import responses
from shopify_fakes import BASE, LOCATION, TOKEN, Shop

from adapters.shopify import ShopifyAdapter, ShopifyOptions


@pytest.fixture
def shop() -> Any:
    with responses.RequestsMock() as rsps:
        yield Shop(rsps)


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def make(sleeps: list[float]) -> Callable[..., ShopifyAdapter]:
    def build(**options: Any) -> ShopifyAdapter:
        options.setdefault("location_id", LOCATION)
        return ShopifyAdapter(
            channel="us",
            base_url=BASE + "/",
            currency="CNY",
            access_token=TOKEN,
            options=ShopifyOptions(**options),
            sleep=sleeps.append,
            rng=random.Random(7),
        )

    return build
