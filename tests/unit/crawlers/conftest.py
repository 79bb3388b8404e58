"""Fixtures for crawler tests: saved pages and a small brand config written to a temp dir."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from brand_config import write_config
from pipeline_fakes import Worker
from saved_pages import FIXTURES, page

import crawlers.pipelines as pipelines
from oneprice.settings.loader import LoadedConfig, load_config


@pytest.fixture
def read_page() -> Callable[[str], bytes]:
    """page("shop/jsonld_product.html") -> the saved page's bytes."""
    return page


@pytest.fixture
def make_config() -> Callable[..., Path]:
    """write_config(directory, watch=[(id, url, platform)], database_url=..., crawl="retries: 0")."""
    return write_config


@pytest.fixture
def config(tmp_path: Path) -> LoadedConfig:
    """A loaded config with a few watch targets (their URLs are never fetched by unit tests)."""
    path = write_config(
        tmp_path,
        watch=[
            ("shop-op12", "https://shop.example.com/p/op12", "website"),
            ("tb-opods", "https://item.taobao.com/item.htm?id=1", "taobao"),
            ("tm-op12", "https://detail.tmall.com/item.htm?id=2", "tmall"),
        ],
    )
    return load_config(path)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    """Base URL of a local server for tests/fixtures/pages."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(FIXTURES)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def worker(monkeypatch: pytest.MonkeyPatch) -> Worker:
    """The pipeline's writing thread, run by hand: `worker.run_next()` writes the next batch."""
    w = Worker()
    monkeypatch.setattr(pipelines, "deferToThread", w)
    monkeypatch.setattr(pipelines, "_reactor_running", lambda: True)
    monkeypatch.setattr(pipelines, "maybe_deferred_to_future", lambda d: d)  # no reactor here: await the Deferred
    return w
