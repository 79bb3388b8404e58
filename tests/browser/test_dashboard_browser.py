"""The dashboard in a real browser: log in, filter, open an alert, see the chart, act, export."""

from __future__ import annotations

import csv
import io
from typing import Any

from browser_harness import Server, login, shot
from web_seed import HOSTILE_SELLER, HOSTILE_TITLE


def test_anonymous_visitor_lands_on_the_login_page(page: Any, server: Server) -> None:
    page.goto(server.url + "/alerts")
    assert "/login" in page.url
    assert page.locator("input[name=password]").count() == 1
    shot(page, "login")


def test_overview_shows_severity_counts_compliance_and_trend(page: Any, server: Server) -> None:
    login(page, server)
    assert page.locator(".cards .card").count() >= 5
    assert page.locator("svg#trend rect.bar").count() > 0
    assert page.locator("meter").count() > 0
    shot(page, "overview")


def test_filter_open_acknowledge_and_export(page: Any, server: Server) -> None:
    login(page, server)
    page.click("nav >> text=Alerts")
    page.select_option("select[name=severity]", "critical")
    page.click("form#filters button[type=submit]")
    page.wait_for_url("**/alerts?*severity=critical*")
    rows = page.locator("table.alerts tbody tr")
    assert rows.count() > 0
    for text in page.locator("table.alerts tbody td:nth-child(3)").all_inner_texts():
        assert text.strip() == "Critical"
    shot(page, "inbox-filtered")

    with page.expect_download() as download_info:
        page.click("#export-csv")
    body = download_info.value.path().read_text("utf-8-sig")
    records = list(csv.DictReader(io.StringIO(body)))
    assert records and {r["severity"] for r in records} == {"critical"}

    page.locator("table.alerts tbody tr td:nth-child(2) a").first.click()
    page.wait_for_url("**/alerts/*")
    chart = page.locator("svg.chart")
    assert chart.count() == 1
    assert page.locator("svg.chart circle").count() >= 2
    assert page.locator("svg.chart line.unified").count() == 1
    shot(page, "alert-detail")

    page.click("#actions button[value=acknowledge]")
    page.wait_for_load_state()
    assert page.locator("h1 .st-acknowledged").count() == 1
    assert "manager" in page.locator("table#history").inner_text()


def test_hostile_names_and_titles_render_as_text(page: Any, server: Server) -> None:
    login(page, server)
    page.goto(f"{server.url}/alerts/{server.data.hostile_alert_id}")
    seller_cell = page.locator("td.seller").first
    assert seller_cell.inner_text().strip().startswith(HOSTILE_SELLER)
    assert page.locator("td.listing-title").first.inner_text().strip() == HOSTILE_TITLE
    # The text is there as text: no element was made from it.
    assert page.locator("td.seller script, td.listing-title img").count() == 0
    page.goto(f"{server.url}/alerts?seller=script")
    assert HOSTILE_SELLER in page.locator("table.alerts").inner_text()
    shot(page, "inbox-hostile")
    assert page.dialogs == []


def test_evidence_is_shown_sandboxed_and_its_scripts_never_run(page: Any, server: Server) -> None:
    login(page, server)
    page.goto(f"{server.url}/alerts/{server.data.hostile_alert_id}")
    frame_el = page.locator("iframe.evidence")
    assert frame_el.get_attribute("sandbox") == ""
    frame = frame_el.element_handle().content_frame()
    frame.wait_for_load_state()
    assert HOSTILE_TITLE in frame.locator("h1").inner_text()
    # The captured page's script would have renamed it and replaced both documents.
    assert frame.locator("h1").count() == 1
    assert "pwned" not in page.locator("body").inner_text()
    assert page.dialogs == []


def test_seller_product_sync_and_review_pages(page: Any, server: Server) -> None:
    login(page, server)
    page.goto(server.url + "/sellers/fengxing")
    assert page.locator(".cards .card").count() == 5
    shot(page, "seller")
    page.click("#draft-notice button[type=submit]")
    page.wait_for_url("**/notices/*")
    assert "峰行户外专营店" in page.locator("pre.notice-body").inner_text()
    shot(page, "notice")
    page.click("#send-notice button")
    page.wait_for_load_state()
    assert page.locator("#send-notice").count() == 0
    page.goto(server.url + "/products/SY-JK01-BLK-M")
    assert page.locator("tr.below").count() >= 1
    shot(page, "product")
    page.goto(server.url + "/sync")
    assert "paused" in page.locator("body").inner_text()
    shot(page, "sync")
    page.goto(server.url + "/review")
    assert HOSTILE_TITLE in page.locator("body").inner_text()
    shot(page, "review")
    assert page.dialogs == []


def test_chinese_user_gets_the_chinese_interface(page: Any, server: Server) -> None:
    login(page, server, "wang")
    assert page.locator("nav >> text=告警").count() == 1
    page.select_option("select[name=language]", "en")
    page.wait_for_load_state()
    page.wait_for_selector("nav >> text=Alerts")
    shot(page, "overview-en-switch", full_page=False)
