"""Pure conversion between ListingState and Pinduoduo goods/SKU JSON; prices in fen at this edge.

Each SKU has a single-buy and a group-buy price, derived from the unified price by the channel's rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from adapters.base import answered_int, answered_money, json_list
from adapters.pinduoduo.settings import PriceRule
from oneprice.domain.listing import ListingState, RemoteListing
from oneprice.domain.money import check_currency

FEN = Decimal(100)


def to_fen(amount: Decimal) -> int:
    """Yuan -> fen, exactly (amounts are already quantized to 2 places)."""
    return int((amount * FEN).to_integral_value(rounding=ROUND_HALF_UP))


def from_fen(fen: int) -> Decimal:
    return (Decimal(fen) / FEN).quantize(Decimal("0.01"))


def apply_rule(rule: PriceRule, unified_fen: int) -> int:
    return int((Decimal(unified_fen) * rule.factor).to_integral_value(rounding=ROUND_HALF_UP)) + rule.offset_fen


def invert_rule(rule: PriceRule, fen: int) -> int:
    return int(((Decimal(fen - rule.offset_fen)) / rule.factor).to_integral_value(rounding=ROUND_HALF_UP))


class PinduoduoMapper:
    """ListingState <-> Pinduoduo fields: two prices in fen per SKU, `is_onsale` per SKU.

    Reading, the listing's price is the one whose rule is the unified price; when the other
    price is not what its rule gives, the listing reads at the lower unified price the two
    imply, so a price lowered by hand on Pinduoduo shows up as a difference.

    >>> PinduoduoMapper("CNY", PriceRule(), PriceRule(offset_fen=-100)).sku_price("7", state)  # doctest: +SKIP
    {'sku_id': 7, 'single_price': 129900, 'group_price': 129800, 'is_onsale': 1}
    """

    def __init__(self, currency: str, single: PriceRule, group: PriceRule) -> None:
        self.currency = check_currency(currency)
        if self.currency != "CNY":
            raise ValueError(f"Pinduoduo prices are in fen of CNY, not {self.currency}")
        self.single = single
        self.group = group

    def sku_price(self, sku_id: str, state: ListingState) -> dict[str, int]:
        """One entry of `sku_price_list`; ValueError when the derived prices are not allowed."""
        unified = to_fen(state.price.amount)
        single, group = apply_rule(self.single, unified), apply_rule(self.group, unified)
        if group <= 0 or single <= 0:
            raise ValueError(f"SKU {state.sku}: derived prices must be positive (single {single}, group {group} fen)")
        if group >= single:
            raise ValueError(
                f"SKU {state.sku}: Pinduoduo needs group_price below single_price "
                f"(derived {group} ≥ {single} fen); adjust options.single_price/group_price"
            )
        return {
            "sku_id": int(sku_id),
            "single_price": single,
            "group_price": group,
            "is_onsale": 1 if state.status == "active" else 0,
        }

    def to_listings(self, goods: Mapping[str, Any]) -> list[RemoteListing]:
        """The SKUs of a `pdd.goods.detail.get` answer that carry an outer id (`out_sku_sn`)."""
        goods_id = answered_int(goods.get("goods_id"), "goods_id")
        title = str(goods.get("goods_name") or "").strip()
        goods_onsale = goods.get("is_onsale", 1) in (1, True, "1")
        out: list[RemoteListing] = []
        for sku in json_list(goods.get("sku_list"), f"goods {goods_id} sku_list"):
            if not isinstance(sku, Mapping):
                raise ValueError(f"goods {goods_id}: a SKU must be a JSON object")
            code = str(sku.get("out_sku_sn") or "").strip()
            if not code:
                continue
            sku_id = answered_int(sku.get("sku_id"), f"goods {goods_id} sku_id")
            single = answered_int(sku.get("price"), f"SKU {code} price (fen)")
            group = answered_int(sku.get("multi_price"), f"SKU {code} multi_price (fen)")
            if single < 0 or group < 0:
                raise ValueError(f"SKU {code}: a negative price (price {single}, multi_price {group} fen)")
            spec = json_list(sku.get("spec"), f"SKU {code} spec")
            specs = [str(s.get("spec_name") or "") for s in spec if isinstance(s, Mapping)]
            unified = Decimal(max(self._unified_fen(single, group), 0))
            onsale = goods_onsale and sku.get("is_onsale", 1) in (1, True, "1")
            state = ListingState(
                sku=code,
                name=" ".join([title, *(s for s in specs if s)]).strip(),
                price=answered_money(unified / FEN, self.currency, f"SKU {code} price"),
                stock=max(answered_int(sku.get("quantity", 0), f"SKU {code} quantity"), 0),
                status="active" if onsale else "inactive",
            )
            out.append(RemoteListing(remote_id=f"{goods_id}:{sku_id}", state=state))
        return out

    def _unified_fen(self, single: int, group: int) -> int:
        if self.single.is_unified:
            anchor, other, rule = single, group, self.group
        else:
            anchor, other, rule = group, single, self.single
        if apply_rule(rule, anchor) == other:
            return anchor
        return min(anchor, invert_rule(rule, other))
