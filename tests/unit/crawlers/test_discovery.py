"""Discovery: search pages -> listings and sellers -> watch targets; page health and backoff per target."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import requests
from scrapy.http import HtmlResponse, Request

from crawlers.discovery import (
    SEARCH_SHAPES,
    TAOBAO_SEARCH,
    point_price,
    queries,
    read_search_page,
    search_page_blocked,
    search_shapes,
    search_url,
)
from crawlers.runner import DiscoverySummary
from crawlers.spiders.discover import DiscoveredItem, DiscoverSpider
from crawlers.spiders.watch import WatchSpider
from oneprice.settings.loader import LoadedConfig, load_config
from oneprice.storage import Database
from oneprice.storage.targets import Found, TargetRepository, backoff, discovered_id
from sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[3]
DEMO = load_config(ROOT / "config" / "demo.yaml")


@pytest.fixture(scope="module")
def sandbox_url() -> Iterator[str]:
    with Sandbox.from_config(DEMO).running(port=0) as url:
        yield url


def test_search_pages_list_hidden_listings_and_page_on(sandbox_url: str) -> None:
    url = search_url(f"{sandbox_url}/shop/taobao/search?q={{query}}", "山屿")
    first, nxt = read_search_page(requests.get(url, timeout=10).content, url, TAOBAO_SEARCH)
    assert len(first) == 4 and nxt is not None and "page=2" in nxt
    second, last = read_search_page(requests.get(nxt, timeout=10).content, nxt, TAOBAO_SEARCH)
    assert last is None
    sellers = {r.seller_name for r in first + second}
    assert "山屿户外清仓特卖" in sellers  # only search finds it
    assert all(r.url.startswith(f"{sandbox_url}/shop/taobao/item/") for r in first + second)
    assert all(r.title and "山屿" in r.title for r in first + second)


def test_jd_search_pages_are_read_in_jds_shape_and_paged_in_half_pages(sandbox_url: str) -> None:
    url = search_url(f"{sandbox_url}/shop/jd/search?q={{query}}", "山屿")
    body = requests.get(url, timeout=10).content
    assert b"J_goodsList" in body and b"m-itemlist" not in body
    assert read_search_page(body, url, TAOBAO_SEARCH) == ([], None)  # only JD's own shape reads it
    seen, pages = [], 0
    nxt: str | None = url
    while nxt is not None and pages < 10:
        found, nxt = read_search_page(requests.get(nxt, timeout=10).content, nxt, search_shapes("jd"))
        seen += found
        pages += 1
        assert nxt is None or f"page={2 * pages + 1}" in nxt  # JD's script pager: page=3, 5, ...
    assert pages >= 2 and nxt is None
    assert "峰行户外专营店" in {r.seller_name for r in seen}  # only search finds it
    assert all(r.url.startswith(f"{sandbox_url}/shop/jd/item/") for r in seen)
    assert len({r.url for r in seen}) == len(seen)
    assert all(r.title and "山屿" in r.title for r in seen)
    assert any("<script>" in (r.title or "") for r in seen)  # a hostile title comes back as text
    assert {r.url.rsplit("/", 1)[1]: r.price for r in seen}["fengxing-runners"] == Decimal("659.00")


@pytest.mark.parametrize("platform", [*SEARCH_SHAPES, "website"])
def test_sandbox_search_pages_are_read_through_every_platforms_shapes(sandbox_url: str, platform: str) -> None:
    url = search_url(f"{sandbox_url}/shop/taobao/search?q={{query}}", "山屿")
    body = requests.get(url, timeout=10).content
    assert read_search_page(body, url, search_shapes(platform)) == read_search_page(body, url, TAOBAO_SEARCH)
    assert read_search_page(body, url, search_shapes(platform))[0]


def test_search_results_skip_script_links_and_survive_junk() -> None:
    html = (
        "<div class='m-itemlist'><div class='items'>"
        "<div class='item'><div class='row title'><a href='javascript:alert(1)'>x</a></div></div>"
        "<div class='item'><div class='row title'><a href='/i/1'>好 <b>货</b></a></div>"
        "<div class='price'><strong>¥1,299.00</strong></div><div class='shop'><a class='shopname'>店</a></div></div>"
        "</div></div>"
    )
    found, nxt = read_search_page(html, "https://s.example/search?q=x", TAOBAO_SEARCH)
    assert [(r.url, r.title, r.seller_name, str(r.price)) for r in found] == [
        ("https://s.example/i/1", "好 货", "店", "1299.00")
    ]
    assert nxt is None
    assert read_search_page(b"\x00\xff", "https://s.example/", TAOBAO_SEARCH) == ([], None)


def test_a_link_no_address_can_be_made_of_is_left_out_and_the_other_results_kept() -> None:
    html = (
        "<div class='m-itemlist'><div class='items'>"
        "<div class='item'><div class='row title'><a href='http://[x/i/9'>坏 链接</a></div>"
        "<div class='price'><strong>¥9.00</strong></div></div>"
        "<div class='item'><div class='row title'><a href='/i/1'>好 货</a></div>"
        "<div class='price'><strong>¥1,299.00</strong></div><div class='shop'><a class='shopname'>店</a></div></div>"
        "</div></div>"
    )
    found, _ = read_search_page(html, "https://s.example/search?q=x", TAOBAO_SEARCH)
    assert [(r.url, str(r.price)) for r in found] == [("https://s.example/i/1", "1299.00")]


@pytest.mark.parametrize(
    "text", ["-3", "¥-3.00", "-¥3.00", "¥ -3.00", "US $-29.99", "−3", "－3", "–$3.00", "¥-0.01", "Sale -$29.99"]
)
def test_a_negative_shown_price_is_no_price(text: str) -> None:
    assert point_price(text) is None


@pytest.mark.parametrize("text", ["$45.00+", "£19.20+ ", "US $1,299.00+"])
def test_a_plus_after_the_amount_is_a_from_price_not_one_price(text: str) -> None:
    """Etsy's "$45.00+" is the cheapest of variations priced apart, as on its listing page."""
    assert point_price(text) is None


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("$45.00 + $3.50 shipping", Decimal("45.00")),  # a "+" that says more is no from price
        ("$129.99 -20%", Decimal("129.99")),  # a discount after the price
        ("Sale - $29.99", Decimal("29.99")),  # a dash between a label and the price
        ("¥3.00", Decimal("3.00")),
        ("3.00-", Decimal("3.00")),
    ],
)
def test_a_dash_that_is_no_minus_sign_leaves_the_price(text: str, amount: Decimal) -> None:
    assert point_price(text) == amount


def test_a_search_result_showing_a_negative_price_has_none() -> None:
    html = (
        "<div class='m-itemlist'><div class='items'>"
        "<div class='item'><div class='row title'><a href='/i/1'>货</a></div>"
        "<div class='price'><strong>¥-3.00</strong></div></div>"
        "</div></div>"
    )
    [found], _ = read_search_page(html, "https://s.example/search?q=x", TAOBAO_SEARCH)
    assert (found.url, found.price) == ("https://s.example/i/1", None)


def test_queries_are_keywords_then_one_name_per_product_family() -> None:
    got = queries(["山屿", " ", "山屿"], DEMO.catalog, product_names=True)
    assert got[0] == "山屿" and "山屿 岚峰 GORE-TEX 冲锋衣" in got and "山屿 踏云 中帮防水徒步鞋" in got
    assert len(got) == len(set(got))
    assert not any("曜石黑" in q for q in got)
    assert queries(["a"], DEMO.catalog, product_names=False) == ["a"]


def test_discover_spider_follows_pages_and_identifies_sellers(sandbox_url: str) -> None:
    spider = DiscoverSpider(config=DEMO)
    spider.settings_ = spider.settings_.model_copy(
        update={"search": {"taobao": f"{sandbox_url}/shop/taobao/search?q={{query}}"}, "max_pages": 2}
    )
    [start] = list(spider.start_requests())
    body = requests.get(start.url, timeout=10).content
    out = list(spider.parse(HtmlResponse(start.url, body=body, request=start, encoding="utf-8")))
    items = [o for o in out if isinstance(o, DiscoveredItem)]
    follow = [o for o in out if isinstance(o, Request)]
    assert len(items) == 4 and len(follow) == 1
    known = {i.seller_name: i.reseller_id for i in items}
    assert known["云端登山用品"] == "yunduan"
    page2 = requests.get(follow[0].url, timeout=10).content
    last = list(spider.parse(HtmlResponse(follow[0].url, body=page2, request=follow[0], encoding="utf-8")))
    assert not [o for o in last if isinstance(o, Request)]  # max_pages reached


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database.open(f"sqlite:///{tmp_path / 't.db'}")
    yield database
    database.dispose()


def test_new_listings_become_targets_once_and_unknown_sellers_are_counted(db: Database) -> None:
    repo = TargetRepository(db)
    found = [
        Found("taobao", "https://item.example/1", "山屿 冲锋衣", "清仓店", None),
        Found("taobao", "https://item.example/2", "山屿 羽绒服", "清仓店", None),
        Found("taobao", "https://item.example/3", "山屿 背包", "崂山户外装备", "laoshan"),
    ]
    assert repo.add_discovered(found) == (3, 1)
    assert repo.add_discovered(found[:1]) == (0, 0)
    targets = repo.discovered()
    assert {(t.id, t.url) for t in targets} == {(discovered_id("taobao", f.url), f.url) for f in found}
    [unknown] = repo.sellers()
    assert (unknown.name, unknown.listings, unknown.reseller_id) == ("清仓店", 3, None)
    assert len(repo.sellers(unknown_only=False)) == 2


def test_failing_visits_back_a_target_off_and_a_good_one_resets_it(db: Database) -> None:
    repo = TargetRepository(db)
    repo.add_discovered([Found("jd", "https://item.example/9", None, None, None)])
    target = discovered_id("jd", "https://item.example/9")
    now = datetime(2026, 1, 1, tzinfo=UTC)
    repo.record_visit(target, "blocked", "captcha", now)
    repo.record_visit(target, "http_error", "http_503", now)
    assert repo.backed_off([target], now) == {target}
    assert repo.backed_off([target], now + backoff(2) + timedelta(seconds=1)) == set()
    [health] = repo.health()
    assert (health.failures, health.last_reason) == (2, "http_503")
    repo.record_visit(target, "no_price", "sold_out", now)  # the page answered: not a failure
    assert repo.backed_off([target], now) == set() and repo.health()[0].failures == 0
    assert repo.visited_within({target: 3600}, now + timedelta(minutes=30)) == {target}
    assert repo.visited_within({target: 3600}, now + timedelta(hours=2)) == set()


@pytest.mark.parametrize(("failures", "hours"), [(1, 1), (2, 2), (3, 4), (6, 32), (20, 48)])
def test_backoff_doubles_up_to_two_days(failures: int, hours: int) -> None:
    assert backoff(failures) == timedelta(hours=hours)


def test_watch_spider_adds_discovered_targets_and_skips_backed_off_ones(
    tmp_path: Path, make_config: Callable[..., Path]
) -> None:
    config: LoadedConfig = load_config(
        make_config(tmp_path, watch=[("a", "https://a.example/1", "taobao"), ("b", "https://b.example/1", "jd")])
    )
    db = Database.open(config.database_url())
    try:
        from oneprice.storage.catalog import CatalogRepository

        CatalogRepository(db).sync(config.catalog, (), (), config.settings.watch)
        repo = TargetRepository(db)
        repo.add_discovered([Found("pinduoduo", "https://p.example/1", None, "x", None)])
        repo.record_visit("b", "blocked", "captcha")
    finally:
        db.dispose()
    urls = {r.url for r in WatchSpider(config=config).start_requests()}
    assert urls == {"https://a.example/1", "https://p.example/1"}
    named = {r.url for r in WatchSpider(config=config, targets="b").start_requests()}
    assert named == {"https://b.example/1"}  # named on the command line: visited anyway


def test_a_search_page_that_shows_a_captcha_is_counted_as_blocked_not_as_no_results() -> None:
    captcha = (ROOT / "tests" / "fixtures" / "pages" / "taobao" / "captcha.html").read_bytes()
    url = "https://s.taobao.com/search?q=x"
    assert search_page_blocked(captcha, url) == "captcha"
    assert search_page_blocked(b"<html><body>sorry</body></html>", url, 503) == "http_503"
    empty = b"<html><head><title>x - search</title></head><body><div class='m-itemlist'></div></body></html>"
    assert search_page_blocked(empty, url) is None

    from scrapy.utils.test import get_crawler

    crawler = get_crawler(DiscoverSpider)
    spider = DiscoverSpider.from_crawler(crawler, config=DEMO)
    crawler.stats.open_spider()
    request = Request(url, meta={"oneprice_platform": "taobao", "oneprice_search_page": 1, "query": "山屿"})
    assert list(spider.parse(HtmlResponse(url, body=captcha, request=request))) == []
    blocked = HtmlResponse(url, status=503, body=b"<html><body>busy</body></html>", request=request)
    assert list(spider.parse(blocked)) == []
    assert crawler.stats.get_value("oneprice/discovery/blocked/taobao") == 2
    assert 503 in spider._fetch_meta("taobao")["handle_httpstatus_list"]


def test_the_discovery_summary_names_platforms_whose_search_was_not_shown() -> None:
    summary = DiscoverySummary(results=3, new_targets=1, new_unknown_sellers=0, pages=4, blocked={"jd": 2, "taobao": 1})
    assert summary.describe().endswith("search pages not shown (captcha, login or block): jd 2, taobao 1")
    assert "not shown" not in DiscoverySummary(results=0, new_targets=0, new_unknown_sellers=0, pages=1).describe()
