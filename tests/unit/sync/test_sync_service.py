"""plan_all / apply_all over configured channels, with fake adapters and a real SQLite database."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import requests
from sync_fakes import FakeAdapter, listing_state, product

from oneprice.domain.catalog import Catalog, Product
from oneprice.errors import ChannelAuthError, UserError
from oneprice.settings.loader import LoadedConfig
from oneprice.settings.models import ChannelSettings, Settings
from oneprice.storage import BindingRepository, Database
from sync.reading import remote_by_sku
from sync.service import apply_all, plan_all, select_channels


def config(tmp_path: Path, products: list[Product], *channels: dict[str, Any]) -> LoadedConfig:
    chans = channels or ({"name": "shop"},)
    settings = Settings.model_validate(
        {
            "brand": {"name": "B"},
            "catalog": {"file": "catalog.csv"},
            "channels": [{"kind": "fake", "base_url": "http://127.0.0.1:1", **c} for c in chans],
        }
    )
    return LoadedConfig(path=tmp_path / "c.yaml", settings=settings, catalog=Catalog(products=tuple(products)))


class Factory:
    """Hands out one FakeAdapter per channel name, so channel state survives between runs."""

    def __init__(self) -> None:
        self.adapters: dict[str, FakeAdapter] = {}
        self.sessions: list[requests.Session | None] = []

    def __call__(self, ch: ChannelSettings, session: requests.Session | None) -> FakeAdapter:
        self.sessions.append(session)
        if ch.name not in self.adapters:
            self.adapters[ch.name] = FakeAdapter(ch.name, ch.currency)
        return self.adapters[ch.name]


def test_plan_all_links_listings_found_by_sku(tmp_path: Path, sqlite_db: Database) -> None:
    factory = Factory()
    cfg = config(tmp_path, [product("A", "12"), product("B")])
    shop = factory(cfg.settings.channel("shop"), None)
    found, _ = shop.seed(listing_state("A", "10"), listing_state("NOT-OURS"))
    factory.sessions.clear()
    [plan] = plan_all(cfg, sqlite_db, adapter_factory=factory)
    assert [(a.sku, a.kind) for a in plan.actions] == [("A", "reprice"), ("B", "create")]
    assert plan.unmanaged == 1
    bindings = BindingRepository(sqlite_db).for_channel("shop")
    assert list(bindings) == ["A"] and bindings["A"].remote_id == found.remote_id
    assert bindings["A"].last_hash is None  # linked, not yet pushed
    assert factory.adapters["shop"].write_requests == 0


def test_apply_twice_second_sends_zero_writes(tmp_path: Path, sqlite_db: Database) -> None:
    factory = Factory()
    cfg = config(
        tmp_path,
        [product("A"), product("B", "5", channels=("outlet",))],
        {"name": "shop"},
        {"name": "outlet"},
    )
    first = apply_all(cfg, sqlite_db, adapter_factory=factory)
    assert [(c.channel, c.created) for c in first.channels] == [("shop", 1), ("outlet", 2)]
    assert first.write_requests == 2 and first.ok

    second = apply_all(cfg, sqlite_db, adapter_factory=factory)
    assert second.write_requests == 0
    assert [(c.created, c.updated, c.unchanged) for c in second.channels] == [(0, 0, 1), (0, 0, 2)]

    changed = config(
        tmp_path,
        [product("A", "1199"), product("B", "5", channels=("outlet",))],
        {"name": "shop"},
        {"name": "outlet"},
    )
    third = apply_all(changed, sqlite_db, adapter_factory=factory)
    assert [(c.channel, c.updated) for c in third.channels] == [("shop", 1), ("outlet", 1)]
    assert third.write_requests == 2


def test_one_channel_only(tmp_path: Path, sqlite_db: Database) -> None:
    factory = Factory()
    cfg = config(tmp_path, [product("A")], {"name": "shop"}, {"name": "outlet"})
    report = apply_all(cfg, sqlite_db, channel="outlet", adapter_factory=factory)
    assert [c.channel for c in report.channels] == ["outlet"]
    assert list(factory.adapters) == ["outlet"]


def test_session_is_passed_to_the_factory(tmp_path: Path, sqlite_db: Database) -> None:
    factory, session = Factory(), requests.Session()
    plan_all(config(tmp_path, [product("A")]), sqlite_db, session=session, adapter_factory=factory)
    assert factory.sessions == [session]


def test_unknown_channel_is_a_user_error(tmp_path: Path, sqlite_db: Database) -> None:
    cfg = config(tmp_path, [product("A")], {"name": "shop"}, {"name": "outlet"})
    with pytest.raises(UserError, match=r"unknown channel 'nope' \(known: shop, outlet\)"):
        plan_all(cfg, sqlite_db, channel="nope", adapter_factory=Factory())
    with pytest.raises(UserError):
        apply_all(cfg, sqlite_db, channel="nope", adapter_factory=Factory())


def test_disabled_channels(tmp_path: Path) -> None:
    cfg = config(tmp_path, [product("A")], {"name": "shop"}, {"name": "old", "enabled": False})
    assert [c.name for c in select_channels(cfg)] == ["shop"]
    with pytest.raises(UserError, match="disabled"):
        select_channels(cfg, "old")


def test_a_channel_that_cannot_be_read(tmp_path: Path, sqlite_db: Database) -> None:
    class Refusing(FakeAdapter):
        def list_listings(self) -> list[Any]:
            raise ChannelAuthError(self.channel, "HTTP 401", status=401)

    def factory(ch: ChannelSettings, session: requests.Session | None) -> FakeAdapter:
        return Refusing(ch.name) if ch.name == "shop" else FakeAdapter(ch.name)

    cfg = config(tmp_path, [product("A")], {"name": "shop"}, {"name": "outlet"})
    report = apply_all(cfg, sqlite_db, adapter_factory=factory)
    assert [(c.channel, c.ok, c.created) for c in report.channels] == [
        ("shop", False, 0),
        ("outlet", True, 1),
    ]
    assert report.channels[0].error is not None and "401" in report.channels[0].error
    assert not report.ok
    with pytest.raises(ChannelAuthError):
        plan_all(cfg, sqlite_db, channel="shop", adapter_factory=factory)


def test_progress_is_forwarded(tmp_path: Path, sqlite_db: Database) -> None:
    seen: list[tuple[str, int, int]] = []
    apply_all(
        config(tmp_path, [product("A"), product("B")]),
        sqlite_db,
        adapter_factory=Factory(),
        progress=lambda ch, done, total: seen.append((ch, done, total)),
    )
    assert seen[-1] == ("shop", 2, 2)


def test_binding_follows_a_listing_whose_sku_changed(tmp_path: Path, sqlite_db: Database) -> None:
    """Someone renamed the SKU on the store: the bound listing is repaired, not duplicated."""
    factory = Factory()
    cfg = config(tmp_path, [product("A")])
    apply_all(cfg, sqlite_db, adapter_factory=factory)
    adapter = factory.adapters["shop"]
    [(remote_id, listing)] = adapter.listings.items()
    adapter.listings[remote_id] = listing.model_copy(
        update={"state": listing.state.model_copy(update={"sku": "A-typo"})}
    )

    [plan] = plan_all(cfg, sqlite_db, adapter_factory=factory)
    [action] = plan.actions
    assert (action.kind, action.remote_id, action.changes) == ("relink", remote_id, ("sku",))
    assert plan.unmanaged == 0
    report = apply_all(cfg, sqlite_db, adapter_factory=factory)
    assert report.channels[0].updated == 1 and len(adapter.listings) == 1


def test_remote_by_sku_reports_a_duplicate_instead_of_guessing() -> None:
    adapter = FakeAdapter()
    first, second = adapter.seed(listing_state("A"), listing_state("A", "1"))
    remote, duplicates = remote_by_sku(adapter.list_listings(), {}, [product("A")])
    assert "A" not in remote
    assert duplicates == {"A": (first.remote_id, second.remote_id)}


def test_a_listing_that_spent_its_daily_revisions_is_held_back_across_runs(tmp_path: Path, sqlite_db: Database) -> None:
    """eBay-like cap: the count comes from the journal, so a new process (a new adapter) still knows it."""
    factory = Factory()
    apply_all(config(tmp_path, [product("A", "100"), product("B", "100")]), sqlite_db, adapter_factory=factory)
    for price in ("101", "102"):
        factory.adapters.clear()  # every run a fresh adapter, as every `oneprice sync apply` is a new process
        factory.adapters["shop"] = FakeAdapter("shop")
        factory.adapters["shop"].seed(listing_state("A", str(int(price) - 1)), listing_state("B", "100"))
        factory.adapters["shop"].capabilities = replace(factory.adapters["shop"].capabilities, revisions_per_day=3)
        report = apply_all(
            config(tmp_path, [product("A", price), product("B", "100")]), sqlite_db, adapter_factory=factory
        )
        assert [(c.updated, c.skipped) for c in report.channels] == [(1, 0)]
    shop = factory.adapters["shop"]
    # A was created and repriced twice today: its three revisions are spent; B has two left.
    report = apply_all(config(tmp_path, [product("A", "103"), product("B", "99")]), sqlite_db, adapter_factory=factory)
    [result] = report.channels
    assert (result.updated, result.skipped) == (1, 1)
    assert [c.sku for push in shop.pushes for c in push] == ["A", "B"]
    [skip] = result.skips
    assert skip.sku == "A" and "revision budget spent: 3 of 3 writes" in skip.error
    assert "after 00:00 UTC" in skip.error and "price 102.00 → 103.00" in skip.error
