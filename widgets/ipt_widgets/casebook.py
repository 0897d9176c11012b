"""Cases for the clinical tools: inventory, timeline, PHQ-9 and transcript items.

One YAML file per module holds sections ``inventory``, ``timeline``, ``phq9`` and
``transcripts`` (any may be absent). Practice files (course/cases/) carry each case's
``answer``; graded files (solutions/<id>/cases.yaml, released as is) carry only what the
trainee reads, and the reference lives in the hidden test cell. Errors name the file, the case
and the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .cases import read_case_yaml
from .scoring.base import require_mapping, require_text
from .scoring.inventory import InventoryReference
from .scoring.phq9 import PHQ9Reference, score_phrases
from .scoring.timeline import MAX_WEEKS, TimelineEvent, TimelineReference
from .scoring.transcript import TranscriptReference

SECTIONS = ("inventory", "timeline", "phq9", "transcripts")


@dataclass(frozen=True)
class InventoryCase:
    id: str
    title: str
    text: str
    reference: InventoryReference | None = None


@dataclass(frozen=True)
class TimelineCase:
    id: str
    title: str
    text: str
    weeks: int
    events: tuple[TimelineEvent, ...]
    reference: TimelineReference | None = None


@dataclass(frozen=True)
class PHQ9Case:
    """A patient's repeated PHQ-9: the answers they gave, as frequency phrases, per session."""

    id: str
    title: str
    text: str
    labels: tuple[str, ...]
    answers: tuple[tuple[str, ...], ...]
    reference: PHQ9Reference | None = None


@dataclass(frozen=True)
class Turn:
    speaker: str
    text: str


@dataclass(frozen=True)
class Transcript:
    id: str
    title: str
    context: str
    turns: tuple[Turn, ...]
    reference: TranscriptReference | None = None

    @property
    def therapist_turns(self) -> list[int]:
        """Indices (into ``turns``) of the therapist's turns, the ones to code."""
        return [i for i, t in enumerate(self.turns) if t.speaker == "therapist"]


@dataclass
class CaseBook:
    inventory: dict[str, InventoryCase] = field(default_factory=dict)
    timeline: dict[str, TimelineCase] = field(default_factory=dict)
    phq9: dict[str, PHQ9Case] = field(default_factory=dict)
    transcripts: dict[str, Transcript] = field(default_factory=dict)


def load_casebook(path: str | Path, *, require_answers: bool = False) -> CaseBook:
    """Load a module's clinical-tool cases; see the module docstring for the layout."""
    path = Path(path)
    data = read_case_yaml(path)
    data = require_mapping(data, str(path))
    if not any(section in data for section in SECTIONS):
        raise ValueError(f"{path}: expected at least one section of {', '.join(SECTIONS)}")
    book = CaseBook()
    builders = {"inventory": _inventory, "timeline": _timeline, "phq9": _phq9, "transcripts": _transcript}
    for section in SECTIONS:
        raw_list = data.get(section, [])
        if not isinstance(raw_list, list):
            raise ValueError(f"{path}: field {section!r} must be a list")
        target = getattr(book, section)
        for index, raw in enumerate(raw_list, start=1):
            where = f"{path}: {section} case {index}"
            raw = require_mapping(raw, where)
            case_id = raw.get("id")
            if not isinstance(case_id, str) or not case_id.strip():
                raise ValueError(f"{where}: field 'id' must be a non-empty string")
            where = f"{path}: {section} case {case_id!r}"
            if case_id in target:
                raise ValueError(f"{where}: field 'id' is used twice")
            has_answer = "answer" in raw or section == "phq9"
            if require_answers and not has_answer and section != "transcripts":
                raise ValueError(f"{where}: field 'answer' is missing (practice cases need one)")
            target[case_id] = builders[section](raw, case_id, where, require_answers)
    return book


def _inventory(raw: dict, case_id: str, where: str, require_answers: bool) -> InventoryCase:
    reference = None
    if "answer" in raw:
        reference = InventoryReference.from_mapping(raw["answer"], f"{where}, field 'answer'")
    return InventoryCase(case_id, require_text(raw, "title", where), _text(raw, "text", where), reference)


def _timeline(raw: dict, case_id: str, where: str, require_answers: bool) -> TimelineCase:
    weeks = raw.get("weeks")
    if not isinstance(weeks, int) or not 3 <= weeks <= MAX_WEEKS:
        raise ValueError(f"{where}: field 'weeks' must be a whole number from 3 to {MAX_WEEKS}")
    raw_events = raw.get("events")
    if not isinstance(raw_events, list) or len(raw_events) < 2:
        raise ValueError(f"{where}: field 'events' must list at least two events")
    events = []
    for index, event in enumerate(raw_events, start=1):
        event = require_mapping(event, f"{where}, event {index}")
        events.append(
            TimelineEvent(
                require_text(event, "id", f"{where}, event {index}"),
                require_text(event, "label", f"{where}, event {index}"),
            )
        )
    if len({e.id for e in events}) != len(events):
        raise ValueError(f"{where}: field 'events' has an id used twice")
    reference = None
    if "answer" in raw:
        reference = TimelineReference.from_mapping(raw["answer"], f"{where}, field 'answer'", events, weeks)
    return TimelineCase(
        case_id, require_text(raw, "title", where), _text(raw, "text", where), weeks, tuple(events), reference
    )


def _phq9(raw: dict, case_id: str, where: str, require_answers: bool) -> PHQ9Case:
    sessions = raw.get("sessions")
    if not isinstance(sessions, list) or len(sessions) < 2:
        raise ValueError(f"{where}: field 'sessions' must list at least two administrations")
    labels, answers, scores = [], [], []
    for index, session in enumerate(sessions, start=1):
        at = f"{where}, session {index}"
        session = require_mapping(session, at)
        labels.append(require_text(session, "label", at))
        phrases = session.get("answers")
        scores.append(score_phrases(phrases, f"{at}, field 'answers'"))
        answers.append(tuple(" ".join(str(p).lower().split()) for p in phrases))
    explanation = raw.get("explanation") if isinstance(raw.get("explanation"), str) else ""
    # The answers the patient gave are what the trainee reads; the scores follow from them,
    # so a practice case's reference is derived rather than written twice.
    reference = (
        PHQ9Reference.from_mapping({"sessions": scores, "explanation": explanation}, where)
        if (require_answers or "explanation" in raw)
        else None
    )
    return PHQ9Case(
        case_id, require_text(raw, "title", where), _text(raw, "text", where), tuple(labels), tuple(answers), reference
    )


def _transcript(raw: dict, case_id: str, where: str, require_answers: bool) -> Transcript:
    raw_turns = raw.get("turns")
    if not isinstance(raw_turns, list) or not raw_turns:
        raise ValueError(f"{where}: field 'turns' must be a non-empty list")
    turns, codes = [], []
    for index, turn in enumerate(raw_turns, start=1):
        at = f"{where}, turn {index}"
        turn = require_mapping(turn, at)
        speaker = turn.get("speaker")
        if speaker not in ("therapist", "patient"):
            raise ValueError(f"{at}: field 'speaker' must be 'therapist' or 'patient', got {speaker!r}")
        turns.append(Turn(speaker, require_text(turn, "text", at)))
        if speaker == "therapist" and "technique" in turn:
            codes.append({k: turn.get(k) for k in ("technique", "also_accept", "explanation")})
    n_therapist = sum(t.speaker == "therapist" for t in turns)
    if n_therapist == 0:
        raise ValueError(f"{where}: field 'turns' has no therapist turn to code")
    reference = None
    if codes or require_answers:
        if len(codes) != n_therapist:
            raise ValueError(
                f"{where}: every therapist turn needs a 'technique' ({len(codes)} of {n_therapist} have one)"
            )
        reference = TranscriptReference.from_mapping({"turns": codes}, where)
    return Transcript(case_id, require_text(raw, "title", where), _text(raw, "context", where), tuple(turns), reference)


def _text(raw: dict, key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: field {key!r} must be non-empty text")
    return value.strip()
