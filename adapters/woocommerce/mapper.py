"""Pure conversion between ListingState and WooCommerce product JSON (no I/O).

Prices travel as strings with 2 decimals (3 for 3-decimal currencies); the channel's currency applies.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from adapters.base import answered_int, answered_price, ascii_digits
from oneprice.domain.listing import ListingState, RemoteListing
from oneprice.domain.money import CURRENCY_EXPONENTS, check_currency


class WooCommerceMapper:
    """ListingState <-> Woo product JSON for one store's currency.

    Writing always sends `sale_price: ""`: a running sale would undercut the unified
    price, so the brand's own store is held to the regular price. Reading takes the
    price customers pay (the sale price while a sale runs), so a sale shows up as a
    price difference. Names are HTML-unescaped on read (WordPress stores `&` as `&amp;`).

    >>> WooCommerceMapper("CNY").to_product(state)["regular_price"]   # doctest: +SKIP
    '1299.00'
    """

    def __init__(self, currency: str) -> None:
        self.currency = check_currency(currency)
        self._places = max(2, CURRENCY_EXPONENTS[self.currency])

    def format_price(self, amount: Decimal) -> str:
        return f"{amount:.{self._places}f}"

    def to_product(self, state: ListingState) -> dict[str, Any]:
        """The body of a create (or, with `id`, an update) for `state`."""
        if state.price.currency != self.currency:
            raise ValueError(f"SKU {state.sku}: price is in {state.price.currency}, the store sells in {self.currency}")
        return {
            "sku": state.sku,
            "name": state.name,
            "type": "simple",
            "status": "publish" if state.status == "active" else "draft",
            "regular_price": self.format_price(state.price.amount),
            "sale_price": "",
            "manage_stock": True,
            "stock_quantity": state.stock,
        }

    def to_update(self, remote_id: str, state: ListingState) -> dict[str, Any]:
        """An update item for products/batch: the product body plus its numeric id."""
        return {"id": _woo_id(remote_id), **self.to_product(state)}

    def to_listing(self, doc: Mapping[str, Any]) -> RemoteListing:
        """A product JSON object as the store reports it; ValueError names what is malformed."""
        if not isinstance(doc, Mapping):
            raise ValueError(f"a product must be a JSON object, got {type(doc).__name__}")
        if doc.get("id") in (None, ""):
            raise ValueError("product without an id")
        remote_id = str(answered_int(doc["id"], "product id"))
        sku = str(doc.get("sku") or "").strip()
        if not sku:
            raise ValueError(f"product {remote_id} has no SKU")
        state = ListingState(
            sku=sku,
            name=html.unescape(str(doc.get("name") or "")),
            price=answered_price(self._price_of(doc), self.currency, f"product {remote_id}: price"),
            stock=self._stock_of(doc, remote_id),
            status="active" if doc.get("status") == "publish" else "inactive",
        )
        modified = doc.get("date_modified_gmt") or doc.get("date_modified")
        return RemoteListing(remote_id=remote_id, state=state, modified=str(modified) if modified else None)

    @staticmethod
    def _price_of(doc: Mapping[str, Any]) -> Any:
        """The price customers pay as answered: the sale price while a sale runs, else the regular price."""
        sale = doc.get("sale_price")
        return sale if str(sale or "").strip() and doc.get("on_sale", True) else doc.get("regular_price")

    @staticmethod
    def _stock_of(doc: Mapping[str, Any], remote_id: str) -> int:
        """Managed stock as a count; unmanaged stock reads as 0, negative (backorders) as 0."""
        stock = doc.get("stock_quantity")
        if not doc.get("manage_stock", stock is not None) or stock is None:
            return 0
        return max(answered_int(stock, f"product {remote_id}: stock_quantity"), 0)


def _woo_id(remote_id: str) -> int | str:
    """Woo ids are integers; keep anything else as given so the store can refuse it by name."""
    return int(remote_id) if ascii_digits(remote_id) else remote_id
