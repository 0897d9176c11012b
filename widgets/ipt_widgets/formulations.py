"""Expert reference formulations for free-text items: the format, its checks, and loading.

A reference is one case and one task ("formulation": what the therapist would say to the
patient; "interventions": the plan for the next sessions), with the problem area, the dispute
stage where it applies, the expert's own answer, and rubric elements. Each element says in one
sentence what a good answer does and gives two or three exemplars: ways an expert might write it.
The scorer compares the trainee's sentences with the exemplars by meaning, so instructors write
exemplars, not keyword lists (``keywords`` is an optional extra).

The authoring guide is docs/authoring/free_text_references.md. Every error names the file, the
reference and the field, because an instructor fixing a reference has only that message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .vocab import DISPUTE_STAGES, PROBLEM_AREAS, ROLE_DISPUTE

TASKS = ("formulation", "interventions")
# Plural spellings are common in the literature ("role disputes"); accept them as the same area.
AREA_ALIASES = {
    "role_disputes": ROLE_DISPUTE,
    "role_transitions": "role_transition",
    "interpersonal_deficit": "interpersonal_deficits",
}
_ID = re.compile(r"^[a-z0-9][a-z0-9_]*$")
MAX_POINTS_PER_ELEMENT = 5


@dataclass(frozen=True)
class RubricElement:
    id: str
    points: float
    description: str
    exemplars: tuple[str, ...]
    keywords: tuple[str, ...] = ()
    safety: bool = False

    @property
    def is_safety(self) -> bool:
        """A safety element: marked ``safety: true``, or recognised from its description (it asks
        about suicidal thoughts, self-harm, a safety plan or risk). It earns credit only from a
        positive safety action."""
        return self.safety or bool(_SAFETY_DESCRIPTION.search(self.description))


_SAFETY_DESCRIPTION = re.compile(
    r"suicid|self-harm|harm(?:ing)? (?:him|her|them)self|safety plan|\bsafety\b|not (?:to )?wak|waking up|"
    r"\brisk\b|crisis",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FormulationReference:
    id: str
    task: str
    title: str
    vignette: str
    prompt: str
    problem_area: str
    dispute_stage: str | None
    expert_formulation: str
    elements: tuple[RubricElement, ...]

    @property
    def max_points(self) -> float:
        return float(sum(e.points for e in self.elements))

    @classmethod
    def from_mapping(cls, data: Any, where: str) -> FormulationReference:
        """Check one reference; ``where`` names the file (and position) for error messages."""
        if not isinstance(data, Mapping):
            raise ValueError(f"{where}: a reference must be a mapping, got {type(data).__name__}")
        ref_id = data.get("id")
        if not isinstance(ref_id, str) or not _ID.match(ref_id):
            raise ValueError(f"{where}: field 'id' must be lowercase letters, digits and underscores, got {ref_id!r}")
        where = f"{where}, reference {ref_id!r}"
        _reject_unknown(data, _REFERENCE_FIELDS, where)
        task = data.get("task")
        if task not in TASKS:
            raise ValueError(f"{where}: field 'task' must be one of {', '.join(TASKS)}, got {task!r}")
        area = data.get("problem_area")
        area = AREA_ALIASES.get(area, area) if isinstance(area, str) else area
        if not isinstance(area, str) or area not in PROBLEM_AREAS:
            raise ValueError(f"{where}: field 'problem_area' must be one of {', '.join(PROBLEM_AREAS)}, got {area!r}")
        stage = data.get("dispute_stage")
        if area == ROLE_DISPUTE:
            if not isinstance(stage, str) or stage not in DISPUTE_STAGES:
                raise ValueError(
                    f"{where}: field 'dispute_stage' must be one of {', '.join(DISPUTE_STAGES)} for a role dispute, "
                    f"got {stage!r}"
                )
        elif stage is not None:
            raise ValueError(f"{where}: field 'dispute_stage' applies only to role_disputes (problem_area is {area})")
        raw_elements = data.get("elements")
        if not isinstance(raw_elements, list) or not raw_elements:
            raise ValueError(f"{where}: field 'elements' must be a non-empty list")
        elements = []
        seen = set()
        for n, raw in enumerate(raw_elements, 1):
            element = _element(raw, f"{where}, elements[{n}]")
            if element.id in seen:
                raise ValueError(f"{where}, elements[{n}]: duplicate element id {element.id!r}")
            seen.add(element.id)
            elements.append(element)
        return cls(
            id=ref_id,
            task=task,
            title=_text(data, "title", where),
            vignette=_text(data, "vignette", where),
            prompt=_text(data, "prompt", where),
            problem_area=area,
            dispute_stage=stage if area == ROLE_DISPUTE else None,
            expert_formulation=_text(data, "expert_formulation", where),
            elements=tuple(elements),
        )


_REFERENCE_FIELDS = ("id", "task", "title", "vignette", "prompt", "problem_area", "dispute_stage")
_REFERENCE_FIELDS += ("expert_formulation", "elements")


def _reject_unknown(data: Mapping[str, Any], allowed, where: str) -> None:
    """A misspelt field would otherwise be ignored silently (e.g. 'exemplar' for 'exemplars')."""
    from .schema import check_keys  # names the line and the closest known field

    check_keys(data, allowed, where)


def _text(data: Mapping[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: field {key!r} must be non-empty text")
    return " ".join(value.split())


def _element(raw: Any, where: str) -> RubricElement:
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where}: an element must be a mapping, got {type(raw).__name__}")
    element_id = raw.get("id")
    if not isinstance(element_id, str) or not _ID.match(element_id):
        raise ValueError(f"{where}: field 'id' must be lowercase letters, digits and underscores, got {element_id!r}")
    where = f"{where} ({element_id})"
    _reject_unknown(raw, ("id", "points", "description", "exemplars", "keywords", "safety"), where)
    safety = raw.get("safety", False)
    if not isinstance(safety, bool):
        raise ValueError(f"{where}: field 'safety' must be true or false, got {safety!r}")
    points = raw.get("points")
    if isinstance(points, bool) or not isinstance(points, (int, float)) or not 0 < points <= MAX_POINTS_PER_ELEMENT:
        raise ValueError(f"{where}: field 'points' must be a number above 0 and at most {MAX_POINTS_PER_ELEMENT}")
    exemplars = raw.get("exemplars")
    if not isinstance(exemplars, list) or not 2 <= len(exemplars) <= 5:
        raise ValueError(f"{where}: field 'exemplars' must be a list of 2 to 5 sentences")
    for n, text in enumerate(exemplars, 1):
        if not isinstance(text, str) or len(text.split()) < 3:
            raise ValueError(f"{where}: exemplars[{n}] must be a sentence of at least three words")
    keywords = raw.get("keywords") or []
    if not isinstance(keywords, list) or not all(isinstance(k, str) and k.strip() for k in keywords):
        raise ValueError(f"{where}: field 'keywords' must be a list of words or phrases")
    return RubricElement(
        id=element_id,
        points=float(points),
        description=_text(raw, "description", where),
        exemplars=tuple(" ".join(t.split()) for t in exemplars),
        keywords=tuple(k.strip().lower() for k in keywords),
        safety=safety,
    )


def references_from_data(data: Any, where: str) -> dict[str, FormulationReference]:
    """References from parsed YAML: a mapping with a ``references`` list."""
    if not isinstance(data, Mapping) or not isinstance(data.get("references"), list):
        raise ValueError(f"{where}: expected a mapping with a 'references' list")
    refs: dict[str, FormulationReference] = {}
    for n, raw in enumerate(data["references"], 1):
        ref = FormulationReference.from_mapping(raw, f"{where}, references[{n}]")
        if ref.id in refs:
            raise ValueError(f"{where}, references[{n}]: duplicate reference id {ref.id!r}")
        refs[ref.id] = ref
    return refs


def load_references(path: str | Path) -> dict[str, FormulationReference]:
    """Read and check a reference file; every problem is a ValueError naming the file."""
    from .cases import read_case_yaml

    path = Path(path)
    return references_from_data(read_case_yaml(path), str(path))


def parse_reference(text: str, where: str = "reference") -> FormulationReference:
    """One reference from YAML text (how a hidden test cell carries its key)."""
    import yaml

    from .cases import load_yaml

    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        raise ValueError(f"{where}: is not valid YAML ({exc})") from None
    return FormulationReference.from_mapping(data, where)


@dataclass(frozen=True)
class DraftTask:
    """What a trainee sees for a free-text item; ``reference`` only where the file has the answer
    (practice files do, released graded files do not)."""

    id: str
    task: str
    title: str
    vignette: str
    prompt: str
    reference: FormulationReference | None = None


_ANSWER_FIELDS = ("problem_area", "dispute_stage", "expert_formulation", "elements")


def load_draft_tasks(path: str | Path) -> dict[str, DraftTask]:
    """Free-text items from a file: full references (practice) or just the case and prompt (graded)."""
    from .cases import read_case_yaml

    path = Path(path)
    data = read_case_yaml(path)
    if not isinstance(data, Mapping) or not isinstance(data.get("references"), list):
        raise ValueError(f"{path}: expected a mapping with a 'references' list")
    tasks: dict[str, DraftTask] = {}
    for n, raw in enumerate(data["references"], 1):
        where = f"{path}, references[{n}]"
        if isinstance(raw, Mapping) and any(k in raw for k in _ANSWER_FIELDS):
            ref = FormulationReference.from_mapping(raw, where)
            task = DraftTask(ref.id, ref.task, ref.title, ref.vignette, ref.prompt, ref)
        else:
            if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str) or not _ID.match(raw["id"]):
                raise ValueError(f"{where}: field 'id' must be lowercase letters, digits and underscores")
            where = f"{where}, reference {raw['id']!r}"
            if raw.get("task") not in TASKS:
                raise ValueError(f"{where}: field 'task' must be one of {', '.join(TASKS)}")
            task = DraftTask(
                raw["id"],
                raw["task"],
                _text(raw, "title", where),
                _text(raw, "vignette", where),
                _text(raw, "prompt", where),
            )
        if task.id in tasks:
            raise ValueError(f"{where}: duplicate reference id {task.id!r}")
        tasks[task.id] = task
    return tasks
