"""Pages: hostile scraped text stays text, evidence is served locked down, languages, roles."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from web_client import csrf_of
from web_seed import HOSTILE_SELLER, HOSTILE_TITLE, Seeded

from oneprice.domain.observation import seller_key
from oneprice.storage import Database

ESCAPED_SELLER = "&lt;script&gt;alert(1)&lt;/script&gt;"
ESCAPED_TITLE = "&lt;img src=x onerror=alert(1)&gt;"


def _pages(data: Seeded) -> list[str]:
    hostile_key = quote(seller_key(None, HOSTILE_SELLER), safe="")
    return [
        "/",
        "/alerts",
        "/alerts?status=all",
        f"/alerts/{data.hostile_alert_id}",
        "/sellers",
        f"/sellers/{hostile_key}",
        "/products/SY-BT11-42",
        "/review",
    ]


def test_hostile_seller_names_and_titles_are_escaped_on_every_page(viewer: TestClient, data: Seeded) -> None:
    for path in _pages(data):
        r = viewer.get(path)
        assert r.status_code == 200, path
        assert HOSTILE_SELLER not in r.text, path
        assert HOSTILE_TITLE not in r.text, path
        assert "<img src=x" not in r.text, path
    assert ESCAPED_SELLER in viewer.get(f"/alerts/{data.hostile_alert_id}").text
    assert ESCAPED_TITLE in viewer.get(f"/alerts/{data.hostile_alert_id}").text
    assert ESCAPED_TITLE in viewer.get("/review").text


def test_pages_forbid_inline_script_and_framing(viewer: TestClient) -> None:
    r = viewer.get("/alerts")
    csp = r.headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in csp
    assert r.headers["cache-control"] == "private, no-store"
    assert "<script>" not in r.text  # the one script is a static file


def test_evidence_is_framed_sandboxed_and_served_under_a_strict_policy(viewer: TestClient, data: Seeded) -> None:
    page = viewer.get(f"/alerts/{data.hostile_alert_id}").text
    assert '<iframe class="evidence" sandbox=""' in page
    obs_id = page.split('src="/evidence/', 1)[1].split('"', 1)[0]
    r = viewer.get(f"/evidence/{obs_id}")
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    assert csp.startswith("default-src 'none'; style-src 'unsafe-inline'; img-src data:")
    assert "sandbox" in csp and "script-src" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "SAMEORIGIN"
    assert b"<script>" in r.content  # served as captured; the policy is what keeps it inert


def test_evidence_that_was_not_kept_is_a_404(viewer: TestClient) -> None:
    assert viewer.get("/evidence/999999").status_code == 404


def test_language_follows_the_user_and_can_be_switched(app: object, viewer: TestClient) -> None:
    from web_client import BASE, login

    zh = login(TestClient(viewer.app, base_url=BASE, follow_redirects=False), "zhang")
    body = zh.get("/").text
    assert '<html lang="zh-CN">' in body and "价格合规总览" in body
    assert "Price compliance overview" in viewer.get("/").text
    r = zh.post("/account/language", data={"language": "en", "csrf_token": csrf_of(zh), "next": "/sellers"})
    assert r.status_code == 303 and r.headers["location"] == "/sellers"
    assert "Seller scorecards" in zh.get("/sellers").text
    bad = zh.post("/account/language", data={"language": "fr", "csrf_token": csrf_of(zh)})
    assert bad.status_code == 400


def test_the_translations_cover_the_same_keys() -> None:
    import json
    from pathlib import Path

    folder = Path(__file__).resolve().parents[3] / "oneprice" / "web" / "i18n"
    zh = json.loads((folder / "zh-CN.json").read_text("utf-8"))
    en = json.loads((folder / "en.json").read_text("utf-8"))
    assert set(zh) == set(en)
    assert all(zh[k].strip() and en[k].strip() for k in zh)


def test_viewers_see_no_action_buttons_and_cannot_act(viewer: TestClient, data: Seeded) -> None:
    page = viewer.get(f"/alerts/{data.first_alert_id}").text
    assert 'name="action"' not in page
    r = viewer.post(
        f"/alerts/{data.first_alert_id}/action", data={"action": "acknowledge", "csrf_token": csrf_of(viewer)}
    )
    assert r.status_code == 403


def test_overview_counts_active_alerts_by_severity(viewer: TestClient) -> None:
    body = viewer.get("/").text
    assert 'href="/alerts?status=active&amp;severity=critical"' in body
    assert "<svg" in body and 'class="bar bar-' in body


def test_product_page_lists_every_sellers_current_price(viewer: TestClient) -> None:
    body = viewer.get("/products/SY-JK01-BLK-M").text
    assert "峰行户外专营店" in body and "1,099.00 CNY" in body


def test_seller_scorecard_shows_authorization_and_history(viewer: TestClient) -> None:
    body = viewer.get("/sellers/tianya").text
    assert "天涯户外折扣店" in body and "Unauthorized seller" in body


def test_sync_page_shows_runs_dead_letters_and_paused_channels(viewer: TestClient) -> None:
    body = viewer.get("/sync").text
    assert "SY-BT11-43" in body and "400 invalid regular_price" in body
    assert "paused" in body and "dead letters waiting" in body
    drift = body.split('id="drift"', 1)[1].split("</table>", 1)[0]
    assert "SY-TS05" in drift and "179.00 CNY" in drift


@pytest.mark.parametrize("path", ["/alerts/999999", "/products/NOPE", "/sellers/nobody"])
def test_unknown_things_are_404(viewer: TestClient, path: str) -> None:
    r = viewer.get(path, headers={"accept": "text/html"})
    assert r.status_code == 404
    assert "<h1>404</h1>" in r.text


def test_review_queue_accepts_a_listing_as_a_product_or_rejects_it(
    manager: TestClient, viewer: TestClient, web_db: Database
) -> None:
    from oneprice.domain.review import ReviewState
    from oneprice.storage.reviews import ReviewRepository

    repo = ReviewRepository(web_db)
    pending = {r.listing_key: r for r in repo.list()}
    assert set(pending) == {"jd-maybe-pack", "taobao-gloves"}
    page = manager.get("/review").text
    assert page.count('action="/review/decide"') == 2
    assert 'name="decision"' not in viewer.get("/review").text
    token = csrf_of(viewer, "/review")
    refused = viewer.post(
        "/review/decide", data={"listing_key": "jd-maybe-pack", "decision": "reject", "csrf_token": token}
    )
    assert refused.status_code == 403
    token = csrf_of(manager, "/review")
    r = manager.post(
        "/review/decide",
        data={"listing_key": "jd-maybe-pack", "decision": "accept", "sku": "SY-PK21-45", "csrf_token": token},
    )
    assert r.status_code == 303
    bad = manager.post(
        "/review/decide",
        data={"listing_key": "taobao-gloves", "decision": "accept", "sku": "NOPE", "csrf_token": token},
    )
    assert bad.status_code == 400
    r = manager.post("/review/decide", data={"listing_key": "taobao-gloves", "decision": "reject", "csrf_token": token})
    assert r.status_code == 303
    decided = repo.decisions()
    assert decided["jd-maybe-pack"].state is ReviewState.ACCEPTED and decided["jd-maybe-pack"].sku == "SY-PK21-45"
    assert decided["taobao-gloves"].state is ReviewState.REJECTED
    assert manager.get("/review?state=accepted").text.count("SY-PK21-45") >= 1
