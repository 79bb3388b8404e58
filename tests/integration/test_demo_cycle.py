"""End to end: the demo cycle against the sandbox raises exactly the alerts the demo data implies."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from oneprice.settings import load_config
from sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "config" / "demo.yaml"
OFFERS = ROOT / "sandbox" / "data" / "demo_offers.yaml"

pytestmark = pytest.mark.slow


def oneprice(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the real CLI in a subprocess (the Scrapy reactor starts once per process)."""
    proc = subprocess.run(
        [sys.executable, "-m", "oneprice", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"oneprice {' '.join(args)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if not k.startswith("ONEPRICE_")}
    e["ONEPRICE_DATABASE_URL"] = f"sqlite:///{tmp_path / 'demo.db'}"
    e["COLUMNS"] = "200"
    return e


def expected_alerts() -> set[tuple[str, str, str, str]]:
    """(rule, product sku, platform, seller name) for every `expect` in the sandbox's offers and their variants."""
    offers = yaml.safe_load(OFFERS.read_text(encoding="utf-8"))["offers"]
    return {
        (rule, listed["sku"], o["platform"], o["seller"])
        for o in offers
        for listed in (o, *o.get("variants", ()))
        for rule in listed.get("expect", ())
    }


def open_alerts(env: dict[str, str]) -> list[dict[str, Any]]:
    out = oneprice("-c", str(DEMO), "alerts", "list", "--format", "json", env=env).stdout
    return json.loads(out)


def test_demo_twice_gives_exactly_the_expected_alerts_without_duplicates(env: dict[str, str]) -> None:
    first = oneprice("-c", str(DEMO), "demo", env=env)
    assert "Open alerts by seller" in first.stdout
    alerts = open_alerts(env)
    found = {(a["rule"], a["product_sku"], a["platform"], a["seller"]) for a in alerts}
    assert found == expected_alerts()
    assert {a["rule"] for a in alerts} == {"undercut", "unauthorized_seller"}
    for a in alerts:
        assert a["evidence_observation_id"] is not None and a["url"]
        assert a["first_seen"] <= a["last_seen"]
        if a["rule"] == "undercut":
            assert float(a["gap_percent"]) > 0  # compared only as a sign, money stays in strings
    assert not [a for a in alerts if "blocked" in (a["url"] or "")]

    second = oneprice("-c", str(DEMO), "demo", env=env)
    # A new sandbox each run: the stores are seeded again, not refused as emptied by the guard.
    assert "guard" not in second.stdout + second.stderr
    again = open_alerts(env)
    assert sorted(a["id"] for a in again) == sorted(a["id"] for a in alerts)
    assert all(
        a["last_seen"] >= b["last_seen"]
        for a, b in zip(sorted(again, key=lambda a: a["id"]), sorted(alerts, key=lambda a: a["id"]), strict=True)
    )


@pytest.fixture
def sandbox_url() -> Iterator[str]:
    with Sandbox.from_config(load_config(DEMO)).running(port=0) as url:
        yield url


def test_second_apply_sends_no_writes_and_crawl_records_the_blocked_page(env: dict[str, str], sandbox_url: str) -> None:
    env["ONEPRICE_SANDBOX_URL"] = sandbox_url
    plan = json.loads(oneprice("-c", str(DEMO), "sync", "plan", "--format", "json", env=env).stdout)
    assert plan, "a plan per channel"
    first = json.loads(oneprice("-c", str(DEMO), "sync", "apply", "--format", "json", env=env).stdout)
    assert first["write_requests"] > 0
    second = json.loads(oneprice("-c", str(DEMO), "sync", "apply", "--format", "json", env=env).stdout)
    assert second["write_requests"] == 0

    oneprice("-c", str(DEMO), "crawl", env=env)
    oneprice("-c", str(DEMO), "evaluate", env=env)
    alerts = open_alerts(env)
    assert {(a["rule"], a["product_sku"], a["platform"], a["seller"]) for a in alerts} == expected_alerts()
    # A removed listing whose address now leads to a search page: recorded with the reason, its
    # results' prices not read as the listing's.
    status = json.loads(oneprice("-c", str(DEMO), "crawl", "status", "--format", "json", env=env).stdout)
    failing = {f["target"]: (f["status"], f["reason"], f["url"]) for f in status["failing"]}
    moved = failing["taobao-laoshan-jacket-removed"]
    assert moved[:2] == ("no_price", "redirected_elsewhere") and "/shop/taobao/search?" in moved[2]
    assert failing["taobao-blocked-jacket"][:2] == ("blocked", "captcha")


def test_config_check_on_broken_copies_prints_file_line_and_exits_2(env: dict[str, str], tmp_path: Path) -> None:
    text = DEMO.read_text(encoding="utf-8")
    broken = tmp_path / "demo.yaml"
    broken.write_text(
        text.replace("  currency: CNY", "  currency: RMB", 1).replace("kind: woocommerce", "kind: woocomerce", 1),
        encoding="utf-8",
    )
    (tmp_path / "demo-catalog.csv").write_text(
        (ROOT / "config" / "demo-catalog.csv").read_text(encoding="utf-8"), encoding="utf-8"
    )
    proc = oneprice("config", "check", "-c", str(broken), env=env, check=False)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert any(line.startswith(f"{broken}:") and "brand.currency: unknown currency 'RMB'" in line for line in lines)
    assert any("channels[0].kind: unknown channel kind 'woocomerce'" in line for line in lines)

    good = oneprice("config", "check", "-c", str(DEMO), env=env)
    assert "cs_sandbox_official" not in good.stdout and "***" in good.stdout
