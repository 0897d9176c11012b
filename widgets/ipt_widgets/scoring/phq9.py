"""PHQ-9 arithmetic and its interpretation, and the scoring of a trainee's interpretation.

Clinical rules (Kroenke, Spitzer & Williams 2001; common conventions in IPT research):
nine items scored 0–3, total 0–27; bands 0–4 minimal, 5–9 mild, 10–14 moderate,
15–19 moderately severe, 20–27 severe; **response** = at least a 50% fall from the baseline
total; **remission** = a total below 5; any score above 0 on item 9 calls for a safety
assessment, whatever the total.

Scoring rules for a graded PHQ-9 exercise (the README repeats them), when the reference gives the
risk decisions (``risk``, one action per session; see :mod:`.phq9_risk`): item scores entered
(16%, share of item cells right), totals (16%, share of sessions whose total is right), severity
band at intake (13%), response at the last session (10%), remission at the last session (10%),
the action each session calls for (35%). A session that called for action but was left to
routine monitoring caps the item at half its points. A reference without ``risk`` keeps the
older weights: 25%, 25%, 20%, 15%, 15%.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ..risk import PHQ9_RISK_PART
from ..schema import at, check_keys, suggestion
from ..vocab import PHQ9_BANDS, PHQ9_FREQUENCIES, PHQ9_ITEMS
from .base import ItemScore, check_points, finish, is_choice, require_mapping, require_text, verdict_for
from .phq9_risk import RiskDecision, expert_line, parse_choices, parse_decisions, score_risk

WEIGHTS = {"items": 0.16, "totals": 0.16, "band": 0.13, "response": 0.10, "remission": 0.10, PHQ9_RISK_PART: 0.35}
WEIGHTS_WITHOUT_RISK = {"items": 0.25, "totals": 0.25, "band": 0.2, "response": 0.15, "remission": 0.15}
UNSAFE_CAP = 0.5  # share of the item's points an unsafe risk decision can earn at most
N_ITEMS = len(PHQ9_ITEMS)
SAFETY_ITEM = N_ITEMS - 1  # item 9, zero-based


def phq9_total(items: list[int] | tuple[int, ...]) -> int:
    """The total of nine item scores (each 0–3)."""
    if (
        not isinstance(items, (list, tuple))
        or len(items) != N_ITEMS
        or any(not isinstance(i, int) or isinstance(i, bool) or not 0 <= i <= 3 for i in items)
    ):
        raise ValueError(f"PHQ-9 needs {N_ITEMS} item scores from 0 to 3, got {items!r}")
    return sum(items)


def phq9_band(total: int) -> str:
    """Severity band key of a total (see ``PHQ9_BANDS``)."""
    if not isinstance(total, int) or not 0 <= total <= 27:
        raise ValueError(f"PHQ-9 total must be 0–27, got {total!r}")
    return next(key for upper, key, _ in PHQ9_BANDS if total <= upper)


def band_label(key: str | None) -> str:
    return next((label for _, k, label in PHQ9_BANDS if k == key), "—")


def is_response(baseline: int, current: int) -> bool:
    """At least a 50% fall from a baseline above 0."""
    return baseline > 0 and current <= baseline / 2


def is_remission(total: int) -> bool:
    return total < 5


def needs_safety_assessment(items: list[int | None] | tuple[int | None, ...]) -> bool:
    """Item 9 above 0: the clinician must assess risk now, whatever the total."""
    return len(items) == N_ITEMS and (items[SAFETY_ITEM] or 0) > 0


def score_phrases(answers: list[str], where: str) -> list[int]:
    """Frequency phrases ("several days", ...) -> item scores; used to build references."""
    if not isinstance(answers, list) or len(answers) != N_ITEMS:
        got = f"got {len(answers)}" if isinstance(answers, list) else f"got {type(answers).__name__}"
        raise ValueError(f"{at(where, answers)}: expected {N_ITEMS} answers, one per PHQ-9 item ({got})")
    scores = []
    for index, phrase in enumerate(answers, start=1):
        key = " ".join(str(phrase).lower().split())
        if key not in PHQ9_FREQUENCIES:
            raise ValueError(
                f"{at(where, answers, index - 1)}: item {index} answer {phrase!r} is not one of "
                f"{', '.join(PHQ9_FREQUENCIES)}{suggestion(key, PHQ9_FREQUENCIES)}"
            )
        scores.append(PHQ9_FREQUENCIES[key])
    return scores


@dataclass(frozen=True)
class PHQ9Reference:
    """The true item scores per session, in order (everything else is derived from them), and the
    action each session calls for (``risk``; empty in an older reference)."""

    sessions: tuple[tuple[int, ...], ...]
    explanation: str = ""
    risk: tuple[RiskDecision, ...] = ()

    @classmethod
    def from_mapping(cls, data: Any, where: str) -> PHQ9Reference:
        data = require_mapping(data, where)
        check_keys(data, ("sessions", "explanation", "risk"), where)
        raw = data.get("sessions")
        if not isinstance(raw, list) or len(raw) < 2:
            raise ValueError(f"{at(where, data, 'sessions')}: field 'sessions' must list at least two administrations")
        sessions = []
        for index, items in enumerate(raw, start=1):
            try:
                phq9_total(items)
            except ValueError:
                raise ValueError(
                    f"{at(where, raw, index - 1)}: field 'sessions', session {index}: expected 9 item scores "
                    f"from 0 to 3, got {items!r}"
                ) from None
            sessions.append(tuple(items))
        risk = ()
        if data.get("risk") is not None:
            risk = parse_decisions(data["risk"], [s[SAFETY_ITEM] for s in sessions], where, data)
        return cls(tuple(sessions), require_text(data, "explanation", where, optional=True), risk)

    @property
    def totals(self) -> list[int]:
        return [phq9_total(s) for s in self.sessions]


@dataclass(frozen=True)
class PHQ9Answer:
    sessions: tuple[tuple[int | None, ...], ...]
    totals: tuple[int | None, ...]
    band_intake: str | None = None
    response: str | None = None  # "yes" / "no"
    remission: str | None = None
    risk: tuple[str | None, ...] = ()  # the action chosen per session

    def to_json(self) -> dict[str, Any]:
        return {
            "sessions": [list(s) for s in self.sessions],
            "totals": list(self.totals),
            "band_intake": self.band_intake,
            "response": self.response,
            "remission": self.remission,
            "risk": list(self.risk),
        }


def parse_phq9(value: Any, n_sessions: int) -> tuple[PHQ9Answer | None, str | None]:
    if value is None:
        return None, None
    if not isinstance(value, dict):
        return None, f"the saved PHQ-9 answer is a {type(value).__name__}"
    raw = value.get("sessions")
    if (
        not isinstance(raw, list)
        or len(raw) != n_sessions
        or any(not isinstance(s, list) or len(s) != N_ITEMS for s in raw)
    ):
        return None, f"the saved PHQ-9 answer does not hold {n_sessions} sessions of {N_ITEMS} items"

    def item(v):
        return v if isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 3 else None

    def total(v):
        return v if isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 27 else None

    totals = value.get("totals") if isinstance(value.get("totals"), list) else []
    totals = [total(t) for t in totals[:n_sessions]] + [None] * (n_sessions - len(totals[:n_sessions]))
    bands = {key for _, key, _ in PHQ9_BANDS}
    return PHQ9Answer(
        sessions=tuple(tuple(item(v) for v in s) for s in raw),
        totals=tuple(totals),
        band_intake=value["band_intake"] if is_choice(value.get("band_intake"), bands) else None,
        response=value["response"] if is_choice(value.get("response"), ("yes", "no")) else None,
        remission=value["remission"] if is_choice(value.get("remission"), ("yes", "no")) else None,
        risk=parse_choices(value.get("risk"), n_sessions),
    ), None


def interpretation(reference: PHQ9Reference) -> dict[str, Any]:
    """What a supervisor concludes from the true scores."""
    totals = reference.totals
    return {
        "totals": totals,
        "band_intake": phq9_band(totals[0]),
        "response": "yes" if is_response(totals[0], totals[-1]) else "no",
        "remission": "yes" if is_remission(totals[-1]) else "no",
        "safety_sessions": [i for i, s in enumerate(reference.sessions) if needs_safety_assessment(s)],
    }


def score_phq9(answer: PHQ9Answer | None, reference: PHQ9Reference, labels: list[str], max_points: float = 1.0):
    """Score a PHQ-9 exercise under the module's rules; ``labels`` name the sessions."""
    check_points(max_points)
    truth = interpretation(reference)
    expert = _expert(reference, truth, labels)
    weights = WEIGHTS if reference.risk else WEIGHTS_WITHOUT_RISK
    if not _answered(answer):
        return ItemScore(0.0, max_points, "unanswered", ["Nothing was entered."], expert, {k: 0.0 for k in weights})
    cells = [(a, t) for s_a, s_t in zip(answer.sessions, reference.sessions) for a, t in zip(s_a, s_t)]
    parts = {
        "items": sum(a == t for a, t in cells) / len(cells),
        "totals": sum(a == t for a, t in zip(answer.totals, truth["totals"])) / len(truth["totals"]),
        "band": float(answer.band_intake == truth["band_intake"]),
        "response": float(answer.response == truth["response"]),
        "remission": float(answer.remission == truth["remission"]),
    }
    feedback = _item_feedback(answer, reference, labels) + _interpretation_feedback(answer, truth, parts, labels)
    risk = None
    if reference.risk:
        chosen = answer.risk or (None,) * len(labels)
        item9 = [s[SAFETY_ITEM] for s in reference.sessions]
        risk = score_risk(chosen, reference.risk, item9, labels, truth["totals"])
        parts[PHQ9_RISK_PART] = risk.fraction
        feedback += risk.feedback
    all_right = "Scores, totals and interpretation are all right."
    if risk is not None:
        all_right = "Scores, totals, interpretation and the action each administration calls for are all right."
    result = finish(parts, weights, max_points, feedback, expert, all_right)
    return _cap_unsafe(result) if risk is not None and risk.unsafe else result


def _answered(answer: PHQ9Answer | None) -> bool:
    return answer is not None and bool(
        any(v is not None for s in answer.sessions for v in s)
        or any(t is not None for t in answer.totals)
        or answer.band_intake
        or answer.response
        or answer.remission
        or any(answer.risk)
    )


def _cap_unsafe(result: ItemScore) -> ItemScore:
    """An unsafe risk decision cannot pass: at most half the item's points."""
    cap = UNSAFE_CAP * result.max_points  # not rounded: rounding up could pass the cap
    if result.points <= cap:
        return result
    return replace(result, points=cap, verdict=verdict_for(cap, result.max_points, True))


def _expert(reference: PHQ9Reference, truth: dict[str, Any], labels: list[str]) -> list[str]:
    """What the expert concludes, shown after grading."""
    expert = [
        "Totals: "
        + ", ".join(
            f"{label} {t} ({band_label(phq9_band(t)).split(' (')[0].lower()})"
            for label, t in zip(labels, truth["totals"])
        )
        + ".",
        f"At the last session: response {truth['response']}, remission {truth['remission']} "
        f"(response = at least a 50% fall from {truth['totals'][0]}, i.e. {truth['totals'][0] // 2} or less; "
        "remission = below 5).",
    ]
    if truth["safety_sessions"]:
        expert.append(
            "Item 9 was above 0 at "
            + ", ".join(labels[i] for i in truth["safety_sessions"])
            + ": each time the clinician must assess suicide risk directly, whatever the total."
        )
    if reference.risk:
        expert.append(expert_line(reference.risk, [s[SAFETY_ITEM] for s in reference.sessions], labels))
    if reference.explanation:
        expert.append(reference.explanation)
    return expert


_SCORING_RULE = "Not at all = 0, several days = 1, more than half the days = 2, nearly every day = 3."


def _items_text(numbers: list[int]) -> str:
    if len(numbers) == len(PHQ9_ITEMS):
        return "all nine items"
    if len(numbers) == 1:
        return f"item {numbers[0]}"
    return "items " + ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"


def _item_feedback(answer: PHQ9Answer, reference: PHQ9Reference, labels: list[str]) -> list[str]:
    """Which item scores are not entered and which differ from the answers given, session by session."""
    blank, wrong = [], []
    for label, given, right in zip(labels, answer.sessions, reference.sessions):
        missing = [i + 1 for i, a in enumerate(given) if a is None]
        differ = [i + 1 for i, (a, t) in enumerate(zip(given, right)) if a is not None and a != t]
        if missing:
            blank.append(f"{label}: {_items_text(missing)}")
        if differ:
            wrong.append(f"{label}: {_items_text(differ)}")
    feedback = []
    if wrong:
        listed = "; ".join(wrong)
        feedback.append(f"Check these item scores against the answers given ({listed}). {_SCORING_RULE}")
    if blank:
        feedback.append("Not scored yet: " + "; ".join(blank) + ". Score each item from the patient's answer.")
    return feedback


def _own_totals(answer: PHQ9Answer) -> list[int | None]:
    return [sum(s) if all(v is not None for v in s) else None for s in answer.sessions]


def _interpretation_feedback(answer: PHQ9Answer, truth: dict[str, Any], parts: dict, labels: list[str]) -> list[str]:
    """Totals, band, response and remission: a value that follows from the trainee's own scores is
    not called wrong (practice computes them), the step where it went wrong is named instead."""
    own = _own_totals(answer)
    feedback = []
    if parts["totals"] < 1:
        missing = [label for label, a, t in zip(labels, answer.totals, truth["totals"]) if a is None and a != t]
        sums = [
            f"{label} (you wrote {a}; your nine item scores add up to {o})"
            for label, a, o in zip(labels, answer.totals, own)
            if a is not None and o is not None and a != o
        ]
        if sums:
            feedback.append("Check the totals of " + "; ".join(sums) + ": the total is the sum of the nine scores.")
        if missing:
            feedback.append("Enter the total for " + ", ".join(missing) + " (the sum of its nine item scores, 0–27).")
        if not sums and not missing:
            feedback.append("Your totals add up your item scores; they will be right once the item scores are.")
    intake = answer.totals[0]
    if not parts["band"]:
        if answer.band_intake is None:
            feedback.append("Choose the severity band of the intake total.")
        elif intake is not None and answer.band_intake == phq9_band(intake):
            feedback.append(
                f"Your band follows from your intake total of {intake}; it will be right once the total is."
            )
        else:
            total = intake if intake is not None else truth["totals"][0]
            feedback.append(f"A total of {total} is {band_label(phq9_band(total))}.")
    last = answer.totals[-1]
    for key, rule, follows in (
        ("response", "Response means the total fell by at least half from intake.", is_response),
        ("remission", "Remission means a total below 5.", lambda first, final: is_remission(final)),
    ):
        if parts[key]:
            continue
        chosen = getattr(answer, key)
        consistent = intake is not None and last is not None and chosen == ("yes" if follows(intake, last) else "no")
        if chosen is None:
            feedback.append(f"Say whether there is {key} at the last session. {rule}")
        elif consistent:
            feedback.append(f"Your {key} follows from your totals; it will be right once they are.")
        else:
            feedback.append(rule)
    return feedback
