"""Store every ListingItem as an Observation, with the page body as evidence, and count by status."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, Self

from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred
from twisted.internet.threads import deferToThread
from twisted.python.failure import Failure

from crawlers.config import find_config
from crawlers.items import ListingItem
from oneprice.domain.observation import Observation, ObservationStatus
from oneprice.settings.loader import LoadedConfig

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.signalmanager import SignalManager
    from scrapy.statscollectors import StatsCollector

    from oneprice.storage.targets import Found

log = logging.getLogger(__name__)

# Sent after each observation is stored, with `observation=` (its id set). `run_crawl` listens to it.
observation_recorded = object()

STATS_PREFIX = "oneprice/observations"
DISCOVERY_PREFIX = "oneprice/discovery"


class ObservationSink(Protocol):
    """Where observations go; `oneprice.storage.ObservationRepository` is the real one."""

    def add(self, obs: Observation, evidence: bytes | None = None, content_type: str = "text/html") -> int: ...


class ReviewSink(Protocol):
    """Where listings waiting for a reviewer go; `oneprice.storage.reviews.ReviewRepository` is the real one."""

    def enqueue(self, obs: Observation, observation_id: int | None = None) -> None: ...


class HealthSink(Protocol):
    """Where each visit's outcome goes; `oneprice.storage.targets.TargetRepository` is the real one."""

    def record_visits(self, visits: Sequence[tuple[str, str, str | None]]) -> None:
        """(target id, status, reason) of each visit, in order, in one transaction."""


# (observation, evidence, content type): what one stored observation is made of.
Entry = tuple[Observation, bytes | None, str]
# At most this many observations go into one transaction.
BATCH_MAX = 200
# In a crawl, a batch starts this long after its first item (unless full): the items of the next
# few pages join it, instead of a hand-over to the writing thread (and its wake-up) per page or two.
BATCH_DELAY = 0.05


@dataclass
class _Pending:
    item: ListingItem
    observation: Observation
    evidence: bytes | None
    done: Deferred[Any] | None = None


class ObservationPipeline:
    """Writes one Observation per ListingItem; other items pass through untouched.

    Built by Scrapy with `from_crawler` (database from the crawl's config); tests pass a sink.

    With `background=True` and the reactor running, storing happens off the reactor thread, one
    batch at a time: the items that arrive while a batch is being written make up the next one (at
    most `batch_max`, one transaction for their observations), and with `batch_delay` a batch waits
    that many seconds after its first item for more (not when it is full, nor when the spider
    closes). `process_item` then returns a
    coroutine that ends once the item's observation is stored, so Scrapy does not close the spider
    before every batch is written; `close_spider` waits for the last one all the same. Otherwise
    (tests, a script without a reactor) each item is stored as it comes.
    """

    def __init__(
        self,
        sink: ObservationSink,
        *,
        keep_evidence: bool = True,
        stats: StatsCollector | None = None,
        signals: SignalManager | None = None,
        on_close: Callable[[], None] | None = None,
        reviews: ReviewSink | None = None,
        health: HealthSink | None = None,
        background: bool = False,
        batch_max: int = BATCH_MAX,
        batch_delay: float = 0.0,
        clock: Any = None,
    ) -> None:
        self.sink = sink
        self.reviews = reviews
        self.health = health
        self.keep_evidence = keep_evidence
        self.stats = stats
        self.signals = signals
        self.background = background
        self.batch_max = max(1, batch_max)
        self.batch_delay = max(0.0, batch_delay)
        self._timer: Any = None  # the delayed call that starts the next batch
        self._clock = clock  # what schedules it (IReactorTime); the reactor when None
        self._on_close = on_close
        self._queue: list[_Pending] = []
        self._writing = False
        self._idle: list[Deferred[None]] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        config = _crawl_config(crawler)
        if config is None:
            raise NotConfigured("no oneprice config (pass -a config=PATH or set ONEPRICE_CONFIG)")
        from oneprice.storage import Database, ObservationRepository
        from oneprice.storage.reviews import ReviewRepository
        from oneprice.storage.targets import TargetRepository

        db = Database.open(config.database_url())
        return cls(
            ObservationRepository(db),
            reviews=ReviewRepository(db),
            health=TargetRepository(db),
            keep_evidence=config.settings.crawl.keep_evidence,
            stats=crawler.stats,
            signals=crawler.signals,
            on_close=db.dispose,
            background=True,
            batch_delay=BATCH_DELAY,
        )

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if not isinstance(item, ListingItem):
            return item
        pending = _Pending(item, item.to_observation(), item.evidence if self.keep_evidence else None)
        if not (self.background and _reactor_running()):
            (result,) = self._write([pending])
            if isinstance(result, BaseException):
                raise result
            self._finish(pending, result)
            return item
        pending.done = Deferred()
        self._queue.append(pending)
        self._next_batch()
        return self._stored(pending.done)

    async def _stored(self, done: Deferred[Any]) -> Any:
        return await maybe_deferred_to_future(done)

    def close_spider(self, spider: Any = None) -> Deferred[None] | None:
        self.batch_delay = 0.0  # what is left is written at once
        if self._timer is not None:
            self._next_batch()
        if self._writing or self._queue:
            waiting: Deferred[None] = Deferred()
            self._idle.append(waiting)
            waiting.addBoth(lambda _: self._closed())
            return waiting
        self._closed()
        return None

    # -- storing -----------------------------------------------------------------------------------

    def _next_batch(self) -> None:
        if self._writing:
            return
        if not self._queue:
            idle, self._idle = self._idle, []
            for waiting in idle:
                waiting.callback(None)
            return
        if self.batch_delay and len(self._queue) < self.batch_max:
            if self._timer is None:
                clock = self._clock
                if clock is None:
                    from twisted.internet import reactor as clock
                self._timer = clock.callLater(self.batch_delay, self._delayed)
            return
        if self._timer is not None:  # full before its time
            self._timer.cancel()
            self._timer = None
        batch, self._queue = self._queue[: self.batch_max], self._queue[self.batch_max :]
        self._writing = True
        written = deferToThread(self._write, batch)
        written.addBoth(self._written, batch)

    def _delayed(self) -> None:
        self._timer = None
        self.batch_delay, delay = 0.0, self.batch_delay
        try:
            self._next_batch()
        finally:
            self.batch_delay = delay

    def _written(self, results: list[int | BaseException] | Failure, batch: list[_Pending]) -> None:
        self._writing = False
        try:
            for pending, result in zip(batch, _per_item(results, len(batch)), strict=True):
                assert pending.done is not None
                if isinstance(result, int):
                    self._finish(pending, result)
                    pending.done.callback(pending.item)
                else:
                    pending.done.errback(Failure(result))
        finally:
            self._next_batch()

    def _write(self, batch: list[_Pending]) -> list[int | BaseException]:
        """Store a batch (one transaction; one per item if that fails) and its reviews and health."""
        entries = [(p.observation, p.evidence, p.item.content_type) for p in batch]
        add_many: Callable[[list[Entry]], list[int]] | None = getattr(self.sink, "add_many", None)
        results: list[int | BaseException] | None = None
        if len(entries) > 1 and add_many is not None:
            try:
                results = list(add_many(entries))
            except Exception:  # one bad observation must not take the others with it: one by one
                log.debug("a batch of %d observations failed; storing them one by one", len(entries), exc_info=True)
        if results is None:
            results = [self._add_one(entry) for entry in entries]
        visits: list[tuple[int, tuple[str, str, str | None]]] = []
        for i, (pending, result) in enumerate(zip(batch, results, strict=True)):
            if isinstance(result, BaseException):
                continue
            observation = pending.observation
            try:
                if observation.status is ObservationStatus.REVIEW and self.reviews is not None:
                    self.reviews.enqueue(observation, result)
            except Exception as e:  # stored, but the item fails as it did when stored on its own
                results[i] = e
                continue
            visits.append((i, (observation.target_id, observation.status.value, observation.reason)))
        if self.health is not None and visits:
            self._record_visits(visits, results)
        return results

    def _record_visits(
        self, visits: list[tuple[int, tuple[str, str, str | None]]], results: list[int | BaseException]
    ) -> None:
        """The batch's visits in one transaction; if that fails, one by one, so only a bad one fails its item."""
        assert self.health is not None
        try:
            self.health.record_visits([visit for _, visit in visits])
            return
        except Exception:
            log.debug("recording %d visits failed; recording them one by one", len(visits), exc_info=True)
        for i, visit in visits:
            try:
                self.health.record_visits([visit])
            except Exception as e:
                results[i] = e

    def _add_one(self, entry: Entry) -> int | BaseException:
        try:
            return self.sink.add(*entry)
        except Exception as e:
            return e

    def _finish(self, pending: _Pending, observation_id: int) -> None:
        """Back on the reactor thread: the item, the stats and the signal learn the stored id."""
        item, observation, evidence = pending.item, pending.observation, pending.evidence
        item.observation_id = observation_id
        item.evidence = None  # stored; keep it out of feed exports
        if self.stats is not None:
            self.stats.inc_value(STATS_PREFIX)
            self.stats.inc_value(f"{STATS_PREFIX}/{observation.status.value}")
            if evidence is not None:
                self.stats.inc_value("oneprice/evidence_bytes", len(evidence))
        if self.signals is not None:
            self.signals.send_catch_log(
                signal=observation_recorded, observation=observation.model_copy(update={"id": observation_id})
            )

    def _closed(self) -> None:
        if self._on_close is not None:
            self._on_close()


def _per_item(results: list[int | BaseException] | Failure, size: int) -> list[int | BaseException]:
    """The result of each item of a batch; all fail together when the write itself failed."""
    if isinstance(results, Failure):
        error = results.value if isinstance(results.value, BaseException) else RuntimeError(str(results))
        return [error] * size
    return results


def _reactor_running() -> bool:
    from twisted.internet import reactor

    return bool(getattr(reactor, "running", False))


def _crawl_config(crawler: Crawler) -> LoadedConfig | None:
    """The spider's config when it has one (the `watch` spider does), else the one the settings name."""
    config = getattr(crawler.spider, "oneprice_config", None)
    if isinstance(config, LoadedConfig):
        return config
    return find_config(None, crawler.settings)


def found(item: Any) -> Found:
    """The record of one `DiscoveredItem`: the listing, its seller, and the price its search result
    showed with that page's currency (a lead for the watch target, never an observation)."""
    from oneprice.storage.targets import Found

    return Found(
        item.platform, item.url, item.title, item.seller_name, item.reseller_id,
        price=getattr(item, "price", None), currency=getattr(item, "currency", None),
    )  # fmt: skip


class DiscoveryPipeline:
    """Stores what the `discover` spider found: new listings as watch targets (with the price their
    search result showed), sellers seen.

    Results are kept in memory and written once when the spider closes (a search run finds
    thousands of listings, most of them already known).
    """

    def __init__(self, store: Callable[[list[Any]], tuple[int, int]], *, stats: StatsCollector | None = None,
                 on_close: Callable[[], None] | None = None) -> None:  # fmt: skip
        self.store = store
        self.stats = stats
        self._on_close = on_close
        self.found: list[Any] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        config = _crawl_config(crawler)
        if config is None:
            raise NotConfigured("no oneprice config (pass -a config=PATH or set ONEPRICE_CONFIG)")
        from oneprice.storage import Database
        from oneprice.storage.targets import TargetRepository

        db = Database.open(config.database_url())
        repo = TargetRepository(db)

        def store(items: list[Any]) -> tuple[int, int]:
            return repo.add_discovered(found(i) for i in items)

        return cls(store, stats=crawler.stats, on_close=db.dispose)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        from crawlers.spiders.discover import DiscoveredItem

        if isinstance(item, DiscoveredItem):
            self.found.append(item)
            if self.stats is not None:
                self.stats.inc_value(f"{DISCOVERY_PREFIX}/results")
        return item

    def close_spider(self, spider: Any = None) -> None:
        try:
            if self.found:
                targets, sellers = self.store(self.found)
                if self.stats is not None:
                    self.stats.set_value(f"{DISCOVERY_PREFIX}/new_targets", targets)
                    self.stats.set_value(f"{DISCOVERY_PREFIX}/new_unknown_sellers", sellers)
        finally:
            if self._on_close is not None:
                self._on_close()
