"""`crawl.render`: which requests a browser draws, the Scrapy settings it takes, and its errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
from pydantic import ValidationError

from crawlers.config import scrapy_overrides
from crawlers.meta import UNCONDITIONAL_META
from crawlers.render import HANDLER, AbortResources, browser_path, render_meta
from crawlers.spiders.discover import DiscoverSpider
from crawlers.spiders.watch import WatchSpider
from oneprice.errors import UserError
from oneprice.settings.crawl import CrawlSettings, RenderSettings
from oneprice.settings.loader import LoadedConfig, load_config

WATCH = [
    ("shop-op12", "https://shop.example.com/p/op12", "website"),
    ("tb-opods", "https://item.taobao.com/item.htm?id=1", "taobao"),
    ("tm-op12", "https://detail.tmall.com/item.htm?id=2", "tmall"),
]


@pytest.fixture
def browser(tmp_path: Path) -> str:
    """A stand-in browser executable (nothing here starts it)."""
    path = tmp_path / "chromium"
    path.write_text("#!/bin/sh\n", encoding="utf-8")
    path.chmod(0o755)
    return str(path)


def rendered_config(tmp_path: Path, make_config: Callable[..., Path], render: str) -> LoadedConfig:
    return load_config(make_config(tmp_path, watch=WATCH, crawl=f"render:\n    {render}"))


def test_only_the_platforms_and_targets_named_are_rendered(
    tmp_path: Path, make_config: Callable[..., Path], browser: str
) -> None:
    config = rendered_config(
        tmp_path, make_config, f"platforms: [tmall]\n    targets: [shop-op12]\n    browser: {browser}"
    )
    requests = {r.meta["oneprice_target"]: r for r in WatchSpider(config=config).start_requests()}
    assert {t for t, r in requests.items() if r.meta.get("playwright")} == {"tm-op12", "shop-op12"}
    drawn = requests["tm-op12"].meta
    assert drawn["playwright_page_goto_kwargs"] == {"wait_until": "load"}
    [settle] = drawn["playwright_page_methods"]
    assert (settle.method, settle.args) == ("wait_for_timeout", (1000.0,))
    # A browser given a 304 has nothing to show: rendered requests never carry validators.
    assert drawn[UNCONDITIONAL_META] is True and UNCONDITIONAL_META not in requests["tb-opods"].meta
    assert not any(k.startswith("playwright") for k in requests["tb-opods"].meta)


def test_nothing_is_rendered_by_default(config: LoadedConfig) -> None:
    assert not config.settings.crawl.render.enabled
    overrides = scrapy_overrides(config.settings.crawl)
    assert "DOWNLOAD_HANDLERS" not in overrides and not any(k.startswith("PLAYWRIGHT") for k in overrides)
    for request in WatchSpider(config=config).start_requests():
        assert not any(k.startswith("playwright") for k in request.meta)


def test_rendering_takes_scrapy_playwrights_handler_and_the_configured_browser(browser: str) -> None:
    crawl = CrawlSettings.model_validate(
        {"timeout": 15, "render": {"platforms": ["taobao"], "browser": browser, "pages": 3, "block": ["image"]}}
    )
    overrides = scrapy_overrides(crawl)
    assert overrides["DOWNLOAD_HANDLERS"] == {"http": HANDLER, "https": HANDLER}
    assert overrides["PLAYWRIGHT_LAUNCH_OPTIONS"]["executable_path"] == browser
    assert overrides["PLAYWRIGHT_LAUNCH_OPTIONS"]["headless"] is True
    assert overrides["PLAYWRIGHT_MAX_PAGES_PER_CONTEXT"] == 3
    assert overrides["PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT"] == 15000
    abort = overrides["PLAYWRIGHT_ABORT_REQUEST"]
    assert isinstance(abort, AbortResources)
    assert abort(SimpleNamespace(resource_type="image")) and not abort(SimpleNamespace(resource_type="script"))
    assert not abort(SimpleNamespace(resource_type="document"))


def test_the_browser_comes_from_config_then_environment(browser: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONEPRICE_BROWSER", browser)
    assert browser_path(RenderSettings(platforms=("jd",))) == browser
    monkeypatch.setenv("ONEPRICE_BROWSER", "/nowhere/chrome")
    with pytest.raises(UserError, match=r"no browser at '/nowhere/chrome' \(ONEPRICE_BROWSER\)"):
        browser_path(RenderSettings(platforms=("jd",)))
    with pytest.raises(UserError, match=r"no browser at '/nowhere/x' \(crawl.render.browser\)"):
        browser_path(RenderSettings(platforms=("jd",), browser="/nowhere/x"))
    assert browser_path(RenderSettings(platforms=("jd",), browser=browser)) == browser


def test_render_settings_name_what_is_wrong(tmp_path: Path, make_config: Callable[..., Path]) -> None:
    with pytest.raises(ValidationError, match="unknown platform 'tmal'"):
        RenderSettings.model_validate({"platforms": ["tmal"]})
    with pytest.raises(ValidationError, match="wait_until"):
        RenderSettings.model_validate({"platforms": ["jd"], "wait_until": "idle"})
    with pytest.raises(UserError, match=r"crawl.render.targets: no watch target 'tb-nope'"):
        rendered_config(tmp_path, make_config, "targets: [tb-nope]")
    # A discovered listing's id (oneprice discover --list) may be named.
    assert rendered_config(tmp_path, make_config, "targets: [taobao-d-0123456789ab]").settings.crawl.render.enabled


def test_discovery_renders_the_search_pages_of_rendered_platforms(
    tmp_path: Path, make_config: Callable[..., Path], browser: str
) -> None:
    config = rendered_config(tmp_path, make_config, f"platforms: [taobao]\n    browser: {browser}")
    settings = config.settings.model_copy(
        update={
            "crawl": config.settings.crawl.model_copy(
                update={
                    "discovery": config.settings.crawl.discovery.model_copy(
                        update={
                            "search": {
                                "taobao": "https://s.taobao.com/search?q={query}",
                                "jd": "https://s.jd/?k={query}",
                            },
                            "keywords": ("OnePhone",),
                            "product_names": False,
                        }
                    )
                }
            )
        }
    )
    spider = DiscoverSpider(config=LoadedConfig(path=config.path, settings=settings, catalog=config.catalog))
    drawn = {r.meta["oneprice_platform"]: bool(r.meta.get("playwright")) for r in spider.start_requests()}
    assert drawn == {"taobao": True, "jd": False}


def test_no_settle_time_means_the_page_is_read_once_loaded() -> None:
    meta = render_meta(RenderSettings(platforms=("jd",), settle_seconds=0, wait_until="networkidle"))
    assert meta["playwright_page_methods"] == []
    assert meta["playwright_page_goto_kwargs"] == {"wait_until": "networkidle"}
    # The conditional-requests middleware sends no validators with this flag (test_conditional_requests.py).
    assert meta[UNCONDITIONAL_META] is True
