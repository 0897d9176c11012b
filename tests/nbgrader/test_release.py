"""exercises/ is exactly what nbgrader generates from solutions/, and leaks nothing."""

import filecmp

import pytest
import yaml

from tests.conftest import REPO
from tests.nbgrader.conftest import ASSIGNMENTS, answer_key

pytestmark = pytest.mark.slow


def tree(root):
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_regenerated_exercises_match_the_committed_ones(released_course, assignment):
    fresh, committed = released_course / "exercises" / assignment, REPO / "exercises" / assignment
    assert tree(fresh) == tree(committed), "run `make exercises` and commit the result"
    different = [str(p) for p in tree(fresh) if not filecmp.cmp(fresh / p, committed / p, shallow=False)]
    assert different == [], "run `make exercises` and commit the result"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_exercises_hold_no_solution_hidden_test_or_reference(assignment):
    text = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "exercises" / assignment).rglob("*") if p.is_file())
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "grade_classification(", ".answer(", "reference="):
        assert marker not in text, marker
    for item, entry in answer_key(assignment).items():
        reference = entry["reference"]
        if entry["kind"] == "draft":  # YAML text; the case and prompt are public, the rest is the key
            reference = {k: v for k, v in yaml.safe_load(reference).items() if k not in PUBLIC_DRAFT_FIELDS}
        if entry["kind"] == "scenario":  # YAML text; the play parts are released, the rest is the key
            from tests.scenario_helpers import scenario_secrets

            reference = scenario_secrets(reference)
        for sentence in prose(reference):
            assert sentence[:60] not in text, f"{item}: reference text leaked: {sentence[:60]!r}"
        if entry["kind"] == "classification":  # a scenario's own area (the released play file) is no key
            area = entry["reference"]["area"]
            cases = "\n".join(
                p.read_text(encoding="utf-8")
                for p in (REPO / "exercises" / assignment).rglob("*")
                if p.is_file() and p.name != "scenarios.yaml"
            )
            assert f'"area": "{area}"' not in cases and f"area: {area}" not in cases


PUBLIC_DRAFT_FIELDS = ("id", "task", "title", "vignette", "prompt")


def prose(value):
    """Every explanatory string (30+ characters) anywhere in a reference."""
    if isinstance(value, str):
        return [value] if len(value) >= 30 else []
    if isinstance(value, dict):
        return [s for v in value.values() for s in prose(v)]
    if isinstance(value, list):
        return [s for v in value for s in prose(v)]
    return []
