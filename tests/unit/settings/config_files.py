"""The saved config and catalog the settings tests start from, and a one-place edit of a copy."""

from __future__ import annotations

import shutil
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


def copy_fixtures(directory: Path) -> Path:
    """c.yaml and catalog.csv copied into `directory` (returned) for a test to edit."""
    shutil.copy(FIXTURES / "good.yaml", directory / "c.yaml")
    shutil.copy(FIXTURES / "catalog.csv", directory / "catalog.csv")
    return directory


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in the file with `new`; `old` must be there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
