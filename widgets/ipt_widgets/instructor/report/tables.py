"""The report's tables: each trainee's fraction per competency, the cohort per competency, and the whole report.

Pure computation from plain data: no database, no files, nothing drawn.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence

from ...vocab import COMPETENCIES
from .item_analysis import analyse_items
from .model import NEEDS_SUPPORT, CohortRow, Item, ItemKey, Report, Scores, Trainee, TraineeRow
from .stats import fraction


def summarise_trainees(
    trainees: Sequence[Trainee],
    items: Sequence[Item],
    scores: Scores,
    expected: Mapping[str, set[ItemKey]],
    competencies: Sequence[str] = tuple(COMPETENCIES),
    evidence: Mapping[str, Scores] | None = None,
) -> list[TraineeRow]:
    """Per trainee: the fraction earned on each competency, the total, and items graded or missing.

    An item tagged with k competencies counts fully toward each of them. Only graded items count;
    a missing item is neither a zero nor in the denominator. ``evidence`` gives, for a competency,
    the scores to use instead of whole-item scores (risk: only the risk decisions, see ``risk``).
    """
    evidence = evidence or {}
    by_competency: dict[str, list[ItemKey]] = {c: [] for c in competencies}
    for item in items:
        for c in item.competencies:
            if c in by_competency:
                by_competency[c].append(item.key)
    rows = []
    for trainee in trainees:
        graded = scores.get(trainee.id, {})
        own = expected.get(trainee.id, set())
        values = {}
        for c, keys in by_competency.items():
            source = evidence[c].get(trainee.id, {}) if c in evidence else graded
            values[c] = fraction(source[k] for k in keys if k in source)
        total = fraction(graded[i.key] for i in items if i.key in graded)
        n_graded = sum(1 for i in items if i.key in graded)
        n_missing = sum(1 for k in own if k not in graded)
        rows.append(TraineeRow(trainee, values, total, n_graded, n_missing))
    return rows


def summarise_cohort(
    rows: Sequence[TraineeRow], items: Sequence[Item], competencies: Sequence[str] = tuple(COMPETENCIES)
) -> list[CohortRow]:
    """Per competency: items, trainees with data, mean, median, min, max and how many are below 0.6."""
    result = []
    for c in competencies:
        values = [row.competencies[c] for row in rows if row.competencies.get(c) is not None]
        n_items = sum(1 for i in items if c in i.competencies)
        result.append(
            CohortRow(
                competency=c,
                label=COMPETENCIES.get(c, c),
                items=n_items,
                trainees=len(values),
                mean=statistics.fmean(values) if values else None,
                median=statistics.median(values) if values else None,
                minimum=min(values) if values else None,
                maximum=max(values) if values else None,
                needs_support=sum(1 for v in values if v < NEEDS_SUPPORT),
            )
        )
    return result


def build_report(
    items: Sequence[Item],
    trainees: Sequence[Trainee],
    scores: Scores,
    submitted: Mapping[str, set[str]],
    notes: Sequence[str] = (),
    evidence: Mapping[str, Scores] | None = None,
) -> Report:
    """Compute the whole report from plain data (no database, no files).

    Parameters
    ----------
    items : the graded items of the assignments reported on (only those the gradebook knows)
    trainees : every trainee of the gradebook
    scores : trainee id -> item key -> (score, max score), for graded items only
    submitted : trainee id -> the assignments that trainee submitted
    notes : data problems found while reading, carried into the report
    evidence : competency -> scores to use for it instead of whole-item scores (the risk column)
    """
    items = list(items)
    assignments = sorted({i.assignment for i in items})
    expected = {t.id: {i.key for i in items} for t in trainees}
    not_submitted = not_graded = 0
    for t in trainees:
        graded = scores.get(t.id, {})
        for i in items:
            if i.key in graded:
                continue
            if i.assignment in submitted.get(t.id, set()):
                not_graded += 1
            else:
                not_submitted += 1
    rows = summarise_trainees(trainees, items, scores, expected, evidence=evidence)
    rows.sort(key=lambda r: (r.total is None, -(r.total or 0.0), r.trainee.id))
    return Report(
        items=items,
        trainees=rows,
        cohort=summarise_cohort(rows, items),
        item_rows=analyse_items(items, scores, expected),
        assignments=assignments,
        missing_not_submitted=not_submitted,
        missing_not_graded=not_graded,
        notes=list(notes),
    )
