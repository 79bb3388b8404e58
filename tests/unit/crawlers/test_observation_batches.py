"""ObservationPipeline in the background: batches written one at a time, nothing lost, close waits."""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pipeline_fakes import Worker
from twisted.internet.defer import Deferred

import crawlers.pipelines as pipelines
from crawlers.items import ListingItem
from crawlers.pipelines import ObservationPipeline
from oneprice.domain.observation import Observation, ObservationStatus
from oneprice.storage import Database, ObservationRepository

NOW = datetime(2024, 6, 1, 8, 0, tzinfo=UTC)


class BatchSink:
    def __init__(self, bad_target: str | None = None) -> None:
        self.batches: list[list[str]] = []
        self.stored: list[str] = []
        self.bad_target = bad_target

    def add(self, obs: Observation, evidence: bytes | None = None, content_type: str = "text/html") -> int:
        if obs.target_id == self.bad_target:
            raise ValueError("cannot store this one")
        self.stored.append(obs.target_id)
        return len(self.stored)

    def add_many(self, entries: Sequence[tuple[Observation, bytes | None, str]]) -> list[int]:
        if any(obs.target_id == self.bad_target for obs, _, _ in entries):
            raise ValueError("the batch failed")
        self.batches.append([obs.target_id for obs, _, _ in entries])
        return [self.add(*e) for e in entries]


class Health:
    def __init__(self) -> None:
        self.visits: list[tuple[str, str]] = []

    def record_visits(self, visits: Sequence[tuple[str, str, str | None]]) -> None:
        self.visits.extend((target_id, status) for target_id, status, _ in visits)


def item(target: str, evidence: bytes | None = b"<html>page</html>") -> ListingItem:
    return ListingItem(
        target_id=target, url=f"https://shop.example/{target}", platform="taobao", observed_at=NOW,
        status=ObservationStatus.OK, evidence=evidence,
    )  # fmt: skip


def collect(pending: list[Any], into: list[Any]) -> list[Any]:
    """What each `process_item` result (a coroutine, or a Deferred) ends with, as they end."""
    for p in pending:
        d = Deferred.fromCoroutine(p) if inspect.iscoroutine(p) else p
        d.addBoth(into.append)
    return into


def results(deferreds: list[Any]) -> list[Any]:
    return collect(deferreds, [])


def test_items_arriving_during_a_write_make_the_next_batch(worker: Worker) -> None:
    sink, health = BatchSink(), Health()
    pipeline = ObservationPipeline(sink, health=health, background=True)
    items = [item(f"t{i}") for i in range(5)]
    done = results([pipeline.process_item(items[0])])
    collect([pipeline.process_item(it) for it in items[1:]], done)  # the first batch is still being written
    assert done == [] and len(worker.jobs) == 1

    worker.run_next()
    assert sink.stored == ["t0"] and sink.batches == []  # a batch of one is a plain add
    assert done == [items[0]] and len(worker.jobs) == 1
    worker.run_next()
    assert sink.batches[-1] == ["t1", "t2", "t3", "t4"]  # one transaction for the four
    assert done == items
    assert [it.observation_id for it in items] == [1, 2, 3, 4, 5]
    assert all(it.evidence is None for it in items)
    assert [t for t, _ in health.visits] == ["t0", "t1", "t2", "t3", "t4"]


def test_close_waits_for_a_partial_batch_then_closes(worker: Worker) -> None:
    sink, closed = BatchSink(), []
    pipeline = ObservationPipeline(sink, background=True, on_close=lambda: closed.append(True), batch_max=3)
    items = [item(f"t{i}") for i in range(5)]
    results([pipeline.process_item(it) for it in items])
    closing = pipeline.close_spider()
    assert isinstance(closing, Deferred)
    finished = results([closing])
    while worker.jobs:
        assert finished == [] and closed == []
        worker.run_next()
    assert sink.stored == ["t0", "t1", "t2", "t3", "t4"]  # nothing lost
    assert sink.batches == [["t1", "t2", "t3"]]  # at most batch_max per transaction; then t4 alone
    assert finished == [None] and closed == [True]


def test_close_with_nothing_pending_closes_at_once(worker: Worker) -> None:
    closed: list[bool] = []
    pipeline = ObservationPipeline(BatchSink(), background=True, on_close=lambda: closed.append(True))
    assert pipeline.close_spider() is None and closed == [True]


def test_one_bad_observation_fails_only_its_item(worker: Worker) -> None:
    sink = BatchSink(bad_target="bad")
    pipeline = ObservationPipeline(sink, background=True)
    first = item("first")
    results([pipeline.process_item(first)])
    items = [item("a"), item("bad"), item("b")]
    done = results([pipeline.process_item(it) for it in items])
    worker.run_next()
    worker.run_next()
    assert sink.stored == ["first", "a", "b"]
    assert done[0] is items[0] and done[2] is items[2]
    assert done[1].check(ValueError)
    assert items[1].observation_id is None


class PickyHealth(Health):
    """Refuses any batch that holds `bad`, as a database refuses a transaction with one bad row."""

    def record_visits(self, visits: Sequence[tuple[str, str, str | None]]) -> None:
        if any(target == "bad" for target, _, _ in visits):
            raise ValueError("cannot record this visit")
        super().record_visits(visits)


def test_visits_are_recorded_per_batch_and_a_bad_one_fails_only_its_item(worker: Worker) -> None:
    health = PickyHealth()
    pipeline = ObservationPipeline(BatchSink(), health=health, background=True)
    first = item("first")
    results([pipeline.process_item(first)])
    items = [item("a"), item("bad"), item("b")]
    done = results([pipeline.process_item(it) for it in items])
    worker.run_next()
    worker.run_next()
    assert health.visits == [("first", "ok"), ("a", "ok"), ("b", "ok")]
    assert done[0] is items[0] and done[2] is items[2]
    assert done[1].check(ValueError)  # stored, but its visit was not: the item fails as before


def test_a_failed_write_fails_its_items_and_the_next_batch_still_runs(worker: Worker) -> None:
    pipeline = ObservationPipeline(BatchSink(), background=True)
    first, second = item("t0"), item("t1")
    done = results([pipeline.process_item(first), pipeline.process_item(second)])
    d, _, _ = worker.jobs.pop(0)
    d.errback(RuntimeError("thread died"))
    assert done[0].check(RuntimeError)
    worker.run_next()  # the item that waited is written all the same
    assert done[1] is second and second.observation_id == 1


def test_without_a_running_reactor_items_are_stored_inline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipelines, "deferToThread", lambda *a: pytest.fail("no thread without a reactor"))
    sink = BatchSink()
    pipeline = ObservationPipeline(sink, background=True)
    it = item("t0")
    assert pipeline.process_item(it) is it and it.observation_id == 1
    assert pipeline.close_spider() is None


def test_add_many_stores_in_order_and_keeps_evidence_once(tmp_path: Path) -> None:
    db = Database.open(f"sqlite:///{tmp_path / 'obs.db'}")
    repo = ObservationRepository(db)

    def obs(target: str) -> Observation:
        return item(target).to_observation()

    ids = repo.add_many([(obs("a"), b"same", "text/html"), (obs("b"), b"same", "text/html"), (obs("c"), None, "")])
    more = repo.add_many([(obs("d"), b"same", "text/html"), (obs("e"), b"other", "text/html; charset=gbk")])
    assert ids == sorted(ids) and more[0] > ids[-1]
    stored = {t: repo.for_target(t)[0] for t in "abcde"}
    assert [stored[t].id for t in "abc"] == ids
    assert stored["a"].evidence_sha256 == stored["b"].evidence_sha256 == stored["d"].evidence_sha256
    assert stored["c"].evidence_sha256 is None
    sha = stored["e"].evidence_sha256
    assert sha is not None and repo.evidence(sha) == ("text/html; charset=gbk", b"other")
    db.dispose()


def test_inline_store_errors_reach_the_caller_once() -> None:
    class Failing(BatchSink):
        calls = 0

        def add(self, obs: Observation, evidence: bytes | None = None, content_type: str = "text/html") -> int:
            self.calls += 1
            raise ValueError("disk full")

    sink = Failing()
    with pytest.raises(ValueError, match="disk full"):
        ObservationPipeline(sink).process_item(item("t0"))
    assert sink.calls == 1
