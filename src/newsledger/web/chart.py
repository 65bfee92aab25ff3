"""A series' chart, drawn on the server as SVG (templates/series.html): one line per source over
time, a log axis when the values span more than two orders of magnitude, each point a link to its
figure in its article. No script: the page works with scripts off, and the geometry is plain numbers
for the template, which escapes every name and text it shows.
"""
from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Optional

WIDTH, HEIGHT = 760, 340
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 16, 44
PALETTE = 12  # line colours: classes c0..c11 in static/app.css
LOG_SPAN = 100  # max / min over this: a log axis


def voice(point: dict) -> str:
    """Whose claim a point is, as the legend names it: its source, else its outlet's own word."""
    if point.get("source"):
        return point["source"]
    return f"{point['outlet']} (no source given)" if point.get("outlet") else "no source given"


def compact(x: float) -> str:
    """A tick's label: 1,400; 25,000; 2.5M; 1.2B; 0.25."""
    a = abs(x)
    for scale, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
        if a >= scale:
            return f"{x / scale:.3g}{suffix}"
    if a >= 1 or x == 0:
        return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.3g}"
    return f"{x:.3g}"


def _nice_step(span: float, ticks: int = 5) -> float:
    raw = span / max(1, ticks)
    mag = 10 ** math.floor(math.log10(raw))
    return next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)


def _y_axis(values: list[float]) -> tuple[bool, float, float, list[float]]:
    """(log, low, high, ticks) of the value axis."""
    lo, hi = min(values), max(values)
    if lo > 0 and hi / lo > LOG_SPAN:
        low, high = 10 ** math.floor(math.log10(lo)), 10 ** math.ceil(math.log10(hi))
        decades = list(range(round(math.log10(low)), round(math.log10(high)) + 1))
        ticks = [10.0 ** k * m for k in decades for m in ((1, 2, 5) if len(decades) <= 3 else (1,))]
        return True, low, high, [t for t in ticks if low <= t <= high]
    if lo >= 0 and lo < hi / 2:
        lo = 0.0  # counts that grow from small: the axis starts at zero
    if hi == lo:
        lo, hi = (lo * 0.9, hi * 1.1) if hi else (0.0, 1.0)
    step = _nice_step(hi - lo)
    low, high = math.floor(lo / step) * step, math.ceil(hi / step) * step
    n = int(round((high - low) / step))
    return False, low, high, [low + i * step for i in range(n + 1)]


def _x_ticks(first: date, last: date) -> list[date]:
    span = (last - first).days
    step = max(1, math.ceil(span / 6))
    return [first + timedelta(days=i) for i in range(0, span + 1, step)]


def series_chart(points: list[dict], href) -> Optional[dict]:
    """What the template draws for a series' points (dicts of queries.series_points), or None when
    no point has a day and a value. `href(point)`: the link of a point."""
    dated = [p for p in points if p.get("date") and p.get("value") is not None]
    if not dated:
        return None
    days = [date.fromisoformat(p["date"]) for p in dated]
    first, last = min(days), max(days)
    if first == last:
        first, last = first - timedelta(days=1), last + timedelta(days=1)
    values = [p["value"] for p in dated] + [p["value_max"] for p in dated if p.get("value_max") is not None]
    log, low, high, yticks = _y_axis(values)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(d: date) -> float:
        return round(LEFT + (d - first).days / (last - first).days * plot_w, 1)

    def y(v: float) -> float:
        if log:
            v = max(v, low)
            frac = (math.log10(v) - math.log10(low)) / (math.log10(high) - math.log10(low))
        else:
            frac = (v - low) / (high - low) if high > low else 0.5
        return round(TOP + (1 - frac) * plot_h, 1)

    lines: dict[str, dict] = {}  # by source, whatever its case ("The Israeli military" at a sentence's start)
    for p, d in sorted(zip(dated, days), key=lambda pd: (pd[1], voice(pd[0]).casefold())):
        who = voice(p)
        line = lines.setdefault(who.casefold(), {"name": who, "colour": len(lines) % PALETTE, "points": []})
        line["points"].append({
            "x": x(d), "y": y(p["value"]), "y_max": y(p["value_max"]) if p.get("value_max") is not None else None,
            "href": href(p), "disagrees": bool(p.get("disagrees")),
            "label": f"{d.isoformat()} · {who}: {p.get('text') or compact(p['value'])}"})
    for line in lines.values():
        line["path"] = " ".join(f"{'M' if i == 0 else 'L'}{pt['x']},{pt['y']}" for i, pt in enumerate(line["points"]))
    fmt = "%b %d" if first.year == last.year else "%Y-%m-%d"
    return {"width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT, "top": TOP,
            "bottom": HEIGHT - BOTTOM, "log": log,
            "yticks": [{"y": y(t), "label": compact(t)} for t in yticks],
            "xticks": [{"x": x(t), "label": t.strftime(fmt)} for t in _x_ticks(first, last)],
            "lines": list(lines.values()),
            "undated": len(points) - len(dated)}
