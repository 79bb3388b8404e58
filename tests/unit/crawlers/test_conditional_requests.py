"""Conditional requests: the downloader middleware on hand-made requests and responses, and its storage."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse, Request, Response
from scrapy.utils.test import get_crawler

from crawlers.conditional import (
    NOT_MODIFIED_FLAG,
    NOT_MODIFIED_META,
    SENT_META,
    UNCONDITIONAL_META,
    ConditionalRequestsMiddleware,
    NotModifiedAutoThrottle,
    etag_of,
    last_modified_of,
)
from crawlers.items import ListingItem
from crawlers.spiders.watch import PAGE_META, WatchSpider
from oneprice.domain.observation import Observation, ObservationStatus
from oneprice.settings.loader import LoadedConfig, load_config
from oneprice.storage import Database, ObservationRepository
from oneprice.storage.targets import (
    ANSWER_EVIDENCE_MISSING,
    ANSWER_FAILED,
    ANSWER_FULL,
    ANSWER_MODIFIED,
    ANSWER_NOT_MODIFIED,
    PageAnswer,
    PageValidators,
    TargetRepository,
)

URL = "https://shop.example.com/p/op12"
ETAG = '"abc123"'
DATE = "Wed, 25 Nov 2026 10:00:00 GMT"
T0 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


class FakeStore:
    """Validators and evidence in memory; remembers what was recorded and whether it was closed."""

    def __init__(
        self,
        validators: Mapping[str, PageValidators] | None = None,
        evidence: Mapping[str, tuple[str, bytes]] | None = None,
    ) -> None:
        self.validators = dict(validators or {})
        self.pages = dict(evidence or {})
        self.recorded: list[PageAnswer] = []
        self.closed = False
        self.evidence_reads = 0

    def page_validators(self) -> Mapping[str, PageValidators]:
        return self.validators

    def evidence(self, sha256: str) -> tuple[str, bytes] | None:
        self.evidence_reads += 1
        return self.pages.get(sha256)

    def record_answers(self, answers: Sequence[PageAnswer]) -> int:
        self.recorded.extend(answers)
        return sum(a.validators is not None for a in answers)

    def close(self) -> None:
        self.closed = True


class Stats:
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self.values[key] = self.values.get(key, start) + count

    def set_value(self, key: str, value: int) -> None:
        self.values[key] = value


def sha(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def target_request(url: str = URL, target: str = "shop-op12", meta: Mapping[str, Any] | None = None) -> Request:
    return Request(url, meta={"oneprice_target": target, "oneprice_platform": "website", **(meta or {})})


def answer(request: Request, status: int, body: bytes = b"", headers: Mapping[str, str] | None = None) -> Response:
    return HtmlResponse(request.url, status=status, body=body, headers=dict(headers or {}), request=request)


def observation(target: str, status: ObservationStatus = ObservationStatus.OK) -> Observation:
    return Observation(target_id=target, url=URL, platform="website", observed_at=T0, status=status)


@pytest.fixture
def page(read_page: Callable[[str], bytes]) -> bytes:
    return read_page("shop/jsonld_product.html")


@pytest.fixture
def known(page: bytes) -> PageValidators:
    return PageValidators("shop-op12", URL, ETAG, DATE, sha(page))


def middleware(store: FakeStore, stats: Stats | None = None) -> ConditionalRequestsMiddleware:
    return ConditionalRequestsMiddleware(lambda: store, stats=stats)  # type: ignore[arg-type]


# -- requests ----------------------------------------------------------------------------------------


def test_a_target_with_validators_is_asked_whether_its_page_changed(known: PageValidators) -> None:
    stats = Stats()
    mw = middleware(FakeStore({"shop-op12": known}), stats)
    request = target_request()
    mw.process_request(request)
    assert request.headers[b"If-None-Match"] == ETAG.encode()
    assert request.headers[b"If-Modified-Since"] == DATE.encode()
    assert request.meta[SENT_META] == known.evidence_sha256
    mw.process_request(request)  # a retried request is not counted twice
    assert stats.values["oneprice/conditional/sent"] == 1


def test_only_validators_that_exist_are_sent(known: PageValidators) -> None:
    only_date = PageValidators("shop-op12", URL, None, DATE, known.evidence_sha256)
    request = target_request()
    middleware(FakeStore({"shop-op12": only_date})).process_request(request)
    assert b"If-None-Match" not in request.headers and request.headers[b"If-Modified-Since"] == DATE.encode()


@pytest.mark.parametrize(
    "request_",
    [
        pytest.param(target_request(target="other"), id="another target"),
        pytest.param(target_request(url=URL + "?moved=1"), id="another URL (a redirect)"),
        pytest.param(target_request(meta={UNCONDITIONAL_META: True}), id="the retry without validators"),
    ],
)
def test_no_validators_where_they_do_not_belong(known: PageValidators, request_: Request) -> None:
    request = request_.copy()
    request.headers[b"If-None-Match"] = b'"left-over"'  # e.g. copied by a redirect
    request.meta[SENT_META] = known.evidence_sha256
    middleware(FakeStore({"shop-op12": known})).process_request(request)
    assert b"If-None-Match" not in request.headers and SENT_META not in request.meta


@pytest.mark.parametrize(
    "request_",
    [
        pytest.param(target_request(meta={PAGE_META: (URL, 200, b"", "text/html")}), id="a price endpoint"),
        pytest.param(Request(URL), id="not a watch target"),
    ],
)
def test_other_requests_and_answers_are_left_alone(known: PageValidators, request_: Request) -> None:
    store = FakeStore({"shop-op12": known})
    mw = middleware(store)
    request = request_.copy()
    mw.process_request(request)
    assert b"If-None-Match" not in request.headers
    not_modified = answer(request, 304)
    assert mw.process_response(request, not_modified) is not_modified
    assert mw.visits == {} and store.evidence_reads == 0


# -- 304 ---------------------------------------------------------------------------------------------


def test_not_modified_is_rebuilt_from_evidence(known: PageValidators, page: bytes) -> None:
    stats = Stats()
    store = FakeStore({"shop-op12": known}, {known.evidence_sha256: ("text/html; charset=utf-8", page)})
    mw = middleware(store, stats)
    request = target_request()
    mw.process_request(request)
    not_modified = answer(
        request, 304, headers={"ETag": '"abc124"', "Date": "Fri, 27 Nov 2026 12:00:00 GMT", "Content-Length": "0"}
    )
    rebuilt = mw.process_response(request, not_modified)
    assert isinstance(rebuilt, HtmlResponse)
    assert (rebuilt.status, rebuilt.body, rebuilt.url) == (200, page, URL)
    assert NOT_MODIFIED_FLAG in rebuilt.flags and rebuilt.meta[NOT_MODIFIED_META] is True
    assert rebuilt.headers[b"Content-Type"] == b"text/html; charset=utf-8"
    assert b"Content-Length" not in rebuilt.headers and rebuilt.headers[b"Date"]
    assert rebuilt.request is request
    assert stats.values["oneprice/conditional/not_modified"] == 1
    assert stats.values["oneprice/conditional/evidence_bytes"] == len(page)
    # The visit keeps the page's evidence and the fresher ETag the 304 carried.
    visit = mw.visits["shop-op12"]
    assert visit.answer == ANSWER_NOT_MODIFIED and visit.validators is not None
    assert (visit.validators.etag, visit.validators.last_modified) == ('"abc124"', DATE)
    assert visit.validators.evidence_sha256 == known.evidence_sha256


def test_the_spider_reads_a_rebuilt_page_as_it_read_the_original(
    config: LoadedConfig, known: PageValidators, page: bytes
) -> None:
    spider = WatchSpider(config=config)
    store = FakeStore({"shop-op12": known}, {known.evidence_sha256: ("text/html", page)})
    mw = middleware(store)
    first_request = target_request()
    [first] = list(spider.parse(answer(first_request, 200, page, {"Content-Type": "text/html", "ETag": ETAG})))
    request = target_request()
    mw.process_request(request)
    rebuilt = mw.process_response(request, answer(request, 304))
    assert isinstance(rebuilt, Response)
    [again] = list(spider.parse(rebuilt))
    assert isinstance(first, ListingItem) and isinstance(again, ListingItem)
    assert again.status is ObservationStatus.OK and again.price == first.price
    assert again.evidence == first.evidence == page
    same = ("price", "currency", "product_sku", "reseller_id", "seller_name", "method", "confidence", "title")
    assert {k: getattr(again, k) for k in same} == {k: getattr(first, k) for k in same}
    assert again.observed_at >= first.observed_at and again.visit != first.visit


def test_not_modified_without_evidence_is_asked_again_plainly_once(known: PageValidators) -> None:
    stats = Stats()
    mw = middleware(FakeStore({"shop-op12": known}), stats)  # the evidence page was pruned
    request = target_request()
    mw.process_request(request)
    retry = mw.process_response(request, answer(request, 304))
    assert isinstance(retry, Request) and retry.url == URL and retry.dont_filter
    assert b"If-None-Match" not in retry.headers and b"If-Modified-Since" not in retry.headers
    assert retry.meta[UNCONDITIONAL_META] is True and SENT_META not in retry.meta
    assert retry.meta["oneprice_target"] == "shop-op12"
    assert mw.visits["shop-op12"].answer == ANSWER_EVIDENCE_MISSING
    assert stats.values["oneprice/conditional/evidence_missing"] == 1
    mw.process_request(retry)
    assert b"If-None-Match" not in retry.headers  # the retry goes without validators
    # A server that answers 304 to a plain request gets no third try: the 304 goes on as it is.
    odd = answer(retry, 304)
    assert mw.process_response(retry, odd) is odd


def test_not_modified_to_a_request_without_validators_is_asked_again(known: PageValidators) -> None:
    mw = middleware(FakeStore())
    request = target_request()
    mw.process_request(request)
    retry = mw.process_response(request, answer(request, 304))
    assert isinstance(retry, Request) and retry.meta[UNCONDITIONAL_META] is True


# -- 200 and what is kept ----------------------------------------------------------------------------


def test_validators_are_kept_only_for_pages_stored_with_a_listing_observation(page: bytes) -> None:
    store = FakeStore()
    mw = middleware(store, Stats())
    for target in ("kept", "blocked", "unstored", "none"):
        request = target_request(url=f"{URL}/{target}", target=target)
        mw.process_request(request)
        headers = {"ETag": ETAG, "Last-Modified": DATE} if target != "none" else {}
        mw.process_response(request, answer(request, 200, page, headers))
    mw.observation_recorded(observation("kept"))
    mw.observation_recorded(observation("blocked", ObservationStatus.BLOCKED))
    mw.observation_recorded(observation("none"))
    mw.spider_closed()
    got = {a.target_id: a for a in store.recorded}
    assert got["kept"] == PageAnswer("kept", ANSWER_FULL, PageValidators("kept", f"{URL}/kept", ETAG, DATE, sha(page)))
    assert got["blocked"].validators is None and got["unstored"].validators is None
    assert got["none"] == PageAnswer("none", ANSWER_FULL, None)
    assert store.closed


def test_a_changed_page_replaces_the_validators(known: PageValidators, page: bytes) -> None:
    store = FakeStore({"shop-op12": known})
    mw = middleware(store)
    request = target_request()
    mw.process_request(request)
    changed = page.replace(b"1299", b"1199")
    mw.process_response(request, answer(request, 200, changed, {"ETag": '"new"'}))
    mw.observation_recorded(observation("shop-op12"))
    mw.spider_closed()
    [got] = store.recorded
    assert got == PageAnswer(
        "shop-op12", ANSWER_MODIFIED, PageValidators("shop-op12", URL, '"new"', None, sha(changed))
    )
    assert store.evidence_reads == 0


def test_failed_visits_are_noted_and_a_retry_that_works_wins(known: PageValidators, page: bytes) -> None:
    store = FakeStore({"shop-op12": known, "down": PageValidators("down", URL + "/down", ETAG, None, "x")})
    mw = middleware(store)
    request = target_request()
    mw.process_request(request)
    mw.process_response(request, answer(request, 500))
    assert mw.visits["shop-op12"].answer == ANSWER_FAILED
    mw.process_response(request, answer(request, 200, page, {"ETag": ETAG}))
    assert mw.visits["shop-op12"].answer == ANSWER_MODIFIED
    down = target_request(URL + "/down", target="down")
    mw.process_request(down)
    mw.process_exception(down, TimeoutError())
    assert mw.visits["down"].answer == ANSWER_FAILED


@pytest.mark.parametrize(
    ("headers", "etag", "last_modified"),
    [
        ({"ETag": '"a1"', "Last-Modified": DATE}, '"a1"', DATE),
        ({"ETag": 'W/"weak"'}, 'W/"weak"', None),
        ({"ETag": "unquoted"}, None, None),
        ({"ETag": '"' + "a" * 300 + '"'}, None, None),
        ({"ETag": '"a"b"'}, None, None),
        ({"ETag": '"caf\u00e9"'}, None, None),
        ({"Last-Modified": "yesterday"}, None, None),
        ({"Last-Modified": "Wed, 25 Nov 2026 10:00:00 GMT" + " " * 60}, None, None),
    ],
)
def test_hostile_validators_are_ignored(headers: dict[str, str], etag: str | None, last_modified: str | None) -> None:
    response = answer(target_request(), 200, b"<html></html>", headers)
    assert (etag_of(response), last_modified_of(response)) == (etag, last_modified)


# -- wiring ------------------------------------------------------------------------------------------


def crawler_for(config: LoadedConfig) -> Crawler:
    crawler = get_crawler(WatchSpider, {"AUTOTHROTTLE_ENABLED": True})
    crawler.spider = WatchSpider(config=config)
    return crawler


@pytest.mark.parametrize(
    ("crawl", "why"),
    [("conditional_requests: false", "conditional_requests"), ("keep_evidence: false", "keep_evidence")],
)
def test_the_settings_turn_it_off(tmp_path: Path, make_config: Callable[..., Path], crawl: str, why: str) -> None:
    config = load_config(make_config(tmp_path, watch=[("a", URL, "website")], crawl=crawl))
    with pytest.raises(NotConfigured, match=why):
        ConditionalRequestsMiddleware.from_crawler(crawler_for(config))


def test_it_is_on_by_default_and_opens_the_database_only_when_needed(config: LoadedConfig) -> None:
    assert config.settings.crawl.conditional_requests is True
    mw = ConditionalRequestsMiddleware.from_crawler(crawler_for(config))
    mw.process_request(Request(URL))  # not a watch target: no database
    assert mw._store is None
    mw.process_request(target_request())
    assert mw._store is not None
    mw.spider_closed()


def test_the_project_settings_enable_the_middleware_and_the_throttle() -> None:
    from crawlers import settings

    assert settings.DOWNLOADER_MIDDLEWARES["crawlers.conditional.ConditionalRequestsMiddleware"] == 560
    assert settings.EXTENSIONS["crawlers.conditional.NotModifiedAutoThrottle"] == 0
    assert settings.EXTENSIONS["scrapy.extensions.throttle.AutoThrottle"] is None


def test_a_304_lowers_the_autothrottle_delay_like_a_200(config: LoadedConfig) -> None:
    class Slot:
        delay = 1.0

    throttle = NotModifiedAutoThrottle(crawler_for(config))
    throttle.mindelay, throttle.maxdelay = 0.0, 60.0
    for status, expected in ((304, 0.505), (500, 1.0)):
        slot = Slot()
        throttle._adjust_delay(slot, 0.01, answer(target_request(), status))  # type: ignore[arg-type]
        assert slot.delay == pytest.approx(expected)


# -- storage -----------------------------------------------------------------------------------------


@pytest.fixture
def db(tmp_path: Path) -> Any:
    database = Database.open(f"sqlite:///{tmp_path / 'c.db'}")
    yield database
    database.dispose()


def stored_page(db: Database, body: bytes) -> str:
    ObservationRepository(db).add(observation("shop-op12"), body)
    return sha(body)


def test_record_answers_keeps_validators_of_stored_pages_only(db: Database, page: bytes) -> None:
    repo = TargetRepository(db)
    stored = stored_page(db, page)
    kept = repo.record_answers(
        [
            PageAnswer("a", ANSWER_FULL, PageValidators("a", URL, ETAG, DATE, stored)),
            PageAnswer("b", ANSWER_FULL, PageValidators("b", URL, ETAG, None, "0" * 64)),  # no such page
            PageAnswer("c", ANSWER_FULL, None),
        ],
        now=T0,
    )
    assert kept == 1
    assert repo.page_validators() == {"a": PageValidators("a", URL, ETAG, DATE, stored)}
    with pytest.raises(ValueError, match="unknown page answer"):
        repo.record_answers([PageAnswer("a", "maybe")])


def test_answers_over_visits(db: Database, page: bytes) -> None:
    repo = TargetRepository(db)
    stored = stored_page(db, page)
    v = PageValidators("a", URL, ETAG, DATE, stored)
    repo.record_answers([PageAnswer("a", ANSWER_FULL, v), PageAnswer("b", ANSWER_FULL, v)], now=T0)
    repo.record_answers([PageAnswer("a", ANSWER_NOT_MODIFIED, v), PageAnswer("b", ANSWER_NOT_MODIFIED, v)], now=T0)
    repo.record_answers([PageAnswer("a", ANSWER_NOT_MODIFIED, v), PageAnswer("b", ANSWER_FAILED)], now=T0)
    health = repo.conditional_health()
    assert (health.with_validators, health.not_modified_last_visit, health.not_modified_total) == (2, 1, 3)
    assert set(repo.page_validators()) == {"a", "b"}  # a failed visit leaves the validators alone
    repo.record_answers([PageAnswer("b", ANSWER_MODIFIED, None)], now=T0)  # a changed page without any
    assert set(repo.page_validators()) == {"a"}
    assert repo.conditional_health(["b"]).with_validators == 0
    repo.record_answers([PageAnswer("a", ANSWER_EVIDENCE_MISSING, None)], now=T0)
    assert repo.page_validators() == {}
