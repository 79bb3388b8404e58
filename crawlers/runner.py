"""Run the `watch` spider from Python (`run_crawl`) or in a child process (`crawl_in_subprocess`).

python -m crawlers.runner config/demo.yaml [--target ID ...] [-s KEY=VALUE ...]   # prints a JSON summary
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from crawlers.conditional import STATS_PREFIX as CONDITIONAL_STATS
from crawlers.config import CONFIG_SETTING, scrapy_overrides
from crawlers.pipelines import DISCOVERY_PREFIX, STATS_PREFIX, observation_recorded
from crawlers.spiders.watch import WatchSpider, listing_targets
from oneprice.domain.observation import Observation, ObservationStatus
from oneprice.errors import OnepriceError, UserError
from oneprice.settings.loader import LoadedConfig, load_config


@dataclass(frozen=True)
class CrawlSummary:
    """What one crawl did: listing pages visited (one observation each) and observations by status."""

    pages: int
    by_status: dict[str, int] = field(default_factory=dict)
    finish_reason: str | None = None
    not_modified: int = 0
    """Pages that answered 304 Not Modified and were read again from their evidence."""

    def describe(self) -> str:
        """One line for people: "crawled 15 pages: ok 12, blocked 1, no_price 2; 9 not modified (finished)"."""
        counts = ", ".join(f"{status} {n}" for status, n in sorted(self.by_status.items(), key=lambda kv: -kv[1]))
        unchanged = f"; {self.not_modified} not modified" if self.not_modified else ""
        finish = f" ({self.finish_reason})" if self.finish_reason else ""
        plural = "s" if self.pages != 1 else ""
        return f"crawled {self.pages} page{plural}" + (f": {counts}" if counts else "") + unchanged + finish

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> CrawlSummary:
        data = json.loads(text)
        return cls(
            pages=int(data["pages"]),
            by_status={str(k): int(v) for k, v in data.get("by_status", {}).items()},
            finish_reason=data.get("finish_reason"),
            not_modified=int(data.get("not_modified", 0)),
        )


def scrapy_settings(config: LoadedConfig, *, log_level: str = "WARNING", extra: Mapping[str, Any] | None = None) -> Any:
    """crawlers/settings.py, then the config's `crawl:` section, then `extra` (like `scrapy -s`)."""
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("crawlers.settings", priority="project")
    settings.setdict(scrapy_overrides(config.settings.crawl), priority="cmdline")
    settings.set("LOG_LEVEL", log_level.upper(), priority="cmdline")
    settings.set(CONFIG_SETTING, str(config.path), priority="cmdline")
    settings.setdict(dict(extra or {}), priority="cmdline")
    return settings


def _summary(stats: Mapping[str, Any]) -> CrawlSummary:
    by_status = {
        s.value: int(stats[f"{STATS_PREFIX}/{s.value}"])
        for s in ObservationStatus
        if f"{STATS_PREFIX}/{s.value}" in stats
    }
    return CrawlSummary(
        pages=int(stats.get(STATS_PREFIX, 0)),
        by_status=by_status,
        finish_reason=stats.get("finish_reason"),
        not_modified=int(stats.get(f"{CONDITIONAL_STATS}/not_modified", 0)),
    )


class _CrawlLogFilter(logging.Filter):
    """Holds the crawl's records to `log_level` on the host's handlers (Scrapy resets logger levels)."""

    PREFIXES = ("scrapy", "crawlers", WatchSpider.name, "discover")

    def __init__(self, level: str) -> None:
        super().__init__()
        self.level = logging.getLevelNamesMapping().get(level.upper(), logging.WARNING)

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= self.level or not record.name.startswith(self.PREFIXES)


def _reactor_already_ran() -> bool:
    reactor = sys.modules.get("twisted.internet.reactor")
    return bool(getattr(reactor, "_startedBefore", False))


def run_crawl(
    config: LoadedConfig,
    *,
    target_ids: Sequence[str] | None = None,
    on_item: Callable[[Observation], None] | None = None,
    log_level: str = "WARNING",
    settings: Mapping[str, Any] | None = None,
) -> CrawlSummary:
    """Crawl the config's listing targets (all, or `target_ids`) in this process; blocks until done.

    Uses `scrapy.crawler.CrawlerProcess`, which runs the Twisted reactor. A reactor starts
    only once per process, so call this at most once per process; elsewhere (tests, a
    process that already crawled) use `crawl_in_subprocess`. `on_item` is called with each
    stored Observation (for a progress bar); `settings` are extra Scrapy settings.
    """
    listing_targets(config, target_ids)  # unknown ids fail here, before Scrapy starts
    spider_args = {"targets": list(target_ids) if target_ids is not None else None}
    return _summary(run_spider(config, WatchSpider, spider_args, on_item, log_level, settings))


def run_discovery(
    config: LoadedConfig, *, log_level: str = "WARNING", settings: Mapping[str, Any] | None = None
) -> DiscoverySummary:
    """Run the `discover` spider in this process (same reactor rule as `run_crawl`)."""
    from crawlers.spiders.discover import DiscoverSpider

    stats = run_spider(config, DiscoverSpider, {}, None, log_level, settings)
    return DiscoverySummary(
        results=int(stats.get(f"{DISCOVERY_PREFIX}/results", 0)),
        new_targets=int(stats.get(f"{DISCOVERY_PREFIX}/new_targets", 0)),
        new_unknown_sellers=int(stats.get(f"{DISCOVERY_PREFIX}/new_unknown_sellers", 0)),
        pages=int(stats.get("response_received_count", 0)),
        finish_reason=stats.get("finish_reason"),
        blocked={
            key.rsplit("/", 1)[1]: int(value)
            for key, value in stats.items()
            if key.startswith(f"{DISCOVERY_PREFIX}/blocked/")
        },
    )


@dataclass(frozen=True)
class DiscoverySummary:
    """What one discovery run found."""

    results: int
    new_targets: int
    new_unknown_sellers: int
    pages: int
    finish_reason: str | None = None
    # Search pages that showed a captcha, login or block page instead of results, per platform.
    blocked: Mapping[str, int] = field(default_factory=dict)

    def describe(self) -> str:
        text = (
            f"searched {self.pages} page{'s' if self.pages != 1 else ''}: {self.results} listings seen, "
            f"{self.new_targets} new watch targets, {self.new_unknown_sellers} new unknown sellers"
        )
        if self.blocked:
            shown = ", ".join(f"{platform} {count}" for platform, count in sorted(self.blocked.items()))
            text += f"; search pages not shown (captcha, login or block): {shown}"
        return text


def run_spider(
    config: LoadedConfig,
    spider_cls: type[Any],
    spider_args: Mapping[str, Any],
    on_item: Callable[[Observation], None] | None,
    log_level: str,
    settings: Mapping[str, Any] | None,
) -> Mapping[str, Any]:
    """Run one of our spiders with the config in this process and return its Scrapy stats."""
    if _reactor_already_ran():
        raise OnepriceError("the Twisted reactor already ran in this process; use crawl_in_subprocess()")
    from scrapy.crawler import CrawlerProcess

    scrapy = scrapy_settings(config, log_level=log_level, extra=settings)
    # A host that set up logging (the CLI's Rich handler) keeps it; otherwise Scrapy installs its own.
    scrapy.set("LOG_INSTALL_ROOT_HANDLER", not logging.getLogger().handlers, priority="cmdline")
    host_handlers = list(logging.getLogger().handlers)
    quiet = _CrawlLogFilter(log_level)

    def forward(observation: Observation, **_: Any) -> None:
        if on_item is not None:
            on_item(observation)

    for handler in host_handlers:
        handler.addFilter(quiet)
    try:
        process = CrawlerProcess(scrapy)
        crawler = process.create_crawler(spider_cls)
        crawler.signals.connect(forward, signal=observation_recorded)
        process.crawl(crawler, config=config, **spider_args)
        process.start(install_signal_handlers=threading.current_thread() is threading.main_thread())
    finally:
        for handler in host_handlers:
            handler.removeFilter(quiet)
    try:
        stats: Mapping[str, Any] = crawler.stats.get_stats()
    except RuntimeError:  # the crawl failed before Scrapy built its stats; the log says why
        raise OnepriceError("the crawl did not start; see the log above") from None
    return stats


def crawl_in_subprocess(
    config_path: str,
    env: Mapping[str, str] | None = None,
    *,
    target_ids: Sequence[str] | None = None,
    settings: Mapping[str, Any] | None = None,
    log_level: str = "WARNING",
    timeout: float | None = None,
) -> CrawlSummary:
    """Run `python -m crawlers.runner <config>` and return its summary.

    `env` is added to this process's environment. Exit code 2 (a config or usage problem)
    raises UserError with the child's message; any other failure raises OnepriceError.
    """
    command = [sys.executable, "-m", "crawlers.runner", str(config_path), "--log-level", log_level]
    for target in target_ids or ():
        command += ["--target", target]
    for key, value in (settings or {}).items():
        command += ["-s", f"{key}={json.dumps(value)}"]
    child_env = {**os.environ, **(env or {})}
    done = subprocess.run(  # noqa: S603 - our own interpreter and module, no shell
        command, capture_output=True, text=True, env=child_env, timeout=timeout, check=False
    )
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    if done.returncode == 2:
        start = done.stderr.rfind("error: ")
        message = done.stderr[start + len("error: ") :] if start >= 0 else done.stderr[-2000:]
        raise UserError(message.strip() or "the crawl refused its arguments")
    if done.returncode != 0 or not lines:
        tail = "\n".join(done.stderr.strip().splitlines()[-20:])
        raise OnepriceError(f"crawl process failed (exit code {done.returncode}):\n{tail}")
    return CrawlSummary.from_json(lines[-1])


def _setting(text: str) -> tuple[str, Any]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    try:
        return key, json.loads(value)
    except ValueError:
        return key, value


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m crawlers.runner",
        description="Crawl the listing watch targets of a oneprice config (or, with --discover, search the "
        "marketplaces for new listings) and print a JSON summary.",
        epilog="example: python -m crawlers.runner config/demo.yaml --target tmall-op12 -s DOWNLOAD_DELAY=2",
    )
    parser.add_argument("config", help="path of the oneprice YAML config")
    parser.add_argument("--target", action="append", dest="targets", help="visit only this watch target id")
    parser.add_argument("--log-level", default="WARNING", help="Scrapy log level (default: WARNING)")
    parser.add_argument("-s", action="append", type=_setting, default=[], metavar="KEY=VALUE", help="Scrapy setting")
    parser.add_argument(
        "--discover", action="store_true", help="run the discover spider (crawl.discovery.search) instead"
    )
    args = parser.parse_args(argv)
    try:
        config = load_config(args.config)
        if args.discover:
            if args.targets:
                raise UserError("--target is for the watch crawl, not --discover")
            found = run_discovery(config, log_level=args.log_level, settings=dict(args.s))
            print(json.dumps(asdict(found), sort_keys=True), flush=True)
            return 0
        summary = run_crawl(config, target_ids=args.targets, log_level=args.log_level, settings=dict(args.s))
    except UserError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(summary.to_json(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
