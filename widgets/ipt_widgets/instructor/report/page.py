"""The HTML page: one self-contained file with the summary, what to do, the tables and both figures."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timezone

from .advice import action_notes
from .formats import _num, text
from .model import LOW_DISCRIMINATION, NEEDS_SUPPORT, NEEDS_SUPPORT_SHARE, TOO_EASY, TOO_HARD, CohortRow, Report

_CSS = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 78rem; padding: 0 1rem; color: #1b1b1b; }
h1 { margin-bottom: .2rem; } .meta { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: .6rem 0 1.4rem; font-size: .9rem; }
th, td { border: 1px solid #cfd8dc; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #eceff1; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.summary { display: flex; gap: 1rem; flex-wrap: wrap; padding: 0; list-style: none; }
.summary li { background: #e3f2fd; border-radius: .4rem; padding: .5rem .9rem; }
.summary b { display: block; font-size: 1.4rem; }
.warn { background: #fff8e1; border-left: 4px solid #e69f00; padding: .6rem 1rem; }
.flag { color: #b3261e; font-weight: 600; } figure { margin: 0 0 1.5rem; overflow-x: auto; }
"""


def _table(headers: Sequence[str], rows: Iterable[Sequence[tuple[str, bool]]]) -> str:
    """An HTML table; each cell is (already-escaped html, is_numeric)."""
    head = "".join(f"<th scope='col'>{text(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td class='num'>{c}</td>" if num else f"<td>{c}</td>" for c, num in row) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _support_share(c: CohortRow) -> str:
    """The share needing support, in red when it is a cohort issue."""
    if c.needs_support_share is None:
        return ""
    if c.needs_support_share > NEEDS_SUPPORT_SHARE:
        return f"<span class='flag'>{c.needs_support_share:.0%}</span>"
    return f"{c.needs_support_share:.0%}"


def cohort_table(report: Report) -> str:
    """One row per competency: items, trainees with data, mean, median, min, max, share needing support."""
    return _table(
        ["Competency", "What it means", "Items", "Trainees with data", "Mean", "Median", "Min", "Max", "Needs support"],
        (
            [
                (text(c.competency), False),
                (text(c.label), False),
                (str(c.items), True),
                (str(c.trainees), True),
                (_num(c.mean, 2), True),
                (_num(c.median, 2), True),
                (_num(c.minimum, 2), True),
                (_num(c.maximum, 2), True),
                (_support_share(c), True),
            ]
            for c in report.cohort
        ),
    )


def trainee_table(report: Report) -> str:
    """One row per trainee: total, items graded and missing, the competencies below support."""
    return _table(
        ["Trainee", "Name", "Total", "Items graded", "Missing", f"Competencies below {NEEDS_SUPPORT:.1f}"],
        (
            [
                (text(r.trainee.id), False),
                (text(r.trainee.name), False),
                (_num(None if r.total is None else 100 * r.total, 1) + ("%" if r.total is not None else ""), True),
                (str(r.graded), True),
                (str(r.missing), True),
                (
                    text(", ".join(c for c, v in r.competencies.items() if v is not None and v < NEEDS_SUPPORT)),
                    False,
                ),
            ]
            for r in report.trainees
        ),
    )


def item_table(report: Report) -> str:
    """One row per item, numbered as in the item-analysis figure."""
    return _table(
        ["#", "Assignment", "Item", "Points", "Competencies", "n", "Missing", "Difficulty", "Discrimination", "Flags"],
        (
            [
                (str(k), True),
                (text(r.item.assignment), False),
                (text(r.item.grade_id) + (" (manually graded)" if r.item.manual else ""), False),
                (f"{r.item.points:g}", True),
                (text(", ".join(r.item.competencies)) if r.item.competencies else "<i>untagged</i>", False),
                (str(r.n), True),
                (str(r.missing), True),
                (_num(r.difficulty, 2), True),
                (_num(r.discrimination, 2) or f"<small>{text(r.discrimination_note)}</small>", True),
                (f"<span class='flag'>{text(', '.join(r.flags))}</span>", False),
            ]
            for k, r in enumerate(report.item_rows, start=1)
        ),
    )


def _head(report: Report, course: str) -> str:
    """From the doctype to the summary: what the page is about, when it was made, the counts, what is missing."""
    summary = [
        ("trainees", len(report.trainees)),
        ("assignments", len(report.assignments)),
        ("items", len(report.items)),
        ("untagged items", sum(1 for i in report.items if not i.competencies)),
        ("missing item scores", report.missing_not_submitted + report.missing_not_graded),
    ]
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>IPT course: competency report</title>
<style>{_CSS}</style>
</head>
<body>
<h1>Competency report</h1>
<p class="meta">Course {text(course)}, assignments {text(", ".join(report.assignments) or "none")}; made {stamp}.
Holds trainees' grades: keep it private.</p>
<ul class="summary">{"".join(f"<li><b>{value}</b>{text(label)}</li>" for label, value in summary)}</ul>
<p>Missing item scores: {report.missing_not_submitted} not submitted, {report.missing_not_graded} submitted but not
graded yet. A missing score is left out of a trainee's fractions; it is not a zero.</p>
"""


def report_html(report: Report, heatmap: str, items_svg: str, course: str = "") -> str:
    """One self-contained page: summary, what to do, cohort table, heatmap, trainees, items."""
    todo = "".join(f"<li>{text(n)}</li>" for n in action_notes(report))
    data_notes = "".join(f"<li>{text(n)}</li>" for n in report.notes)
    return f"""{_head(report, course)}
<h2>What to do</h2>
<ul>{todo}</ul>
{f'<div class="warn"><p><b>Data notes</b></p><ul>{data_notes}</ul></div>' if data_notes else ""}

<h2>Competencies across the cohort</h2>
<p>Each trainee's fraction on a competency is the points they earned on the graded items tagged with it, over
those items' points; an item tagged with several competencies counts toward each. "Needs support" is the share of
trainees with data below {NEEDS_SUPPORT:.1f}.</p>
{cohort_table(report)}

<h2>Trainees by competency</h2>
<figure>{heatmap}</figure>
{trainee_table(report)}

<h2>Items</h2>
<p><b>Difficulty</b> is the mean fraction of the item's points earned (the classical p-value; higher is easier).
<b>Discrimination</b> is the correlation between the item and each trainee's score on the other items of the same
assignment (corrected item-total correlation): near 0 or negative means the item does not separate stronger from
weaker trainees. Flags: too easy (p &gt; {TOO_EASY}), too hard (p &lt; {TOO_HARD}), low discrimination
(r &lt; {LOW_DISCRIMINATION}).</p>
<figure>{items_svg}</figure>
{item_table(report)}
</body>
</html>
"""
