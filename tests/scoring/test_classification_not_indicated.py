"""The fifth choice, "Not IPT now: refer or treat first", and its reason."""

import pytest
from ipt_widgets.cases import ClassificationReference, load_cases
from ipt_widgets.feedback import classification_card
from ipt_widgets.scoring import ClassificationAnswer, parse_classification, score_classification
from ipt_widgets.scoring.classification import REASON_SHARE
from ipt_widgets.vocab import AREA_PITFALLS, NOT_INDICATED_REASONS


@pytest.fixture
def bipolar() -> ClassificationReference:
    return ClassificationReference.from_mapping(
        {
            "area": "not_indicated",
            "not_indicated_reason": "bipolar",
            "explanation": "A past week of no sleep, spending and racing speech was mania.",
            "reason_explanation": "Bipolar depression needs mood-stabilising treatment first.",
            "distractors": {"role_transition": "The new job matters, but the manic history comes first."},
        },
        "test reference",
    )


@pytest.fixture
def can_proceed() -> ClassificationReference:
    return ClassificationReference.from_mapping(
        {
            "area": "grief",
            "explanation": "Her mood fell after her mother's death.",
            "distractors": {"not_indicated": "Her drinking stopped five years ago with treatment; IPT can go ahead."},
        },
        "test reference",
    )


def test_right_answer_and_reason_score_full(bipolar):
    score = score_classification(ClassificationAnswer("not_indicated", not_indicated_reason="bipolar"), bipolar, 2)
    assert (score.points, score.verdict, score.area_correct, score.reason_correct) == (2.0, "correct", True, True)
    assert score.feedback[0].startswith("Right: IPT is not the treatment to start now. A past week")
    assert "Bipolar history is the reason. Bipolar depression needs" in score.feedback[1]


@pytest.mark.parametrize(("reason", "says"), [("psychosis", "psychotic features"), (None, "did not say why")])
def test_right_answer_wrong_or_missing_reason_scores_partial(bipolar, reason, says):
    score = score_classification(ClassificationAnswer("not_indicated", not_indicated_reason=reason), bipolar, 2)
    assert (score.points, score.verdict, score.reason_correct) == (2 * REASON_SHARE, "partial", False)
    assert says in score.feedback[1] and "the reason here is bipolar history" in score.feedback[1]


def test_a_problem_area_for_a_not_indicated_case_scores_zero_and_says_what_calls_for_referral(bipolar):
    score = score_classification(ClassificationAnswer("role_transition"), bipolar, 2)
    assert (score.points, score.verdict) == (0.0, "incorrect")
    assert "the manic history comes first" in score.feedback[0]
    score = score_classification(ClassificationAnswer("grief"), bipolar, 2)  # no case feedback for grief
    assert score.points == 0.0
    assert "IPT is not the treatment to start now (bipolar history)" in score.feedback[0]
    assert "mood-stabilising treatment first" in score.feedback[0]


def test_not_indicated_for_a_case_where_ipt_can_proceed_scores_zero_and_explains(can_proceed):
    score = score_classification(
        ClassificationAnswer("not_indicated", not_indicated_reason="substance"), can_proceed, 2
    )
    assert (score.points, score.verdict) == (0.0, "incorrect")
    assert score.feedback[0] == (
        "You chose Not IPT now: refer or treat first. Her drinking stopped five years ago with treatment; "
        "IPT can go ahead."
    )


def test_without_case_feedback_the_generic_text_says_ipt_can_proceed_and_what_runs_alongside():
    ref = ClassificationReference.from_mapping({"area": "grief"}, "ref")
    score = score_classification(ClassificationAnswer("not_indicated", not_indicated_reason="other"), ref, 1)
    assert score.points == 0.0 and AREA_PITFALLS["not_indicated"] in score.feedback[0]
    assert "safety plan" in AREA_PITFALLS["not_indicated"]


def test_not_indicated_against_a_mixed_presentation_loses_the_primary_share():
    ref = ClassificationReference.from_mapping(
        {"area": "grief", "secondary": "role_dispute", "secondary_explanation": "S."}, "ref"
    )
    score = score_classification(ClassificationAnswer("not_indicated", secondary="role_dispute"), ref, 2)
    assert score.points == pytest.approx(0.6)


def test_old_answers_keep_their_form_and_the_reason_is_saved_only_when_given():
    assert ClassificationAnswer("grief").to_json() == {"area": "grief", "stage": None, "rationale": ""}
    answer = ClassificationAnswer("not_indicated", not_indicated_reason="acute_risk")
    assert answer.to_json()["not_indicated_reason"] == "acute_risk"
    parsed, problem = parse_classification(answer.to_json())
    assert problem is None and parsed == answer


def test_parse_rejects_an_unknown_reason():
    answer, problem = parse_classification({"area": "not_indicated", "not_indicated_reason": "mania"})
    assert answer is None and "the saved reason 'mania'" in problem


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"area": "not_indicated"}, "not_indicated_reason", "needs one of bipolar, psychosis"),
        ({"area": "not_indicated", "not_indicated_reason": "bipolor"}, "not_indicated_reason", "'bipolar'"),
        ({"area": "grief", "not_indicated_reason": "bipolar"}, "not_indicated_reason", "only an answer of"),
        (
            {"area": "not_indicated", "not_indicated_reason": "psychosis", "secondary": "grief"},
            "secondary",
            "no problem areas to rank",
        ),
        ({"area": "not_indicated", "not_indicated_reason": "other", "stage": "impasse"}, "stage", "only a role"),
    ],
)
def test_bad_references_name_the_field(data, field, message):
    with pytest.raises(ValueError, match=f"field '{field}'") as info:
        ClassificationReference.from_mapping(data, "cases.yaml: case 'x'")
    assert message in str(info.value) and "cases.yaml: case 'x'" in str(info.value)


def test_the_card_names_the_reason(bipolar):
    answer = ClassificationAnswer("not_indicated", not_indicated_reason="bipolar")
    html = classification_card("Case", score_classification(answer, bipolar, 2), answer, bipolar)
    assert "Not IPT now: refer or treat first (reason: bipolar history), as you chose." in html


def test_a_practice_file_accepts_the_short_answer_and_needs_the_reason_explained(tmp_path):
    distractors = "  distractors: {grief: a, role_dispute: b, role_transition: c, interpersonal_deficits: d}\n"
    path = tmp_path / "cases.yaml"
    head = "cases:\n- id: n1\n  title: T\n  text: A fictional case.\n  answer: not_indicated\n"
    path.write_text(
        head + "  not_indicated_reason: substance\n  explanation: E.\n  reason_explanation: R.\n" + distractors,
        encoding="utf-8",
    )
    case = load_cases(path, require_answers=True, strict=True)["n1"]
    assert (case.reference.area, case.reference.not_indicated_reason) == ("not_indicated", "substance")
    path.write_text(head + "  not_indicated_reason: substance\n  explanation: E.\n" + distractors, encoding="utf-8")
    with pytest.raises(ValueError, match="case 'n1', line 2: field 'reason_explanation' is missing"):
        load_cases(path, require_answers=True, strict=True)


def test_every_reason_has_a_label_and_a_gloss():
    assert list(NOT_INDICATED_REASONS) == ["bipolar", "psychosis", "substance", "acute_risk", "other"]
    assert all(t.label and t.gloss for t in NOT_INDICATED_REASONS.values())


def _course_references():
    from tests.conftest import REPO
    from tests.nbgrader.conftest import ASSIGNMENTS, answer_key

    for path in sorted((REPO / "course" / "cases").glob("*.yaml")):
        if "\ncases:" in "\n" + path.read_text(encoding="utf-8"):
            for case in load_cases(path, require_answers=True, strict=True).values():
                yield case.reference
    for assignment in ASSIGNMENTS:
        for item, entry in answer_key(assignment).items():
            if entry["kind"] == "classification":
                yield ClassificationReference.from_mapping(entry["reference"], item)


def test_every_course_case_without_the_new_fields_scores_by_the_old_rules():
    """Old cases score as before for every answer a trainee can give; "Not IPT now" earns 0."""
    stages = [None, "renegotiation", "impasse", "dissolution"]
    old = [r for r in _course_references() if r.secondary is None and r.area != "not_indicated"]
    assert len(old) >= 80  # every keyed classification the course had before issue 14
    for ref in old:
        for area in ["grief", "role_dispute", "role_transition", "interpersonal_deficits", "not_indicated"]:
            for stage in stages if area == "role_dispute" else [None]:
                got = score_classification(ClassificationAnswer(area, stage), ref, 2).points
                if area != ref.area:
                    want = 0.0
                elif area != "role_dispute" or stage == ref.stage:
                    want = 2.0
                else:
                    want = 1.0
                assert got == want, (ref.area, ref.stage, area, stage)


def test_an_explanation_that_already_says_so_is_not_repeated():
    ref = ClassificationReference.from_mapping(
        {"area": "not_indicated", "not_indicated_reason": "psychosis", "explanation": "IPT should not start now. X."},
        "ref",
    )
    line = score_classification(ClassificationAnswer("not_indicated"), ref, 2).feedback[0]
    assert line == "Right: IPT should not start now. X."
