"""The price a search result showed reaches storage: the `discover` spider names the search page's currency
(the site's, else the platform's, else none) and `DiscoveryPipeline` keeps both on the watch target."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawlers.pipelines import DiscoveryPipeline, found
from crawlers.spiders.discover import DiscoveredItem, DiscoverSpider, search_currency
from oneprice.settings.loader import load_config
from oneprice.storage import Database
from oneprice.storage.targets import Found, TargetRepository

ROOT = Path(__file__).resolve().parents[3]

PAGE = """<html><head><meta charset="utf-8"></head><body>
<div class="m-itemlist"><div class="items">
  <div class="item"><div class="row title"><a href="/item.htm?id=1">山屿 不锈钢保温壶 750ml</a></div>
    <div class="price"><strong>¥89.00 月销1000+</strong></div>
    <div class="shop"><span class="shopname">云杉户外</span></div></div>
  <div class="item"><div class="row title"><a href="/item.htm?id=2">山屿 逐风 越野跑鞋</a></div>
    <div class="price"><strong>¥399-459</strong></div>
    <div class="shop"><span class="shopname">云杉户外</span></div></div>
</div></div></body></html>"""


@pytest.mark.parametrize(
    ("platform", "page", "currency"),
    [
        ("taobao", "https://s.taobao.com/search?q=x", "CNY"),
        ("jd", "http://127.0.0.1:8700/shop/jd/search?q=x", "CNY"),  # a platform that sells in CNY only
        ("amazon", "https://www.amazon.co.uk/s?k=x", "GBP"),  # the site says
        ("amazon", "https://www.amazon.de/s?k=x", "EUR"),
        ("website", "https://lista.mercadolivre.com.br/x", "BRL"),
        ("website", "https://shop.example.se/search?q=x", "SEK"),  # the country's domain, as the crawl reads it
        ("taobao", "https://www.amazon.com/s?k=x", "USD"),  # the page's site before the platform
        ("amazon", "http://127.0.0.1:8700/s?k=x", None),  # amazon sells in many: not guessed
        ("shopify", "https://summit-gear.example/search?q=x", None),  # a store's own site: not guessed
        ("website", "https://www.highpass-sports.example/catalogsearch/result/?q=x", None),
    ],
)
def test_search_currency(platform: str, page: str, currency: str | None) -> None:
    assert search_currency(platform, page) == currency


def _parse(platform: str, template: str) -> list[DiscoveredItem]:
    spider = DiscoverSpider(config=load_config(ROOT / "config" / "demo.yaml"))
    spider.settings_ = spider.settings_.model_copy(update={"search": {platform: template}, "max_pages": 1})
    start = next(iter(spider.start_requests()))
    response = HtmlResponse(start.url, body=PAGE.encode("utf-8"), request=start)
    return [o for o in spider.parse(response) if isinstance(o, DiscoveredItem)]


def test_each_priced_listing_carries_the_currency_of_its_search_page() -> None:
    items = _parse("taobao", "https://s.example.com/search?q={query}")
    assert [(i.price, i.currency) for i in items] == [(Decimal("89.00"), "CNY"), (None, None)]
    unknown = _parse("website", "https://s.example.com/search?q={query}")
    assert [(i.price, i.currency) for i in unknown] == [(Decimal("89.00"), None), (None, None)]


def _item(url: str, price: str | None, currency: str | None = "CNY", seller: str = "清仓店") -> DiscoveredItem:
    return DiscoveredItem(
        platform="taobao", url=url, query="山屿", title="山屿 冲锋衣", seller_name=seller,
        price=Decimal(price) if price is not None else None, currency=currency,
    )  # fmt: skip


def test_the_record_of_an_item_keeps_its_price_and_currency() -> None:
    assert found(_item("https://item.example/1", "89.00")) == Found(
        "taobao", "https://item.example/1", "山屿 冲锋衣", "清仓店", None, Decimal("89.00"), "CNY"
    )


def test_the_pipeline_stores_the_search_price_and_a_second_discovery_updates_it(
    tmp_path: Path, make_config: Callable[..., Path]
) -> None:
    path = make_config(tmp_path, database_url=f"sqlite:///{tmp_path / 'discover.db'}")
    url = "https://item.taobao.com/item.htm?id=1"

    def run(*items: DiscoveredItem) -> None:
        crawler = get_crawler(settings_dict={"ONEPRICE_CONFIG": str(path)})
        pipeline = DiscoveryPipeline.from_crawler(crawler)
        for item in items:
            assert pipeline.process_item(item) is item
        pipeline.close_spider()

    run(_item(url, "1099.00"), _item("https://item.taobao.com/item.htm?id=2", "99", currency=None))
    db = Database.open(load_config(path).database_url())
    try:
        repo = TargetRepository(db)
        first = {x.url: x for x in repo.discovered_listings()}
        assert (first[url].search_price, first[url].search_currency) == (Decimal("1099.00"), "CNY")
        other = first["https://item.taobao.com/item.htm?id=2"]
        assert (other.search_price, other.search_currency) == (Decimal("99"), None)  # amount kept, currency unknown
        seen = first[url].search_price_seen_at
        assert seen is not None and seen.tzinfo is not None and seen <= datetime.now(UTC)

        run(_item(url, "999.00"))
        again = {x.url: x for x in repo.discovered_listings()}
        assert (again[url].search_price, again[url].search_currency) == (Decimal("999.00"), "CNY")
        assert again[url].search_price_seen_at is not None and again[url].search_price_seen_at >= seen
        assert again[url].discovered_at == first[url].discovered_at
        assert len(again) == 2  # seen again: no new target
    finally:
        db.dispose()
