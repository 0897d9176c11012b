"""Simulated-patient scenarios (issue 15): loading and validating the YAML format.

The format is the contract in docs/authoring/scenarios.md: a patient brief, then turns; at each
turn the trainee says the next therapist line, the line is coded by technique, and the first
branch whose ``techniques`` hold the code gives the patient's reply and the next turn.

Two kinds of file hold scenarios:

* practice files (``course/scenarios/<NN>_<module>.yaml``): everything, shown as the trainee plays;
* graded play files (``solutions/<id>/scenarios.yaml``, released as is): what the widget needs to
  play the session, without ``aim``, ``expert``, ``rating`` or ``feedback``. The whole scenario
  (the key) lives only in the hidden test cell (see :mod:`ipt_widgets.scenario_release`).

A bad file is rejected with a ``ValueError`` naming the file, the line, the scenario, the turn
and the field. Notebooks load leniently (:class:`~ipt_widgets.itemset.ItemSet`). The structure
rules (reachable turns, risk branches, path lengths) are in :mod:`ipt_widgets.scenario_paths`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .itemset import ItemSet
from .schema import at, check_keys, choice_error
from .techniques import TECHNIQUES

# The technique ids are the line coder's (ipt_widgets.techniques, the shared contract).
HELPFUL_TECHNIQUES = tuple(t.id for t in TECHNIQUES.values() if t.helpful)
UNHELPFUL_TECHNIQUES = tuple(t.id for t in TECHNIQUES.values() if not t.helpful)
LINE_TECHNIQUES = HELPFUL_TECHNIQUES + UNHELPFUL_TECHNIQUES
ANY = "any"
END = "end"
RATINGS = {"good": 1.0, "acceptable": 0.5, "unhelpful": 0.0, "unsafe": 0.0}
AREAS = ("grief", "role_dispute", "role_transition", "interpersonal_deficits", "none")

SCENARIO_FIELDS = ("id", "title", "module", "skill", "area", "patient", "start", "turns", "ending", "competencies")
PATIENT_FIELDS = ("name", "brief")
TURN_FIELDS = ("patient", "risk_cue", "aim", "expert", "exemplars", "branches")
BRANCH_FIELDS = ("techniques", "rating", "example", "feedback", "reply", "next")
# What a graded play file leaves out: the key, kept in the hidden test cell.
HIDDEN_TURN_FIELDS = ("aim", "expert")
HIDDEN_BRANCH_FIELDS = ("rating", "feedback")
_ID = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_TRAILING_LINE = re.compile(r", line \d+$")


@dataclass(frozen=True)
class Branch:
    techniques: tuple[str, ...]
    example: str
    reply: str
    next: str
    rating: str | None = None  # None in a released (graded) play file
    feedback: str = ""
    line: int | None = None

    @property
    def is_fallback(self) -> bool:
        return self.techniques == (ANY,)

    @property
    def value(self) -> float:
        return RATINGS.get(self.rating or "", 0.0)


@dataclass(frozen=True)
class Turn:
    id: str
    patient: str
    branches: tuple[Branch, ...]
    risk_cue: bool = False
    aim: str = ""
    expert: tuple[str, ...] = ()
    exemplars: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    line: int | None = None

    def branch_for(self, technique: str | None) -> int:
        """The index of the first branch whose techniques hold ``technique``; else the fallback."""
        for index, branch in enumerate(self.branches):
            if technique in branch.techniques:
                return index
        return len(self.branches) - 1

    def good_techniques(self) -> tuple[str, ...]:
        return tuple(t for b in self.branches if b.rating == "good" for t in b.techniques if t != ANY)


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    module: int
    skill: str
    area: str
    patient_name: str
    brief: str
    start: str
    turns: Mapping[str, Turn]
    ending: str = ""
    competencies: tuple[str, ...] = ()  # optional: the tags its graded cell should carry
    released: bool = False  # a graded play file: no ratings, feedback, aims or expert lines
    source: str = ""

    @property
    def kind(self) -> str:
        """'next_line' (one trainee turn) or 'session'."""
        return "next_line" if len(self.turns) == 1 else "session"


def _text(data: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = data.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        problem = "is missing" if value is None else "must be non-empty text"
        raise ValueError(f"{at(where, data, key if key in data else None)}: field {key!r} {problem}")
    return value.strip()


def _mapping(data: Any, where: str, what: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise ValueError(f"{at(where, data)}: {what} should be a mapping of fields, got {type(data).__name__}")
    return data


def _techniques(raw: Mapping[str, Any], where: str) -> tuple[str, ...]:
    value = raw.get("techniques")
    if not isinstance(value, list) or not value or not all(isinstance(t, str) for t in value):
        raise ValueError(f"{at(where, raw, 'techniques')}: field 'techniques' must be a list of technique ids")
    for t in value:
        if t not in LINE_TECHNIQUES and t != ANY:
            raise choice_error(where, raw, "techniques", t, (*LINE_TECHNIQUES, ANY))
    if ANY in value and len(value) > 1:
        raise ValueError(f"{at(where, raw, 'techniques')}: 'any' stands alone: techniques: [any]")
    return tuple(value)


def parse_branch(raw: Any, where: str, released: bool) -> Branch:
    raw = _mapping(raw, where, "a branch")
    allowed = tuple(f for f in BRANCH_FIELDS if not (released and f in HIDDEN_BRANCH_FIELDS))
    check_keys(raw, allowed, where)
    rating = None
    if not released:
        rating = raw.get("rating")
        if rating not in RATINGS:
            raise choice_error(where, raw, "rating", rating, RATINGS)
    nxt = raw.get("next")
    if not isinstance(nxt, str) or not nxt:
        raise ValueError(
            f"{at(where, raw, 'next' if 'next' in raw else None)}: field 'next' is missing (a turn id or 'end')"
        )
    return Branch(
        techniques=_techniques(raw, where),
        example=_text(raw, "example", where),
        reply=_text(raw, "reply", where),
        next=nxt,
        rating=rating,
        feedback="" if released else _text(raw, "feedback", where),
        line=getattr(raw, "line", None),
    )


def _exemplars(raw: Mapping[str, Any], where: str) -> dict[str, tuple[str, ...]]:
    value = raw.get("exemplars")
    if value is None:
        return {}
    value = _mapping(value, f"{where}, field 'exemplars'", "field 'exemplars'")
    out = {}
    for technique, lines in value.items():
        if technique not in LINE_TECHNIQUES:
            raise choice_error(f"{where}, field 'exemplars'", value, technique, technique, LINE_TECHNIQUES)
        if not isinstance(lines, list) or not lines or not all(isinstance(x, str) and x.strip() for x in lines):
            raise ValueError(f"{at(where, value, technique)}: exemplars for {technique!r} must be a list of lines")
        out[technique] = tuple(x.strip() for x in lines)
    return out


def _competencies(raw: Mapping[str, Any], where: str) -> tuple[str, ...]:
    from .vocab import COMPETENCIES

    value = raw.get("competencies", [])
    if not isinstance(value, list):
        raise ValueError(f"{at(where, raw, 'competencies')}: field 'competencies' must be a list of competency tags")
    for tag in value:
        if tag not in COMPETENCIES:
            raise choice_error(where, raw, "competencies", tag, COMPETENCIES)
    return tuple(value)


def parse_turn(turn_id: str, raw: Any, where: str, released: bool) -> Turn:
    raw = _mapping(raw, where, "a turn")
    allowed = tuple(f for f in TURN_FIELDS if not (released and f in HIDDEN_TURN_FIELDS))
    check_keys(raw, allowed, where)
    risk = raw.get("risk_cue", False)
    if not isinstance(risk, bool):
        raise ValueError(f"{at(where, raw, 'risk_cue')}: field 'risk_cue' must be true or false, got {risk!r}")
    expert: tuple[str, ...] = ()
    if not released:
        lines = raw.get("expert")
        if (
            not isinstance(lines, list)
            or not 2 <= len(lines) <= 3
            or not all(isinstance(x, str) and x.strip() for x in lines)
        ):
            raise ValueError(
                f"{at(where, raw, 'expert' if 'expert' in raw else None)}: field 'expert' must list 2–3 expert lines"
            )
        expert = tuple(x.strip() for x in lines)
    raw_branches = raw.get("branches")
    if not isinstance(raw_branches, list) or not raw_branches:
        raise ValueError(
            f"{at(where, raw, 'branches' if 'branches' in raw else None)}: field 'branches' must list the branches"
        )
    branches = tuple(
        parse_branch(b, f"{where}, branch {i + 1}", released) for i, b in enumerate(raw_branches)
    )
    return Turn(
        id=turn_id,
        patient=_text(raw, "patient", where),
        branches=branches,
        risk_cue=risk,
        aim="" if released else _text(raw, "aim", where),
        expert=expert,
        exemplars=_exemplars(raw, where),
        line=getattr(raw, "line", None),
    )


def parse_scenario(raw: Any, where: str, *, released: bool = False, source: str = "") -> Scenario:
    """One scenario from its parsed YAML; ``where`` names the file (and line) in errors."""
    raw = _mapping(raw, where, "a scenario")
    sid = raw.get("id")
    if not isinstance(sid, str) or not _ID.match(sid):
        raise ValueError(
            f"{at(where, raw, 'id' if 'id' in raw else None)}: field 'id' must be lowercase_with_underscores, "
            f"got {sid!r}"
        )
    where = f"{_TRAILING_LINE.sub('', where)}, scenario {sid!r}"
    check_keys(raw, SCENARIO_FIELDS, where)
    module = raw.get("module")
    if isinstance(module, bool) or not isinstance(module, int) or not 0 <= module <= 11:
        raise ValueError(f"{at(where, raw, 'module')}: field 'module' must be a module number 0–11, got {module!r}")
    area = raw.get("area")
    if area not in AREAS:
        raise choice_error(where, raw, "area", area, AREAS)
    patient = _mapping(raw.get("patient"), f"{at(where, raw, 'patient')}, field 'patient'", "field 'patient'")
    check_keys(patient, PATIENT_FIELDS, f"{where}, patient")
    turns_raw = _mapping(raw.get("turns"), f"{at(where, raw, 'turns')}, field 'turns'", "field 'turns'")
    turns = {}
    for tid, traw in turns_raw.items():
        if not isinstance(tid, str) or not _ID.match(tid) or tid == END:
            raise ValueError(
                f"{at(where, turns_raw, tid)}: turn id {tid!r} must be lowercase_with_underscores, not 'end'"
            )
        turns[tid] = parse_turn(tid, traw, f"{where}, turn {tid!r}", released)
    start = raw.get("start")
    if start not in turns:
        raise choice_error(where, raw, "start", start, list(turns), "expected the id of a turn")
    return Scenario(
        id=sid,
        title=_text(raw, "title", where),
        module=module,
        skill=_text(raw, "skill", where),
        area=area,
        patient_name=_text(patient, "name", f"{where}, patient"),
        brief=_text(patient, "brief", f"{where}, patient"),
        start=start,
        turns=turns,
        ending=_text(raw, "ending", where, required=False),
        competencies=_competencies(raw, where),
        released=released,
        source=source,
    )


def read_yaml_file(path: Path) -> Any:
    from .cases import read_case_yaml  # same errors, naming the file

    return read_case_yaml(path)


def scenarios_in(data: Any, where: str) -> list[Any]:
    if not isinstance(data, Mapping) or not isinstance(data.get("scenarios"), list):
        raise ValueError(f"{where}: expected a top-level 'scenarios:' list")
    check_keys(data, ("scenarios",), where, what="section")
    return data["scenarios"]


def load_scenarios(path: str | Path, *, released: bool | None = None, strict: bool = False) -> ItemSet:
    """Scenarios of one file, by id. ``released`` (default: a file beside an assignment notebook,
    or under solutions/ or exercises/) reads a graded play file. Lenient unless ``strict``: a broken
    scenario is left out and its error kept (a widget built on it shows the error)."""
    from .scenario_paths import structure_problems

    path = Path(path)
    if released is None:
        released = (
            path.parent.parent.name in ("solutions", "exercises", "source")
            or (path.parent / f"{path.parent.name}.ipynb").exists()
        )
    out = ItemSet(source=str(path))
    try:
        items = scenarios_in(read_yaml_file(path), str(path))
    except ValueError as exc:
        if strict:
            raise
        out.add_error(str(exc))
        return out
    for index, raw in enumerate(items):
        where = at(str(path), items, index)
        sid = raw.get("id") if isinstance(raw, Mapping) else None
        try:
            scenario = parse_scenario(raw, where, released=released, source=str(path))
            problems = structure_problems(scenario, where)
            if sid in out:
                problems.insert(0, f"{where}: scenario id {sid!r} is used twice")
            if problems:
                raise ValueError("; ".join(problems))
        except ValueError as exc:
            if strict:
                raise
            out.add_error(str(exc), sid if isinstance(sid, str) else None)
            continue
        out[scenario.id] = scenario
    return out
