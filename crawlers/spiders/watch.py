"""The `watch` spider: visit every listing watch target of the config and record what each page showed.

cd crawlers && scrapy crawl watch -a config=../config/demo.yaml [-a targets=id1,id2]
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
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
from crawlers.matching import CONFIDENCE as MATCH_CONFIDENCE
from crawlers.matching import CatalogIndex, MatchResult, match
from crawlers.meta import EXTRACTION_META, PAGE_META, PLATFORM_META, TARGET_META
from crawlers.moves import moved_elsewhere
from crawlers.page import decode_page
from crawlers.proxies import proxy_meta
from crawlers.render import render_meta
from crawlers.sellers import SellerDirectory
from oneprice.domain.catalog import WatchTarget
from oneprice.domain.observation import ObservationStatus, listing_key
from oneprice.domain.review import Decision, ReviewState
from oneprice.errors import UserError
from oneprice.settings.loader import LoadedConfig

log = logging.getLogger(__name__)

# Error pages are recorded as observations, not dropped by HttpErrorMiddleware (3xx stay redirects).
RECORDED_STATUSES = list(range(400, 600))
REASON_NO_MATCH = "no_catalog_match"
REASON_LOW_PRICE_CONFIDENCE = "low_price_confidence"
REASON_IMPLAUSIBLE_PRICE = "implausible_price"
REASON_MOVED = "redirected_elsewhere"  # the address now leads to another listing or to none (crawlers/moves.py)
REASON_REJECTED = "rejected_in_review"


def listing_targets(config: LoadedConfig, target_ids: Sequence[str] | None = None) -> list[WatchTarget]:
    """The listing watch targets a crawl visits (all, or those named); unknown ids are a UserError."""
    targets = [t for t in config.settings.watch if t.kind == "listing"]
    if target_ids is None:
        return targets
    known = {t.id for t in targets}
    unknown = [t for t in target_ids if t not in known]
    if unknown:
        raise UserError(f"unknown listing watch target(s): {', '.join(unknown)} (known: {', '.join(sorted(known))})")
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
            crawler.settings.setdict(scrapy_overrides(spider.oneprice_config.settings.crawl), priority="spider")
        return spider

    def use_config(self, config: LoadedConfig) -> None:
        """Take targets, catalog, resellers and currency from a loaded config."""
        self.oneprice_config = config
        self.index = CatalogIndex(config.catalog)
        self.sellers = SellerDirectory(config.settings.resellers)
        self.default_currency = config.settings.brand.currency
        self.crawl_settings = config.settings.crawl
        self.decisions: Mapping[str, Decision] = {}
        self.discovered: list[WatchTarget] = []
        self.backed_off: set[str] = set()
        self.not_due: set[str] = set()

    def load_decisions(self) -> None:
        """Reviewers' decisions per listing, targets found by discovery, and targets backed off."""
        assert self.oneprice_config is not None
        from oneprice.storage import Database
        from oneprice.storage.reviews import ReviewRepository
        from oneprice.storage.targets import TargetRepository

        db = Database.open(self.oneprice_config.database_url())
        try:
            self.decisions = ReviewRepository(db).decisions()
            targets = TargetRepository(db)
            self.discovered = targets.discovered()
            every = [*self.oneprice_config.settings.watch, *self.discovered]
            self.backed_off = targets.backed_off(t.id for t in every)
            default = self.crawl_settings.revisit_after
            hot_after = self.crawl_settings.hot_revisit_after
            # A page with a violation in progress is watched more closely (crawl.hot_revisit_after).
            hot = targets.hot(t.id for t in every) if hot_after is not None else set()
            intervals: dict[str, float] = {}
            for t in every:
                seconds = t.frequency_seconds or default
                if t.id in hot and hot_after is not None:
                    seconds = min(seconds, hot_after) if seconds is not None else hot_after
                if seconds is not None:
                    intervals[t.id] = seconds
            self.not_due = targets.visited_within(intervals) if intervals else set()
        finally:
            db.dispose()

    # -- requests ----------------------------------------------------------------------------------

    def start_requests(self) -> Iterator[Request]:
        assert self.oneprice_config is not None, "the spider has no config"
        targets = listing_targets(self.oneprice_config, self.target_ids)
        self.load_decisions()
        if self.target_ids is None:
            # Discovered listings are crawled too; a target that keeps failing waits its turn
            # (naming it with `targets` visits it anyway).
            seen = {t.id for t in targets}
            targets += [t for t in self.discovered if t.id not in seen]
            waiting = [t.id for t in targets if t.id in self.backed_off]
            if waiting:
                self.logger.info("backed off after failing visits: %s", ", ".join(waiting))
            targets = [t for t in targets if t.id not in self.backed_off]
            later = [t.id for t in targets if t.id in self.not_due]
            if later:
                self.logger.info("visited recently, not due yet: %s", ", ".join(later))
            targets = [t for t in targets if t.id not in self.not_due]
        if not targets:
            self.logger.warning("no listing watch targets to visit in %s", self.oneprice_config.path)
        settings = getattr(self, "settings", None)
        # Distributed (crawlers/distributed.py): every worker offers every target and the shared
        # dupefilter lets each page in once. Alone, a page is always fetched.
        shared = bool(settings is not None and settings.getbool("ONEPRICE_DISTRIBUTED"))
        crawl = self.oneprice_config.settings.crawl
        render = crawl.render
        rendered = render_meta(render) if render.enabled else {}
        for target in targets:
            drawn = render.renders(target.platform, target.id)
            yield Request(
                target.url,
                callback=self.parse,
                errback=self.on_error,
                dont_filter=not shared,
                meta={
                    TARGET_META: target.id,
                    PLATFORM_META: target.platform,
                    "handle_httpstatus_list": RECORDED_STATUSES,
                    **(rendered if drawn else {}),
                    **proxy_meta(crawl.proxy_for(target.platform), rendered=drawn),
                },
            )

    async def start(self) -> AsyncIterator[Request]:
        for request in self.start_requests():
            yield request

    # -- responses ---------------------------------------------------------------------------------

    def parse(self, response: Response, **kwargs: Any) -> Iterator[ListingItem | Request]:
        extraction = response.meta.get(EXTRACTION_META)  # read by a worker process (crawlers/offload.py)
        if extraction is None:
            extraction = self.read(*self.page_read(response))
        redirects = response.meta.get("redirect_urls") or ()
        if (
            redirects
            and extraction.status is not ExtractionStatus.BLOCKED
            and moved_elsewhere(redirects[0], response.url)
        ):
            # The listing is gone: its address sends visitors to another listing or to no listing
            # (a home page, a catalogue), whose prices are not the listing's.
            self.logger.warning(
                "%s %s: %s now redirects to %s, another page", response.meta[PLATFORM_META],
                response.meta[TARGET_META], redirects[0], response.url,
            )  # fmt: skip
            extraction = Extraction(status=ExtractionStatus.NO_PRICE, reason=REASON_MOVED)
        if extraction.follow_up:
            yield response.follow(
                extraction.follow_up,
                callback=self.parse_follow_up,
                errback=self.on_error,
                dont_filter=True,
                meta={
                    TARGET_META: response.meta[TARGET_META],
                    PLATFORM_META: response.meta[PLATFORM_META],
                    PAGE_META: (response.url, response.status, response.body, _content_type(response)),
                    "handle_httpstatus_list": RECORDED_STATUSES,
                    **self._proxy(response.meta[PLATFORM_META]),
                },
            )
            return
        yield from self._items(
            response.meta, response.url, response.status, extraction, response.body, _content_type(response)
        )

    def _proxy(self, platform: str) -> dict[str, Any]:
        """Meta of a plain request (a price service's answer) to go through the platform's proxy."""
        assert self.oneprice_config is not None
        return proxy_meta(self.oneprice_config.settings.crawl.proxy_for(platform))

    def parse_follow_up(self, response: Response, **kwargs: Any) -> Iterator[ListingItem]:
        """The answer of a price endpoint: read the page again together with it."""
        url, status, body, content_type = response.meta[PAGE_META]
        answer = response.body if response.status < 400 else b""
        extraction = self.read(decode_page(body, content_type), url, status, follow_up_body=answer)
        yield from self._items(response.meta, url, status, extraction, body, content_type)

    def page_read(self, response: Response) -> tuple[str | bytes, str, int]:
        """What `read` is given for a fetched page: (html, url, status); the text decoded as
        `crawlers.page.decode_page` does (a mislabelled UTF-8 page is read as UTF-8)."""
        html: str | bytes = response.body
        if isinstance(response, TextResponse):
            html = decode_page(response.body, _content_type(response))
        return html, response.url, response.status

    def read_options(self) -> dict[str, Any]:
        """The keyword arguments of `extract` besides the page (the same in a worker process)."""
        return {"default_currency": self.default_currency, "site_currency_first": True, "platform": None,
                "coupon_policy": self.crawl_settings.coupon_policy}  # fmt: skip

    def read(self, html: str | bytes, url: str, status: int, follow_up_body: bytes | None = None) -> Extraction:
        return extract(html, url, status=status, follow_up_body=follow_up_body, **self.read_options())

    def _items(
        self,
        meta: Mapping[str, Any],
        url: str,
        status: int,
        extraction: Extraction,
        body: bytes,
        content_type: str,
    ) -> Iterator[ListingItem]:
        items = self.listing_items(meta[TARGET_META], meta[PLATFORM_META], url, extraction, status)
        for item in items:
            item.evidence = body
            item.content_type = content_type
            self.logger.info(
                "%s %s%s [%s]: %s %s %s",
                item.platform,
                item.target_id,
                f"#{item.offer_key}" if item.offer_key else "",
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

    def listing_items(
        self, target_id: str, platform: str, url: str, extraction: Extraction, http_status: int
    ) -> list[ListingItem]:
        """One item per offer the page shows (one for most pages), all of one visit."""
        visit = uuid.uuid4().hex
        offers = extraction.offers or (extraction,)
        return [self.listing_item(target_id, platform, url, offer, http_status, visit) for offer in offers]

    def listing_item(
        self,
        target_id: str,
        platform: str,
        url: str,
        extraction: Extraction,
        http_status: int,
        visit: str | None = None,
    ) -> ListingItem:
        """Turn what the page showed into an item: status, matched product, known reseller."""
        key = listing_key(target_id, extraction.offer_key)
        result = self._match(key, extraction)
        status, reason = _status(extraction, http_status)
        price = extraction.price
        product = self.index.product(result.product_sku) if result.product_sku else None
        confidence = Decimal(0)
        matching = self.crawl_settings.matching
        if status is ObservationStatus.OK and price is not None:
            confidence = (extraction.confidence * result.confidence).quantize(Decimal("0.01"))
            if extraction.confidence < matching.min_price_confidence:
                status, reason, price = ObservationStatus.NO_PRICE, REASON_LOW_PRICE_CONFIDENCE, None
            elif result.method == "none" and result.reason == REASON_REJECTED:
                status, reason, confidence = ObservationStatus.UNMATCHED, REASON_REJECTED, extraction.confidence
            elif product is None:
                status, reason = ObservationStatus.UNMATCHED, result.reason or REASON_NO_MATCH
                confidence = extraction.confidence
            elif product.currency != price.currency:
                # A price in another currency cannot be compared with the unified price.
                status, reason = ObservationStatus.UNMATCHED, f"currency_mismatch:{price.currency}"
                confidence = extraction.confidence
            elif price.amount < product.unified_price.amount * matching.min_price_share:
                # Far below anything a reseller sells at: a deposit (定金), an accessory's price or
                # fen read as yuan. No rule may see it; the raw text stays with the observation.
                status, reason, price = ObservationStatus.NO_PRICE, REASON_IMPLAUSIBLE_PRICE, None
            elif result.confidence < matching.accept:
                status = ObservationStatus.REVIEW
                reason = f"match {result.method} {result.confidence}" + (f": {result.reason}" if result.reason else "")
        keep_price = status in (ObservationStatus.OK, ObservationStatus.UNMATCHED, ObservationStatus.REVIEW)
        shipping = extraction.shipping
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
            method=f"profile:{extraction.profile}" if extraction.method == "profile" else extraction.method,
            confidence=confidence,
            seller_name=extraction.seller_name,
            reseller_id=self.sellers.identify(extraction.seller_name, url),
            product_sku=result.product_sku,
            title=extraction.title,
            listing_sku=extraction.sku,
            listing_gtin=extraction.gtin,
            price_kind=extraction.price_kind if keep_price else None,
            price_high=extraction.price_high if keep_price else None,
            shipping=shipping.amount if shipping is not None and keep_price else None,
            offer_key=extraction.offer_key,
            visit=visit,
            match_method=result.method if result.product_sku else None,
        )

    def _match(self, key: str, extraction: Extraction) -> MatchResult:
        decision = self.decisions.get(key)
        if decision is not None and decision.state is ReviewState.ACCEPTED and decision.sku:
            if self.index.product(decision.sku) is not None:
                return MatchResult(decision.sku, "review", MATCH_CONFIDENCE["review"], "decided in review")
        if decision is not None and decision.state is ReviewState.REJECTED:
            return MatchResult(None, "none", Decimal(0), REASON_REJECTED)
        return match(extraction, self.index)


def _content_type(response: Response) -> str:
    return (response.headers.get(b"Content-Type") or b"text/html").decode("latin-1")


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
