"""End to end on 127.0.0.1: a local http.server serves saved pages, the real crawl stores observations."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from crawlers.runner import CrawlSummary, crawl_in_subprocess
from oneprice.domain.observation import ObservationStatus
from oneprice.errors import UserError
from oneprice.settings.loader import load_config
from oneprice.storage import Database, ObservationRepository

ROOT = Path(__file__).resolve().parents[3]
PAGES = ROOT / "tests" / "fixtures" / "pages"
FAST = {"AUTOTHROTTLE_ENABLED": False}

pytestmark = pytest.mark.slow


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def crawl_config(tmp_path: Path, site: str, make_config: Callable[..., Path]) -> Path:
    return make_config(
        tmp_path,
        watch=[
            ("shop-op12", f"{site}/shop/jsonld_product.html", "website"),
            ("tb-captcha", f"{site}/taobao/captcha.html", "taobao"),
            ("tb-gbk", f"{site}/taobao/gbk_listing.html", "taobao"),
            ("gone", f"{site}/shop/removed.html", "website"),
            ("down", f"http://127.0.0.1:{closed_port()}/item", "website"),
        ],
        crawl="retries: 0\ntimeout: 10\nuser_agent: oneprice-test/1",
    )


def stored(config_path: Path) -> dict[str, Any]:
    db = Database.open(load_config(config_path).database_url())
    try:
        repo = ObservationRepository(db)
        latest = {o.target_id: o for o in repo.latest_per_target()}
        evidence = repo.evidence(latest["shop-op12"].evidence_sha256 or "")
        return {"counts": repo.count_by_status(), "latest": latest, "evidence": evidence}
    finally:
        db.dispose()


EXPECTED = {"ok": 1, "blocked": 1, "review": 1, "http_error": 2}


def test_crawl_in_subprocess_stores_one_observation_per_target(crawl_config: Path) -> None:
    summary = crawl_in_subprocess(str(crawl_config), settings=FAST, timeout=120)
    assert summary == CrawlSummary(pages=5, by_status=EXPECTED, finish_reason="finished")

    db = stored(crawl_config)
    assert db["counts"] == EXPECTED
    latest = db["latest"]
    ok = latest["shop-op12"]
    assert ok.status is ObservationStatus.OK and ok.price is not None
    assert (ok.price.amount, ok.price.currency, ok.product_sku, ok.reseller_id) == (
        Decimal("1299.00"), "CNY", "OP12-128-SLV", "xingchen",
    )  # fmt: skip
    assert db["evidence"] is not None and b"OnePhone 12" in db["evidence"][1]
    assert (latest["tb-captcha"].status, latest["tb-captcha"].reason, latest["tb-captcha"].price) == (
        ObservationStatus.BLOCKED, "captcha", None,
    )  # fmt: skip
    gbk = latest["tb-gbk"]
    # The title names OnePods Pro but not its colour: a guess for a person to confirm, never an alert.
    assert (
        gbk.status is ObservationStatus.REVIEW
        and gbk.product_sku == "OPODS-PRO-WHT"
        and gbk.title == "OnePods Pro 无线蓝牙耳机 降噪 正品行货"
    )
    assert gbk.reseller_id == "lanhai"
    assert (latest["gone"].status, latest["gone"].reason) == (ObservationStatus.HTTP_ERROR, "http_404")
    assert (latest["down"].status, latest["down"].reason) == (
        ObservationStatus.HTTP_ERROR,
        "connection_refused",
    )


def test_crawl_in_subprocess_visits_only_the_targets_named(crawl_config: Path) -> None:
    summary = crawl_in_subprocess(str(crawl_config), target_ids=["tb-captcha"], settings=FAST, timeout=120)
    assert (summary.pages, summary.by_status) == (1, {"blocked": 1})
    with pytest.raises(UserError, match="unknown listing watch target"):
        crawl_in_subprocess(str(crawl_config), target_ids=["nope"], timeout=120)


def test_scrapy_crawl_watch_works_inside_crawlers(crawl_config: Path) -> None:
    command = [sys.executable, "-m", "scrapy", "crawl", "watch", "-a", f"config={crawl_config}"]
    command += ["-a", "targets=shop-op12", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=WARNING"]
    done = subprocess.run(command, cwd=ROOT / "crawlers", capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert stored(crawl_config)["counts"] == {"ok": 1}


RUN_TWICE = """
import json, sys
from crawlers.runner import run_crawl
from oneprice.errors import OnepriceError
from oneprice.settings.loader import load_config

config = load_config(sys.argv[1])
seen = []
summary = run_crawl(config, on_item=lambda obs: seen.append([obs.target_id, obs.status.value, obs.id]),
                    settings={"AUTOTHROTTLE_ENABLED": False})
try:
    run_crawl(config)
    again = "ran"
except OnepriceError as e:
    again = str(e)
print(json.dumps({"summary": summary.to_json(), "seen": sorted(seen), "again": again}))
"""


def test_run_crawl_reports_each_observation_and_refuses_a_second_reactor(crawl_config: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", RUN_TWICE, str(crawl_config)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert CrawlSummary.from_json(out["summary"]).by_status == EXPECTED
    assert [(t, s) for t, s, _ in out["seen"]] == [
        ("down", "http_error"), ("gone", "http_error"), ("shop-op12", "ok"), ("tb-captcha", "blocked"),
        ("tb-gbk", "review"),
    ]  # fmt: skip
    assert all(isinstance(obs_id, int) for _, _, obs_id in out["seen"])
    assert "reactor already ran" in out["again"]
