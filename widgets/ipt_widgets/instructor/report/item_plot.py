"""The item-analysis figure: each item's difficulty against its discrimination, on shaded flag zones."""

from __future__ import annotations

from collections.abc import Sequence

from .formats import text
from .model import LOW_DISCRIMINATION, TOO_EASY, TOO_HARD, ItemRow
from .svg import _FONT, _svg

# Layout, in pixels: the whole figure, then the plot area inside it.
WIDTH, HEIGHT, LEFT, TOP, PLOT_W, PLOT_H = 620, 420, 60, 20, 520, 330


def _x(p: float) -> float:
    return LEFT + PLOT_W * max(0.0, min(1.0, p))


def _y(r: float) -> float:
    return TOP + PLOT_H * (1 - (max(-1.0, min(1.0, r)) + 1) / 2)


def _zones() -> list[str]:
    """The plot frame and the three flag zones, each labelled."""
    parts = [f"<rect x='{LEFT}' y='{TOP}' width='{PLOT_W}' height='{PLOT_H}' fill='#ffffff' stroke='#90a4ae'/>"]
    # (x0, x1, r0, r1, colour, label, label x, label r): Okabe-Ito colours, told apart without hue too
    zones = (
        (0, 1, -1, LOW_DISCRIMINATION, "#9e9e9e", f"low discrimination (r < {LOW_DISCRIMINATION:g})", 0.5, -0.9),
        (0, TOO_HARD, -1, 1, "#e69f00", f"too hard (p < {TOO_HARD:g})", TOO_HARD / 2, 0.93),
        (TOO_EASY, 1, -1, 1, "#56b4e9", f"too easy (p > {TOO_EASY:g})", (TOO_EASY + 1) / 2, 0.93),
    )
    for x0, x1, r0, r1, colour, label, lx, lr in zones:
        parts.append(
            f"<rect x='{_x(x0):.1f}' y='{_y(r1):.1f}' width='{_x(x1) - _x(x0):.1f}' height='{_y(r0) - _y(r1):.1f}' "
            f"fill='{colour}' opacity='0.22'/>"
        )
        parts.append(
            f"<text x='{_x(lx):.1f}' y='{_y(lr):.1f}' text-anchor='middle' font-size='10' {_FONT}>{text(label)}</text>"
        )
    return parts


def _axes() -> list[str]:
    """Tick labels, the r = 0 line and the two axis titles."""
    parts = [
        f"<text x='{_x(tick):.1f}' y='{TOP + PLOT_H + 14}' text-anchor='middle' font-size='10' {_FONT}>{tick:g}</text>"
        for tick in (0, 0.2, 0.4, 0.6, 0.8, 0.9, 1.0)
    ]
    parts.extend(
        f"<text x='{LEFT - 6}' y='{_y(tick) + 4:.1f}' text-anchor='end' font-size='10' {_FONT}>{tick:g}</text>"
        for tick in (-1, -0.5, 0, 0.2, 0.5, 1)
    )
    parts.append(
        f"<line x1='{LEFT}' y1='{_y(0):.1f}' x2='{LEFT + PLOT_W}' y2='{_y(0):.1f}' stroke='#b0bec5' "
        "stroke-dasharray='3 3'/>"
    )
    parts.append(
        f"<text x='{_x(0.5):.1f}' y='{TOP + PLOT_H + 32}' text-anchor='middle' font-size='12' {_FONT}>"
        "difficulty p (mean fraction of the points earned; higher is easier)</text>"
    )
    parts.append(
        f"<text transform='translate(16,{_y(0):.1f}) rotate(-90)' text-anchor='middle' font-size='12' {_FONT}>"
        "discrimination r (corrected item-total)</text>"
    )
    return parts


def _point(number: int, row: ItemRow) -> str:
    """An item's marker, with its tooltip and its number; the row must have both difficulty and discrimination."""
    px, py = _x(row.difficulty), _y(row.discrimination)
    tip = text(
        f"{number}. {row.item.assignment} / {row.item.grade_id}: p {row.difficulty:.2f}, r {row.discrimination:.2f}"
    )
    # A flagged item is a red square, the others blue dots: shape as well as colour tells them apart.
    marker = (
        f"<rect x='{px - 5:.1f}' y='{py - 5:.1f}' width='10' height='10' fill='#b3261e' stroke='white'>"
        if row.flags
        else f"<circle cx='{px:.1f}' cy='{py:.1f}' r='5' fill='#0b57a4' stroke='white'>"
    )
    shape = "rect" if row.flags else "circle"
    return (
        f"{marker}<title>{tip}</title></{shape}>"
        f"<text x='{px + 7:.1f}' y='{py - 5:.1f}' font-size='10' {_FONT}>{number}</text>"
    )


def item_analysis_svg(rows: Sequence[ItemRow]) -> str:
    """Difficulty (x, 0–1) against discrimination (y, −1–1) per item, on shaded flag zones.

    Points are numbered as in the report's item table; items with no discrimination are not plotted.
    """
    parts = [*_zones(), *_axes()]
    plotted, skipped = [], []
    for number, row in enumerate(rows, start=1):
        if row.difficulty is None or row.discrimination is None:
            skipped.append(f"{number} ({row.item.grade_id})")
            continue
        parts.append(_point(number, row))
        plotted.append(f"item {number}: p {row.difficulty:.2f}, r {row.discrimination:.2f}")
    if skipped:
        parts.append(
            f"<text x='{LEFT}' y='{TOP + PLOT_H + 52}' font-size='10' fill='#455a64' {_FONT}>"
            f"Not plotted (no discrimination yet): {text(', '.join(skipped), 110)}</text>"
        )
    desc = "Items by difficulty and discrimination; flagged items are red squares. " + (
        "; ".join(plotted) or "No item has both yet."
    )
    return _svg(WIDTH, HEIGHT, "Item analysis: difficulty and discrimination", desc, "".join(parts))
