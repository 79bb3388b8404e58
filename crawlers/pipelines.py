"""Store every ListingItem as an Observation, with the page body as evidence, and count by status."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, Self

from scrapy.exceptions import NotConfigured

from crawlers.config import find_config
from crawlers.items import ListingItem
from oneprice.domain.observation import Observation, ObservationStatus
from oneprice.settings.loader import LoadedConfig

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.signalmanager import SignalManager
    from scrapy.statscollectors import StatsCollector

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

    def record_visit(self, target_id: str, status: str, reason: str | None) -> None: ...


class ObservationPipeline:
    """Writes one Observation per ListingItem; other items pass through untouched.

    Built by Scrapy with `from_crawler` (database from the crawl's config); tests pass a sink.
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
    ) -> None:
        self.sink = sink
        self.reviews = reviews
        self.health = health
        self.keep_evidence = keep_evidence
        self.stats = stats
        self.signals = signals
        self._on_close = on_close

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
        )

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if not isinstance(item, ListingItem):
            return item
        observation = item.to_observation()
        evidence = item.evidence if self.keep_evidence else None
        observation_id = self.sink.add(observation, evidence, item.content_type)
        item.observation_id = observation_id
        if observation.status is ObservationStatus.REVIEW and self.reviews is not None:
            self.reviews.enqueue(observation, observation_id)
        if self.health is not None:
            self.health.record_visit(observation.target_id, observation.status.value, observation.reason)
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
        return item

    def close_spider(self, spider: Any = None) -> None:
        if self._on_close is not None:
            self._on_close()


def _crawl_config(crawler: Crawler) -> LoadedConfig | None:
    """The spider's config when it has one (the `watch` spider does), else the one the settings name."""
    config = getattr(crawler.spider, "oneprice_config", None)
    if isinstance(config, LoadedConfig):
        return config
    return find_config(None, crawler.settings)


class DiscoveryPipeline:
    """Stores what the `discover` spider found: new listings as watch targets, sellers seen.

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
        from oneprice.storage.targets import Found, TargetRepository

        db = Database.open(config.database_url())
        repo = TargetRepository(db)

        def store(items: list[Any]) -> tuple[int, int]:
            return repo.add_discovered(Found(i.platform, i.url, i.title, i.seller_name, i.reseller_id) for i in items)

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
