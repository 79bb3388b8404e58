"""A copy of the saved config and catalog for each test."""

from __future__ import annotations

from pathlib import Path

import pytest
from config_files import copy_fixtures


@pytest.fixture
def cfgdir(tmp_path: Path) -> Path:
    return copy_fixtures(tmp_path)
