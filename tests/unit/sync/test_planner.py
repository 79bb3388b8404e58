"""plan_channel: desired listings vs the channel's, table-driven."""

from __future__ import annotations

from typing import Any

import pytest
from sync_fakes import channel, listing_state, product

from adapters.base import Capabilities
from oneprice.domain.listing import RemoteListing
from sync.plan import ChannelPlan
from sync.planner import desired_state, plan_channel


def remote(*states: Any) -> dict[str, RemoteListing]:
    return {s.sku: RemoteListing(remote_id=f"r-{s.sku}", state=s) for s in states}


CASES = [
    # (id, product, remote state or None, expected kind, expected changes)
    ("missing -> create", product("A"), None, "create", ("name", "price", "stock", "status")),
    ("equal -> unchanged", product("A"), listing_state("A"), "unchanged", ()),
    ("price differs", product("A", "1199"), listing_state("A", "1299"), "reprice", ("price",)),
    ("price equal at any scale", product("A", "1299.0"), listing_state("A", "1299.00"), "unchanged", ()),
    ("stock differs", product("A", stock=8), listing_state("A", stock=5), "restock", ("stock",)),
    ("name differs", product("A", name="New"), listing_state("A"), "update", ("name",)),
    ("remote inactive", product("A"), listing_state("A", status="inactive"), "update", ("status",)),
    (
        "inactive product on channel -> delist",
        product("A", status="inactive"),
        listing_state("A"),
        "delist",
        ("status",),
    ),
    (
        "inactive product already delisted",
        product("A", status="inactive"),
        listing_state("A", status="inactive"),
        "unchanged",
        (),
    ),
    (
        "several fields",
        product("A", "99", stock=1),
        listing_state("A", "98", stock=2),
        "update",
        ("price", "stock"),
    ),
]


@pytest.mark.parametrize(
    ("product_", "remote_state", "kind", "changes"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_action_per_product(product_: Any, remote_state: Any, kind: str, changes: tuple[str, ...]) -> None:
    plan = plan_channel(channel(), [product_], remote(remote_state) if remote_state else {})
    [action] = plan.actions
    assert (action.kind, action.changes) == (kind, changes)
    assert action.channel == "shop" and action.sku == "A"
    assert action.after == desired_state(product_)
    if remote_state is None:
        assert action.before is None and action.remote_id is None
    else:
        assert action.before == remote_state and action.remote_id == "r-A"


def test_update_reason_shows_old_and_new() -> None:
    plan = plan_channel(channel(), [product("A", "1199", stock=3)], remote(listing_state("A", "1299", stock=5)))
    assert plan.actions[0].reason == "price 1299.00 → 1199.00 CNY, stock 5 → 3"


def test_delist_reason() -> None:
    plan = plan_channel(channel(), [product("A", status="inactive")], remote(listing_state("A")))
    assert plan.actions[0].reason.startswith("product is inactive: delist")
    assert plan.actions[0].after.status == "inactive"


def test_inactive_product_missing_on_channel_is_not_created() -> None:
    plan = plan_channel(channel(), [product("A", status="inactive")], {})
    assert plan.actions == ()


@pytest.mark.parametrize(
    ("channels", "planned"),
    [((), True), (("shop",), True), (("shop", "outlet"), True), (("outlet",), False)],
)
def test_channel_filter(channels: tuple[str, ...], planned: bool) -> None:
    plan = plan_channel(channel("shop"), [product("A", channels=channels)], {})
    assert bool(plan.actions) is planned


def test_currency_mismatch_is_skipped_with_a_reason() -> None:
    plan = plan_channel(channel("shop", currency="USD"), [product("A")], {})
    [action] = plan.actions
    assert action.kind == "skip"
    assert "currency mismatch" in action.reason and "CNY" in action.reason and "USD" in action.reason
    assert not action.writes
    assert plan.writes == ()


def test_counts_and_unmanaged() -> None:
    products = [product("A"), product("B", "10"), product("C"), product("D", currency="USD")]
    listings = remote(
        listing_state("A"), listing_state("B", "11"), listing_state("X"), listing_state("D", currency="USD")
    )
    plan = plan_channel(channel(), products, listings)
    assert (plan.creates, plan.updates, plan.unchanged, plan.skipped, plan.unmanaged) == (1, 1, 1, 1, 1)
    assert [a.sku for a in plan.actions] == ["A", "B", "C", "D"]
    assert [a.sku for a in plan.writes] == ["B", "C"]


def test_listing_bound_under_another_sku_is_updated() -> None:
    """A remote listing matched through its binding but carrying another SKU gets its SKU repaired."""
    moved = RemoteListing(remote_id="r-9", state=listing_state("OLD-A", name="Product A"))
    plan = plan_channel(channel(), [product("A")], {"A": moved})
    [action] = plan.actions
    assert action.kind == "relink" and action.changes == ("sku",) and action.remote_id == "r-9"


def test_plan_is_pure_and_serialisable() -> None:
    products = [product("A", "1199"), product("B")]
    listings = remote(listing_state("A"))
    first = plan_channel(channel(), products, listings)
    second = plan_channel(channel(), products, listings)
    assert first == second and first.fingerprint() == second.fingerprint()
    doc = first.model_dump(mode="json")
    assert doc["creates"] == 1 and doc["updates"] == 1
    assert doc["actions"][0]["after"]["price"] == {"amount": "1199.00", "currency": "CNY"}
    assert ChannelPlan.model_validate(doc) == first


@pytest.mark.parametrize(
    ("limit", "sends", "kind"),
    [(None, {"A": 999}, "reprice"), (250, {}, "reprice"), (250, {"A": 249}, "reprice"), (250, {"A": 250}, "skip")],
    ids=["no cap", "no sends", "one left", "spent"],
)
def test_daily_revision_cap(limit: int | None, sends: dict[str, int], kind: str) -> None:
    caps = Capabilities(batch_limit=25, revisions_per_day=limit)
    plan = plan_channel(
        channel(), [product("A", "1199")], remote(listing_state("A", "1299")), capabilities=caps, sends_today=sends
    )
    [action] = plan.actions
    assert action.kind == kind and action.changes == ("price",)
    if kind == "skip":
        assert action.reason.startswith("revision budget spent: 250 of 250 writes to this listing today (UTC)")
        assert action.reason.endswith("held back: price 1299.00 → 1199.00 CNY")
