"""Where a crawl finds the oneprice config, and how its `crawl:` section becomes Scrapy settings.

The path comes from `-a config=...`, else the `ONEPRICE_CONFIG` setting, else the environment variable.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from crawlers.render import render_settings
from oneprice.settings.loader import LoadedConfig, load_config
from oneprice.settings.models import CrawlSettings

CONFIG_SETTING = "ONEPRICE_CONFIG"
DEFAULT_CONFIG = "config/oneprice.yaml"
# `cd crawlers && scrapy crawl watch` runs one level below the project root.
_PROJECT_ROOT = Path(__file__).resolve().parents[1]


def config_path(argument: str | os.PathLike[str] | None = None, settings: Mapping[str, Any] | None = None) -> Path:
    """The config file to use; a relative default is also looked for at the project root."""
    chosen = argument or (settings or {}).get(CONFIG_SETTING) or os.environ.get(CONFIG_SETTING)
    if chosen:
        return Path(chosen)
    default = Path(DEFAULT_CONFIG)
    if not default.exists() and (_PROJECT_ROOT / DEFAULT_CONFIG).exists():
        return _PROJECT_ROOT / DEFAULT_CONFIG
    return default


def find_config(
    argument: str | os.PathLike[str] | None = None, settings: Mapping[str, Any] | None = None
) -> LoadedConfig | None:
    """Load the config that argument, setting or environment names; None if none is named and no default.

    A config that is named but missing or invalid raises ConfigError: the user asked for it.
    """
    explicit = argument or (settings or {}).get(CONFIG_SETTING) or os.environ.get(CONFIG_SETTING)
    path = config_path(argument, settings)
    if not explicit and not path.exists():
        return None
    return load_config(path)


def scrapy_overrides(crawl: CrawlSettings) -> dict[str, Any]:
    """The Scrapy settings that the config's `crawl:` section decides."""
    return {
        "USER_AGENT": crawl.user_agent,
        "CONCURRENT_REQUESTS": crawl.concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.per_domain_concurrency,
        "DOWNLOAD_DELAY": crawl.download_delay,
        "DOWNLOAD_TIMEOUT": crawl.timeout,
        "RETRY_ENABLED": crawl.retries > 0,
        "RETRY_TIMES": crawl.retries,
        "ROBOTSTXT_OBEY": crawl.obey_robots_txt,
        **render_settings(crawl),
    }
