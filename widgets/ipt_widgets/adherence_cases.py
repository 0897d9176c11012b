"""Whole sessions to rate on the adherence and quality checklist (Module 11).

A case file's ``adherence`` section lists sessions::

    adherence:
      - id: a11_example
        title: "Session 6 of 16: ..."
        context: "Who the patient is, the agreed problem area, where we are in treatment."
        turns:
          - {speaker: therapist, text: "How have things been since we last met?"}
          - {speaker: patient, text: "..."}
        ratings:                      # the expert's; practice files only
          mood_events: {rating: 2, reason: "..."}
          ...                         # every item of scoring.adherence.CHECKLIST, 2/1/0 or na

A released (graded) file holds no ``ratings``: the reference then lives in the hidden test cell.
Errors name the file, the line, the session and the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .casebook import Turn
from .cases import read_case_yaml
from .itemset import ItemSet
from .schema import at, check_keys
from .scoring.adherence import AdherenceReference
from .scoring.base import require_mapping, require_text

SECTION = "adherence"
SESSION_FIELDS = ("id", "title", "context", "turns", "ratings")
MIN_TURNS = 8  # a whole session, or a long stretch of one: enough to judge adherence


@dataclass(frozen=True)
class AdherenceSession:
    id: str
    title: str
    context: str
    turns: tuple[Turn, ...]
    reference: AdherenceReference | None = None


def load_adherence(path: str | Path, *, require_answers: bool = False, strict: bool = False) -> ItemSet:
    """The sessions of a file's ``adherence`` section, id -> :class:`AdherenceSession`.

    ``strict=False`` (what notebooks use) keeps each problem in the set's ``errors`` and gives an
    :class:`~ipt_widgets.itemset.Unavailable` for a session that did not load; ``strict=True``
    raises a ValueError naming the file, line, session and field at the first problem.
    """
    path = Path(path)
    items = ItemSet(source=f"{path} ({SECTION})")
    try:
        data = require_mapping(read_case_yaml(path), str(path))
        check_keys(data, (SECTION,), str(path), what="section")
        raw_list = data.get(SECTION)
        if not isinstance(raw_list, list) or not raw_list:
            raise ValueError(f"{at(str(path), data, SECTION)}: field {SECTION!r} must be a non-empty list of sessions")
    except ValueError as exc:
        if strict:
            raise
        items.add_error(str(exc))
        return items
    for index, raw in enumerate(raw_list, start=1):
        session_id = raw.get("id") if isinstance(raw, dict) else None
        try:
            session = _session(path, raw_list, index, require_answers)
            if session.id in items:
                raise ValueError(f"{at(f'{path}: session {session.id!r}', raw, 'id')}: field 'id' is used twice")
            items[session.id] = session
        except ValueError as exc:
            if strict:
                raise
            items.add_error(str(exc), session_id if isinstance(session_id, str) else None)
    return items


def _session(path: Path, raw_list: list, index: int, require_answers: bool) -> AdherenceSession:
    where = at(f"{path}: session {index}", raw_list, index - 1)
    raw = require_mapping(raw_list[index - 1], where)
    session_id = raw.get("id")
    if not isinstance(session_id, str) or not session_id.strip():
        raise ValueError(f"{where}: field 'id' must be a non-empty string")
    where = f"{path}: session {session_id!r}"
    check_keys(raw, SESSION_FIELDS, where)
    turns = _turns(raw, where)
    reference = None
    if "ratings" in raw:
        reference = AdherenceReference.from_mapping(raw["ratings"], at(f"{where}, field 'ratings'", raw, "ratings"))
    elif require_answers:
        raise ValueError(f"{at(where, raw)}: field 'ratings' is missing (practice sessions need the expert's)")
    return AdherenceSession(
        session_id, require_text(raw, "title", where), _context(raw, where), turns, reference
    )


def _turns(raw: dict, where: str) -> tuple[Turn, ...]:
    raw_turns = raw.get("turns")
    if not isinstance(raw_turns, list) or len(raw_turns) < MIN_TURNS:
        raise ValueError(f"{at(where, raw, 'turns')}: field 'turns' must list at least {MIN_TURNS} turns")
    turns = []
    for index, turn in enumerate(raw_turns, start=1):
        turn_at = at(f"{where}, turn {index}", raw_turns, index - 1)
        turn = require_mapping(turn, turn_at)
        check_keys(turn, ("speaker", "text"), turn_at)
        speaker = turn.get("speaker")
        if speaker not in ("therapist", "patient"):
            raise ValueError(
                f"{at(turn_at, turn, 'speaker')}: field 'speaker' must be 'therapist' or 'patient', got {speaker!r}"
            )
        turns.append(Turn(speaker, require_text(turn, "text", turn_at)))
    if len({t.speaker for t in turns}) < 2:
        raise ValueError(f"{at(where, raw, 'turns')}: field 'turns' needs both a therapist and a patient")
    return tuple(turns)


def _context(raw: dict, where: str) -> str:
    value = raw.get("context")
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{at(where, raw, 'context')}: field 'context' must be non-empty text")
    return value.strip()
