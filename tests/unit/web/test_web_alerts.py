"""The inbox: filters, keyset pages, bulk and single actions, CSV/XLSX export."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from web_client import csrf_of
from web_seed import HOSTILE_SELLER, NOW, Seeded

from oneprice.domain.alert import AlertStatus, Severity, Violation
from oneprice.domain.money import Money
from oneprice.storage import AlertRepository, Database


def _ids(body: str) -> list[int]:
    return [int(chunk.split('"', 1)[0]) for chunk in body.split('<td><a href="/alerts/')[1:]]


def _add_alerts(db: Database, n: int, seller: str = "bulk seller") -> None:
    at = NOW - timedelta(days=2)
    violations = [
        Violation(
            rule="undercut",
            product_sku="SY-TS05",
            seller_key=f"name:{seller} {i}",
            seller_name=f"{seller} {i}",
            reseller_id=None,
            platform="taobao",
            unified_price=Money.of("199", "CNY"),
            observed_price=Money.of("150", "CNY"),
            gap_percent=None,
            severity=Severity.INFO,
            message="cheap",
            url="http://127.0.0.1/x",
            observation_id=None,
            observed_at=at,
        )
        for i in range(n)
    ]
    AlertRepository(db).apply(violations, [], at)


def test_inbox_filters_by_severity_platform_seller_and_status(
    viewer: TestClient, data: Seeded, web_db: Database
) -> None:
    body = viewer.get("/alerts?severity=critical").text
    assert _ids(body) and 'class="sev sev-warning"' not in body
    body = viewer.get("/alerts?platform=pinduoduo&status=all").text
    assert _ids(body) and "tmall" not in body.split("<tbody>", 1)[1]
    by_id = {a.id: a for a in AlertRepository(web_db).list()}
    matched = _ids(viewer.get("/alerts?seller=script").text)
    assert matched and all("script" in (by_id[i].seller_name or "") for i in matched)
    hostile = viewer.get("/alerts?seller=%3Cscript").text
    assert data.hostile_alert_id in _ids(hostile)
    assert _ids(viewer.get("/alerts?product=SY-JK01-BLK-L").text) == []
    assert len(_ids(viewer.get("/alerts?status=all").text)) >= len(_ids(viewer.get("/alerts").text))


def test_inbox_filters_by_date(viewer: TestClient) -> None:
    future = (NOW + timedelta(days=3)).date().isoformat()
    assert _ids(viewer.get(f"/alerts?since={future}").text) == []
    today = NOW.date().isoformat()
    assert _ids(viewer.get(f"/alerts?since={today}&until={today}").text)
    assert viewer.get("/alerts?since=yesterday").status_code == 400
    assert viewer.get("/alerts?status=bogus").status_code == 400


def test_inbox_pages_by_keyset_without_gaps_or_repeats(viewer: TestClient, web_db: Database) -> None:
    _add_alerts(web_db, 120)
    total = len(AlertRepository(web_db).list(status=AlertStatus.OPEN)) + len(
        AlertRepository(web_db).list(status=AlertStatus.ACKNOWLEDGED)
    )
    seen: list[int] = []
    url = "/alerts"
    while url:
        body = viewer.get(url).text
        seen += _ids(body)
        url = (
            body.split('id="next-page" rel="next"', 1)[0].rsplit('href="', 1)[1].split('"', 1)[0]
            if ('id="next-page"' in body)
            else ""
        )
        url = url.replace("&amp;", "&")
    assert len(seen) == total == len(set(seen))
    assert seen == sorted(seen, reverse=True)
    assert f"{total} in total" in viewer.get("/alerts").text


def test_bulk_acknowledge_records_who_did_it(manager: TestClient, web_db: Database) -> None:
    repo = AlertRepository(web_db)
    open_ids = [a.id for a in repo.list(status=AlertStatus.OPEN)][:2]
    token = csrf_of(manager)
    r = manager.post(
        "/alerts/bulk",
        data={
            "ids": [str(i) for i in open_ids],
            "action": "acknowledge",
            "csrf_token": token,
            "back": "severity=critical",
        },
    )
    assert r.status_code == 303
    assert r.headers["location"].startswith("/alerts?severity=critical&done=2&refused=0")
    for i in open_ids:
        alert = repo.get(i)
        assert alert is not None and alert.status is AlertStatus.ACKNOWLEDGED
        assert repo.history(i)[-1].actor == "manager"
    # Acknowledging again is refused per alert, and said so.
    r = manager.post("/alerts/bulk", data={"ids": [str(open_ids[0])], "action": "acknowledge", "csrf_token": token})
    assert "refused=1" in r.headers["location"]
    assert "could not be changed" in manager.get(r.headers["location"]).text


def test_dismissing_needs_a_reason(manager: TestClient, web_db: Database) -> None:
    alert_id = AlertRepository(web_db).list(status=AlertStatus.OPEN)[0].id
    token = csrf_of(manager)
    r = manager.post(f"/alerts/{alert_id}/action", data={"action": "dismiss", "csrf_token": token})
    assert r.status_code == 400
    r = manager.post(
        f"/alerts/{alert_id}/action", data={"action": "dismiss", "note": "authorised promotion", "csrf_token": token}
    )
    assert r.status_code == 303
    page = manager.get(f"/alerts/{alert_id}").text
    assert "authorised promotion" in page and "st-dismissed" in page


def test_an_action_the_state_does_not_allow_is_a_conflict(manager: TestClient, web_db: Database) -> None:
    alert_id = AlertRepository(web_db).list(status=AlertStatus.OPEN)[0].id
    token = csrf_of(manager)
    assert (
        manager.post(f"/alerts/{alert_id}/action", data={"action": "resolve", "csrf_token": token}).status_code == 303
    )
    r = manager.post(f"/alerts/{alert_id}/action", data={"action": "acknowledge", "csrf_token": token})
    assert r.status_code == 409
    assert (
        manager.post(f"/alerts/{alert_id}/action", data={"action": "explode", "csrf_token": token}).status_code == 400
    )


def test_csv_export_follows_the_filter_and_defuses_formulas(manager: TestClient, web_db: Database) -> None:
    _add_alerts(web_db, 3, seller="=HYPERLINK(1)")
    r = manager.get("/alerts/export.csv?status=all")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    sellers = {row["seller"] for row in rows}
    assert HOSTILE_SELLER in sellers
    assert all(not s.startswith("=") for s in sellers) and "'=HYPERLINK(1) 0" in sellers
    assert {row["unified_price"] for row in rows if row["product_sku"] == "SY-JK01-BLK-M"} == {"1299.00"}
    critical = list(
        csv.DictReader(io.StringIO(manager.get("/alerts/export.csv?severity=critical").text.lstrip("\ufeff")))
    )
    assert critical and {row["severity"] for row in critical} == {"critical"}


def test_xlsx_export_holds_the_same_rows_with_prices_as_numbers(manager: TestClient, web_db: Database) -> None:
    from openpyxl import load_workbook

    _add_alerts(web_db, 1, seller="=1+1")
    r = manager.get("/alerts/export.xlsx?status=all")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws is not None
    rows = list(ws.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    seller = header.index("seller")
    values = {row[seller] for row in body}
    assert HOSTILE_SELLER in values and "'=1+1 0" in values
    texts = list(csv.DictReader(io.StringIO(manager.get("/alerts/export.csv?status=all").text.lstrip("\ufeff"))))
    assert len(body) == len(texts)
    unified = header.index("unified_price")
    assert [Decimal(str(row[unified])) for row in body] == [Decimal(t["unified_price"]) for t in texts]
    assert all(isinstance(row[unified], int | float) for row in body)


@pytest.mark.parametrize("path", ["/alerts/export.pdf", "/products/export.doc"])
def test_unknown_export_formats_are_404(viewer: TestClient, path: str) -> None:
    assert viewer.get(path).status_code == 404


def test_products_and_review_exports(viewer: TestClient) -> None:
    products = list(csv.DictReader(io.StringIO(viewer.get("/products/export.csv").text.lstrip("\ufeff"))))
    assert any(p["sku"] == "SY-JK01-BLK-M" and p["unified_price"] == "1299.00" for p in products)
    review = viewer.get("/review/export.xlsx")
    assert review.status_code == 200 and review.content[:2] == b"PK"


def test_notice_is_drafted_for_a_seller_read_and_sent_once(
    manager: TestClient, viewer: TestClient, data: Seeded
) -> None:
    from oneprice.domain.observation import seller_key

    hostile = seller_key(None, HOSTILE_SELLER)
    token = csrf_of(viewer)
    assert viewer.post("/notices", data={"seller_key": hostile, "csrf_token": token}).status_code == 403
    token = csrf_of(manager)
    r = manager.post("/notices", data={"seller_key": hostile, "language": "en", "csrf_token": token})
    assert r.status_code == 303
    url = r.headers["location"]
    page = manager.get(url).text
    assert HOSTILE_SELLER not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'id="send-notice"' in page and f'href="/alerts/{data.hostile_alert_id}"' in page
    assert manager.post(url + "/send", data={"csrf_token": token}).status_code == 303
    sent = manager.get(url).text
    assert 'id="send-notice"' not in sent and "sent via mail" in sent
    assert manager.post(url + "/send", data={"csrf_token": token}).status_code == 409
    detail = manager.get(f"/alerts/{data.hostile_alert_id}").text
    assert f'href="{url}"' in detail


def test_a_notice_needs_active_alerts(manager: TestClient) -> None:
    r = manager.post("/notices", data={"seller_key": "shanyu-flagship", "csrf_token": csrf_of(manager)})
    assert r.status_code == 409
