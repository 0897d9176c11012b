"""Transcript coding: per-turn credit, accepted alternatives, explanations."""

import pytest
from ipt_widgets.scoring.transcript import TranscriptReference, parse_codes, score_transcript

REF = TranscriptReference.from_mapping(
    {
        "turns": [
            {"technique": "exploratory", "explanation": "Opening question."},
            {"technique": "therapeutic_relationship", "also_accept": ["clarification"], "explanation": "Here and now."},
            {"technique": "off_model", "explanation": "A thought record is CBT homework."},
            {"technique": "role_play", "explanation": "Rehearsal."},
        ]
    },
    "ref",
)


def test_all_right_and_accepted_alternatives_score_full():
    codes = {"t1": "exploratory", "t2": "clarification", "t3": "off_model", "t4": "role_play"}
    assert score_transcript(codes, REF, 4).points == 4.0


def test_each_turn_is_an_equal_share_and_misses_are_explained():
    codes = {"t1": "exploratory", "t2": "directive", "t3": "directive"}
    score = score_transcript(codes, REF, 4)
    assert score.points == 1.0 and score.verdict == "partial"
    assert any("Turn 3" in line and "CBT homework" in line for line in score.feedback)
    assert any("Turn 4: you chose nothing" in line for line in score.feedback)


def test_nothing_coded_is_unanswered():
    assert score_transcript({}, REF, 4).verdict == "unanswered"


def test_parse_keeps_only_known_techniques():
    assert parse_codes({"codes": {"t1": "exploratory", "t2": "hypnosis"}}) == ({"t1": "exploratory"}, None)
    assert parse_codes(["x"])[1].startswith("the saved coding")


def test_bad_reference():
    with pytest.raises(ValueError, match="therapist turn 1: field 'technique'"):
        TranscriptReference.from_mapping({"turns": [{"technique": "hypnosis"}]}, "ref")
    with pytest.raises(ValueError, match="also_accept"):
        TranscriptReference.from_mapping({"turns": [{"technique": "exploratory", "also_accept": ["x"]}]}, "ref")


# -- missed_risk: a turn that misses or mishandles a suicide-risk cue ------------------------------

RISK_REF = TranscriptReference.from_mapping(
    {
        "drift": "subtle",
        "turns": [
            {"technique": "exploratory", "explanation": "Opening question."},
            {"technique": "missed_risk", "explanation": "She hinted at not wanting to wake up; he moved on."},
            {"technique": "off_model", "explanation": "Reassurance in place of exploration."},
            {"technique": "decision_analysis", "explanation": "Options, then a choice."},
        ],
    },
    "ref",
)


def test_a_missed_risk_turn_weighs_twice_a_normal_turn():
    right = {"t1": "exploratory", "t2": "missed_risk", "t3": "off_model", "t4": "decision_analysis"}
    assert score_transcript(right, RISK_REF, 5).points == 5.0
    # Five weighted units: missing the risk turn costs two, missing a normal turn one.
    missed = score_transcript({**right, "t2": "exploratory"}, RISK_REF, 5)
    normal = score_transcript({**right, "t4": "exploratory"}, RISK_REF, 5)
    assert missed.points == pytest.approx(3.0) and normal.points == pytest.approx(4.0)


def test_calling_missed_risk_merely_off_model_costs_the_double_weight_and_teaches_the_safe_response():
    codes = {"t1": "exploratory", "t2": "off_model", "t3": "off_model", "t4": "decision_analysis"}
    score = score_transcript(codes, RISK_REF, 5)
    assert score.points == pytest.approx(3.0) and score.verdict == "partial"
    line = next(line for line in score.feedback if line.startswith("Turn 2"))
    assert "Misses or mishandles risk" in line and "not wanting to wake up" in line
    for step in ("thoughts of suicide", "plan, intent", "means", "safety plan", "no-suicide contract", "supervisor"):
        assert step in line, step
    assert "0 of 1 turn that misses a suicide-risk cue" in score.feedback[0]


def test_parts_keep_the_risk_decision_apart_for_the_competency_report():
    right = {"t1": "exploratory", "t2": "missed_risk", "t3": "off_model", "t4": "decision_analysis"}
    assert score_transcript(right, RISK_REF, 5).parts == {"turns": 1.0, "missed_risk": 1.0}
    wrong = score_transcript({**right, "t2": "directive", "t1": "role_play"}, RISK_REF, 5)
    assert wrong.parts == pytest.approx({"turns": 2 / 3, "missed_risk": 0.0})
    assert score_transcript({}, RISK_REF, 5).parts == {"turns": 0.0, "missed_risk": 0.0}
    # A transcript without a risk turn has no risk part: it measures no risk decision.
    assert "missed_risk" not in score_transcript({"t1": "exploratory"}, REF, 4).parts


def test_a_false_alarm_costs_one_normal_turn():
    codes = {"t1": "missed_risk", "t2": "missed_risk", "t3": "off_model", "t4": "decision_analysis"}
    assert score_transcript(codes, RISK_REF, 5).points == pytest.approx(4.0)


def test_the_expert_answer_for_a_risk_turn_names_the_safe_response():
    assert "safety plan" in score_transcript({}, RISK_REF, 5).expert[1]


@pytest.mark.parametrize(
    "turn, field",
    [
        ({"technique": "missed_risk", "also_accept": ["off_model"]}, "also_accept"),
        ({"technique": "off_model", "also_accept": ["missed_risk"]}, "also_accept"),
    ],
)
def test_missed_risk_takes_no_alternatives(turn, field):
    with pytest.raises(ValueError, match=f"therapist turn 1: field '{field}' cannot be used with missed_risk"):
        TranscriptReference.from_mapping({"turns": [turn]}, "ref")


def test_drift_is_checked_against_the_codes():
    with pytest.raises(ValueError, match="ref: field 'drift' is 'sutble'; expected one of .*did you mean 'subtle'"):
        TranscriptReference.from_mapping({"drift": "sutble", "turns": [{"technique": "off_model"}]}, "ref")
    with pytest.raises(ValueError, match="field 'drift' is 'subtle', but no turn is coded off_model"):
        TranscriptReference.from_mapping({"drift": "subtle", "turns": [{"technique": "missed_risk"}]}, "ref")
    with pytest.raises(ValueError, match="field 'drift' is 'none', but a turn is coded off_model"):
        TranscriptReference.from_mapping({"drift": "none", "turns": [{"technique": "off_model"}]}, "ref")
    assert TranscriptReference.from_mapping({"drift": "none", "turns": [{"technique": "missed_risk"}]}, "r").drift
