"""A copy of the demo config and its catalog that a test may edit (importable from every test directory)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]


def copy_demo(directory: Path) -> Path:
    """The demo config and its catalog copied into `directory` for a test to edit; the config's path."""
    doc: dict[str, Any] = yaml.safe_load((ROOT / "config" / "demo.yaml").read_text(encoding="utf-8"))
    shutil.copy(ROOT / "config" / doc["catalog"]["file"], directory / "catalog.csv")
    doc["catalog"]["file"] = "catalog.csv"
    doc["alerts"]["notices"]["templates"] = str(ROOT / "config" / doc["alerts"]["notices"]["templates"])
    path = directory / "oneprice.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def edit_later(path: Path, old: str, new: str) -> None:
    """Replace `old` in the file and move its time a second on, as an edit a moment later would."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    before = path.stat().st_mtime_ns
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(before + 1_000_000_000, before + 1_000_000_000))
