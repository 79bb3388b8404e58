"""Only fields a channel can write are compared: names and on-sale status on item-level platforms are not."""

from __future__ import annotations

import pytest

from adapters.base import Capabilities
from oneprice.domain import ListingState, Money
from sync.planner import changed_fields, fit_to_channel

ALL = Capabilities(batch_limit=1)
PRICE_STOCK = Capabilities(batch_limit=1, writable_fields=frozenset({"price", "stock"}))
ZERO_STOCK = Capabilities(batch_limit=1, writable_fields=frozenset({"price", "stock"}), inactive_is_zero_stock=True)


def state(name: str = "Jacket", price: str = "1299", stock: int = 5, status: str = "active") -> ListingState:
    return ListingState(sku="JK", name=name, price=Money.of(price, "CNY"), stock=stock, status=status)  # type: ignore[arg-type]


CASES = [
    # capabilities, desired, live, changed fields
    (ALL, state(), state(name="店铺标题 冲锋衣"), ("name",)),
    (PRICE_STOCK, state(), state(name="店铺标题 冲锋衣"), ()),
    (PRICE_STOCK, state(price="1199"), state(name="店铺标题 冲锋衣"), ("price",)),
    (PRICE_STOCK, state(status="inactive"), state(), ()),  # delisting is item-level there: not planned
    (ZERO_STOCK, state(status="inactive"), state(), ("stock",)),  # inactive = quantity 0
    (ZERO_STOCK, state(status="inactive"), state(stock=0, status="inactive"), ()),
    (None, state(), state(name="x"), ("name",)),
]


@pytest.mark.parametrize(("caps", "desired", "live", "fields"), CASES)
def test_fit_to_channel(
    caps: Capabilities | None, desired: ListingState, live: ListingState, fields: tuple[str, ...]
) -> None:
    assert changed_fields(live, fit_to_channel(desired, live, caps)) == fields


def test_create_keeps_the_desired_state() -> None:
    assert fit_to_channel(state(), None, PRICE_STOCK) == state()
