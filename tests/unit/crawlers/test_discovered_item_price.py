"""The `discover` spider passes on the one price a search result showed (`SearchResult.price`) with each
listing it yields; a range, a "from" price or no price at all gives none."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from scrapy.http import HtmlResponse

from crawlers.spiders.discover import DiscoveredItem, DiscoverSpider
from oneprice.settings.loader import load_config

ROOT = Path(__file__).resolve().parents[3]

PAGE = """<html><head><meta charset="utf-8"></head><body>
<div class="m-itemlist"><div class="items">
  <div class="item"><div class="row title"><a href="/item.htm?id=1">山屿 不锈钢保温壶 750ml</a></div>
    <div class="price"><strong>¥89.00 月销1000+</strong></div>
    <div class="shop"><span class="shopname">云杉户外</span></div></div>
  <div class="item"><div class="row title"><a href="/item.htm?id=2">山屿 逐风 越野跑鞋</a></div>
    <div class="price"><strong>¥399-459</strong></div>
    <div class="shop"><span class="shopname">云杉户外</span></div></div>
  <div class="item"><div class="row title"><a href="/item.htm?id=3">山屿 夜航 USB 充电头灯</a></div>
    <div class="shop"><span class="shopname">云杉户外</span></div></div>
</div></div></body></html>"""


def test_each_listing_found_carries_the_price_its_search_result_showed() -> None:
    """The search result's price had been read and dropped: every item said nothing of it."""
    spider = DiscoverSpider(config=load_config(ROOT / "config" / "demo.yaml"))
    spider.settings_ = spider.settings_.model_copy(
        update={"search": {"taobao": "https://s.example.com/search?q={query}"}, "max_pages": 1}
    )
    start = next(iter(spider.start_requests()))
    response = HtmlResponse(start.url, body=PAGE.encode("utf-8"), request=start)
    items = [o for o in spider.parse(response) if isinstance(o, DiscoveredItem)]
    assert [(i.url, i.price) for i in items] == [
        ("https://s.example.com/item.htm?id=1", Decimal("89.00")),
        ("https://s.example.com/item.htm?id=2", None),  # a range: the listing's own page tells its price
        ("https://s.example.com/item.htm?id=3", None),
    ]
