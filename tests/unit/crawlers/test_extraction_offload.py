"""Pages read in worker processes: the same Extraction as in the crawl's process, and a safe fallback."""

from __future__ import annotations

import pickle
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from scrapy.http import HtmlResponse, Request
from twisted.internet.defer import Deferred, fail, succeed

import crawlers.offload as offload
from crawlers.extraction import extract
from crawlers.offload import (
    EXTRACTION_META,
    ExtractionOffloadMiddleware,
    WorkerLost,
    _Channel,
    default_workers,
    serve,
)
from crawlers.runner import crawl_in_subprocess
from crawlers.spiders.watch import PAGE_META, PLATFORM_META, TARGET_META, WatchSpider
from oneprice.settings.loader import LoadedConfig, load_config
from oneprice.storage import Database, ObservationRepository

PAGES = Path(__file__).resolve().parents[2] / "fixtures" / "pages"


def frame(value: Any) -> bytes:
    data = pickle.dumps(value)
    return len(data).to_bytes(4, "big") + data


def answer(reader: Any) -> Any:
    size = int.from_bytes(reader.read(4), "big")
    return pickle.loads(reader.read(size))  # noqa: S301 (written by the test's own worker)


def test_default_workers_one_per_cpu_and_none_on_a_single_cpu() -> None:
    assert [default_workers(n) for n in (1, 2, 3, 8, 64)] == [0, 2, 3, 4, 4]


def test_a_worker_answers_each_job_in_turn_and_stops_at_the_end_of_its_connection() -> None:
    ours, theirs = socket.socketpair()
    worker = threading.Thread(target=serve, args=(theirs,))
    worker.start()
    body = (PAGES / "tmall" / "detail_coupon.html").read_bytes()
    with ours.makefile("rb") as reader:
        ours.sendall(frame((1, extract, (body, "https://detail.tmall.com/item.htm?id=1"), {"platform": "tmall"})))
        ours.sendall(frame((2, int, ("not a number",), {})))
        assert answer(reader) == (1, True, extract(body, "https://detail.tmall.com/item.htm?id=1", platform="tmall"))
        job, ok, error = answer(reader)
        assert (job, ok) == (2, False) and error.startswith("ValueError")
        ours.shutdown(socket.SHUT_RDWR)
        worker.join(5)
    assert not worker.is_alive()
    ours.close()


def test_answers_split_or_joined_on_the_wire_reach_their_jobs() -> None:
    channel = _Channel()
    got: list[Any] = []
    for job in (1, 2, 3):
        done: Deferred[Any] = Deferred()
        done.addBoth(got.append)
        channel.pending[job] = done
    data = frame((2, True, "two")) + frame((1, False, "ValueError: bad"))
    for i in range(0, len(data), 7):
        channel.dataReceived(data[i : i + 7])
    assert got[0] == "two" and str(got[1].value) == "ValueError: bad"
    channel.connectionLost()
    assert got[2].check(WorkerLost) and channel.lost and channel.pending == {}


class FakePool:
    def __init__(self, result: Callable[..., Deferred[Any]], alive: bool = True) -> None:
        self.result, self.alive, self.jobs = result, alive, 0

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Deferred[Any]:
        self.jobs += 1
        return self.result(fn, *args, **kwargs)


@pytest.fixture
def spider(config: LoadedConfig) -> WatchSpider:
    return WatchSpider(config=config)


def response(meta: dict[str, Any], name: str = "tmall/detail_coupon.html") -> tuple[Request, HtmlResponse]:
    request = Request("https://detail.tmall.com/item.htm?id=1", meta=meta)
    body = (PAGES / name).read_bytes()
    return request, HtmlResponse(request.url, body=body, request=request, encoding="gbk" if "gbk" in name else None)


def process(middleware: ExtractionOffloadMiddleware, request: Request, page: HtmlResponse, spider: Any) -> Any:
    out: list[Any] = []
    Deferred.fromCoroutine(middleware.process_response(request, page, spider)).addBoth(out.append)
    return out[0]


@pytest.fixture(autouse=True)
def no_reactor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(offload, "maybe_deferred_to_future", lambda d: d)  # no reactor here: await the Deferred


META = {TARGET_META: "tm-1", PLATFORM_META: "tmall"}


def test_a_watch_page_is_read_by_the_pool_with_the_spiders_own_call(spider: WatchSpider) -> None:
    pool = FakePool(lambda fn, *a, **kw: succeed(fn(*a, **kw)))
    middleware = ExtractionOffloadMiddleware(pool)  # type: ignore[arg-type]
    request, page = response(dict(META), "tmall/detail_gbk.html")
    assert process(middleware, request, page, spider) is page
    assert page.meta[EXTRACTION_META] == spider.read(*spider.page_read(page))
    read_here = list(spider.parse(response(dict(META), "tmall/detail_gbk.html")[1]))
    read_there = list(spider.parse(page))
    assert [(i.status, i.price, i.product_sku, i.seller_name) for i in read_there] == [
        (i.status, i.price, i.product_sku, i.seller_name) for i in read_here
    ]


def test_other_responses_are_left_to_the_spider(spider: WatchSpider) -> None:
    pool = FakePool(lambda fn, *a, **kw: succeed(fn(*a, **kw)))
    middleware = ExtractionOffloadMiddleware(pool)  # type: ignore[arg-type]
    for meta in ({}, {**META, PAGE_META: ("u", 200, b"", "text/html")}):
        request, page = response(dict(meta))
        assert process(middleware, request, page, spider) is page
        assert EXTRACTION_META not in request.meta
    assert pool.jobs == 0


def test_when_a_worker_fails_the_spider_reads_the_page_itself(spider: WatchSpider) -> None:
    pool = FakePool(lambda fn, *a, **kw: fail(WorkerLost("gone")), alive=True)
    middleware = ExtractionOffloadMiddleware(pool)  # type: ignore[arg-type]
    request, page = response(dict(META))
    assert process(middleware, request, page, spider) is page and EXTRACTION_META not in request.meta
    assert not middleware.failed  # other workers go on
    pool.alive = False
    request, page = response(dict(META))
    process(middleware, request, page, spider)
    assert middleware.failed  # none left: from now on every page is read in the crawl's process
    request, page = response(dict(META))
    assert process(middleware, request, page, spider) is page and pool.jobs == 2
    items = list(spider.parse(page))
    assert items and items[0].price is not None


@pytest.mark.slow
def test_a_crawl_with_extraction_workers_stores_what_one_without_stores(
    tmp_path: Path, site: str, make_config: Callable[..., Path]
) -> None:
    pages = sorted(p.relative_to(PAGES).as_posix() for p in PAGES.rglob("*.html"))
    known = {"taobao", "tmall", "jd", "pinduoduo", "youzan", "shopify", "woocommerce", "amazon", "ebay"}
    platform = {name: name.split("/")[0] if name.split("/")[0] in known else "website" for name in pages}
    watch = [(f"p{i}", f"{site}/{name}", platform[name]) for i, name in enumerate(pages)]
    seen = []
    for workers in (0, 2):
        folder = tmp_path / str(workers)
        folder.mkdir()
        path = make_config(folder, watch=watch, crawl=f"retries: 0\nextract_workers: {workers}")
        summary = crawl_in_subprocess(str(path), settings={"AUTOTHROTTLE_ENABLED": False}, timeout=120)
        assert summary.pages >= len(pages)  # and the price endpoints some pages name
        db = Database.open(load_config(path).database_url())
        try:
            rows = ObservationRepository(db).latest_per_target()
        finally:
            db.dispose()
        ignored = {"id", "observed_at", "visit"}
        stored = sorted((o.model_dump(exclude=ignored) for o in rows), key=lambda o: (o["target_id"], o["offer_key"]))
        seen.append((summary.pages, summary.by_status, stored))
    assert seen[0] == seen[1] and len(seen[0][2]) >= len(pages)


def test_workers_are_forked_only_while_the_process_has_one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(offload.multiprocessing, "get_all_start_methods", lambda: ["fork", "spawn", "forkserver"])
    monkeypatch.setattr(offload.threading, "active_count", lambda: 1)
    assert offload._start_method() == "fork"
    monkeypatch.setattr(offload.threading, "active_count", lambda: 2)  # a progress bar's thread, say
    assert offload._start_method() == "forkserver"
    monkeypatch.setattr(offload.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert offload._start_method() == "spawn"


POOL_HOST = """
import sys, time
from crawlers.offload import ExtractorPool
pool = ExtractorPool(2)
print(" ".join(str(w.process.pid) for w in pool.workers), flush=True)
time.sleep(60)
"""


def test_forked_workers_exit_when_the_crawl_is_killed_outright() -> None:
    """A crawl killed by SIGKILL (or the OOM killer) never closes its pool: its workers must see the
    end of their connection all the same, not wait forever as orphans."""
    import os
    import signal
    import subprocess
    import sys
    import time

    host = subprocess.Popen([sys.executable, "-c", POOL_HOST], stdout=subprocess.PIPE, text=True)
    try:
        assert host.stdout is not None
        pids = [int(p) for p in host.stdout.readline().split()]
        assert len(pids) == 2
        host.send_signal(signal.SIGKILL)
        host.wait(timeout=10)
        deadline = time.monotonic() + 20
        alive = pids
        while alive and time.monotonic() < deadline:
            time.sleep(0.1)
            alive = [p for p in pids if _running(p)]
        assert alive == []
    finally:
        if host.poll() is None:
            host.kill()
        for pid in pids if "pids" in locals() else []:
            if _running(pid):
                os.kill(pid, signal.SIGKILL)


def _running(pid: int) -> bool:
    """Whether the process exists and is not a zombie (an orphan is reaped by init)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False
