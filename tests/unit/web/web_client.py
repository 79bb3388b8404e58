"""Helpers of the dashboard tests: log a TestClient in through the form, read a page's CSRF token."""

from __future__ import annotations

from fastapi.testclient import TestClient
from web_seed import PASSWORD

SECRET = "test-secret-key-0123456789abcdef-0123456789"
BASE = "http://127.0.0.1"


def login(client: TestClient, username: str, password: str = PASSWORD) -> TestClient:
    """Log `client` in through the login form, as a browser would."""
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    r = client.post("/login", data={"username": username, "password": password, "csrf_token": token, "next": "/"})
    assert r.status_code == 303, r.text
    return client


def csrf_of(client: TestClient, path: str = "/alerts") -> str:
    page = client.get(path, headers={"accept": "text/html"})
    return page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
