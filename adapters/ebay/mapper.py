"""Pure conversion between ListingState and Sell Inventory JSON (inventory items, offers); no I/O.

Prices travel as `{value: "12.34", currency: "USD"}`, the value a decimal string.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from adapters.base import answered_int, answered_price
from oneprice.domain.listing import ListingState, RemoteListing
from oneprice.domain.money import CURRENCY_EXPONENTS, check_currency


class EbayMapper:
    """ListingState <-> an inventory item with its offer, for one currency.

    eBay shows min(item quantity, offer quantity), so both are written and the smaller
    is read. An inventory-API listing has no "inactive but stocked" state reachable by
    a price/quantity update: an inactive product is written with quantity 0, and a
    listing reads as active only while its offer is PUBLISHED with quantity > 0. The
    title is read from the inventory item but never written (that needs a full replace).

    >>> EbayMapper("USD").to_request("SKU-1", "5001", state)["offers"][0]["price"]   # doctest: +SKIP
    {'value': '12.34', 'currency': 'USD'}
    """

    def __init__(self, currency: str) -> None:
        self.currency = check_currency(currency)
        self._places = max(2, CURRENCY_EXPONENTS[self.currency])

    def format_price(self, amount: Decimal) -> str:
        return f"{amount:.{self._places}f}"

    def to_request(self, sku: str, offer_id: str, state: ListingState) -> dict[str, Any]:
        """One `requests[]` entry of bulk_update_price_quantity."""
        if state.price.currency != self.currency:
            raise ValueError(f"SKU {state.sku}: price is in {state.price.currency}, the store sells in {self.currency}")
        quantity = state.stock if state.status == "active" else 0
        return {
            "sku": sku,
            "shipToLocationAvailability": {"quantity": quantity},
            "offers": [
                {
                    "offerId": offer_id,
                    "availableQuantity": quantity,
                    "price": {"value": self.format_price(state.price.amount), "currency": self.currency},
                }
            ],
        }

    def to_listing(self, item: Mapping[str, Any], offer: Mapping[str, Any]) -> RemoteListing:
        """An inventory item and its offer in our marketplace; ValueError names what is malformed."""
        sku = str(item.get("sku") or "").strip()
        if not sku:
            raise ValueError("inventory item without a SKU")
        offer_id = str(offer.get("offerId") or "").strip()
        if not offer_id:
            raise ValueError(f"SKU {sku}: offer without an offerId")
        product = item.get("product") if isinstance(item.get("product"), Mapping) else {}
        assert isinstance(product, Mapping)
        availability = item.get("availability") or {}
        ship = availability.get("shipToLocationAvailability") if isinstance(availability, Mapping) else None
        item_qty = _quantity(ship.get("quantity") if isinstance(ship, Mapping) else None, sku)
        offer_qty = offer.get("availableQuantity")
        stock = min(item_qty, _quantity(offer_qty, sku)) if offer_qty is not None else item_qty
        published = offer.get("status") == "PUBLISHED"
        state = ListingState(
            sku=sku,
            name=str(product.get("title") or ""),
            price=answered_price(self._price_of(offer, sku), self.currency, f"SKU {sku}: price"),
            stock=stock,
            status="active" if published and stock > 0 else "inactive",
        )
        return RemoteListing(remote_id=offer_id, state=state)

    def _price_of(self, offer: Mapping[str, Any], sku: str) -> Any:
        """The offer's price value as answered; None when it has none yet (it then reads as 0)."""
        summary = offer.get("pricingSummary")
        price = summary.get("price") if isinstance(summary, Mapping) else None
        if not isinstance(price, Mapping) or price.get("value") in (None, ""):
            return None
        if price.get("currency") not in (None, self.currency):
            raise ValueError(f"SKU {sku}: offer is in {price.get('currency')}, the store sells in {self.currency}")
        return price["value"]


def _quantity(raw: Any, sku: str) -> int:
    if raw is None:
        return 0
    return max(answered_int(raw, f"SKU {sku}: quantity"), 0)
