"""Server-rendered SVG for the HR overview: the årshjul with each phase's window and today, and stacked bars.

The pictures carry no information of their own: every number and date is also on the page as text, so the bars are
hidden from assistive technology and the wheel has a short text alternative.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

from markupsafe import Markup, escape

from domain.aarshjul.workdays import to_local

SIZE: Final = 240
CENTRE: Final = SIZE / 2
OUTER, INNER, LABEL = 100.0, 68.0, 112.0
MONTHS: Final = "JFMAMJJASOND"
PHASE_COLOURS: Final = ("#00507a", "#1d6b35", "#7a3e00", "#5b2a86", "#2f4f4f", "#8a1538")
# Category colours, each at least 3:1 against white (WCAG 1.4.11); the numbers beside them are the real content.
BAR_COLOURS: Final = {
    "answered": "#1d6b35", "excused": "#6b7178", "open": "#00507a", "overdue": "#a34700", "escalated": "#b00020",
}  # fmt: skip


@dataclass(frozen=True)
class Window:
    number: int
    label: str
    opens: datetime
    due: datetime
    closes: datetime


def _fraction(moment: datetime, year: int) -> float:
    local = to_local(moment)
    start = date(year, 1, 1)
    days = (date(year + 1, 1, 1) - start).days
    offset = (local.date() - start).days + (local.hour * 60 + local.minute) / 1440
    return min(max(offset / days, 0.0), 0.9999)


def _point(fraction: float, radius: float) -> tuple[float, float]:
    angle = 2 * math.pi * fraction - math.pi / 2  # January at the top, clockwise
    return CENTRE + radius * math.cos(angle), CENTRE + radius * math.sin(angle)


def _arc(start: float, end: float) -> str:
    end = max(end, start + 0.004)
    large = 1 if end - start > 0.5 else 0
    (x1, y1), (x2, y2) = _point(start, OUTER), _point(end, OUTER)
    (x3, y3), (x4, y4) = _point(end, INNER), _point(start, INNER)
    return (
        f"M{x1:.1f} {y1:.1f}A{OUTER} {OUTER} 0 {large} 1 {x2:.1f} {y2:.1f}"
        f"L{x3:.1f} {y3:.1f}A{INNER} {INNER} 0 {large} 0 {x4:.1f} {y4:.1f}Z"
    )


def wheel(year: int, windows: list[Window], today: datetime | None, description: str) -> Markup:
    """The year as a circle: months around, each phase's window as an arc, its deadline as a tick, today as a hand."""
    parts = [
        f'<svg class="wheel" viewBox="0 0 {SIZE} {SIZE}" width="{SIZE}" height="{SIZE}" role="img" '
        f'aria-label="{escape(description)}">',
        f'<circle cx="{CENTRE}" cy="{CENTRE}" r="{OUTER}" fill="#f3f5f7" stroke="#6b7178"/>',
        f'<circle cx="{CENTRE}" cy="{CENTRE}" r="{INNER}" fill="#ffffff" stroke="#6b7178"/>',
    ]
    for month, letter in enumerate(MONTHS):
        x, y = _point((month + 0.5) / 12, LABEL)
        tx, ty = _point(month / 12, OUTER)
        ix, iy = _point(month / 12, INNER)
        parts.append(f'<line x1="{ix:.1f}" y1="{iy:.1f}" x2="{tx:.1f}" y2="{ty:.1f}" stroke="#c4c9cf"/>')
        parts.append(f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle" font-size="11">{letter}</text>')
    for window in windows:
        colour = PHASE_COLOURS[(window.number - 1) % len(PHASE_COLOURS)]
        start, end = _fraction(window.opens, year), _fraction(window.closes, year)
        parts.append(f'<path d="{_arc(start, end)}" fill="{colour}" fill-opacity="0.85"/>')
        dx1, dy1 = _point(_fraction(window.due, year), INNER - 4)
        dx2, dy2 = _point(_fraction(window.due, year), OUTER + 4)
        parts.append(
            f'<line x1="{dx1:.1f}" y1="{dy1:.1f}" x2="{dx2:.1f}" y2="{dy2:.1f}" stroke="#1a1a1a" stroke-width="2.5"/>'
        )
        lx, ly = _point((start + end) / 2, (OUTER + INNER) / 2)
        parts.append(
            f'<text x="{lx:.1f}" y="{ly + 4:.1f}" text-anchor="middle" font-size="12" font-weight="700" '
            f'fill="#ffffff">{window.number}</text>'
        )
    if today is not None and to_local(today).year == year:
        hx, hy = _point(_fraction(today, year), OUTER + 6)
        parts.append(
            f'<line x1="{CENTRE}" y1="{CENTRE}" x2="{hx:.1f}" y2="{hy:.1f}" stroke="#1a1a1a" '
            'stroke-width="3" stroke-linecap="round"/>'
        )
        parts.append(f'<circle cx="{CENTRE}" cy="{CENTRE}" r="5" fill="#1a1a1a"/>')
    parts.append(
        f'<text x="{CENTRE}" y="{CENTRE + 22}" text-anchor="middle" font-size="16" '
        f'font-weight="700">{year}</text></svg>'
    )
    return Markup("".join(parts))


def bar(counts: dict[str, int], order: tuple[str, ...], width: int = 240, height: int = 14) -> Markup:
    """A stacked bar of the categories in `order`, hidden from assistive technology (the counts are text beside it)."""
    total = sum(counts.get(key, 0) for key in order)
    parts = [
        f'<svg class="tally-bar" viewBox="0 0 {width} {height}" width="{width}" height="{height}" aria-hidden="true" '
        f'focusable="false"><rect width="{width}" height="{height}" fill="#ffffff" stroke="#6b7178"/>'
    ]
    x = 0.0
    for key in order:
        n = counts.get(key, 0)
        if n and total:
            w = width * n / total
            parts.append(f'<rect x="{x:.2f}" width="{w:.2f}" height="{height}" fill="{BAR_COLOURS[key]}"/>')
            x += w
    parts.append("</svg>")
    return Markup("".join(parts))
