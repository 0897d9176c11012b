"""The pure session engine and its scoring, with a small deterministic coder."""

from __future__ import annotations

import pytest
from ipt_widgets.risk import RISK_PARTS, SCENARIO_RISK_PART
from ipt_widgets.scoring import scenario as engine

from tests.scenario_helpers import fake_coder, load_session

GOOD = [
    "[communication_analysis] Take me through Sunday.",
    "[encouragement_of_affect] What did you feel?",
    "[risk_inquiry] Are you having thoughts of ending your life?",
    "[clarification] So you wanted him to hear that you are exhausted?",
    "[communication_analysis] What else could you have said?",
    "[role_play_setup] Let's practise: I'll be Karim.",
]


def play(lines, uncodable="fallback"):
    scenario = load_session()
    state = engine.start(scenario)
    for line in lines:
        state = engine.advance(scenario, state, line, fake_coder, uncodable=uncodable).state
    return scenario, state


def test_a_line_takes_the_first_branch_holding_its_code():
    scenario, state = play(["[taking_sides] He sounds selfish."])
    assert state.turn == "t2b" and state.steps[0].branch == 1
    scenario, state = play(["[decision_analysis] What could you do?"])  # no branch holds it: fallback
    assert state.turn == "t2" and state.steps[0].branch == 2


def test_the_best_path_scores_full_marks_with_the_risk_part():
    scenario, state = play(GOOD)
    assert state.done and state.path == ("t1", "t2", "t3", "t4", "t5", "t6", "end")
    score = engine.score_session(scenario, state, points=6)
    assert score.points == 6 and score.verdict == "correct"
    assert score.parts == {"turns": 1.0, SCENARIO_RISK_PART: 1.0}
    assert SCENARIO_RISK_PART in RISK_PARTS


def test_partial_credit_good_acceptable_unhelpful_unsafe():
    lines = [
        "[taking_sides] He sounds selfish.",  # unhelpful -> t2b
        "[communication_analysis] Let's look at Sunday.",  # good
        "[reassurance] I'm sure you won't do anything.",  # unsafe at the risk cue
        "[clarification] So you wanted him to hear it?",  # good
        "Mm.",  # acceptable (fallback: coded exploratory_question)
        "[reassurance] He'll say yes.",  # unhelpful
    ]
    scenario, state = play(lines)
    score = engine.score_session(scenario, state, points=6)
    assert state.path == ("t1", "t2b", "t3", "t4", "t5", "t6", "end")
    assert score.points == pytest.approx(6 * 2.5 / 6, abs=0.01)
    assert score.parts[SCENARIO_RISK_PART] == 0.0
    assert any("suicide-risk cue was passed over" in f for f in score.feedback)


def test_an_unfinished_session_counts_the_turns_still_needed_as_zero():
    scenario, state = play(GOOD[:3])
    score = engine.score_session(scenario, state, points=6)
    assert score.points == pytest.approx(3.0) and score.verdict == "partial"
    assert "stopped before the end: 3 more turn(s)" in score.feedback[0]
    assert engine.score_session(scenario, engine.start(scenario)).verdict == "unanswered"


def test_uncodable_line_asks_in_practice_and_falls_back_flagged_in_graded():
    scenario = load_session()
    state = engine.start(scenario)
    asked = engine.advance(scenario, state, "hmm ??", fake_coder, uncodable="ask")
    assert asked.needs_reword and asked.state == state
    graded = engine.advance(scenario, state, "hmm ??", fake_coder, uncodable="fallback")
    assert not graded.needs_reword and graded.state.turn == "t2" and graded.step.branch == 2
    assert graded.step.needs_review
    assert engine.review_reasons(graded.state) == ["turn 1 (t1): low confidence"]


def test_choosing_an_option_takes_its_branch_and_empty_or_late_lines_are_refused():
    scenario = load_session()
    outcome = engine.choose(scenario, engine.start(scenario), 1)
    assert outcome.state.turn == "t2b" and outcome.step.option
    with pytest.raises(ValueError, match="no option 9"):
        engine.choose(scenario, engine.start(scenario), 8)
    with pytest.raises(ValueError, match="the line is empty"):
        engine.advance(scenario, engine.start(scenario), "   ", fake_coder)
    _, done = play(GOOD)
    with pytest.raises(ValueError, match="the session has ended"):
        engine.advance(scenario, done, "x", fake_coder)


def test_regrade_recodes_and_never_trusts_recorded_codes_or_branches():
    scenario, state = play(GOOD)
    recorded = [dict(s.to_json(), technique="risk_inquiry", branch=0) for s in state.steps]
    recorded[0]["line"] = "[taking_sides] He sounds selfish."  # tampered: the line is what counts
    regraded, notes = engine.regrade(scenario, recorded, fake_coder)
    assert regraded.steps[0].branch == 1 and regraded.path[1] == "t2b"
    # the next line was recorded at t2 but the re-coded session is at t2b: scored there, flagged
    assert regraded.steps[1].needs_review and "t2b" in notes[0]


def test_regrade_takes_an_option_only_when_it_is_the_example_word_for_word():
    scenario = load_session()
    example = scenario.turns["t1"].branches[1].example
    state, _ = engine.regrade(scenario, [{"turn": "t1", "line": example, "option": True}], fake_coder)
    assert state.steps[0].branch == 1 and state.steps[0].option
    forged = [{"turn": "t1", "line": "[communication_analysis] x", "option": True}]
    state, _ = engine.regrade(scenario, forged, fake_coder)
    assert not state.steps[0].option and state.steps[0].technique == "communication_analysis"


def test_regrade_ignores_lines_after_the_end_and_replay_stops_at_a_misfit():
    scenario, state = play(GOOD)
    lines = [s.to_json() for s in state.steps] + [{"turn": "t1", "line": "extra"}]
    regraded, notes = engine.regrade(scenario, lines, fake_coder)
    assert regraded.done and notes == ["1 line(s) recorded after the end were not scored"]
    bad = [*state.steps[:2], engine.Step("t9", "x", 0)]
    assert engine.replay(scenario, bad).steps == state.steps[:2]
