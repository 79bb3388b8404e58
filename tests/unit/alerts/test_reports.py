"""Reports: CSV, XLSX and HTML files that open, with the scorecard, charts and hostile text neutralised."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import pytest
from alert_fakes import Feed, make_config
from openpyxl import load_workbook

from alerts.charts import price_chart
from alerts.engine import evaluate
from alerts.reports import write_report
from alerts.scorecard import _covered_days, scorecard
from oneprice.domain.alert import AlertStatus
from oneprice.domain.notice import Notice, NoticeStatus
from oneprice.storage import AlertRepository, Database

T0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
DAY = timedelta(days=1)
HOSTILE = '=HYPERLINK("http://evil.example")<script>x()</script>'


@pytest.fixture
def report_dir(tmp_path: Path, sqlite_db: Database, feed: Feed) -> Path:
    config = make_config(tmp_path)
    for i, price in enumerate(["1000", "900", "850", "1000"]):
        feed("t-star", price, T0 + i * DAY)
        feed("t-grey", "700", T0 + i * DAY, seller=HOSTILE, reseller=None)
        evaluate(config, sqlite_db, now=T0 + i * DAY)
    out = tmp_path / "report"
    write_report(config, sqlite_db, out, since=T0 - DAY, now=T0 + 4 * DAY)
    return out


def test_csv_opens_and_neutralises_formulas(report_dir: Path) -> None:
    with (report_dir / "alerts.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert {r["rule"] for r in rows} == {"undercut", "unauthorized_seller"}
    hostile = [r for r in rows if "HYPERLINK" in (r["seller"] or "")]
    assert hostile and all(r["seller"].startswith("'=") for r in hostile)
    with (report_dir / "scorecard.csv").open(encoding="utf-8-sig") as f:
        scores = {r["seller_key"]: r for r in csv.DictReader(f)}
    assert scores["star"]["violations"] == "1" and scores["star"]["days_in_violation"] == "2.00"
    assert scores["star"]["average_gap_percent"] == "15.00"


def test_xlsx_opens_with_both_sheets_and_no_formulas(report_dir: Path) -> None:
    wb = load_workbook(report_dir / "report.xlsx")
    assert wb.sheetnames == ["scorecard", "alerts"]
    values = [c.value for row in wb["alerts"].iter_rows() for c in row]
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)
    assert any(isinstance(v, str) and "HYPERLINK" in v for v in values)


def test_xlsx_money_and_percentages_are_number_cells_a_spreadsheet_can_sum(report_dir: Path) -> None:
    wb = load_workbook(report_dir / "report.xlsx")
    with (report_dir / "alerts.csv").open(encoding="utf-8-sig") as f:
        texts = list(csv.DictReader(f))
    rows = list(wb["alerts"].iter_rows())
    header = [c.value for c in rows[0]]
    for field in ("observed_price", "unified_price", "gap_percent"):
        cells = [row[header.index(field)] for row in rows[1:]]
        filled = [(c, t[field]) for c, t in zip(cells, texts, strict=True) if t[field]]
        assert filled, field
        for cell, text in filled:
            assert cell.data_type == "n" and Decimal(str(cell.value)) == Decimal(text), (field, cell.value, text)
            assert cell.number_format == "#,##0" + ("." + "0" * len(text.split(".")[1]) if "." in text else "")
    score_header = [c.value for c in next(wb["scorecard"].iter_rows())]
    days = [row[score_header.index("days_in_violation")] for row in list(wb["scorecard"].iter_rows())[1:]]
    assert days and all(c.data_type == "n" and c.number_format == "#,##0.00" for c in days)


def test_html_escapes_scraped_text_and_has_a_chart(report_dir: Path) -> None:
    html = (report_dir / "report.html").read_text(encoding="utf-8")
    assert "<script>x()" not in html and "&lt;script&gt;x()" in html
    assert html.count("<svg") >= 1 and "<polyline" in html
    assert "Content-Security-Policy" in html


def test_chart_is_valid_svg_with_escaped_labels() -> None:
    svg = price_chart(
        {"<b>bad</b>": [(T0, Decimal(900)), (T0 + DAY, Decimal(950))], "ok": [(T0, Decimal(1000))]},
        Decimal(1000),
        Decimal(950),
        title="<x>",
    )
    root = ElementTree.fromstring(svg)  # noqa: S314 - our own output: it must be well-formed XML
    assert root.tag.endswith("svg") and "<b>" not in svg and "&lt;b&gt;bad" in svg
    assert price_chart({}, Decimal(1)) == ""


COVERED = [
    ([(0, 2)], "2.00"),
    ([(0, 2), (1, 3)], "3.00"),  # overlapping episodes count once
    ([(0, 1), (2, 3)], "2.00"),
    ([], "0.00"),
]


@pytest.mark.parametrize(("spans", "days"), COVERED)
def test_days_in_violation(spans: list[tuple[int, int]], days: str) -> None:
    assert str(_covered_days([(T0 + a * DAY, T0 + b * DAY) for a, b in spans])) == days


def test_response_to_notices(tmp_path: Path, sqlite_db: Database, feed: Feed) -> None:
    config = make_config(tmp_path)
    feed("t-star", "800", T0)
    evaluate(config, sqlite_db, now=T0)
    [alert] = AlertRepository(sqlite_db).list()
    notice = Notice(
        id=1,
        seller_key="star",
        seller_name="星光",
        stage=1,
        language="zh-CN",
        alert_ids=(alert.id,),
        subject="s",
        body_text="t",
        body_html="h",
        status=NoticeStatus.SENT,
        created_at=T0,
        sent_at=T0 + DAY,
        sent_via="mail",
    )
    feed("t-star", "1000", T0 + 2 * DAY)
    evaluate(config, sqlite_db, now=T0 + 2 * DAY)
    alerts = AlertRepository(sqlite_db).list(status=list(AlertStatus))
    [score] = scorecard(alerts, [notice], T0 + 3 * DAY)
    assert (score.notices_sent, score.resolved_after_notice, score.response_percent) == (1, 1, Decimal("100.0"))
