"""`oneprice report`: alerts and the reseller scorecard as CSV and XLSX, and an HTML report with charts.

Scraped text is neutralised for spreadsheets (no formulas) and escaped in HTML.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from alerts.charts import price_chart
from alerts.messages import environment
from alerts.scorecard import SCORECARD_FIELDS, SellerScore, scorecard
from oneprice.domain.alert import Alert
from oneprice.render import ALERT_FIELDS, alert_record, alert_values, csv_safe, write_xlsx
from oneprice.settings.loader import LoadedConfig
from oneprice.storage import AlertFilter, AlertRepository, Database
from oneprice.storage.alert_inputs import AlertInputRepository
from oneprice.storage.notices import NoticeRepository

FORMATS = ("csv", "xlsx", "html")
MAX_CHARTS = 50


@dataclass(frozen=True)
class ReportData:
    alerts: list[Alert]
    scores: list[SellerScore]
    since: datetime
    now: datetime


def collect(db: Database, since: datetime, now: datetime) -> ReportData:
    alerts = AlertRepository(db).find(AlertFilter(seen_since=since))
    notices = NoticeRepository(db).list()
    return ReportData(alerts, scorecard(alerts, notices, now), since, now)


def _write_csv(path: Path, fields: Sequence[str], rows: Sequence[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:  # BOM: Excel reads UTF-8 CSV correctly
        writer = csv.DictWriter(f, fieldnames=list(fields))
        writer.writeheader()
        for r in rows:
            writer.writerow({k: csv_safe(v) for k, v in r.items()})


def charts(config: LoadedConfig, db: Database, data: ReportData) -> list[dict[str, str]]:
    """One price-history chart per product with alerts (the worst first, at most MAX_CHARTS)."""
    products = config.catalog.by_sku()
    worst: dict[str, Decimal] = defaultdict(Decimal)
    for a in data.alerts:
        if a.product_sku in products:
            worst[a.product_sku] = max(worst[a.product_sku], a.gap_percent or Decimal(0))
    skus = sorted(worst, key=lambda s: (-worst[s], s))[:MAX_CHARTS]
    series: dict[str, dict[str, list[tuple[datetime, Decimal]]]] = defaultdict(lambda: defaultdict(list))
    for sku, key, name, at, price in AlertInputRepository(db).price_points(skus, data.since):
        series[sku][name or key].append((at, price.amount))
    out = []
    for sku in skus:
        product = products[sku]
        floor = config.settings.policy.tolerance_for(product.product_line).floor(product.unified_price)
        svg = price_chart(series.get(sku, {}), product.unified_price.amount, floor.amount, title=sku)
        if svg:
            out.append({"sku": sku, "name": product.name, "svg": svg})
    return out


def write_report(
    config: LoadedConfig,
    db: Database,
    out_dir: Path,
    *,
    since: datetime,
    now: datetime,
    formats: Sequence[str] = FORMATS,
) -> list[Path]:
    """Write the report files into `out_dir`; returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    data = collect(db, since, now)
    alert_rows = [alert_record(a) for a in data.alerts]
    score_rows = [s.record() for s in data.scores]
    written: list[Path] = []
    if "csv" in formats:
        _write_csv(out_dir / "alerts.csv", ALERT_FIELDS, alert_rows)
        _write_csv(out_dir / "scorecard.csv", SCORECARD_FIELDS, score_rows)
        written += [out_dir / "alerts.csv", out_dir / "scorecard.csv"]
    if "xlsx" in formats:
        with (out_dir / "report.xlsx").open("wb") as out:
            write_xlsx(
                out,
                {
                    "scorecard": (SCORECARD_FIELDS, [[getattr(s, f) for f in SCORECARD_FIELDS] for s in data.scores]),
                    "alerts": (ALERT_FIELDS, [alert_values(a) for a in data.alerts]),
                },
            )
        written.append(out_dir / "report.xlsx")
    if "html" in formats:
        html = (
            environment()
            .get_template("report.html")
            .render(
                brand=config.settings.brand.name,
                language=config.settings.alerts.notices.language,
                alerts=data.alerts,
                scores=data.scores,
                charts=charts(config, db, data),
                since=since,
                now=now,
            )
        )
        (out_dir / "report.html").write_text(html, encoding="utf-8")
        written.append(out_dir / "report.html")
    return written
