"""Case vignettes and classification references: loading and validation.

Two kinds of file hold cases (YAML, because instructors write them by hand):

* practice case files (``course/cases/*.yaml``): vignette, answer and per-choice feedback,
  all visible to the trainee, since practice is formative;
* graded case files (``solutions/<id>/cases.yaml``, released as is): vignette text only.
  The reference answer of a graded case lives only in its hidden test cell.

A bad file is rejected with a ``ValueError`` naming the file, the line, the case and the field
(an unknown field with the closest known one), so an author can fix it without reading this
code. Notebooks load leniently: a broken case shows as a message in its widget only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .itemset import ItemSet
from .ordering import practice_order
from .schema import LineDict, at, check_keys, choice_error, line_of, suggestion
from .schema import load_yaml as _load_yaml
from .vocab import (
    DISPUTE_STAGES,
    NO_SECONDARY,
    NOT_INDICATED,
    NOT_INDICATED_REASONS,
    PROBLEM_AREAS,
    ROLE_DISPUTE,
    normalise_area,
)

# What the classifier offers as the primary answer: the four areas, then "not IPT now".
CLASSIFIER_CHOICES: dict[str, object] = {**PROBLEM_AREAS, NOT_INDICATED: None}

# Fields that sit beside 'answer' in a practice case; 'area' and 'stage' go inside it.
_BESIDE_ANSWER = (
    "secondary",
    "not_indicated_reason",
    "explanation",
    "stage_explanation",
    "secondary_explanation",
    "reason_explanation",
    "distractors",
    "stage_feedback",
)
REFERENCE_FIELDS = ("area", "stage", *_BESIDE_ANSWER)
CASE_FIELDS = ("id", "title", "text", "answer", "ask_secondary", *_BESIDE_ANSWER)

# The sections of a module's case file (load_casebook reads the others).
FILE_SECTIONS = ("cases", "inventory", "timeline", "phq9", "transcripts")


@dataclass(frozen=True)
class ClassificationReference:
    """The expert classification of one case.

    Attributes
    ----------
    area
        Problem area key (see :data:`ipt_widgets.vocab.PROBLEM_AREAS`).
    stage
        Dispute stage key when ``area`` is a role dispute, else None.
    explanation
        Why this is the primary area: shown to the trainee after grading (or at once in
        practice).
    stage_explanation
        Why this stage (role disputes only).
    distractors
        Wrong area key -> case-specific reason it is not the primary area.
    stage_feedback
        Wrong stage key -> case-specific reason it is not that stage.
    secondary
        For a mixed presentation: the secondary problem area (or ``"none"``), else None (the
        item asks for the primary area only, as before).
    secondary_explanation
        Why that secondary area (or why none).
    not_indicated_reason
        When ``area`` is ``"not_indicated"`` (IPT is not the treatment to start now): why, one of
        :data:`ipt_widgets.vocab.NOT_INDICATED_REASONS`; else None.
    reason_explanation
        What in the case calls for that referral or treatment first.
    """

    area: str
    stage: str | None = None
    explanation: str = ""
    stage_explanation: str = ""
    distractors: Mapping[str, str] = field(default_factory=dict)
    stage_feedback: Mapping[str, str] = field(default_factory=dict)
    secondary: str | None = None
    secondary_explanation: str = ""
    not_indicated_reason: str | None = None
    reason_explanation: str = ""

    @classmethod
    def from_mapping(cls, data: Any, where: str) -> ClassificationReference:
        """Build and validate a reference; ``where`` names the source in error messages."""
        if not isinstance(data, Mapping):
            raise ValueError(f"{where}: expected a mapping with at least 'area', got {type(data).__name__}")
        check_keys(data, REFERENCE_FIELDS, where)
        area = normalise_area(data.get("area"))
        if not isinstance(area, str) or area not in CLASSIFIER_CHOICES:
            raise choice_error(where, data, "area", data.get("area"), CLASSIFIER_CHOICES)
        stage = data.get("stage")
        if area == ROLE_DISPUTE:
            if not isinstance(stage, str) or stage not in DISPUTE_STAGES:
                need = f"a role dispute needs one of {', '.join(DISPUTE_STAGES)}"
                raise choice_error(where, data, "stage", stage, DISPUTE_STAGES, need)
        elif stage is not None:
            raise ValueError(
                f"{at(where, data, 'stage')}: field 'stage' is set ({stage!r}) but only a role dispute has a stage"
            )
        distractors = _text_map(data, "distractors", where, CLASSIFIER_CHOICES)
        if area in distractors:
            raise ValueError(
                f"{at(where, data.get('distractors'), area)}: field 'distractors' has an entry for the right answer "
                f"{area!r}; give feedback only for the wrong areas"
            )
        stage_feedback = _text_map(data, "stage_feedback", where, DISPUTE_STAGES)
        if stage in stage_feedback:
            raise ValueError(
                f"{at(where, data.get('stage_feedback'), stage)}: field 'stage_feedback' has an entry for the right "
                f"stage {stage!r}"
            )
        return cls(
            area=area,
            stage=stage,
            explanation=_optional_text(data, "explanation", where),
            stage_explanation=_optional_text(data, "stage_explanation", where),
            distractors=distractors,
            stage_feedback=stage_feedback,
            secondary=_secondary(data, area, where),
            secondary_explanation=_optional_text(data, "secondary_explanation", where),
            not_indicated_reason=_reason(data, area, where),
            reason_explanation=_optional_text(data, "reason_explanation", where),
        )


def _reason(data: Mapping[str, Any], area: str, where: str) -> str | None:
    """Why IPT is not for now: required when the answer is "not_indicated", refused otherwise."""
    reason = data.get("not_indicated_reason")
    if area != NOT_INDICATED:
        for key in ("not_indicated_reason", "reason_explanation"):
            if data.get(key) is not None:
                raise ValueError(
                    f"{at(where, data, key)}: field {key!r} is set but the answer is {area!r}; "
                    f"only an answer of {NOT_INDICATED!r} has a reason"
                )
        return None
    if not isinstance(reason, str) or reason not in NOT_INDICATED_REASONS:
        need = f"an answer of {NOT_INDICATED!r} needs one of {', '.join(NOT_INDICATED_REASONS)}"
        raise choice_error(where, data, "not_indicated_reason", reason, NOT_INDICATED_REASONS, need)
    if "secondary" in data:
        raise ValueError(
            f"{at(where, data, 'secondary')}: field 'secondary' is set but the answer is {NOT_INDICATED!r}; "
            "a case where IPT should not start now has no problem areas to rank"
        )
    return reason


def _secondary(data: Mapping[str, Any], area: str, where: str) -> str | None:
    """The reference's secondary area: absent (None), "none", or an area other than the primary."""
    if "secondary" not in data:
        if data.get("secondary_explanation"):
            raise ValueError(
                f"{at(where, data, 'secondary_explanation')}: field 'secondary_explanation' is set but "
                "'secondary' is not; give the secondary area (or 'none')"
            )
        return None
    secondary = normalise_area(data["secondary"])
    choices = [*PROBLEM_AREAS, NO_SECONDARY]
    if not isinstance(secondary, str) or secondary not in choices:
        raise choice_error(where, data, "secondary", data["secondary"], choices)
    if secondary == area:
        raise ValueError(
            f"{at(where, data, 'secondary')}: field 'secondary' is {secondary!r}, the same as the primary area; "
            "a secondary area must differ from it (or be 'none')"
        )
    return secondary


@dataclass(frozen=True)
class Case:
    """A fictional case vignette, with its reference when the file carries one (practice)."""

    id: str
    title: str
    text: str
    reference: ClassificationReference | None = None
    ask_secondary: bool = False
    """True: the widget asks for a secondary area too (a graded file says so with
    ``ask_secondary: true``, since its reference is hidden; a practice case's ``secondary`` implies it)."""


def load_cases(path: str | Path, *, require_answers: bool = False, strict: bool = False) -> ItemSet:
    """Load a case file's ``cases``, keyed by case id, in file order.

    Parameters
    ----------
    path
        A YAML file with a top-level ``cases`` list.
    require_answers
        True for practice files: every case must carry ``answer``, ``explanation`` and
        feedback for every wrong choice. Practice cases come back in the order the notebook
        shows them (:func:`~ipt_widgets.ordering.practice_order`, seeded from the file's name),
        so that a case's position does not give its answer away.
    strict
        True: raise at the first problem. False (what notebooks use): return the cases that
        loaded; the errors are in ``.errors``, and looking up a broken case gives an
        :class:`~ipt_widgets.itemset.Unavailable` that the widget shows as a message.

    Returns
    -------
    ItemSet
        Case id -> :class:`Case`: in file order, or in practice order with ``require_answers``.

    Raises
    ------
    ValueError
        (strict only) Naming the file, the line, the case and the field.
    """
    path = Path(path)
    cases = ItemSet(source=str(path))
    try:
        data = read_case_yaml(path)
        if not isinstance(data, Mapping):
            raise ValueError(f"{path}: field 'cases' must be a non-empty list (the file is not a mapping)")
        check_keys(data, FILE_SECTIONS, str(path), what="section")
        if not isinstance(data.get("cases"), list) or not data["cases"]:
            raise ValueError(f"{at(str(path), data, 'cases')}: field 'cases' must be a non-empty list")
    except ValueError as exc:
        if strict:
            raise
        cases.add_error(str(exc))
        return cases
    for index, raw in enumerate(data["cases"], start=1):
        case_id = raw.get("id") if isinstance(raw, Mapping) else None
        try:
            case = _case(raw, str(path), at(f"{path}: case {index}", data["cases"], index - 1), require_answers)
            if case.id in cases:
                raise ValueError(f"{at(f'{path}: case {case.id!r}', raw, 'id')}: field 'id' is used twice")
            cases[case.id] = case
        except ValueError as exc:
            if strict:
                raise
            cases.add_error(str(exc), case_id if isinstance(case_id, str) else None)
    return _in_practice_order(cases, path.stem) if require_answers else cases


def _answer_key(case: Case) -> tuple[int, int]:
    """Where a case's answer falls in the order the widgets offer the choices."""
    areas, stages = list(PROBLEM_AREAS), list(DISPUTE_STAGES)
    ref = case.reference
    area = areas.index(ref.area) if ref is not None and ref.area in areas else len(areas)
    stage = stages.index(ref.stage) if ref is not None and ref.stage in stages else -1
    return area, stage


def _in_practice_order(cases: ItemSet, seed: str) -> ItemSet:
    order = practice_order({case_id: _answer_key(case) for case_id, case in cases.items()}, seed)
    shuffled = ItemSet(((case_id, cases[case_id]) for case_id in order), source=cases.source, errors=cases.errors)
    shuffled.broken.update(cases.broken)
    return shuffled


def _case(raw: Any, path: str, where: str, require_answers: bool) -> Case:
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where}: expected a mapping")
    case_id = raw.get("id")
    if not isinstance(case_id, str) or not case_id.strip():
        raise ValueError(f"{where}: field 'id' must be a non-empty string")
    where = f"{path}: case {case_id!r}"
    check_keys(raw, CASE_FIELDS, where)
    for key in ("title", "text"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise ValueError(f"{at(where, raw, key)}: field {key!r} must be non-empty text")
    reference = None
    if "answer" in raw:
        answer = raw["answer"]
        if isinstance(answer, str):  # "answer: not_indicated", short for "answer: {area: not_indicated}"
            answer = LineDict({"area": answer}, line=line_of(raw, "answer"), key_lines={"area": line_of(raw, "answer")})
        if isinstance(answer, Mapping):
            check_keys(answer, REFERENCE_FIELDS, f"{where}, field 'answer'")
            # explanation and feedback sit beside 'answer' in a case; each keeps its own line.
            merged = LineDict(answer, line=line_of(answer), key_lines=getattr(answer, "key_lines", {}))
            for key in _BESIDE_ANSWER:
                if key in raw:
                    merged[key] = raw[key]
                    merged.key_lines[key] = line_of(raw, key)
            answer = merged
        reference = ClassificationReference.from_mapping(answer, where)
    elif require_answers:
        raise ValueError(f"{at(where, raw)}: field 'answer' is missing (practice cases need one)")
    if require_answers and reference is not None:
        _check_complete_feedback(reference, where, raw)
    ask = raw.get("ask_secondary", False)
    if not isinstance(ask, bool):
        raise ValueError(f"{at(where, raw, 'ask_secondary')}: field 'ask_secondary' must be true or false, got {ask!r}")
    if reference is not None and ask and reference.secondary is None:
        raise ValueError(
            f"{at(where, raw, 'ask_secondary')}: field 'ask_secondary' is true but the answer has no 'secondary'"
        )
    ask = ask or (reference is not None and reference.secondary is not None)
    return Case(
        id=case_id, title=raw["title"].strip(), text=raw["text"].strip(), reference=reference, ask_secondary=ask
    )


def load_yaml(text: str) -> Any:
    """Parsed YAML whose mappings and lists remember their lines (see :mod:`ipt_widgets.schema`)."""
    return _load_yaml(text)


def read_case_yaml(path: Path) -> Any:
    """Parse a case file, turning every failure into a ValueError that names the file."""
    import yaml

    try:
        return load_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"{path}: case file not found") from None
    except UnicodeDecodeError:
        raise ValueError(f"{path}: is not UTF-8 text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}, line {mark.line + 1}" if mark is not None else str(path)
        problem = " ".join(str(getattr(exc, "problem", None) or exc).split())
        context = " ".join(str(getattr(exc, "context", None) or "").split())
        raise ValueError(f"{where}: is not valid YAML ({problem}{', ' + context if context else ''})") from None


def _check_complete_feedback(ref: ClassificationReference, where: str, raw: Any = None) -> None:
    """Practice cases must explain every wrong choice, not just say 'incorrect'."""
    if not ref.explanation:
        raise ValueError(f"{at(where, raw)}: field 'explanation' is missing")
    missing = [a for a in PROBLEM_AREAS if a != ref.area and a not in ref.distractors]
    if missing:
        place = at(where, raw, "distractors" if raw is not None and "distractors" in raw else None)
        raise ValueError(f"{place}: field 'distractors' has no feedback for {', '.join(missing)}")
    if ref.area == NOT_INDICATED and not ref.reason_explanation:
        raise ValueError(f"{at(where, raw)}: field 'reason_explanation' is missing (the answer is 'not_indicated')")
    if ref.secondary is not None and not ref.secondary_explanation:
        raise ValueError(f"{at(where, raw)}: field 'secondary_explanation' is missing (the case has a 'secondary')")
    if ref.area == ROLE_DISPUTE:
        missing = [s for s in DISPUTE_STAGES if s != ref.stage and s not in ref.stage_feedback]
        if missing:
            place = at(where, raw, "stage_feedback" if raw is not None and "stage_feedback" in raw else None)
            raise ValueError(f"{place}: field 'stage_feedback' has no feedback for {', '.join(missing)}")


def _text_map(data: Mapping[str, Any], name: str, where: str, allowed: Mapping[str, Any]) -> dict[str, str]:
    value = data.get(name, {})
    if not isinstance(value, Mapping):
        raise ValueError(f"{at(where, data, name)}: field {name!r} must be a mapping of choice -> feedback text")
    out = {}
    for key, text in value.items():
        choice = normalise_area(key) if allowed is CLASSIFIER_CHOICES else key
        if not isinstance(choice, str) or choice not in allowed:
            raise ValueError(
                f"{at(where, value, key)}: field {name!r} has an unknown key {key!r}; expected one of "
                f"{', '.join(allowed)}{suggestion(key, allowed)}"
            )
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"{at(where, value, key)}: field {name!r}: entry {key!r} must be non-empty text")
        out[choice] = " ".join(text.split())
    return out


def _optional_text(data: Mapping[str, Any], key: str, where: str) -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{at(where, data, key)}: field {key!r} must be text, got {type(value).__name__}")
    return " ".join(value.split())
