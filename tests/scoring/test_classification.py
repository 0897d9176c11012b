"""Partial-credit rules of problem-area classification (see scoring/classification.py)."""

import pytest
from ipt_widgets.cases import ClassificationReference
from ipt_widgets.scoring import (
    AREA_SHARE_OF_DISPUTE,
    ClassificationAnswer,
    parse_classification,
    score_classification,
)


def test_right_area_and_stage_scores_full(dispute_reference):
    score = score_classification(ClassificationAnswer("role_dispute", "impasse"), dispute_reference, 2)
    assert (score.points, score.verdict, score.stage_correct) == (2.0, "correct", True)
    assert any("silent resentment" in line for line in score.feedback)


def test_right_area_wrong_stage_scores_half_and_explains_the_stage(dispute_reference):
    score = score_classification(ClassificationAnswer("role_dispute", "renegotiation"), dispute_reference, 2)
    assert score.points == 2 * AREA_SHARE_OF_DISPUTE == 1.0
    assert score.verdict == "partial"
    assert any("no longer negotiating" in line for line in score.feedback)


def test_right_area_missing_stage_scores_half(dispute_reference):
    score = score_classification(ClassificationAnswer("role_dispute", None), dispute_reference, 3)
    assert score.points == 1.5
    assert any("did not choose the stage" in line for line in score.feedback)


def test_wrong_stage_without_case_feedback_falls_back_to_the_stage_gloss(dispute_reference):
    score = score_classification(ClassificationAnswer("role_dispute", "dissolution"), dispute_reference, 1)
    assert any("ending or irretrievably broken" in line for line in score.feedback)


def test_wrong_area_scores_zero_with_case_specific_feedback(dispute_reference):
    score = score_classification(ClassificationAnswer("grief"), dispute_reference, 2)
    assert (score.points, score.verdict) == (0.0, "incorrect")
    assert "Nobody has died" in score.feedback[0]


def test_wrong_area_without_case_feedback_uses_the_generic_pitfall(dispute_reference):
    score = score_classification(ClassificationAnswer("interpersonal_deficits"), dispute_reference, 2)
    assert "only when none of the other three areas fits" in score.feedback[0]


def test_non_dispute_area_needs_no_stage_and_ignores_one():
    ref = ClassificationReference.from_mapping({"area": "role_transition"}, "t")
    assert score_classification(ClassificationAnswer("role_transition"), ref, 2).points == 2.0
    assert score_classification(ClassificationAnswer("role_transition", "impasse"), ref, 2).points == 2.0


@pytest.mark.parametrize("answer", [None, ClassificationAnswer(None, "impasse", "text")])
def test_no_area_is_unanswered(answer, dispute_reference):
    score = score_classification(answer, dispute_reference, 2)
    assert (score.points, score.verdict) == (0.0, "unanswered")


def test_max_points_must_be_positive(dispute_reference):
    with pytest.raises(ValueError, match="max_points"):
        score_classification(ClassificationAnswer("grief"), dispute_reference, 0)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("grief", "is a str"),
        ([1, 2], "is a list"),
        ({"area": "adjustment_difficulties"}, "not one of the four"),
        ({"area": "role_dispute", "stage": "cold war"}, "not an IPT dispute stage"),
    ],
)
def test_parse_rejects_tampered_values_with_a_reason(value, problem):
    answer, message = parse_classification(value)
    assert answer is None and problem in message


def test_parse_tolerates_odd_rationale_and_truncates_long_text():
    answer, _ = parse_classification({"area": "grief", "rationale": 42})
    assert answer.rationale == ""
    answer, _ = parse_classification({"area": "grief", "rationale": "x" * 50_000})
    assert len(answer.rationale) == 5_000


def test_parse_of_nothing_is_no_answer_and_no_problem():
    assert parse_classification(None) == (None, None)


def test_the_area_is_confirmed_once():
    from ipt_widgets.cases import ClassificationReference
    from ipt_widgets.scoring.classification import ClassificationAnswer, score_classification

    says_it = ClassificationReference.from_mapping(
        {"area": "role_dispute", "stage": "impasse", "explanation": "The primary area is a role dispute. They fight."},
        "ref",
    )
    line = score_classification(ClassificationAnswer("role_dispute", "impasse", ""), says_it, 2).feedback[0]
    assert line == "The primary area is a role dispute. They fight."
    plain = ClassificationReference.from_mapping({"area": "grief", "explanation": "Her husband died."}, "ref")
    line = score_classification(ClassificationAnswer("grief", None, ""), plain, 2).feedback[0]
    assert line == "Grief is the primary area. Her husband died."
