"""Runner pieces that need no reactor: the summary, and how settings are layered."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from crawlers.runner import CrawlSummary, _summary, scrapy_settings
from oneprice.settings.loader import load_config


def test_summary_round_trips_through_json_and_reads_for_people() -> None:
    summary = CrawlSummary(pages=15, by_status={"ok": 12, "blocked": 1, "no_price": 2}, finish_reason="finished")
    assert CrawlSummary.from_json(summary.to_json()) == summary
    assert summary.describe() == "crawled 15 pages: ok 12, no_price 2, blocked 1 (finished)"
    assert CrawlSummary(pages=0).describe() == "crawled 0 pages"


def test_summary_from_scrapy_stats() -> None:
    stats = {
        "oneprice/observations": 3,
        "oneprice/observations/ok": 2,
        "oneprice/observations/http_error": 1,
        "downloader/request_count": 4,
        "finish_reason": "finished",
    }
    assert _summary(stats) == CrawlSummary(pages=3, by_status={"ok": 2, "http_error": 1}, finish_reason="finished")


def test_pages_read_again_from_evidence_are_counted() -> None:
    stats = {"oneprice/observations": 4, "oneprice/observations/ok": 4, "oneprice/conditional/not_modified": 3}
    summary = _summary(stats)
    assert summary.not_modified == 3 and CrawlSummary.from_json(summary.to_json()) == summary
    assert summary.describe() == "crawled 4 pages: ok 4; 3 not modified"


def test_settings_layer_project_then_config_then_extra(tmp_path: Path, make_config: Callable[..., Path]) -> None:
    path = make_config(tmp_path, crawl="user_agent: brand-bot/1\nconcurrency: 3\nobey_robots_txt: true\nretries: 0")
    settings = scrapy_settings(load_config(path), log_level="info", extra={"DOWNLOAD_DELAY": 2})
    assert settings["BOT_NAME"] == "oneprice"  # crawlers/settings.py
    assert settings["USER_AGENT"] == "brand-bot/1"
    assert settings.getint("CONCURRENT_REQUESTS") == 3
    assert settings.getbool("ROBOTSTXT_OBEY") is True
    assert settings.getbool("RETRY_ENABLED") is False
    assert settings.getfloat("DOWNLOAD_DELAY") == 2
    assert settings["LOG_LEVEL"] == "INFO"
    assert settings["ONEPRICE_CONFIG"] == str(path.resolve())
    assert settings.getbool("TELNETCONSOLE_ENABLED") is False
