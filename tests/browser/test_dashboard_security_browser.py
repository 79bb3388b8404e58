"""The dashboard attacked in a real browser: hostile scraped fields on every page, hostile captured pages
as evidence (framed and opened on their own), with a listener on 127.0.0.1 that records any request a
captured page manages to make. No dialog may open, no request may reach the listener."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from browser_harness import SECRET, login, recording_tab, shot
from web_hostile import GBK_TEXT, JS_URL, REASON, SELLER, TITLE, WEB_URL, Hostile, add_hostile
from web_seed import NOW, Seeded, add_user, seed

HITS: list[str] = []


class _Listener(BaseHTTPRequestHandler):
    def _record(self) -> None:
        HITS.append(f"{self.command} {self.path}")
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<h1>remote</h1>")

    do_GET = do_POST = _record

    def log_message(self, *args: object) -> None:
        pass


class AuditServer:
    def __init__(self, url: str, data: Seeded, hostile: Hostile, db: Any) -> None:
        self.url, self.data, self.hostile, self.db = url, data, hostile, db


@pytest.fixture(scope="module")
def audit(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AuditServer]:
    import uvicorn

    from oneprice.storage import Database
    from oneprice.storage.users import Role
    from oneprice.web.app import create_app

    listener = ThreadingHTTPServer(("127.0.0.1", 0), _Listener)
    threading.Thread(target=listener.serve_forever, daemon=True).start()
    track = f"http://127.0.0.1:{listener.server_address[1]}"
    db = Database.open(f"sqlite:///{Path(tmp_path_factory.mktemp('audit')) / 'audit.db'}")
    data = seed(db)
    add_user(db, "manager", Role.BRAND_MANAGER, language="en")
    hostile = add_hostile(db, NOW, track=track)
    config = uvicorn.Config(
        create_app(data.config, db, secret_key=SECRET), host="127.0.0.1", port=0, log_level="warning", lifespan="off"
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):  # wait until it listens (fails only if it never does)
        if srv.started:
            break
        time.sleep(0.05)
    assert srv.started, "the dashboard server did not start"
    port = srv.servers[0].sockets[0].getsockname()[1]
    yield AuditServer(f"http://127.0.0.1:{port}", data, hostile, db)
    srv.should_exit = True
    thread.join(timeout=10)
    listener.shutdown()
    db.dispose()


@pytest.fixture
def tab(browser: Any, audit: AuditServer) -> Iterator[Any]:
    """A logged-in tab; every dialog is recorded and dismissed, and the listener starts empty."""
    with recording_tab(browser) as pg:
        login(pg, audit)  # type: ignore[arg-type]
        HITS.clear()
        yield pg


def _settle(pg: Any) -> None:
    pg.wait_for_load_state("networkidle")


def _no_made_elements(pg: Any) -> None:
    made = "[onload], [onerror], img, script:not([src='/static/app.js']), svg:not(.chart)"
    assert pg.locator(made).count() == 0, pg.url


def test_hostile_fields_and_echoed_values_never_run_on_any_page(tab: Any, audit: AuditServer) -> None:
    h, p = audit.hostile, quote("\"'><img src=x onerror=alert('query')>", safe="")
    pages = [
        "/",
        "/alerts?status=all",
        f"/alerts?status=all&seller={quote(SELLER, safe='')}",
        f"/alerts/{h.link_alert_id}",
        "/products/SY-BT11-42",
        "/products/SY-JK01-BLK-M",
        "/sellers",
        f"/sellers/{quote(h.seller_key, safe='')}",
        "/sync",
        "/review",
        f"/alerts?done={p}&refused={p}&product={p}",
        f"/review?done={p}",
        f"/alerts?status={p}",
        f"/review?state={p}",
        f"/nothing{p}",
    ]
    for path in pages:
        tab.goto(audit.url + path)
        _settle(tab)
        _no_made_elements(tab)
    tab.goto(f"{audit.url}/alerts/{h.alert_id}")
    _settle(tab)
    assert tab.locator("td.seller").first.inner_text().strip().startswith(SELLER)
    assert tab.locator("td.listing-title").first.inner_text().strip() == TITLE
    assert tab.locator("td.url").inner_text().strip() == JS_URL and tab.locator("td.url a").count() == 0
    tab.goto(audit.url + "/review")
    assert REASON in tab.locator("#review").inner_text()
    shot(tab, "security-hostile-review")
    assert tab.dialogs == []
    assert HITS == []


def test_a_notice_drafted_for_a_hostile_seller_shows_the_name_as_text(tab: Any, audit: AuditServer) -> None:
    tab.goto(f"{audit.url}/sellers/{quote(audit.hostile.seller_key, safe='')}")
    tab.click("#draft-notice button[type=submit]")
    tab.wait_for_url("**/notices/*")
    _settle(tab)
    _no_made_elements(tab)
    assert SELLER in tab.locator("td.seller").inner_text()
    assert tab.dialogs == []


def test_framed_evidence_runs_nothing_loads_nothing_and_cannot_navigate_or_post(tab: Any, audit: AuditServer) -> None:
    h = audit.hostile
    tab.goto(f"{audit.url}/alerts/{h.alert_id}")
    frame = tab.locator("iframe.evidence").element_handle().content_frame()
    frame.wait_for_load_state()
    _settle(tab)
    assert frame.locator("h1#captured").inner_text() == "captured page"
    tab.wait_for_timeout(1500)  # give the page's <meta refresh> (0 s) its chance: it must stay where it is
    assert frame.url == f"{audit.url}/evidence/{h.observation_id}"
    frame.locator("#go").click()  # a sandbox without allow-forms: the form goes nowhere
    _settle(tab)
    assert tab.locator("body").inner_text().count("pwned") == 0
    assert tab.url == f"{audit.url}/alerts/{h.alert_id}"
    shot(tab, "security-evidence-framed")
    assert tab.dialogs == []
    assert HITS == []


def test_evidence_opened_on_its_own_is_still_sandboxed(tab: Any, audit: AuditServer) -> None:
    """The readings' evidence links open the page in a tab of its own: the policy sandboxes it there too."""
    h = audit.hostile
    tab.goto(f"{audit.url}/evidence/{h.observation_id}")
    _settle(tab)
    tab.wait_for_timeout(1500)  # the page's <meta refresh> (0 s) would have left by now
    assert tab.url == f"{audit.url}/evidence/{h.observation_id}"
    assert tab.locator("h1#captured").inner_text() == "captured page"
    assert tab.title() == "" or "pwned" not in tab.title()
    tab.locator("#go").click()
    _settle(tab)
    assert tab.url == f"{audit.url}/evidence/{h.observation_id}"
    assert tab.dialogs == []
    assert HITS == []


def test_a_gbk_page_shows_its_chinese_text_in_the_frame(tab: Any, audit: AuditServer) -> None:
    tab.goto(f"{audit.url}/alerts/{audit.hostile.link_alert_id}")
    frame = tab.locator("iframe.evidence").element_handle().content_frame()
    frame.wait_for_load_state()
    assert frame.locator("h1").inner_text() == GBK_TEXT
    shot(tab, "security-evidence-gbk")


def test_only_an_http_listing_url_is_a_link_and_it_opens_without_opener_or_referrer(
    tab: Any, audit: AuditServer
) -> None:
    tab.goto(f"{audit.url}/alerts/{audit.hostile.link_alert_id}")
    link = tab.locator("a#listing-url")
    assert link.get_attribute("href") == WEB_URL
    assert set((link.get_attribute("rel") or "").split()) == {"noopener", "noreferrer", "nofollow"}
    assert link.get_attribute("target") == "_blank"
    tab.goto(f"{audit.url}/alerts/{audit.hostile.alert_id}")
    assert tab.locator("a#listing-url").count() == 0
    assert tab.locator("a[href^='javascript']").count() == 0


def test_the_dashboard_refuses_to_be_framed(tab: Any, audit: AuditServer) -> None:
    """A page of another origin framing the inbox (clickjacking) gets nothing."""
    html = f"<iframe id='f' src='{audit.url}/alerts'></iframe>"
    tab.goto("about:blank")
    tab.set_content(html)
    tab.wait_for_timeout(1000)
    inner = tab.frames[1] if len(tab.frames) > 1 else None
    assert inner is None or inner.locator("table.alerts").count() == 0
