"""The heatmap: trainees (rows) by competencies (columns), the fraction printed in every cell."""

from __future__ import annotations

from collections.abc import Sequence

from .formats import text
from .model import NEEDS_SUPPORT, TraineeRow
from .svg import _FONT, _ink, _svg, colour_for

# Layout, in pixels: trainee labels, one cell, the slanted headers, the legend under the grid.
LABEL_W, CELL_W, CELL_H, HEADER_H, LEGEND_H = 300, 62, 20, 150, 56
LEGEND_STEPS = 20


def _headers(columns: Sequence[str]) -> list[str]:
    parts = []
    for j, c in enumerate(columns):
        x = LABEL_W + CELL_W * j + CELL_W / 2
        name = "Total (all items)" if c == "total" else c.replace("_", " ")
        parts.append(
            f"<text transform='translate({x + 4:.0f},{HEADER_H - 8}) rotate(-45)' font-size='11' "
            f"font-weight='{'bold' if c == 'total' else 'normal'}' {_FONT}>{text(name, 30)}</text>"
        )
    return parts


def _cell(x: int, y: int, who: str, value: float | None) -> str:
    """One cell: its colour and value, or a grey dash when there is no data; ``who`` is its escaped tooltip."""
    if value is None:
        return (
            f"<rect x='{x}' y='{y}' width='{CELL_W - 1}' height='{CELL_H - 1}' fill='#eeeeee'>"
            f"<title>{who}</title></rect>"
            f"<text x='{x + CELL_W / 2:.0f}' y='{y + 14}' text-anchor='middle' font-size='10' fill='#616161' "
            f"{_FONT}>–</text>"
        )
    fill = colour_for(value)
    return (
        f"<rect x='{x}' y='{y}' width='{CELL_W - 1}' height='{CELL_H - 1}' fill='{fill}'>"
        f"<title>{who}</title></rect>"
        f"<text x='{x + CELL_W / 2:.0f}' y='{y + 14}' text-anchor='middle' font-size='11' fill='{_ink(fill)}' "
        f"{_FONT}>{value:.2f}</text>"
    )


def _trainee_row(i: int, row: TraineeRow, columns: Sequence[str]) -> tuple[list[str], int]:
    """The label and cells of the ``i``-th trainee, and how many of its competency cells are below support."""
    y = HEADER_H + CELL_H * i
    label = row.trainee.id + (f" ({row.trainee.name})" if row.trainee.name else "")
    parts = [f"<text x='{LABEL_W - 8}' y='{y + 14}' text-anchor='end' font-size='11' {_FONT}>{text(label, 44)}</text>"]
    below = 0
    for j, c in enumerate(columns):
        value = row.total if c == "total" else row.competencies.get(c)
        who = text(f"{row.trainee.id}, {c}: " + ("no data" if value is None else f"{value:.3f}"))
        if value is not None and c != "total" and value < NEEDS_SUPPORT:
            below += 1
        parts.append(_cell(LABEL_W + CELL_W * j, y, who, value))
    return parts, below


def _legend(ly: int) -> list[str]:
    """The scale, with the support threshold marked."""
    parts = [
        f"<rect x='{LABEL_W + k * 12}' y='{ly}' width='12' height='12' fill='{colour_for(k / (LEGEND_STEPS - 1))}'/>"
        for k in range(LEGEND_STEPS)
    ]
    parts.append(f"<text x='{LABEL_W - 8}' y='{ly + 10}' text-anchor='end' font-size='10' {_FONT}>0</text>")
    parts.append(f"<text x='{LABEL_W + LEGEND_STEPS * 12 + 4}' y='{ly + 10}' font-size='10' {_FONT}>1</text>")
    mark = LABEL_W + NEEDS_SUPPORT * LEGEND_STEPS * 12
    parts.append(
        f"<line x1='{mark:.0f}' y1='{ly - 3}' x2='{mark:.0f}' y2='{ly + 15}' stroke='#b3261e' stroke-width='2'/>"
    )
    parts.append(
        f"<text x='{LABEL_W}' y='{ly + 30}' font-size='10' {_FONT}>Fraction of points earned; red mark: "
        f"{NEEDS_SUPPORT:.1f}, below which a trainee needs support. Grey dash: no graded item yet.</text>"
    )
    return parts


def heatmap_svg(rows: Sequence[TraineeRow], competencies: Sequence[str]) -> str:
    """Trainees (rows, sorted by total, highest first) × competencies (columns), value printed in each cell.

    Tall cohorts make a tall figure: rows keep a readable height however many trainees there are.
    """
    columns = [*competencies, "total"]
    width = LABEL_W + CELL_W * len(columns) + 120  # room for the last header, which slants to the right
    height = HEADER_H + CELL_H * max(1, len(rows)) + LEGEND_H
    parts = _headers(columns)
    below = 0
    for i, row in enumerate(rows):
        cells, row_below = _trainee_row(i, row, columns)
        parts.extend(cells)
        below += row_below
    if not rows:
        parts.append(f"<text x='{LABEL_W}' y='{HEADER_H + 14}' font-size='12' {_FONT}>No trainees.</text>")
    parts.extend(_legend(HEADER_H + CELL_H * max(1, len(rows)) + 16))
    desc = (
        f"{len(rows)} trainees by {len(competencies)} competencies, sorted by total score, highest first; "
        f"{below} trainee-competency cells are below {NEEDS_SUPPORT:.1f}. The value is printed in each cell."
    )
    return _svg(width, height, "Competency fractions by trainee", desc, "".join(parts))
