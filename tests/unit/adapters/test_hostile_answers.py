"""Malformed and hostile channel answers, served by `responses`: each must end in a clear ChannelError
(or a per-item refusal) that names where the problem is, never a traceback, a loop or a leaked secret."""

from __future__ import annotations

import json
import math
import random
import traceback
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
import requests
import responses

from adapters.amazon import AmazonAdapter, AmazonOptions
from adapters.amazon.auth import LwaToken
from adapters.amazon.mapper import AmazonMapper
from adapters.base import Change, scrub_secrets
from adapters.cn_gateway import as_int
from adapters.ebay import EbayAdapter, EbayOptions
from adapters.ebay.http import EbayToken
from adapters.ebay.mapper import EbayMapper
from adapters.jd import JdAdapter
from adapters.jd.mapper import JdMapper
from adapters.pinduoduo import PinduoduoAdapter, PinduoduoOptions
from adapters.pinduoduo.mapper import PinduoduoMapper
from adapters.pinduoduo.settings import PriceRule
from adapters.retry import retry_delay
from adapters.shopify import ShopifyAdapter, ShopifyOptions
from adapters.shopify.mapper import ShopifyMapper
from adapters.taobao import TaobaoAdapter, TaobaoOptions
from adapters.taobao.mapper import TaobaoMapper
from adapters.woocommerce import WooCommerceAdapter, WooCommerceOptions
from adapters.woocommerce.mapper import WooCommerceMapper
from adapters.youzan import YouzanAdapter, YouzanOptions
from adapters.youzan.mapper import YouzanMapper
from oneprice.domain.listing import ListingState
from oneprice.domain.money import Money
from oneprice.errors import (
    ChannelAuthError,
    ChannelError,
    ChannelRateLimited,
    ChannelRequestError,
    ChannelResponseError,
)

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


# -- huge amounts ---------------------------------------------------------------------------

HUGE_PRICE_READS: dict[str, Callable[[], Any]] = {
    "taobao": lambda: TaobaoMapper("CNY").to_listings(
        {"num_iid": 1, "title": "T", "skus": {"sku": [{"sku_id": 2, "outer_id": "A", "price": HUGE, "quantity": 1}]}}
    ),
    "jd": lambda: JdMapper("CNY").to_listing({"skuId": 2, "wareId": 1, "outerId": "A", "jdPrice": HUGE}),
    "pinduoduo": lambda: PinduoduoMapper("CNY", PriceRule(), PriceRule(offset_fen=-100)).to_listings(
        {"goods_id": 1, "sku_list": [{"sku_id": 2, "out_sku_sn": "A", "price": int(HUGE), "multi_price": int(HUGE)}]}
    ),
    "youzan": lambda: YouzanMapper("CNY").to_listings(
        {"item_id": 1, "skus": [{"sku_id": 2, "item_no": "A", "price": int(HUGE), "quantity": 1}]}
    ),
    "woocommerce": lambda: WooCommerceMapper("CNY").to_listing({"id": 1, "sku": "A", "regular_price": HUGE}),
    "shopify": lambda: ShopifyMapper("CNY").to_record(variant(1, "A", HUGE)),
    "amazon": lambda: AmazonMapper("ATVPDKIKX0DER", "USD").to_listing(
        {"sku": "A", "offers": [{"price": {"amount": HUGE, "currencyCode": "USD"}}]}
    ),
    "ebay": lambda: EbayMapper("USD").to_listing(
        {"sku": "A"}, {"offerId": "9", "pricingSummary": {"price": {"value": HUGE, "currency": "USD"}}}
    ),
}


@pytest.mark.parametrize("kind", sorted(HUGE_PRICE_READS))
def test_a_price_too_large_for_decimal_is_a_value_error_naming_the_listing(kind: str) -> None:
    # Before: decimal.InvalidOperation escaped the mapper (and the adapter's `except ValueError`).
    with pytest.raises(ValueError, match="too large to be a price") as info:
        HUGE_PRICE_READS[kind]()
    where = {"woocommerce": "product 1", "shopify": "variant gid://shopify/ProductVariant/1"}.get(kind, "SKU A")
    assert str(info.value).startswith(where)


@responses.activate
def test_a_huge_price_in_a_listing_page_is_a_channel_response_error() -> None:
    responses.get(
        WOO_API + "products",
        json=[{"id": 7, "sku": "A", "regular_price": HUGE, "status": "publish"}],
        headers={"X-WP-TotalPages": "1"},
    )
    with pytest.raises(ChannelResponseError, match="product 7: price") as info:
        woo().list_listings()
    assert info.value.channel == "official"


# -- pages that go round ---------------------------------------------------------------------


def _shopify_pages() -> Callable[[], Any]:
    page = {
        "data": {
            "productVariants": {
                "nodes": [variant(1, "A"), variant(2, "B")],
                "pageInfo": {"hasNextPage": True, "endCursor": "c1"},
            }
        }
    }
    responses.add_callback(responses.POST, SHOPIFY_GQL, callback=looping(lambda r: page))
    return shopify().list_listings


def _amazon_pages() -> Callable[[], Any]:
    responses.post(LWA_URL, json={"access_token": "Atza|t1", "expires_in": 3600})
    page = {"items": [{"sku": "A"}], "pagination": {"nextToken": "same"}}
    responses.add_callback(responses.GET, AMAZON_ITEMS, callback=looping(lambda r: page))
    return amazon().list_listings


def _ebay_pages() -> Callable[[], Any]:
    responses.post(EBAY_TOKEN_URL, json={"access_token": "ebay-user-token", "expires_in": 7200})
    page = {"total": 1000, "next": "more", "inventoryItems": [{"sku": "A"}, {"sku": "B"}]}
    responses.add_callback(responses.GET, EBAY_API + "inventory_item", callback=looping(lambda r: page))
    responses.get(EBAY_API + "offer", json={"offers": []})
    return ebay().list_listings


def _woo_pages() -> Callable[[], Any]:
    page = [{"id": 1, "sku": "A", "regular_price": "1.00"}, {"id": 2, "sku": "B", "regular_price": "1.00"}]
    responses.add_callback(responses.GET, WOO_API + "products", callback=looping(lambda r: page))
    return woo().list_listings


def _taobao_pages() -> Callable[[], Any]:
    page = {"items_onsale_get_response": {"total_results": "99", "items": {"item": [{"num_iid": 1}, {"num_iid": 2}]}}}
    responses.add_callback(responses.POST, TAOBAO_URL, callback=looping(lambda r: page))
    return taobao().list_listings


def _pdd_pages() -> Callable[[], Any]:
    page = {"goods_list_get_response": {"goods_list": [{"goods_id": 1}, {"goods_id": 2}]}}
    responses.add_callback(responses.POST, PDD_URL, callback=looping(lambda r: page))
    return pdd().list_listings


def _jd_pages() -> Callable[[], Any]:
    rows = [{"skuId": 1, "wareId": 9}, {"skuId": 2, "wareId": 9}]
    page = {"jingdong_sku_read_searchSkuList_responce": {"code": "0", "page": {"data": rows}}}
    responses.add_callback(responses.POST, JD_URL, callback=looping(lambda r: page))
    return jd().list_listings


def _youzan_pages() -> Callable[[], Any]:
    page = {"success": True, "code": 200, "data": {"items": [{"item_id": 1}, {"item_id": 2}]}}
    responses.add_callback(
        responses.POST, YOUZAN + "/api/youzan.items.onsale.get/3.0.0", callback=looping(lambda r: page)
    )
    return youzan().list_listings


REPEATING_PAGES: dict[str, Callable[[], Callable[[], Any]]] = {
    "shopify (endCursor repeats)": _shopify_pages,
    "amazon (nextToken repeats)": _amazon_pages,
    "ebay (offset ignored, next given)": _ebay_pages,
    "woocommerce (page ignored, no X-WP-TotalPages)": _woo_pages,
    "taobao (page_no ignored, total_results a string)": _taobao_pages,
    "pinduoduo (page ignored, no total_count)": _pdd_pages,
    "jd (page ignored, no totalItem)": _jd_pages,
    "youzan (page_no ignored, no count)": _youzan_pages,
}


@pytest.mark.parametrize("case", sorted(REPEATING_PAGES))
@responses.activate
def test_a_listing_read_whose_pages_repeat_stops_with_a_response_error(case: str) -> None:
    # Before: the adapter asked for the next page forever.
    read = REPEATING_PAGES[case]()
    with pytest.raises(ChannelResponseError, match="repeat"):
        read()
    assert len(responses.calls) <= 8


# -- throttle figures that are not numbers ---------------------------------------------------


@responses.activate
def test_shopify_throttle_with_nan_bucket_figures_backs_off_a_finite_time() -> None:
    # Python's JSON decoder takes NaN; a NaN restoreRate made the wait NaN (time.sleep(nan) raises).
    throttled = (
        '{"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED"}}],'
        '"extensions":{"cost":{"requestedQueryCost":12,"actualQueryCost":null,'
        '"throttleStatus":{"maximumAvailable":1000,"currentlyAvailable":NaN,"restoreRate":NaN}}}}'
    )
    responses.post(SHOPIFY_GQL, body=throttled, content_type="application/json")
    responses.post(SHOPIFY_GQL, body=throttled, content_type="application/json")
    responses.post(SHOPIFY_GQL, body=throttled, content_type="application/json")
    sleeps: list[float] = []
    with pytest.raises(ChannelRateLimited):
        shopify(sleeps).list_listings()
    assert len(sleeps) == 2
    assert all(math.isfinite(s) and s >= 0 for s in sleeps)


def test_a_nan_retry_after_falls_back_to_backoff() -> None:
    error = ChannelRateLimited("c", "slow", retry_after=math.nan)
    delay = retry_delay(error, 0, backoff=1.0, max_retry_after=60, rng=random.Random(1))
    assert delay is not None and 0.5 <= delay <= 1.0


# -- secrets echoed back ---------------------------------------------------------------------


@responses.activate
def test_amazon_error_echoing_the_access_token_does_not_carry_it() -> None:
    responses.post(LWA_URL, json={"access_token": "Atza|live-access-token", "expires_in": 3600})
    responses.get(
        AMAZON_ITEMS,
        status=400,
        json={
            "errors": [
                {
                    "code": "InvalidInput",
                    "message": "bad request",
                    "details": "x-amz-access-token: Atza|live-access-token",
                }
            ]
        },
    )
    with pytest.raises(ChannelRequestError) as info:
        amazon().list_listings()
    assert "Atza|live-access-token" not in str(info.value)
    assert "InvalidInput" in str(info.value)


@responses.activate
def test_ebay_error_echoing_the_user_token_does_not_carry_it() -> None:
    responses.post(EBAY_TOKEN_URL, json={"access_token": "v^1.1#user-access-token", "expires_in": 7200})
    responses.get(
        EBAY_API + "inventory_item",
        status=400,
        json={"errors": [{"errorId": 25001, "message": "Authorization: Bearer v^1.1#user-access-token refused"}]},
    )
    with pytest.raises(ChannelRequestError) as info:
        ebay().list_listings()
    assert "user-access-token" not in str(info.value)
    assert "25001" in str(info.value)


@responses.activate
def test_taobao_error_echoing_the_signed_request_does_not_carry_the_signature() -> None:
    echo = f"{TAOBAO_URL}?method=taobao.items.onsale.get&sign=0A1B2C3D4E5F60718293A4B5C6D7E8F9&sign_method=hmac"
    responses.post(
        TAOBAO_URL,
        json={"error_response": {"code": 15, "msg": "Remote service error", "sub_code": "isv.x", "sub_msg": echo}},
    )
    with pytest.raises(ChannelRequestError) as info:
        taobao().list_listings()
    assert "0A1B2C3D4E5F60718293A4B5C6D7E8F9" not in str(info.value)
    assert "sign=***" in str(info.value) and "sign_method=hmac" in str(info.value)


def test_scrub_removes_url_encoded_secrets_and_credential_parameters() -> None:
    text = scrub_secrets("GET /x?consumer_secret=cs_a%2Fb%2Bc&access_token=other-token&page=2 cs_a/b+c", ["cs_a/b+c"])
    assert "cs_a" not in text and "other-token" not in text
    assert text.endswith("&page=2 ***")


# -- error envelopes -------------------------------------------------------------------------


@responses.activate
def test_youzan_gateway_refusal_of_the_token_is_an_auth_error() -> None:
    # Before: `gw_err_resp` has neither `success` nor `response`, so it read as "the answer has no data".
    responses.post(
        YOUZAN + "/api/youzan.items.onsale.get/3.0.0",
        json={"gw_err_resp": {"err_code": 4203, "err_msg": "access_token 无效"}},
    )
    with pytest.raises(ChannelAuthError, match="4203"):
        youzan().list_listings()


@responses.activate
def test_youzan_gateway_throttle_is_retried_after_the_hinted_wait() -> None:
    responses.post(
        YOUZAN + "/api/youzan.item.sku.update/3.0.0",
        json={"gw_err_resp": {"err_code": 4290, "err_msg": "调用过于频繁，请 3 秒后再试"}},
    )
    responses.post(YOUZAN + "/api/youzan.item.sku.update/3.0.0", json={"success": True, "code": 200, "data": {}})
    sleeps: list[float] = []
    [result] = youzan(sleeps).push([Change.update("11:22", state())])
    assert result.ok
    assert sleeps == [3.0]


@responses.activate
def test_jd_refusal_inside_the_result_object_is_not_counted_as_applied() -> None:
    # Gateway code "0" with the API's own result object saying success: false.
    responses.post(
        JD_URL,
        json={
            "jingdong_price_write_updateSkuJdPrice_responce": {
                "code": "0",
                "returnType": {"success": False, "errorMessage": "价格超出限制"},
            }
        },
    )
    [result] = jd().push([Change.update("9:2", state())])
    assert not result.ok
    assert "价格超出限制" in (result.error or "")
    assert len(responses.calls) == 1  # the stock write was not sent after the refused price


# -- byte order mark -------------------------------------------------------------------------


@responses.activate
def test_taobao_answer_with_a_byte_order_mark_is_read() -> None:
    body = {"items_onsale_get_response": {"total_results": 0, "items": {"item": []}}}
    responses.post(TAOBAO_URL, body=BOM + json.dumps(body).encode(), content_type="application/json;charset=UTF-8")
    assert taobao().list_listings() == []


@responses.activate
def test_woocommerce_answer_with_a_byte_order_mark_is_read() -> None:
    body = [{"id": 1, "sku": "A", "regular_price": "9.90", "status": "publish"}]
    responses.get(
        WOO_API + "products",
        body=BOM + json.dumps(body).encode(),
        content_type="application/json; charset=UTF-8",
        headers={"X-WP-TotalPages": "1"},
    )
    [listing] = woo().list_listings()
    assert listing.state.price == Money.of("9.90", "CNY")


@responses.activate
def test_amazon_answer_with_a_byte_order_mark_is_read() -> None:
    responses.post(LWA_URL, json={"access_token": "Atza|t1", "expires_in": 3600})
    body = {"items": [{"sku": "A", "offers": [{"price": {"amount": "4.50", "currencyCode": "USD"}}]}]}
    responses.get(AMAZON_ITEMS, body=BOM + json.dumps(body).encode(), content_type="application/json")
    [listing] = amazon().list_listings()
    assert listing.state.price == Money.of("4.50", "USD")


# -- batch answers that refuse part of a call ------------------------------------------------


def _shopify_answers(answers: dict[str, Any]) -> Callable[[Any], tuple[int, dict[str, str], str]]:
    def serve(request: Any) -> tuple[int, dict[str, str], str]:
        operation = json.loads(request.body)["operationName"]
        return 200, {"Content-Type": "application/json"}, json.dumps({"data": answers[operation]})

    return serve


@responses.activate
def test_shopify_stock_call_refused_for_one_item_counts_none_of_its_items_as_applied() -> None:
    # inventorySetQuantities is all-or-nothing: a user error and no adjustment group means nothing was set.
    answers = {
        "OnepriceVariantNodes": {"nodes": [variant(1, "A"), variant(2, "B")]},
        "OnepriceSetQuantities": {
            "inventorySetQuantities": {
                "inventoryAdjustmentGroup": None,
                "userErrors": [
                    {
                        "field": ["input", "quantities", "1", "quantity"],
                        "message": "The quantity can't be higher than 1,000,000,000",
                        "code": "INVALID_QUANTITY_TOO_HIGH",
                    }
                ],
            }
        },
    }
    responses.add_callback(responses.POST, SHOPIFY_GQL, callback=_shopify_answers(answers))
    changes = [
        Change.update("gid://shopify/ProductVariant/1", state("A", stock=7)),
        Change.update("gid://shopify/ProductVariant/2", state("B", stock=9)),
    ]
    first, second = shopify().push(changes)
    assert not first.ok and first.retryable
    assert "refused another item" in (first.error or "")
    assert not second.ok and not second.retryable
    assert "INVALID_QUANTITY_TOO_HIGH" in (second.error or "")


# -- a throttle that outlasts the retries in the middle of a push -----------------------------


def _taobao_throttled_mid_push() -> tuple[Callable[[list[Change]], Any], list[Change]]:
    price_ok = {"item_sku_price_update_response": {"sku": {"modified": "2026-11-27 20:00:00"}}}
    stock_ok = {"skus_quantity_update_response": {"item": {"modified": "2026-11-27 20:00:01"}}}
    ban = {
        "error_response": {
            "code": 7,
            "msg": "App Call Limited",
            "sub_code": "accesscontrol.limited-by-app-access-count",
        }
    }
    for answer in (price_ok, price_ok, stock_ok, ban):
        responses.post(TAOBAO_URL, json=answer)
    return taobao().push, [Change.update("1:11", state("A")), Change.update("2:21", state("B"))]


def _pdd_throttled_mid_push() -> tuple[Callable[[list[Change]], Any], list[Change]]:
    price_ok = {"goods_update_sku_price_response": {"is_success": True}}
    stock_ok = {"goods_quantity_update_response": {"is_success": True}}
    ban = {"error_response": {"error_code": 70031, "error_msg": "调用过于频繁"}}
    for answer in (price_ok, stock_ok, ban):
        responses.post(PDD_URL, json=answer)
    return pdd().push, [Change.update("1:11", state("A", price="12.30")), Change.update("2:21", state("B"))]


def _jd_throttled_mid_push() -> tuple[Callable[[list[Change]], Any], list[Change]]:
    ok = {"code": "0", "success": True}
    responses.post(JD_URL, json={"jingdong_price_write_updateSkuJdPrice_responce": ok})
    responses.post(JD_URL, json={"jingdong_stock_write_updateSkuStock_responce": ok})
    responses.post(JD_URL, json={"error_response": {"code": "61", "en_desc": "call frequency exceeded"}})
    return jd().push, [Change.update("9:1", state("A")), Change.update("9:2", state("B"))]


def _youzan_throttled_mid_push() -> tuple[Callable[[list[Change]], Any], list[Change]]:
    url = YOUZAN + "/api/youzan.item.sku.update/3.0.0"
    responses.post(url, json={"success": True, "code": 200, "data": {}})
    for _ in range(2):  # the adapter retries once
        responses.post(url, json={"success": False, "code": 4290, "message": "调用过于频繁"})
    return youzan().push, [Change.update("1:11", state("A")), Change.update("2:21", state("B"))]


THROTTLED_MID_PUSH: dict[str, Callable[[], tuple[Callable[[list[Change]], Any], list[Change]]]] = {
    "taobao": _taobao_throttled_mid_push,
    "pinduoduo": _pdd_throttled_mid_push,
    "jd": _jd_throttled_mid_push,
    "youzan": _youzan_throttled_mid_push,
}


@pytest.mark.parametrize("kind", sorted(THROTTLED_MID_PUSH))
@responses.activate
def test_a_throttle_outlasting_the_retries_keeps_the_writes_already_applied(kind: str) -> None:
    # Before: the ChannelRateLimited escaped push, and the engine refused the whole batch, A included.
    push, changes = THROTTLED_MID_PUSH[kind]()
    applied, throttled = push(changes)
    assert applied.ok and applied.sku == "A"
    assert not throttled.ok and throttled.retryable and throttled.sku == "B"


# -- values of the wrong JSON type -----------------------------------------------------------

WRONG_TYPE_READS: dict[str, Callable[[], Any]] = {
    "amazon offers": lambda: AmazonMapper("ATVPDKIKX0DER", "USD").to_listing({"sku": "A", "offers": 5}),
    "amazon offer price": lambda: AmazonMapper("ATVPDKIKX0DER", "USD").to_listing(
        {"sku": "A", "offers": [{"price": "4.50"}]}
    ),
    "amazon fulfillmentAvailability": lambda: AmazonMapper("ATVPDKIKX0DER", "USD").to_listing(
        {"sku": "A", "fulfillmentAvailability": 3}
    ),
    "amazon summary status": lambda: AmazonMapper("ATVPDKIKX0DER", "USD").to_listing(
        {"sku": "A", "summaries": [{"status": 1}]}
    ),
    "pinduoduo spec": lambda: PinduoduoMapper("CNY", PriceRule(), PriceRule(offset_fen=-100)).to_listings(
        {"goods_id": 1, "sku_list": [{"sku_id": 2, "out_sku_sn": "A", "price": 1299, "multi_price": 1199, "spec": 1}]}
    ),
    "pinduoduo sku_list": lambda: PinduoduoMapper("CNY", PriceRule(), PriceRule(offset_fen=-100)).to_listings(
        {"goods_id": 1, "sku_list": 3}
    ),
    "youzan skus": lambda: YouzanMapper("CNY").to_listings({"item_id": 1, "skus": 2}),
}


@pytest.mark.parametrize("case", sorted(WRONG_TYPE_READS))
def test_a_number_where_a_list_belongs_is_a_value_error_naming_the_field(case: str) -> None:
    # Before: iterating the number raised TypeError (or .get on a string AttributeError): a traceback.
    with pytest.raises(ValueError, match=r"not a list|not an object"):
        WRONG_TYPE_READS[case]()


@responses.activate
def test_amazon_patch_answer_with_issues_not_a_list_is_still_a_result() -> None:
    responses.post(LWA_URL, json={"access_token": "Atza|t1", "expires_in": 3600})
    responses.patch(AMAZON_ITEMS + "/A", json={"sku": "A", "status": "INVALID", "issues": 4})
    [result] = amazon().push([Change.update("A", state("A", currency="USD"))])
    assert not result.ok and "INVALID" in (result.error or "")


@responses.activate
def test_ebay_bulk_answer_with_errors_not_a_list_refuses_the_item() -> None:
    responses.post(EBAY_TOKEN_URL, json={"access_token": "ebay-user-token", "expires_in": 7200})
    responses.post(
        EBAY_API + "bulk_update_price_quantity",
        status=207,
        json={"responses": [{"sku": "A", "offerId": "9", "statusCode": 400, "errors": 25002}]},
    )
    [result] = ebay().push([Change.update("9", state("A", currency="USD"))])
    assert not result.ok and "HTTP 400" in (result.error or "")


@responses.activate
def test_youzan_connection_failure_does_not_chain_the_url_with_the_token() -> None:
    # requests puts the URL, query string included, in its message; Youzan's query carries the token.
    url = YOUZAN + "/api/youzan.items.onsale.get/3.0.0"
    failure = requests.ConnectionError(f"Max retries exceeded with url: {url}?access_token=yz_token_abcdef0123")
    responses.post(url, body=failure)
    responses.post(url, body=failure)
    with pytest.raises(ChannelError) as info:
        youzan().list_listings()
    logged = "".join(traceback.format_exception(info.value))
    assert "yz_token_abcdef0123" not in logged
    assert "cannot connect (ConnectionError)" in logged


@responses.activate
def test_woocommerce_batch_answer_about_another_product_is_not_counted_as_applied() -> None:
    # The batch answers by position; an update answered with another id (and no SKU) was taken as
    # accepted, and the SKU re-bound to the other product.
    responses.post(
        WOO_API + "products/batch",
        json={"update": [{"id": 99, "sku": ""}, {"id": 6, "sku": "B", "date_modified_gmt": "2026-11-27T12:00:00"}]},
    )
    first, second = woo().push([Change.update("5", state("A")), Change.update("6", state("B"))])
    assert not first.ok and "99" in (first.error or "") and first.remote_id == "5"
    assert second.ok and second.remote_id == "6"


def _fresh_cursors(make_page: Callable[[int], Any]) -> Callable[[Any], Any]:
    count = [0]

    def answer(request: Any) -> Any:
        count[0] += 1
        return make_page(count[0])

    return answer


@responses.activate
def test_shopify_empty_pages_with_ever_new_cursors_stop_with_a_response_error() -> None:
    empty = _fresh_cursors(
        lambda n: {"data": {"productVariants": {"nodes": [], "pageInfo": {"hasNextPage": True, "endCursor": f"c{n}"}}}}
    )
    responses.add_callback(responses.POST, SHOPIFY_GQL, callback=looping(empty))
    with pytest.raises(ChannelResponseError, match="empty pages in a row"):
        shopify().list_listings()


@responses.activate
def test_amazon_empty_pages_with_ever_new_tokens_stop_with_a_response_error() -> None:
    responses.post(LWA_URL, json={"access_token": "Atza|t1", "expires_in": 3600})
    empty = _fresh_cursors(lambda n: {"items": [], "pagination": {"nextToken": f"t{n}"}})
    responses.add_callback(responses.GET, AMAZON_ITEMS, callback=looping(empty))
    with pytest.raises(ChannelResponseError, match="empty pages in a row"):
        amazon().list_listings()


# -- prices that are present and unusable ----------------------------------------------------


def _taobao_read(price: Any) -> Any:
    sku = {"sku_id": 2, "outer_id": "A", "price": price, "quantity": 1}
    return TaobaoMapper("CNY").to_listings({"num_iid": 1, "title": "T", "skus": {"sku": [sku]}})[0]


def _jd_read(price: Any) -> Any:
    return JdMapper("CNY").to_listing({"skuId": 2, "wareId": 1, "outerId": "A", "jdPrice": price})


def _woo_read(price: Any) -> Any:
    return WooCommerceMapper("CNY").to_listing({"id": 1, "sku": "A", "regular_price": price})


def _woo_sale_read(price: Any) -> Any:
    return WooCommerceMapper("CNY").to_listing({"id": 1, "sku": "A", "regular_price": "9.90", "sale_price": price})


def _amazon_read(price: Any) -> Any:
    doc = {"sku": "A", "offers": [{"price": {"amount": price, "currencyCode": "USD"}}]}
    return AmazonMapper("ATVPDKIKX0DER", "USD").to_listing(doc)


def _ebay_read(price: Any) -> Any:
    offer = {"offerId": "9", "pricingSummary": {"price": {"value": price, "currency": "USD"}}}
    return EbayMapper("USD").to_listing({"sku": "A"}, offer)


PRICE_READS: dict[str, tuple[Callable[[Any], Any], str]] = {
    "taobao": (_taobao_read, "SKU A price"),
    "jd": (_jd_read, "SKU A jdPrice"),
    "woocommerce": (_woo_read, "product 1: price"),
    "woocommerce sale": (_woo_sale_read, "product 1: price"),
    "amazon": (_amazon_read, "SKU A: price"),
    "ebay": (_ebay_read, "SKU A: price"),
}
UNUSABLE_PRICES: dict[str, Any] = {
    "letters": "abc",
    "negative": "-5.00",
    "negative number": -5,
    "NaN text": "NaN",
    "NaN number": math.nan,
    "infinite number": math.inf,
    "exponent too large": "1e999",
    "decimal comma": "12,99",
    "a list": [12],
    "true": True,
}


@pytest.mark.parametrize("value", sorted(UNUSABLE_PRICES))
@pytest.mark.parametrize("kind", sorted(PRICE_READS))
def test_a_present_but_unusable_price_is_a_value_error_naming_the_listing(kind: str, value: str) -> None:
    # Before: Taobao, JD and WooCommerce read it as a live price of 0 (a drift to "fix"); Amazon and eBay
    # read a negative price as 0.
    read, where = PRICE_READS[kind]
    with pytest.raises(ValueError, match=r"not a number|negative|too large to be a price") as info:
        read(UNUSABLE_PRICES[value])
    assert str(info.value).startswith(where)


@pytest.mark.parametrize("kind", sorted(PRICE_READS))
@pytest.mark.parametrize(
    ("price", "expected"),
    [
        ("1,299.00", "1299.00"),
        (" 12,345,678.5 ", "12345678.50"),
        ("1299", "1299.00"),
        ("-0", "0.00"),
        (Decimal("12.30"), "12.30"),
        (1299, "1299.00"),
    ],
)
def test_a_usable_price_is_read_with_its_thousands_commas(kind: str, price: Any, expected: str) -> None:
    # Before: Taobao, JD and WooCommerce read "1,299.00" as 0; Amazon and eBay refused it.
    read, _ = PRICE_READS[kind]
    currency = "USD" if kind in ("amazon", "ebay") else "CNY"
    assert read(price).state.price == Money.of(expected, currency)


@pytest.mark.parametrize("kind", ["taobao", "jd", "woocommerce"])
@pytest.mark.parametrize("absent", [None, "", "  "])
def test_an_absent_price_still_reads_as_zero_for_the_plan_to_set(kind: str, absent: Any) -> None:
    read, _ = PRICE_READS[kind]
    assert read(absent).state.price == Money.of("0", "CNY")


def test_jd_reads_a_json_number_price_by_its_digits() -> None:
    assert _jd_read(json.loads('{"p": 1299.1}')["p"]).state.price == Money.of("1299.10", "CNY")


def test_youzan_negative_fen_is_a_value_error_naming_the_sku() -> None:
    # Before: a negative price in fen read as 0.
    item = {"item_id": 1, "skus": [{"sku_id": 2, "item_no": "A", "price": -100, "quantity": 1}]}
    with pytest.raises(ValueError, match=r"^SKU A price -1 is negative"):
        YouzanMapper("CNY").to_listings(item)


@pytest.mark.parametrize(("single", "group"), [(-100, -200), (1299, -1), (-1, 1199)])
def test_pinduoduo_negative_fen_is_a_value_error_naming_the_sku(single: int, group: int) -> None:
    # Before: a negative single or group price read as 0.
    goods = {"goods_id": 1, "sku_list": [{"sku_id": 2, "out_sku_sn": "A", "price": single, "multi_price": group}]}
    with pytest.raises(ValueError, match=r"^SKU A: a negative price"):
        PinduoduoMapper("CNY", PriceRule(), PriceRule(offset_fen=-100)).to_listings(goods)


@responses.activate
def test_an_unusable_taobao_price_in_a_listing_read_is_a_channel_response_error() -> None:
    responses.post(
        TAOBAO_URL,
        json={"items_onsale_get_response": {"total_results": 1, "items": {"item": [{"num_iid": 1}]}}},
    )
    sku = {"sku_id": 2, "outer_id": "A", "price": "abc", "quantity": 1}
    item = {"num_iid": 1, "title": "T", "approve_status": "onsale", "skus": {"sku": [sku]}}
    responses.post(TAOBAO_URL, json={"items_seller_list_get_response": {"items": {"item": [item]}}})
    with pytest.raises(ChannelResponseError, match="SKU A price 'abc' is not a number") as info:
        taobao().list_listings()
    assert info.value.channel == "tmall"


@responses.activate
def test_an_unusable_jd_price_in_a_listing_read_is_a_channel_response_error() -> None:
    rows = [{"skuId": 2, "wareId": 1, "outerId": "A", "jdPrice": "-1299.00", "stockNum": 1, "status": 1}]
    responses.post(
        JD_URL, json={"jingdong_sku_read_searchSkuList_responce": {"code": "0", "page": {"data": rows, "totalItem": 1}}}
    )
    with pytest.raises(ChannelResponseError, match=r"SKU A jdPrice '-1299\.00' is negative") as info:
        jd().list_listings()
    assert info.value.channel == "jd"


@responses.activate
def test_an_unusable_woocommerce_price_in_a_listing_read_is_a_channel_response_error() -> None:
    responses.get(
        WOO_API + "products",
        json=[{"id": 7, "sku": "A", "regular_price": "NaN", "status": "publish"}],
        headers={"X-WP-TotalPages": "1"},
    )
    with pytest.raises(ChannelResponseError, match="product 7: price 'NaN' is not a number") as info:
        woo().list_listings()
    assert info.value.channel == "official"


# -- Amazon purchasable_offer ------------------------------------------------------------------


def _amazon_offer(purchasable_offer: Any) -> Any:
    doc = {"sku": "A", "attributes": {"purchasable_offer": purchasable_offer}}
    return AmazonMapper("ATVPDKIKX0DER", "USD").to_listing(doc)


def _offer(our_price: Any, **extra: Any) -> list[dict[str, Any]]:
    return [{"marketplace_id": "ATVPDKIKX0DER", "currency": "USD", "our_price": our_price, **extra}]


MALFORMED_OFFERS: dict[str, Any] = {
    "our_price a string": _offer("12.30"),
    "our_price a list of numbers": _offer([12.30]),
    "our_price an object": _offer({"schedule": [{"value_with_tax": "12.30"}]}),
    "schedule missing": _offer([{}]),
    "schedule a string": _offer([{"schedule": "12.30"}]),
    "schedule empty": _offer([{"schedule": []}]),
    "schedule of non-objects": _offer([{"schedule": ["12.30"]}]),
    "amount missing": _offer([{"schedule": [{"value": "12.30"}]}]),
    "amount null": _offer([{"schedule": [{"value_with_tax": None}]}]),
    "purchasable_offer a string": "12.30",
    "purchasable_offer of non-objects": ["12.30"],
}


@pytest.mark.parametrize("case", sorted(MALFORMED_OFFERS))
def test_amazon_malformed_purchasable_offer_is_a_value_error_naming_the_sku(case: str) -> None:
    # Before: `except (KeyError, IndexError, TypeError)` read each of these as no price, i.e. a live price of 0.
    with pytest.raises(ValueError, match=r"^SKU A: purchasable_offer"):
        _amazon_offer(MALFORMED_OFFERS[case])


@pytest.mark.parametrize(
    "absent",
    [None, [], _offer(None), _offer([]), [{"marketplace_id": "A1PA6795UKMFR9", "our_price": "junk"}]],
    ids=["no attribute", "empty list", "our_price null", "our_price empty", "another marketplace only"],
)
def test_amazon_absent_purchasable_offer_still_reads_as_zero(absent: Any) -> None:
    assert _amazon_offer(absent).state.price == Money.of("0", "USD")


def test_amazon_business_price_is_not_read_as_the_price_every_buyer_sees() -> None:
    # Before: the first entry of our marketplace was read, whatever its audience.
    b2b = _offer([{"schedule": [{"value_with_tax": "9.00"}]}], audience="B2B")
    everyone = _offer([{"schedule": [{"value_with_tax": "12.30"}]}], audience="ALL")
    assert _amazon_offer(b2b + everyone).state.price == Money.of("12.30", "USD")
    assert _amazon_offer(b2b).state.price == Money.of("0", "USD")


def test_amazon_live_offer_without_an_amount_is_a_value_error() -> None:
    # Before: `price.get("amount")` of None read as a live price of 0.
    doc = {"sku": "A", "offers": [{"price": {"currencyCode": "USD"}}]}
    with pytest.raises(ValueError, match=r"^SKU A: offer price has no amount"):
        AmazonMapper("ATVPDKIKX0DER", "USD").to_listing(doc)


@responses.activate
def test_amazon_malformed_purchasable_offer_in_a_listing_read_is_a_channel_response_error() -> None:
    responses.post(LWA_URL, json={"access_token": "Atza|t1", "expires_in": 3600})
    item = {"sku": "A", "attributes": {"purchasable_offer": _offer("12.30")}}
    responses.get(AMAZON_ITEMS, json={"items": [item]})
    with pytest.raises(ChannelResponseError, match="SKU A: purchasable_offer our_price"):
        amazon().list_listings()


# -- token lifetimes ---------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _lwa(clock: Clock) -> LwaToken:
    return LwaToken(
        requests.Session(), LWA_URL, "amzn1.application-oa2-client.abc", "lwa-secret-xyz", "Atzr|refresh-123",
        channel="amazon-us", clock=clock,
    )  # fmt: skip


def _ebay_token(clock: Clock) -> EbayToken:
    return EbayToken(
        requests.Session(), EbayOptions(), "Brand-app-PRD-1234", "PRD-cert-secret", "v^1.1#refresh-secret",
        channel="ebay-us", clock=clock,
    )  # fmt: skip


TOKEN_SOURCES: dict[str, tuple[str, Callable[[Clock], Any]]] = {
    "amazon": (LWA_URL, _lwa),
    "ebay": (EBAY_TOKEN_URL, _ebay_token),
}
TOKEN_SECRETS = {
    "amazon": ("amzn1.application-oa2-client.abc", "lwa-secret-xyz", "Atzr|refresh-123"),
    "ebay": ("Brand-app-PRD-1234", "PRD-cert-secret", "v^1.1#refresh-secret"),
}
UNUSABLE_LIFETIMES: dict[str, str] = {
    "NaN": "NaN",
    "Infinity": "Infinity",
    "-Infinity": "-Infinity",
    "1e999 text": '"1e999"',
    "negative": "-3600",
    "zero": "0",
    "true": "true",
    "text": '"an hour"',
    "a list": "[3600]",
    "underscores": '"3_600"',
}


def _token_answers(url: str, expires_in: str) -> None:
    for n in (1, 2):
        body = f'{{"access_token": "tok-{n}", "token_type": "bearer", "expires_in": {expires_in}}}'
        responses.post(url, body=body, content_type="application/json")


@pytest.mark.parametrize("value", sorted(UNUSABLE_LIFETIMES))
@pytest.mark.parametrize("kind", sorted(TOKEN_SOURCES))
@responses.activate
def test_an_unusable_token_lifetime_renews_the_token_within_minutes(kind: str, value: str) -> None:
    # Before: NaN and Infinity made the expiry NaN/infinite, so the token was never renewed.
    url, make = TOKEN_SOURCES[kind]
    _token_answers(url, UNUSABLE_LIFETIMES[value])
    clock = Clock()
    token = make(clock)
    assert token.get() == "tok-1"
    clock.now += 120
    assert token.get() == "tok-1"
    clock.now += 300
    assert token.get() == "tok-2"


@pytest.mark.parametrize("kind", sorted(TOKEN_SOURCES))
@responses.activate
def test_a_token_lifetime_beyond_a_day_is_capped_at_a_day(kind: str) -> None:
    # Before: a lifetime of 10**12 seconds kept the token for good.
    url, make = TOKEN_SOURCES[kind]
    _token_answers(url, "1000000000000")
    clock = Clock()
    token = make(clock)
    assert token.get() == "tok-1"
    clock.now += 86400
    assert token.get() == "tok-2"


@pytest.mark.parametrize(("kind", "default"), [("amazon", 3600), ("ebay", 7200)])
@responses.activate
def test_a_usable_token_lifetime_is_kept(kind: str, default: int) -> None:
    url, make = TOKEN_SOURCES[kind]
    responses.post(url, json={"access_token": "tok-1", "expires_in": "1800"})
    responses.post(url, json={"access_token": "tok-2"})
    responses.post(url, json={"access_token": "tok-3"})
    clock = Clock()
    token = make(clock)
    assert token.get() == "tok-1"
    clock.now += 1800 - 61
    assert token.get() == "tok-1"
    clock.now += 2
    assert token.get() == "tok-2"  # a minute early
    clock.now += default - 61
    assert token.get() == "tok-2"  # no expires_in: the platform's documented lifetime
    clock.now += 2
    assert token.get() == "tok-3"


@pytest.mark.parametrize("kind", sorted(TOKEN_SOURCES))
@responses.activate
def test_a_token_refusal_echoing_the_credentials_does_not_carry_them(kind: str) -> None:
    # Before: the answer's `error` went into the message as it came.
    url, make = TOKEN_SOURCES[kind]
    responses.post(url, status=401, json={"error": "invalid_client " + " ".join(TOKEN_SECRETS[kind])})
    with pytest.raises(ChannelAuthError) as info:
        make(Clock()).get()
    for secret in TOKEN_SECRETS[kind]:
        assert secret not in str(info.value) and secret not in str(info.value.code)
    assert "invalid_client" in str(info.value)


# -- integers as the channels send them --------------------------------------------------------

REFUSED_INTEGERS: dict[str, Any] = {
    "underscores": "1_000",
    "plus sign": "+5",
    "Arabic-Indic digits": "١٢",
    "fullwidth digits": "１２",
    "superscript": "²",
    "decimal text": "5.0",
    "JSON float": Decimal("5.0"),
    "fraction": Decimal("5.5"),
    "exponent": "1e3",
    "hex": "0x10",
    "true": True,
    "empty": "",
    "ideographic space": "12\u3000",
    "a list": [12],
}


@pytest.mark.parametrize("case", sorted(REFUSED_INTEGERS))
def test_as_int_refuses_what_no_channel_sends_naming_the_field(case: str) -> None:
    # Before: int(str(value).strip()) read "1_000" as 1000, "+5" as 5, "١٢" as 12.
    with pytest.raises(ValueError, match=r"^SKU A quantity (is|is missing or) not an integer"):
        as_int(REFUSED_INTEGERS[case], "SKU A quantity")


@pytest.mark.parametrize(("value", "expected"), [("12", 12), (" 12 ", 12), ("-3", -3), (12, 12), (-3, -3), ("007", 7)])
def test_as_int_reads_integers_and_ascii_digit_strings(value: Any, expected: int) -> None:
    assert as_int(value, "SKU A quantity") == expected


STOCK_READS: dict[str, Callable[[Any], Any]] = {
    "youzan": lambda q: YouzanMapper("CNY").to_listings(
        {"item_id": 1, "skus": [{"sku_id": 2, "item_no": "A", "price": 100, "quantity": q}]}
    ),
    "pinduoduo": lambda q: PinduoduoMapper("CNY", PriceRule(), PriceRule(offset_fen=-100)).to_listings(
        {
            "goods_id": 1,
            "sku_list": [{"sku_id": 2, "out_sku_sn": "A", "price": 1299, "multi_price": 1199, "quantity": q}],
        }
    ),
    "taobao": lambda q: TaobaoMapper("CNY").to_listings(
        {"num_iid": 1, "skus": {"sku": [{"sku_id": 2, "outer_id": "A", "price": "1", "quantity": q}]}}
    ),
    "jd": lambda q: JdMapper("CNY").to_listing({"skuId": 2, "wareId": 1, "outerId": "A", "stockNum": q}),
    "amazon": lambda q: AmazonMapper("ATVPDKIKX0DER", "USD").to_listing(
        {"sku": "A", "fulfillmentAvailability": [{"fulfillmentChannelCode": "DEFAULT", "quantity": q}]}
    ),
    "ebay": lambda q: EbayMapper("USD").to_listing(
        {"sku": "A", "availability": {"shipToLocationAvailability": {"quantity": q}}}, {"offerId": "9"}
    ),
    "woocommerce": lambda q: WooCommerceMapper("CNY").to_listing(
        {"id": 1, "sku": "A", "regular_price": "1", "manage_stock": True, "stock_quantity": q}
    ),
}


@pytest.mark.parametrize("value", ["1_000", "+5", "١٢", "5.0"])
@pytest.mark.parametrize("kind", sorted(STOCK_READS))
def test_a_stock_no_channel_sends_is_a_value_error(kind: str, value: str) -> None:
    # Before: every channel read "1_000" as 1000, "+5" as 5 and "١٢" as 12.
    with pytest.raises(ValueError, match="not an integer"):
        STOCK_READS[kind](value)


def test_youzan_price_in_fen_with_underscores_is_a_value_error_naming_the_field() -> None:
    item = {"item_id": 1, "skus": [{"sku_id": 2, "item_no": "A", "price": "1_299", "quantity": 1}]}
    with pytest.raises(ValueError, match=r"^SKU A price \(fen\) is not an integer: '1_299'"):
        YouzanMapper("CNY").to_listings(item)


@pytest.mark.parametrize("goods_id", ["1_000", True, 1.5, {"id": 1}])
@responses.activate
def test_pinduoduo_goods_id_that_is_not_an_integer_is_a_response_error(goods_id: Any) -> None:
    # Before: any value was sent back as `str(goods_id)` ("True", "{'id': 1}") to pdd.goods.detail.get.
    responses.post(PDD_URL, json={"goods_list_get_response": {"goods_list": [{"goods_id": goods_id}]}})
    with pytest.raises(ChannelResponseError, match="goods_id"):
        pdd().list_listings()


# -- digits that `str.isdigit` takes and `int` does not -----------------------------------------


@responses.activate
def test_youzan_error_code_in_superscript_digits_is_a_refusal_not_a_crash() -> None:
    # Before: "²".isdigit() is True, int("²") a ValueError traceback.
    responses.post(
        YOUZAN + "/api/youzan.items.onsale.get/3.0.0", json={"gw_err_resp": {"err_code": "²", "err_msg": "x"}}
    )
    with pytest.raises(ChannelRequestError, match="code None"):
        youzan().list_listings()


@responses.activate
def test_pinduoduo_error_code_in_superscript_digits_is_a_refusal_not_a_crash() -> None:
    responses.post(PDD_URL, json={"error_response": {"error_code": "³", "error_msg": "x"}})
    with pytest.raises(ChannelRequestError):
        pdd().list_listings()


def test_youzan_remote_id_in_other_digits_is_refused_not_a_crash() -> None:
    # Before: split_id took "¹:²" and int("¹") raised while the request was built.
    [result] = youzan().push([Change.update("¹:²", state())])
    assert not result.ok and "is not '<item id>:<sku id>'" in (result.error or "")


def test_woocommerce_remote_id_in_other_digits_is_kept_for_the_store_to_refuse() -> None:
    # Before: "²".isdigit() is True and int("²") raised.
    assert WooCommerceMapper("CNY").to_update("²", state())["id"] == "²"


def test_shopify_user_error_pointing_at_a_superscript_index_is_about_the_whole_call() -> None:
    # Before: int("²") raised out of the write planner.
    assert ShopifyMapper.user_error_index({"field": ["variants", "²", "price"]}, "variants") is None
    assert ShopifyMapper.user_error_index({"field": ["variants", "1", "price"]}, "variants") == 1


@pytest.mark.parametrize("price", ["١٢.٣٠", "12.3٠"])
def test_shopify_price_in_other_digits_is_a_value_error(price: str) -> None:
    # Before: `\d` took Arabic-Indic digits (and Decimal reads them).
    with pytest.raises(ValueError, match="is not a decimal string"):
        ShopifyMapper("CNY").to_record(variant(1, "A", price))


@responses.activate
def test_taobao_ban_with_a_number_too_long_to_read_backs_off_instead_of_crashing() -> None:
    # Before: int() of a 5000-digit "ban will last for N more seconds" raised ValueError.
    sub_msg = f"This ban will last for {'9' * 5000} more seconds"
    error = {"code": 7, "msg": "App Call Limited", "sub_code": "accesscontrol.limited-by-app-access-count"}
    responses.post(TAOBAO_URL, json={"error_response": {**error, "sub_msg": sub_msg}})
    with pytest.raises(ChannelRateLimited) as info:
        taobao().list_listings()
    assert info.value.retry_after is None


# -- answers nested too deeply to parse --------------------------------------------------------

DEEP = "[" * 100_000 + "]" * 100_000


def _deep_reads() -> dict[str, Callable[[], Any]]:
    return {
        "woocommerce": woo().list_listings,
        "taobao": taobao().list_listings,
        "jd": jd().list_listings,
        "pinduoduo": pdd().list_listings,
        "youzan": youzan().list_listings,
        "shopify": shopify().list_listings,
        "amazon": amazon().list_listings,
        "ebay": ebay().list_listings,
    }


@pytest.mark.parametrize("kind", ["woocommerce", "taobao", "jd", "pinduoduo", "youzan", "shopify", "amazon", "ebay"])
@responses.activate
def test_an_answer_nested_too_deeply_is_a_response_error_not_a_recursion_error(kind: str) -> None:
    # Before: json.loads raised RecursionError, which no `except ValueError` caught.
    responses.post(LWA_URL, json={"access_token": "Atza|t1", "expires_in": 3600})
    responses.post(EBAY_TOKEN_URL, json={"access_token": "ebay-user-token", "expires_in": 7200})
    for method in (responses.GET, responses.POST):
        for url in (WOO_API + "products", TAOBAO_URL, JD_URL, PDD_URL, SHOPIFY_GQL, AMAZON_ITEMS):
            responses.add(method, url, body=DEEP, content_type="application/json")
        responses.add(method, EBAY_API + "inventory_item", body=DEEP, content_type="application/json")
    responses.post(YOUZAN + "/api/youzan.items.onsale.get/3.0.0", body=DEEP, content_type="application/json")
    with pytest.raises(ChannelResponseError, match=r"not (a )?JSON"):
        _deep_reads()[kind]()


# -- prices sent as JSON numbers with more digits than a float keeps ---------------------------


@responses.activate
def test_jd_price_sent_as_a_long_json_number_keeps_its_digits() -> None:
    # Before: the float kept 17 digits: 12345678901234567.89 read as 12345678901234568.00.
    body = (
        '{"jingdong_sku_read_searchSkuList_responce": {"code": "0", "page": {"totalItem": 1, "data": '
        '[{"skuId": 2, "wareId": 1, "outerId": "A", "jdPrice": 12345678901234567.89, "stockNum": 1, "status": 1}]}}}'
    )
    responses.post(JD_URL, body=body, content_type="application/json")
    [listing] = jd().list_listings()
    assert listing.state.price.amount == Decimal("12345678901234567.89")


@responses.activate
def test_woocommerce_price_sent_as_a_long_json_number_keeps_its_digits() -> None:
    body = '[{"id": 7, "sku": "A", "regular_price": 12345678901234567.89, "status": "publish"}]'
    responses.get(WOO_API + "products", body=body, content_type="application/json", headers={"X-WP-TotalPages": "1"})
    [listing] = woo().list_listings()
    assert listing.state.price.amount == Decimal("12345678901234567.89")


@responses.activate
def test_jd_stock_sent_as_a_json_float_is_a_response_error() -> None:
    rows = [{"skuId": 2, "wareId": 1, "outerId": "A", "jdPrice": "1.00", "stockNum": 5.5, "status": 1}]
    responses.post(
        JD_URL, json={"jingdong_sku_read_searchSkuList_responce": {"code": "0", "page": {"data": rows, "totalItem": 1}}}
    )
    with pytest.raises(ChannelResponseError, match=r"SKU A stockNum is not an integer: '5\.5'"):
        jd().list_listings()


# -- a bool where a count belongs --------------------------------------------------------------


@responses.activate
def test_taobao_total_results_true_does_not_end_the_read_after_one_page() -> None:
    # Before: `isinstance(True, int)` and page * size >= True stopped the read after page 1.
    def page(n: int) -> dict[str, Any]:
        items = [{"num_iid": 2 * n - 1}, {"num_iid": 2 * n}] if n < 3 else []
        return {"items_onsale_get_response": {"total_results": True, "items": {"item": items}}}

    def sku(n: int) -> dict[str, Any]:
        return {"num_iid": n, "title": "T", "skus": {"sku": [{"sku_id": 10 + n, "outer_id": f"S{n}", "price": "1"}]}}

    for n in (1, 2, 3):
        responses.post(TAOBAO_URL, json=page(n))
    responses.post(
        TAOBAO_URL, json={"items_seller_list_get_response": {"items": {"item": [sku(n) for n in (1, 2, 3, 4)]}}}
    )
    assert sorted(listing.state.sku for listing in taobao().list_listings()) == ["S1", "S2", "S3", "S4"]


# -- answers about another listing than the one asked for --------------------------------------


@responses.activate
def test_amazon_get_answered_for_another_sku_is_a_response_error() -> None:
    # Before: the listing of B was returned as the listing of A.
    responses.post(LWA_URL, json={"access_token": "Atza|t1", "expires_in": 3600})
    responses.get(AMAZON_ITEMS + "/A", json={"sku": "B", "summaries": [{"status": ["BUYABLE"]}]})
    with pytest.raises(ChannelResponseError, match="getListingsItem A: answered SKU 'B' instead"):
        amazon().find_by_skus(["A"])


@responses.activate
def test_amazon_patch_answered_for_another_sku_is_not_counted_as_applied() -> None:
    # Before: any ACCEPTED answer counted for the SKU sent.
    responses.post(LWA_URL, json={"access_token": "Atza|t1", "expires_in": 3600})
    responses.patch(AMAZON_ITEMS + "/A", json={"sku": "B", "status": "ACCEPTED", "submissionId": "1"})
    [result] = amazon().push([Change.update("A", state("A", currency="USD"))])
    assert not result.ok and "'B'" in (result.error or "")


@responses.activate
def test_ebay_inventory_item_answered_for_another_sku_is_a_response_error() -> None:
    # Before: `{"sku": sku, **item}` let the answer's SKU replace the one asked for.
    responses.post(EBAY_TOKEN_URL, json={"access_token": "ebay-user-token", "expires_in": 7200})
    responses.get(EBAY_API + "inventory_item/A", json={"sku": "B"})
    with pytest.raises(ChannelResponseError, match="answered SKU 'B' instead"):
        ebay().find_by_skus(["A"])


@responses.activate
def test_ebay_offer_of_another_sku_is_a_response_error() -> None:
    # Before: the first offer of the marketplace was read as the SKU's, whatever its SKU.
    responses.post(EBAY_TOKEN_URL, json={"access_token": "ebay-user-token", "expires_in": 7200})
    responses.get(EBAY_API + "inventory_item/A", json={"sku": "A"})
    offer = {"offerId": "9", "sku": "B", "pricingSummary": {"price": {"value": "1.00", "currency": "USD"}}}
    responses.get(EBAY_API + "offer", json={"offers": [offer]})
    with pytest.raises(ChannelResponseError, match="SKU A: GET offer answered an offer of SKU 'B'"):
        ebay().find_by_skus(["A"])


@responses.activate
def test_ebay_offers_not_a_list_is_a_response_error_not_a_type_error() -> None:
    # Before: `for o in offers or ()` iterated the number: TypeError.
    responses.post(EBAY_TOKEN_URL, json={"access_token": "ebay-user-token", "expires_in": 7200})
    responses.get(EBAY_API + "inventory_item/A", json={"sku": "A"})
    responses.get(EBAY_API + "offer", json={"offers": 3})
    with pytest.raises(ChannelResponseError, match="SKU A: offers is not a list"):
        ebay().find_by_skus(["A"])


@responses.activate
def test_ebay_bulk_answer_for_another_offer_is_not_counted_as_applied() -> None:
    # Before: accepted, with the other offer's id as the listing's remote id (a re-binding).
    responses.post(EBAY_TOKEN_URL, json={"access_token": "ebay-user-token", "expires_in": 7200})
    responses.post(
        EBAY_API + "bulk_update_price_quantity",
        json={"responses": [{"sku": "A", "offerId": "77", "statusCode": 200}]},
    )
    [result] = ebay().push([Change.update("9", state("A", currency="USD"))])
    assert not result.ok and result.remote_id == "9" and "'77'" in (result.error or "")


@responses.activate
def test_ebay_bulk_answer_with_a_numeric_offer_id_is_the_offer_sent() -> None:
    responses.post(EBAY_TOKEN_URL, json={"access_token": "ebay-user-token", "expires_in": 7200})
    responses.post(
        EBAY_API + "bulk_update_price_quantity", json={"responses": [{"sku": "A", "offerId": 9, "statusCode": 200}]}
    )
    [result] = ebay().push([Change.update("9", state("A", currency="USD"))])
    assert result.ok and result.remote_id == "9"


@responses.activate
def test_pinduoduo_detail_of_other_goods_is_a_response_error() -> None:
    # Before: the other goods' SKUs were read under the ids the answer gave.
    responses.post(PDD_URL, json={"goods_list_get_response": {"goods_list": [{"goods_id": 1}]}})
    detail = {"goods_id": 2, "sku_list": [{"sku_id": 5, "out_sku_sn": "A", "price": 1299, "multi_price": 1199}]}
    responses.post(PDD_URL, json={"goods_detail_get_response": detail})
    with pytest.raises(ChannelResponseError, match=r"pdd\.goods\.detail\.get 1: answered goods 2 instead"):
        pdd().list_listings()


@responses.activate
def test_youzan_item_answered_for_another_item_is_a_response_error() -> None:
    responses.post(
        YOUZAN + "/api/youzan.items.onsale.get/3.0.0", json={"success": True, "data": {"items": [{"item_id": 1}]}}
    )
    item = {"item_id": 2, "skus": [{"sku_id": 5, "item_no": "A", "price": 100, "quantity": 1}]}
    responses.post(YOUZAN + "/api/youzan.item.get/3.0.0", json={"success": True, "data": {"item": item}})
    with pytest.raises(ChannelResponseError, match=r"youzan\.item\.get 1: answered item 2 instead"):
        youzan().list_listings()


@responses.activate
def test_taobao_item_not_asked_for_is_a_response_error() -> None:
    responses.post(
        TAOBAO_URL, json={"items_onsale_get_response": {"total_results": 1, "items": {"item": [{"num_iid": 1}]}}}
    )
    item = {"num_iid": 2, "title": "T", "skus": {"sku": [{"sku_id": 5, "outer_id": "A", "price": "1"}]}}
    responses.post(TAOBAO_URL, json={"items_seller_list_get_response": {"items": {"item": [item]}}})
    with pytest.raises(ChannelResponseError, match="answered item 2, which was not asked for"):
        taobao().list_listings()


@pytest.mark.parametrize("answered_id", [True, "seven", {"id": 7}])
@responses.activate
def test_woocommerce_create_answered_with_an_id_that_is_not_a_number_is_refused(answered_id: Any) -> None:
    # Before: accepted with remote id "True" (or the object's text), then bound to it.
    responses.post(WOO_API + "products/batch", json={"create": [{"id": answered_id, "sku": "A"}]})
    [result] = woo().push([Change.create(state("A"))])
    assert not result.ok and "product id" in (result.error or "")


# -- one listing answered twice ----------------------------------------------------------------


@responses.activate
def test_a_listing_answered_twice_the_same_is_read_once() -> None:
    # Before: read twice, so the sync saw SKU A on two listings (7 and 7) and left it alone.
    row = {"id": 7, "sku": "A", "regular_price": "9.90", "status": "publish"}
    responses.get(WOO_API + "products", json=[row, row], headers={"X-WP-TotalPages": "1"})
    [listing] = woo().list_listings()
    assert listing.remote_id == "7"


@responses.activate
def test_a_listing_answered_twice_with_different_contents_is_a_response_error() -> None:
    # Before: both were read; a bound SKU took whichever came first.
    rows = [
        {"skuId": 2, "wareId": 1, "outerId": "A", "jdPrice": "9.90", "stockNum": 1, "status": 1},
        {"skuId": 2, "wareId": 1, "outerId": "A", "jdPrice": "1.00", "stockNum": 1, "status": 1},
    ]
    responses.post(
        JD_URL, json={"jingdong_sku_read_searchSkuList_responce": {"code": "0", "page": {"data": rows, "totalItem": 2}}}
    )
    with pytest.raises(ChannelResponseError, match=r"listing 1:2 \(SKU A\) is answered twice with different contents"):
        jd().list_listings()


# -- error codes echoing a secret --------------------------------------------------------------


@responses.activate
def test_jd_error_code_echoing_the_token_does_not_carry_it() -> None:
    # Before: `code` went into the message and the error's code as it came.
    responses.post(JD_URL, json={"error_response": {"code": "19 access_token=jd_token_abcdef", "zh_desc": "x"}})
    with pytest.raises(ChannelError) as info:
        jd().list_listings()
    assert "jd_token_abcdef" not in str(info.value) and "jd_token_abcdef" not in str(info.value.code)


@responses.activate
def test_taobao_sub_code_echoing_the_session_does_not_carry_it() -> None:
    error = {"code": 15, "msg": "x", "sub_code": "isv.session_abcdef"}
    responses.post(TAOBAO_URL, json={"error_response": error})
    with pytest.raises(ChannelError) as info:
        taobao().list_listings()
    assert "session_abcdef" not in str(info.value) and "session_abcdef" not in str(info.value.code)


@responses.activate
def test_woocommerce_error_code_echoing_the_secret_does_not_carry_it() -> None:
    responses.get(WOO_API + "products", status=400, json={"code": "bad cs_0123456789abcdef", "message": "no"})
    with pytest.raises(ChannelRequestError) as info:
        woo().list_listings()
    assert "cs_0123456789abcdef" not in str(info.value) and "cs_0123456789abcdef" not in str(info.value.code)


@responses.activate
def test_amazon_error_code_echoing_the_access_token_does_not_carry_it() -> None:
    responses.post(LWA_URL, json={"access_token": "Atza|live-access-token", "expires_in": 3600})
    responses.get(AMAZON_ITEMS, status=400, json={"errors": [{"code": "Atza|live-access-token", "message": "bad"}]})
    with pytest.raises(ChannelRequestError) as info:
        amazon().list_listings()
    assert "live-access-token" not in str(info.value) and "live-access-token" not in str(info.value.code)


@responses.activate
def test_ebay_error_id_echoing_the_user_token_does_not_carry_it() -> None:
    responses.post(EBAY_TOKEN_URL, json={"access_token": "v^1.1#user-access-token", "expires_in": 7200})
    responses.get(EBAY_API + "inventory_item", status=400, json={"errors": [{"errorId": "v^1.1#user-access-token"}]})
    with pytest.raises(ChannelRequestError) as info:
        ebay().list_listings()
    assert "user-access-token" not in str(info.value) and "user-access-token" not in str(info.value.code)


# -- a wait that is not a number of seconds ----------------------------------------------------


@responses.activate
def test_shopify_infinite_retry_after_backs_off_instead_of_giving_up() -> None:
    # Before: `inf == inf`, so Retry-After "inf" was taken as a wait, longer than any allowed: no retry.
    responses.post(SHOPIFY_GQL, status=429, headers={"Retry-After": "inf"})
    responses.post(
        SHOPIFY_GQL,
        json={"data": {"productVariants": {"nodes": [variant(1, "A")], "pageInfo": {"hasNextPage": False}}}},
    )
    sleeps: list[float] = []
    [listing] = shopify(sleeps).list_listings()
    assert listing.state.sku == "A"
    assert len(sleeps) == 1 and 0 < sleeps[0] < 60


@responses.activate
def test_shopify_price_answer_with_a_list_for_a_variant_id_is_no_stamp_not_a_type_error() -> None:
    # Before: the variant ids keyed a dict, and a list id raised TypeError (unhashable) out of the push.
    answers = {
        "OnepriceVariantNodes": {"nodes": [variant(1, "A")]},
        "OnepriceVariantsUpdate": {
            "productVariantsBulkUpdate": {"productVariants": [{"id": ["x"], "updatedAt": "z"}], "userErrors": []}
        },
    }
    responses.add_callback(responses.POST, SHOPIFY_GQL, callback=_shopify_answers(answers))
    [result] = shopify().push([Change.update("gid://shopify/ProductVariant/1", state("A", price="13.00"))])
    assert result.ok and result.modified == "2026-11-27T12:00:00Z"


@responses.activate
def test_woocommerce_refusal_answered_with_a_bogus_id_keeps_the_id_sent() -> None:
    # Before: the refusal carried remote id "True".
    error = {"code": "woocommerce_rest_invalid", "message": "no"}
    responses.post(WOO_API + "products/batch", json={"update": [{"id": True, "error": error}]})
    [result] = woo().push([Change.update("5", state("A"))])
    assert not result.ok and result.remote_id == "5"
