"""Guards over a channel plan: price jumps, mass delists, an empty channel with bindings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sync_fakes import channel, listing_state, product

from oneprice.domain.listing import RemoteListing
from oneprice.settings.sync import GuardSettings
from oneprice.storage import Binding
from sync.guards import check_guards
from sync.planner import plan_channel


def remote(*states: Any) -> dict[str, RemoteListing]:
    return {s.sku: RemoteListing(remote_id=f"r-{s.sku}", state=s) for s in states}


def bound(*skus: str) -> dict[str, Binding]:
    return {s: Binding("shop", s, f"r-{s}", None, None, None) for s in skus}


CASES = [
    # (id, products, remote states, bound SKUs, guard settings, tripped guard names)
    ("small reprice", [product("A", "105")], [listing_state("A", "100")], ["A"], {}, []),
    ("30% is the limit", [product("A", "130")], [listing_state("A", "100")], ["A"], {}, []),
    ("31% trips", [product("A", "131")], [listing_state("A", "100")], ["A"], {}, ["price_change"]),
    ("a cut trips too", [product("A", "50")], [listing_state("A", "100")], ["A"], {}, ["price_change"]),
    ("from zero trips", [product("A", "5")], [listing_state("A", "0")], ["A"], {}, ["price_change"]),
    (
        "no limit",
        [product("A", "500")],
        [listing_state("A", "100")],
        ["A"],
        {"max_price_change_percent": None},
        [],
    ),
    (
        "1 of 10 delisted is 10%",
        [product("A", status="inactive"), *(product(f"K{i}") for i in range(9))],
        [listing_state("A"), *(listing_state(f"K{i}") for i in range(9))],
        ["A", *(f"K{i}" for i in range(9))],
        {},
        [],
    ),
    (
        "2 of 10 delisted trips",
        [product("A", status="inactive"), product("B", status="inactive"), *(product(f"K{i}") for i in range(8))],
        [listing_state("A"), listing_state("B"), *(listing_state(f"K{i}") for i in range(8))],
        ["A", "B", *(f"K{i}" for i in range(8))],
        {},
        ["delist_share"],
    ),
    ("empty channel with bindings", [product("A")], [], ["A"], {}, ["empty_remote"]),
    ("empty channel, nothing bound", [product("A")], [], [], {}, []),
    ("empty check off", [product("A")], [], ["A"], {"refuse_empty_remote": False}, []),
]


@pytest.mark.parametrize(
    ("products", "states", "skus", "settings", "tripped"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_guards(
    products: list[Any], states: list[Any], skus: list[str], settings: dict[str, Any], tripped: list[str]
) -> None:
    plan = plan_channel(channel(), products, remote(*states), bound(*skus))
    guarded = check_guards(plan, GuardSettings.model_validate(settings))
    assert [g.name for g in guarded.guards] == tripped
    assert guarded.allowed(set(tripped)) == ()


def test_price_guard_names_the_worst_sku() -> None:
    plan = plan_channel(
        channel(),
        [product("A", "140"), product("B", "300")],
        remote(listing_state("A", "100"), listing_state("B", "100")),
        bound("A", "B"),
    )
    [trip] = check_guards(plan, GuardSettings(max_price_change_percent=Decimal(10))).guards
    assert "2 price change(s) exceed 10%" in trip.message and "200.0% on B" in trip.message
