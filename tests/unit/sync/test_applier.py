"""apply_plan with a fake adapter and a real SQLite database: journal, bindings, retries, dead letters, batching."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import pytest
from sync_fakes import FakeAdapter, channel, listing_state, product

from adapters.base import Capabilities, Change
from oneprice.domain.catalog import Product
from oneprice.domain.listing import ListingState, RemoteListing
from oneprice.errors import ChannelAuthError, ChannelRequestError, ChannelUnavailable
from oneprice.storage import BindingRepository, Database, DeadLetterRepository, JournalRepository
from sync.applier import RetryPolicy, apply_plan
from sync.plan import ChannelPlan
from sync.planner import plan_channel


def no_wait(attempts: int = 3) -> RetryPolicy:
    return RetryPolicy(max_attempts=attempts, sleep=lambda _: None)


def plan_for(adapter: FakeAdapter, *products: Product) -> ChannelPlan:
    remote = {r.state.sku: r for r in adapter.list_listings()}
    return plan_channel(channel(adapter.channel, adapter.currency), products, remote)


def test_creates_and_updates_are_journaled_and_bound(sqlite_db: Database) -> None:
    adapter = FakeAdapter(batch_limit=2)
    [existing] = adapter.seed(listing_state("B", "10"))
    plan = plan_for(adapter, product("A"), product("B", "12"), product("C"), product("D", currency="USD"))

    result = apply_plan(plan, adapter, sqlite_db)

    assert (result.created, result.updated, result.failed, result.skipped) == (2, 1, 0, 1)
    assert result.write_requests == 2  # three writes in batches of two
    assert result.ok and result.error is None
    assert [s.sku for s in result.skips] == ["D"] and "currency mismatch" in result.skips[0].error

    journal = JournalRepository(sqlite_db)
    entries = journal.entries(result.run_id or 0)
    assert [(e.sku, e.action, e.state) for e in entries] == [
        ("A", "create", "verified"),
        ("B", "reprice", "verified"),
        ("C", "create", "verified"),
    ]
    b = entries[1]
    assert b.before is not None and b.before["price"] == {"amount": "10.00", "currency": "CNY"}
    assert b.after is not None and b.after["price"] == {"amount": "12.00", "currency": "CNY"}
    [run] = journal.runs()
    assert run.outcome == "ok" and run.channel == "shop"
    assert run.counts == {
        "created": 2,
        "updated": 1,
        "unchanged": 0,
        "skipped": 1,
        "failed": 0,
        "verified": 3,
        "dead_lettered": 0,
        "write_requests": 2,
    }

    bindings = BindingRepository(sqlite_db).for_channel("shop")
    assert set(bindings) == {"A", "B", "C"}
    assert bindings["B"].remote_id == existing.remote_id
    for action in plan.writes:
        bound = bindings[action.sku]
        assert bound.last_hash == action.after.fingerprint()
        assert bound.synced_at is not None
        assert bound.remote_modified == adapter.listings[bound.remote_id].modified


def test_second_apply_sends_nothing(sqlite_db: Database) -> None:
    adapter = FakeAdapter()
    products = (product("A"), product("B", "7"))
    apply_plan(plan_for(adapter, *products), adapter, sqlite_db)
    writes = adapter.write_requests

    second = plan_for(adapter, *products)
    result = apply_plan(second, adapter, sqlite_db)

    assert {a.kind for a in second.actions} == {"unchanged"}
    assert adapter.write_requests == writes
    assert (result.write_requests, result.unchanged, result.created, result.updated) == (0, 2, 0, 0)
    assert JournalRepository(sqlite_db).entries(result.run_id or 0) == []


def test_binding_is_committed_before_the_next_batch(sqlite_db: Database) -> None:
    adapter = FakeAdapter(batch_limit=1)
    seen: list[set[str]] = []

    def look(changes: Sequence[Change]) -> None:
        seen.append(set(BindingRepository(sqlite_db).for_channel("shop")))

    adapter.before_push = look
    apply_plan(plan_for(adapter, product("A"), product("B"), product("C")), adapter, sqlite_db)
    assert seen == [set(), {"A"}, {"A", "B"}]


def test_crash_mid_run_keeps_what_succeeded(sqlite_db: Database) -> None:
    adapter = FakeAdapter(batch_limit=1)
    calls = 0

    def crash(changes: Sequence[Change]) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("power cut")

    adapter.before_push = crash
    with pytest.raises(RuntimeError):
        apply_plan(plan_for(adapter, product("A"), product("B")), adapter, sqlite_db)
    assert set(BindingRepository(sqlite_db).for_channel("shop")) == {"A"}
    journal = JournalRepository(sqlite_db)
    run = journal.runs()[0]
    assert [(e.sku, e.state) for e in journal.entries(run.id)] == [("A", "accepted"), ("B", "sent")]


def test_item_refused_is_failed_and_not_bound(sqlite_db: Database) -> None:
    adapter = FakeAdapter()
    adapter.refusals["B"] = [("rest_invalid_param: bad name", False)]
    result = apply_plan(plan_for(adapter, product("A"), product("B")), adapter, sqlite_db, policy=no_wait())
    assert (result.created, result.failed, result.ok) == (1, 1, False)
    assert result.failures[0].sku == "B" and result.failures[0].error == "rest_invalid_param: bad name"
    assert adapter.write_requests == 1  # not retryable: sent once
    entries = {e.sku: e for e in JournalRepository(sqlite_db).entries(result.run_id or 0)}
    assert entries["B"].state == "failed" and entries["B"].error == "rest_invalid_param: bad name"
    assert set(BindingRepository(sqlite_db).for_channel("shop")) == {"A"}
    assert JournalRepository(sqlite_db).runs()[0].outcome == "partial"


def test_retryable_item_is_sent_again(sqlite_db: Database) -> None:
    adapter = FakeAdapter()
    adapter.refusals["B"] = [("db_locked (HTTP 503)", True)]
    result = apply_plan(plan_for(adapter, product("A"), product("B")), adapter, sqlite_db, policy=no_wait())
    assert (result.created, result.failed) == (2, 0)
    assert [[c.sku for c in p] for p in adapter.pushes] == [["A", "B"], ["B"]]
    entries = JournalRepository(sqlite_db).entries(result.run_id or 0)
    assert [(e.state, e.attempts) for e in entries] == [("verified", 1), ("verified", 2)]


def test_retryable_item_goes_to_the_dead_letters_after_max_attempts(sqlite_db: Database) -> None:
    adapter = FakeAdapter()
    adapter.refusals["A"] = [("busy (HTTP 503)", True)] * 5
    waits: list[float] = []
    policy = RetryPolicy(max_attempts=3, backoff=1.0, sleep=waits.append)
    result = apply_plan(plan_for(adapter, product("A")), adapter, sqlite_db, policy=policy)
    assert result.failed == 1 and result.failures[0].retryable and result.dead_lettered == 1
    assert adapter.write_requests == 3
    assert len(waits) == 2 and 0.5 <= waits[0] <= 1.0 and 1.0 <= waits[1] <= 2.0  # backoff with jitter
    [letter] = DeadLetterRepository(sqlite_db).list("shop")
    assert (letter.sku, letter.action, letter.attempts, letter.retryable) == ("A", "create", 3, True)


def test_a_later_success_clears_the_dead_letter(sqlite_db: Database) -> None:
    adapter = FakeAdapter()
    adapter.refusals["A"] = [("busy", True)]
    apply_plan(plan_for(adapter, product("A")), adapter, sqlite_db, policy=no_wait(1))
    assert [d.sku for d in DeadLetterRepository(sqlite_db).list()] == ["A"]
    apply_plan(plan_for(adapter, product("A")), adapter, sqlite_db, policy=no_wait(1))
    assert DeadLetterRepository(sqlite_db).list() == []


def test_read_back_that_differs_fails_the_item(sqlite_db: Database) -> None:
    adapter = FakeAdapter()
    adapter.find_by_skus = lambda skus: {}  # type: ignore[method-assign]  # accepted, yet not there
    result = apply_plan(plan_for(adapter, product("A")), adapter, sqlite_db)
    assert (result.verified, result.failed) == (0, 1)
    assert "read-back" in result.failures[0].error or "read back" in result.failures[0].error
    [entry] = JournalRepository(sqlite_db).entries(result.run_id or 0)
    assert entry.state == "failed"


def test_batch_too_large_is_split(sqlite_db: Database) -> None:
    adapter = FakeAdapter(batch_limit=4)
    adapter.accepts_at_most = 1
    result = apply_plan(plan_for(adapter, *(product(s) for s in "ABCD")), adapter, sqlite_db)
    assert result.created == 4 and result.failed == 0
    assert [len(p) for p in adapter.pushes] == [4, 2, 1, 1, 2, 1, 1]


def test_auth_error_stops_the_channel(sqlite_db: Database) -> None:
    adapter = FakeAdapter(batch_limit=1)
    adapter.raise_next = [ChannelAuthError("shop", "HTTP 401 woocommerce_rest_cannot_view", status=401)]
    result = apply_plan(plan_for(adapter, product("A"), product("B")), adapter, sqlite_db)
    assert (result.created, result.failed) == (0, 2)
    assert adapter.write_requests == 1  # B was never sent
    assert result.error is not None and "401" in result.error
    assert result.failures[1].error.startswith("not sent: ")
    assert [e.state for e in JournalRepository(sqlite_db).entries(result.run_id or 0)] == ["failed", "failed"]
    assert JournalRepository(sqlite_db).runs()[0].outcome == "failed"


def test_unreachable_channel_is_retried_with_backoff(sqlite_db: Database) -> None:
    adapter = FakeAdapter(batch_limit=1)
    adapter.raise_next = [ChannelUnavailable("shop", "HTTP 503", status=503)]
    result = apply_plan(plan_for(adapter, product("A"), product("B")), adapter, sqlite_db, policy=no_wait())
    assert (result.created, result.failed) == (2, 0) and adapter.write_requests == 3


def test_an_interrupted_run_is_closed_by_the_next(sqlite_db: Database) -> None:
    journal = JournalRepository(sqlite_db)
    dead_run = journal.start_run("sync.apply", "shop")
    [entry] = journal.record_many(dead_run, "shop", [("A", "create", None, {})])
    journal.mark([entry], "sent", attempt=True)  # the process died here
    adapter = FakeAdapter()
    result = apply_plan(plan_for(adapter, product("A")), adapter, sqlite_db)
    assert result.recovered == 1 and result.created == 1
    [old] = journal.entries(dead_run)
    assert old.state == "failed" and f"superseded by run {result.run_id}" in (old.error or "")
    assert {r.id: r.outcome for r in journal.runs()}[dead_run] == "interrupted"


def test_request_error_fails_only_its_batch(sqlite_db: Database) -> None:
    adapter = FakeAdapter(batch_limit=1)
    adapter.raise_next = [ChannelRequestError("shop", "HTTP 400 rest_invalid_param", status=400)]
    result = apply_plan(plan_for(adapter, product("A"), product("B")), adapter, sqlite_db)
    assert (result.created, result.failed) == (1, 1)
    assert result.error is None


def test_progress_reports_per_batch(sqlite_db: Database) -> None:
    adapter = FakeAdapter(batch_limit=2)
    seen: list[tuple[str, int, int]] = []
    apply_plan(
        plan_for(adapter, *(product(s) for s in "ABC")),
        adapter,
        sqlite_db,
        progress=lambda ch, done, total: seen.append((ch, done, total)),
    )
    assert seen == [("shop", 0, 3), ("shop", 2, 3), ("shop", 3, 3)]


def test_unchanged_listings_get_their_hash_recorded(sqlite_db: Database) -> None:
    adapter = FakeAdapter()
    [found] = adapter.seed(listing_state("A"))
    BindingRepository(sqlite_db).save("shop", "A", found.remote_id)  # linked, never pushed
    plan = plan_for(adapter, product("A"))
    result = apply_plan(plan, adapter, sqlite_db)
    assert result.write_requests == 0
    assert BindingRepository(sqlite_db).for_channel("shop")["A"].last_hash == plan.actions[0].after.fingerprint()


def test_read_back_compares_only_the_fields_the_channel_writes(sqlite_db: Database) -> None:
    """Amazon-like: price and stock are written, and a listing reads as active only while it has stock.

    A delist (quantity 0) and a restock of a sold-out listing land as sent; the status the channel
    shows afterwards is its own, as the planner treats it, so both are verified, and the next plan
    finds nothing to do.
    """

    class StatusFollowsStock(FakeAdapter):
        def list_listings(self) -> list[RemoteListing]:
            return [
                r.model_copy(update={"state": r.state.model_copy(update={"status": _by_stock(r.state)})})
                for r in super().list_listings()
            ]

    adapter = StatusFollowsStock()
    adapter.capabilities = Capabilities(
        batch_limit=10, writable_fields=frozenset({"price", "stock"}), inactive_is_zero_stock=True
    )
    adapter.seed(listing_state("A", stock=5), listing_state("B", stock=0, status="inactive"))
    products = (product("A", status="inactive"), product("B", stock=4))

    def plan() -> ChannelPlan:
        remote = {r.state.sku: r for r in adapter.list_listings()}
        return plan_channel(channel(), products, remote, capabilities=adapter.capabilities)

    first = plan()
    assert [(a.sku, a.kind, a.after.stock, a.after.status) for a in first.actions] == [
        ("A", "restock", 0, "active"),
        ("B", "restock", 4, "inactive"),
    ]
    result = apply_plan(first, adapter, sqlite_db)
    assert (result.verified, result.failed, result.ok) == (2, 0, True)
    entries = JournalRepository(sqlite_db).entries(result.run_id or 0)
    assert [(e.sku, e.state) for e in entries] == [("A", "verified"), ("B", "verified")]
    assert {a.kind for a in plan().actions} == {"unchanged"}


def _by_stock(state: ListingState) -> Literal["active", "inactive"]:
    return "active" if state.stock > 0 else "inactive"
