"""What every scorer returns, and helpers shared by the scorers."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..schema import at


@dataclass(frozen=True)
class ItemScore:
    """The result of scoring one graded item.

    Attributes
    ----------
    points, max_points
        Credit earned and available.
    verdict
        "correct", "partial", "incorrect" or "unanswered".
    feedback
        Teaching sentences about the trainee's own answer, in reading order.
    expert
        Sentences that reveal the expert answer; shown after grading or on request.
    parts
        Component -> fraction earned (0–1), for the card and the instructor report.
    """

    points: float
    max_points: float
    verdict: str
    feedback: list[str] = field(default_factory=list)
    expert: list[str] = field(default_factory=list)
    parts: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # The last line of defence: whatever a scorer computed, the points a test cell reports
        # are a finite number in [0, max_points]. NaN would slip through min() and max() (and
        # nbgrader reads a NaN result as full marks), so a score that is not finite is 0.
        if not is_finite_number(self.max_points) or self.max_points <= 0:
            raise ValueError(f"max_points must be a positive finite number, got {self.max_points!r}")
        if is_finite_number(self.points) and self.max_points < self.points <= self.max_points + 1e-9:
            object.__setattr__(self, "points", float(self.max_points))  # rounding, not extra credit
        if not is_finite_number(self.points) or not 0 <= self.points <= self.max_points:
            object.__setattr__(self, "points", 0.0)
            object.__setattr__(self, "feedback", [*self.feedback, NOT_SCORED])
            if self.verdict != "unanswered":
                object.__setattr__(self, "verdict", "incorrect")


NOT_SCORED = (
    "This answer could not be scored (a value computed from it was not a finite number), so it earns 0 "
    "points for now; your instructor will look at it."
)


def is_finite_number(value: Any) -> bool:
    """True for an int or float (not a bool) that is finite; huge ints that overflow a float are not."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def share(value: Any) -> float:
    """A fraction clamped to [0, 1]. NaN is not clamped by ``min``/``max`` (``min(1.0, nan)`` is
    1.0, ``min(nan, 1.0)`` is nan), so anything not a finite number is 0 here."""
    return min(1.0, max(0.0, float(value))) if is_finite_number(value) else 0.0


def weighted(parts: Mapping[str, float], weights: Mapping[str, float], max_points: float) -> float:
    """Points from component fractions and weights (weights sum to 1); a part that is not a
    finite number counts 0."""
    return round(max_points * sum(weights[k] * share(parts.get(k, 0.0)) for k in weights), 4)


def finish(
    parts: dict[str, float],
    weights: Mapping[str, float],
    max_points: float,
    feedback: list[str],
    expert: list[str],
    all_right: str,
) -> ItemScore:
    """The ItemScore of an answered item from its component fractions.

    A component that is not a finite number in [0, 1] is a scoring error, never credit: the
    whole item then scores 0 with a message (:data:`NOT_SCORED`).
    """
    if not all(is_finite_number(v) and 0 <= v <= 1 for v in parts.values()):
        return ItemScore(0.0, max_points, "incorrect", [NOT_SCORED], expert, {k: 0.0 for k in weights})
    points = weighted(parts, weights, max_points)
    if not feedback:
        feedback.append(all_right)
    return ItemScore(points, max_points, verdict_for(points, max_points, True), feedback, expert, parts)


def verdict_for(points: float, max_points: float, answered: bool) -> str:
    if not answered:
        return "unanswered"
    if points >= max_points - 1e-9:
        return "correct"
    return "partial" if points > 0 else "incorrect"


def check_points(max_points: Any) -> None:
    if not is_finite_number(max_points) or max_points <= 0:
        raise ValueError(f"max_points must be a positive number, got {max_points!r}")


def normalise_name(text: str) -> str:
    """Lower case, accents removed, punctuation to spaces: 'Zoë-Anne' -> 'zoe anne'."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return " ".join("".join(ch if ch.isalnum() else " " for ch in plain).split())


def is_choice(value: Any, choices: Any) -> bool:
    """``value in choices`` for values read from a file: a list or dict there must not raise."""
    return isinstance(value, str) and value in choices


def require_text(data: Mapping[str, Any], key: str, where: str, *, optional: bool = False) -> str:
    value = data.get(key)
    if value is None and optional:
        return ""
    if not isinstance(value, str) or not value.strip():
        got = "" if value is None else f", got {type(value).__name__}"
        raise ValueError(f"{at(where, data, key)}: field {key!r} must be non-empty text{got}")
    return " ".join(value.split())


def require_bool(data: Mapping[str, Any], key: str, where: str, default: bool) -> bool:
    """A yes/no field: true or false in YAML (a quoted "false" would otherwise read as true)."""
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise ValueError(f"{at(where, data, key)}: field {key!r} must be true or false, got {value!r}")
    return value


def require_mapping(data: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise ValueError(f"{at(where, data)}: expected a mapping, got {type(data).__name__}")
    return data
