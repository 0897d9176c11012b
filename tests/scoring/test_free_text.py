"""score_draft: partial credit by element, evidence, teaching points, and no error on odd input."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ipt_widgets.formulations import load_references
from ipt_widgets.scoring import score_draft
from ipt_widgets.scoring.free_text import (
    MAX_WORDS,
    OFF_MODEL_DEDUCTION,
    WRONG_AREA_CAP,
    candidate_units,
    rating_band,
    split_sentences,
)

REF = load_references(Path(__file__).parents[1] / "fixtures" / "formulation.yaml")["t_grief"]

STRONG_PLAIN = (
    "Mr Okafor, since Ngozi passed away you have been carrying this on your own. The low mood came on a couple "
    "of months after the funeral, and I think it is tied to how hard it has been to let yourself miss her: you "
    "stay away from her grave, the allotment and church. What you are going through is an illness that can be "
    "treated, and it is not a sign of weakness. I suggest we meet every week for about three months to talk about "
    "her and your years together, and then look for ways back to Ada, your church friends and the allotment. "
    "Does that sound right to you?"
)


def fraction(text):
    score = score_draft(text, REF)
    return score.points / score.max_points


def test_a_strong_draft_in_plain_words_earns_most_of_the_credit():
    score = score_draft(STRONG_PLAIN, REF)
    assert score.points >= 0.7 * score.max_points
    assert not score.off_model and score.wrong_area is None
    met = [e for e in score.elements if e.status == "met"]
    assert len(met) >= 2
    for element in met:  # the evidence is the trainee's own words
        assert element.evidence and all(part in STRONG_PLAIN for part in element.evidence.split(". "))


def test_the_expert_formulation_earns_full_credit():
    assert score_draft(REF.expert_formulation, REF).verdict == "correct"


def test_keyword_stuffing_earns_little_and_is_told_why():
    stuffed = (
        "Grief problem area; sick role; medical model; interpersonal inventory; communication analysis; "
        "encouragement of affect; reconstruct the relationship with the deceased; 12-16 weekly sessions."
    )
    score = score_draft(stuffed, REF)
    assert score.points <= 0.25 * score.max_points
    assert any("could be written about any patient" in line for line in score.feedback)


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("He will complete a thought record each evening to challenge his cognitive distortions.", "cbt"),
        ("His grief goes back to unresolved conflicts with his mother in early childhood.", "psychodynamic"),
        ("You should get out more, take up a hobby and stay positive.", "advice"),
    ],
)
def test_off_model_content_is_quoted_with_a_teaching_point_and_deducted(sentence, kind):
    clean = score_draft(STRONG_PLAIN, REF)
    mixed = score_draft(STRONG_PLAIN + " " + sentence, REF)
    finding = next(f for f in mixed.off_model if f.kind == kind)
    assert finding.sentence == sentence
    line = next(line for line in mixed.feedback if line.startswith("Off-model"))
    assert sentence in line and "IPT" in line
    assert list(mixed.deductions.values()) == [round(OFF_MODEL_DEDUCTION * REF.max_points, 2)]
    assert mixed.points < clean.points


def test_a_draft_made_of_off_model_content_is_capped():
    cbt = (
        "Mr Okafor has negative automatic thoughts about Ngozi's death. We will use thought records as homework "
        "to challenge his cognitive distortions. A behavioural activation schedule will get him back to the "
        "allotment. We will examine the evidence for and against his belief that he failed her."
    )
    assert fraction(cbt) <= 0.25


def test_a_formulation_on_the_wrong_problem_area_is_capped_and_explained():
    wrong = (
        "Mr Okafor is in a role transition: since he retired and was widowed he has lost his role as a husband and "
        "driver, and his depression began as he struggled with the new role. Over twelve weekly sessions we will "
        "mourn the old role and build skills for the new one, reconnecting with Ada and church."
    )
    score = score_draft(wrong, REF)
    assert score.wrong_area == "role_transition"
    assert score.points <= WRONG_AREA_CAP * REF.max_points + 1e-9
    assert any("this is grief" in line for line in score.feedback)


@pytest.mark.parametrize("empty", ["", "   \n ", None])
def test_empty_drafts_are_unanswered(empty):
    score = score_draft(empty, REF)
    assert score.verdict == "unanswered" and score.points == 0
    assert all(e.status == "missed" and e.suggestion for e in score.elements)
    assert score.expert == [REF.expert_formulation]


def test_a_non_text_answer_scores_as_empty_with_a_note():
    score = score_draft({"text": "Ngozi"}, REF)
    assert score.points == 0 and "not text" in score.notes[0]


def test_a_very_short_draft_gets_a_note():
    score = score_draft("Grief for Ngozi.", REF)
    assert any("very short" in n for n in score.notes)


def test_a_very_long_draft_is_read_up_to_the_limit():
    long = " ".join([STRONG_PLAIN] * 12)
    assert len(long.split()) > MAX_WORDS
    score = score_draft(long, REF)
    assert any(f"first {MAX_WORDS} were scored" in n for n in score.notes)
    assert score.points >= 0.7 * score.max_points


def test_non_english_text_is_scored_without_error_and_noted():
    spanish = (
        "Señor Okafor, su depresión empezó dos meses después de la muerte de Ngozi. Vamos a hablar de ella "
        "durante doce semanas y a buscar maneras de volver a la iglesia y con su hija Ada."
    )
    score = score_draft(spanish, REF)
    assert any("does not look like English" in n for n in score.notes)
    assert score.wrong_area is None  # no area verdict on text the encoder cannot read
    assert 0 <= score.points <= score.max_points


def test_sentences_and_units():
    text = "Dear Mr Okafor.\nThis line is\nwrapped mid sentence. Next one!\n\n- a bullet point here\n2. a numbered one"
    assert split_sentences(text) == [
        "Dear Mr Okafor.",
        "This line is wrapped mid sentence.",
        "Next one!",
        "a bullet point here",
        "a numbered one",
    ]
    units = candidate_units(["One two three.", "Four five six."])
    assert units[-1] == ("One two three. Four five six.", (0, 1))


@pytest.mark.parametrize(("fraction_", "band"), [(0.0, 0), (0.19, 0), (0.2, 1), (0.5, 2), (0.79, 2), (0.8, 3)])
def test_rating_bands(fraction_, band):
    assert rating_band(fraction_) == band


def test_scores_are_deterministic():
    assert score_draft(STRONG_PLAIN, REF) == score_draft(STRONG_PLAIN, REF)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_any_text_scores_within_bounds(text):
    score = score_draft(text, REF)
    assert 0 <= score.points <= score.max_points
    assert len(score.elements) == len(REF.elements)
