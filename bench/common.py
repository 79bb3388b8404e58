"""What every benchmark shares: figures with bounds, a Rich table, and `var/bench/<name>.json`.

A figure is a measured value next to the bound it is judged against (a baseline measured in
the same run, or a theoretical number); `ratio` = value / bound and `goal` says what is good.
"""

from __future__ import annotations

import json
import os
import platform
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

OUT_DIR = Path("var/bench")


@dataclass(frozen=True)
class Figure:
    """One measured figure: `value` judged against `bound` (ratio = value / bound), e.g. goal "<= 2"."""

    value: float
    bound: float
    goal: str
    unit: str = ""
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.bound == 0:
            return 0.0 if self.value == 0 else None
        return self.value / self.bound

    def meets_goal(self) -> bool | None:
        """Whether the ratio meets the goal ("<= 2", ">= 0.9", "== 0"); None if it cannot say."""
        ratio = self.ratio
        if ratio is None:
            return None
        op, _, target = self.goal.partition(" ")
        limit = float(target)
        return {"<=": ratio <= limit, ">=": ratio >= limit, "==": ratio == limit}.get(op)

    def to_json(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "bound": self.bound,
            "ratio": self.ratio,
            "goal": self.goal,
            "unit": self.unit,
            "note": self.note,
        }


def machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
    }


@contextmanager
def stopwatch() -> Iterator[list[float]]:
    """`with stopwatch() as t: ...` then `t[0]` is the elapsed seconds (monotonic clock)."""
    box: list[float] = [0.0]
    start = time.perf_counter()
    try:
        yield box
    finally:
        box[0] = time.perf_counter() - start


def report(name: str, figures: dict[str, Figure], args: dict[str, Any], console: Console | None = None) -> Path:
    """Print the figures as a table and write `var/bench/<name>.json`; returns the file path."""
    console = console or Console()
    table = Table(title=f"bench {name}")
    for col in ("figure", "value", "bound", "ratio", "goal", "met"):
        table.add_column(col)
    for key, fig in figures.items():
        ratio = fig.ratio
        met = fig.meets_goal()
        table.add_row(
            key,
            f"{fig.value:.6g}{(' ' + fig.unit) if fig.unit else ''}",
            f"{fig.bound:.6g}",
            "-" if ratio is None else f"{ratio:.3f}",
            fig.goal,
            {True: "yes", False: "NO", None: "?"}[met],
        )
    console.print(table)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / f"{name}.json"
    doc = {"figures": {k: f.to_json() for k, f in figures.items()}, "machine": machine(), "args": args}
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    console.print(f"wrote {path}", markup=False)
    return path
