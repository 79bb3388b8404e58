"""PinduoduoMapper: fen at the edge, two prices from one unified price, and reading them back."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from adapters.pinduoduo.mapper import PinduoduoMapper, from_fen, to_fen
from adapters.pinduoduo.settings import PriceRule
from oneprice.domain.listing import ListingState
from oneprice.domain.money import Money

DEFAULT = PinduoduoMapper("CNY", PriceRule(), PriceRule(offset_fen=-100))


@pytest.mark.parametrize(("yuan", "fen"), [("0.01", 1), ("1299.00", 129900), ("1299.99", 129999), ("10.1", 1010)])
def test_fen_round_trip(yuan: str, fen: int) -> None:
    amount = Money.of(yuan, "CNY").amount
    assert to_fen(amount) == fen
    assert from_fen(fen) == amount


def goods(single: int, group: int) -> dict[str, Any]:
    return {
        "goods_id": 1,
        "goods_name": "T",
        "sku_list": [{"sku_id": 2, "out_sku_sn": "A", "price": single, "multi_price": group, "quantity": 1}],
    }


@pytest.mark.parametrize(
    ("single", "group", "read"),
    [
        (129900, 129800, "1299.00"),  # consistent with the rules: the single price is the unified one
        (129900, 119800, "1199.00"),  # group price lowered by hand: reads at the lower implied price
        (129900, 129850, "1299.00"),  # group price raised by hand: the unified one is still the lower
    ],
)
def test_read_back_of_the_two_prices(single: int, group: int, read: str) -> None:
    [listing] = DEFAULT.to_listings(goods(single, group))
    assert listing.state.price == Money.of(read, "CNY")


def test_group_price_anchor_with_a_factor() -> None:
    mapper = PinduoduoMapper("CNY", PriceRule(factor=Decimal("1.05")), PriceRule())
    state = ListingState(sku="A", name="T", price=Money.of("100", "CNY"), stock=1)
    assert mapper.sku_price("2", state) == {"sku_id": 2, "single_price": 10500, "group_price": 10000, "is_onsale": 1}
    [listing] = mapper.to_listings(goods(10500, 10000))
    assert listing.state.price == Money.of("100", "CNY")


def test_group_price_not_below_single_is_refused() -> None:
    mapper = PinduoduoMapper("CNY", PriceRule(), PriceRule(factor=Decimal("1.01")))
    state = ListingState(sku="A", name="T", price=Money.of("100", "CNY"), stock=1)
    with pytest.raises(ValueError, match="group_price below single_price"):
        mapper.sku_price("2", state)


def test_only_cny() -> None:
    with pytest.raises(ValueError, match="fen of CNY"):
        PinduoduoMapper("USD", PriceRule(), PriceRule(offset_fen=-1))
