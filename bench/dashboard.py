"""`python -m bench dashboard`: the alert inbox stays as fast on its last page as on its first.

Fills a SQLite database with N alerts (100,000; 10,000 with --quick) through the alert repository,
then times the inbox over HTTP (the FastAPI app in-process): the first page, the last page (keyset:
`id < cursor`), and a filtered page, each the median of repeated requests. The last page is judged
against the first; the filtered page against the first page plus the count of its matches (a scan
when the filter's columns have no index), both measured in the same run.
"""

from __future__ import annotations

import secrets
import statistics
import tempfile
import warnings
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.common import Figure, stopwatch
from oneprice.domain.alert import Severity, Violation
from oneprice.domain.money import Money
from oneprice.settings.loader import load_config
from oneprice.settings.watch import store_catalog
from oneprice.storage import AlertRepository, Database
from oneprice.storage.users import Role, UserRepository
from oneprice.storage.web_queries import AlertFilter, DashboardQueries

ROOT = Path(__file__).resolve().parents[1]
PLATFORMS = ("tmall", "jd", "taobao", "pinduoduo", "douyin")
SEVERITIES = (Severity.INFO, Severity.WARNING, Severity.CRITICAL)
REPEAT = 25
BATCH = 5000


def _fill(db: Database, n: int, skus: list[str]) -> None:
    repo = AlertRepository(db)
    at = datetime.now(UTC) - timedelta(days=1)
    for start in range(0, n, BATCH):
        violations = [
            Violation(
                rule="undercut",
                product_sku=skus[i % len(skus)],
                seller_key=f"name:seller {i}",
                seller_name=f"卖家 {i}",
                reseller_id=None,
                platform=PLATFORMS[i % len(PLATFORMS)],
                unified_price=Money.of("1299", "CNY"),
                observed_price=Money.of("999", "CNY"),
                gap_percent=None,
                severity=SEVERITIES[i % 3],
                message="bench",
                url="http://127.0.0.1/x",
                observation_id=None,
                observed_at=at,
            )
            for i in range(start, min(n, start + BATCH))
        ]
        repo.apply(violations, [], at)


def _median_ms(client: Any, url: str) -> float:
    times = []
    for _ in range(REPEAT):
        with stopwatch() as t:
            r = client.get(url)
        assert r.status_code == 200, (url, r.status_code)
        times.append(t[0] * 1000)
    return statistics.median(times)


def run(quick: bool) -> tuple[dict[str, Figure], dict[str, Any]]:
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

    from oneprice.web.app import create_app
    from oneprice.web.security import hash_password

    n = 10_000 if quick else 100_000
    config = load_config(ROOT / "config" / "demo.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        db = Database.open(f"sqlite:///{Path(tmp) / 'bench.db'}")
        store_catalog(config, db)
        _fill(db, n, sorted(config.catalog.by_sku()))
        UserRepository(db).add("bench", hash_password("bench password"), Role.VIEWER)
        app = create_app(config, db, secret_key=secrets.token_hex(32))
        client = TestClient(app, base_url="http://127.0.0.1")
        page = client.get("/login")
        token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        client.post("/login", data={"username": "bench", "password": "bench password", "csrf_token": token})
        queries = DashboardQueries(db)
        all_alerts = AlertFilter()
        total = queries.alert_count(all_alerts)
        # The cursor of the last page: the id just above the 50 oldest alerts.
        oldest = [a.id for a in queries.iter_alerts(all_alerts, chunk=5000)][-51]
        first = _median_ms(client, "/alerts?status=all")
        last = _median_ms(client, f"/alerts?status=all&before={oldest}")
        filtered = _median_ms(client, "/alerts?status=all&severity=critical&platform=jd")
        # What the filtered page cannot avoid: counting its matches (severity and platform have no
        # index of their own, so this reads the table), measured alone.
        narrow = AlertFilter(severity="critical", platform="jd")
        counts = []
        for _ in range(REPEAT):
            with stopwatch() as t:
                queries.alert_count(narrow, cap=10_000)
            counts.append(t[0] * 1000)
        count_ms = statistics.median(counts)
        db.dispose()
    figures = {
        "last_page_ms": Figure(last, first, "<= 2", "ms", f"page {total // 50} of {total} alerts vs page 1"),
        "filtered_page_ms": Figure(
            filtered, first + count_ms, "<= 2", "ms", "severity + platform filter vs page 1 + counting its matches"
        ),
        "first_page_ms": Figure(first, first, "<= 1", "ms", "page 1 (includes the total count)"),
    }
    return figures, {"alerts": n, "repeat": REPEAT}
