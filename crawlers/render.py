"""Pages drawn by scripts: opened in headless Chromium (scrapy-playwright) and read as a browser shows them.

`crawl.render` names the platforms (and watch targets) whose pages need it. Only their requests
carry `meta["playwright"]`; scrapy-playwright's download handler sends every other request
through Scrapy's own handler, so plain pages cost what they did. The browser starts on the
first rendered request and is shared by all of them (`crawl.render.pages` tabs at once).

The rendered page goes on like a fetched one: the profiles, structured data and text readers see
the DOM after the scripts ran, and the evidence kept is that DOM. A rendered request never
carries If-None-Match / If-Modified-Since: a browser given a 304 has no page to show.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from crawlers.meta import UNCONDITIONAL_META
from oneprice.errors import UserError
from oneprice.settings.crawl import CrawlSettings, RenderSettings

BROWSER_ENV = "ONEPRICE_BROWSER"
DEFAULT_BROWSER = "/usr/bin/chromium"
HANDLER = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
# Chromium's own sandbox needs user namespaces a container often lacks; the pages it opens are
# the marketplaces' listing pages, and nothing of the browser is kept between crawls.
BROWSER_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run")


def browser_path(render: RenderSettings) -> str:
    """The browser executable: `crawl.render.browser`, else $ONEPRICE_BROWSER, else /usr/bin/chromium."""
    given = render.browser or os.environ.get(BROWSER_ENV) or DEFAULT_BROWSER
    where = "crawl.render.browser" if render.browser else BROWSER_ENV if os.environ.get(BROWSER_ENV) else "default"
    found = shutil.which(given) if os.sep not in given else given
    if not found or not Path(found).is_file() or not os.access(found, os.X_OK):
        raise UserError(
            f"crawl.render: no browser at {given!r} ({where}); install Chromium (apt-get install chromium) "
            f"or set crawl.render.browser / {BROWSER_ENV}"
        )
    return found


class AbortResources:
    """scrapy-playwright's PLAYWRIGHT_ABORT_REQUEST: the browser skips these resource types."""

    def __init__(self, types: tuple[str, ...]) -> None:
        self.types = frozenset(types)

    def __call__(self, request: Any) -> bool:
        return bool(request.resource_type in self.types)


def render_settings(crawl: CrawlSettings) -> dict[str, Any]:
    """Scrapy settings for rendering (none when no page is rendered)."""
    render = crawl.render
    if not render.enabled:
        return {}
    try:
        import scrapy_playwright  # noqa: F401
    except ImportError as e:  # pragma: no cover - a dependency of the package
        raise UserError("crawl.render needs the scrapy-playwright package (pip install scrapy-playwright)") from e
    return {
        "DOWNLOAD_HANDLERS": {"http": HANDLER, "https": HANDLER},
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": {
            "executable_path": browser_path(render),
            "headless": True,
            "args": list(BROWSER_ARGS),
        },
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": render.pages,
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": crawl.timeout * 1000,
        "PLAYWRIGHT_ABORT_REQUEST": AbortResources(render.block) if render.block else None,
    }


def render_meta(render: RenderSettings) -> dict[str, Any]:
    """What a request to render carries in its meta."""
    from scrapy_playwright.page import PageMethod

    methods = [PageMethod("wait_for_timeout", render.settle_seconds * 1000)] if render.settle_seconds else []
    return {
        "playwright": True,
        "playwright_page_goto_kwargs": {"wait_until": render.wait_until},
        "playwright_page_methods": methods,
        UNCONDITIONAL_META: True,
    }
