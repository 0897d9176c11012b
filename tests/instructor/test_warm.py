"""The grader fills the embedding cache that sandboxed kernels may only read."""

from __future__ import annotations

from ipt_widgets.formulations import parse_reference
from ipt_widgets.instructor.warm import draft_references, warm_embedding_cache

from tests.conftest import REPO


def test_references_are_read_from_hidden_tests_without_running_them():
    refs = draft_references(REPO / "solutions" / "m01_problem_areas" / "m01_problem_areas.ipynb")
    assert [parse_reference(text, "m01").id for text in refs] == ["ft_m01_formulation", "ft_m01_interventions"]


def test_scenario_keys_are_read_from_hidden_tests_too():
    from ipt_widgets.scenario_release import parse_key

    refs = draft_references(REPO / "solutions" / "m07_techniques" / "m07_techniques.ipynb", "grade_scenario")
    assert [parse_key(text, "m07")[0].id for text in refs] == ["s07_risk_cue_karelia"]


def test_warming_writes_one_cache_file_per_reference(tmp_path, monkeypatch):
    monkeypatch.setenv("IPT_EMBEDDING_CACHE", str(tmp_path))
    # m01's two free-text references, and m04's graded scenario (the line coder's exemplars)
    assert warm_embedding_cache(REPO, ["m01_problem_areas", "m04_role_disputes"]) == 3
    assert len(list(tmp_path.glob("*.npy"))) >= 3
    monkeypatch.setenv("IPT_EMBEDDING_CACHE", "off")
    assert warm_embedding_cache(REPO, ["m01_problem_areas"]) == 0
