"""The index covering the alert engine's per-target reads, and the statistics retention keeps current."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, insert, text

import oneprice.storage.alert_inputs as alert_inputs
from oneprice.jobs import JobContext, refresh_statistics, retention_job
from oneprice.settings import load_config
from oneprice.storage import Database
from oneprice.storage.alert_inputs import AlertInputRepository
from oneprice.storage.tables import ObservationRow

ROOT = Path(__file__).resolve().parents[3]
T0 = datetime(2026, 11, 1, tzinfo=UTC)


def observations(targets: int, visits: int) -> list[dict[str, Any]]:
    rows = []
    for visit in range(visits):
        for t in range(targets):
            blocked = (t + visit) % 7 == 0
            ranged = not blocked and (t + visit) % 5 == 0  # a range's low end or a "from" price
            rows.append(
                {
                    "target_id": f"w{t:03d}",
                    "url": f"http://127.0.0.1:1/{t}",
                    "platform": "jd",
                    "observed_at": T0 + timedelta(hours=6 * visit),
                    "status": "blocked" if blocked else "ok",
                    "price": None if blocked else Decimal(100 + t) - visit,
                    "currency": None if blocked else "CNY",
                    "confidence": Decimal(1),
                    "seller_name": f"Seller {t % 3}",
                    "seller_key": f"s{t % 3}",
                    "reseller_id": f"s{t % 3}",
                    "product_sku": "P1",
                    "price_kind": "range" if ranged else None if blocked else "sale",
                    "price_high": Decimal(300) if ranged and t % 2 else None,
                }
            )
    return rows


@pytest.mark.parametrize("analyzed", [False, True])
def test_the_price_history_is_read_from_the_index_alone(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch, analyzed: bool
) -> None:
    """SQLite reads the history from ix_observations_target_history without touching the table,
    with statistics or without, and the readings are the stored OK point prices in order: the low
    end of a range and a "from" price say nothing of what this variant costs."""
    with sqlite_db.engine.begin() as conn:
        conn.execute(insert(ObservationRow), observations(40, 5))
    if analyzed:
        refresh_statistics(sqlite_db)
    plans: list[str] = []
    read = alert_inputs._cursor_rows

    def explained(conn: Connection, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
        plans.append(" / ".join(str(r[-1]) for r in read(conn, f"EXPLAIN QUERY PLAN {sql}", params)))
        return read(conn, sql, params)

    monkeypatch.setattr(alert_inputs, "_cursor_rows", explained)
    wanted = ["w001", "w002", "w007", "w030"]
    found = AlertInputRepository(sqlite_db).recent_prices(wanted, T0 + timedelta(hours=6))
    assert len(plans) == 1
    assert "COVERING INDEX ix_observations_target_history" in plans[0], plans[0]
    assert "TEMP B-TREE" not in plans[0], plans[0]  # the index gives the order asked for

    expected: dict[str, list[tuple[datetime, Decimal]]] = {}
    for row in observations(40, 5):
        if (
            row["target_id"] in wanted
            and row["status"] == "ok"
            and row["price_kind"] != "range"
            and row["observed_at"] >= T0 + timedelta(hours=6)
        ):
            expected.setdefault(row["target_id"], []).append((row["observed_at"], row["price"]))
    assert sum(map(len, expected.values())) < sum(
        1 for r in observations(40, 5) if r["target_id"] in wanted and r["status"] == "ok"
    )  # ranges were left out
    assert {t: [(r.observed_at, r.amount) for r in rs] for t, rs in found.items()} == expected
    assert all(r.currency == "CNY" and r.seller_key == f"s{int(t[1:]) % 3}" for t, rs in found.items() for r in rs)
    ids = [r.id for rs in found.values() for r in rs]
    assert len(set(ids)) == len(ids)


def stat_rows(db: Database) -> list[tuple[str, str]]:
    with db.engine.connect() as conn:
        names = {n for (n,) in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))}
        if "sqlite_stat1" not in names:
            return []
        return [(t, i) for t, i in conn.execute(text("SELECT tbl, idx FROM sqlite_stat1 WHERE tbl = 'observations'"))]


def test_retention_refreshes_the_statistics_of_the_observations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ONEPRICE_DATABASE_URL", f"sqlite:///{tmp_path / 'r.db'}")
    config = load_config(ROOT / "config" / "demo.yaml")
    db = Database(f"sqlite:///{tmp_path / 'r.db'}")
    db.upgrade()
    with db.engine.begin() as conn:
        conn.execute(insert(ObservationRow), observations(30, 4))
    assert stat_rows(db) == []
    counts = retention_job(JobContext(config=config, config_path=ROOT / "config" / "demo.yaml", db=db))
    assert counts["observations_deleted"] == 0  # all younger than the demo's retention
    indexes = {i for _, i in stat_rows(db)}
    assert {"ix_observations_target_history", "ix_observations_product_seller"} <= indexes
    db.dispose()
