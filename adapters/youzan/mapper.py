"""Pure conversion between ListingState and Youzan item/SKU JSON (no I/O).

Item reads carry prices in fen; `youzan.item.sku.update` takes yuan with 2 decimals.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from adapters.base import answered_int, answered_price, json_list
from oneprice.domain.listing import ListingState, RemoteListing
from oneprice.domain.money import check_currency


def property_values(raw: Any) -> list[str]:
    """`properties_name_json` ('[{"k":"颜色","v":"曜石黑"}]', a string or a list) -> `["曜石黑"]`."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw) if raw.strip() else []
        except ValueError:
            return []
    if not isinstance(raw, list):
        return []
    return [str(p.get("v")) for p in raw if isinstance(p, Mapping) and p.get("v")]


class YouzanMapper:
    """ListingState <-> Youzan fields for one shop's currency.

    >>> YouzanMapper("CNY").sku_update("1001:5001", state)   # doctest: +SKIP
    {'item_id': 1001, 'sku_id': 5001, 'price': '1299.00', 'quantity': 42}
    """

    def __init__(self, currency: str) -> None:
        self.currency = check_currency(currency)

    @staticmethod
    def sku_update(item_id: str, sku_id: str, state: ListingState) -> dict[str, Any]:
        """The JSON body of `youzan.item.sku.update`: price in yuan (2 dp), full quantity."""
        return {
            "item_id": int(item_id),
            "sku_id": int(sku_id),
            "price": f"{state.price.amount:.2f}",
            "quantity": state.stock,
        }

    def to_listings(self, item: Mapping[str, Any]) -> list[RemoteListing]:
        """The SKUs of a `youzan.item.get` item that carry a code (`item_no`)."""
        item_id = answered_int(item.get("item_id"), "item_id")
        title = str(item.get("title") or "").strip()
        listing = item.get("is_listing", True) in (True, 1, "1", "true")
        out: list[RemoteListing] = []
        for sku in json_list(item.get("skus"), f"item {item_id} skus"):
            if not isinstance(sku, Mapping):
                raise ValueError(f"item {item_id}: a SKU must be a JSON object")
            code = str(sku.get("item_no") or "").strip()
            if not code:
                continue
            sku_id = answered_int(sku.get("sku_id"), f"item {item_id} sku_id")
            fen = answered_int(sku.get("price", 0), f"SKU {code} price (fen)")
            state = ListingState(
                sku=code,
                name=" ".join([title, *property_values(sku.get("properties_name_json"))]).strip(),
                price=answered_price(Decimal(fen) / 100, self.currency, f"SKU {code} price"),
                stock=max(answered_int(sku.get("quantity", 0), f"SKU {code} quantity"), 0),
                status="active" if listing else "inactive",
            )
            modified = sku.get("modified") or item.get("update_time")
            out.append(
                RemoteListing(
                    remote_id=f"{item_id}:{sku_id}", state=state, modified=str(modified) if modified else None
                )
            )
        return out
