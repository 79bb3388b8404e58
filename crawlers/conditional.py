"""Conditional requests: ask a listing page "changed since?" and read an unchanged one from evidence.

A downloader middleware of the `watch` spider (`crawl.conditional_requests`, on by default):

- a target's request carries `If-None-Match` / `If-Modified-Since` when the page's last full
  answer gave an `ETag` / `Last-Modified` and that page is stored as evidence;
- a `304 Not Modified` becomes the 200 response it stands for, rebuilt from the evidence page
  (flag `not_modified`, `response.meta["oneprice_not_modified"]`), so the spider reads it the one
  way it reads every page: the catalog, the review decisions and a price endpoint's answer (asked
  again) may have changed even when the page did not;
- a 304 whose evidence page is gone (retention) is asked again once, without validators;
- `NotModifiedAutoThrottle` lets 304 answers adapt the delay like 200s;
- when the crawl closes, how each page answered and the validators of every 200 whose page was
  stored with a listing observation are written to `page_validators` (TargetRepository).

It sits below HttpCompressionMiddleware (590) and MetaRefreshMiddleware (580), so the body it
hashes is the one the spider keeps as evidence, and below DownloaderStats (850), so
`downloader/response_bytes` counts what really came over the wire.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, Protocol, Self

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.extensions.throttle import AutoThrottle
from scrapy.http import Headers, Request, Response
from scrapy.responsetypes import responsetypes
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from crawlers.config import find_config
from crawlers.meta import PAGE_META, TARGET_META, UNCONDITIONAL_META
from crawlers.pipelines import observation_recorded
from oneprice.domain.observation import Observation, ObservationStatus
from oneprice.settings.loader import LoadedConfig
from oneprice.storage.targets import (
    ANSWER_EVIDENCE_MISSING,
    ANSWER_FAILED,
    ANSWER_FULL,
    ANSWER_MODIFIED,
    ANSWER_NOT_MODIFIED,
    PageAnswer,
    PageValidators,
)

if TYPE_CHECKING:
    from scrapy.core.downloader import Slot
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

log = logging.getLogger(__name__)

ORDER = 560  # in DOWNLOADER_MIDDLEWARES (see the module docstring)
NOT_MODIFIED_META = "oneprice_not_modified"  # True on a response rebuilt from evidence after a 304
SENT_META = "oneprice_validators"  # the evidence sha256 of the page this request's validators belong to
NOT_MODIFIED_FLAG = "not_modified"
STATS_PREFIX = "oneprice/conditional"

IF_NONE_MATCH = b"If-None-Match"
IF_MODIFIED_SINCE = b"If-Modified-Since"
# Only these statuses of a stored observation say the page was a listing page worth asking about again.
READ_STATUSES = frozenset(
    {ObservationStatus.OK, ObservationStatus.REVIEW, ObservationStatus.UNMATCHED, ObservationStatus.NO_PRICE}
)
# Headers of a 304 that do not describe the stored body.
_NOT_OF_THE_BODY = (b"Content-Length", b"Content-Encoding", b"Transfer-Encoding", b"Content-Range")
_ETAG = re.compile(r'^(W/)?"[\x21\x23-\x7e]*"$')  # ASCII only: it is sent back byte for byte
MAX_ETAG = 255
MAX_LAST_MODIFIED = 64


class ValidatorStore(Protocol):
    """Where validators and evidence come from; `DatabaseValidatorStore` is the real one."""

    def page_validators(self) -> Mapping[str, PageValidators]: ...

    def evidence(self, sha256: str) -> tuple[str, bytes] | None: ...

    def record_answers(self, answers: Sequence[PageAnswer]) -> int: ...

    def close(self) -> None: ...


class DatabaseValidatorStore:
    """Validators in `page_validators`, pages in `evidence`: the crawl's database."""

    def __init__(self, url: str) -> None:
        from oneprice.storage import Database, ObservationRepository
        from oneprice.storage.targets import TargetRepository

        self.db = Database.open(url)
        self.targets = TargetRepository(self.db)
        self.observations = ObservationRepository(self.db)

    def page_validators(self) -> Mapping[str, PageValidators]:
        return self.targets.page_validators()

    def evidence(self, sha256: str) -> tuple[str, bytes] | None:
        return self.observations.evidence(sha256)

    def record_answers(self, answers: Sequence[PageAnswer]) -> int:
        return self.targets.record_answers(answers)

    def close(self) -> None:
        self.db.dispose()


@dataclass
class _Visit:
    """How one target's page answered during this crawl (the last answer wins)."""

    answer: str
    validators: PageValidators | None
    recorded: bool = False


def etag_of(response: Response) -> str | None:
    """The response's ETag if it is a well-formed one of sane length, else None."""
    raw = response.headers.get(b"ETag")
    if not raw or len(raw) > MAX_ETAG:
        return None
    value = raw.decode("latin-1").strip()
    return value if _ETAG.match(value) else None


def last_modified_of(response: Response) -> str | None:
    """The response's Last-Modified if it is an HTTP date, else None (sent back exactly as given)."""
    raw = response.headers.get(b"Last-Modified")
    if not raw or len(raw) > MAX_LAST_MODIFIED:
        return None
    value = raw.decode("latin-1").strip()
    try:
        parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return value if value.isascii() and value.isprintable() else None


def rebuild(request: Request, not_modified: Response, content_type: str, body: bytes) -> Response:
    """The 200 response a 304 stands for: the stored body, its content type, the 304's other headers."""
    headers = Headers(not_modified.headers)
    for name in _NOT_OF_THE_BODY:
        headers.pop(name, None)
    headers[b"Content-Type"] = content_type
    cls = responsetypes.from_args(headers=headers, url=not_modified.url, body=body)
    return cls(
        url=not_modified.url,
        status=200,
        headers=headers,
        body=body,
        request=request,
        flags=[*not_modified.flags, NOT_MODIFIED_FLAG],
        certificate=not_modified.certificate,
        ip_address=not_modified.ip_address,
        protocol=not_modified.protocol,
    )


def _without_validators(request: Request) -> None:
    request.headers.pop(IF_NONE_MATCH, None)
    request.headers.pop(IF_MODIFIED_SINCE, None)
    request.meta.pop(SENT_META, None)


class ConditionalRequestsMiddleware:
    """Downloader middleware: validators out, 304s in (see the module docstring).

    Built by Scrapy with `from_crawler` (database from the crawl's config); tests pass their own
    `open_store`. The store is opened at the first listing page request, and closed with the spider.
    """

    def __init__(self, open_store: Callable[[], ValidatorStore], *, stats: StatsCollector | None = None) -> None:
        self._open_store = open_store
        self._store: ValidatorStore | None = None
        self.stats = stats
        self._validators: Mapping[str, PageValidators] | None = None
        self.visits: dict[str, _Visit] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        config = _crawl_config(crawler)
        if config is None:
            raise NotConfigured("no oneprice config (pass -a config=PATH or set ONEPRICE_CONFIG)")
        if not config.settings.crawl.conditional_requests:
            raise NotConfigured("crawl.conditional_requests is off")
        if not config.settings.crawl.keep_evidence:
            raise NotConfigured("conditional requests need the pages kept as evidence (crawl.keep_evidence)")
        url = config.database_url()
        middleware = cls(lambda: DatabaseValidatorStore(url), stats=crawler.stats)
        crawler.signals.connect(middleware.observation_recorded, signal=observation_recorded)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    # -- store -------------------------------------------------------------------------------------

    @property
    def store(self) -> ValidatorStore:
        if self._store is None:
            self._store = self._open_store()
        return self._store

    def validators(self) -> Mapping[str, PageValidators]:
        """Target id -> validators, read once per crawl."""
        if self._validators is None:
            self._validators = self.store.page_validators()
        return self._validators

    # -- requests and responses --------------------------------------------------------------------

    def process_request(self, request: Request, spider: Any = None) -> None:
        target = _target(request)
        if target is None:
            return
        sent = self.validators().get(target) if not request.meta.get(UNCONDITIONAL_META) else None
        if sent is None or sent.url != request.url:
            # Validators belong to one URL: not for another one (a redirect) nor for the retry.
            _without_validators(request)
            return
        if sent.etag:
            request.headers[IF_NONE_MATCH] = sent.etag
        if sent.last_modified:
            request.headers[IF_MODIFIED_SINCE] = sent.last_modified
        if SENT_META not in request.meta:
            self._inc("sent")
        request.meta[SENT_META] = sent.evidence_sha256

    def process_response(
        self, request: Request, response: Response, spider: Any = None
    ) -> Request | Response | Coroutine[Any, Any, Request | Response]:
        target = _target(request)
        if target is None:
            return response
        sent = self.validators().get(target) if SENT_META in request.meta else None
        if response.status == 304:
            if sent is not None and _reactor_running():
                # Reading and unpacking the page is database work: off the reactor thread.
                return self._not_modified_later(target, request, response, sent)
            evidence = self.store.evidence(sent.evidence_sha256) if sent is not None else None
            return self._not_modified(target, request, response, sent, evidence)
        if response.status == 200:
            validators = self._validators_of(target, response)
            self.visits[target] = _Visit(ANSWER_MODIFIED if sent is not None else ANSWER_FULL, validators)
            if sent is not None:
                self._inc("modified")
        elif target not in self.visits or self.visits[target].answer == ANSWER_FAILED:
            self.visits[target] = _Visit(ANSWER_FAILED, None)
        return response

    def process_exception(self, request: Request, exception: Exception, spider: Any = None) -> None:
        target = _target(request)
        if target is not None and target not in self.visits:
            self.visits[target] = _Visit(ANSWER_FAILED, None)

    async def _not_modified_later(
        self, target: str, request: Request, response: Response, sent: PageValidators
    ) -> Request | Response:
        read = deferToThread(self.store.evidence, sent.evidence_sha256)
        evidence: tuple[str, bytes] | None = await maybe_deferred_to_future(read)
        return self._not_modified(target, request, response, sent, evidence)

    def _not_modified(
        self,
        target: str,
        request: Request,
        response: Response,
        sent: PageValidators | None,
        evidence: tuple[str, bytes] | None,
    ) -> Request | Response:
        if evidence is None:
            if request.meta.get(UNCONDITIONAL_META):
                log.warning("%s: 304 Not Modified to a request without validators: %s", target, request.url)
                return response
            # The page this 304 refers to is gone (retention), or nothing was asked: ask plainly, once.
            log.info("%s: 304 Not Modified but no stored page; asking again without validators", target)
            self.visits[target] = _Visit(ANSWER_EVIDENCE_MISSING, None)
            self._inc("evidence_missing")
            retry = request.replace(dont_filter=True)
            _without_validators(retry)
            retry.meta[UNCONDITIONAL_META] = True
            return retry
        assert sent is not None
        content_type, body = evidence
        # A 304 may carry fresher validators for the same page.
        kept = PageValidators(
            target,
            sent.url,
            etag_of(response) or sent.etag,
            last_modified_of(response) or sent.last_modified,
            sent.evidence_sha256,
        )
        self.visits[target] = _Visit(ANSWER_NOT_MODIFIED, kept)
        self._inc("not_modified")
        self._inc("evidence_bytes", len(body))
        request.meta[NOT_MODIFIED_META] = True
        return rebuild(request, response, content_type, body)

    def _validators_of(self, target: str, response: Response) -> PageValidators | None:
        etag, last_modified = etag_of(response), last_modified_of(response)
        if etag is None and last_modified is None:
            return None
        sha = hashlib.sha256(response.body).hexdigest()  # the evidence the spider stores for this page
        return PageValidators(target, response.url, etag, last_modified, sha)

    # -- signals -----------------------------------------------------------------------------------

    def observation_recorded(self, observation: Observation, **_: Any) -> None:
        """A listing observation of a visited page is stored: its validators may be kept."""
        visit = self.visits.get(observation.target_id)
        if visit is not None and observation.status in READ_STATUSES:
            visit.recorded = True

    def spider_closed(self, spider: Any = None, reason: str | None = None) -> None:
        """Write how every page answered, and the validators of pages stored as evidence."""
        try:
            answers = [
                PageAnswer(target, visit.answer, visit.validators if visit.recorded else None)
                for target, visit in sorted(self.visits.items())
            ]
            if answers:
                kept = self.store.record_answers(answers)
                if self.stats is not None:
                    self.stats.set_value(f"{STATS_PREFIX}/validators_kept", kept)
        finally:
            if self._store is not None:
                self._store.close()

    def _inc(self, key: str, count: int = 1) -> None:
        if self.stats is not None:
            self.stats.inc_value(f"{STATS_PREFIX}/{key}", count)


class NotModifiedAutoThrottle(AutoThrottle):
    """AutoThrottle that lets a 304 Not Modified lower the delay, as a 200 does.

    Scrapy's keeps the delay when an answer other than 200 would lower it (error pages are quick
    and would speed the crawl up against a failing site). A 304 is a healthy answer whose latency
    (measured to the headers, like a 200's) says how busy the site is; without this, a crawl of
    unchanged pages would stay at AUTOTHROTTLE_START_DELAY between requests.
    """

    def _adjust_delay(self, slot: Slot, latency: float, response: Response) -> None:
        if response.status == 304:
            response = response.replace(status=200)
        super()._adjust_delay(slot, latency, response)


def _reactor_running() -> bool:
    from twisted.internet import reactor

    return bool(getattr(reactor, "running", False))


def _target(request: Request) -> str | None:
    """The watch target a listing page request is for; None for price endpoints and other requests."""
    target = request.meta.get(TARGET_META)
    if not isinstance(target, str) or PAGE_META in request.meta:
        return None
    return target


def _crawl_config(crawler: Crawler) -> LoadedConfig | None:
    """The spider's config when it has one (the `watch` spider does), else the one the settings name."""
    config = getattr(crawler.spider, "oneprice_config", None)
    if isinstance(config, LoadedConfig):
        return config
    return find_config(None, crawler.settings)
