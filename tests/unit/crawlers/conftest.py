"""Fixtures for crawler tests: saved pages and a small brand config written to a temp dir."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from pipeline_fakes import Worker
from saved_pages import FIXTURES, page

import crawlers.pipelines as pipelines
from oneprice.settings.loader import LoadedConfig, load_config

CATALOG_CSV = """sku,name,gtin,model,unified_price
OP12-128-SLV,OnePhone 12 128GB 星光银,6901234567892,OP12-128,1299.00
OPODS-PRO-WHT,OnePods Pro 白色,4006381333931,OPODS-PRO,899.00
OW-S-BLK,OneWatch S 黑色,,OW-S,1299.00
OC65-WHT,OneCharger 65W,,,149.00
"""


def write_config(
    directory: Path,
    *,
    watch: Sequence[tuple[str, str, str]] = (),
    database_url: str | None = None,
    crawl: str = "",
) -> Path:
    """Write catalog.csv and oneprice.yaml into `directory`; `watch` is (id, url, platform) triples."""
    (directory / "catalog.csv").write_text(CATALOG_CSV, encoding="utf-8")
    lines = [
        "brand:",
        "  name: OnePhone",
        "  currency: CNY",
        "catalog:",
        "  file: catalog.csv",
        "database:",
        f"  url: {database_url or 'sqlite:///' + str(directory / 'oneprice.db')}",
        "resellers:",
        "  - id: xingchen",
        "    name: 星辰数码专营店",
        "  - id: lanhai",
        "    name: 蓝海数码旗舰店",
        "    aliases: [蓝海数码专营店, LANHAI Digital]",
        "  - id: grey-market",
        "    name: ＯｎｅＰｈｏｎｅ　折扣店",
        "    authorized: false",
    ]
    if watch:
        lines.append("watch:")
        for target_id, url, platform in watch:
            lines += [f"  - id: {target_id}", f"    url: {url}", f"    platform: {platform}"]
    if crawl:
        lines += ["crawl:", *[f"  {line}" for line in crawl.strip().splitlines()]]
    path = directory / "oneprice.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def two_variant_spider(directory: Path, target: str, url: str) -> Any:
    """A watch spider over one website target and a catalog with the 128 GB and the 256 GB phone."""
    from crawlers.spiders.watch import WatchSpider

    path = write_config(directory, watch=[(target, url, "website")])
    (directory / "catalog.csv").write_text(
        CATALOG_CSV + "OP12-256-SLV,OnePhone 12 256GB 星光银,6901234567908,OP12-256,1599.00\n", encoding="utf-8"
    )
    return WatchSpider(config=load_config(path))


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
