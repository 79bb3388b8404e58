"""EbayMapper tables and the revision budget: bulk entries, inventory item + offer read back."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from adapters.ebay import EbayMapper, RevisionBudget
from oneprice.domain.listing import ListingState
from oneprice.domain.money import Money

mapper = EbayMapper("USD")


def state(price: str = "12.3", stock: int = 4, status: str = "active") -> ListingState:
    return ListingState(sku="S1", name="Tent", price=Money.of(price, "USD"), stock=stock, status=status)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("desired", "value", "quantity"),
    [
        (state("12.3", 4), "12.30", 4),
        (state("1899", 0), "1899.00", 0),
        (state("5", 9, "inactive"), "5.00", 0),
    ],
)
def test_bulk_entry_sets_quantity_at_both_levels(desired: ListingState, value: str, quantity: int) -> None:
    assert mapper.to_request("S1", "5001", desired) == {
        "sku": "S1",
        "shipToLocationAvailability": {"quantity": quantity},
        "offers": [{"offerId": "5001", "availableQuantity": quantity, "price": {"value": value, "currency": "USD"}}],
    }


def test_bulk_entry_refuses_another_currency() -> None:
    with pytest.raises(ValueError, match="CNY"):
        mapper.to_request("S1", "1", ListingState(sku="S1", name="n", price=Money.of("1", "CNY"), stock=1))


def inventory_item(qty: Any = 5, title: str = "Tent") -> dict[str, Any]:
    return {"sku": "S1", "product": {"title": title}, "availability": {"shipToLocationAvailability": {"quantity": qty}}}


def offer(**kw: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "offerId": "5001",
        "sku": "S1",
        "marketplaceId": "EBAY_US",
        "availableQuantity": 5,
        "status": "PUBLISHED",
        "pricingSummary": {"price": {"value": "19.99", "currency": "USD"}},
    }
    doc.update(kw)
    return doc


@pytest.mark.parametrize(
    ("item", "the_offer", "price", "stock", "status"),
    [
        (inventory_item(), offer(), "19.99", 5, "active"),
        (inventory_item(8), offer(availableQuantity=3), "19.99", 3, "active"),  # eBay shows the smaller
        (inventory_item(2), offer(availableQuantity=None), "19.99", 2, "active"),
        (inventory_item(0), offer(availableQuantity=0), "19.99", 0, "inactive"),
        (inventory_item(), offer(status="UNPUBLISHED"), "19.99", 5, "inactive"),
        (inventory_item(), offer(pricingSummary={}), "0", 5, "active"),
    ],
)
def test_to_listing(item: dict[str, Any], the_offer: dict[str, Any], price: str, stock: int, status: str) -> None:
    listing = mapper.to_listing(item, the_offer)
    assert listing.remote_id == "5001"
    assert listing.state.name == "Tent"
    assert listing.state.price == Money.of(price, "USD")
    assert (listing.state.stock, listing.state.status) == (stock, status)


@pytest.mark.parametrize(
    ("item", "the_offer", "message"),
    [
        ({"sku": ""}, offer(), "without a SKU"),
        (inventory_item(), offer(offerId=""), "offerId"),
        (inventory_item(), offer(pricingSummary={"price": {"value": "1", "currency": "GBP"}}), "GBP"),
        (inventory_item(), offer(pricingSummary={"price": {"value": "x1", "currency": "USD"}}), "not a number"),
        (inventory_item("many"), offer(), "not an integer"),
    ],
)
def test_to_listing_refuses_malformed(item: dict[str, Any], the_offer: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        mapper.to_listing(item, the_offer)


def test_revision_budget_counts_per_sku_per_day() -> None:
    day = [date(2026, 11, 27)]
    budget = RevisionBudget(limit=3, today=lambda: day[0])
    budget.spend("A")
    budget.spend("A", 2)
    budget.spend("B")
    assert (budget.left("A"), budget.left("B"), budget.left("C")) == (0, 2, 3)
    day[0] = date(2026, 11, 28)
    assert budget.left("A") == 3
