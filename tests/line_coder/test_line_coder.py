"""The line coder's interface, review flags, hostile input, determinism, and its dev-set floors."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from ipt_widgets.scoring.line_coder import FAR, TIE, LineCode, LineContext, _decide, code_line
from ipt_widgets.scoring.line_exemplars import all_exemplar_lines, check_exemplars, general_exemplars, normalise
from ipt_widgets.scoring.line_match import Match
from ipt_widgets.techniques import HELPFUL, TECHNIQUES, UNCODED, UNHELPFUL, technique_label

from tests.line_coder.labelled_lines import context_of, load_lines
from tests.line_coder.metrics import evaluate

HERE = Path(__file__).resolve().parent
DEV_SETS = tuple(f"dev{n}_lines.yaml" for n in ("", "2", "3", "4", "5", "6"))
ORDINARY = LineContext(patient="We argued about the rent again.", area="role_dispute")


def test_the_vocabulary_is_the_sixteen_codes_of_the_technique_list():
    assert list(TECHNIQUES) == [
        "exploratory_question", "clarification", "communication_analysis", "encouragement_of_affect",
        "linking_mood_events", "psychoeducation_sick_role", "decision_analysis", "role_play_setup",
        "formulation_contract", "risk_inquiry", "advice", "reassurance", "cbt_challenge",
        "past_interpretation", "taking_sides", "missed_risk",
    ]  # fmt: skip
    assert len(HELPFUL) == 10 and len(UNHELPFUL) == 6
    assert technique_label(UNCODED) == "Not coded"
    with pytest.raises(ValueError, match="unknown technique"):
        technique_label("advise")


def test_a_code_is_a_technique_id_with_confidence_and_reasons():
    code = code_line("Take me through the argument: what did you say first, and what did he say back?", ORDINARY)
    assert isinstance(code, LineCode)
    assert code.technique == "communication_analysis"
    assert 0.0 <= code.confidence <= 1.0 and not code.needs_review
    assert code.reasons and all(isinstance(r, str) and r for r in code.reasons)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        (None, "empty"),
        (42, "empty"),
        ("Hmm", "too short"),
        ("asdf qwer zxcv hjkl", "not readable"),
        ("Háblame de tu hermana y de lo que pasó en la boda.", "not in English"),
        ("Opowiedz mi o swojej siostrze i o tym, co się stało.", "not in English"),
        ("Расскажите мне о вашей сестре.", "not in English"),
    ],
)
def test_lines_that_cannot_be_coded_go_for_review_uncoded(line, reason):
    code = code_line(line, ORDINARY)
    assert code.needs_review and code.technique == UNCODED and code.confidence == 0.0
    assert any(reason in r for r in code.reasons)


def test_an_uncodable_line_after_a_risk_cue_is_missed_risk_and_reviewed():
    code = code_line("", LineContext(patient="I want to die.", risk_cue=True))
    assert code.technique == "missed_risk" and code.needs_review


def test_a_long_line_mixing_techniques_goes_for_review():
    line = (
        "Depression is an illness and it's not your fault. Let's agree to meet for twelve sessions. "
        "What did you say to him on Tuesday, word for word? How did you feel when he walked out? "
        "You should also try to get out more. Let's practise the conversation: I'll be your husband, "
        "and you tell me what you want. And what are your options about the flat, with the pros and cons of each?"
    )
    code = code_line(line, ORDINARY)
    assert code.needs_review and any("long line" in r for r in code.reasons)


def test_a_line_like_no_example_goes_for_review():
    code = code_line("The carburettor needs a new gasket before the MOT on Friday.", ORDINARY)
    assert code.needs_review and any("unlike every example" in r for r in code.reasons)


def test_a_tie_between_two_techniques_goes_for_review():
    tied = _decide(Match("advice", 0.6, "reassurance", TIE / 2), [])
    assert tied.needs_review and any("between advice and reassurance" in r for r in tied.reasons)
    far = _decide(Match("advice", FAR - 0.05, "reassurance", 0.2), [])
    assert far.needs_review
    clear = _decide(Match("advice", 0.7, "reassurance", 0.1), [])
    assert not clear.needs_review and clear.confidence > 0.8


@pytest.mark.parametrize(
    "line",
    [
        "x" * 1_000_000,
        "Tell me about your sister. " * 20_000,
        "What did you say?\x00\x01\x02\x1b[31m\u202e\u200b and then?",
        "🙂" * 5000,
        "(" * 50_000 + "a",
        "you're not " + "a " * 100_000 + "are you?",
    ],
)
def test_hostile_input_is_handled_fast_without_exceptions(line):
    code_line("Tell me about your sister.")  # warm: the model load is not the line's cost
    start = time.perf_counter()
    code = code_line(line, ORDINARY)
    assert time.perf_counter() - start < 2.0
    assert code.technique in TECHNIQUES or code.technique == UNCODED
    if len(line) > 10_000:
        assert code.needs_review


def test_control_characters_do_not_change_the_code():
    clean = code_line("What did you say to him, word for word?", ORDINARY)
    dirty = code_line("What did you say\x00 to him,\x1b word\u200b for word?", ORDINARY)
    assert dirty.technique == clean.technique


def test_coding_is_deterministic_and_independent_of_order():
    lines = ["Tell me about your brother.", "You should move out.", "I'm sure it will all work out."]
    first = [code_line(line, ORDINARY) for line in lines]
    again = [code_line(line, ORDINARY) for line in reversed(lines)][::-1]
    assert first == again


def test_a_scenario_turn_can_teach_the_coder_its_own_wordings():
    line = "Shall we put the two budgets side by side and see which one you can live with?"
    extra = {"decision_analysis": ["Let's set the two budgets next to each other and choose one you can live with."]}
    with_extra = code_line(line, LineContext(patient="We argued about the rent again.", exemplars=extra))
    assert with_extra.technique == "decision_analysis" and not with_extra.needs_review


def test_bad_context_is_refused_with_the_field_named():
    with pytest.raises(ValueError, match="LineContext.exemplars: unknown technique 'advise'"):
        LineContext(exemplars={"advise": ["Move out."]})
    with pytest.raises(ValueError, match=r"LineContext.exemplars.advice\[0\]"):
        LineContext(exemplars={"advice": [""]})
    with pytest.raises(ValueError, match="risk_cue"):
        LineContext(risk_cue="yes")
    with pytest.raises(ValueError, match="must be a list"):
        check_exemplars({"advice": "Move out."}, "scenario.yaml: turns.t1.exemplars")


def test_empty_yaml_fields_in_the_context_read_as_empty():
    context = LineContext(patient=None, exemplars=None)
    assert context.patient == "" and context.exemplars == {}


def test_every_technique_has_general_exemplars():
    exemplars = general_exemplars()
    assert set(exemplars) == set(TECHNIQUES)
    assert all(len(lines) >= 10 for lines in exemplars.values())


@pytest.mark.parametrize("name", DEV_SETS)
def test_no_dev_line_is_an_exemplar(name):
    exemplars = all_exemplar_lines()
    rows = load_lines(HERE / name)
    assert not [r["id"] for r in rows if normalise(r["line"]) in exemplars]
    # nor a near-copy: the same words with punctuation or case changed
    squash = {re.sub(r"\W+", "", e) for e in exemplars}
    assert not [r["id"] for r in rows if re.sub(r"\W+", "", normalise(r["line"])) in squash]


def test_dev_sets_cover_every_technique_and_kind():
    rows = [r for name in DEV_SETS for r in load_lines(HERE / name)]
    assert {r["technique"] for r in rows} == set(TECHNIQUES)
    assert {r["kind"] for r in rows} == {"plain", "jargon", "near_miss"}
    assert len(rows) >= 400


# Floors the coder reaches on its development sets (measured: see the report of
# `make benchmark-line-coder`); a change that loses more than a few points fails here.
FLOORS = {
    "dev_lines.yaml": 0.93,
    "dev2_lines.yaml": 0.86,
    "dev3_lines.yaml": 0.90,
    "dev4_lines.yaml": 0.88,
    "dev5_lines.yaml": 0.87,
    "dev6_lines.yaml": 0.95,  # risk context only (risk_inquiry, missed_risk): 0.412 before the fix
}


@pytest.mark.parametrize("name", DEV_SETS)
def test_dev_set_floors(name):
    rows = load_lines(HERE / name)
    result = evaluate(rows, [code_line(r["line"], context_of(r)) for r in rows])
    assert result["macro_f1"] >= FLOORS[name]
    has_missed = any(r["technique"] == "missed_risk" for r in rows)
    assert result["missed_recall"] == (1.0 if has_missed else None)
    assert result["missed_as_helpful"] == 0
    assert result["review_share"] <= 0.18
    assert result["agreement_rest"] >= 0.88
