"""Mixed presentations: a reference with a ``secondary`` area splits the points 70 / 30."""

import pytest
from ipt_widgets.cases import ClassificationReference, load_cases
from ipt_widgets.feedback import classification_card
from ipt_widgets.scoring import ClassificationAnswer, parse_classification, score_classification
from ipt_widgets.scoring.classification import PRIMARY_SHARE


@pytest.fixture
def mixed() -> ClassificationReference:
    return ClassificationReference.from_mapping(
        {
            "area": "grief",
            "secondary": "role_dispute",
            "explanation": "The mood fell after her brother's death.",
            "secondary_explanation": "The quarrel with her sister-in-law over the house is live.",
            "distractors": {"role_transition": "Moving house is a consequence, not the focus."},
        },
        "test reference",
    )


@pytest.fixture
def mixed_dispute() -> ClassificationReference:
    return ClassificationReference.from_mapping(
        {
            "area": "role_dispute",
            "stage": "impasse",
            "secondary": "role_transition",
            "explanation": "They have stopped speaking.",
            "secondary_explanation": "Retirement changed the household's roles.",
        },
        "test reference",
    )


def test_primary_and_secondary_right_score_full_and_explain_both(mixed):
    score = score_classification(ClassificationAnswer("grief", secondary="role_dispute"), mixed, 2)
    assert (score.points, score.verdict, score.area_correct, score.secondary_correct) == (2.0, "correct", True, True)
    assert "brother's death" in score.feedback[0]
    assert score.feedback[1].startswith("Role dispute is the right secondary area.")
    assert "sister-in-law" in score.feedback[1]


def test_primary_right_secondary_wrong_scores_the_primary_share(mixed):
    score = score_classification(ClassificationAnswer("grief", secondary="role_transition"), mixed, 2)
    assert (score.points, score.verdict, score.secondary_correct) == (1.4, "partial", False)
    assert (
        "You chose role transition as the secondary area; the expert's secondary area is role dispute"
        in (score.feedback[1])
    )
    assert "sister-in-law" in score.feedback[1]


@pytest.mark.parametrize(("secondary", "says"), [(None, "did not choose"), ("none", "You chose no secondary area")])
def test_missing_or_none_secondary_scores_the_primary_share(mixed, secondary, says):
    score = score_classification(ClassificationAnswer("grief", secondary=secondary), mixed, 2)
    assert score.points == pytest.approx(2 * PRIMARY_SHARE) and says in score.feedback[1]


def test_right_secondary_wrong_primary_scores_the_secondary_share(mixed):
    score = score_classification(ClassificationAnswer("role_transition", secondary="role_dispute"), mixed, 2)
    assert (score.points, score.verdict, score.area_correct) == (0.6, "partial", False)
    assert "Moving house is a consequence" in score.feedback[0]


def test_swapped_areas_score_the_secondary_share_and_say_why(mixed):
    score = score_classification(ClassificationAnswer("role_dispute", secondary="grief"), mixed, 2)
    assert (score.points, score.verdict, score.secondary_correct) == (0.6, "partial", False)
    assert "You swapped the two areas" in score.feedback[1]


def test_both_wrong_score_zero(mixed):
    score = score_classification(
        ClassificationAnswer("interpersonal_deficits", secondary="interpersonal_deficits"), mixed, 2
    )
    assert (score.points, score.verdict) == (0.0, "incorrect")
    assert "same area as primary and as secondary" in score.feedback[1]


def test_a_dispute_primary_keeps_its_stage_rule_inside_the_primary_share(mixed_dispute):
    wrong_stage = ClassificationAnswer("role_dispute", "renegotiation", secondary="role_transition")
    assert score_classification(wrong_stage, mixed_dispute, 2).points == pytest.approx(0.7 + 0.6)
    right = ClassificationAnswer("role_dispute", "impasse", secondary="role_transition")
    assert score_classification(right, mixed_dispute, 2).points == 2.0


def test_no_secondary_is_a_right_answer_when_the_expert_sees_none():
    ref = ClassificationReference.from_mapping(
        {"area": "grief", "secondary": "none", "secondary_explanation": "Nothing else is live."}, "ref"
    )
    score = score_classification(ClassificationAnswer("grief", secondary="none"), ref, 1)
    assert (score.points, score.verdict) == (1.0, "correct")
    score = score_classification(ClassificationAnswer("grief", secondary="role_dispute"), ref, 1)
    assert "the expert sees no secondary area" in score.feedback[1]


def test_a_reference_without_secondary_ignores_a_saved_secondary():
    ref = ClassificationReference.from_mapping({"area": "grief"}, "ref")
    score = score_classification(ClassificationAnswer("grief", secondary="role_dispute"), ref, 2)
    assert (score.points, score.verdict, score.secondary_correct, len(score.feedback)) == (2.0, "correct", None, 1)


def test_parse_reads_and_checks_the_secondary():
    answer, problem = parse_classification({"area": "grief", "secondary": "none", "rationale": ""})
    assert problem is None and answer.secondary == "none"
    answer, problem = parse_classification({"area": "grief", "secondary": "loneliness"})
    assert answer is None and "secondary area 'loneliness'" in problem


def test_to_json_keeps_the_old_form_without_a_secondary():
    assert ClassificationAnswer("grief").to_json() == {"area": "grief", "stage": None, "rationale": ""}
    assert ClassificationAnswer("grief", secondary="none").to_json()["secondary"] == "none"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"area": "grief", "secondary": "grief"}, "same as the primary area"),
        ({"area": "grief", "secondary": "deficits"}, "did you mean 'interpersonal_deficits'"),
        ({"area": "grief", "secondary_explanation": "Why."}, "'secondary' is not"),
    ],
)
def test_bad_secondary_references_are_refused_with_the_field(data, message):
    with pytest.raises(ValueError, match="field 'secondary") as info:
        ClassificationReference.from_mapping(data, "cases.yaml: case 'x'")
    assert message in str(info.value) and "cases.yaml: case 'x'" in str(info.value)


def test_the_card_names_both_expert_areas(mixed):
    answer = ClassificationAnswer("grief", secondary="role_transition")
    html = classification_card("Case", score_classification(answer, mixed, 2), answer, mixed)
    assert "primary Grief; secondary role dispute" in html


def test_a_practice_file_with_secondary_asks_for_it(tmp_path):
    path = tmp_path / "cases.yaml"
    path.write_text(
        "cases:\n- id: m1\n  title: T\n  text: A fictional case.\n  answer:\n    area: grief\n"
        "    secondary: role_dispute\n  explanation: E.\n  secondary_explanation: S.\n"
        "  distractors: {role_dispute: a, role_transition: b, interpersonal_deficits: c}\n"
        "- id: m2\n  title: T\n  text: Text.\n  ask_secondary: true\n- id: m3\n  title: T\n  text: Text.\n",
        encoding="utf-8",
    )
    cases = load_cases(path, strict=True)
    assert [cases[k].ask_secondary for k in ("m1", "m2", "m3")] == [True, True, False]
    assert cases["m1"].reference.secondary_explanation == "S."
