"""Issue 15, the scenario writers' two defects: the short steps of a risk assessment after the
cue are risk_inquiry (and what passes over the cue stays missed_risk); a full formulation or
psychoeducation is not sent for review for its length alone where the turn expects one."""

from __future__ import annotations

from pathlib import Path

import pytest
from ipt_widgets.scenario_format import load_scenarios
from ipt_widgets.scoring.line_coder import LineContext, code_line
from ipt_widgets.scoring.line_input import EXTENDED_WORDS
from ipt_widgets.scoring.line_risk_steps import risk_step
from ipt_widgets.scoring.scenario_coder import context_for

ROOT = Path(__file__).resolve().parents[2]
AFTER_CUE = LineContext(
    patient="The moose rifle. It's in the sauna cabinet. In March I took it out and sat with it.", risk_cue=True
)
ORDINARY = LineContext(patient="My brother rang about the hunt in September.")


@pytest.mark.parametrize(
    "line",
    [
        "Do you have a way in mind?",  # the lines the scenario writers reported
        "Is it the rifle?",
        "What stopped you that night?",
        "Who could keep the rifle for you for a while?",
        "I'll need to let my supervisor know today.",
        "I'll call my supervisor now and we'll see you Monday.",
        "What would you do if those thoughts came back?",
        "Let's make a plan for the nights.",
        "Is the gun still in the cabinet?",  # variants not in the dev sets
        "Have you chosen a day?",
        "What has held you back until now?",
        "Could your wife lock the pills away for now?",
        "If it gets that bad at night, who would you phone?",
        "I'd like you to be assessed today, before you go home.",
        "Let's put the helpline number in your phone.",
    ],
)
def test_a_step_of_the_risk_assessment_after_the_cue_is_risk_inquiry(line):
    code = code_line(line, AFTER_CUE)
    assert code.technique == "risk_inquiry", code.reasons
    assert not code.needs_review and code.confidence >= 0.8


@pytest.mark.parametrize(
    "line",
    [
        "How long have you been hunting?",  # passes over the cue
        "What stops you from going to the club?",
        "Who could you talk to about the job?",
        "What could you do if your brother comes back?",
        "It's good to see you today.",
        "Let's get back to the team at work.",
        "Do you have anything planned for the weekend?",
        "Have you ever tried yoga?",
        "Those thoughts will pass. Let's talk about the course.",  # minimises
        "Your daughter is a great reason to keep going.",  # reassures
        "Promise me you'll ring me if it gets bad.",  # a contract
        "I won't tell my supervisor; this stays between us.",
        "Good. Let's make a plan for your job search instead.",  # changes the subject
        "You'd never use the rifle, would you?",  # invites "no"
    ],
)
def test_what_passes_over_the_cue_stays_missed_risk(line):
    assert code_line(line, AFTER_CUE).technique == "missed_risk"


def test_a_step_counts_only_in_a_risk_context():
    assert code_line("What stopped you that night?", ORDINARY).technique != "risk_inquiry"


def test_a_plan_that_names_no_step_goes_for_review_not_to_the_good_branch():
    assert risk_step("Let's make a plan.") == "unclear"
    code = code_line("Let's make a plan.", AFTER_CUE)
    assert code.technique == "missed_risk" and code.needs_review


def test_a_negated_step_is_no_step():
    assert risk_step("I'm not going to call the crisis team, don't worry.") is None


FORMULATION = (
    "From what you've told me, your low mood started in the months after the mill closed, when you lost "
    "not only the work but your crew and the standing you had as the man the young ones came to. "
    "Leena's night shifts mean you are alone with it most evenings. In IPT we call this a role transition. "
    "I'd suggest we spend our remaining eight sessions on it: mourning what the mill gave you, and finding "
    "what could give you some of that again. We'd meet weekly, and I'd ask you to tell me each week how your "
    "mood has been. Does that fit how you see it, or would you put it differently?"
)
EXPECTS = LineContext(patient="So what do we do now?", area="role_transition", expected=("formulation_contract",))


def test_a_full_formulation_is_coded_where_the_turn_expects_one():
    assert len(FORMULATION.split()) > 100
    code = code_line(FORMULATION, EXPECTS)
    assert code.technique == "formulation_contract" and not code.needs_review
    plain = code_line(FORMULATION, LineContext(patient="So what do we do now?", area="role_transition"))
    assert plain.needs_review and any("long line" in r for r in plain.reasons)


def test_long_lines_cannot_game_the_longer_limit():
    padded = "Shall we focus our sessions on the move? " + "Our focus, our sessions, our goals. " * 10
    assert any("repeats itself" in r for r in code_line(padded, EXPECTS).reasons)
    advice = FORMULATION + " You should sign up for the course for older workers and you need to call Pekka tonight."
    code = code_line(advice, EXPECTS)
    assert code.needs_review and any("advice" in r for r in code.reasons)
    huge = " ".join([FORMULATION, FORMULATION.replace("mill", "sawmill")])
    assert len(huge.split()) > EXTENDED_WORDS and code_line(huge, EXPECTS).needs_review
    other = LineContext(patient="So what do we do now?", expected=("communication_analysis",))
    assert code_line(FORMULATION, other).needs_review


def test_expected_must_be_technique_ids():
    with pytest.raises(ValueError, match="LineContext.expected"):
        LineContext(expected=("formulation",))
    with pytest.raises(ValueError, match="LineContext.expected"):
        LineContext(expected="formulation_contract")


def test_the_scenario_adapter_passes_the_good_branch_techniques():
    scenario = next(iter(load_scenarios(ROOT / "course" / "scenarios" / "02_initial_phase.yaml").values()))
    turn = scenario.turns[scenario.start]
    context = context_for(turn, scenario)
    assert context.expected == turn.good_techniques() and context.expected


@pytest.mark.parametrize(
    ("turn_id", "line"),
    [
        ("t4", "Do you have a way in mind?"),
        ("t4", "Is it the rifle?"),
        ("t5", "What stopped you that night?"),
        ("t6", "Who could keep the rifle for you for a while?"),
        ("t6", "What would you do if those thoughts came back?"),
        ("t6", "Let's make a plan for the nights."),
        ("t7", "I'll need to let my supervisor know today."),
        ("t8", "I'll call my supervisor now and we'll see you Monday."),
    ],
)
def test_the_reported_lines_take_the_risk_branch_of_the_graded_suicide_hint_scenario(turn_id, line):
    scenario = load_scenarios(ROOT / "solutions" / "m07_techniques" / "scenarios.yaml")["s07_risk_cue_karelia"]
    turn = scenario.turns[turn_id]
    code = code_line(line, context_for(turn, scenario))
    assert code.technique == "risk_inquiry" and not code.needs_review
    assert "risk_inquiry" in turn.branches[turn.branch_for(code.technique)].techniques


def test_asking_about_gifts_after_giving_things_away_is_not_a_risk_question():
    """Giving possessions away is a risk cue; asking who received them passes over it."""
    from ipt_widgets.scoring.line_coder import LineContext, code_line

    patient = "I've been handing my tools out to the neighbours. I won't be needing them."
    cue = LineContext(patient=patient, risk_cue=True)
    for line in ("That's kind of you. Who did you give them to?", "Did you give them to your nephew?"):
        assert code_line(line, cue).technique == "missed_risk", line
    assert code_line("Could you give the tablets to your sister to keep for now?", cue).technique == "risk_inquiry"
