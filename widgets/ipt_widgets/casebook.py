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

from .cases import FILE_SECTIONS, read_case_yaml
from .itemset import ItemSet
from .schema import LineDict, LineList, at, check_keys, line_of
from .scoring.base import require_mapping, require_text
from .scoring.inventory import InventoryReference
from .scoring.phq9 import PHQ9Reference, score_phrases
from .scoring.timeline import MAX_WEEKS, TimelineEvent, TimelineReference
from .scoring.transcript import TranscriptReference

SECTIONS = ("inventory", "timeline", "phq9", "transcripts")
# The fields each section's cases may have (``answer`` only in practice files).
CASE_FIELDS = {
    "inventory": ("id", "title", "text", "answer"),
    "timeline": ("id", "title", "text", "weeks", "events", "answer"),
    "phq9": ("id", "title", "text", "sessions", "explanation", "risk"),
    "transcripts": ("id", "title", "context", "drift", "turns"),
}
TURN_FIELDS = ("speaker", "text", "technique", "also_accept", "explanation")


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
    inventory: ItemSet = field(default_factory=ItemSet)
    timeline: ItemSet = field(default_factory=ItemSet)
    phq9: ItemSet = field(default_factory=ItemSet)
    transcripts: ItemSet = field(default_factory=ItemSet)

    @property
    def errors(self) -> list[str]:
        """Every problem found (lenient loading), section by section; a file-level one once."""
        seen: list[str] = []
        for section in SECTIONS:
            seen += [e for e in getattr(self, section).errors if e not in seen]
        return seen


def load_casebook(path: str | Path, *, require_answers: bool = False, strict: bool = False) -> CaseBook:
    """Load a module's clinical-tool cases; see the module docstring for the layout.

    ``strict=False`` (what notebooks use) returns what loaded and keeps each problem in its
    section's ``errors``; a broken case looked up gives an :class:`~ipt_widgets.itemset.Unavailable`.
    ``strict=True`` raises a ValueError naming file, line, case and field at the first problem.
    """
    path = Path(path)
    book = CaseBook(*(ItemSet(source=f"{path} ({section})") for section in SECTIONS))
    try:
        data = require_mapping(read_case_yaml(path), str(path))
        check_keys(data, FILE_SECTIONS, str(path), what="section")
        if not any(section in data for section in SECTIONS):
            raise ValueError(f"{path}: expected at least one section of {', '.join(SECTIONS)}")
    except ValueError as exc:
        if strict:
            raise
        for section in SECTIONS:
            getattr(book, section).add_error(str(exc))
        return book
    for section in SECTIONS:
        target = getattr(book, section)
        raw_list = data.get(section, [])
        if not isinstance(raw_list, list):
            error = ValueError(f"{at(str(path), data, section)}: field {section!r} must be a list")
            if strict:
                raise error
            target.add_error(str(error))
            continue
        for index, raw in enumerate(raw_list, start=1):
            case_id = raw.get("id") if isinstance(raw, dict) else None
            try:
                target_case = _section_case(path, section, index, raw_list, require_answers)
                if target_case.id in target:
                    where = f"{path}: {section} case {case_id!r}"
                    raise ValueError(f"{at(where, raw, 'id')}: field 'id' is used twice")
                target[target_case.id] = target_case
            except ValueError as exc:
                if strict:
                    raise
                target.add_error(str(exc), case_id if isinstance(case_id, str) else None)
    return book


_BUILDERS = {}  # filled below, once the builders are defined


def _section_case(path: Path, section: str, index: int, raw_list: list, require_answers: bool):
    where = at(f"{path}: {section} case {index}", raw_list, index - 1)
    raw = require_mapping(raw_list[index - 1], where)
    case_id = raw.get("id")
    if not isinstance(case_id, str) or not case_id.strip():
        raise ValueError(f"{where}: field 'id' must be a non-empty string")
    where = f"{path}: {section} case {case_id!r}"
    check_keys(raw, CASE_FIELDS[section], where)
    has_answer = "answer" in raw or section == "phq9"
    if require_answers and not has_answer and section != "transcripts":
        raise ValueError(f"{at(where, raw)}: field 'answer' is missing (practice cases need one)")
    return _BUILDERS[section](raw, case_id, where, require_answers)


def _inventory(raw: dict, case_id: str, where: str, require_answers: bool) -> InventoryCase:
    reference = None
    if "answer" in raw:
        reference = InventoryReference.from_mapping(raw["answer"], f"{where}, field 'answer'")
    return InventoryCase(case_id, require_text(raw, "title", where), _text(raw, "text", where), reference)


def _timeline(raw: dict, case_id: str, where: str, require_answers: bool) -> TimelineCase:
    weeks = raw.get("weeks")
    if not isinstance(weeks, int) or isinstance(weeks, bool) or not 3 <= weeks <= MAX_WEEKS:
        raise ValueError(
            f"{at(where, raw, 'weeks')}: field 'weeks' must be a whole number from 3 to {MAX_WEEKS}, got {weeks!r}"
        )
    raw_events = raw.get("events")
    if not isinstance(raw_events, list) or len(raw_events) < 2:
        raise ValueError(f"{at(where, raw, 'events')}: field 'events' must list at least two events")
    events = []
    for index, event in enumerate(raw_events, start=1):
        event_at = at(f"{where}, event {index}", raw_events, index - 1)
        event = require_mapping(event, event_at)
        check_keys(event, ("id", "label"), event_at)
        events.append(TimelineEvent(require_text(event, "id", event_at), require_text(event, "label", event_at)))
    if len({e.id for e in events}) != len(events):
        raise ValueError(f"{at(where, raw, 'events')}: field 'events' has an id used twice")
    reference = None
    if "answer" in raw:
        reference = TimelineReference.from_mapping(raw["answer"], f"{where}, field 'answer'", events, weeks)
    return TimelineCase(
        case_id, require_text(raw, "title", where), _text(raw, "text", where), weeks, tuple(events), reference
    )


def _phq9(raw: dict, case_id: str, where: str, require_answers: bool) -> PHQ9Case:
    sessions = raw.get("sessions")
    if not isinstance(sessions, list) or len(sessions) < 2:
        raise ValueError(f"{at(where, raw, 'sessions')}: field 'sessions' must list at least two administrations")
    labels, answers, scores = [], [], []
    for index, session in enumerate(sessions, start=1):
        session_at = at(f"{where}, session {index}", sessions, index - 1)
        session = require_mapping(session, session_at)
        check_keys(session, ("label", "answers"), session_at)
        labels.append(require_text(session, "label", session_at))
        phrases = session.get("answers")
        scores.append(score_phrases(phrases, f"{where}, session {index}, field 'answers'"))
        answers.append(tuple(" ".join(str(p).lower().split()) for p in phrases))
    # The answers the patient gave are what the trainee reads; the scores follow from them,
    # so a practice case's reference is derived rather than written twice. ``risk`` (the action
    # each session calls for) is the expert's, and stays a field of the case.
    reference = None
    if require_answers or "explanation" in raw or "risk" in raw:
        fields = LineDict(
            {"sessions": scores}, line=getattr(raw, "line", None), key_lines=getattr(raw, "key_lines", {})
        )
        fields.update({k: raw[k] for k in ("explanation", "risk") if k in raw})
        reference = PHQ9Reference.from_mapping(fields, where)
    return PHQ9Case(
        case_id, require_text(raw, "title", where), _text(raw, "text", where), tuple(labels), tuple(answers), reference
    )


def _transcript(raw: dict, case_id: str, where: str, require_answers: bool) -> Transcript:
    raw_turns = raw.get("turns")
    if not isinstance(raw_turns, list) or not raw_turns:
        raise ValueError(f"{at(where, raw, 'turns')}: field 'turns' must be a non-empty list")
    turns, codes, uncoded = [], LineList(), []
    for index, turn in enumerate(raw_turns, start=1):
        turn_at = at(f"{where}, turn {index}", raw_turns, index - 1)
        turn = require_mapping(turn, turn_at)
        check_keys(turn, TURN_FIELDS, turn_at)
        speaker = turn.get("speaker")
        if speaker not in ("therapist", "patient"):
            raise ValueError(
                f"{at(turn_at, turn, 'speaker')}: field 'speaker' must be 'therapist' or 'patient', got {speaker!r}"
            )
        turns.append(Turn(speaker, require_text(turn, "text", turn_at)))
        if speaker == "patient" and any(k in turn for k in TURN_FIELDS[2:]):
            raise ValueError(f"{turn_at}: a patient turn has no technique; only therapist turns are coded")
        if speaker == "therapist" and "technique" in turn:
            codes.append(
                LineDict({k: turn[k] for k in TURN_FIELDS[2:] if k in turn}, key_lines=getattr(turn, "key_lines", {}))
            )
            codes.item_lines.append(line_of(raw_turns, index - 1))
        elif speaker == "therapist":
            uncoded.append(turn_at)
    n_therapist = sum(t.speaker == "therapist" for t in turns)
    if n_therapist == 0:
        raise ValueError(f"{at(where, raw, 'turns')}: field 'turns' has no therapist turn to code")
    reference = None
    if "drift" in raw and not codes:
        # A released (graded) file shows the trainee only the transcript: how its drift reads would
        # be a hint, so it is marked in the hidden test's reference instead.
        raise ValueError(
            f"{at(where, raw, 'drift')}: field 'drift' belongs with the codes: in a practice file with the "
            "turns' techniques, or in a graded item's hidden reference, never in a released file"
        )
    if codes or require_answers:
        if uncoded:
            raise ValueError(
                f"{uncoded[0]}: every therapist turn needs a 'technique' ({len(codes)} of {n_therapist} have one)"
            )
        ref = LineDict({"turns": codes}, key_lines=getattr(raw, "key_lines", {}))
        if "drift" in raw:
            ref["drift"] = raw["drift"]
        reference = TranscriptReference.from_mapping(ref, where)
    return Transcript(case_id, require_text(raw, "title", where), _text(raw, "context", where), tuple(turns), reference)


def _text(raw: dict, key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{at(where, raw, key)}: field {key!r} must be non-empty text")
    return value.strip()


_BUILDERS.update({"inventory": _inventory, "timeline": _timeline, "phq9": _phq9, "transcripts": _transcript})
