"""The watch spider's requests and callbacks, called directly on saved responses (no reactor)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Request, Response
from scrapy.settings import Settings
from twisted.internet.error import ConnectionRefusedError, DNSLookupError, TimeoutError
from twisted.python.failure import Failure

from crawlers.items import ListingItem
from crawlers.spiders.watch import RECORDED_STATUSES, WatchSpider, failure_reason, listing_targets
from oneprice.domain.observation import ObservationStatus
from oneprice.errors import UserError
from oneprice.settings.loader import LoadedConfig


def response_for(
    request: Request, body: bytes, *, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return HtmlResponse(
        request.url,
        status=status,
        body=body,
        headers=headers or {"Content-Type": "text/html"},
        request=request,
    )


def requests_by_target(spider: WatchSpider) -> dict[str, Request]:
    return {r.meta["oneprice_target"]: r for r in spider.start_requests()}


def parse_one(spider: WatchSpider, response: Response) -> ListingItem:
    items = list(spider.parse(response))
    assert len(items) == 1
    return items[0]


def test_requests_carry_target_platform_and_recorded_statuses(config: LoadedConfig) -> None:
    requests = requests_by_target(WatchSpider(config=config))
    assert set(requests) == {"shop-op12", "tb-opods", "tm-op12"}
    tb = requests["tb-opods"]
    assert tb.url == "https://item.taobao.com/item.htm?id=1"
    assert tb.meta["oneprice_platform"] == "taobao"
    assert {403, 404, 429, 503} <= set(tb.meta["handle_httpstatus_list"]) == set(RECORDED_STATUSES)
    assert 301 not in tb.meta["handle_httpstatus_list"]
    assert tb.dont_filter and tb.errback is not None


def test_targets_argument_limits_the_crawl(config: LoadedConfig) -> None:
    spider = WatchSpider(config=config, targets="tb-opods, tm-op12")
    assert set(requests_by_target(spider)) == {"tb-opods", "tm-op12"}
    with pytest.raises(UserError, match="unknown listing watch target"):
        listing_targets(config, ["nope"])


def test_matched_listing_is_ok_with_product_and_reseller(
    config: LoadedConfig, read_page: Callable[[str], bytes]
) -> None:
    spider = WatchSpider(config=config)
    request = requests_by_target(spider)["shop-op12"]
    item = parse_one(spider, response_for(request, read_page("shop/jsonld_product.html")))
    assert item.status is ObservationStatus.OK
    assert (item.price, item.currency) == (Decimal("1299.00"), "CNY")
    assert (item.product_sku, item.reseller_id, item.seller_name) == (
        "OP12-128-SLV",
        "xingchen",
        "星辰数码专营店",
    )
    assert (item.listing_sku, item.listing_gtin, item.method) == ("OP12-128-SLV", "6901234567892", "json-ld")
    assert item.confidence == Decimal("0.95")  # json-ld 0.95 x GTIN 1.00
    assert item.evidence == read_page("shop/jsonld_product.html")
    assert item.observed_at.tzinfo is not None
    obs = item.to_observation()
    assert obs.target_id == "shop-op12" and obs.platform == "website" and obs.price is not None


def test_gbk_page_is_decoded_by_its_charset(config: LoadedConfig, read_page: Callable[[str], bytes]) -> None:
    spider = WatchSpider(config=config)
    request = requests_by_target(spider)["tb-opods"]
    body = read_page("taobao/gbk_listing.html")
    for headers in ({"Content-Type": "text/html; charset=GBK"}, {"Content-Type": "text/html"}):
        item = parse_one(spider, response_for(request, body, headers=headers))
        assert item.title == "OnePods Pro 无线蓝牙耳机 降噪 正品行货"
        assert item.seller_name == "蓝海数码专营店" and item.reseller_id == "lanhai"
        # A price but no identifier on the page: the title suggests a product, a person decides.
        assert item.status is ObservationStatus.REVIEW and item.reason and "colour" not in item.reason
        assert (item.price, item.currency) == (Decimal("799.00"), "CNY")
        assert (item.product_sku, item.match_method) == ("OPODS-PRO-WHT", "title")


def test_captcha_page_is_blocked_without_price(config: LoadedConfig, read_page: Callable[[str], bytes]) -> None:
    spider = WatchSpider(config=config)
    request = requests_by_target(spider)["tb-opods"]
    item = parse_one(spider, response_for(request, read_page("taobao/captcha.html")))
    assert (item.status, item.reason, item.price, item.currency) == (
        ObservationStatus.BLOCKED,
        "captcha",
        None,
        None,
    )
    assert item.evidence  # the captcha page is evidence of the block


@pytest.mark.parametrize(
    ("status", "expected", "reason"),
    [
        (403, ObservationStatus.BLOCKED, "http_403"),
        (429, ObservationStatus.BLOCKED, "http_429"),
        (503, ObservationStatus.BLOCKED, "http_503"),
        (404, ObservationStatus.HTTP_ERROR, "http_404"),
        (500, ObservationStatus.HTTP_ERROR, "http_500"),
    ],
)
def test_error_statuses_are_recorded(
    config: LoadedConfig,
    read_page: Callable[[str], bytes],
    status: int,
    expected: ObservationStatus,
    reason: str,
) -> None:
    spider = WatchSpider(config=config)
    request = requests_by_target(spider)["shop-op12"]
    item = parse_one(spider, response_for(request, read_page("shop/jsonld_product.html"), status=status))
    assert (item.status, item.reason, item.price) == (expected, reason, None)


def test_sold_out_page_has_no_price(config: LoadedConfig, read_page: Callable[[str], bytes]) -> None:
    spider = WatchSpider(config=config)
    request = requests_by_target(spider)["shop-op12"]
    item = parse_one(spider, response_for(request, read_page("jd/sold_out.html")))
    assert (item.status, item.reason, item.price) == (ObservationStatus.NO_PRICE, "sold_out", None)


def test_price_in_another_currency_than_the_product_is_not_compared(
    config: LoadedConfig, read_page: Callable[[str], bytes]
) -> None:
    spider = WatchSpider(config=config)
    request = requests_by_target(spider)["shop-op12"]
    body = read_page("shop/jsonld_product.html").replace(b'"CNY"', b'"EUR"')
    item = parse_one(spider, response_for(request, body))
    assert item.status is ObservationStatus.UNMATCHED
    assert item.reason == "currency_mismatch:EUR" and item.product_sku == "OP12-128-SLV"


def test_a_page_on_a_resellers_own_site_is_theirs(config: LoadedConfig, read_page: Callable[[str], bytes]) -> None:
    from oneprice.domain.catalog import Reseller

    store = Reseller(id="onestore", name="One Store", authorized=False, sites=("shop.example.com",))
    settings = config.settings.model_copy(update={"resellers": (*config.settings.resellers, store)})
    spider = WatchSpider(config=dataclasses.replace(config, settings=settings))
    request = requests_by_target(spider)["shop-op12"]  # https://shop.example.com/p/op12
    item = parse_one(spider, response_for(request, read_page("shop/aggregate_offer.html")))
    assert (item.seller_name, item.reseller_id) == (None, "onestore")  # the page names no seller
    named = parse_one(spider, response_for(request, read_page("shop/jsonld_product.html")))
    assert (named.seller_name, named.reseller_id) == ("星辰数码专营店", "xingchen")  # a known name wins


@pytest.mark.parametrize(
    ("amount", "status", "reason"),
    [
        ("259.80", ObservationStatus.OK, None),  # 20% of 1299.00: a deep cut, still a price
        ("259.79", ObservationStatus.NO_PRICE, "implausible_price"),  # a deposit, an accessory, fen as yuan
        ("12.99", ObservationStatus.NO_PRICE, "implausible_price"),
    ],
)
def test_a_price_far_below_the_unified_price_is_taken_for_a_misreading(
    config: LoadedConfig, read_page: Callable[[str], bytes], amount: str, status: ObservationStatus, reason: str | None
) -> None:
    spider = WatchSpider(config=config)
    request = requests_by_target(spider)["shop-op12"]
    body = read_page("shop/jsonld_product.html").replace(b'"price": 1299.00', f'"price": {amount}'.encode())
    item = parse_one(spider, response_for(request, body))
    assert (item.status, item.reason, item.product_sku) == (status, reason, "OP12-128-SLV")
    assert item.price == (Decimal(amount) if status is ObservationStatus.OK else None)
    assert item.raw_price is not None and amount in item.raw_price  # what was read stays with the observation


def test_the_misreading_share_can_be_turned_off(config: LoadedConfig, read_page: Callable[[str], bytes]) -> None:
    crawl = config.settings.crawl
    matching = crawl.matching.model_copy(update={"min_price_share": Decimal(0)})
    settings = config.settings.model_copy(update={"crawl": crawl.model_copy(update={"matching": matching})})
    spider = WatchSpider(config=dataclasses.replace(config, settings=settings))
    request = requests_by_target(spider)["shop-op12"]
    body = read_page("shop/jsonld_product.html").replace(b'"price": 1299.00', b'"price": 12.99')
    item = parse_one(spider, response_for(request, body))
    assert (item.status, item.price) == (ObservationStatus.OK, Decimal("12.99"))


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (TimeoutError(), "timeout"),
        (DNSLookupError(), "dns_error"),
        (ConnectionRefusedError(), "connection_refused"),
        (IgnoreRequest("Forbidden by robots.txt"), "robots_txt"),
        (RuntimeError("odd"), "network_error"),
    ],
)
def test_errback_records_an_http_error(config: LoadedConfig, error: Exception, reason: str) -> None:
    spider = WatchSpider(config=config)
    request = requests_by_target(spider)["tm-op12"]
    failure = Failure(error)
    failure.request = request  # type: ignore[attr-defined]
    assert failure_reason(failure) == reason
    (item,) = list(spider.on_error(failure))
    assert (item.target_id, item.platform, item.status, item.reason) == (
        "tm-op12",
        "tmall",
        ObservationStatus.HTTP_ERROR,
        reason,
    )
    assert item.price is None and item.url == request.url


def test_from_crawler_loads_the_config_named_by_argument_or_setting(
    tmp_path: Path, make_config: Callable[..., Path]
) -> None:
    path = make_config(
        tmp_path, watch=[("a", "https://a.example/p", "website")], crawl="user_agent: probe/1\nretries: 0"
    )
    crawler = Crawler(WatchSpider, Settings({"USER_AGENT": "project/1"}, priority="project"))
    spider = WatchSpider.from_crawler(crawler, config=str(path))
    assert spider.oneprice_config is not None and spider.oneprice_config.path == path.resolve()
    assert crawler.settings["USER_AGENT"] == "probe/1"  # the config beats crawlers/settings.py
    assert crawler.settings.getint("RETRY_TIMES") == 0

    crawler = Crawler(WatchSpider, Settings({"ONEPRICE_CONFIG": str(path)}))
    crawler.settings.set("USER_AGENT", "cli/2", priority="cmdline")
    spider = WatchSpider.from_crawler(crawler)
    assert [t.id for t in listing_targets(spider.oneprice_config)] == ["a"]  # type: ignore[arg-type]
    assert crawler.settings["USER_AGENT"] == "cli/2"  # the command line beats the config


def test_from_crawler_without_any_config_says_how_to_give_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ONEPRICE_CONFIG", raising=False)
    monkeypatch.setattr("crawlers.config._PROJECT_ROOT", tmp_path)
    with pytest.raises(UserError, match="-a config=PATH"):
        WatchSpider.from_crawler(Crawler(WatchSpider))
