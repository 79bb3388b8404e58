"""Sessions, logins, CSRF, rate limiting, and the refusal of anonymous requests."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from web_client import BASE, SECRET, csrf_of, login
from web_seed import PASSWORD

from oneprice.storage import Database
from oneprice.storage.users import UserRepository
from oneprice.web.app import PUBLIC_PATHS
from oneprice.web.security import hash_password


def _concrete(path: str) -> str:
    return (
        path.replace("{alert_id}", "1")
        .replace("{observation_id}", "1")
        .replace("{notice_id}", "1")
        .replace("{sku}", "SY-JK01-BLK-M")
        .replace("{seller_key:path}", "fengxing")
        .replace("{fmt}", "csv")
    )


def test_health_check_is_public_and_carries_the_security_headers(anon: TestClient) -> None:
    r = anon.get("/healthz")
    assert r.status_code == 200 and r.text == "ok"
    csp = r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["x-frame-options"] == "DENY"


def _routes() -> list[APIRoute]:
    from oneprice.web.routes import alerts, auth, catalog, notices, ops, overview

    modules = (auth, overview, alerts, catalog, notices, ops)
    return [r for m in modules for r in m.router.routes if isinstance(r, APIRoute)]


def test_every_route_but_health_and_login_refuses_anonymous_requests(anon: TestClient) -> None:
    checked = 0
    for route in _routes():
        if not isinstance(route, APIRoute) or route.path in PUBLIC_PATHS:
            continue
        for method in route.methods:
            r = anon.request(method, _concrete(route.path))
            assert r.status_code == 401, (method, route.path, r.status_code)
            page = anon.request(method, _concrete(route.path), headers={"accept": "text/html"})
            if method == "GET":
                assert page.status_code == 303 and page.headers["location"].startswith("/login?next=")
            else:
                assert page.status_code == 401
            checked += 1
    assert checked >= 15


def test_login_sets_an_httponly_samesite_session_cookie(anon: TestClient) -> None:
    login(anon, "viewer")
    cookie = next(h for h in anon.cookies.jar if h.name == "oneprice_session")
    assert cookie.has_nonstandard_attr("HttpOnly")
    assert cookie.get_nonstandard_attr("SameSite").lower() == "lax"
    assert anon.get("/alerts").status_code == 200


def test_wrong_password_is_refused_and_says_so_without_telling_which_part(anon: TestClient) -> None:
    page = anon.get("/login")
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    r = anon.post("/login", data={"username": "viewer", "password": "nope", "csrf_token": token})
    assert r.status_code == 401
    assert "Wrong user name or password" in r.text or "用户名或密码错误" in r.text
    r = anon.post("/login", data={"username": "nobody", "password": "nope", "csrf_token": token})
    assert r.status_code == 401
    assert anon.get("/alerts").status_code == 401


def test_login_needs_the_forms_csrf_token(anon: TestClient) -> None:
    anon.get("/login")
    r = anon.post("/login", data={"username": "viewer", "password": PASSWORD, "csrf_token": "forged"})
    assert r.status_code == 403
    fresh = TestClient(anon.app, base_url=BASE, follow_redirects=False)
    r = fresh.post("/login", data={"username": "viewer", "password": PASSWORD})
    assert r.status_code == 403


def test_login_is_rate_limited_per_user_name(anon: TestClient) -> None:
    page = anon.get("/login")
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    for _ in range(5):
        assert anon.post("/login", data={"username": "viewer", "password": "x", "csrf_token": token}).status_code == 401
    # Even the right password is refused now, until the window has passed.
    r = anon.post("/login", data={"username": "viewer", "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 429
    assert "Too many" in r.text or "过多" in r.text
    # Another user is not locked out by someone guessing at "viewer".
    login(anon, "manager")


def test_login_is_rate_limited_per_client_address_across_names(anon: TestClient) -> None:
    page = anon.get("/login")
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    for i in range(20):
        anon.post("/login", data={"username": f"guess{i}", "password": "x", "csrf_token": token})
    r = anon.post("/login", data={"username": "manager", "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 429


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example"])
def test_login_never_redirects_off_site(anon: TestClient, target: str) -> None:
    page = anon.get("/login")
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    r = anon.post("/login", data={"username": "viewer", "password": PASSWORD, "csrf_token": token, "next": target})
    assert r.status_code == 303 and r.headers["location"] == "/"


def test_login_returns_to_the_page_asked_for(anon: TestClient) -> None:
    r = anon.get("/alerts?severity=critical", headers={"accept": "text/html"})
    page = anon.get(r.headers["location"])
    assert 'value="/alerts?severity=critical"' in page.text


def test_a_tampered_cookie_is_no_session(viewer: TestClient) -> None:
    value = viewer.cookies["oneprice_session"]
    viewer.cookies.set("oneprice_session", value[:-2] + ("AA" if not value.endswith("AA") else "BB"))
    assert viewer.get("/alerts").status_code == 401


def test_logout_needs_csrf_and_ends_the_session(viewer: TestClient) -> None:
    assert viewer.post("/logout", data={}).status_code == 403
    token = csrf_of(viewer)
    assert viewer.post("/logout", data={"csrf_token": token}).status_code == 303
    assert viewer.get("/alerts").status_code == 401


def test_disabling_a_user_or_changing_the_password_ends_their_sessions(web_db: Database, app: FastAPI) -> None:
    users = UserRepository(web_db)
    a = login(TestClient(app, base_url=BASE, follow_redirects=False), "viewer")
    users.set_active("viewer", False)
    assert a.get("/alerts").status_code == 401
    users.set_active("viewer", True)
    b = login(TestClient(app, base_url=BASE, follow_redirects=False), "viewer")
    users.set_password("viewer", hash_password("another long password"))
    assert b.get("/alerts").status_code == 401


def test_passwords_are_stored_as_argon2_hashes(web_db: Database) -> None:
    found = UserRepository(web_db).by_username("viewer")
    assert found is not None
    assert found[1].startswith("$argon2id$") and PASSWORD not in found[1]


def test_forms_without_the_sessions_csrf_token_are_refused(manager: TestClient) -> None:
    assert manager.post("/alerts/bulk", data={"ids": "1", "action": "acknowledge"}).status_code == 403
    other = csrf_of(manager) + "0"
    r = manager.post("/alerts/1/action", data={"action": "acknowledge", "csrf_token": other})
    assert r.status_code == 403


def test_pages_carry_no_secret(manager: TestClient) -> None:
    for path in ("/", "/alerts", "/alerts/1", "/sync", "/sellers", "/products", "/review"):
        body = manager.get(path).text
        assert SECRET not in body
        assert "cs_sandbox" not in body and "ck_sandbox" not in body


def test_a_failed_login_logs_a_user_name_only_when_it_is_an_account(
    anon: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    """What someone typed into the user name field may be their password: it never reaches the log."""
    page = anon.get("/login")
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    with caplog.at_level("INFO", logger="oneprice.web"):
        anon.post("/login", data={"username": "Tr0ub4dor&3", "password": "", "csrf_token": token})
        anon.post("/login", data={"username": "viewer", "password": "x", "csrf_token": token})
    text = caplog.text
    assert "Tr0ub4dor&3" not in text
    assert "failed login for an unknown user name" in text and "failed login for user 'viewer'" in text
