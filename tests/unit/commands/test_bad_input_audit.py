"""Bad input on the command line: one line naming where the problem is, a non-zero exit, no traceback,
and no secret from the environment in anything printed."""

from __future__ import annotations

import logging
import shutil
import sys
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError

from alerts.notices import template_problem
from oneprice import cli
from oneprice.settings.secrets import remember

CONFIG = Path(__file__).resolve().parents[3] / "config"


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo config and catalog in a scratch directory, with its own database."""
    shutil.copy(CONFIG / "demo.yaml", tmp_path / "demo.yaml")
    shutil.copy(CONFIG / "demo-catalog.csv", tmp_path / "demo-catalog.csv")
    shutil.copytree(CONFIG / "notices", tmp_path / "notices")
    monkeypatch.setenv("ONEPRICE_DATABASE_URL", f"sqlite:///{tmp_path / 'demo.db'}")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "demo.yaml"


def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """`oneprice ARGV` through the console entry point: (exit code, stdout, stderr)."""
    monkeypatch.setattr(sys, "argv", ["oneprice", *argv])
    with pytest.raises(SystemExit) as exited:
        cli.main()
    out = capsys.readouterr()
    code = exited.value.code
    assert "Traceback" not in out.out + out.err
    return (code if isinstance(code, int) else 1), out.out, out.err


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_gbk_catalog_through_the_cli(
    demo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = demo.parent / "demo-catalog.csv"
    catalog.write_bytes(catalog.read_text(encoding="utf-8").encode("gbk"))
    code, _, err = run(monkeypatch, capsys, "-c", str(demo), "config", "check")
    assert code == 2
    assert err.startswith(f"{catalog}:2: not UTF-8 text (byte 0x")
    assert "GBK/GB18030" in err


def test_catalog_price_rounding_is_refused(
    demo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(demo.parent / "demo-catalog.csv", "apparel,1299.00,CNY,42", "apparel,1299.005,CNY,42")
    code, _, err = run(monkeypatch, capsys, "-c", str(demo), "config", "check")
    assert code == 2
    assert "demo-catalog.csv:2: products[SY-JK01-BLK-M].unified_price: '1299.005' has 3 decimal places" in err


def test_config_check_names_an_unusable_route_and_a_missing_notices_route(
    demo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(demo, 'url: "log://"', 'url: "nosuch://x"')
    edit(demo, "route: mail", "route: email")
    code, _, err = run(monkeypatch, capsys, "-c", str(demo), "config", "check")
    assert code == 2
    lines = err.splitlines()
    assert any(line.endswith("alerts.notices.route: no route 'email' (routes: log, mail)") for line in lines), err
    assert any("alerts.routes[0].url: not a usable Apprise URL (nosuch://x)" in line for line in lines), err


def test_config_check_never_prints_an_env_secret(
    demo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    secrets = {
        "OFFICIAL_WC_SECRET": "cs-Ow7Pq2Lm",
        "SHOPIFY_TOKEN": "shpat-Rt5Yh8Kd",
        "SMTP_PASSWORD": "smtp-Ux3Vn6Bq",
        "ONEPRICE_SECRET_KEY": "web-" + "Ab9" * 12,
    }
    for name, value in secrets.items():
        monkeypatch.setenv(name, value)
    # A secret written into a field that is not one (a token in a query string):
    edit(demo, "/woo/official", "/woo/official?token=${OFFICIAL_WC_SECRET}")
    code, out, err = run(monkeypatch, capsys, "-c", str(demo), "config", "check")
    assert code == 0, err
    assert "base_url: http://127.0.0.1:8700/woo/official?token=***" in out
    for value in secrets.values():
        assert value not in out + err
    # ... and in an error message that quotes the value:
    before = "    currency: CNY\n    credentials:\n      consumer_key"
    edit(demo, before, before.replace("CNY", "${OFFICIAL_WC_SECRET}"))
    code, out, err = run(monkeypatch, capsys, "-c", str(demo), "config", "check")
    assert code == 2
    assert "channels[0].currency: unknown currency '***'" in err
    for value in secrets.values():
        assert value not in out + err


UNKNOWN = "l.csv:1: bar: unknown column (known: title, sku, gtin, model, price, currency, url)"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            b"title,sku,price\nA,SY-JK01-BLK-M,abc\nB,,-5\nC,,1e3\n",
            [
                "l.csv:2: price: 'abc' is not a number",
                "l.csv:3: price: must not be negative (got -5)",
                "l.csv:4: price: '1e3' is not a number",
            ],
        ),
        (
            b"foo,bar\n1,2\n",
            ["l.csv:1: no column to match by: give title, sku, gtin or model", UNKNOWN, "l.csv:1: foo: unknown column"],
        ),
        ("title,sku\n山屿 冲锋衣,SY-JK01-BLK-M\n".encode("gbk"), ["l.csv:2: not UTF-8 text (byte 0x"]),
        (b"title,sku\nA,SY-JK01-BLK-M,extra\n", ["l.csv:2: more fields than columns (3; the header has 2)"]),
        (b"", ["l.csv: the listings CSV is empty (no header row)"]),
    ],
)
def test_match_listings_csv_problems(
    demo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], content: bytes, expected: list[str]
) -> None:
    (demo.parent / "l.csv").write_bytes(content)
    code, out, err = run(monkeypatch, capsys, "-c", str(demo), "match", "--listings", "l.csv")
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == len(expected), err
    for line, want in zip(lines, expected, strict=True):
        assert line.startswith(want), err


def test_match_reads_the_line_each_listing_starts_on(
    demo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (demo.parent / "l.csv").write_bytes(b"\xef\xbb\xbfTitle, SKU ,price\r\n\r\nA,SY-JK01-BLK-M,1299.00\r\n")
    code, out, err = run(monkeypatch, capsys, "-c", str(demo), "match", "--listings", "l.csv", "--format", "json")
    assert code == 0, err
    assert '"line": 3' in out and '"product_sku": "SY-JK01-BLK-M"' in out


def test_alerts_list_limit_must_be_positive(
    demo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(monkeypatch, capsys, "-c", str(demo), "alerts", "list", "--limit", "0")
    assert code == 2
    assert "Invalid value for '--limit'" in err


def test_sync_plan_out_in_a_missing_directory_fails_before_planning(
    demo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(monkeypatch, capsys, "-c", str(demo), "sync", "plan", "--out", "nodir/plan.json")
    assert (code, err.strip()) == (2, "error: --out nodir/plan.json: no directory nodir")
    assert not (demo.parent / "demo.db").exists()  # nothing was read or written


def test_report_out_that_is_a_file(
    demo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(monkeypatch, capsys, "-c", str(demo), "report", "--out", "demo.yaml")
    assert (code, err.strip()) == (2, "error: --out demo.yaml: exists and is not a directory")


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        (
            "Dear {{ seller }},\n{% for item in items %}{{ item.sku }}\n{% endfo %}\n",
            "first_notice.en.txt:3: Encountered unknown tag 'endfo'",
        ),
        ("Dear {{ seller }},\n\n{{ brnad }} channel team\n", "first_notice.en.txt:3: 'brnad' is undefined"),
    ],
)
def test_notice_template_errors_name_file_and_line(tmp_path: Path, template: str, expected: str) -> None:
    (tmp_path / "first_notice.en.txt").write_text(template, encoding="utf-8")
    env = Environment(loader=FileSystemLoader(str(tmp_path)), undefined=StrictUndefined, autoescape=False)  # noqa: S701
    with pytest.raises(TemplateError) as info:
        env.get_template("first_notice.en.txt").render(seller="峰行户外", items=[{"sku": "SY-JK01-BLK-M"}])
    message = template_problem(info.value)
    assert message.startswith(f"notice template {tmp_path}/"), message
    assert expected in message


def test_unexpected_errors_are_one_line_without_secrets(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    remember("tok-Gg83Jd20Xy")

    def broken() -> None:
        raise RuntimeError("upstream said no to tok-Gg83Jd20Xy")

    monkeypatch.setattr(cli, "app", broken)
    code, _, err = run(monkeypatch, capsys)
    assert code == 1
    assert (
        err.strip()
        == "error: unexpected RuntimeError: upstream said no to *** (run with --log-level DEBUG to see where)"
    )

    def missing() -> None:
        raise FileNotFoundError(2, "No such file or directory", "/nowhere/x.db.migrate-lock")

    monkeypatch.setattr(cli, "app", missing)
    code, _, err = run(monkeypatch, capsys)
    assert (code, err.strip()) == (1, "error: /nowhere/x.db.migrate-lock: No such file or directory")


def test_log_lines_and_their_tracebacks_are_scrubbed() -> None:
    remember("pw-Lq47Zc19Vb")
    try:
        raise ValueError("bad pw-Lq47Zc19Vb")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "login %s", ("pw-Lq47Zc19Vb",), sys.exc_info())
    from oneprice import app as composition

    composition.setup_logging("INFO")
    handler = logging.getLogger().handlers[0]
    assert handler.filter(record)  # every process that sets up logging scrubs, the CLI's and the daemon's
    text = logging.Formatter().format(record)
    assert "pw-Lq47Zc19Vb" not in text
    assert text.startswith("login ***\nTraceback") and "ValueError: bad ***" in text


def test_sandbox_on_a_busy_port(
    demo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, _, err = run(monkeypatch, capsys, "-c", str(demo), "sandbox", "serve", "--port", str(port))
    assert code == 2
    assert err.strip().endswith(
        f"error: cannot serve the sandbox on 127.0.0.1:{port}: Address already in use (try --port)"
    )


def test_extract_refuses_an_unknown_currency(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "p.html"
    page.write_text("<html><body><span class='price'>12.30</span></body></html>", encoding="utf-8")
    code, _, err = run(monkeypatch, capsys, "extract", str(page), "--currency", "XYZ")
    assert (code, err.strip()) == (
        2,
        "error: --currency: unknown currency 'XYZ' (expected an ISO 4217 code such as CNY, USD)",
    )
    code, out, _ = run(monkeypatch, capsys, "extract", str(page), "--currency", "usd", "--format", "json")
    assert code == 0 and '"currency": "USD"' in out


def test_notices_draft_with_a_missing_template_directory(
    demo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(demo, "templates: notices", "templates: notice-templates")
    code, _, err = run(monkeypatch, capsys, "-c", str(demo), "notices", "draft", "fengxing")
    missing = demo.parent / "notice-templates"
    assert (code, err.strip()) == (2, f"error: alerts.notices.templates: no such directory: {missing}")
    code, _, err = run(monkeypatch, capsys, "-c", str(demo), "alerts", "list", "--format", "json")
    assert code == 0, err  # only what drafts notices needs them
