"""Risk first: the context rules, contracts and leading questions, negation and hedged advice."""

from __future__ import annotations

import pytest
from ipt_widgets.scoring.line_coder import LineContext, code_line
from ipt_widgets.scoring.line_rules import asks_about_risk, hedged_advice, mishandles_risk, patient_risk_cue

HINT = LineContext(patient="Sometimes I think my family would be better off without me.", risk_cue=True)
ORDINARY = LineContext(patient="My sister and I fell out at the christening.", risk_cue=False)


def test_the_same_line_is_exploration_without_a_cue_and_missed_risk_after_one():
    line = "Tell me more about your sister."
    assert code_line(line, ORDINARY).technique == "exploratory_question"
    code = code_line(line, HINT)
    assert code.technique == "missed_risk"
    assert not code.helpful
    assert "suicide" in code.reasons[0]


@pytest.mark.parametrize(
    "line",
    [
        "When you say they'd be better off, are you thinking about ending your life?",
        "Have you had thoughts of suicide?",
        "Do you have a plan for how you would kill yourself?",
        "Let's make a safety plan: who could you call if the thoughts get stronger tonight?",
        "Are you thinking of taking those pills?",
    ],
)
def test_only_a_direct_question_or_safety_plan_after_a_cue_is_risk_inquiry(line):
    code = code_line(line, HINT)
    assert code.technique == "risk_inquiry"
    assert code.helpful and not code.needs_review


@pytest.mark.parametrize(
    "line",
    [
        "That sounds really hard. What has been going on this week?",  # empathic, but passes over it
        "It must be painful to feel like a burden.",
        "Everyone feels like that now and then, it will pass.",
        "Let's come back to the argument with your husband.",
        "Your children need you, you know.",
        "What do you mean by that?",
    ],
)
def test_anything_else_after_a_cue_is_missed_risk(line):
    assert code_line(line, HINT).technique == "missed_risk"


@pytest.mark.parametrize(
    "line",
    [
        "You're not thinking of doing anything silly, are you?",
        "You wouldn't hurt yourself, would you?",
        "I take it you're not having thoughts of suicide?",
        "Nothing like that, though, right?",
    ],
)
@pytest.mark.parametrize("context", [HINT, ORDINARY, None])
def test_a_leading_question_that_invites_no_is_missed_risk_in_any_context(line, context):
    assert code_line(line, context).technique == "missed_risk"


@pytest.mark.parametrize(
    "line",
    [
        "Let's agree a no-suicide contract before you go.",
        "Can you promise me you won't harm yourself before next week?",
        "Please sign this agreement that you won't act on the thoughts.",
        "Are you thinking of suicide? If so, promise me you won't do anything before we meet.",
        "I'd like a no-harm contract in place while we work on your grief.",
        "Promise me you'll stay safe until Thursday.",
    ],
)
@pytest.mark.parametrize("context", [HINT, ORDINARY])
def test_any_no_suicide_contract_is_missed_risk(line, context):
    code = code_line(line, context)
    assert code.technique == "missed_risk"
    assert "contract" in code.reasons[0]


def test_a_hint_in_the_patient_turn_counts_even_when_the_author_forgot_the_flag():
    context = LineContext(patient="Some nights I go to bed hoping I won't wake up.", risk_cue=False)
    assert patient_risk_cue(context.patient)
    assert code_line("How is your sleep otherwise?", context).technique == "missed_risk"


def test_refusing_to_ask_is_not_asking():
    line = "I won't ask you about suicide today; let's talk about your sister."
    assert not asks_about_risk(line, cue=True)
    assert code_line(line, HINT).technique == "missed_risk"


def test_asking_without_a_cue_is_still_risk_inquiry_and_ordinary_words_are_not():
    assert code_line("Have you ever had thoughts of ending your life?", ORDINARY).technique == "risk_inquiry"
    assert not asks_about_risk("What would you like to end up with in this dispute?")
    assert not mishandles_risk("You're not going to the wedding, are you?")
    assert mishandles_risk("You're not going to do it, are you?", cue=True)


@pytest.mark.parametrize(
    "line",
    [
        "I won't tell you what to do, but you should move out.",
        "You might want to give her a call this weekend.",
        "Maybe you could try joining a choir.",
        "Why don't you just tell him how you feel?",
        "Have you tried going for a walk in the mornings?",
    ],
)
def test_hedged_or_disclaimed_advice_is_advice(line):
    assert hedged_advice(line)
    assert code_line(line, ORDINARY).technique == "advice"


@pytest.mark.parametrize(
    "line",
    [
        "What options do you have, and what might each one cost you?",
        "Let's practise it: I'll be your sister.",
        "Tell me about the christening.",
    ],
)
def test_weighing_options_role_play_and_open_requests_are_not_advice(line):
    assert not hedged_advice(line)
    assert code_line(line, ORDINARY).technique != "advice"


def test_empathic_acknowledgement_is_not_empty_reassurance():
    assert code_line("It makes sense that you feel let down by her.", ORDINARY).technique == "encouragement_of_affect"
    assert code_line("Don't worry, I'm sure she'll call you soon.", ORDINARY).technique == "reassurance"


def test_psychoeducation_is_not_advice():
    explained = "Depression drains your energy; it's an illness, and it's fine to do less while you recover."
    assert code_line(explained, ORDINARY).technique == "psychoeducation_sick_role"
    assert code_line("You should rest more and stop worrying.", ORDINARY).technique == "advice"


@pytest.mark.parametrize(
    "patient",
    ["I can't go on like this with him.", "I want to end things with Marco.", "I won't be here after the move."],
)
def test_ordinary_words_in_the_patient_turn_are_no_risk_cue(patient):
    assert not patient_risk_cue(patient)
    assert code_line("Tell me more about that.", LineContext(patient=patient)).technique != "missed_risk"
