"""Fixtures of the dashboard tests: a seeded database, the app over it, clients logged in per role."""
# ruff: noqa: E402

from __future__ import annotations

import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path

# Starlette's TestClient warns about its own httpx use on import; nothing for this project to act on.
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from web_client import BASE, SECRET, login
from web_seed import Seeded, add_user, seed

from oneprice.storage import Database
from oneprice.storage.users import Role
from oneprice.web.app import create_app


@pytest.fixture(scope="session")
def seeded_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Seeded]:
    """Seeded once per run; every test gets its own copy of the file."""
    path = tmp_path_factory.mktemp("web") / "seeded.db"
    db = Database.open(f"sqlite:///{path}")
    data = seed(db)
    add_user(db, "manager", Role.BRAND_MANAGER)
    add_user(db, "viewer", Role.VIEWER)
    add_user(db, "zhang", Role.VIEWER, language="zh-CN")
    db.dispose()
    return path, data


@pytest.fixture
def seeded(seeded_file: tuple[Path, Seeded], tmp_path: Path) -> tuple[Seeded, Path]:
    copy = tmp_path / "web.db"
    shutil.copyfile(seeded_file[0], copy)
    return seeded_file[1], copy


@pytest.fixture
def web_db(seeded: tuple[Seeded, Path]) -> Iterator[Database]:
    db = Database.open(f"sqlite:///{seeded[1]}")
    yield db
    db.dispose()


@pytest.fixture
def data(seeded: tuple[Seeded, Path]) -> Seeded:
    return seeded[0]


@pytest.fixture
def app(data: Seeded, web_db: Database) -> FastAPI:
    return create_app(data.config, web_db, secret_key=SECRET)


@pytest.fixture
def anon(app: FastAPI) -> TestClient:
    return TestClient(app, base_url=BASE, follow_redirects=False)


@pytest.fixture
def manager(app: FastAPI) -> TestClient:
    return login(TestClient(app, base_url=BASE, follow_redirects=False), "manager")


@pytest.fixture
def viewer(app: FastAPI) -> TestClient:
    return login(TestClient(app, base_url=BASE, follow_redirects=False), "viewer")
