"""Pure conversion between ListingState and TOP item/SKU JSON (no I/O).

Prices are yuan strings with 2 decimals; a SKU's name is its item's title followed by its property values.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from adapters.base import answered_int, answered_price
from oneprice.domain.listing import ListingState, RemoteListing
from oneprice.domain.money import check_currency


def listed(doc: Mapping[str, Any], key: str, inner: str) -> list[Any]:
    """TOP wraps lists in an object: `{"skus": {"sku": [...]}}`; a missing list is empty."""
    outer = doc.get(key)
    if isinstance(outer, Mapping):
        items = outer.get(inner)
        return list(items) if isinstance(items, list) else []
    return list(outer) if isinstance(outer, list) else []


def property_values(properties_name: str) -> list[str]:
    """`"1627207:28320:颜色分类:曜石黑;20509:28315:尺码:M"` -> `["曜石黑", "M"]`."""
    values = []
    for part in properties_name.split(";"):
        fields = part.split(":", 3)
        if len(fields) == 4 and fields[3].strip():
            values.append(fields[3].strip())
    return values


class TaobaoMapper:
    """ListingState <-> TOP fields for one store's currency (TOP sells in CNY).

    >>> TaobaoMapper("CNY").price_params(state)["price"]   # doctest: +SKIP
    '1299.00'
    """

    def __init__(self, currency: str) -> None:
        self.currency = check_currency(currency)

    @staticmethod
    def format_price(amount: Decimal) -> str:
        return f"{amount:.2f}"

    def price_params(self, num_iid: str, state: ListingState) -> dict[str, str]:
        """Business params of `taobao.item.sku.price.update` for one SKU (matched by outer_id)."""
        return {"num_iid": num_iid, "outer_id": state.sku, "price": self.format_price(state.price.amount)}

    @staticmethod
    def quantities(pairs: list[tuple[str, int]]) -> str:
        """`skuid_quantities` of `taobao.skus.quantity.update`: `"skuId:qty;skuId:qty"`."""
        return ";".join(f"{sku_id}:{qty}" for sku_id, qty in pairs)

    def to_listings(self, item: Mapping[str, Any]) -> list[RemoteListing]:
        """One listing per SKU with an outer_id; ValueError names what is malformed."""
        if not isinstance(item, Mapping):
            raise ValueError(f"an item must be a JSON object, got {type(item).__name__}")
        num_iid = answered_int(item.get("num_iid"), "item num_iid")
        title = str(item.get("title") or "").strip()
        onsale = item.get("approve_status", "onsale") == "onsale"
        out: list[RemoteListing] = []
        for sku in listed(item, "skus", "sku"):
            if not isinstance(sku, Mapping):
                raise ValueError(f"item {num_iid}: a SKU must be a JSON object")
            code = str(sku.get("outer_id") or "").strip()
            if not code:
                continue  # a SKU without outer_id cannot be matched to the catalog
            sku_id = answered_int(sku.get("sku_id"), f"item {num_iid} sku_id")
            name = " ".join([title, *property_values(str(sku.get("properties_name") or ""))]).strip()
            state = ListingState(
                sku=code,
                name=name,
                price=answered_price(sku.get("price"), self.currency, f"SKU {code} price"),
                stock=max(answered_int(sku.get("quantity", 0), f"SKU {code} quantity"), 0),
                status="active" if onsale else "inactive",
            )
            modified = sku.get("modified") or item.get("modified")
            out.append(
                RemoteListing(
                    remote_id=f"{num_iid}:{sku_id}",
                    state=state,
                    modified=str(modified) if modified else None,
                )
            )
        return out
