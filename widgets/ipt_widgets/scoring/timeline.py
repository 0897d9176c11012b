"""Score a mood–event timeline (the mood thermometer) against the expert's.

Rules (the README repeats them):

* **onset** (40%): the event the trainee linked to the onset of the episode is the expert's;
* **worsening** (30%): the event linked to the clearest worsening is the expert's;
* **event timing** (15%): the share of events the trainee placed within one week of when they
  happened;
* **mood curve** (15%): the trainee's weekly mood ratings follow the story: full credit for a
  correlation of at least 0.6 with the expert's ratings, half for at least 0.3. A flat line
  (all the same) earns nothing, since it links mood to nothing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..schema import at, check_keys, choice_error
from .base import ItemScore, check_points, finish, require_mapping, require_text

REFERENCE_FIELDS = ("onset", "worsening", "event_weeks", "mood", "explanation", "event_feedback")

WEIGHTS = {"onset": 0.4, "worsening": 0.3, "timing": 0.15, "mood": 0.15}
MAX_WEEKS = 52


@dataclass(frozen=True)
class TimelineEvent:
    id: str
    label: str


@dataclass(frozen=True)
class TimelineReference:
    onset: str
    worsening: str
    event_weeks: dict[str, int]
    mood: tuple[int, ...]
    explanation: str
    event_feedback: dict[str, str]

    @classmethod
    def from_mapping(cls, data: Any, where: str, events: list[TimelineEvent] | None = None, weeks: int | None = None):
        data = require_mapping(data, where)
        check_keys(data, REFERENCE_FIELDS, where)
        weeks_map = require_mapping(data.get("event_weeks"), f"{at(where, data, 'event_weeks')}: field 'event_weeks'")
        ids = [e.id for e in events] if events is not None else list(weeks_map)
        for key in ("onset", "worsening"):
            if not isinstance(data.get(key), str) or data.get(key) not in ids:
                raise choice_error(where, data, key, data.get(key), ids, f"expected an event id ({', '.join(ids)})")
        if data["onset"] == data["worsening"]:
            raise ValueError(
                f"{at(where, data, 'worsening')}: fields 'onset' and 'worsening' must name different events"
            )
        mood = data.get("mood")
        if not isinstance(mood, list) or not all(
            isinstance(m, int) and not isinstance(m, bool) and 0 <= m <= 10 for m in mood
        ):
            raise ValueError(f"{at(where, data, 'mood')}: field 'mood' must be a list of whole numbers from 0 to 10")
        n_weeks = weeks if weeks is not None else len(mood)
        if len(mood) != n_weeks:
            raise ValueError(f"{at(where, data, 'mood')}: field 'mood' has {len(mood)} ratings for {n_weeks} weeks")
        check_keys(weeks_map, ids, f"{where}, field 'event_weeks'", what="event")
        event_weeks = {}
        for event_id in ids:
            week = weeks_map.get(event_id)
            if not isinstance(week, int) or isinstance(week, bool) or not 1 <= week <= n_weeks:
                raise ValueError(
                    f"{at(where, weeks_map, event_id)}: field 'event_weeks' needs a week from 1 to {n_weeks} "
                    f"for {event_id!r}, got {week!r}"
                )
            event_weeks[event_id] = week
        feedback = data.get("event_feedback") or {}
        require_mapping(feedback, f"{at(where, data, 'event_feedback')}: field 'event_feedback'")
        check_keys(feedback, ids, f"{where}, field 'event_feedback'", what="event")
        return cls(
            onset=data["onset"],
            worsening=data["worsening"],
            event_weeks=event_weeks,
            mood=tuple(mood),
            explanation=require_text(data, "explanation", where, optional=True),
            event_feedback={k: " ".join(str(v).split()) for k, v in feedback.items()},
        )


@dataclass(frozen=True)
class TimelineAnswer:
    mood: tuple[int, ...]
    event_weeks: dict[str, int]
    onset: str | None = None
    worsening: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "mood": list(self.mood),
            "event_weeks": dict(self.event_weeks),
            "onset": self.onset,
            "worsening": self.worsening,
        }


def parse_timeline(value: Any, weeks: int) -> tuple[TimelineAnswer | None, str | None]:
    """Stored value -> answer, or a reason it cannot be used. Never raises."""
    if value is None:
        return None, None
    if not isinstance(value, dict):
        return None, f"the saved timeline is a {type(value).__name__}, not a timeline"
    mood = value.get("mood")
    if not isinstance(mood, list) or len(mood) != weeks:
        return None, f"the saved mood ratings are not {weeks} weekly ratings"
    if not all(isinstance(m, int) and not isinstance(m, bool) and 0 <= m <= 10 for m in mood):
        return None, "the saved mood ratings are not whole numbers from 0 to 10"
    raw_weeks = value.get("event_weeks") or {}
    if not isinstance(raw_weeks, dict):
        return None, "the saved event weeks are not a mapping"
    event_weeks = {str(k): w for k, w in raw_weeks.items() if isinstance(w, int) and 1 <= w <= weeks}
    onset = value.get("onset") if isinstance(value.get("onset"), str) else None
    worsening = value.get("worsening") if isinstance(value.get("worsening"), str) else None
    return TimelineAnswer(tuple(mood), event_weeks, onset, worsening), None


def correlation(a: list[float] | tuple[float, ...], b: list[float] | tuple[float, ...]) -> float:
    """Pearson's r; 0 when either series is flat (a flat line links mood to nothing)."""
    n = len(a)
    if n < 3 or n != len(b):
        return 0.0
    mean_a, mean_b = sum(a) / n, sum(b) / n
    cov = sum((x - mean_a) * (y - mean_b) for x, y in zip(a, b))
    var_a = sum((x - mean_a) ** 2 for x in a)
    var_b = sum((y - mean_b) ** 2 for y in b)
    if var_a == 0 or var_b == 0:
        return 0.0
    return cov / math.sqrt(var_a * var_b)


def score_timeline(
    answer: TimelineAnswer | None,
    reference: TimelineReference,
    events: list[TimelineEvent],
    max_points: float = 1.0,
) -> ItemScore:
    """Score a timeline under the module's rules; see the module docstring."""
    check_points(max_points)
    labels = {e.id: e.label for e in events}
    expert = [
        f"Onset: {labels.get(reference.onset, reference.onset)} (week {reference.event_weeks[reference.onset]}). "
        f"Worsening: {labels.get(reference.worsening, reference.worsening)} "
        f"(week {reference.event_weeks[reference.worsening]}).",
        reference.explanation,
    ]
    answered = answer is not None and (
        answer.onset or answer.worsening or answer.event_weeks or len(set(answer.mood)) > 1
    )
    if not answered:
        return ItemScore(0.0, max_points, "unanswered", ["No timeline was drawn."], expert, {k: 0.0 for k in WEIGHTS})
    feedback = []
    parts = {
        "onset": float(answer.onset == reference.onset),
        "worsening": float(answer.worsening == reference.worsening),
    }
    for key, chosen, right in (
        ("onset", answer.onset, reference.onset),
        ("worsening", answer.worsening, reference.worsening),
    ):
        if chosen != right:
            feedback.append(_link_feedback(key, chosen, reference, labels))
    close = [e for e, week in reference.event_weeks.items() if abs(answer.event_weeks.get(e, -99) - week) <= 1]
    parts["timing"] = len(close) / len(reference.event_weeks)
    off = [labels.get(e, e) for e in reference.event_weeks if e not in close]
    if off:
        feedback.append("Check when these happened in the story: " + "; ".join(off) + ".")
    r = correlation(answer.mood, reference.mood)
    parts["mood"] = 1.0 if r >= 0.6 else 0.5 if r >= 0.3 else 0.0
    if parts["mood"] < 1:
        feedback.append(
            "Your mood ratings do not yet follow the story: the mood should fall after the onset and dip "
            "again at the worsening."
        )
    return finish(
        parts,
        WEIGHTS,
        max_points,
        feedback,
        expert,
        "Your timeline links the onset and the worsening to the right events.",
    )


_LOOK_FOR = {
    "onset": "the onset is the event in the week the mood first falls and stays down",
    "worsening": "the worsening is the later event after which the mood drops again",
}


def _link_feedback(key: str, chosen: str | None, reference: TimelineReference, labels: Mapping[str, str]) -> str:
    """Why the event linked as the onset (or worsening) is not it, in words about that link only.

    A case's ``event_feedback`` is written about one event ("Not the worsening: ..."); it is
    quoted only when it speaks of the link being judged, never about the other one.
    """
    other = "worsening" if key == "onset" else "onset"
    if not chosen:
        return f"You have not linked the {key} to an event yet: {_LOOK_FOR[key]}."
    label = labels.get(chosen, chosen)
    if chosen == getattr(reference, other):
        return f"You linked the {key} to {label}, but that is the {other}: {_LOOK_FOR[key]}."
    why = " ".join(reference.event_feedback.get(chosen, "").split())
    lowered = why.lower()
    if not why or (other in lowered and key not in lowered):
        why = f"Look again at the mood line: {_LOOK_FOR[key]}."
    return f"You linked the {key} to {label}. {why}"
