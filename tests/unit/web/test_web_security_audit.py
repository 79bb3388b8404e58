"""The dashboard as an attacker sees it: hostile scraped fields in every page and context, echoed
query and form values, evidence, CSRF on every POST, redirects, exports, errors, headers, limits."""

from __future__ import annotations

import csv
import dataclasses
import io
import logging
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from markupsafe import escape
from web_client import BASE, SECRET, csrf_of, login
from web_hostile import GBK_TEXT, JS_URL, REASON, SELLER, TITLE, Hostile, add_hostile
from web_seed import NOW, PASSWORD, Seeded

from oneprice.domain.alert import AlertStatus, Severity, Violation
from oneprice.domain.money import Money
from oneprice.render import csv_safe
from oneprice.storage import AlertRepository, Database
from oneprice.web.export import defuse

PAYLOAD = "\"'><svg onload=alert(9)></title></textarea><script>alert(9)</script>"


@pytest.fixture
def hostile(web_db: Database) -> Hostile:
    return add_hostile(web_db, NOW)


class _Elements(HTMLParser):
    """Every element a page makes that could run script or load something it should not."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script" and a.get("src") != "/static/app.js":
            self.problems.append(f"<script {a}>")
        if tag in ("img", "object", "embed", "base", "meta") and not (tag == "meta" and "http-equiv" not in a):
            self.problems.append(f"<{tag} {a}>")
        if tag == "iframe" and (a.get("sandbox") != "" or not (a.get("src") or "").startswith("/evidence/")):
            self.problems.append(f"<iframe {a}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction", "xlink:href"):
                v = (value or "").strip().lower()
                if v.startswith(("javascript:", "data:", "vbscript:", "//")):
                    self.problems.append(f"<{tag} {name}={value}>")


def _problems(body: str) -> list[str]:
    parser = _Elements()
    parser.feed(body)
    parser.close()
    return parser.problems


def _hostile_pages(data: Seeded, h: Hostile) -> list[str]:
    key = quote(h.seller_key, safe="")
    p = quote(PAYLOAD, safe="")
    return [
        "/",
        "/alerts",
        "/alerts?status=all",
        f"/alerts?status=all&seller={quote(SELLER, safe='')}&product={p}",
        f"/alerts/{h.alert_id}",
        f"/alerts/{h.link_alert_id}",
        f"/alerts/{data.hostile_alert_id}",
        "/products",
        "/products/SY-BT11-42",
        "/products/SY-JK01-BLK-M",
        "/sellers",
        f"/sellers/{key}",
        "/sync",
        "/review",
        f"/alerts?done={p}&refused={p}",
        f"/review?done={p}",
        f"/alerts?x={p}",
    ]


def test_every_page_keeps_every_hostile_field_as_text(manager: TestClient, data: Seeded, hostile: Hostile) -> None:
    for path in _hostile_pages(data, hostile):
        r = manager.get(path, headers={"accept": "text/html"})
        assert r.status_code == 200, path
        assert _problems(r.text) == [], path
        for raw in (SELLER, TITLE, REASON, PAYLOAD, JS_URL):
            assert raw not in r.text, (path, raw)
    detail = manager.get(f"/alerts/{hostile.alert_id}").text
    assert str(escape(SELLER)) in detail and str(escape(TITLE)) in detail and str(escape(JS_URL)) in detail
    assert str(escape(REASON)) in manager.get("/review").text
    assert str(escape(SELLER)) in manager.get(f"/sellers/{quote(hostile.seller_key, safe='')}").text


def test_a_notice_about_a_hostile_seller_keeps_it_as_text(manager: TestClient, hostile: Hostile) -> None:
    r = manager.post("/notices", data={"seller_key": hostile.seller_key, "csrf_token": csrf_of(manager)})
    assert r.status_code == 303, r.text
    page = manager.get(r.headers["location"])
    assert page.status_code == 200 and _problems(page.text) == []
    assert SELLER not in page.text and str(escape(SELLER)) in page.text


@pytest.mark.parametrize(
    "path",
    [
        f"/alerts?status={quote(PAYLOAD)}",
        f"/alerts?since={quote(PAYLOAD)}",
        f"/alerts?severity={quote(PAYLOAD)}",
        f"/review?state={quote(PAYLOAD)}",
        f"/nothing-here{quote(PAYLOAD)}",
        f"/alerts/export.{quote(PAYLOAD, safe='')}",
    ],
)
def test_error_pages_echo_nothing_as_markup(manager: TestClient, path: str) -> None:
    r = manager.get(path, headers={"accept": "text/html"})
    assert r.status_code in (400, 404), path
    assert r.headers["content-type"].startswith("text/html")
    assert _problems(r.text) == [] and "<svg onload" not in r.text and "<script>alert" not in r.text
    plain = manager.get(path, headers={"accept": "*/*"})
    assert plain.headers["content-type"].startswith("text/plain")
    assert plain.headers["x-content-type-options"] == "nosniff"


def test_the_login_page_is_never_cached(anon: TestClient) -> None:
    r = anon.get("/login")
    assert r.headers["cache-control"] == "no-store" and "oneprice_login=" in r.headers["set-cookie"]


def test_login_page_echoes_next_only_as_a_safe_path(anon: TestClient) -> None:
    r = anon.get(f"/login?next={quote('/alerts' + PAYLOAD)}")
    assert _problems(r.text) == [] and "<svg onload" not in r.text
    assert anon.get("/login?next=javascript:alert(1)").text.count('name="next" value="/"') == 1


def test_the_listing_url_is_a_link_only_when_it_is_http(manager: TestClient, hostile: Hostile) -> None:
    js = manager.get(f"/alerts/{hostile.alert_id}").text
    assert 'id="listing-url"' not in js and 'href="javascript' not in js.lower()
    web = manager.get(f"/alerts/{hostile.link_alert_id}").text
    assert (
        '<a href="https://shop.example.test/item/1?a=1&amp;b=2" target="_blank" '
        'rel="noopener noreferrer nofollow" id="listing-url">'
    ) in web


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("https://a.example/x", True),
        ("HTTP://a.example", True),
        ("javascript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("//evil.example/x", False),
        ("http:evil", False),
        ("https://a.example/\u0000", False),
        ("http://[::1", False),
    ],
)
def test_web_url_accepts_only_http_with_a_host(url: str, linked: bool) -> None:
    from oneprice.web.formatting import web_url

    assert web_url(url) is linked


# -- evidence ---------------------------------------------------------------------------------


def test_evidence_is_served_under_a_policy_that_blocks_every_load_and_script(
    viewer: TestClient, hostile: Hostile
) -> None:
    r = viewer.get(f"/evidence/{hostile.observation_id}")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    csp = {d.strip().split(" ", 1)[0]: d.strip() for d in r.headers["content-security-policy"].split(";")}
    assert csp["default-src"] == "default-src 'none'"
    assert csp["sandbox"] == "sandbox"  # no allow-scripts, allow-same-origin, allow-forms or allow-top-navigation
    assert csp["base-uri"] == "base-uri 'none'" and csp["form-action"] == "form-action 'none'"
    assert csp["img-src"] == "img-src data:" and csp["frame-ancestors"] == "frame-ancestors 'self'"
    assert "script-src" not in csp and "connect-src" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "SAMEORIGIN"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["cache-control"] == "private, no-store"
    frame = viewer.get(f"/alerts/{hostile.alert_id}").text
    assert (
        f'<iframe class="evidence" sandbox="" referrerpolicy="no-referrer" src="/evidence/{hostile.observation_id}"'
        in (frame)
    )


def test_a_gbk_page_is_shown_with_its_chinese_text(viewer: TestClient, hostile: Hostile) -> None:
    r = viewer.get(f"/evidence/{hostile.gbk_observation_id}")
    assert r.status_code == 200 and r.headers["content-type"] == "text/html; charset=utf-8"
    assert GBK_TEXT in r.content.decode("utf-8")


def test_evidence_that_is_not_html_is_plain_text(viewer: TestClient, web_db: Database) -> None:
    from oneprice.domain.observation import Observation, ObservationStatus
    from oneprice.storage import ObservationRepository

    obs = Observation(
        target_id="svg", url="http://127.0.0.1/x.svg", platform="jd", observed_at=NOW, status=ObservationStatus.OK
    )
    oid = ObservationRepository(web_db).add(obs, evidence=b"<svg onload=alert(1)/>", content_type="image/svg+xml")
    r = viewer.get(f"/evidence/{oid}")
    assert r.headers["content-type"] == "text/plain; charset=utf-8" and r.text == "<svg onload=alert(1)/>"


@pytest.mark.parametrize(
    "path",
    [
        "/evidence/99999999999999999999999",
        "/evidence/0",
        "/evidence/-1",
        "/evidence/abc",
        "/evidence/..%2F..%2Fetc%2Fpasswd",
        "/evidence/1%2F..%2F..%2Fapp.py",
        "/alerts/99999999999999999999999",
        "/notices/99999999999999999999999",
        "/static/../app.py",
        "/static/%2e%2e/app.py",
        "/static/..%2Fapp.py",
    ],
)
def test_ids_and_paths_out_of_range_are_404_without_echo(viewer: TestClient, path: str) -> None:
    r = viewer.get(path)
    assert r.status_code == 404, (path, r.status_code, r.text)
    assert not r.headers["content-type"].startswith("application/json")
    assert "create_app" not in r.text and "Traceback" not in r.text and "input" not in r.text


# -- CSRF, roles, redirects ---------------------------------------------------------------------


def _routes(routes: list[Any]) -> list[tuple[str, set[str]]]:
    """(path, methods) of every route, through included routers (mounted without a prefix)."""
    found: list[tuple[str, set[str]]] = []
    for route in routes:
        if hasattr(route, "original_router"):
            found += _routes(route.original_router.routes)
        elif getattr(route, "methods", None):
            found.append((route.path, set(route.methods)))
    return found


def _post_routes(app: FastAPI, data: Seeded) -> list[str]:
    return [
        path.replace("{alert_id}", str(data.first_alert_id)).replace("{notice_id}", "1")
        for path, methods in _routes(app.routes)
        if "POST" in methods and path != "/login"
    ]


def test_every_state_changing_request_needs_the_sessions_csrf_token(
    app: FastAPI, manager: TestClient, data: Seeded, web_db: Database
) -> None:
    posts = _post_routes(app, data)
    assert {"/alerts/bulk", "/review/decide", "/notices", "/logout", "/account/language"} <= set(posts)
    other = login(TestClient(app, base_url=BASE, follow_redirects=False), "viewer")
    foreign = csrf_of(other)
    form = {"ids": str(data.first_alert_id), "action": "acknowledge", "decision": "reject", "listing_key": "x"}
    for path in posts:
        for token in (None, "", "0" * 64, foreign):
            body = dict(form) if token is None else {**form, "csrf_token": token}
            r = manager.post(path, data=body)
            assert r.status_code == 403, (path, token, r.status_code)
    alert = AlertRepository(web_db).get(data.first_alert_id)
    assert alert is not None and alert.status is AlertStatus.OPEN
    assert manager.get("/alerts").status_code == 200  # logout without a token did not end the session
    # Nothing that changes state answers GET.
    gets = {path for path, methods in _routes(app.routes) if "GET" in methods}
    assert gets and not {p for p in gets if any(w in p for w in ("action", "bulk", "decide", "send", "logout"))}


def test_bulk_returns_to_the_inbox_filter_and_nothing_else(manager: TestClient, data: Seeded) -> None:
    back = "status=all&seller=x&done=999&next=//evil.example&evil=%0d%0aSet-Cookie:a=b"
    r = manager.post(
        "/alerts/bulk",
        data={"ids": str(data.first_alert_id), "action": "acknowledge", "back": back, "csrf_token": csrf_of(manager)},
    )
    assert r.status_code == 303
    assert r.headers["location"] == "/alerts?status=all&seller=x&done=1&refused=0"
    assert "set-cookie" not in {k.lower() for k in r.headers if k.lower() == "set-cookie" and "a=b" in r.headers[k]}


def test_bulk_ignores_malformed_ids_and_refuses_floods(manager: TestClient, data: Seeded) -> None:
    token = csrf_of(manager)
    junk = {"ids": ["²", "99999999999999999999999", "-3", "1e3"], "action": "acknowledge", "csrf_token": token}
    assert manager.post("/alerts/bulk", data=junk).status_code == 400  # no usable id: says so, no 500
    flood = {"ids": [str(i) for i in range(1, 1100)], "action": "acknowledge", "csrf_token": token}
    assert manager.post("/alerts/bulk", data=flood).status_code == 400


@pytest.mark.parametrize(
    "query", ["until=9999-12-31", "since=9999-12-31", "since=0001-01-01", "until=2026-02-30", "since=%EF%BC%92026"]
)
def test_dates_out_of_range_are_a_400_not_a_server_error(app: FastAPI, query: str) -> None:
    client = login(TestClient(app, base_url=BASE, follow_redirects=False, raise_server_exceptions=False), "viewer")
    assert client.get(f"/alerts?{query}").status_code == 400
    assert client.get(f"/alerts/export.csv?{query}").status_code == 400


@pytest.mark.parametrize("before", ["²", "99999999999999999999999", "-1", "1.5"])
def test_a_malformed_page_cursor_is_a_400(viewer: TestClient, before: str) -> None:
    assert viewer.get(f"/alerts?before={quote(before)}").status_code == 400


def test_the_inbox_shows_only_counts_after_a_bulk_action(viewer: TestClient) -> None:
    spoof = viewer.get(f"/alerts?done={quote('Your session expired, call 400-000')}&refused=x").text
    assert "session expired" not in spoof and 'class="notice"' not in spoof
    assert 'class="notice"' in viewer.get("/alerts?done=3&refused=1").text
    assert 'class="notice"' not in viewer.get("/review?done=steal").text
    assert 'class="notice"' in viewer.get("/review?done=accept").text


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "/\\evil.example",
        "/x/..\\..\\evil",
        "https://evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "\\\\evil.example",
        " //evil",
        "/%09/ok-but-odd\r\n",
    ],
)
def test_language_switch_and_login_never_redirect_off_site(app: FastAPI, viewer: TestClient, target: str) -> None:
    r = viewer.post("/account/language", data={"language": "en", "next": target, "csrf_token": csrf_of(viewer)})
    assert (r.status_code, r.headers["location"]) == (303, "/")
    fresh = TestClient(app, base_url=BASE, follow_redirects=False)
    token = fresh.get("/login").text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    r = fresh.post("/login", data={"username": "viewer", "password": PASSWORD, "csrf_token": token, "next": target})
    assert (r.status_code, r.headers["location"]) == (303, "/")


def test_a_same_site_next_is_kept(viewer: TestClient) -> None:
    target = "/alerts?status=all&seller=%E5%B1%B1"
    r = viewer.post("/account/language", data={"language": "en", "next": target, "csrf_token": csrf_of(viewer)})
    assert r.headers["location"] == target


def test_secrets_and_passwords_never_reach_the_log(app: FastAPI, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    client = TestClient(app, base_url=BASE, follow_redirects=False)
    login(client, "manager")
    cookie = client.cookies.get("oneprice_session")
    token = client.get("/login").text  # logged in: redirected, no form
    client.get("/alerts")
    bad = TestClient(app, base_url=BASE, follow_redirects=False)
    form_token = bad.get("/login").text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    bad.post("/login", data={"username": "manager", "password": "wrong " + PASSWORD, "csrf_token": form_token})
    logged = caplog.text
    assert "logged in" in logged and "failed login" in logged  # the log was captured
    assert cookie and cookie not in logged and cookie.split(".", 1)[0] not in logged
    assert SECRET not in logged and PASSWORD not in logged and form_token not in logged
    assert token is not None


# -- exports ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("\n=1", "'\n=1"),
        ("  =1+1", "'  =1+1"),
        ("\uff1dSUM(A1)", "'\uff1dSUM(A1)"),
        ("星辰数码专营店", "星辰数码专营店"),
        ("OnePhone 12 -5%", "OnePhone 12 -5%"),
    ],
)
def test_cells_that_could_start_a_formula_are_defused(text: str, expected: str) -> None:
    assert defuse(text) == expected
    # the CLI's CSV (`alerts list --format csv`) and the report's files use the same rule
    assert csv_safe(text) == expected


def _add(db: Database, seller: str, gap: str | None = None) -> None:
    v = Violation(
        rule="undercut", product_sku="SY-TS05", seller_key=f"name:{seller}", seller_name=seller, reseller_id=None,
        platform="taobao", unified_price=Money.of("199", "CNY"), observed_price=Money.of("150", "CNY"),
        gap_percent=None if gap is None else __import__("decimal").Decimal(gap), severity=Severity.INFO,
        message="=cmd|' /C calc'!A0", url="=HYPERLINK(\"http://127.0.0.1:9\")", observation_id=None, observed_at=NOW,
    )  # fmt: skip
    AlertRepository(db).apply([v], [], NOW)


def test_exports_defuse_every_scraped_cell_and_keep_numbers(manager: TestClient, web_db: Database) -> None:
    from openpyxl import load_workbook

    _add(web_db, "  =2+3", gap="-5.00")
    _add(web_db, "\uff1dSUM(A1)")
    r = manager.get("/alerts/export.csv?status=all&product=SY-TS05&rule=undercut")
    assert r.headers["content-disposition"] == 'attachment; filename="alerts.csv"'
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    by_seller = {row["seller"]: row for row in rows}
    assert set(by_seller) == {"'  =2+3", "'\uff1dSUM(A1)"}
    assert {row["message"] for row in rows} == {"'=cmd|' /C calc'!A0"}
    assert {row["url"] for row in rows} == {'\'=HYPERLINK("http://127.0.0.1:9")'}
    assert by_seller["'  =2+3"]["gap_percent"] == "-5.00"  # a number, not text with a quote
    x = manager.get("/alerts/export.xlsx?status=all&product=SY-TS05&rule=undercut")
    assert x.headers["content-disposition"] == 'attachment; filename="alerts.xlsx"'
    ws = load_workbook(io.BytesIO(x.content)).active
    assert ws is not None
    cells = [c for row in ws.iter_rows(min_row=2) for c in row]
    assert cells and all(c.data_type != "f" for c in cells)
    assert {c.value for c in cells if isinstance(c.value, str) and c.value.endswith(" =2+3")} == {
        "'  =2+3",
        "name:  =2+3",
    }


def test_review_export_defuses_hostile_titles(viewer: TestClient, hostile: Hostile) -> None:
    r = viewer.get("/review/export.csv?state=pending")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    mine = [row for row in rows if row["seller"] == SELLER]
    assert mine and mine[0]["title"] == TITLE and mine[0]["url"] == JS_URL
    assert all(not v.startswith(("=", "+", "-", "@")) for row in rows for v in row.values())


# -- errors, headers, limits ---------------------------------------------------------------------


def test_a_server_error_is_a_short_text_with_the_security_headers(app: FastAPI, data: Seeded) -> None:
    client = login(TestClient(app, base_url=BASE, follow_redirects=False, raise_server_exceptions=False), "viewer")
    ctx = app.state.ctx

    def broken(**_: object) -> None:
        raise RuntimeError("database at /srv/secret/path is gone")

    ctx.queries.overview = broken
    r = client.get("/", headers={"accept": "text/html"})
    assert r.status_code == 500
    assert "secret/path" not in r.text and "Traceback" not in r.text and "RuntimeError" not in r.text
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert r.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    "path", ["/", "/alerts", "/alerts/export.csv", "/static/app.js", "/nothing", "/alerts?since=x", "/healthz"]
)
def test_every_kind_of_response_carries_the_security_headers(viewer: TestClient, path: str) -> None:
    r = viewer.get(path)
    assert r.headers["x-content-type-options"] == "nosniff", path
    assert r.headers["x-frame-options"] == "DENY", path
    assert r.headers["referrer-policy"] == "no-referrer", path
    csp = r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "'unsafe-inline'" not in csp, path
    assert "object-src 'none'" in csp and "base-uri 'none'" in csp and "form-action 'self'" in csp, path


def test_anonymous_responses_carry_the_headers_and_no_data(anon: TestClient, hostile: Hostile) -> None:
    for path in ("/alerts", f"/evidence/{hostile.observation_id}", "/alerts/export.csv", "/review/export.xlsx"):
        r = anon.get(path, headers={"accept": "text/html"})
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next=%2F")
        assert r.headers["x-frame-options"] == "DENY" and r.content == b""
        r = anon.get(path)
        assert r.status_code == 401 and r.text == "authentication required"


def test_the_sellers_page_is_paged(viewer: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from oneprice.web.routes import catalog

    monkeypatch.setattr(catalog, "SELLERS_PAGE", 4)
    first = viewer.get("/sellers").text
    assert first.count('<td class="seller">') == 4 and 'href="/sellers?page=2"' in first
    second = viewer.get("/sellers?page=2").text
    assert 'href="/sellers"' in second and second.count('<td class="seller">') >= 1
    assert viewer.get("/sellers?page=999").text.count('<td class="seller">') == 0
    for bad in ("0", "-1", "abc", "²", "9999999999"):
        assert viewer.get(f"/sellers?page={quote(bad)}").status_code == 400, bad


def test_the_inbox_page_size_cannot_be_raised_from_the_query(viewer: TestClient, web_db: Database) -> None:
    for i in range(60):
        _add(web_db, f"seller {i}")
    body = viewer.get("/alerts?status=all&per_page=100000&limit=100000&page_size=100000").text
    assert body.count('<td><a href="/alerts/') == 50


def test_https_deployments_send_strict_transport_security(data: Seeded, web_db: Database) -> None:
    from oneprice.web.app import create_app

    assert (
        "strict-transport-security"
        not in TestClient(create_app(data.config, web_db, secret_key=SECRET)).get("/healthz").headers
    )
    settings = data.config.settings
    web = settings.web.model_copy(update={"cookie_secure": True})
    config = dataclasses.replace(data.config, settings=settings.model_copy(update={"web": web}))
    r = TestClient(create_app(config, web_db, secret_key=SECRET), base_url="https://127.0.0.1").get("/healthz")
    assert r.headers["strict-transport-security"] == "max-age=31536000"
