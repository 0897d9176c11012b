"""Orderings that must hold on every development case (issue: validity of free-text scoring).

These are not agreement targets (the benchmark prints those); they are the rules a supervisor
would never accept being broken: off-model or keyword-stuffed drafts never outrank a strong
one, and a strong answer in plain clinical language earns most of the credit.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from ipt_widgets.scoring.free_text import score_draft

from tests.free_text.labelled import load_labelled

DEV = Path(__file__).with_name("dev_set.yaml")
OFF_MODEL_KINDS = ("cbt", "psychodynamic", "generic_advice", "keyword_stuffed")


@pytest.fixture(scope="module")
def scored():
    refs, drafts = load_labelled(DEV)
    by_case = defaultdict(dict)
    for d in drafts:
        score = score_draft(d["text"], refs[d["reference"]])
        by_case[d["reference"]][d["kind"]] = (score.points / score.max_points, score, d)
    return by_case


def cases():
    refs, _ = load_labelled(DEV)
    return sorted(refs)


@pytest.mark.parametrize("case", cases())
def test_no_off_model_or_stuffed_draft_outranks_a_strong_one(scored, case):
    kinds = scored[case]
    weakest_strong = min(kinds["strong_ipt"][0], kinds["strong_plain"][0])
    for kind in OFF_MODEL_KINDS + ("wrong_area",):
        assert kinds[kind][0] < weakest_strong, f"{case}: {kind} scored {kinds[kind][0]:.2f} >= {weakest_strong:.2f}"


@pytest.mark.parametrize("case", cases())
def test_plain_language_strong_drafts_earn_most_of_the_credit(scored, case):
    # "Most": well over half, and never below the jargon-free draft's weaker neighbours.
    plain = scored[case]["strong_plain"][0]
    assert plain >= 0.6
    assert plain > max(scored[case][k][0] for k in ("thin", "wrong_area", *OFF_MODEL_KINDS))


@pytest.mark.parametrize("case", cases())
def test_keyword_stuffing_earns_little(scored, case):
    fraction, score, _ = scored[case]["keyword_stuffed"]
    assert fraction <= 0.25
    assert score.specificity < 0.6  # and the card says it could be about any patient
    assert any("any patient" in line for line in score.feedback)


@pytest.mark.parametrize("case", cases())
def test_off_model_drafts_are_explained(scored, case):
    expected = {"cbt": "cbt", "psychodynamic": "psychodynamic", "generic_advice": "advice"}
    for kind, finding in expected.items():
        _, score, _ = scored[case][kind]
        assert finding in {f.kind for f in score.off_model}, f"{case}: {kind} not recognised"
        assert any(line.startswith("Off-model") for line in score.feedback)


@pytest.mark.parametrize("case", cases())
def test_wrong_area_drafts_are_recognised_and_capped(scored, case):
    fraction, score, _ = scored[case]["wrong_area"]
    assert score.wrong_area is not None
    assert fraction <= 0.3
    assert any("problem area decides the whole plan" in line for line in score.feedback)


@pytest.mark.parametrize("case", cases())
def test_strong_drafts_are_not_flagged(scored, case):
    for kind in ("strong_ipt", "strong_plain"):
        _, score, _ = scored[case][kind]
        assert score.wrong_area is None, f"{case}: {kind} wrongly flagged as {score.wrong_area}"
        assert not score.off_model, f"{case}: {kind} flagged off-model: {score.off_model}"
