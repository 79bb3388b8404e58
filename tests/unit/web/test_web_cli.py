"""`oneprice users ...` and `oneprice serve`'s refusal to start without a secret key."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from oneprice.cli import app

ROOT = Path(__file__).resolve().parents[3]
DEMO = str(ROOT / "config" / "demo.yaml")


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "cli.db"
    monkeypatch.setenv("ONEPRICE_DATABASE_URL", f"sqlite:///{db}")
    return db


def _run(*args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["-c", DEMO, *args], input=stdin)
    return result.exit_code, result.output


def test_users_add_list_passwd_disable(env: Path) -> None:
    from oneprice.storage import Database
    from oneprice.storage.users import UserRepository
    from oneprice.web.security import verify_password

    code, out = _run(
        "users",
        "add",
        "li.wei",
        "--role",
        "brand_manager",
        "--name",
        "李伟",
        "--password-stdin",
        stdin="a long enough password\n",
    )
    assert code == 0, out
    code, out = _run("users", "list")
    assert code == 0 and "li.wei" in out and "brand_manager" in out
    code, out = _run("users", "passwd", "li.wei", "--password-stdin", stdin="another long password\n")
    assert code == 0, out
    code, out = _run("users", "disable", "li.wei")
    assert code == 0, out
    db = Database.open(f"sqlite:///{env}")
    found = UserRepository(db).by_username("li.wei")
    db.dispose()
    assert found is not None and not found[0].active
    assert verify_password(found[1], "another long password")


def test_users_add_refuses_short_passwords_and_duplicates(env: Path) -> None:
    from oneprice.cli import main

    def run_main(*args: str, stdin: str) -> int:
        import io
        import sys

        old = sys.argv, sys.stdin
        sys.argv, sys.stdin = ["oneprice", "-c", DEMO, *args], io.StringIO(stdin)
        try:
            main()
        except SystemExit as e:
            return int(e.code or 0)
        finally:
            sys.argv, sys.stdin = old
        return 0

    assert run_main("users", "add", "bob", "--password-stdin", stdin="short\n") == 2
    assert run_main("users", "add", "bob", "--password-stdin", stdin="long enough pw\n") == 0
    assert run_main("users", "add", "bob", "--password-stdin", stdin="long enough pw\n") == 2
    assert run_main("users", "passwd", "ghost", "--password-stdin", stdin="long enough pw\n") == 2


def test_serve_refuses_to_start_without_a_secret_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from oneprice.errors import UserError

    monkeypatch.delenv("ONEPRICE_SECRET_KEY", raising=False)
    config = tmp_path / "c.yaml"
    text = (ROOT / "config" / "demo.yaml").read_text("utf-8")
    text = text.replace(
        "${ONEPRICE_SECRET_KEY:-demo-only-secret-key-not-for-production-use}", "${ONEPRICE_SECRET_KEY:-}"
    )
    text = text.replace("file: demo-catalog.csv", f"file: {ROOT / 'config' / 'demo-catalog.csv'}")
    # Paths in a config file are relative to it: the copy names the demo's folders absolutely.
    text = text.replace("    templates: notices\n", f"    templates: {ROOT / 'config' / 'notices'}\n")
    config.write_text(text, "utf-8")
    result = CliRunner().invoke(app, ["-c", str(config), "serve"])
    assert isinstance(result.exception, UserError)
    assert "ONEPRICE_SECRET_KEY" in str(result.exception)


def test_short_secret_keys_are_a_config_error_with_file_and_line(tmp_path: Path) -> None:
    from oneprice.errors import ConfigError
    from oneprice.settings.loader import load_config

    config = tmp_path / "c.yaml"
    text = (ROOT / "config" / "demo.yaml").read_text("utf-8")
    text = text.replace("${ONEPRICE_SECRET_KEY:-demo-only-secret-key-not-for-production-use}", "too-short")
    text = text.replace("file: demo-catalog.csv", f"file: {ROOT / 'config' / 'demo-catalog.csv'}")
    config.write_text(text, "utf-8")
    with pytest.raises(ConfigError) as e:
        load_config(config)
    (problem,) = [p for p in e.value.problems if "web.secret_key" in str(p)]
    assert "at least 32 characters" in str(problem) and "too-short" not in str(problem)
