"""Shared fixtures: databases on SQLite (always) and PostgreSQL (when ONEPRICE_TEST_POSTGRES_URL is set)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from oneprice.storage import Database

ROOT = Path(__file__).resolve().parents[1]
POSTGRES_URL = os.environ.get("ONEPRICE_TEST_POSTGRES_URL")


def _reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgres", marks=pytest.mark.postgres),
    ]
)
def any_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty database on each backend the machine offers."""
    if request.param == "sqlite":
        db = Database.open(f"sqlite:///{tmp_path / 'test.db'}")
    else:
        if not POSTGRES_URL:
            pytest.skip("ONEPRICE_TEST_POSTGRES_URL is not set: PostgreSQL storage tests skipped")
        _reset_postgres(POSTGRES_URL)
        db = Database.open(POSTGRES_URL)
    yield db
    db.dispose()


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    db = Database.open(f"sqlite:///{tmp_path / 'test.db'}")
    yield db
    db.dispose()
