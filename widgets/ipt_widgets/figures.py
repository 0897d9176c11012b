"""Pictures as SVG text: the closeness circle, the mood timeline and the PHQ-9 trajectory.

Why SVG strings and not matplotlib: a figure here is a few dozen shapes, SVG costs no import
time (matplotlib.pyplot adds about 0.6 s to every graded kernel), scales crisply, and is
accessible: each figure carries a <title> and a <desc> that screen readers read. All text is
escaped.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from .safe_read import escape_text as escape
from .vocab import PHQ9_BANDS

_FONT = "font-family='system-ui, sans-serif'"
_CIRCLE_RADII = {"inner": 70, "middle": 125, "outer": 180}
_LEVEL_COLOUR = {"none": "#9e9e9e", "some": "#f9a825", "a_lot": "#c62828"}


def _pick(choices, value, default: str) -> str:
    """``value`` if it is one of ``choices``' keys, else ``default`` (a list there must not raise)."""
    return value if isinstance(value, str) and value in choices else default


def _svg(width: int, height: int, title: str, desc: str, body: str) -> str:
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' width='{width}' "
        f"style='max-width:100%;height:auto' role='img' aria-label='{escape(title)}'>"
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>{body}</svg>"
    )


# The ring labels sit at the bottom of each ring; people are spread over the rest of the ring so
# that no name covers them. Each circle has its own offset so people on different circles fan out.
_LABEL_GAP = 0.6  # radians kept free on each side of the bottom
_RING_OFFSET = {"inner": 0.5, "middle": 0.3, "outer": 0.7}


def _person_angle(circle: str, k: int, n: int) -> float:
    usable = 2 * math.pi - 2 * _LABEL_GAP
    return math.pi / 2 + _LABEL_GAP + usable * ((k + _RING_OFFSET[circle]) / max(1, n) % 1.0)


def closeness_circle_svg(people: Iterable[dict], centre_label: str = "Patient") -> str:
    """Concentric circles with the patient at the centre and each person on their circle.

    ``people``: dicts with ``name``, ``circle`` (inner/middle/outer), ``conflict`` and
    ``support`` (none/some/a_lot), ``changed`` and ``focus`` (bool). A person tied to the
    problem area is drawn bold with a thick ring; conflict is the colour of the link line,
    support its thickness; a change around onset is marked with a star.
    """
    people = list(people)
    size, c = 420, 210
    parts = []
    for circle, radius in reversed(list(_CIRCLE_RADII.items())):
        parts.append(
            f"<circle cx='{c}' cy='{c}' r='{radius}' fill='{ {'inner': '#e3f2fd', 'middle': '#eef5fb', 'outer': '#f7fafd'}[circle] }' stroke='#90a4ae'/>"
        )
        parts.append(
            f"<text x='{c}' y='{c + radius - 5}' text-anchor='middle' font-size='10' fill='#607d8b' {_FONT}>{circle}</text>"
        )
    centre = (
        f"<circle cx='{c}' cy='{c}' r='26' fill='#0b57a4'/>"
        f"<text x='{c}' y='{c + 4}' text-anchor='middle' font-size='11' fill='white' {_FONT}>{escape(centre_label[:12])}</text>"
    )
    lines, nodes = [], []
    by_circle: dict[str, list[dict]] = {k: [] for k in _CIRCLE_RADII}
    for person in people:
        # Drawn from widget state a trainee could edit: any value that is not ours is a default.
        person = person if isinstance(person, dict) else {}
        by_circle[_pick(by_circle, person.get("circle"), "middle")].append(person)
    desc = []
    for circle, members in by_circle.items():
        inner_r = {"inner": 26, "middle": 70, "outer": 125}[circle]
        radius = (inner_r + _CIRCLE_RADII[circle]) / 2 + 6
        for k, person in enumerate(members):
            angle = _person_angle(circle, k, len(members))
            x, y = c + radius * math.cos(angle), c + radius * math.sin(angle)
            colour = _LEVEL_COLOUR[_pick(_LEVEL_COLOUR, person.get("conflict"), "none")]
            width = {"none": 1, "some": 2.5, "a_lot": 4.5}[_pick(_LEVEL_COLOUR, person.get("support"), "none")]
            lines.append(
                f"<line x1='{c}' y1='{c}' x2='{x:.1f}' y2='{y:.1f}' stroke='{colour}' stroke-width='{width}' opacity='0.7'/>"
            )
            focus = bool(person.get("focus"))
            nodes.append(
                f"<circle cx='{x:.1f}' cy='{y:.1f}' r='7' fill='white' stroke='{'#b3261e' if focus else '#37474f'}' "
                f"stroke-width='{3 if focus else 1.5}'/>"
            )
            name = escape(str(person.get("name", ""))[:18]) + (" ★" if person.get("changed") else "")
            nodes.append(
                f"<text x='{x:.1f}' y='{y + 20:.1f}' text-anchor='middle' font-size='12' {_FONT} "
                f"font-weight='{'bold' if focus else 'normal'}' fill='#1b1b1b'>{name}</text>"
            )
            desc.append(
                f"{person.get('name', '')}: {circle} circle, "
                f"conflict {_pick(_LEVEL_COLOUR, person.get('conflict'), 'none')}, "
                f"support {_pick(_LEVEL_COLOUR, person.get('support'), 'some')}{', changed around onset' if person.get('changed') else ''}"
                f"{', tied to the problem area' if focus else ''}"
            )
    legend = (
        f"<text x='8' y='{size + 6}' font-size='10' fill='#455a64' {_FONT}>Line colour: conflict (grey none, amber "
        "some, red a lot). Line thickness: support.</text>"
        f"<text x='8' y='{size + 20}' font-size='10' fill='#455a64' {_FONT}>★ changed around the onset. "
        "Bold, red ring: tied to the problem area.</text>"
    )
    body = "".join(parts + lines) + centre + "".join(nodes) + legend
    return _svg(size, size + 26, "Closeness circle", "; ".join(desc) or "No people yet.", body)


def timeline_svg(
    mood: Sequence[int],
    events: Sequence[tuple[str, int, str]],
    title: str = "Mood and events by week",
) -> str:
    """A line of weekly mood (0–10) with event markers.

    ``events``: (label, week, kind) with kind "onset", "worsening" or "" (other).
    """
    weeks = len(mood)
    width, height, left, right, top, bottom = 640, 300, 40, 20, 20, 90
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(week: float) -> float:
        return left + (week - 1) * plot_w / max(1, weeks - 1)

    def y(value: float) -> float:
        return top + plot_h * (1 - value / 10)

    parts = [f"<rect x='{left}' y='{top}' width='{plot_w}' height='{plot_h}' fill='#fafafa' stroke='#cfd8dc'/>"]
    for value in (0, 5, 10):
        parts.append(
            f"<text x='{left - 6}' y='{y(value) + 4:.1f}' text-anchor='end' font-size='10' {_FONT}>{value}</text>"
        )
    for week in range(1, weeks + 1):
        parts.append(
            f"<text x='{x(week):.1f}' y='{top + plot_h + 14}' text-anchor='middle' font-size='10' {_FONT}>{week}</text>"
        )
    colours = {"onset": "#b3261e", "worsening": "#e65100"}
    for index, (label, week, kind) in enumerate(events):
        colour = colours.get(kind, "#546e7a")
        parts.append(
            f"<line x1='{x(week):.1f}' y1='{top}' x2='{x(week):.1f}' y2='{top + plot_h}' stroke='{colour}' "
            f"stroke-dasharray='{'' if kind else '4 3'}' stroke-width='{2 if kind else 1}'/>"
        )
        tag = f"{kind}: " if kind else ""
        # A label in the right half runs leftwards from its marker, so it never runs off the chart.
        right_half = x(week) > left + plot_w / 2
        anchor = f"x='{x(week) + 3:.1f}'" if not right_half else f"x='{x(week) + 3:.1f}' text-anchor='end'"
        text = (
            f"▲ wk {week}: {escape(tag + label[:50])}" if not right_half else f"wk {week}: {escape(tag + label[:50])} ▲"
        )
        parts.append(
            f"<text {anchor} y='{top + plot_h + 30 + 13 * (index % 4)}' font-size='11' fill='{colour}' "
            f"{_FONT}>{text}</text>"
        )
    points = " ".join(f"{x(w + 1):.1f},{y(v):.1f}" for w, v in enumerate(mood))
    parts.append(f"<polyline points='{points}' fill='none' stroke='#0b57a4' stroke-width='2.5'/>")
    parts += [f"<circle cx='{x(w + 1):.1f}' cy='{y(v):.1f}' r='3.5' fill='#0b57a4'/>" for w, v in enumerate(mood)]
    parts.append(f"<text x='{left}' y='{top - 6}' font-size='11' {_FONT}>mood (0 = lowest, 10 = best) by week</text>")
    desc = (
        "Mood by week: "
        + ", ".join(f"week {w + 1}: {v}" for w, v in enumerate(mood))
        + ". Events: "
        + (
            "; ".join(f"{label} in week {week}{' (' + kind + ')' if kind else ''}" for label, week, kind in events)
            or "none"
        )
    )
    return _svg(width, height, title, desc, "".join(parts))


def phq9_svg(totals: Sequence[int | None], labels: Sequence[str]) -> str:
    """PHQ-9 totals across sessions over shaded severity bands, with the remission line (<5)."""
    width, height, left, right, top, bottom = 560, 260, 40, 150, 16, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(1, len(totals))

    def x(i: int) -> float:
        return left + (i + 0.5) * plot_w / n

    def y(value: float) -> float:
        return top + plot_h * (1 - value / 27)

    shades = ["#e8f5e9", "#f1f8e9", "#fff8e1", "#fff3e0", "#fdecea"]
    parts, lower = [], 0
    for (upper, _, label), shade in zip(PHQ9_BANDS, shades):
        parts.append(
            f"<rect x='{left}' y='{y(upper + 1):.1f}' width='{plot_w}' height='{y(lower) - y(upper + 1):.1f}' fill='{shade}'/>"
        )
        parts.append(
            f"<text x='{left + plot_w + 6}' y='{(y(lower) + y(upper + 1)) / 2 + 4:.1f}' font-size='10' {_FONT}>{escape(label)}</text>"
        )
        lower = upper + 1
    parts.append(
        f"<line x1='{left}' y1='{y(5):.1f}' x2='{left + plot_w}' y2='{y(5):.1f}' stroke='#2e7d32' stroke-dasharray='5 3'/>"
    )
    parts.append(
        f"<text x='{left + 4}' y='{y(5) - 4:.1f}' font-size='10' fill='#2e7d32' {_FONT}>remission: below 5</text>"
    )
    known = [(i, t) for i, t in enumerate(totals) if t is not None]
    if len(known) > 1:
        parts.append(
            "<polyline points='"
            + " ".join(f"{x(i):.1f},{y(t):.1f}" for i, t in known)
            + "' fill='none' stroke='#0b57a4' stroke-width='2.5'/>"
        )
    for i, t in known:
        parts.append(f"<circle cx='{x(i):.1f}' cy='{y(t):.1f}' r='4' fill='#0b57a4'/>")
        parts.append(f"<text x='{x(i):.1f}' y='{y(t) - 8:.1f}' text-anchor='middle' font-size='11' {_FONT}>{t}</text>")
    for i, label in enumerate(labels):
        parts.append(
            f"<text x='{x(i):.1f}' y='{top + plot_h + 16}' text-anchor='middle' font-size='10' {_FONT}>{escape(label[:22])}</text>"
        )
    desc = "PHQ-9 totals: " + ", ".join(
        f"{label}: {'not scored' if t is None else t}" for label, t in zip(labels, totals)
    )
    return _svg(width, height, "PHQ-9 totals across sessions", desc, "".join(parts))
