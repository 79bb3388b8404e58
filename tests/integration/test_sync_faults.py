"""Sync under faults: injected 429/5xx/slow answers/refused items, and a SIGKILL in the middle of apply.

After apply (re-run as needed) the store equals the catalog, no SKU is listed twice, nothing is lost.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from adapters import channel_validators
from oneprice.domain.catalog import Catalog
from oneprice.settings import LoadedConfig, load_config
from oneprice.storage import Database, DeadLetterRepository, JournalRepository
from sandbox import Sandbox
from sandbox.woocommerce import Chaos, WooStore
from sync.service import apply_all

ROOT = Path(__file__).resolve().parents[2]
KEY, SECRET = "ck_fault_test", "cs_fault_test"

pytestmark = pytest.mark.slow


def write_config(
    tmp_path: Path, url: str, products: int, *, batch_size: int, options: dict[str, Any], rate: float | None
) -> Path:
    rows = ["sku,name,unified_price,currency,stock,status"]
    for n in range(products):
        status = "inactive" if n % 50 == 49 else "active"
        rows.append(f"FT-{n:05d},Fault test product {n},{100 + n}.50,CNY,{n % 7},{status}")
    (tmp_path / "catalog.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    channel: dict[str, Any] = {
        "name": "shop",
        "kind": "woocommerce",
        "base_url": f"{url}/woo/shop",
        "currency": "CNY",
        "credentials": {"consumer_key": KEY, "consumer_secret": SECRET},
        "options": {"batch_size": batch_size, **options},
    }
    if rate is not None:
        channel["rate"] = {"requests_per_second": rate, "burst": 1}
    doc = {
        "brand": {"name": "Fault Test"},
        "database": {"url": f"sqlite:///{tmp_path / 'sync.db'}"},
        "catalog": {"file": "catalog.csv"},
        "channels": [channel],
        "sync": {"retry": {"max_attempts": 3, "backoff": "0.01", "max_backoff": "0.05"}},
    }
    path = tmp_path / "oneprice.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def store() -> Iterator[tuple[WooStore, str]]:
    shop = WooStore("shop", KEY, SECRET)
    sandbox = Sandbox("Fault Test", Catalog(products=()), (), {"shop": shop})
    with sandbox.running(port=0) as url:
        yield shop, url


def assert_converged(shop: WooStore, config: LoadedConfig) -> None:
    products = list(shop.products.values())
    counts = Counter(p["sku"] for p in products)
    assert [sku for sku, n in counts.items() if n > 1] == [], "a SKU is listed twice"
    live = {p["sku"]: p for p in products}
    for product in config.catalog.products:
        found = live.get(product.sku)
        if product.status == "inactive":
            assert found is None or found["status"] != "publish", product.sku
            continue
        assert found is not None, f"{product.sku} was lost"
        assert found["regular_price"] == str(product.unified_price.amount), product.sku
        assert found["stock_quantity"] == product.stock and found["status"] == "publish", product.sku


def test_apply_converges_under_injected_faults(store: tuple[WooStore, str], tmp_path: Path) -> None:
    shop, url = store
    options = {"timeout": 0.3, "max_retries": 1, "backoff": 0.01}
    path = write_config(tmp_path, url, 240, batch_size=20, options=options, rate=None)
    config = load_config(path, channel_validators())
    db = Database.open(config.database_url())
    shop.set_chaos(Chaos(rate=0.2, slow_rate=0.05, slow_delay=0.6, item_rate=0.1, retry_after=0.01, seed=3))
    runs = 0
    while runs < 8:
        runs += 1
        report = apply_all(config, db)
        if report.ok and report.write_requests == 0:
            break
    shop.set_chaos(Chaos())
    assert runs > 1, "the faults made the first apply incomplete"
    assert set(shop.injected) >= {0, 429, 500, 503}, "every fault kind was injected"
    assert_converged(shop, config)
    assert DeadLetterRepository(db).list() == []
    print(f"converged after {runs} apply run(s); injected: {Counter(shop.injected)}")
    final = apply_all(config, db)
    assert final.ok and final.write_requests == 0


def test_sigkill_mid_apply_then_apply_finishes_without_duplicates(store: tuple[WooStore, str], tmp_path: Path) -> None:
    shop, url = store
    path = write_config(tmp_path, url, 400, batch_size=10, options={}, rate=20.0)
    env = {**os.environ, "ONEPRICE_LOG_LEVEL": "WARNING"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "oneprice", "-c", str(path), "sync", "apply"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while shop.write_requests < 8 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert proc.poll() is None, "apply finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    created_before = len(shop.products)
    assert 0 < created_before < 392, "the kill landed in the middle of apply"

    config = load_config(path, channel_validators())
    db = Database.open(config.database_url())
    report = apply_all(config, db)
    assert report.ok, report
    [result] = report.channels
    assert result.recovered > 0 or result.created + created_before == 392
    assert_converged(shop, config)
    assert len(shop.products) == 392  # 400 products, 8 inactive never created
    journal = JournalRepository(db)
    assert [r.outcome for r in journal.runs()][-1] == "interrupted"
    again = apply_all(config, db)
    assert again.ok and again.write_requests == 0
