"""The `discover` spider: search each platform for the brand's keywords and products, record listings.

cd crawlers && scrapy crawl discover -a config=../config/demo.yaml

Every listing found becomes a watch target (the `watch` spider visits it from then on); every
seller found is recorded, and one the reseller list does not know is an unknown seller.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Self

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Request, Response

from crawlers.config import find_config, scrapy_overrides
from crawlers.discovery import (
    BLOCKING_STATUSES,
    queries,
    read_search_page,
    search_page_blocked,
    search_shapes,
    search_url,
)
from crawlers.pipelines import DISCOVERY_PREFIX
from crawlers.prices import site_currency
from crawlers.proxies import proxy_meta
from crawlers.render import render_meta
from crawlers.sellers import SellerDirectory
from oneprice.errors import UserError
from oneprice.settings.loader import LoadedConfig

PAGE_META = "oneprice_search_page"
PLATFORM_META = "oneprice_platform"


@dataclass
class DiscoveredItem:
    """One listing seen on a search page.

    `price` is the one price the search result showed (`SearchResult.price`: None for a range, a "from"
    price or an auction), an amount in the search page's `currency` (`search_currency`; None when it is
    not known), kept as a lead for the record; it is never an observation: the `watch` spider reads the
    listing's price from its own page.
    """

    platform: str
    url: str
    query: str
    title: str | None = None
    seller_name: str | None = None
    reseller_id: str | None = None
    price: Decimal | None = None
    currency: str | None = None


# Platforms that sell in one currency only: their search pages' prices are in it wherever the page is
# served from (a mirror, a proxy, the sandbox). Other platforms' currency is the site's or unknown.
PLATFORM_CURRENCIES = {
    platform: "CNY"
    for platform in ("taobao", "tmall", "jd", "pinduoduo", "youzan", "douyin", "1688", "vipshop", "weidian")
}


def search_currency(platform: str, page_url: str) -> str | None:
    """The currency a search page's prices are in: its site's (`crawlers.prices.site_currency`, as the
    crawl reads it), else the platform's when it sells in one only; None rather than a guess (the
    brand's currency would be one: the page's own currency signs are not kept with its prices).

    >>> search_currency("website", "https://www.amazon.co.uk/s?k=x"), search_currency("jd", "http://127.0.0.1/s")
    ('GBP', 'CNY')
    """
    return site_currency(page_url) or PLATFORM_CURRENCIES.get(platform)


class DiscoverSpider(scrapy.Spider):
    """Queries the configured search pages, follows result pages, yields one item per listing."""

    name = "discover"

    def __init__(self, config: str | LoadedConfig | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._config_argument = config if isinstance(config, str) else None
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
            crawler.settings.setdict(scrapy_overrides(spider.oneprice_config.settings.crawl), priority="spider")
        return spider

    def use_config(self, config: LoadedConfig) -> None:
        self.oneprice_config = config
        self.settings_ = config.settings.crawl.discovery
        self.sellers = SellerDirectory(config.settings.resellers)

    def start_requests(self) -> Iterator[Request]:
        assert self.oneprice_config is not None, "the spider has no config"
        if not self.settings_.search:
            raise UserError("no search pages configured: add crawl.discovery.search (platform: URL with {query})")
        words = queries(self.settings_.keywords, self.oneprice_config.catalog, self.settings_.product_names)
        for platform, template in self.settings_.search.items():
            for query in words:
                yield Request(
                    search_url(template, query),
                    callback=self.parse,
                    meta={PLATFORM_META: platform, PAGE_META: 1, "query": query, **self._fetch_meta(platform)},
                )

    def _fetch_meta(self, platform: str) -> dict[str, Any]:
        """Request meta for the platform's search pages: drawn by a browser (`crawl.render`) or not,
        through the platform's proxy (`crawl.proxies`) or not; block answers reach `parse`."""
        assert self.oneprice_config is not None
        crawl = self.oneprice_config.settings.crawl
        drawn = crawl.render.renders(platform)
        return {
            **(render_meta(crawl.render) if drawn else {}),
            **proxy_meta(crawl.proxy_for(platform), rendered=drawn),
            "handle_httpstatus_list": list(BLOCKING_STATUSES),  # read as blocked, not dropped
        }

    async def start(self) -> AsyncIterator[Request]:
        for request in self.start_requests():
            yield request

    def parse(self, response: Response, **kwargs: Any) -> Iterator[DiscoveredItem | Request]:
        platform = response.meta[PLATFORM_META]
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1") or None
        results, next_page = read_search_page(
            response.body, response.url, search_shapes(platform), content_type=content_type
        )
        if not results:
            reason = search_page_blocked(response.body, response.url, response.status, content_type=content_type)
            if reason is not None:
                # Nothing listed because nothing was shown: counted, so a run that saw only captchas says so.
                self.logger.warning(
                    "%s search for %r was not shown (%s): %s", platform, response.meta["query"], reason, response.url
                )
                crawler = getattr(self, "crawler", None)
                if crawler is not None and crawler.stats is not None:
                    crawler.stats.inc_value(f"{DISCOVERY_PREFIX}/blocked")
                    crawler.stats.inc_value(f"{DISCOVERY_PREFIX}/blocked/{platform}")
                return
        currency = search_currency(platform, response.url) if any(r.price is not None for r in results) else None
        for r in results:
            yield DiscoveredItem(
                platform=platform,
                url=r.url,
                query=response.meta["query"],
                title=r.title,
                seller_name=r.seller_name,
                reseller_id=self.sellers.identify(r.seller_name, r.url),
                price=r.price,
                currency=currency if r.price is not None else None,
            )
        page = response.meta[PAGE_META]
        if next_page and page < self.settings_.max_pages:
            meta = {PLATFORM_META: platform, PAGE_META: page + 1, "query": response.meta["query"]}
            meta.update(self._fetch_meta(platform))
            yield response.follow(next_page, callback=self.parse, meta=meta)
