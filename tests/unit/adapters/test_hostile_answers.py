"""Channels answering what no adapter should trust: huge amounts, pages that go round, throttles, secrets
echoed back, error envelopes, byte order marks, partial refusals and values of the wrong JSON type."""

from __future__ import annotations

import json
import math
import random
import traceback
from collections.abc import Callable
from typing import Any

import pytest
import requests
import responses
from hostile_channels import (
    AMAZON_ITEMS,
    BOM,
    EBAY_API,
    EBAY_TOKEN_URL,
    HUGE,
    JD_URL,
    LWA_URL,
    PDD_URL,
    SHOPIFY_GQL,
    TAOBAO_URL,
    WOO_API,
    YOUZAN,
    amazon,
    ebay,
    jd,
    looping,
    pdd,
    shopify,
    shopify_answers,
    state,
    taobao,
    variant,
    woo,
    youzan,
)

from adapters.amazon.mapper import AmazonMapper
from adapters.base import Change, scrub_secrets
from adapters.ebay.mapper import EbayMapper
from adapters.jd.mapper import JdMapper
from adapters.pinduoduo.mapper import PinduoduoMapper
from adapters.pinduoduo.settings import PriceRule
from adapters.retry import retry_delay
from adapters.shopify.mapper import ShopifyMapper
from adapters.taobao.mapper import TaobaoMapper
from adapters.woocommerce.mapper import WooCommerceMapper
from adapters.youzan.mapper import YouzanMapper
from oneprice.domain.money import Money
from oneprice.errors import (
    ChannelAuthError,
    ChannelError,
    ChannelRateLimited,
    ChannelRequestError,
    ChannelResponseError,
)

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
    responses.add_callback(responses.POST, SHOPIFY_GQL, callback=shopify_answers(answers))
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
