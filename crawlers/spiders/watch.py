"""The `watch` spider: visit every listing watch target of the config and record what each page showed.

cd crawlers && scrapy crawl watch -a config=../config/demo.yaml [-a targets=id1,id2]
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Self

import scrapy
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response, TextResponse
from twisted.python.failure import Failure

from crawlers.config import find_config, scrapy_overrides
from crawlers.extraction import Extraction, ExtractionStatus, extract
from crawlers.items import ListingItem
from crawlers.matching import CatalogIndex, match
from crawlers.sellers import SellerDirectory
from oneprice.domain.catalog import WatchTarget
from oneprice.domain.observation import ObservationStatus
from oneprice.errors import UserError
from oneprice.settings.loader import LoadedConfig

log = logging.getLogger(__name__)

# Error pages are recorded as observations, not dropped by HttpErrorMiddleware (3xx stay redirects).
RECORDED_STATUSES = list(range(400, 600))
TARGET_META = "oneprice_target"
PLATFORM_META = "oneprice_platform"
REASON_NO_MATCH = "no_catalog_match"


def listing_targets(config: LoadedConfig, target_ids: Sequence[str] | None = None) -> list[WatchTarget]:
    """The listing watch targets a crawl visits (all, or those named); unknown ids are a UserError."""
    targets = [t for t in config.settings.watch if t.kind == "listing"]
    if target_ids is None:
        return targets
    known = {t.id for t in targets}
    unknown = [t for t in target_ids if t not in known]
    if unknown:
        raise UserError(
            f"unknown listing watch target(s): {', '.join(unknown)} (known: {', '.join(sorted(known))})"
        )
    wanted = set(target_ids)
    return [t for t in targets if t.id in wanted]


class WatchSpider(scrapy.Spider):
    """Fetches each listing target once and yields one ListingItem per target, whatever happened.

    Arguments: `config` (a path, or a LoadedConfig when run from Python) and `targets`
    (comma-separated ids, or a sequence) to visit only some targets.
    """

    name = "watch"

    def __init__(
        self,
        config: str | LoadedConfig | None = None,
        targets: str | Sequence[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self._config_argument = config if isinstance(config, str) else None
        if isinstance(targets, str):
            targets = [t.strip() for t in targets.split(",") if t.strip()]
        self.target_ids: list[str] | None = list(targets) if targets is not None else None
        self.oneprice_config: LoadedConfig | None = None
        if isinstance(config, LoadedConfig):
            self.use_config(config)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        if spider.oneprice_config is None:
            found = find_config(spider._config_argument, crawler.settings)
            if found is None:
                raise UserError("no oneprice config: pass -a config=PATH or set ONEPRICE_CONFIG")
            spider.use_config(found)
        assert spider.oneprice_config is not None
        if not crawler.settings.frozen:
            # Below the command line (-s) and the runner, above crawlers/settings.py.
            crawler.settings.setdict(
                scrapy_overrides(spider.oneprice_config.settings.crawl), priority="spider"
            )
        return spider

    def use_config(self, config: LoadedConfig) -> None:
        """Take targets, catalog, resellers and currency from a loaded config."""
        self.oneprice_config = config
        self.index = CatalogIndex(config.catalog)
        self.sellers = SellerDirectory(config.settings.resellers)
        self.default_currency = config.settings.brand.currency

    # -- requests ----------------------------------------------------------------------------------

    def start_requests(self) -> Iterator[Request]:
        assert self.oneprice_config is not None, "the spider has no config"
        targets = listing_targets(self.oneprice_config, self.target_ids)
        if not targets:
            self.logger.warning("no listing watch targets to visit in %s", self.oneprice_config.path)
        for target in targets:
            yield Request(
                target.url,
                callback=self.parse,
                errback=self.on_error,
                dont_filter=True,
                meta={
                    TARGET_META: target.id,
                    PLATFORM_META: target.platform,
                    "handle_httpstatus_list": RECORDED_STATUSES,
                },
            )

    async def start(self) -> AsyncIterator[Request]:
        for request in self.start_requests():
            yield request

    # -- responses ---------------------------------------------------------------------------------

    def parse(self, response: Response, **kwargs: Any) -> Iterator[ListingItem]:
        html: str | bytes = response.text if isinstance(response, TextResponse) else response.body
        extraction = extract(
            html, response.url, status=response.status, default_currency=self.default_currency
        )
        content_type = (response.headers.get(b"Content-Type") or b"text/html").decode("latin-1")
        item = self.listing_item(
            response.meta[TARGET_META],
            response.meta[PLATFORM_META],
            response.url,
            extraction,
            response.status,
        )
        item.evidence = response.body
        item.content_type = content_type
        self.logger.info(
            "%s %s [%s]: %s %s %s",
            item.platform,
            item.target_id,
            item.seller_name or "?",
            item.status,
            f"{item.price} {item.currency}" if item.price is not None else "",
            item.reason or "",
        )
        yield item

    def on_error(self, failure: Failure) -> Iterator[ListingItem]:
        """A page that could not be fetched at all (timeout, DNS, refused, robots.txt)."""
        request = getattr(failure, "request", None)
        if request is None or TARGET_META not in request.meta:
            self.logger.error("request failed outside a watch target: %s", failure.getErrorMessage())
            return
        reason = failure_reason(failure)
        self.logger.warning(
            "%s %s: %s (%s)",
            request.meta[PLATFORM_META],
            request.meta[TARGET_META],
            reason,
            failure.getErrorMessage(),
        )
        yield ListingItem(
            target_id=request.meta[TARGET_META],
            url=request.url,
            platform=request.meta[PLATFORM_META],
            observed_at=datetime.now(UTC),
            status=ObservationStatus.HTTP_ERROR,
            reason=reason,
        )

    def listing_item(
        self, target_id: str, platform: str, url: str, extraction: Extraction, http_status: int
    ) -> ListingItem:
        """Turn what the page showed into an item: status, matched product, known reseller."""
        result = match(extraction, self.index)
        status, reason = _status(extraction, http_status)
        price = extraction.price
        product = self.index.product(result.product_sku) if result.product_sku else None
        confidence = Decimal(0)
        if status is ObservationStatus.OK and price is not None:
            if product is None:
                status, reason, confidence = (
                    ObservationStatus.UNMATCHED,
                    REASON_NO_MATCH,
                    extraction.confidence,
                )
            elif product.currency != price.currency:
                # A price in another currency cannot be compared with the unified price.
                status, reason = ObservationStatus.UNMATCHED, f"currency_mismatch:{price.currency}"
                confidence = extraction.confidence
            else:
                confidence = (extraction.confidence * result.confidence).quantize(Decimal("0.01"))
        keep_price = status in (ObservationStatus.OK, ObservationStatus.UNMATCHED)
        return ListingItem(
            target_id=target_id,
            url=url,
            platform=platform,
            observed_at=datetime.now(UTC),
            status=status,
            reason=reason,
            price=price.amount if price is not None and keep_price else None,
            currency=price.currency if price is not None and keep_price else None,
            raw_price=extraction.raw_price,
            method=extraction.method,
            confidence=confidence,
            seller_name=extraction.seller_name,
            reseller_id=self.sellers.identify(extraction.seller_name),
            product_sku=result.product_sku,
            title=extraction.title,
            listing_sku=extraction.sku,
            listing_gtin=extraction.gtin,
        )


def _status(extraction: Extraction, http_status: int) -> tuple[ObservationStatus, str | None]:
    if extraction.status is ExtractionStatus.BLOCKED:
        return ObservationStatus.BLOCKED, extraction.reason
    if http_status >= 400:
        return ObservationStatus.HTTP_ERROR, f"http_{http_status}"
    if extraction.status is ExtractionStatus.NO_PRICE:
        return ObservationStatus.NO_PRICE, extraction.reason
    return ObservationStatus.OK, None


# Exception class names (Scrapy >= 2.13 names first, then Twisted's and Python's) -> reason.
_FAILURE_REASONS = {
    "DownloadTimeoutError": "timeout",
    "TimeoutError": "timeout",
    "TCPTimedOutError": "timeout",
    "CannotResolveHostError": "dns_error",
    "DNSLookupError": "dns_error",
    "DownloadConnectionRefusedError": "connection_refused",
    "ConnectionRefusedError": "connection_refused",
    "ResponseDataLossError": "connection_error",
    "ConnectError": "connection_error",
    "ConnectionLost": "connection_error",
    "ConnectionDone": "connection_error",
    "ResponseFailed": "connection_error",
    "ResponseNeverReceived": "connection_error",
}


def failure_reason(failure: Failure) -> str:
    """A short word for why a request failed: timeout, dns_error, connection_refused, robots_txt, ..."""
    if failure.check(IgnoreRequest):
        return "robots_txt" if "robots.txt" in failure.getErrorMessage() else "ignored"
    for cls in type(failure.value).__mro__:
        if cls.__name__ in _FAILURE_REASONS:
            return _FAILURE_REASONS[cls.__name__]
    return "network_error"
