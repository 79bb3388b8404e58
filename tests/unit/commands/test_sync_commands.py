"""`oneprice sync ...` on the command line: help with examples, pause/resume/status, user errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oneprice.cli import app

COMMANDS = ("plan", "apply", "link", "check", "status", "retry", "pause", "resume")


@pytest.fixture
def config(tmp_path: Path) -> Path:
    (tmp_path / "catalog.csv").write_text("sku,name,unified_price\nA-1,Product A,10.00\n", encoding="utf-8")
    (tmp_path / "c.yaml").write_text(
        "brand: {name: B}\n"
        f"database: {{url: 'sqlite:///{tmp_path / 'db.sqlite'}'}}\n"
        "catalog: {file: catalog.csv}\n"
        "channels:\n"
        "  - {name: shop, kind: woocommerce, base_url: 'http://127.0.0.1:9',\n"
        "     credentials: {consumer_key: ck, consumer_secret: cs}}\n",
        encoding="utf-8",
    )
    return tmp_path / "c.yaml"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_sync_command_has_help_with_an_example(command: str) -> None:
    result = CliRunner().invoke(app, ["sync", command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output and f"sync {command}" in result.output


def test_pause_shows_in_status_until_resumed(config: Path) -> None:
    runner = CliRunner()
    paused = runner.invoke(app, ["-c", str(config), "sync", "pause", "shop", "--reason", "stock take"])
    assert paused.exit_code == 0, paused.output
    status = runner.invoke(app, ["-c", str(config), "sync", "status", "--format", "json"])
    [shop] = json.loads(status.output)["channels"]
    assert (shop["paused"], shop["paused_reason"], shop["dead_letters"]) == (True, "stock take", [])
    runner.invoke(app, ["-c", str(config), "sync", "resume", "shop"])
    status = runner.invoke(app, ["-c", str(config), "sync", "status", "--format", "json"])
    assert json.loads(status.output)["channels"][0]["paused"] is False


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sync", "pause", "nope"], "unknown channel 'nope'"),
        (["sync", "apply", "--allow", "everything"], "--allow: unknown guard everything"),
        (["sync", "apply", "missing-plan.json"], "no such plan file"),
    ],
)
def test_user_errors_are_one_line(config: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, ["-c", str(config), *args])
    assert result.exit_code != 0
    assert message in str(result.exception)
