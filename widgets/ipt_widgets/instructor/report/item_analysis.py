"""Item analysis: how hard each item is, how well it separates stronger from weaker trainees, its flags."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .model import LOW_DISCRIMINATION, MIN_N, TOO_EASY, TOO_HARD, Item, ItemKey, ItemRow, Scores
from .stats import difficulty, fraction, pearson


def rest_fractions(item: Item, items: Sequence[Item], scores: Scores) -> dict[str, float]:
    """Each trainee's fraction over the *other* graded items of the item's assignment.

    This is the "corrected" total: leaving the item out keeps it from correlating with itself.
    Trainees with no other graded item in the assignment are left out.
    """
    others = [i.key for i in items if i.assignment == item.assignment and i.key != item.key]
    result = {}
    for trainee, graded in scores.items():
        value = fraction(graded[k] for k in others if k in graded)
        if value is not None:
            result[trainee] = value
    return result


def discrimination(item_fractions: Mapping[str, float], rest: Mapping[str, float]) -> tuple[float | None, str]:
    """Corrected item-total correlation: the item's fraction against the rest of the assignment.

    Parameters
    ----------
    item_fractions : trainee -> fraction of the item's points earned
    rest : trainee -> fraction over the other items of the same assignment

    Returns
    -------
    (r, reason) : as :func:`pearson`, over the trainees present in both mappings.
    """
    common = sorted(set(item_fractions) & set(rest))
    r, reason = pearson([item_fractions[t] for t in common], [rest[t] for t in common])
    if r is None and len(common) < MIN_N and len(item_fractions) >= MIN_N:
        reason += " who also have another graded item in this assignment"
    return r, reason


def item_flags(p: float | None, r: float | None) -> list[str]:
    """The flags of an item: "too easy" (p > 0.9), "too hard" (p < 0.2), "low discrimination" (r < 0.2)."""
    flags = []
    if p is not None and p > TOO_EASY:
        flags.append("too easy")
    if p is not None and p < TOO_HARD:
        flags.append("too hard")
    if r is not None and r < LOW_DISCRIMINATION:
        flags.append("low discrimination")
    return flags


def analyse_items(items: Sequence[Item], scores: Scores, expected: Mapping[str, set[ItemKey]]) -> list[ItemRow]:
    """Difficulty, discrimination and flags of every item.

    Parameters
    ----------
    items : the graded items
    scores : trainee -> item key -> (score, max score), graded items only
    expected : trainee -> the item keys that trainee should have a score for (missing = expected - graded)
    """
    rows = []
    for item in items:
        fractions = {}
        for trainee, graded in scores.items():
            score, top = graded.get(item.key, (0.0, 0.0))
            if top > 0:  # not graded (absent), or a 0-point item: no fraction
                fractions[trainee] = score / top
        p = difficulty(list(fractions.values()))
        r, reason = discrimination(fractions, rest_fractions(item, items, scores))
        if p is None:
            reason = "no graded answers yet"
        elif not any(i.assignment == item.assignment and i.key != item.key for i in items):
            reason = "the only item of its assignment: no other items to correlate with"
        missing = sum(1 for t, keys in expected.items() if item.key in keys and item.key not in scores.get(t, {}))
        rows.append(ItemRow(item, len(fractions), missing, p, r, reason, item_flags(p, r)))
    return rows
