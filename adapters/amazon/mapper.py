"""Pure conversion between ListingState and Listings Items API JSON (2021-08-01); no I/O.

Prices go out as JSON numbers written from the Decimal's own digits (`encode_json`), never
through a float, and are read back as Decimal (`decode_json`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from adapters.base import answered_int, answered_price, json_list, loads_answer
from oneprice.domain.listing import ListingState, RemoteListing
from oneprice.domain.money import CURRENCY_EXPONENTS, check_currency

FULFILLMENT_CHANNEL = "DEFAULT"  # merchant-fulfilled stock; FBA quantities belong to Amazon


def encode_json(value: Any) -> bytes:
    """JSON with Decimal written as a number from its digits: `Decimal("12.30")` -> `12.30`.

    >>> encode_json({"value_with_tax": Decimal("1299.00")})
    b'{"value_with_tax": 1299.00}'
    """
    return _encode(value).encode("utf-8")


def _encode(value: Any) -> str:
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{value} is not a finite number")
        return f"{value:f}"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{json.dumps(str(k))}: {_encode(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_encode(v) for v in value) + "]"
    if isinstance(value, float):
        raise TypeError("floats are not sent: use Decimal for amounts")
    return json.dumps(value, ensure_ascii=False)


def decode_json(text: str) -> Any:
    """Parse a response body with every non-integer number as Decimal; ValueError when it is not JSON."""
    return loads_answer(text, parse_float=Decimal)


class AmazonMapper:
    """ListingState <-> Listings Items JSON for one marketplace and currency.

    Amazon has no "inactive" switch on an offer: an inactive product is written with
    quantity 0, and a listing reads as active only while Amazon reports it `BUYABLE`.
    The listing's title is read (`summaries[].itemName`) but never written: titles are
    catalog contributions, reviewed by Amazon, outside a price/stock sync.

    >>> AmazonMapper("ATVPDKIKX0DER", "USD").to_patch(state, "SHIRT")["patches"][0]["path"]  # doctest: +SKIP
    '/attributes/purchasable_offer'
    """

    def __init__(self, marketplace_id: str, currency: str) -> None:
        self.marketplace_id = marketplace_id
        self.currency = check_currency(currency)
        self._places = max(2, CURRENCY_EXPONENTS[self.currency])

    def to_patch(self, state: ListingState, product_type: str) -> dict[str, Any]:
        """The PATCH body that sets the offer price and the merchant-fulfilled quantity."""
        if state.price.currency != self.currency:
            raise ValueError(
                f"SKU {state.sku}: price is in {state.price.currency}, the marketplace sells in {self.currency}"
            )
        amount = state.price.amount.quantize(Decimal(1).scaleb(-self._places))
        quantity = state.stock if state.status == "active" else 0
        return {
            "productType": product_type,
            "patches": [
                {
                    "op": "replace",
                    "path": "/attributes/purchasable_offer",
                    "value": [
                        {
                            "marketplace_id": self.marketplace_id,
                            "currency": self.currency,
                            "audience": "ALL",
                            "our_price": [{"schedule": [{"value_with_tax": amount}]}],
                        }
                    ],
                },
                {
                    "op": "replace",
                    "path": "/attributes/fulfillment_availability",
                    "value": [{"fulfillment_channel_code": FULFILLMENT_CHANNEL, "quantity": quantity}],
                },
            ],
        }

    def to_listing(self, doc: Mapping[str, Any]) -> RemoteListing:
        """A listings item (summaries, attributes, offers, fulfillmentAvailability); ValueError if bad."""
        if not isinstance(doc, Mapping):
            raise ValueError(f"a listings item must be a JSON object, got {type(doc).__name__}")
        sku = str(doc.get("sku") or "").strip()
        if not sku:
            raise ValueError("listings item without a SKU")
        summary = self._for_marketplace(doc.get("summaries"), "marketplaceId")
        attributes = doc.get("attributes") if isinstance(doc.get("attributes"), Mapping) else {}
        assert isinstance(attributes, Mapping)
        state = ListingState(
            sku=sku,
            name=self._name_of(summary, attributes),
            price=answered_price(self._price_of(doc, attributes, sku), self.currency, f"SKU {sku}: price"),
            stock=self._stock_of(doc, attributes, sku),
            status="active"
            if "BUYABLE" in json_list(summary.get("status"), f"SKU {sku}: summary status")
            else "inactive",
        )
        modified = summary.get("lastUpdatedDate")
        return RemoteListing(remote_id=sku, state=state, modified=str(modified) if modified else None)

    # -- reading helpers -------------------------------------------------------------------

    def _for_marketplace(self, items: Any, key: str) -> Mapping[str, Any]:
        """The entry of a per-marketplace list for our marketplace (entries without one count as ours)."""
        if not isinstance(items, Sequence) or isinstance(items, str):
            return {}
        for item in items:
            if isinstance(item, Mapping) and item.get(key) in (None, self.marketplace_id):
                return item
        return {}

    def _name_of(self, summary: Mapping[str, Any], attributes: Mapping[str, Any]) -> str:
        if summary.get("itemName"):
            return str(summary["itemName"])
        entry = self._for_marketplace(attributes.get("item_name"), "marketplace_id")
        return str(entry.get("value") or "")

    def _price_of(self, doc: Mapping[str, Any], attributes: Mapping[str, Any], sku: str) -> Any:
        """The live offer price (`offers[]`) as answered, else the submitted one; None when there is none."""
        for offer in json_list(doc.get("offers"), f"SKU {sku}: offers"):
            if not isinstance(offer, Mapping):
                continue
            if offer.get("marketplaceId") not in (None, self.marketplace_id):
                continue
            if offer.get("offerType", "B2C") != "B2C":
                continue
            price = offer.get("price")
            if not isinstance(price, Mapping):
                raise ValueError(f"SKU {sku}: offer price {str(price)[:40]!r} is not an object")
            if price.get("amount") is None:
                raise ValueError(f"SKU {sku}: offer price has no amount")
            return self._in_currency(price.get("amount"), price.get("currencyCode"), sku)
        return self._submitted_price(attributes.get("purchasable_offer"), sku)

    def _submitted_price(self, offers: Any, sku: str) -> Any:
        """`purchasable_offer[].our_price[0].schedule[0].value_with_tax` of our marketplace's offer to all buyers.

        No such offer, or one without `our_price`, is no price (None: it reads as 0 for the plan to set).
        An offer whose `our_price` is there but not that shape is a ValueError naming the SKU: read as no
        price it would be a live price of 0.
        """
        where = f"SKU {sku}: purchasable_offer"
        entry: Mapping[str, Any] | None = None
        for candidate in json_list(offers, where):
            if not isinstance(candidate, Mapping):
                raise ValueError(f"{where} entry {str(candidate)[:40]!r} is not an object")
            if candidate.get("marketplace_id") not in (None, self.marketplace_id):
                continue
            if candidate.get("audience") not in (None, "ALL"):
                continue  # a business (B2B) price is not the price every buyer sees
            entry = candidate
            break
        if entry is None:
            return None
        our_price = json_list(entry.get("our_price"), f"{where} our_price")
        if not our_price:
            return None
        first = our_price[0]
        schedule = first.get("schedule") if isinstance(first, Mapping) else None
        if not isinstance(first, Mapping) or not isinstance(schedule, list):
            raise ValueError(f"{where} our_price {str(our_price)[:60]!r} is not [{{schedule: [...]}}]")
        if not schedule or not isinstance(schedule[0], Mapping) or schedule[0].get("value_with_tax") is None:
            raise ValueError(f"{where} our_price has no value_with_tax")
        return self._in_currency(schedule[0]["value_with_tax"], entry.get("currency"), sku)

    def _in_currency(self, raw: Any, currency: Any, sku: str) -> Any:
        if currency not in (None, self.currency):
            raise ValueError(f"SKU {sku}: offer is in {currency}, the channel sells in {self.currency}")
        return raw

    def _stock_of(self, doc: Mapping[str, Any], attributes: Mapping[str, Any], sku: str) -> int:
        raw: Any = None
        for entry in json_list(doc.get("fulfillmentAvailability"), f"SKU {sku}: fulfillmentAvailability"):
            if isinstance(entry, Mapping) and entry.get("fulfillmentChannelCode") == FULFILLMENT_CHANNEL:
                raw = entry.get("quantity")
                break
        else:
            for entry in json_list(attributes.get("fulfillment_availability"), f"SKU {sku}: fulfillment_availability"):
                code = entry.get("fulfillment_channel_code") if isinstance(entry, Mapping) else None
                if code == FULFILLMENT_CHANNEL:
                    raw = entry.get("quantity")
                    break
        if raw is None:
            return 0
        return max(answered_int(raw, f"SKU {sku}: quantity"), 0)
