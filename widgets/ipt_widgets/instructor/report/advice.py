"""The "what to do" list: the report's findings as plain sentences for the instructor."""

from __future__ import annotations

from .model import NEEDS_SUPPORT, NEEDS_SUPPORT_SHARE, Report


def action_notes(report: Report) -> list[str]:
    """The "what to do" list, in plain text (the renderer escapes it)."""
    notes = []
    n = len(report.trainees)
    for row in report.item_rows:
        where = f"{row.item.assignment} / {row.item.grade_id}"
        if "too easy" in row.flags:
            notes.append(
                f"{where} is too easy (difficulty {row.difficulty:.2f}): check that the item does not give the "
                "answer away, or keep it on purpose as a confidence builder."
            )
        if "too hard" in row.flags:
            notes.append(
                f"{where} is too hard (difficulty {row.difficulty:.2f}): check the reference answer first, then "
                "whether the teaching notebook prepares for it."
            )
        if "low discrimination" in row.flags:
            hint = (
                "trainees who do well elsewhere do worse here: check the reference answer for an error"
                if row.discrimination < 0
                else "read a few answers: strong trainees may be reading the item differently from the reference"
            )
            notes.append(f"{where} discriminates poorly (r = {row.discrimination:.2f}): {hint}.")
    for c in report.cohort:
        share = c.needs_support_share
        if share is not None and share > NEEDS_SUPPORT_SHARE:
            notes.append(
                f"{c.competency}: {c.needs_support} of {c.trainees} trainees ({share:.0%}) are below "
                f"{NEEDS_SUPPORT:.1f}. Revisit it with the cohort, e.g. with extra practice cases and supervision."
            )
    missing = report.missing_not_submitted + report.missing_not_graded
    if report.missing_not_graded:
        notes.append(
            f"{report.missing_not_graded} submitted item(s) are not graded yet (e.g. written answers): score them "
            "in formgrader, then run this report again."
        )
    if report.missing_not_submitted:
        notes.append(f"{report.missing_not_submitted} item(s) are missing because the assignment was not submitted.")
    if not n:
        notes.append("The gradebook has no trainees yet: collect and autograde submissions, then run this again.")
    if 0 < n < 30 and report.item_rows:
        notes.append(
            f"With {n} trainee(s), difficulty and discrimination are rough estimates: read them as hints, not verdicts."
        )
    if not missing and not notes:
        notes.append("Nothing to act on: no item is flagged and no competency has more than 25% needing support.")
    return notes
