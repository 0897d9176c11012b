"""What every scorer returns, and helpers shared by the scorers."""

from __future__ import annotations

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


def weighted(parts: Mapping[str, float], weights: Mapping[str, float], max_points: float) -> float:
    """Points from component fractions and weights (weights sum to 1)."""
    return round(max_points * sum(weights[k] * max(0.0, min(1.0, parts.get(k, 0.0))) for k in weights), 4)


def verdict_for(points: float, max_points: float, answered: bool) -> str:
    if not answered:
        return "unanswered"
    if points >= max_points - 1e-9:
        return "correct"
    return "partial" if points > 0 else "incorrect"


def check_points(max_points: Any) -> None:
    if isinstance(max_points, bool) or not isinstance(max_points, (int, float)) or max_points <= 0:
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
