"""Browser test harness: the dashboard served by uvicorn on 127.0.0.1, driven by Playwright through
Debian's Chromium (/usr/bin/chromium). Skipped, with the reason printed, when either is missing.

Screenshots go to test-artifacts/screenshots/; with ONEPRICE_UPDATE_DOC_SCREENSHOTS=1 the ones
named in DOC_SHOTS are also copied to docs/screenshots/ (for README.md and docs/dashboard.md).
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "unit" / "web"))

from web_seed import PASSWORD, Seeded, add_user, seed  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
DOCS = ROOT / "docs" / "screenshots"
DOC_SHOTS = {"login", "overview", "inbox-filtered", "alert-detail", "seller", "product", "sync", "review", "notice"}
SECRET = "browser-test-secret-key-0123456789abcdef"


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} not found (apt-get install -y chromium): browser tests skipped"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[dev]'): browser tests skipped"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = _missing()
    if reason is None:
        return
    print(f"\n{reason}", file=sys.stderr)
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.skip(reason=reason))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, url: str, data: Seeded, db: Any) -> None:
        self.url, self.data, self.db = url, data, db


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    import uvicorn

    from oneprice.storage import Database
    from oneprice.storage.users import Role
    from oneprice.web.app import create_app

    db = Database.open(f"sqlite:///{tmp_path_factory.mktemp('browser') / 'dashboard.db'}")
    data = seed(db)
    add_user(db, "manager", Role.BRAND_MANAGER, language="en")
    add_user(db, "wang", Role.BRAND_MANAGER, language="zh-CN")
    app = create_app(data.config, db, secret_key=SECRET)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):  # wait until it listens (not a timing assertion: it fails only if it never does)
        if srv.started:
            break
        time.sleep(0.05)
    assert srv.started, "the dashboard server did not start"
    yield Server(f"http://127.0.0.1:{port}", data, db)
    srv.should_exit = True
    thread.join(timeout=10)
    db.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield b
            b.close()


@contextmanager
def recording_tab(browser: Any) -> Iterator[Any]:
    """A tab in a fresh browser context; every JavaScript dialog (alert(1)) that opens is recorded
    in its `dialogs` and dismissed."""
    context = browser.new_context(viewport={"width": 1360, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    try:
        yield pg
    finally:
        context.close()


@pytest.fixture
def page(browser: Any, server: Server) -> Iterator[Any]:
    """A fresh browser context; every JavaScript dialog (alert(1)) that opens is recorded."""
    with recording_tab(browser) as pg:
        yield pg


def login(page: Any, server: Server, username: str = "manager", password: str = PASSWORD) -> None:
    page.goto(server.url + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(server.url + "/")


def shot(page: Any, name: str, full_page: bool = True) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    if name in DOC_SHOTS and os.environ.get("ONEPRICE_UPDATE_DOC_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOCS / f"{name}.png")
    return path
