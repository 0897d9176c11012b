"""Plain statistics of the report: a fraction of points, an item's difficulty, Pearson's correlation."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from .model import MIN_N


def fraction(pairs: Iterable[tuple[float, float]]) -> float | None:
    """Sum of scores over sum of maximum scores, or None when there is nothing to divide by.

    Parameters
    ----------
    pairs : iterable of (score, max_score)

    Returns
    -------
    float or None
    """
    pairs = list(pairs)
    top = math.fsum(m for _, m in pairs)
    if not pairs or top <= 0:
        return None
    return math.fsum(s for s, _ in pairs) / top


def difficulty(fractions: Sequence[float]) -> float | None:
    """The classical item difficulty (p-value): the mean fraction of the points earned.

    Higher means easier. None when no trainee has a score for the item.
    """
    return math.fsum(fractions) / len(fractions) if fractions else None


def pearson(xs: Sequence[float], ys: Sequence[float]) -> tuple[float | None, str]:
    """Pearson's correlation of two paired sequences, with the reason when it is undefined.

    With a 0/1 item this is the point-biserial correlation.

    Returns
    -------
    (r, reason) : r is None, and reason says why, when there are fewer than ``MIN_N`` pairs or
        either sequence has no variance; otherwise reason is "".
    """
    if len(xs) != len(ys):
        raise ValueError(f"pearson: {len(xs)} x values but {len(ys)} y values")
    n = len(xs)
    if n < MIN_N:
        return None, f"only {n} trainee(s) with data (need {MIN_N})"
    mx, my = math.fsum(xs) / n, math.fsum(ys) / n
    sxx = math.fsum((x - mx) ** 2 for x in xs)
    syy = math.fsum((y - my) ** 2 for y in ys)
    if sxx <= 1e-12:
        return None, "no variance: every trainee scored the same on this item"
    if syy <= 1e-12:
        return None, "no variance: every trainee has the same total on the other items"
    r = math.fsum((x - mx) * (y - my) for x, y in zip(xs, ys)) / math.sqrt(sxx * syy)
    return max(-1.0, min(1.0, r)), ""
