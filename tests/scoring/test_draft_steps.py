"""The pure steps of the free-text pipeline, each on its own (no encoder needed)."""

from __future__ import annotations

import pytest
from ipt_widgets.scoring.draft_checks import cue_kinds, cue_kinds_after, named_stages, read_areas, ruling_out
from ipt_widgets.scoring.draft_copying import _source, asked_words, copy_share, dedupe, foreign_names
from ipt_widgets.scoring.draft_specificity import foreign_share
from ipt_widgets.scoring.draft_text import affirmed_text, looks_english, negated_scopes

from tests.scoring.test_free_text_rules import JOAQUIM


@pytest.mark.parametrize(
    ("sentence", "affirmed"),
    [
        ("This is not about her death.", "This is ."),
        ("There is no need for a safety plan, and I will ask about work.", "There is , and I will ask about work."),
        ("I won't ask about it; we will talk about Graça.", "; we will talk about Graça."),
        ("She has not been able to grieve, and they no longer talk.", None),  # the patient's state: kept
        ("It is not your fault.", None),
        # Dismissals follow what they dismiss: the whole clause goes.
        ("The timing with the land sale is just a coincidence.", "."),
        ("Her mood fell after the move, but the move is irrelevant.", "Her mood fell after the move, ."),
        ("A quarrel does not cause depression; we will talk about work.", "; we will talk about work."),
        ("The death of her mother is not irrelevant.", None),
        # Found by held-out set 5: an adverb between "I" and the negation, "little point in".
        ("I also won't do role plays with her father.", "."),
        ("There is little point in speculating about what they expect.", "There is ."),
    ],
)
def test_reversals_are_removed_but_descriptions_of_the_patient_are_kept(sentence, affirmed):
    assert affirmed_text(sentence, reversal_only=True) == (sentence if affirmed is None else affirmed)


def test_any_negation_scope_ends_at_the_clause():
    sentence = "We will not use thought records, and we focus on Ernesto."
    ((a, b),) = negated_scopes(sentence)
    assert "thought records" in sentence[a:b] and "Ernesto" not in sentence[a:b]
    assert not negated_scopes("He signed a no-suicide contract.")  # a name, not a negation


@pytest.mark.parametrize(
    ("sentence", "kinds"),
    [
        ("He will fill in a thought record each night.", {"cbt"}),
        ("We will not use a thought record.", set()),
        ("She will sign a no-suicide contract.", {"no_suicide_contract"}),
        ("I would never use a no-suicide contract.", set()),
        ("You don't need antidepressants.", {"medication_stop"}),
        ("Don't stop your tablets.", set()),
        ("He has no plan, so there is no need to ask about suicide.", {"risk_dismissed"}),
        ("You should leave him.", {"life_decision"}),
        ("We will weigh whether she should sell the licence.", set()),
        ("Ernesto is being selfish.", {"side_taking"}),
        ("She says Ernesto is being selfish.", set()),
        ("I'll ask open-ended questions.", set()),
        ("My advice is that she takes the children and goes back to her parents.", {"life_decision"}),
        ("The best thing would be for him to move back home, and I will recommend it.", {"life_decision"}),
        ("His brother's in the wrong, and he was right to walk out.", {"side_taking"}),
        ("He is right to feel hurt.", set()),
        ("You should not blame yourself.", set()),
        # Found by a blind held-out set (3): words between the cue's parts, other verbs, names.
        ("I'd like him to promise me this week that he will not hurt himself.", {"no_suicide_contract"}),
        ("It is exam nerves, so I won't make a safety plan.", {"risk_dismissed"}),
        ("It is only stress, not a real risk.", {"risk_dismissed"}),
        ("If nothing changes, I'll advise Amira to move out with the kids.", {"life_decision"}),
        ("Lena should not have shouted at you, and that was unkind of her.", {"side_taking"}),
        ("Marco is being unreasonable, and it is easy for him to say so.", {"side_taking"}),
        ("She feels her brother is being unreasonable.", set()),
        ("You should not have to carry this alone.", set()),
    ],
)
def test_cues_are_read_in_context(sentence, kinds):
    assert cue_kinds(sentence) == kinds


# Found by held-out set 4 (each class in other wordings and cases than the draft that exposed it).
@pytest.mark.parametrize(
    ("sentence", "kinds"),
    [
        # Risk named first, then dismissed: as a manner of speaking, or as nothing to come back to.
        (
            "When she says she'd be better off dead, that's only her way of talking, so I won't dwell on it.",
            {"risk_dismissed"},
        ),
        ("His comment about not waking up is nothing to worry about, as people say such things.", {"risk_dismissed"}),
        ("The thoughts of death are just venting after a long week.", {"risk_dismissed"}),
        (
            "She mentioned wishing she were dead, but it doesn't mean anything, so we will leave it aside.",
            {"risk_dismissed"},
        ),
        ("Item 9 is high, but that is just grief talking and I won't keep asking about it.", {"risk_dismissed"}),
        ("He says it wouldn't matter if he died, but that is merely an expression.", {"risk_dismissed"}),
        ("It is not just a figure of speech, so I will ask about his wish not to wake up every week.", set()),
        ("He calls it a figure of speech, but I will ask about not waking up every session.", set()),
        ("Don't worry, I will ask about those thoughts of death every session.", set()),
        ("I will ask every week about the thoughts of not waking up, and we won't leave them aside.", set()),
        # A directive push towards a drastic life decision, in any wording.
        ("It's time for you to file for divorce.", {"life_decision"}),
        ("I'd urge her to see a solicitor before he moves the money.", {"life_decision"}),
        ("You need to cut your mother off completely.", {"life_decision"}),
        ("Hand in your notice this week; the job is making you ill.", {"life_decision"}),
        ("I want you to move out of the flat and go to your sister.", {"life_decision"}),
        ("He should stop seeing his brother altogether.", {"life_decision"}),
        ("Get a divorce; you deserve better.", {"life_decision"}),
        ("We will weigh whether to ask for a separation or stay.", set()),
        ("You need to separate the two issues.", set()),
        ("You need to leave him space to talk.", set()),
        ("She has already seen a lawyer about the house.", set()),
        ("Whatever you decide about the marriage is up to you.", set()),
        # Blaming the other person.
        ("Her sister has obviously betrayed her, and I will say so.", {"side_taking"}),
        ("His father is to blame for the way he feels.", {"side_taking"}),
        ("It's all her mother-in-law's fault.", {"side_taking"}),
        ("I will help her accept that her friends abandoned her.", {"side_taking"}),
        ("His friends have always let him down.", {"side_taking"}),
        ("I'd encourage her to tell her husband how badly he has treated her.", {"side_taking"}),
        ("Samuel's isolation is not his fault.", set()),
        ("He feels his mother neglected him.", set()),
        ("Nobody is to blame for his death, and it is nobody's fault.", set()),
        ("He is afraid he will let her down.", set()),
        ("Losing Lars has really hurt her.", set()),
        ("We talked about the dispute over who was to blame for the rope.", set()),
    ],
)
def test_cues_found_by_held_out_set_4(sentence, kinds):
    assert cue_kinds(sentence) == kinds


@pytest.mark.parametrize(
    ("sentence", "kinds"),
    [
        # Dismissing risk as not an issue, or as talk not to make much of.
        ("His score on the last question was zero, so suicide is not an issue for him.", {"risk_dismissed"}),
        (
            'If he says "I would be better dead," I will not make a big thing of it, so I will reassure him '
            "and move on.",
            {"risk_dismissed"},
        ),
        ("Her safety isn't a concern at the moment, so we will skip it.", {"risk_dismissed"}),
        ("The argument is not an issue for her now.", set()),
        ("I will not make a big thing of the missed session.", set()),
        # Urging a student to leave a course.
        ("I'd encourage her to withdraw from pharmacy this week and accept the other place.", {"life_decision"}),
        ("You need to drop out and start again next year.", {"life_decision"}),
        ("We will weigh whether to withdraw from the course or stay.", set()),
        # Condemning the other person in a dispute.
        ("He should pay for what he has done.", {"side_taking"}),
        ("He is the one who should feel ashamed, not you.", {"side_taking"}),
        ("Leaving like that was a terrible thing to do.", {"side_taking"}),
        ("You deserve the house after all this.", {"side_taking"}),
        ("She feels he is the one who should feel ashamed.", set()),
    ],
)
def test_cues_found_by_held_out_set_5(sentence, kinds):
    assert cue_kinds(sentence) == kinds


def test_areas_named_ruled_out_hedged_and_ordinary():
    assert read_areas(["This is a role dispute with her brother."]).named == {"role_dispute"}
    assert not read_areas(["There was no death, no dispute and no role transition."]).named
    assert not read_areas(["Grief does not fit here."]).named
    assert not read_areas(["She has friends, which rules out interpersonal deficits."]).named
    assert not read_areas(["A role dispute is not the main problem here."]).named
    assert not read_areas(["The dispute about the licence and the grief of leaving home."]).named
    hedged = read_areas(["It may be grief, a dispute or a transition."])
    assert hedged.hedged == {"grief", "role_dispute", "role_transition"} and not hedged.named
    assert ruling_out("There was no recent death or argument.") and not ruling_out("Since the argument, silence.")


def test_stages_named_affirmatively():
    assert named_stages("The dispute is at an impasse.") == {"impasse"}
    assert named_stages("It is not a dissolution.") == set()


def test_repeats_copies_names_and_length():
    kept, repeats = dedupe(["One two three.", "one two  three", "Four five six."])
    assert kept == ["One two three.", "Four five six."] and repeats == 1
    source = _source((JOAQUIM.vignette,))
    copied = "His wife of 46 years, Graça, died of a stroke fourteen months ago."
    assert copy_share(copied, source) > 0.9 and copy_share("Graça died and he grieves her.", source) == 0
    assert foreign_names(["Then Ngozi and Ada came by.", "Rita phoned."], JOAQUIM) == ["ngozi", "ada"]
    assert asked_words(JOAQUIM) == 200
    assert foreign_share(["Joaquim, Graça died and Rita phones from Évora."], JOAQUIM) == 0.0  # too few words
    platitudes = ["Healing is a journey, not a destination, and patience and compassion are the keys to it all."] * 3
    assert foreign_share(platitudes, JOAQUIM) == 0.0  # filler is not another patient's story


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("Grief. Onset 3/12 post death. PHQ-9 19. Plan: 12 wkly sessions, safety plan, reconnect w/ Rita.", True),
        ("Ji-woo, lo que tienes es depresión, una enfermedad común que se puede tratar, y no es pereza.", False),
        (
            "Baraka, to, co przeżywasz, to depresja. Zaczęła się po powrocie ze szpitala i nie jest twoją winą; "
            "na spotkaniach grupy porozmawiamy o tym, co straciłeś.",
            False,
        ),
        ("Марта, у вас депрессия, это болезнь, которую можно лечить, и это не ваша вина.", False),
    ],
)
def test_language(text, english):
    assert looks_english(text) is english


@pytest.mark.parametrize(
    ("previous", "sentence", "kinds"),
    [
        ("As for not waking up, many men say that", "It's just a figure of speech.", {"risk_dismissed"}),
        ("He told me he sometimes wishes he were dead.", "That's just his way of talking.", {"risk_dismissed"}),
        ("She said she'd be better off dead.", "We don't need to come back to it.", {"risk_dismissed"}),
        ("He told me he sometimes wishes he were dead.", "It is not just his way of talking, so I will ask.", set()),
        ("I will ask about thoughts of death each week.", "We won't keep coming back to the argument.", set()),
        ("We talked about the bakery.", "It's just a figure of speech.", set()),
    ],
)
def test_a_risk_named_in_one_sentence_and_dismissed_in_the_next(previous, sentence, kinds):
    assert cue_kinds_after(previous, sentence) == kinds
