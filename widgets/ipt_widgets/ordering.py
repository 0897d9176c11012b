"""The order practice cases are shown in: stable for a notebook, but not the answer order.

Authors tend to write a module's cases grouped by answer (the module's own area first, the odd
one out last), so the position of a case would give its answer away. The order here is a shuffle
seeded from the case file's name: the same on every run and every machine (so nbval stays
deterministic and a trainee's notebook does not reshuffle on reopening), different from file to
file, and never sorted by answer.

Bottom layer: imports nothing from the package.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any


def practice_order(answers: Mapping[str, Any], seed: str) -> list[str]:
    """Item ids in a stable, seeded order that is not sorted by answer.

    Parameters
    ----------
    answers
        Item id -> a sortable answer key (e.g. ``(area index, stage index)``), in file order.
    seed
        What makes the order stable and particular to one notebook: the case file's name.

    Returns
    -------
    list of str
        The ids ordered by a SHA-256 of ``seed`` and the id (Python's ``hash`` is salted per
        run, so it would not do). If that order happens to run in ascending or descending answer
        order, it is rotated until it does not; when no rotation helps (one answer for all, or
        two items with different answers), the seeded order stands.
    """
    order = sorted(answers, key=lambda item: hashlib.sha256(f"{seed}\x00{item}".encode()).hexdigest())
    for _ in range(len(order)):
        if not _monotone([answers[item] for item in order]):
            return order
        order = order[1:] + order[:1]
    return order


def _monotone(keys: Sequence[Any]) -> bool:
    """True when the keys never fall or never rise: the order an author would group them in."""
    pairs = list(zip(keys, keys[1:]))
    return all(a <= b for a, b in pairs) or all(a >= b for a, b in pairs)
