"""Free-text items as a notebook's set-up cell loads them: never raising.

:func:`load_draft_tasks` is :func:`ipt_widgets.formulations.load_draft_tasks` (which raises a
ValueError naming file, line, reference and field) made safe for a set-up cell: a broken file
gives an empty :class:`~ipt_widgets.itemset.ItemSet` holding the error, and each drafter built
from it shows a short message for the trainee and the error for the instructor.
"""

from __future__ import annotations

from pathlib import Path

from .itemset import ItemSet


def load_draft_tasks(path: str | Path, *, strict: bool = False) -> ItemSet:
    """The free-text items of ``path`` (see :func:`ipt_widgets.formulations.load_draft_tasks`)."""
    from .formulations import load_draft_tasks as load_strictly

    tasks = ItemSet(source=str(path))
    try:
        tasks.update(load_strictly(path))
    except ValueError as exc:
        if strict:
            raise
        tasks.add_error(str(exc))
    return tasks
