"""Distributed crawl: two processes on one scrapy-redis queue visit every page once, no observation twice.

Needs a Redis: ONEPRICE_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/15; use a database of its own).
Only this run's keys are written and deleted.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawlers.distributed import crawl_workers, keys
from oneprice.settings import load_config
from oneprice.storage import Database, ObservationRepository
from sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "config" / "demo.yaml"

pytestmark = pytest.mark.slow


def redis_url() -> str:
    url = os.environ.get("ONEPRICE_TEST_REDIS_URL")
    reason = "ONEPRICE_TEST_REDIS_URL is not set: distributed crawl test skipped"
    if url:
        import redis

        try:
            redis.Redis.from_url(url, socket_connect_timeout=2).ping()
            return url
        except (redis.RedisError, ValueError) as e:
            reason = f"no Redis answers at ONEPRICE_TEST_REDIS_URL ({e}): distributed crawl test skipped"
    print(reason)
    pytest.skip(reason)


@pytest.fixture
def env(tmp_path: Path) -> Iterator[dict[str, str]]:
    with Sandbox.from_config(load_config(DEMO)).running(port=0) as url:
        e = {k: v for k, v in os.environ.items() if not k.startswith("ONEPRICE_")}
        e.update(ONEPRICE_DATABASE_URL=f"sqlite:///{tmp_path / 'd.db'}", ONEPRICE_SANDBOX_URL=url)
        yield e


def test_two_workers_split_the_targets_without_doing_any_twice(env: dict[str, str]) -> None:
    url = redis_url()
    import redis

    client = redis.Redis.from_url(url)
    before = set(client.keys("oneprice:*"))
    db = Database.open(env["ONEPRICE_DATABASE_URL"])  # migrated once, before two processes race to do it
    db.dispose()

    total, each = crawl_workers(str(DEMO), 2, redis_url=url, env=env, settings={"AUTOTHROTTLE_ENABLED": False})

    targets = [t.id for t in load_config(DEMO).settings.watch]
    assert len(each) == 2
    db = Database.open(env["ONEPRICE_DATABASE_URL"])
    try:
        repo = ObservationRepository(db)
        visits = Counter(o.target_id for t in targets for o in repo.for_target(t) if not o.offer_key or o.offer_key)
        per_target_visits = {t: len({o.visit for o in repo.for_target(t)}) for t in targets}
    finally:
        db.dispose()
    assert per_target_visits == dict.fromkeys(targets, 1)  # every page once, by one worker
    assert sum(visits.values()) == total.pages  # each stored observation counted once
    assert total.pages == sum(s.pages for s in each) >= len(targets)
    assert set(client.keys("oneprice:*")) == before  # the run's keys are gone
    assert not any(client.exists(k % {"spider": "watch"}) for k in keys("x").values())
    client.close()
