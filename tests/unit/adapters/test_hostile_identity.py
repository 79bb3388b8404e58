"""Channels answering about another listing than the one asked for, one listing twice, error codes echoing
a secret, and waits that are no number of seconds."""

from __future__ import annotations

from typing import Any

import pytest
import responses
from hostile_channels import (
    AMAZON_ITEMS,
    EBAY_API,
    EBAY_TOKEN_URL,
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
    pdd,
    shopify,
    shopify_answers,
    state,
    taobao,
    variant,
    woo,
    youzan,
)

from adapters.base import Change
from oneprice.errors import ChannelError, ChannelRequestError, ChannelResponseError

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
    responses.add_callback(responses.POST, SHOPIFY_GQL, callback=shopify_answers(answers))
    [result] = shopify().push([Change.update("gid://shopify/ProductVariant/1", state("A", price="13.00"))])
    assert result.ok and result.modified == "2026-11-27T12:00:00Z"


@responses.activate
def test_woocommerce_refusal_answered_with_a_bogus_id_keeps_the_id_sent() -> None:
    # Before: the refusal carried remote id "True".
    error = {"code": "woocommerce_rest_invalid", "message": "no"}
    responses.post(WOO_API + "products/batch", json={"update": [{"id": True, "error": error}]})
    [result] = woo().push([Change.update("5", state("A"))])
    assert not result.ok and result.remote_id == "5"
