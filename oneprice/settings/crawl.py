"""The `crawl:` section: how the Scrapy spiders fetch pages."""

from __future__ import annotations

from pydantic import Field

from oneprice.settings.base import Strict


class CrawlSettings(Strict):
    user_agent: str = "oneprice/0.1 (+price compliance monitor)"
    concurrency: int = Field(default=8, ge=1, le=256)
    per_domain_concurrency: int = Field(default=4, ge=1, le=64)
    download_delay: float = Field(default=0.0, ge=0)
    timeout: float = Field(default=20.0, gt=0)
    retries: int = Field(default=2, ge=0, le=10)
    obey_robots_txt: bool = False
    keep_evidence: bool = True
