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
