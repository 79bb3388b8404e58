"""The `crawl:` section: how the Scrapy spiders fetch pages, read prices and match listings."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator

from oneprice.domain.catalog import PLATFORMS, Platform
from oneprice.settings.base import Strict
from oneprice.settings.daemon import Duration


class MatchingSettings(Strict):
    """When a listing counts as a catalog product (see docs/crawling.md, "Matching")."""

    # A match below this confidence goes to the review queue (`oneprice review`), never to a rule.
    accept: Decimal = Field(default=Decimal("0.80"), ge=0, le=1)
    # A price read with less confidence than this is not a price (recorded as no_price).
    min_price_confidence: Decimal = Field(default=Decimal("0.25"), ge=0, le=1)
    # A price below this share of its product's unified price is taken for a misreading (a deposit,
    # an accessory, fen read as yuan), not an undercut: recorded as no_price (implausible_price).
    # 0 turns the check off.
    min_price_share: Decimal = Field(default=Decimal("0.2"), ge=0, le=1)


class DiscoverySettings(Strict):
    """Search pages to query for the brand's listings (`oneprice discover`)."""

    # platform -> search URL with {query} (and optionally {page}), e.g.
    # taobao: "https://s.taobao.com/search?q={query}"; a platform oneprice knows, since every
    # listing found becomes a watch target of it (a store on other software: `website`)
    search: dict[Platform, str] = Field(default_factory=dict)
    keywords: tuple[str, ...] = ()
    product_names: bool = True  # also search for every product family's name
    max_pages: int = Field(default=3, ge=1, le=100)


ResourceType = Literal["image", "media", "font", "stylesheet", "texttrack", "websocket", "manifest", "other"]


class RenderSettings(Strict):
    """Pages read after a browser ran their scripts (see docs/crawling.md, "Pages drawn by scripts").

    Marketplaces draw more and more of a listing page in the browser: the HTML a plain fetch
    gets has no price. Pages of `platforms` and the watch targets named in `targets` are opened
    in headless Chromium (scrapy-playwright) and read as the browser shows them; every other
    page is fetched as before.
    """

    platforms: tuple[Platform, ...] = ()
    targets: tuple[str, ...] = ()
    # The Chromium (or Chrome) executable. Default: $ONEPRICE_BROWSER, else /usr/bin/chromium.
    browser: str | None = None
    # When the page counts as loaded, then how long its scripts get before the page is read.
    wait_until: Literal["commit", "domcontentloaded", "load", "networkidle"] = "load"
    settle_seconds: float = Field(default=1.0, ge=0, le=60)
    # Browser tabs open at once (each costs memory: about 50-100 MB).
    pages: int = Field(default=2, ge=1, le=32)
    # What the browser does not download: a page's price needs none of it.
    block: tuple[ResourceType, ...] = ("image", "media", "font")

    @property
    def enabled(self) -> bool:
        return bool(self.platforms or self.targets)

    def renders(self, platform: str, target_id: str | None = None) -> bool:
        """Whether a page of `platform` (of watch target `target_id`) is opened in the browser."""
        return platform in self.platforms or (target_id is not None and target_id in self.targets)


class CrawlSettings(Strict):
    user_agent: str = "oneprice/0.1 (+price compliance monitor)"
    concurrency: int = Field(default=8, ge=1, le=256)
    per_domain_concurrency: int = Field(default=4, ge=1, le=64)
    download_delay: float = Field(default=0.0, ge=0)
    timeout: float = Field(default=20.0, gt=0)
    retries: int = Field(default=2, ge=0, le=10)
    obey_robots_txt: bool = False
    keep_evidence: bool = True
    # A target visited less than this long ago is skipped by the next crawl ("6h", "1d"); a
    # watch target's own `frequency` wins. Default: none (every crawl visits every target).
    revisit_after: Duration | None = None
    # Where a violation is in progress (an active alert cites the target's page), revisit after
    # this instead ("30m"), so a price war is watched closely. Default: none (no difference).
    hot_revisit_after: Duration | None = None
    # Revisit a page with If-None-Match / If-Modified-Since when its last answer carried an ETag
    # or Last-Modified; a 304 Not Modified is read from the stored evidence (crawlers/conditional.py).
    conditional_requests: bool = True
    # Which price a coupon/券后/到手价 page stands for: the shelf price (default), or the price
    # after the coupon (when the brand's policy counts coupon prices as the selling price).
    coupon_policy: Literal["shelf", "after_coupon"] = "shelf"
    # Worker processes that read the fetched pages (extraction is CPU work; in the crawl's own
    # process it would hold up fetching). 0: read them in the crawl's process. Default: one per
    # CPU, at most 4 (none on a single CPU), see crawlers/offload.py.
    extract_workers: int | None = Field(default=None, ge=0, le=64)
    matching: MatchingSettings = Field(default_factory=MatchingSettings)
    discovery: DiscoverySettings = Field(default_factory=DiscoverySettings)
    render: RenderSettings = Field(default_factory=RenderSettings)
    # platform (or "*" for every other page) -> the proxy its pages are fetched through,
    # http://user:password@host:port; credentials belong in the environment (${ONEPRICE_PROXY_URL})
    # and are masked wherever the config is printed. Default: none (direct).
    proxies: dict[str, SecretStr] = Field(default_factory=dict)

    @field_validator("proxies")
    @classmethod
    def _proxies(cls, v: dict[str, SecretStr]) -> dict[str, SecretStr]:
        for platform, url in v.items():
            if platform != "*" and platform not in PLATFORMS:
                raise ValueError(f"unknown platform {platform!r} (known: *, {', '.join(PLATFORMS)})")
            try:
                parts = urlsplit(url.get_secret_value())
                port = parts.port
            except ValueError:
                port = None
                parts = urlsplit("")
            if parts.scheme not in ("http", "https") or not parts.hostname or port is None:
                raise ValueError(f"proxy of {platform!r} must be http(s)://[user:password@]host:port")
        return v

    def proxy_for(self, platform: str) -> str | None:
        """The proxy URL pages of `platform` go through (its own, else "*"), None for direct."""
        url = self.proxies.get(platform) or self.proxies.get("*")
        return url.get_secret_value() if url is not None else None
