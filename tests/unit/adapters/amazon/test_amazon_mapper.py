"""AmazonMapper tables: the PATCH body, Decimal-exact JSON, listings items read back."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from adapters.amazon import AmazonMapper, decode_json, encode_json
from oneprice.domain.listing import ListingState
from oneprice.domain.money import Money

MARKET = "ATVPDKIKX0DER"
mapper = AmazonMapper(MARKET, "USD")


def state(price: str = "12.30", stock: int = 4, status: str = "active") -> ListingState:
    return ListingState(
        sku="SKU-1",
        name="Jacket",
        price=Money.of(price, "USD"),
        stock=stock,
        status=status,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("12.30"), b"12.30"),
        (Decimal("1299.00"), b"1299.00"),
        (Decimal("0.10"), b"0.10"),
        (Decimal("1E+3"), b"1000"),
        ({"a": [Decimal("1.5"), 2, "x", None, True]}, b'{"a": [1.5, 2, "x", null, true]}'),
        ({"name": "山屿"}, '{"name": "山屿"}'.encode()),
    ],
)
def test_encode_json_writes_decimals_as_their_digits(value: Any, expected: bytes) -> None:
    assert encode_json(value) == expected


def test_encode_json_refuses_floats_and_specials() -> None:
    with pytest.raises(TypeError):
        encode_json({"value_with_tax": 12.3})
    with pytest.raises(ValueError):
        encode_json(Decimal("NaN"))


def test_decode_json_reads_numbers_as_decimal() -> None:
    assert decode_json('{"v": 12.30, "n": 3}') == {"v": Decimal("12.30"), "n": 3}


@pytest.mark.parametrize(
    ("desired", "price", "quantity"),
    [
        (state("12.30", 4), Decimal("12.30"), 4),
        (state("1299", 0), Decimal("1299.00"), 0),
        (state("9.99", 7, "inactive"), Decimal("9.99"), 0),  # inactive: not buyable, quantity 0
    ],
)
def test_patch_body(desired: ListingState, price: Decimal, quantity: int) -> None:
    body = mapper.to_patch(desired, "OUTERWEAR")
    assert body == {
        "productType": "OUTERWEAR",
        "patches": [
            {
                "op": "replace",
                "path": "/attributes/purchasable_offer",
                "value": [
                    {
                        "marketplace_id": MARKET,
                        "currency": "USD",
                        "audience": "ALL",
                        "our_price": [{"schedule": [{"value_with_tax": price}]}],
                    }
                ],
            },
            {
                "op": "replace",
                "path": "/attributes/fulfillment_availability",
                "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": quantity}],
            },
        ],
    }
    text = encode_json(body).decode()
    assert f'"value_with_tax": {price}' in text
    assert json.loads(text, parse_float=Decimal) == body


def test_patch_refuses_another_currency() -> None:
    cny = ListingState(sku="S", name="n", price=Money.of("10", "CNY"), stock=1)
    with pytest.raises(ValueError, match="CNY"):
        mapper.to_patch(cny, "PRODUCT")


def item(**kw: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "sku": "SKU-1",
        "summaries": [
            {
                "marketplaceId": MARKET,
                "asin": "B0TEST",
                "status": ["BUYABLE", "DISCOVERABLE"],
                "itemName": "Jacket",
                "lastUpdatedDate": "2026-11-27T08:00:00Z",
            }
        ],
        "offers": [{"marketplaceId": MARKET, "offerType": "B2C", "price": {"currencyCode": "USD", "amount": "12.30"}}],
        "fulfillmentAvailability": [{"fulfillmentChannelCode": "DEFAULT", "quantity": 4}],
    }
    doc.update(kw)
    return doc


@pytest.mark.parametrize(
    ("doc", "price", "stock", "status", "name"),
    [
        (item(), "12.30", 4, "active", "Jacket"),
        # The submitted offer (attributes) when Amazon shows no live offer yet.
        (
            item(
                offers=[],
                attributes={
                    "purchasable_offer": [
                        {
                            "marketplace_id": MARKET,
                            "currency": "USD",
                            "our_price": [{"schedule": [{"value_with_tax": Decimal("8.5")}]}],
                        }
                    ]
                },
            ),
            "8.50",
            4,
            "active",
            "Jacket",
        ),
        # A B2B offer and another marketplace's offer are not ours.
        (
            item(
                offers=[
                    {"marketplaceId": "A2EUQ1WTGCTBG2", "price": {"currencyCode": "USD", "amount": "1"}},
                    {"marketplaceId": MARKET, "offerType": "B2B", "price": {"currencyCode": "USD", "amount": "2"}},
                ]
            ),
            "0.00",
            4,
            "active",
            "Jacket",
        ),
        (item(summaries=[{"marketplaceId": MARKET, "status": ["DISCOVERABLE"]}]), "12.30", 4, "inactive", ""),
        (
            item(
                fulfillmentAvailability=[],
                attributes={
                    "fulfillment_availability": [{"fulfillment_channel_code": "DEFAULT", "quantity": 9}],
                    "item_name": [{"value": "From attributes", "marketplace_id": MARKET}],
                },
                summaries=[],
            ),
            "12.30",
            9,
            "inactive",
            "From attributes",
        ),
        (
            item(fulfillmentAvailability=[{"fulfillmentChannelCode": "AMAZON_NA", "quantity": 50}]),
            "12.30",
            0,
            "active",
            "Jacket",
        ),
    ],
)
def test_to_listing(doc: dict[str, Any], price: str, stock: int, status: str, name: str) -> None:
    listing = mapper.to_listing(doc)
    assert listing.remote_id == "SKU-1"
    assert listing.state.price == Money.of(price, "USD")
    assert (listing.state.stock, listing.state.status, listing.state.name) == (stock, status, name)


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"summaries": []}, "without a SKU"),
        (item(offers=[{"marketplaceId": MARKET, "price": {"currencyCode": "EUR", "amount": "1"}}]), "EUR"),
        (item(offers=[{"marketplaceId": MARKET, "price": {"currencyCode": "USD", "amount": "abc"}}]), "not a number"),
        (item(fulfillmentAvailability=[{"fulfillmentChannelCode": "DEFAULT", "quantity": 1.5}]), "integer"),
    ],
)
def test_to_listing_refuses_malformed_items(doc: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        mapper.to_listing(doc)


def test_modified_comes_from_the_summary() -> None:
    assert mapper.to_listing(item()).modified == "2026-11-27T08:00:00Z"
