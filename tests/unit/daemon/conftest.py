"""The demo config, with its database in the test's directory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from daemon_fakes import ROOT

from oneprice.settings import load_config


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("ONEPRICE_DATABASE_URL", f"sqlite:///{tmp_path / 'd.db'}")
    return load_config(ROOT / "config" / "demo.yaml")
