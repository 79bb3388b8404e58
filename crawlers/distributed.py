"""Distributed crawling: N `watch` processes (here or on other machines) share one scrapy-redis queue.

Every worker offers every due target; the shared dupefilter lets each page into the queue once,
and each queued request is popped by one worker only, so no page is crawled twice and no
observation is stored twice. The keys are per run (`oneprice:<run>:...`) and deleted afterwards.

    ONEPRICE_REDIS_URL=redis://127.0.0.1:6379/0 oneprice crawl --workers 2
"""

from __future__ import annotations

import os
import uuid
from collections import Counter
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from crawlers.runner import CrawlSummary, crawl_in_subprocess
from oneprice.errors import UserError

REDIS_URL_ENV = "ONEPRICE_REDIS_URL"
DISTRIBUTED_SETTING = "ONEPRICE_DISTRIBUTED"


def keys(run_id: str) -> dict[str, str]:
    """The Redis keys of one run (Scrapy fills in %(spider)s)."""
    return {
        "SCHEDULER_QUEUE_KEY": f"oneprice:{run_id}:%(spider)s:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"oneprice:{run_id}:%(spider)s:dupefilter",
    }


def redis_settings(redis_url: str, run_id: str) -> dict[str, Any]:
    """Scrapy settings that put a crawl on the shared scrapy-redis scheduler of one run."""
    return {
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.FifoQueue",
        # A worker that finishes first must not delete the queue the others still read.
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_FLUSH_ON_START": False,
        "REDIS_URL": redis_url,
        DISTRIBUTED_SETTING: True,
        **keys(run_id),
    }


def clear_run(redis_url: str, run_id: str, spider: str = "watch") -> int:
    """Delete the run's keys (only ours); returns how many existed."""
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        names = [k % {"spider": spider} for k in keys(run_id).values()]
        return int(client.delete(*names))
    finally:
        client.close()


def check_redis(redis_url: str) -> None:
    """UserError unless a Redis answers at `redis_url`."""
    import redis

    try:
        client = redis.Redis.from_url(redis_url, socket_connect_timeout=3)
        client.ping()
        client.close()
    except (redis.RedisError, ValueError) as e:
        raise UserError(f"no Redis answers at {REDIS_URL_ENV}: {e}") from None


def crawl_workers(
    config_path: str,
    workers: int,
    *,
    redis_url: str | None = None,
    target_ids: Sequence[str] | None = None,
    env: Mapping[str, str] | None = None,
    settings: Mapping[str, Any] | None = None,
    log_level: str = "WARNING",
    timeout: float | None = None,
) -> tuple[CrawlSummary, list[CrawlSummary]]:
    """Run `workers` crawl processes on one shared queue; returns (the total, each worker's summary)."""
    redis_url = redis_url or os.environ.get(REDIS_URL_ENV)
    if not redis_url:
        raise UserError(f"--workers needs a shared queue: set {REDIS_URL_ENV} (e.g. redis://127.0.0.1:6379/0)")
    if workers < 1:
        raise UserError("--workers must be at least 1")
    check_redis(redis_url)
    run_id = uuid.uuid4().hex[:12]
    shared = {**(settings or {}), **redis_settings(redis_url, run_id)}

    def one(_: int) -> CrawlSummary:
        return crawl_in_subprocess(
            config_path, env, target_ids=target_ids, settings=shared, log_level=log_level, timeout=timeout
        )

    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            each = list(pool.map(one, range(workers)))
    finally:
        clear_run(redis_url, run_id)
    total: Counter[str] = Counter()
    for s in each:
        total.update(s.by_status)
    return CrawlSummary(pages=sum(s.pages for s in each), by_status=dict(total), finish_reason="finished"), each
