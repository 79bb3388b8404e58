"""Adapters and answers shared by the hostile-answer tests: each adapter pointed at its channel's address
(served by `responses`), a listing state and a callback that fails a test on a paged read going round."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import requests

from adapters.amazon import AmazonAdapter, AmazonOptions
from adapters.ebay import EbayAdapter, EbayOptions
from adapters.jd import JdAdapter
from adapters.pinduoduo import PinduoduoAdapter, PinduoduoOptions
from adapters.shopify import ShopifyAdapter, ShopifyOptions
from adapters.taobao import TaobaoAdapter, TaobaoOptions
from adapters.woocommerce import WooCommerceAdapter, WooCommerceOptions
from adapters.youzan import YouzanAdapter, YouzanOptions
from oneprice.domain.listing import ListingState
from oneprice.domain.money import Money

NOW = datetime(2026, 11, 27, 12, 0, 0, tzinfo=UTC)
HUGE = "1" + "0" * 30  # more digits than Decimal's 28 once quantized to cents
BOM = b"\xef\xbb\xbf"

TAOBAO_URL = "https://gw.api.taobao.com/router/rest"
PDD_URL = "https://gw-api.pinduoduo.com/api/router"
JD_URL = "https://api.jd.com/routerjson"
YOUZAN = "https://api.youzanyun.com"
WOO = "https://shop.example/store"
WOO_API = WOO + "/wp-json/wc/v3/"
SHOPIFY = "https://brand.myshopify.com"
SHOPIFY_GQL = SHOPIFY + "/admin/api/2025-01/graphql.json"
AMAZON = "https://sellingpartnerapi-na.amazon.com"
AMAZON_ITEMS = AMAZON + "/listings/2021-08-01/items/A1SELLER"
LWA_URL = "https://api.amazon.com/auth/o2/token"
EBAY = "https://api.ebay.com"
EBAY_API = EBAY + "/sell/inventory/v1/"
EBAY_TOKEN_URL = EBAY + "/identity/v1/oauth2/token"

LOOP_LIMIT = 25
"""Calls after which a paged read that has not stopped is taken to be looping."""


def state(sku: str = "A", price: str = "12.30", currency: str = "CNY", stock: int = 3) -> ListingState:
    return ListingState(sku=sku, name=f"Item {sku}", price=Money.of(price, currency), stock=stock)


def looping(answer: Callable[[Any], Any]) -> Callable[[Any], tuple[int, dict[str, str], str]]:
    """A responses callback serving `answer(request)` as JSON, failing the test once it is called too often."""
    calls = [0]

    def serve(request: Any) -> tuple[int, dict[str, str], str]:
        calls[0] += 1
        assert calls[0] <= LOOP_LIMIT, "the adapter kept asking for the same page"
        return 200, {"Content-Type": "application/json"}, json.dumps(answer(request))

    return serve


# -- adapters ------------------------------------------------------------------------------


def taobao() -> TaobaoAdapter:
    return TaobaoAdapter(
        channel="tmall",
        base_url=TAOBAO_URL,
        currency="CNY",
        app_key="12345678",
        app_secret="top_secret_0123",
        session_key="session_abcdef",
        options=TaobaoOptions(page_size=2, max_retries=0),
        session=requests.Session(),
        sleep=lambda s: None,
        clock=lambda: NOW,
    )


def pdd() -> PinduoduoAdapter:
    return PinduoduoAdapter(
        channel="pdd",
        base_url=PDD_URL,
        currency="CNY",
        client_id="cid",
        client_secret="pdd_secret_0123",
        access_token="pdd_token_abcdef",
        options=PinduoduoOptions(page_size=2, max_retries=0),
        session=requests.Session(),
        sleep=lambda s: None,
        clock=lambda: NOW,
    )


def jd() -> JdAdapter:
    from adapters.jd import JdOptions

    return JdAdapter(
        channel="jd",
        base_url=JD_URL,
        currency="CNY",
        app_key="jdkey",
        app_secret="jd_secret_0123",
        access_token="jd_token_abcdef",
        options=JdOptions(page_size=2, max_retries=0),
        session=requests.Session(),
        sleep=lambda s: None,
        clock=lambda: NOW,
    )


def youzan(sleeps: list[float] | None = None) -> YouzanAdapter:
    return YouzanAdapter(
        channel="wx",
        base_url=YOUZAN,
        currency="CNY",
        access_token="yz_token_abcdef0123",
        options=YouzanOptions(page_size=2, max_retries=1),
        session=requests.Session(),
        sleep=(sleeps if sleeps is not None else []).append,
    )


def woo() -> WooCommerceAdapter:
    return WooCommerceAdapter(
        channel="official",
        base_url=WOO + "/",
        currency="CNY",
        consumer_key="ck_0123456789abcdef",
        consumer_secret="cs_0123456789abcdef",
        options=WooCommerceOptions(per_page=2, max_retries=0),
        sleep=lambda s: None,
        rng=random.Random(7),
    )


def shopify(sleeps: list[float] | None = None) -> ShopifyAdapter:
    return ShopifyAdapter(
        channel="us",
        base_url=SHOPIFY,
        currency="CNY",
        access_token="shpat_secret_token",
        options=ShopifyOptions(api_version="2025-01", location_id="1", page_size=2, max_retries=2),
        sleep=(sleeps if sleeps is not None else []).append,
        rng=random.Random(7),
    )


def amazon() -> AmazonAdapter:
    return AmazonAdapter(
        channel="amazon-us",
        base_url=AMAZON,
        currency="USD",
        lwa_client_id="amzn1.application-oa2-client.abc",
        lwa_client_secret="lwa-secret-xyz",
        refresh_token="Atzr|refresh-123",
        seller_id="A1SELLER",
        options=AmazonOptions(marketplace_id="ATVPDKIKX0DER", product_type="OUTERWEAR", page_size=2, max_retries=0),
        sleep=lambda s: None,
        rng=random.Random(1),
    )


def ebay() -> EbayAdapter:
    return EbayAdapter(
        channel="ebay-us",
        base_url=EBAY,
        currency="USD",
        client_id="Brand-app-PRD-1234",
        client_secret="PRD-cert-secret",
        refresh_token="v^1.1#refresh-secret",
        options=EbayOptions(page_size=2, max_retries=0),
        sleep=lambda s: None,
        clock=lambda: 1000.0,
        today=lambda: date(2026, 11, 27),
        rng=random.Random(1),
    )


def variant(n: int, sku: str, price: Any = "12.30") -> dict[str, Any]:
    return {
        "id": f"gid://shopify/ProductVariant/{n}",
        "sku": sku,
        "price": price,
        "inventoryQuantity": 3,
        "updatedAt": "2026-11-27T12:00:00Z",
        "inventoryItem": {"id": f"gid://shopify/InventoryItem/{n}"},
        "product": {"id": f"gid://shopify/Product/{n}", "title": f"Item {sku}", "status": "ACTIVE"},
    }


def shopify_answers(answers: dict[str, Any]) -> Callable[[Any], tuple[int, dict[str, str], str]]:
    def serve(request: Any) -> tuple[int, dict[str, str], str]:
        operation = json.loads(request.body)["operationName"]
        return 200, {"Content-Type": "application/json"}, json.dumps({"data": answers[operation]})

    return serve
