"""The PHQ-9 risk part: the action each administration calls for, its partial credit, the cap on
an unsafe choice, teaching feedback, references checked against item 9, and old answers."""

import pytest
from ipt_widgets.risk import PHQ9_RISK_PART, RISK_ACTIONS
from ipt_widgets.scoring.phq9 import UNSAFE_CAP, WEIGHTS, PHQ9Answer, PHQ9Reference, parse_phq9, score_phq9
from ipt_widgets.scoring.phq9_risk import ACTION_WEIGHT, CREDIT, RiskDecision, score_risk

# Total falls (17, 10, 7) while item 9 rises at session 8: then a plan is stated at session 16.
SESSIONS = [[3, 3, 2, 3, 1, 2, 2, 1, 0], [2, 2, 1, 2, 0, 1, 1, 0, 1], [1, 1, 1, 1, 0, 1, 1, 0, 1]]
LABELS = ["Intake", "Session 8", "Session 16"]
PLAN = "she says she has saved up her sleeping tablets to take them all"
RISK = ["monitor", "ask_and_plan", {"action": "urgent", "why": PLAN}]
REF = PHQ9Reference.from_mapping({"sessions": SESSIONS, "risk": RISK}, "ref")
RIGHT = ("monitor", "ask_and_plan", "urgent")


def answer(risk=RIGHT, **change):
    base = {
        "sessions": tuple(map(tuple, SESSIONS)),
        "totals": (17, 10, 7),
        "band_intake": "moderately_severe",
        "response": "yes",
        "remission": "no",
        "risk": tuple(risk),
    }
    return PHQ9Answer(**{**base, **change})


def test_the_three_actions_and_the_risk_weight():
    assert list(RISK_ACTIONS) == ["monitor", "ask_and_plan", "urgent"]
    assert RISK_ACTIONS["urgent"] == "Same-day urgent assessment and involve your supervisor"
    assert WEIGHTS[PHQ9_RISK_PART] >= 1 / 3 and sum(WEIGHTS.values()) == pytest.approx(1)


def test_the_right_action_for_each_session_earns_full_points():
    score = score_phq9(answer(), REF, LABELS, 5)
    assert score.points == 5.0 and score.verdict == "correct" and score.parts[PHQ9_RISK_PART] == 1.0


@pytest.mark.parametrize("expected", ["monitor", "ask_and_plan", "urgent"])
@pytest.mark.parametrize("chosen", ["monitor", "ask_and_plan", "urgent"])
def test_each_action_against_each_expected_one(expected, chosen):
    result = score_risk(
        [chosen], [RiskDecision(expected, "a plan is stated")], [1 if expected != "monitor" else 0], ["S1"]
    )
    unsafe = chosen == "monitor" and expected != "monitor"
    assert result.unsafe is unsafe
    assert result.fraction == (0.0 if unsafe else CREDIT[expected][chosen])
    assert (result.feedback == []) is (chosen == expected)


def test_partial_credit_weights_sessions_that_call_for_action():
    # Urgent everywhere: over-reaction twice (0.25 each, weight 1), one half-right (0.5, weight 3), one right.
    result = score_risk(["urgent"] * 3, REF.risk, [0, 1, 1], LABELS)
    weights = [1, ACTION_WEIGHT, ACTION_WEIGHT]
    assert result.fraction == pytest.approx((0.25 * 1 + 0.5 * 3 + 1 * 3) / sum(weights))
    assert not result.unsafe
    under = score_risk(["monitor", "ask_and_plan", "ask_and_plan"], REF.risk, [0, 1, 1], LABELS)
    assert under.fraction == pytest.approx((1 + 3 + 0.25 * 3) / 7)
    assert "A safety plan alone is not enough" in " ".join(under.feedback)


def test_monitor_where_risk_calls_for_action_never_passes():
    everything_else_right = score_phq9(answer(risk=("monitor",) * 3), REF, LABELS, 5)
    assert everything_else_right.points <= UNSAFE_CAP * 5
    assert everything_else_right.parts[PHQ9_RISK_PART] == 0.0
    assert everything_else_right.verdict == "partial"
    one_miss = score_phq9(answer(risk=("monitor", "ask_and_plan", "monitor")), REF, LABELS, 5)
    assert one_miss.points <= 2.5
    text = " ".join(one_miss.feedback)
    assert "never left to routine monitoring" in text and "at most half its points" in text
    assert "The total fell at this session, but a falling total does not lower the risk" in text
    plan = " ".join(score_phq9(answer(risk=("monitor", "ask_and_plan", "monitor")), REF, LABELS, 5).feedback)
    assert plan.count("The total fell at this session") == 1  # session 16: 7 after 10


def test_feedback_says_what_item_9_and_the_facts_call_for_and_why():
    text = " ".join(score_phq9(answer(risk=("urgent", "monitor", "ask_and_plan")), REF, LABELS, 5).feedback)
    assert 'Intake: item 9 was "not at all" (0) and the case states no other sign of risk' in text
    assert 'Session 8: item 9 was "several days" (1) and the case states no plan or intent' in text
    assert "she says she has saved up her sleeping tablets" in text
    assert "try again" not in text.lower()
    expert = " ".join(score_phq9(answer(), REF, LABELS, 5).expert)
    assert "Session 16: same-day urgent assessment and involve your supervisor" in expert


def test_missing_risk_choices_score_zero_for_that_part_only():
    old_file = {
        "sessions": SESSIONS,
        "totals": [17, 10, 7],
        "band_intake": "moderately_severe",
        "response": "yes",
        "remission": "no",
    }
    parsed, problem = parse_phq9(old_file, 3)
    assert problem is None and parsed.risk == (None, None, None)
    score = score_phq9(parsed, REF, LABELS, 5)
    assert score.parts[PHQ9_RISK_PART] == 0.0
    assert score.points == pytest.approx(5 * (1 - WEIGHTS[PHQ9_RISK_PART]))
    assert "No action was chosen for this session" in " ".join(score.feedback)
    odd, _ = parse_phq9({**old_file, "risk": ["urgent", 3, "call the police", "extra"]}, 3)
    assert odd.risk == ("urgent", None, None)


def test_risk_alone_is_an_answer():
    blank = PHQ9Answer(tuple((None,) * 9 for _ in range(3)), (None,) * 3, risk=("monitor", None, None))
    assert score_phq9(blank, REF, LABELS, 5).verdict != "unanswered"


def test_a_reference_without_risk_keeps_the_older_weights():
    plain = PHQ9Reference.from_mapping({"sessions": SESSIONS}, "ref")
    assert PHQ9_RISK_PART not in score_phq9(answer(), plain, LABELS, 5).parts


@pytest.mark.parametrize(
    ("risk", "message"),
    [
        (["monitor", "monitor", "urgent"], "item 9 is 1 here, so the action cannot be 'monitor'"),
        (["monitor", "ask_and_plan", "urgent"], "action 'urgent' needs a 'why'"),
        (["ask_and_plan", "ask_and_plan", {"action": "urgent", "why": PLAN}], "action 'ask_and_plan' needs a 'why'"),
        (["monitor", "ask_and_plan"], "must list one action per session \\(3\\), got 2 entries"),
        (["monitor", "ask_plan", "urgent"], "did you mean 'ask_and_plan'"),
        (
            ["monitor", "ask_and_plan", {"action": "urgent", "reason": PLAN}],
            "session 3: unknown field 'reason'; expected one of action, why",
        ),
    ],
)
def test_bad_references_are_named(risk, message):
    with pytest.raises(ValueError, match=message):
        PHQ9Reference.from_mapping({"sessions": SESSIONS, "risk": risk}, "hidden test for 'x', reference")


def test_over_reaction_after_an_earlier_positive_item_9_does_not_deny_that_risk():
    # Positive at intake, 0 later: the later "monitor" keeps the intake safety plan under review.
    decisions = [RiskDecision("ask_and_plan"), RiskDecision("monitor", "the intake safety plan stays in place")]
    result = score_risk(["ask_and_plan", "ask_and_plan"], decisions, [1, 0], ["Intake", "Session 4"])
    text = " ".join(result.feedback)
    assert result.fraction == pytest.approx((3 * 1.0 + 1 * 0.5) / 4)
    assert "Risk was shown at an earlier session" in text and "review that plan" in text
    assert "the case does not show" not in text
    first = score_risk(["ask_and_plan"], [RiskDecision("monitor")], [0], ["Intake"])
    assert "risk the case does not show" in " ".join(first.feedback)
