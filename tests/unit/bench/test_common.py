"""Bench figures: ratios, goals and the JSON document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import common
from bench.common import Figure


@pytest.mark.parametrize(
    ("value", "bound", "goal", "ratio", "met"),
    [
        (10, 10, "== 1", 1.0, True),
        (12, 10, "<= 1", 1.2, False),
        (0, 0, "== 0", 0.0, True),
        (3, 0, "== 0", None, None),
        (0.95, 1, ">= 0.9", 0.95, True),
    ],
)
def test_figure_ratio_and_goal(value: float, bound: float, goal: str, ratio: float | None, met: bool | None) -> None:
    fig = Figure(value, bound, goal)
    assert fig.ratio == ratio
    assert fig.meets_goal() is met


def test_report_writes_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "OUT_DIR", tmp_path)
    path = common.report("x", {"a": Figure(2, 4, "<= 1")}, {"n": 3})
    doc = json.loads(path.read_text())
    assert doc["figures"]["a"] == {
        "value": 2,
        "bound": 4,
        "ratio": 0.5,
        "goal": "<= 1",
        "unit": "",
        "note": "",
    }
    assert doc["args"] == {"n": 3} and "python" in doc["machine"]
