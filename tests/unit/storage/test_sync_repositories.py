"""The sync repositories: bulk bindings, journal transitions and interrupted runs, dead letters, channel state."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from oneprice.storage import (
    Binding,
    BindingRepository,
    ChannelStateRepository,
    Database,
    DeadLetterRepository,
    JournalRepository,
)


def test_save_many_inserts_then_updates_keeping_unset_fields(any_db: Database) -> None:
    repo = BindingRepository(any_db)
    at = datetime(2026, 11, 27, tzinfo=UTC)
    repo.save_many("shop", [Binding("shop", f"S{i}", f"r{i}", "h", at, "m1") for i in range(1200)])
    repo.save_many("shop", [Binding("shop", "S1", "r-new", None, None, None)])
    bindings = repo.for_channel("shop")
    assert len(bindings) == 1200
    assert bindings["S1"] == Binding("shop", "S1", "r-new", "h", at, "m1")
    assert repo.for_channel("other") == {}


def test_journal_moves_entries_and_closes_interrupted_runs(any_db: Database) -> None:
    journal = JournalRepository(any_db)
    dead = journal.start_run("sync.apply", "shop")
    a, b = journal.record_many(dead, "shop", [("A", "create", None, {"x": 1}), ("B", "reprice", {}, {})])
    journal.mark([a, b], "sent", attempt=True)
    journal.settle([(a, "accepted", None, "r1", "req-9")])
    assert [r.id for r in journal.interrupted("shop")] == [dead]

    fresh = journal.start_run("sync.apply", "shop")
    assert journal.close_interrupted("shop", fresh) == 1  # B was still open; A had its answer
    entries = {e.sku: e for e in journal.entries(dead)}
    assert (entries["A"].state, entries["A"].remote_id, entries["A"].request_id, entries["A"].attempts) == (
        "accepted",
        "r1",
        "req-9",
        1,
    )
    assert entries["B"].state == "failed" and f"run {fresh}" in (entries["B"].error or "")
    assert [r.id for r in journal.interrupted("shop")] == [fresh]


def test_dead_letters_accumulate_attempts_and_clear(any_db: Database) -> None:
    letters = DeadLetterRepository(any_db)
    letters.put("shop", "A", "create", "busy", retryable=True, attempts=3)
    letters.put("shop", "A", "create", "still busy", retryable=True, attempts=2)
    letters.put("outlet", "B", "reprice", "bad", retryable=False, attempts=1)
    [a] = letters.list("shop")
    assert (a.error, a.attempts) == ("still busy", 5)
    assert letters.clear("shop", ["A", "Z"]) == 1
    assert [d.channel for d in letters.list()] == ["outlet"]


def test_channel_state_pauses_and_resumes(any_db: Database) -> None:
    states = ChannelStateRepository(any_db)
    assert states.get("shop") is None
    states.set_paused("shop", True, "stock take")
    assert list(states.paused()) == ["shop"] and states.paused()["shop"].reason == "stock take"
    states.set_paused("shop", False)
    assert states.paused() == {}


def test_sends_today_count_attempts_since_midnight_utc(any_db: Database) -> None:
    journal = JournalRepository(any_db)
    run = journal.start_run("apply", "ebay")
    a, b, _never_sent = journal.record_many(
        run, "ebay", [("A", "reprice", None, {}), ("B", "reprice", None, {}), ("C", "x", None, {})]
    )
    journal.mark([a, b], "sent", attempt=True)
    journal.mark([a], "sent", attempt=True)  # a retry is one more revision
    journal.mark([a, b], "accepted")
    other = journal.record_many(journal.start_run("apply", "woo"), "woo", [("A", "reprice", None, {})])
    journal.mark(other, "sent", attempt=True)
    now = datetime.now(UTC)
    assert journal.sends_today("ebay", now) == {"A": 2, "B": 1}  # C was planned, never sent
    assert journal.sends_today("ebay", now + timedelta(days=1)) == {}
