"""A daemon on a clock the test moves, over the demo config and a test database."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.exc import OperationalError

from oneprice.daemon import Daemon
from oneprice.jobs import Job
from oneprice.storage import Database

ROOT = Path(__file__).resolve().parents[3]
T0 = datetime(2026, 11, 27, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai


def locked(*_: Any, **__: Any) -> Any:
    """Stands in for a repository call while another process holds SQLite's write lock."""
    raise OperationalError("BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked"))


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def make(config: Any, db: Database, jobs: list[Job], clock: Clock, holder: str = "test:1") -> Daemon:
    return Daemon(config, db, ROOT / "config" / "demo.yaml", jobs=jobs, holder=holder, clock=clock)


def copy_demo(directory: Path) -> Path:
    """The demo config and its catalog copied into `directory` for a test to edit; the config's path."""
    import shutil

    import yaml

    doc: dict[str, Any] = yaml.safe_load((ROOT / "config" / "demo.yaml").read_text(encoding="utf-8"))
    shutil.copy(ROOT / "config" / doc["catalog"]["file"], directory / "catalog.csv")
    doc["catalog"]["file"] = "catalog.csv"
    doc["alerts"]["notices"]["templates"] = str(ROOT / "config" / doc["alerts"]["notices"]["templates"])
    path = directory / "oneprice.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path
