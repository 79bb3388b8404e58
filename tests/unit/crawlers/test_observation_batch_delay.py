"""ObservationPipeline with a batch delay: the items of a short while share one batch; close does not wait."""

from __future__ import annotations

import inspect
from datetime import UTC, datetime
from typing import Any

from pipeline_fakes import Worker
from twisted.internet.defer import Deferred
from twisted.internet.task import Clock

from crawlers.items import ListingItem
from crawlers.pipelines import ObservationPipeline
from oneprice.domain.observation import Observation, ObservationStatus


class Sink:
    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def add(self, obs: Observation, evidence: bytes | None = None, content_type: str = "text/html") -> int:
        self.batches.append([obs.target_id])
        return sum(map(len, self.batches))

    def add_many(self, entries: list[tuple[Observation, bytes | None, str]]) -> list[int]:
        start = sum(map(len, self.batches))
        self.batches.append([obs.target_id for obs, _, _ in entries])
        return list(range(start + 1, start + 1 + len(entries)))


def item(target: str) -> ListingItem:
    return ListingItem(
        target_id=target, url=f"https://shop.example/{target}", platform="taobao",
        observed_at=datetime(2024, 6, 1, tzinfo=UTC), status=ObservationStatus.OK, evidence=b"<p>",
    )  # fmt: skip


def finished(results: list[Any], out: list[Any] | None = None) -> list[Any]:
    out = [] if out is None else out
    for r in results:
        (Deferred.fromCoroutine(r) if inspect.iscoroutine(r) else r).addBoth(out.append)
    return out


def test_items_within_the_delay_share_one_batch(worker: Worker) -> None:
    sink, clock = Sink(), Clock()
    pipeline = ObservationPipeline(sink, background=True, batch_delay=0.05, clock=clock)
    done = finished([pipeline.process_item(item(f"t{i}")) for i in range(3)])
    assert worker.jobs == [] and done == []  # waiting for more
    clock.advance(0.04)
    finished([pipeline.process_item(item("t3"))], done)
    assert worker.jobs == []
    clock.advance(0.01)
    worker.run_all()
    assert sink.batches == [["t0", "t1", "t2", "t3"]] and len(done) == 4


def test_a_full_batch_does_not_wait(worker: Worker) -> None:
    sink, clock = Sink(), Clock()
    pipeline = ObservationPipeline(sink, background=True, batch_delay=10, batch_max=2, clock=clock)
    finished([pipeline.process_item(item("a"))])
    assert worker.jobs == []
    finished([pipeline.process_item(item("b"))])
    worker.run_all()
    assert sink.batches == [["a", "b"]]


def test_close_writes_what_waits_at_once(worker: Worker) -> None:
    sink, clock, closed = Sink(), Clock(), []
    pipeline = ObservationPipeline(sink, background=True, batch_delay=10, clock=clock,
                                   on_close=lambda: closed.append(True))  # fmt: skip
    done = finished([pipeline.process_item(item(t)) for t in ("a", "b")])
    closing = pipeline.close_spider()
    assert isinstance(closing, Deferred) and len(worker.jobs) == 1 and clock.getDelayedCalls() == []
    worker.run_all()
    assert sink.batches == [["a", "b"]] and len(done) == 2 and closed == [True]
