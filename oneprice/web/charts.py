"""Server-drawn SVG charts (no script): geometry computed here, drawn by templates/_charts.html."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from oneprice.storage.web_queries import PricePoint

WIDTH, HEIGHT, PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 720, 240, 70, 16, 14, 30


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class PriceChart:
    width: int
    height: int
    line: str  # SVG polyline points of the seller's price
    dots: list[Dot]
    unified_y: float
    unified_label: str
    ticks: list[tuple[float, str]]  # y, price label
    x_labels: list[tuple[float, str, str]]  # x, text, text-anchor
    plot: tuple[int, int, int, int]  # left, top, right, bottom


def price_chart(points: list[PricePoint], unified: Decimal, currency: str) -> PriceChart | None:
    """The seller's price over time against the unified price; None without a single reading."""
    if not points:
        return None
    prices = [p.price for p in points] + [unified]
    lo, hi = min(prices), max(prices)
    span = hi - lo or (hi / 10 or Decimal(1))
    lo, hi = lo - span / 10, hi + span / 10
    left, top, right, bottom = PAD_LEFT, PAD_TOP, WIDTH - PAD_RIGHT, HEIGHT - PAD_BOTTOM
    t0, t1 = points[0].at, points[-1].at
    seconds = (t1 - t0).total_seconds() or 1.0

    def x_of(i: int) -> float:
        if len(points) == 1:
            return (left + right) / 2
        return round(left + (right - left) * (points[i].at - t0).total_seconds() / seconds, 1)

    def y_of(v: Decimal) -> float:
        return round(float(bottom - (bottom - top) * (v - lo) / (hi - lo)), 1)

    dots = [
        Dot(x_of(i), y_of(p.price), f"{p.at:%Y-%m-%d %H:%M} UTC: {p.price:,} {currency}") for i, p in enumerate(points)
    ]
    ticks = [(y_of(v), f"{v.quantize(Decimal('0.01')):,}") for v in (lo + (hi - lo) * k / 4 for k in range(5))]
    x_labels = [(x_of(0), f"{t0:%m-%d %H:%M}", "start" if len(points) > 1 else "middle")]
    if len(points) > 1:
        x_labels.append((x_of(len(points) - 1), f"{t1:%m-%d %H:%M}", "end"))
    return PriceChart(
        width=WIDTH,
        height=HEIGHT,
        line=" ".join(f"{d.x},{d.y}" for d in dots),
        dots=dots,
        unified_y=y_of(unified),
        unified_label=f"{unified:,} {currency}",
        ticks=ticks,
        x_labels=x_labels,
        plot=(left, top, right, bottom),
    )


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    severity: str
    label: str


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    bars: list[Bar]
    x_labels: list[tuple[float, str]]
    max_value: int
    plot: tuple[int, int, int, int]


def trend_chart(days: list[date], trend: dict[str, list[int]]) -> TrendChart:
    """New alerts per day, stacked by severity (critical at the bottom)."""
    left, top, right, bottom = 40, PAD_TOP, WIDTH - PAD_RIGHT, HEIGHT - PAD_BOTTOM
    totals = [sum(trend[s][i] for s in trend) for i in range(len(days))]
    peak = max([*totals, 1])
    step = (right - left) / max(len(days), 1)
    bars: list[Bar] = []
    for i, d in enumerate(days):
        base = float(bottom)
        for sev in ("critical", "warning", "info"):
            n = trend.get(sev, [0] * len(days))[i]
            if n == 0:
                continue
            h = round((bottom - top) * n / peak, 1)
            base -= h
            bars.append(
                Bar(round(left + i * step + 1, 1), round(base, 1), round(step - 2, 1), h, sev, f"{d}: {n} {sev}")
            )
    labels = [(round(left + i * step + step / 2, 1), f"{d:%m-%d}") for i, d in enumerate(days) if i % 7 == 0]
    return TrendChart(WIDTH, HEIGHT, bars, labels, peak, (left, top, right, bottom))
