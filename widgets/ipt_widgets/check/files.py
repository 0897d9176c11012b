"""Check one YAML file an instructor writes: a module's case file or a free-text file.

* a case file (``cases`` and/or ``inventory``, ``timeline``, ``phq9``, ``transcripts``): every
  case, with every problem of the file reported (not only the first);
* a free-text file (``references``): practice references in full, released items (case and
  prompt only) with their fields;
* a *graded* file (beside its assignment notebook, released to trainees as is) must hold no
  answer: an ``answer``, an explanation or a technique there would give the key away.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..casebook import SECTIONS, load_casebook
from ..cases import CASE_FIELDS, load_cases, read_case_yaml
from ..schema import at, check_keys
from .findings import Finding, error, warning

# What a released file must not hold, per section: the expert's answer.
ANSWER_KEYS = {
    "cases": (
        "answer",
        "secondary",
        "explanation",
        "stage_explanation",
        "secondary_explanation",
        "not_indicated_reason",
        "reason_explanation",
        "distractors",
        "stage_feedback",
    ),
    "inventory": ("answer",),
    "timeline": ("answer",),
    "phq9": ("explanation", "risk"),
}
TURN_ANSWER_KEYS = ("technique", "also_accept", "explanation")
RELEASED_DRAFT_FIELDS = ("id", "task", "title", "vignette", "prompt")
ANSWER_DRAFT_FIELDS = ("problem_area", "dispute_stage", "expert_formulation", "elements")


def is_graded(path: Path) -> bool:
    """A file in an assignment folder (beside ``<folder>.ipynb``, or under solutions/ or exercises/)."""
    folder = path.parent
    return (folder / f"{folder.name}.ipynb").exists() or folder.parent.name in ("solutions", "exercises", "source")


def check_yaml(path: Path, *, score_references: bool = True) -> list[Finding]:
    """Every problem of one file, as findings."""
    try:
        data = read_case_yaml(path)
    except ValueError as exc:
        return [error(str(exc))]
    if isinstance(data, Mapping) and "references" in data:
        return _check_free_text(path, data, score_references)
    graded = is_graded(path)
    if isinstance(data, Mapping) and "scenarios" in data:
        from .scenarios import check_scenario_file

        return check_scenario_file(path, data, graded, score_references)
    findings: list[Finding] = []
    if isinstance(data, Mapping) and "cases" in data:
        cases = load_cases(path, require_answers=not graded)
        findings += [error(e) for e in cases.errors]
    book = load_casebook(path, require_answers=not graded)
    if not (isinstance(data, Mapping) and "cases" in data and not any(s in data for s in SECTIONS)):
        findings += [error(e) for e in book.errors if not any(e == f.message for f in findings)]
    if graded and isinstance(data, Mapping):
        findings += _released_answers(path, data)
    return findings


def _released_answers(path: Path, data: Mapping[str, Any]) -> list[Finding]:
    out = []
    for section, keys in ANSWER_KEYS.items():
        for raw in data.get(section) or []:
            if isinstance(raw, Mapping):
                for key in keys:
                    if key in raw:
                        out.append(_leak(path, section, raw, key))
    for raw in data.get("transcripts") or []:
        for turn in (raw.get("turns") or []) if isinstance(raw, Mapping) else []:
            if isinstance(turn, Mapping):
                out += [_leak(path, "transcripts", raw, key, turn) for key in TURN_ANSWER_KEYS if key in turn]
    return out


def _leak(path: Path, section: str, raw: Mapping, key: str, inner: Any = None) -> Finding:
    where = at(f"{path}: {section} case {raw.get('id')!r}", inner if inner is not None else raw, key)
    return error(
        f"{where}: field {key!r} holds the expert answer, and this file is released to trainees as is; "
        "put the answer in the hidden test cell instead"
    )


def _check_free_text(path: Path, data: Mapping[str, Any], score_references: bool) -> list[Finding]:
    from ..formulations import load_draft_tasks, load_references
    from ..reference_check import check_reference

    graded = is_graded(path)
    findings: list[Finding] = []
    try:
        check_keys(data, ("references",), str(path), what="section")
        if not graded:
            refs = load_references(path)
            if score_references:
                findings += [warning(f"{path}: {w}") for ref in refs.values() for w in check_reference(ref)]
            return findings
    except ValueError as exc:
        return [error(str(exc))]
    findings = _released_drafts(path, data)
    if not findings:
        try:
            load_draft_tasks(path)
        except ValueError as exc:
            findings.append(error(str(exc)))
    return findings


def _released_drafts(path: Path, data: Mapping[str, Any]) -> list[Finding]:
    """A released free-text file: the case and prompt only, with known fields."""
    findings = []
    for n, raw in enumerate(data.get("references") or [], 1):
        where = f"{path}: reference {raw.get('id')!r}" if isinstance(raw, Mapping) else f"{path}: reference {n}"
        leaked = [k for k in ANSWER_DRAFT_FIELDS if isinstance(raw, Mapping) and k in raw]
        if leaked:
            findings.append(
                error(
                    f"{at(where, raw, leaked[0])}: field {leaked[0]!r} holds the expert answer, and this file is "
                    "released to trainees as is; keep the reference in the hidden test cell"
                )
            )
            continue
        try:
            check_keys(raw, RELEASED_DRAFT_FIELDS, where)
        except ValueError as exc:
            findings.append(error(str(exc)))
    return findings


def case_ids(path: Path) -> dict[str, set[str]]:
    """Item ids of a module's files by kind ("cases", the casebook sections, "drafts"), for the notebooks."""
    out: dict[str, set[str]] = {}
    try:
        data = read_case_yaml(path)
    except ValueError:
        return out
    if not isinstance(data, Mapping):
        return out
    if "references" in data:
        ids = {r.get("id") for r in data.get("references") or [] if isinstance(r, Mapping)}
        return {"drafts": {i for i in ids if isinstance(i, str)}}
    if "scenarios" in data:
        ids = {r.get("id") for r in data.get("scenarios") or [] if isinstance(r, Mapping)}
        return {"scenarios": {i for i in ids if isinstance(i, str)}}
    for section in ("cases", *SECTIONS):
        raw = data.get(section)
        if isinstance(raw, list):
            out[section] = {c.get("id") for c in raw if isinstance(c, Mapping) and isinstance(c.get("id"), str)}
    return out


__all__ = ["CASE_FIELDS", "case_ids", "check_yaml", "is_graded"]
