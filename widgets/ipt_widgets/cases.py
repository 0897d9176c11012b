"""Case vignettes and classification references: loading and validation.

Two kinds of file hold cases (YAML, because instructors write them by hand):

* practice case files (``course/cases/*.yaml``): vignette, answer and per-choice feedback,
  all visible to the trainee, since practice is formative;
* graded case files (``solutions/<id>/cases.yaml``, released as is): vignette text only.
  The reference answer of a graded case lives only in its hidden test cell.

A bad file is rejected with a ``ValueError`` naming the file, the case and the field, so an
author can fix it without reading this code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .vocab import DISPUTE_STAGES, PROBLEM_AREAS, ROLE_DISPUTE


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
    """

    area: str
    stage: str | None = None
    explanation: str = ""
    stage_explanation: str = ""
    distractors: Mapping[str, str] = field(default_factory=dict)
    stage_feedback: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, data: Any, where: str) -> ClassificationReference:
        """Build and validate a reference; ``where`` names the source in error messages."""
        if not isinstance(data, Mapping):
            raise ValueError(f"{where}: expected a mapping with at least 'area', got {type(data).__name__}")
        area = data.get("area")
        if not isinstance(area, str) or area not in PROBLEM_AREAS:
            raise ValueError(f"{where}: field 'area' is {area!r}; expected one of {', '.join(PROBLEM_AREAS)}")
        stage = data.get("stage")
        if area == ROLE_DISPUTE:
            if not isinstance(stage, str) or stage not in DISPUTE_STAGES:
                raise ValueError(
                    f"{where}: field 'stage' is {stage!r}; a role dispute needs one of {', '.join(DISPUTE_STAGES)}"
                )
        elif stage is not None:
            raise ValueError(f"{where}: field 'stage' is set ({stage!r}) but only a role dispute has a stage")
        distractors = _text_map(data.get("distractors", {}), f"{where}: field 'distractors'", PROBLEM_AREAS)
        if area in distractors:
            raise ValueError(f"{where}: field 'distractors' has an entry for the right answer {area!r}")
        stage_feedback = _text_map(data.get("stage_feedback", {}), f"{where}: field 'stage_feedback'", DISPUTE_STAGES)
        if stage in stage_feedback:
            raise ValueError(f"{where}: field 'stage_feedback' has an entry for the right stage {stage!r}")
        return cls(
            area=area,
            stage=stage,
            explanation=_optional_text(data, "explanation", where),
            stage_explanation=_optional_text(data, "stage_explanation", where),
            distractors=distractors,
            stage_feedback=stage_feedback,
        )


@dataclass(frozen=True)
class Case:
    """A fictional case vignette, with its reference when the file carries one (practice)."""

    id: str
    title: str
    text: str
    reference: ClassificationReference | None = None


def load_cases(path: str | Path, *, require_answers: bool = False) -> dict[str, Case]:
    """Load a case file, keyed by case id, in file order.

    Parameters
    ----------
    path
        A YAML file with a top-level ``cases`` list.
    require_answers
        True for practice files: every case must carry ``answer``, ``explanation`` and
        feedback for every wrong choice.

    Raises
    ------
    ValueError
        Naming the file, the case and the field, for any problem.
    """
    path = Path(path)
    data = read_case_yaml(path)
    if not isinstance(data, Mapping) or not isinstance(data.get("cases"), list) or not data["cases"]:
        raise ValueError(f"{path}: field 'cases' must be a non-empty list")
    cases: dict[str, Case] = {}
    for index, raw in enumerate(data["cases"], start=1):
        where = f"{path}: case {index}"
        if not isinstance(raw, Mapping):
            raise ValueError(f"{where}: expected a mapping")
        case_id = raw.get("id")
        if not isinstance(case_id, str) or not case_id.strip():
            raise ValueError(f"{where}: field 'id' must be a non-empty string")
        where = f"{path}: case {case_id!r}"
        if case_id in cases:
            raise ValueError(f"{where}: field 'id' is used twice")
        for key in ("title", "text"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise ValueError(f"{where}: field {key!r} must be non-empty text")
        reference = None
        if "answer" in raw:
            answer = dict(raw["answer"]) if isinstance(raw["answer"], Mapping) else raw["answer"]
            if isinstance(answer, dict):
                for key in ("explanation", "stage_explanation", "distractors", "stage_feedback"):
                    if key in raw:
                        answer[key] = raw[key]
            reference = ClassificationReference.from_mapping(answer, f"{where}, field 'answer'")
        elif require_answers:
            raise ValueError(f"{where}: field 'answer' is missing (practice cases need one)")
        if require_answers and reference is not None:
            _check_complete_feedback(reference, where)
        cases[case_id] = Case(id=case_id, title=raw["title"].strip(), text=raw["text"].strip(), reference=reference)
    return cases


def load_yaml(text: str) -> Any:
    """``yaml.safe_load``, through libyaml's C parser when PyYAML has it: every graded notebook
    parses its case file in a fresh kernel, and the pure-Python parser is ten times slower."""
    import yaml  # imported here: only notebooks that show cases pay for it

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


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
        raise ValueError(f"{path}: is not valid YAML ({exc})") from None


def _check_complete_feedback(ref: ClassificationReference, where: str) -> None:
    """Practice cases must explain every wrong choice, not just say 'incorrect'."""
    if not ref.explanation:
        raise ValueError(f"{where}: field 'explanation' is missing")
    missing = [a for a in PROBLEM_AREAS if a != ref.area and a not in ref.distractors]
    if missing:
        raise ValueError(f"{where}: field 'distractors' has no feedback for {', '.join(missing)}")
    if ref.area == ROLE_DISPUTE:
        missing = [s for s in DISPUTE_STAGES if s != ref.stage and s not in ref.stage_feedback]
        if missing:
            raise ValueError(f"{where}: field 'stage_feedback' has no feedback for {', '.join(missing)}")


def _text_map(value: Any, where: str, allowed: Mapping[str, Any]) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise ValueError(f"{where}: expected a mapping of choice -> feedback text")
    out = {}
    for key, text in value.items():
        if not isinstance(key, str) or key not in allowed:
            raise ValueError(f"{where}: unknown key {key!r}; expected one of {', '.join(allowed)}")
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"{where}: entry {key!r} must be non-empty text")
        out[key] = " ".join(text.split())
    return out


def _optional_text(data: Mapping[str, Any], key: str, where: str) -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{where}: field {key!r} must be text")
    return " ".join(value.split())
