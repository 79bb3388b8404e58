"""The alerting commands end to end, in process: evaluate, alerts ..., notify, notices, report."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oneprice.cli import app, main
from oneprice.domain.money import Money
from oneprice.domain.observation import Observation, ObservationStatus
from oneprice.storage import Database, ObservationRepository

CONFIG = """
brand: {name: Test Brand, currency: CNY}
database: {url: "sqlite:///alerts.db"}
catalog: {file: catalog.csv}
resellers:
  - {id: star, name: 星光, platforms: [tmall]}
watch:
  - {id: t1, url: "http://127.0.0.1:1/a", platform: tmall}
  - {id: t2, url: "http://127.0.0.1:1/b", platform: jd}
alerts:
  notices: {route: log, language: en}
  routes:
    - {name: log, url: "log://"}
    - {name: hook, url: "json://127.0.0.1:9/x", tags: [im]}
"""
CATALOG = (
    "sku,parent_sku,name,gtin,model,color,size,product_line,unified_price,currency,stock,status,channels\n"
    "JK,,Jacket,,,,,apparel,1000.00,CNY,1,active,\n"
)
HOSTILE = "<script>x()</script>Shop"


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("ONEPRICE_DATABASE_URL", raising=False)
    (tmp_path / "oneprice.yaml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "catalog.csv").write_text(CATALOG, encoding="utf-8")
    db = Database.open(f"sqlite:///{tmp_path / 'alerts.db'}")
    repo = ObservationRepository(db)
    now = datetime.now(UTC) - timedelta(minutes=5)
    for target, platform, seller, reseller in (("t1", "tmall", "星光", "star"), ("t2", "jd", HOSTILE, None)):
        repo.add(
            Observation(
                target_id=target,
                url=f"http://127.0.0.1:1/{target}",
                platform=platform,
                observed_at=now,
                status=ObservationStatus.OK,
                price=Money.of("800", "CNY"),
                seller_name=seller,
                reseller_id=reseller,
                product_sku="JK",
            )
        )
    db.dispose()
    return tmp_path / "oneprice.yaml"


def run(config: Path, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(app, ["-c", str(config), *args])
    assert result.exit_code == code, result.output
    return result.output


def test_the_alert_workflow(setup: Path) -> None:
    assert "3 new alerts" in run(setup, "evaluate")
    alerts = json.loads(run(setup, "alerts", "list", "--format", "json"))
    assert sorted(a["rule"] for a in alerts) == ["unauthorized_seller", "undercut", "undercut"]
    star = next(a for a in alerts if a["seller_key"] == "star")

    run(setup, "alerts", "ack", str(star["id"]), "--by", "li.na", "--note", "calling them")
    assert (
        json.loads(run(setup, "alerts", "list", "--status", "acknowledged", "--format", "json"))[0]["id"] == star["id"]
    )
    shown = run(setup, "alerts", "show", str(star["id"]))
    assert "li.na" in shown and "calling them" in shown and "acknowledged" in shown

    page = json.loads(run(setup, "alerts", "list", "--status", "all", "--limit", "2", "--format", "json"))
    rest = json.loads(
        run(
            setup,
            "alerts",
            "list",
            "--status",
            "all",
            "--limit",
            "2",
            "--after",
            str(page[-1]["id"]),
            "--format",
            "json",
        )
    )
    assert len(page) == 2 and len(rest) == 1 and rest[0]["id"] < page[-1]["id"]

    other = next(a for a in alerts if a["seller_key"] != "star" and a["rule"] == "undercut")
    run(setup, "alerts", "dismiss", str(other["id"]), "--reason", "bundle price", "--by", "li.na")
    assert "dismissed" in run(setup, "alerts", "history", str(other["id"]))
    assert "1 dismissed before" in run(setup, "evaluate")

    # The hook route (nothing listens on port 9) keeps its messages; the log route delivers.
    out = run(setup, "notify")
    assert "failed" in out and "pending" in out
    assert "sent" in run(setup, "notify", "--show")

    draft = run(setup, "notices", "draft", "star")
    assert "stage 1: first_notice" in draft and "800.00 CNY" in draft
    notice_id = draft.split("notice #", 1)[1].split(" ", 1)[0]
    assert "queued on route log" in run(setup, "notices", "send", notice_id)

    report = setup.parent / "report"
    out = run(setup, "report", "--out", str(report), "--days", "2")
    assert {p.name for p in report.iterdir()} == {"alerts.csv", "scorecard.csv", "report.xlsx", "report.html"}
    assert "<script>x()" not in (report / "report.html").read_text(encoding="utf-8")


REFUSED = [
    (("alerts", "ack", "999"), "no alert #999"),
    (("alerts", "dismiss", "1", "--reason", " "), "needs a reason"),
    (("notices", "draft", "nobody"), "no open price alerts"),
    (("notices", "draft", "star", "--language", "fr"), "unknown language"),
    (("report", "--format", "pdf"), "unknown report format"),
]


@pytest.mark.parametrize(("args", "message"), REFUSED)
def test_user_errors_exit_2_with_one_line(
    setup: Path,
    args: tuple[str, ...],
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    run(setup, "evaluate")
    capsys.readouterr()
    monkeypatch.setattr("sys.argv", ["oneprice", "-c", str(setup), *args])
    with pytest.raises(SystemExit) as exit_:
        main()
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and message in err and "Traceback" not in err
