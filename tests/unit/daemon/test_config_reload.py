"""A running daemon picks up edits of its config and catalog; a version that does not load changes nothing."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from daemon_fakes import Clock, locked
from demo_files import copy_demo, edit_later
from sqlalchemy import select

from oneprice.app import load, open_database
from oneprice.daemon import CONFIG_RULE, Daemon
from oneprice.domain.alert import AlertStatus
from oneprice.storage import AlertRepository, CatalogRepository, Database
from oneprice.storage.daemon import JobRepository
from oneprice.storage.tables import ProductRow

SKU = "SY-JK01-RED-L"


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Daemon, Path]:
    monkeypatch.setenv("ONEPRICE_DATABASE_URL", f"sqlite:///{tmp_path / 'd.db'}")
    path = copy_demo(tmp_path)
    config = load(path)
    db = open_database(config)
    daemon = Daemon(config, db, path, holder="test:reload", clock=Clock(), reload_config=lambda: load(path))
    yield daemon, path
    daemon.stop.set()
    for lane in daemon.lanes.values():
        lane.close()
    db.dispose()


def unified(daemon: Daemon, db: Database, sku: str = SKU) -> tuple[Decimal, Decimal]:
    with db.session() as s:
        stored = s.scalars(select(ProductRow.unified_price).where(ProductRow.sku == sku)).one()
    return daemon.config.catalog.by_sku()[sku].unified_price.amount, Decimal(stored)


def test_a_new_unified_price_is_used_once_the_catalog_stops_changing(setup: tuple[Daemon, Path]) -> None:
    daemon, path = setup
    first = daemon.config
    daemon._check_config()
    assert daemon.config is first  # nothing changed: nothing read
    catalog = path.parent / "catalog.csv"
    text = catalog.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith(SKU))
    edit_later(catalog, row, row.replace("1299.00", "1399.00"))
    daemon._check_config()
    assert daemon.config is first  # the file just changed: it may still be being written
    daemon._check_config()
    assert daemon.config is not first and daemon.ctx.config is daemon.config
    assert unified(daemon, daemon.db) == (Decimal("1399.00"), Decimal("1399.00"))  # the database's copy too


def test_a_file_still_being_written_is_not_read(setup: tuple[Daemon, Path]) -> None:
    daemon, path = setup
    first = daemon.config
    catalog = path.parent / "catalog.csv"
    text = catalog.read_text(encoding="utf-8")
    edit_later(catalog, text, text[: len(text) // 2])  # half of it, the rest coming
    daemon._check_config()
    edit_later(catalog, text[: len(text) // 2], text)
    daemon._check_config()
    assert daemon.config is first  # it changed again since the last tick
    daemon._check_config()
    assert daemon.config is not first
    assert AlertRepository(daemon.db).list(rule=CONFIG_RULE) == []


def test_a_config_that_does_not_load_keeps_the_last_good_one_and_says_why(
    setup: tuple[Daemon, Path], caplog: pytest.LogCaptureFixture
) -> None:
    daemon, path = setup
    first = daemon.config
    edit_later(path, "retention_days: 90", "retention_days: ninety")
    daemon._check_config()
    daemon._check_config()
    assert daemon.config is first
    assert "configuration not reloaded" in caplog.text and "retention_days" in caplog.text
    [alert] = AlertRepository(daemon.db).list(rule=CONFIG_RULE)
    assert alert.status is AlertStatus.OPEN and f"{path}:" in alert.message and "retention_days" in alert.message
    daemon._check_config()
    daemon._check_config()
    assert len(AlertRepository(daemon.db).list(rule=CONFIG_RULE)) == 1  # not read again until it changes
    edit_later(path, "retention_days: ninety", "retention_days: 60")
    daemon._check_config()
    daemon._check_config()
    assert daemon.config is not first and daemon.settings.retention_days == 60
    [alert] = AlertRepository(daemon.db).list(rule=CONFIG_RULE)
    assert alert.status is AlertStatus.RESOLVED


def test_schedules_channels_and_lanes_follow_the_config(setup: tuple[Daemon, Path]) -> None:
    daemon, path = setup
    daemon._start_lanes()
    daemon._install_schedule()
    [crawl] = daemon.scheduler.get_jobs("crawl")
    assert crawl.interval == 300
    assert "channel:ebay-us" in daemon.lanes and daemon.scheduler.get_jobs("sync_apply:ebay-us")
    edit_later(path, "crawl:\n    every: 5m", "crawl:\n    every: 20m")
    edit_later(path, "  name: ebay-us\n", "  name: ebay-us\n  enabled: false\n")
    old_ebay = next(j for j in daemon.jobs if j.name == "sync_apply:ebay-us")
    daemon.request_reload()  # SIGHUP: at once, without waiting a tick
    daemon._check_config()
    [crawl] = daemon.scheduler.get_jobs("crawl")
    assert crawl.interval == 1200
    assert not daemon.scheduler.get_jobs("sync_apply:ebay-us") and not daemon.scheduler.get_jobs("sync_check:ebay-us")
    assert "channel:ebay-us" not in daemon.lanes
    assert "sync_apply:ebay-us" not in {j.name for j in daemon.jobs}
    assert daemon.scheduler.get_jobs("sync_apply:official")  # the others keep theirs
    daemon.dispatch(old_ebay)  # scheduled before the reload: not run, and not in the loop's thread
    assert "sync_apply:ebay-us" not in {r.job for r in JobRepository(daemon.db).runs()}


def test_a_locked_database_during_the_reload_is_tried_again(
    setup: tuple[Daemon, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    daemon, path = setup
    first = daemon.config
    edit_later(path, "retention_days: 90", "retention_days: 60")
    daemon._check_config()
    with monkeypatch.context() as m:
        m.setattr(CatalogRepository, "sync", locked)
        assert daemon._tick() is False  # logged; the daemon goes on with what it has
    assert daemon.config is first
    daemon._check_config()
    daemon._check_config()
    assert daemon.config is not first and daemon.settings.retention_days == 60
