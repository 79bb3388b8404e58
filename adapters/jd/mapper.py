"""Pure conversion between ListingState and JOS SKU JSON (no I/O).

Prices are yuan with 2 decimals; a SKU's name is JD's `skuName`; status 1 is on sale.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.base import answered_int, answered_price
from oneprice.domain.listing import ListingState, RemoteListing
from oneprice.domain.money import check_currency

ON_SALE = 1


class JdMapper:
    """ListingState <-> JOS fields for one shop's currency.

    >>> JdMapper("CNY").price_params("100001", state)   # doctest: +SKIP
    {'skuId': 100001, 'jdPrice': '1299.00'}
    """

    def __init__(self, currency: str) -> None:
        self.currency = check_currency(currency)

    def price_params(self, sku_id: str, state: ListingState) -> dict[str, Any]:
        return {"skuId": int(sku_id), "jdPrice": f"{state.price.amount:.2f}"}

    @staticmethod
    def stock_params(sku_id: str, state: ListingState) -> dict[str, Any]:
        return {"skuId": int(sku_id), "stockNum": state.stock}

    def to_listing(self, doc: Mapping[str, Any]) -> RemoteListing | None:
        """One SKU; None when it has no outerId (it cannot be matched). ValueError when malformed."""
        if not isinstance(doc, Mapping):
            raise ValueError(f"a SKU must be a JSON object, got {type(doc).__name__}")
        code = str(doc.get("outerId") or "").strip()
        if not code:
            return None
        sku_id = answered_int(doc.get("skuId"), "skuId")
        ware_id = answered_int(doc.get("wareId"), f"SKU {sku_id} wareId")
        state = ListingState(
            sku=code,
            name=str(doc.get("skuName") or "").strip(),
            price=answered_price(doc.get("jdPrice"), self.currency, f"SKU {code} jdPrice"),
            stock=max(answered_int(doc.get("stockNum", 0), f"SKU {code} stockNum"), 0),
            status="active"
            if answered_int(doc.get("status", ON_SALE), f"SKU {code} status") == ON_SALE
            else "inactive",
        )
        modified = doc.get("modified")
        return RemoteListing(remote_id=f"{ware_id}:{sku_id}", state=state, modified=str(modified) if modified else None)
