"""Price-history charts as inline SVG: one line per seller, the unified price and its floor dashed.

No JavaScript; every label is escaped (seller names are scraped text).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from html import escape

PALETTE = ("#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")
WIDTH, HEIGHT, PAD_L, PAD_R, PAD_T, PAD_B = 640, 240, 64, 160, 16, 32


def price_chart(
    series: Mapping[str, Sequence[tuple[datetime, Decimal]]],
    unified: Decimal,
    floor: Decimal | None = None,
    *,
    title: str = "",
) -> str:
    """An SVG line chart of prices over time per seller label."""
    points = [p for s in series.values() for p in s]
    if not points:
        return ""
    t0 = min(t for t, _ in points)
    t1 = max(t for t, _ in points)
    prices = [v for _, v in points] + [unified] + ([floor] if floor is not None else [])
    lo, hi = min(prices), max(prices)
    if hi == lo:
        hi, lo = hi + 1, lo - 1
    span = (t1 - t0).total_seconds() or 1.0
    plot_w, plot_h = WIDTH - PAD_L - PAD_R, HEIGHT - PAD_T - PAD_B

    def x(t: datetime) -> float:
        return PAD_L + (t - t0).total_seconds() / span * plot_w

    def y(v: Decimal) -> float:
        return PAD_T + float((hi - v) / (hi - lo)) * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}">',
        f'<rect x="{PAD_L}" y="{PAD_T}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#ccc"/>',
    ]
    for value, label, dash in ((unified, "unified", "6 3"), (floor, "floor", "2 3")):
        if value is None:
            continue
        parts.append(
            f'<line x1="{PAD_L}" x2="{PAD_L + plot_w}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            f'stroke="#333" stroke-dasharray="{dash}"/>'
            f'<text x="4" y="{y(value) + 4:.1f}" font-size="10">{escape(label)} {value}</text>'
        )
    for i, (label, pts) in enumerate(sorted(series.items())):
        colour = PALETTE[i % len(PALETTE)]
        path = " ".join(f"{x(t):.1f},{y(v):.1f}" for t, v in pts)
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="1.5" points="{path}"/>')
        for t, v in pts:
            parts.append(
                f'<circle cx="{x(t):.1f}" cy="{y(v):.1f}" r="2" fill="{colour}">'
                f"<title>{escape(label)}: {v} at {t:%Y-%m-%d %H:%M}</title></circle>"
            )
        ly = PAD_T + 12 + i * 14
        parts.append(
            f'<rect x="{WIDTH - PAD_R + 8}" y="{ly - 8}" width="10" height="3" fill="{colour}"/>'
            f'<text x="{WIDTH - PAD_R + 22}" y="{ly}" font-size="10">{escape(label[:24])}</text>'
        )
    parts.append(
        f'<text x="{PAD_L}" y="{HEIGHT - 8}" font-size="10">{t0:%Y-%m-%d %H:%M}</text>'
        f'<text x="{PAD_L + plot_w}" y="{HEIGHT - 8}" font-size="10" text-anchor="end">{t1:%Y-%m-%d %H:%M}</text>'
        "</svg>"
    )
    return "".join(parts)
