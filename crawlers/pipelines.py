"""Store every ListingItem as an Observation, with the page body as evidence, and count by status."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, Self

from scrapy.exceptions import NotConfigured

from crawlers.config import find_config
from crawlers.items import ListingItem
from oneprice.domain.observation import Observation
from oneprice.settings.loader import LoadedConfig

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.signalmanager import SignalManager
    from scrapy.statscollectors import StatsCollector

log = logging.getLogger(__name__)

# Sent after each observation is stored, with `observation=` (its id set). `run_crawl` listens to it.
observation_recorded = object()

STATS_PREFIX = "oneprice/observations"


class ObservationSink(Protocol):
    """Where observations go; `oneprice.storage.ObservationRepository` is the real one."""

    def add(
        self, obs: Observation, evidence: bytes | None = None, content_type: str = "text/html"
    ) -> int: ...


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
    ) -> None:
        self.sink = sink
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

        db = Database.open(config.database_url())
        return cls(
            ObservationRepository(db),
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
