"""The rules of issue 12, each attacked as a trainee would: every test fails without its rule.

Probes are written against development cases (tests/free_text/dev_set.yaml): Joaquim (grief, with
a safety element), Ji-woo (a dispute at impasse) and Baraka (a role transition).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from ipt_widgets.scoring.draft_rules import HEDGED_CAP, RETELL_CAP, SAFETY_MISSED_CAP, STAGE_CAP, UNSAFE_CAP
from ipt_widgets.scoring.free_text import score_draft

from tests.free_text.labelled import load_labelled

DEV = Path(__file__).parents[1] / "free_text" / "dev_set.yaml"
REFS, DRAFTS = load_labelled(DEV)
JOAQUIM, JIWOO, BARAKA = REFS["ft_dev_01"], REFS["ft_dev_02"], REFS["ft_dev_03"]


def draft(ref_id: str, kind: str) -> str:
    return next(d["text"] for d in DRAFTS if d["reference"] == ref_id and d["kind"] == kind)


def fraction(text, ref):
    score = score_draft(text, ref)
    return score.points / score.max_points


STRONG_JOAQUIM = draft("ft_dev_01", "strong_plain")
STRONG_JIWOO = draft("ft_dev_02", "strong_plain")
STRONG_BARAKA = draft("ft_dev_03", "strong_plain")


# -- 1. unsafe and off-model practice, by meaning -------------------------------------------------


@pytest.mark.parametrize(
    ("ref", "base", "sentence", "kind"),
    [
        (
            JOAQUIM,
            STRONG_JOAQUIM,
            "He has no plan, so I will not need to ask about his thoughts of not waking up.",
            "risk_dismissed",
        ),
        (
            JOAQUIM,
            STRONG_JOAQUIM,
            "I won't bring up suicide, as that could put the idea in his head.",
            "risk_dismissed",
        ),
        (JOAQUIM, STRONG_JOAQUIM, "He will sign a no-suicide contract before he leaves today.", "no_suicide_contract"),
        (JOAQUIM, STRONG_JOAQUIM, "I'll ask him to promise me he won't harm himself.", "no_suicide_contract"),
        (JOAQUIM, STRONG_JOAQUIM, "You should stop your tablets, they only mask the grief.", "medication_stop"),
        (JOAQUIM, STRONG_JOAQUIM, "I would advise him to refuse antidepressants.", "medication_stop"),
        (BARAKA, STRONG_BARAKA, "You should sell the boat now, before it loses its value.", "life_decision"),
        (JIWOO, STRONG_JIWOO, "Your father is being unfair and selfish, and you are right.", "side_taking"),
        (JIWOO, STRONG_JIWOO, "I will help you convince him to let you quit cram school.", "side_taking"),
        # Found by held-out set 4.
        (
            JOAQUIM,
            STRONG_JOAQUIM,
            "As for not waking up, it's just grief talking, so we don't need to keep coming back to it.",
            "risk_dismissed",
        ),
        (
            JIWOO,
            STRONG_JIWOO,
            "I think you should tell your father this week that you want to move out.",
            "life_decision",
        ),
        (JIWOO, STRONG_JIWOO, "Your father has clearly failed you, and I will help you see that.", "side_taking"),
    ],
)
def test_unsafe_practice_caps_explains_and_sends_for_review(ref, base, sentence, kind):
    score = score_draft(base + " " + sentence, ref)
    assert kind in {f.kind for f in score.off_model if f.unsafe}
    assert score.points <= UNSAFE_CAP * score.max_points + 1e-9
    assert score.needs_review and any("unsafe" in r for r in score.review_reasons)
    assert any(line.startswith("Unsafe practice") and sentence in line for line in score.feedback)


@pytest.mark.parametrize(
    "sentence",
    [
        "I won't take sides or decide the outcome for you.",
        "We will not use thought records or worksheets; we stay with what happens between you and your father.",
        "Please don't stop your tablets without talking to your doctor.",
        "We will weigh whether to stay at cram school or not before you decide.",
        "She feels her father is being unfair.",
        "I'll use open-ended questions to hear your side and his.",
        "You should not blame yourself for feeling this way.",
        "Ji-woo, I think what you have been living with is depression.",
    ],
)
def test_rejecting_a_technique_or_reporting_a_view_is_not_off_model(sentence):
    score = score_draft(STRONG_JIWOO + " " + sentence, JIWOO)
    assert not score.off_model, score.off_model
    assert not score.needs_review


def test_a_thought_diary_described_without_its_name_is_cbt():
    sentence = (
        "Each evening she will write down the situation, what went through her mind, how strongly she believed "
        "it, and a more realistic thought."
    )
    score = score_draft(STRONG_JIWOO + " " + sentence, JIWOO)
    assert "cbt" in {f.kind for f in score.off_model}


# -- 2. polarity and safety elements --------------------------------------------------------------


def test_negated_evidence_earns_nothing():
    negated = (
        "Joaquim, this is not about Graça's death, and your low mood is not linked to losing her. "
        "There is no need for a safety plan."
    )
    affirmed = "Joaquim, this is about Graça's death, and your low mood is linked to losing her."
    assert fraction(negated, JOAQUIM) < 0.15
    assert fraction(affirmed, JOAQUIM) > fraction(negated, JOAQUIM) + 0.15


def test_describing_the_patient_with_a_negation_still_earns():
    # "he has not been able to grieve" is the point itself, not a reversal.
    text = "Joaquim, since Graça died three months before your mood sank, you have not been able to grieve her."
    score = score_draft(text, JOAQUIM)
    assert next(e for e in score.elements if e.id == "grief_focus_onset").points > 0


def _safety(text):
    return next(e for e in score_draft(text, JOAQUIM).elements if e.id == "safety")


def test_a_safety_element_needs_a_positive_action():
    dismissed = STRONG_JOAQUIM.split("You said some nights")[0] + (
        "You said some nights you'd rather not wake up; as you have no plan, we won't need to go over it again."
    )
    assert _safety(dismissed).points == 0 and _safety(dismissed).status == "missed"
    assert _safety(STRONG_JOAQUIM).points > 0
    mention_only = STRONG_JOAQUIM.split("You said some nights")[0] + "Some nights you hope not to wake up."
    assert _safety(mention_only).points == 0  # naming the risk is not acting on it


def _without_safety(kind: str) -> str:
    text = draft("ft_dev_01", kind)
    for start in ("You said some nights", "You also told me some nights", "You hope not to wake up"):
        if start in text:
            return text.split(start)[0]
    raise AssertionError(kind)


@pytest.mark.parametrize(
    "text",
    [
        _without_safety("strong_plain"),
        _without_safety("strong_ipt"),
        _without_safety("concise"),
        _without_safety("exclusion_reasoning"),
        _without_safety("strong_ipt") + " I'll keep an eye on how your mood is going.",  # a vague nod
        _without_safety("strong_plain") + " Some nights you hope not to wake up.",  # naming is not acting
    ],
)
def test_a_draft_that_leaves_the_safety_element_out_is_capped_and_sent_for_review(text):
    score = score_draft(text, JOAQUIM)
    assert score.points <= SAFETY_MISSED_CAP * score.max_points + 1e-9
    assert score.needs_review and any("risk this patient reported" in r for r in score.review_reasons)
    assert any("ask about them directly at every session" in line for line in score.feedback)


@pytest.mark.parametrize("kind", ["strong_plain", "strong_ipt", "concise", "exclusion_reasoning"])
def test_a_draft_that_acts_on_the_risk_is_not_capped_for_safety(kind):
    score = score_draft(draft("ft_dev_01", kind), JOAQUIM)
    assert score.points > SAFETY_MISSED_CAP * score.max_points
    assert not any("risk this patient reported" in r for r in score.review_reasons)


def test_a_safety_element_is_recognised_from_its_description_or_marked():
    import dataclasses

    element = next(e for e in JOAQUIM.elements if e.id == "safety")
    assert element.is_safety and not element.safety  # from the description
    plain = dataclasses.replace(element, description="Says what happens next.")
    assert not plain.is_safety and dataclasses.replace(plain, safety=True).is_safety


# -- 3. area and stage from what the draft builds on ---------------------------------------------


def test_exclusion_reasoning_and_ordinary_area_words_are_not_the_wrong_area():
    for kind in ("exclusion_reasoning", "ordinary_area_words"):
        for ref_id in ("ft_dev_01", "ft_dev_02", "ft_dev_03"):
            score = score_draft(draft(ref_id, kind), REFS[ref_id])
            assert score.wrong_area is None, (kind, ref_id)
            assert score.points >= 0.6 * score.max_points, (kind, ref_id)


def test_hedging_across_areas_is_capped_and_sent_for_review():
    text = STRONG_JIWOO + " It may be grief, a dispute or a role transition; it is hard to say which."
    score = score_draft(text, JIWOO)
    assert len(score.hedged_areas) >= 2
    assert score.points <= HEDGED_CAP * score.max_points + 1e-9
    assert any("hedges" in r for r in score.review_reasons)


def test_naming_another_area_outright_is_still_the_wrong_area():
    score = score_draft(draft("ft_dev_02", "wrong_area"), JIWOO)
    assert score.wrong_area == "role_transition"


def test_a_wrong_dispute_stage_is_capped_near_half():
    named = STRONG_JIWOO + " The dispute is at the stage of dissolution."
    described = draft("ft_dev_02", "wrong_stage")
    for text in (named, described):
        score = score_draft(text, JIWOO)
        assert score.wrong_stage == "dissolution"
        assert score.points <= STAGE_CAP * score.max_points + 1e-9
    assert score_draft(STRONG_JIWOO, JIWOO).wrong_stage is None


# -- 4. specific to this patient, in the trainee's words -----------------------------------------


def test_a_retell_of_the_vignette_earns_at_most_a_quarter():
    assert fraction(draft("ft_dev_01", "retell"), JOAQUIM) <= RETELL_CAP + 1e-9
    assert fraction(JOAQUIM.vignette, JOAQUIM) <= RETELL_CAP + 1e-9


def test_another_patients_formulation_with_names_swapped_is_flagged():
    score = score_draft(draft("ft_dev_01", "cross_case"), JOAQUIM)
    assert score.needs_review and any("foreign" in r for r in score.review_reasons)
    assert score.points <= 0.25 * score.max_points + 1e-9


def test_foreign_names_send_the_draft_for_review():
    text = STRONG_JOAQUIM + " Ngozi and Ada will come to the allotment with Chidi."
    score = score_draft(text, JOAQUIM)
    assert any("names foreign" in r for r in score.review_reasons)


def test_pasted_descriptions_earn_nothing_and_are_flagged():
    pasted = " ".join(e.description for e in JOAQUIM.elements)
    score = score_draft(pasted, JOAQUIM)
    assert score.points <= 0.1 * score.max_points
    assert any("copying" in r for r in score.review_reasons)


def test_near_copies_of_the_expert_answer_are_flagged():
    score = score_draft(JOAQUIM.expert_formulation, JOAQUIM)
    assert score.verdict == "correct"  # the score stands; the instructor checks who wrote it
    assert any("copying" in r for r in score.review_reasons)


def test_a_repeated_sentence_counts_once():
    sentence = "Joaquim, your depression began three months after Graça died, as grief you could not let out."
    once, ten = score_draft(sentence, JOAQUIM), score_draft(" ".join([sentence] * 10), JOAQUIM)
    assert ten.points == once.points
    assert any("counted once" in n for n in ten.notes)


def test_a_draft_far_past_the_asked_length_is_flagged_not_silently_cut():
    score = score_draft(" ".join([STRONG_JOAQUIM] * 4), JOAQUIM)
    assert score.needs_review and any("asked length" in r for r in score.review_reasons)


# -- 5. a review queue instead of a silent 0 ------------------------------------------------------


@pytest.mark.parametrize("ref_id", ["ft_dev_01", "ft_dev_02", "ft_dev_03"])
def test_a_draft_in_another_language_is_provisional_not_a_silent_zero(ref_id):
    score = score_draft(draft(ref_id, "non_english"), REFS[ref_id])
    assert score.needs_review and any("English" in r for r in score.review_reasons)
    assert any("provisional" in line for line in score.feedback)


def test_terse_english_clinical_notes_are_english():
    notes = (
        "Grief. Onset ~3/12 post death of wife Graça (stroke, sudden). PHQ-9 19. Passive SI, no plan; safety plan "
        "agreed, Rita + health centre numbers, ask each session. Plan: 12 wkly sessions, reconstruct rel'ship "
        "with Graça incl. night at hospital, then reconnect Rita, café friends. Sick role. Check fit."
    )
    score = score_draft(notes, JOAQUIM)
    assert not any("English" in r for r in score.review_reasons)
    assert score.points >= 0.5 * score.max_points


def test_strong_drafts_are_not_sent_for_review():
    for ref_id in ("ft_dev_01", "ft_dev_02", "ft_dev_03", "ft_dev_05", "ft_dev_06"):
        for kind in ("strong_ipt", "strong_plain"):
            score = score_draft(draft(ref_id, kind), REFS[ref_id])
            assert not score.needs_review, (ref_id, kind, score.review_reasons)


# -- lazy trainee ---------------------------------------------------------------------------------


def test_padding_and_pasting_do_not_raise_a_score():
    core = "Joaquim, you have depression. It began after Graça died."
    filler = " Every person is different and therapy is a journey we take together." * 5
    assert fraction(core + filler, JOAQUIM) <= fraction(core, JOAQUIM) + 0.05
    stuffed = " ".join(x for e in JOAQUIM.elements for x in (e.description,))
    assert fraction(stuffed + " " + core, JOAQUIM) <= fraction(core, JOAQUIM) + 0.1
