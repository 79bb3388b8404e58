"""Pages drawn by scripts: a plain fetch finds no price; with `crawl.render` the crawl reads the page
as Chromium draws it, and keeps that page as evidence. Local pages only (http.server on 127.0.0.1)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from decimal import Decimal
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from crawlers.runner import crawl_in_subprocess
from oneprice.domain.observation import Observation, ObservationStatus
from oneprice.errors import UserError
from oneprice.settings.loader import load_config
from oneprice.storage import Database, ObservationRepository

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "tests" / "fixtures" / "pages"
FAST = {"AUTOTHROTTLE_ENABLED": False}
CATALOG = """sku,name,gtin,model,unified_price
OP12-128-SLV,OnePhone 12 128GB 星光银,6901234567892,OP12-128,1299.00
"""


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(PAGES)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def write_config(directory: Path, site: str, render: str) -> Path:
    (directory / "catalog.csv").write_text(CATALOG, encoding="utf-8")
    path = directory / "oneprice.yaml"
    path.write_text(
        f"""brand: {{name: OnePhone, currency: CNY}}
catalog: {{file: catalog.csv}}
database: {{url: "sqlite:///{directory / "oneprice.db"}"}}
resellers:
  - {{id: xingchen, name: 星辰数码专营店}}
watch:
  - {{id: drawn, url: "{site}/shop/script_drawn.html", platform: website}}
  - {{id: plain, url: "{site}/shop/jsonld_product.html", platform: website}}
crawl:
  retries: 0
  timeout: 20
  conditional_requests: true
{render}
""",
        encoding="utf-8",
    )
    return path


def latest(config: Path) -> tuple[dict[str, Observation], ObservationRepository, Database]:
    db = Database.open(load_config(config).database_url())
    repo = ObservationRepository(db)
    return {o.target_id: o for o in repo.latest_per_target()}, repo, db


def test_a_page_drawn_by_its_scripts_is_read_only_when_rendered(tmp_path: Path, site: str) -> None:
    plain = write_config(tmp_path, site, "")
    crawl_in_subprocess(str(plain), settings=FAST, timeout=120)
    seen, _, db = latest(plain)
    db.dispose()
    assert (seen["drawn"].status, seen["drawn"].reason) == (ObservationStatus.NO_PRICE, "no_price_found")
    assert seen["plain"].status is ObservationStatus.OK
    plain_price = seen["plain"].price

    rendered = write_config(
        tmp_path,
        site,
        "  render:\n    targets: [drawn]\n    settle_seconds: 0.5\n    browser: /usr/bin/chromium",
    )
    summary = crawl_in_subprocess(str(rendered), settings=FAST, timeout=180)
    assert summary.pages == 2
    seen, repo, db = latest(rendered)
    try:
        drawn = seen["drawn"]
        assert drawn.status is ObservationStatus.OK, (drawn.status, drawn.reason)
        assert drawn.price is not None
        assert (drawn.price.amount, drawn.price.currency) == (Decimal("1199.00"), "CNY")
        assert (drawn.product_sku, drawn.reseller_id) == ("OP12-128-SLV", "xingchen")
        evidence = repo.evidence(drawn.evidence_sha256 or "")
        assert evidence is not None
        page = evidence[1].decode("utf-8")
        assert 'itemprop="price">1199.00<' in page  # the page as the browser drew it
        assert "星辰数码专营店" in page
        # The page not named is fetched as before, and read the same.
        assert seen["plain"].status is ObservationStatus.OK and seen["plain"].price == plain_price
    finally:
        db.dispose()


def test_rendering_names_a_missing_browser_in_its_error(tmp_path: Path, site: str) -> None:
    config = write_config(tmp_path, site, "  render:\n    platforms: [website]\n    browser: /nonexistent/chromium")
    with pytest.raises(UserError, match=r"crawl.render: no browser at '/nonexistent/chromium'"):
        crawl_in_subprocess(str(config), settings=FAST, timeout=120)


def extract_json(*args: str) -> dict[str, Any]:
    command = [sys.executable, "-m", "oneprice", "extract", *args, "--format", "json"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    data: dict[str, Any] = json.loads(done.stdout)
    return data


@pytest.mark.parametrize("where", ["file", "url"])
def test_extract_render_shows_what_the_browser_drew(site: str, where: str) -> None:
    page = PAGES / "shop" / "script_drawn.html"
    source = (
        [str(page), "--url", "https://shop.example.com/p/op12"]
        if where == "file"
        else [f"{site}/shop/script_drawn.html"]
    )
    plain = extract_json(*source)
    assert [o["status"] for o in plain["offers"]] == ["no_price"]
    drawn = extract_json(*source, "--render")
    [offer] = drawn["offers"]
    assert (offer["status"], offer["price"], offer["currency"], offer["seller"], offer["sku"]) == (
        "ok", "1199.00", "CNY", "星辰数码专营店", "OP12-128-SLV",
    )  # fmt: skip
