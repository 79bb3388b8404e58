"""Channels answering values no adapter should read as they stand: prices present and unusable, malformed
Amazon offers, token lifetimes, integers, digits beyond ASCII, JSON nested too deep or too precise, bools as counts."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
import requests
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
    state,
    taobao,
    variant,
    woo,
    youzan,
)

from adapters.amazon.auth import LwaToken
from adapters.amazon.mapper import AmazonMapper
from adapters.base import Change, answered_int
from adapters.ebay import EbayOptions
from adapters.ebay.http import EbayToken
from adapters.ebay.mapper import EbayMapper
from adapters.jd.mapper import JdMapper
from adapters.pinduoduo.mapper import PinduoduoMapper
from adapters.pinduoduo.settings import PriceRule
from adapters.shopify.mapper import ShopifyMapper
from adapters.taobao.mapper import TaobaoMapper
from adapters.woocommerce.mapper import WooCommerceMapper
from adapters.youzan.mapper import YouzanMapper
from oneprice.domain.money import Money
from oneprice.errors import ChannelAuthError, ChannelRateLimited, ChannelRequestError, ChannelResponseError

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
        answered_int(REFUSED_INTEGERS[case], "SKU A quantity")


@pytest.mark.parametrize(("value", "expected"), [("12", 12), (" 12 ", 12), ("-3", -3), (12, 12), (-3, -3), ("007", 7)])
def test_as_int_reads_integers_and_ascii_digit_strings(value: Any, expected: int) -> None:
    assert answered_int(value, "SKU A quantity") == expected


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
