"""Repositories round-trip domain objects exactly (Decimal money, aware UTC times) on every backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from oneprice.domain import Money, Observation, ObservationStatus, Severity, Violation
from oneprice.domain.catalog import Catalog, Product, Reseller, WatchTarget
from oneprice.storage import (
    AlertRepository,
    BindingRepository,
    CatalogRepository,
    Database,
    JournalRepository,
    ObservationRepository,
)
from oneprice.storage.tables import AlertRow

T0 = datetime(2026, 11, 11, 0, 0, tzinfo=UTC)


def obs(target: str = "t1", price: str | None = "1234.5678", **kw: object) -> Observation:
    fields: dict[str, object] = dict(
        target_id=target,
        url=f"http://127.0.0.1/{target}",
        platform="tmall",
        observed_at=T0,
        status=ObservationStatus.OK,
        price=Money.of(price, "CNY") if price else None,
        raw_price="¥1,234.57",
        method="json-ld",
        confidence=Decimal("0.95"),
        seller_name="星光 数码",
        product_sku="SKU-1",
    )
    fields.update(kw)
    return Observation.model_validate(fields)


def violation(seller: str = "xingguang", at: datetime = T0, obs_id: int = 1) -> Violation:
    return Violation(
        rule="undercut",
        product_sku="SKU-1",
        seller_key=seller,
        seller_name="星光",
        reseller_id=seller,
        platform="tmall",
        unified_price=Money.of("1299", "CNY"),
        observed_price=Money.of("1099", "CNY"),
        gap_percent=Decimal("15.40"),
        severity=Severity.CRITICAL,
        message="below floor",
        url="http://127.0.0.1/x",
        observation_id=obs_id,
        observed_at=at,
    )


def test_migrations_create_every_table(any_db: Database) -> None:
    assert {"products", "bindings", "sync_journal", "observations", "alerts", "evidence"} <= set(any_db.table_names())
    assert any_db.current_revision() is not None
    any_db.upgrade()  # idempotent


def test_observation_roundtrip_keeps_decimal_and_utc(any_db: Database) -> None:
    repo = ObservationRepository(any_db)
    oid = repo.add(obs(), evidence=b"<html>page</html>")
    got = repo.get(oid)
    assert got is not None
    assert got.price == Money.of("1234.57", "CNY")
    assert isinstance(got.price.amount, Decimal)
    assert got.observed_at == T0 and got.observed_at.tzinfo is not None
    assert got.confidence == Decimal("0.95")
    assert got.evidence_sha256 is not None
    assert repo.evidence(got.evidence_sha256) == ("text/html", b"<html>page</html>")


def test_evidence_is_stored_once_per_content(any_db: Database) -> None:
    repo = ObservationRepository(any_db)
    a = repo.add(obs("t1"), evidence=b"same")
    b = repo.add(obs("t2"), evidence=b"same")
    oa, ob = repo.get(a), repo.get(b)
    assert oa and ob and oa.evidence_sha256 == ob.evidence_sha256


def test_latest_per_target(any_db: Database) -> None:
    repo = ObservationRepository(any_db)
    repo.add(obs("t1", price="10"))
    repo.add(obs("t1", price=None, status=ObservationStatus.BLOCKED, reason="captcha"))
    repo.add(obs("t2", price="20"))
    latest = {o.target_id: o for o in repo.latest_per_target()}
    assert latest["t1"].status is ObservationStatus.BLOCKED and latest["t1"].price is None
    assert latest["t2"].price == Money.of("20", "CNY")
    assert repo.count_by_status() == {"ok": 2, "blocked": 1}


def test_bindings_upsert(any_db: Database) -> None:
    repo = BindingRepository(any_db)
    repo.save("official", "SKU-1", "17", last_hash="abc")
    repo.save("official", "SKU-1", "17", remote_modified="2026-11-11T00:00:00")
    repo.save("outlet", "SKU-1", "99")
    b = repo.for_channel("official")["SKU-1"]
    assert (b.remote_id, b.last_hash, b.remote_modified) == ("17", "abc", "2026-11-11T00:00:00")
    assert b.synced_at is not None and b.synced_at.tzinfo is not None
    assert list(repo.for_channel("outlet")) == ["SKU-1"]


def test_journal_states(any_db: Database) -> None:
    repo = JournalRepository(any_db)
    run = repo.start_run("apply", "official")
    entry = repo.record(run, "official", "SKU-1", "create", "planned", after={"price": "1.00"})
    repo.update(entry, "failed", error="boom")
    repo.finish_run(run, "partial", {"failed": 1})
    [e] = repo.entries(run)
    assert (e.state, e.error, e.after) == ("failed", "boom", {"price": "1.00"})
    assert repo.runs()[0].counts == {"failed": 1}
    with pytest.raises(ValueError):
        repo.update(entry, "exploded")


def test_alert_episodes_open_refresh_resolve(any_db: Database) -> None:
    obs_id = ObservationRepository(any_db).add(obs())
    repo = AlertRepository(any_db)
    first = repo.apply([violation(obs_id=obs_id)], cleared=[], now=T0)
    assert len(first.opened) == 1 and not first.updated
    later = T0 + timedelta(hours=1)
    second = repo.apply([violation(at=later, obs_id=obs_id)], cleared=[], now=later)
    assert not second.opened and len(second.updated) == 1
    [alert] = repo.list()
    assert alert.first_seen == T0 and alert.last_seen == later
    assert alert.observed_price == Money.of("1099", "CNY") and alert.gap_percent == Decimal("15.40")
    third = repo.apply([], cleared=[alert.key], now=later)
    assert [a.id for a in third.resolved] == [alert.id]
    reopened = repo.apply([violation(at=later, obs_id=obs_id)], cleared=[], now=later)
    assert len(reopened.opened) == 1 and len(repo.list()) == 2


def test_only_one_open_episode_per_key_in_the_schema(any_db: Database) -> None:
    def row() -> AlertRow:
        return AlertRow(
            rule="undercut",
            status="open",
            severity="warning",
            product_sku="S",
            seller_key="k",
            platform="jd",
            unified_price=Decimal(1),
            currency="CNY",
            message="m",
            first_seen=T0,
            last_seen=T0,
        )

    with pytest.raises(IntegrityError), any_db.session() as s:
        s.add_all([row(), row()])


def test_catalog_sync_upserts_and_deactivates_targets(any_db: Database) -> None:
    p = Product(sku="SKU-1", name="Jacket", unified_price=Money.of("1299", "CNY"))
    r = Reseller(id="xingguang", name="星光", platforms=("tmall",))
    t1 = WatchTarget(id="a", url="http://127.0.0.1/a", platform="tmall")
    t2 = WatchTarget(id="b", url="http://127.0.0.1/b", platform="jd")
    repo = CatalogRepository(any_db)
    repo.sync(Catalog(products=(p,)), (), (r,), (t1, t2))
    repo.sync(Catalog(products=(p,)), (), (r,), (t1,))
    assert repo.product_count() == 1


def test_money_columns_refuse_float(sqlite_db: Database) -> None:
    with pytest.raises(Exception, match="float"), sqlite_db.session() as s:
        s.add(
            AlertRow(
                rule="x",
                status="resolved",
                severity="info",
                product_sku="S",
                seller_key="k",
                platform="jd",
                unified_price=1.5,  # type: ignore[arg-type]
                currency="CNY",
                message="m",
                first_seen=T0,
                last_seen=T0,
            )
        )


def test_migrations_match_the_table_definitions(any_db: Database) -> None:
    """Every table change comes with its migration: autogenerate finds nothing left to do."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from oneprice.storage.tables import Base

    with any_db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_sqlite_ddl_rolls_back_with_its_transaction(tmp_path: Path) -> None:
    """A migration that fails half-way leaves nothing behind on SQLite either."""
    from sqlalchemy import text

    db = Database(f"sqlite:///{tmp_path / 'tx.db'}")
    with pytest.raises(RuntimeError), db.engine.begin() as conn:
        conn.execute(text("CREATE TABLE half_done (x INTEGER)"))
        raise RuntimeError("migration failed")
    assert "half_done" not in db.table_names()


def test_a_database_file_that_cannot_be_made_is_a_storage_error_naming_it() -> None:
    from oneprice.errors import StorageError

    with pytest.raises(StorageError, match=r"cannot create the database file /proc/oneprice-test\.db"):
        Database.open("sqlite:////proc/oneprice-test.db")
