"""The adherence checklist scorer: agreement with the expert's rating, item by item."""

import pytest
from ipt_widgets.scoring.adherence import (
    CHECKLIST,
    ITEMS,
    NA,
    RISK_ITEM,
    AdherenceReference,
    agreement,
    parse_rating,
    parse_ratings,
    score_adherence,
)


def reference(**overrides):
    """Every item rated 2 except those that allow N/A (rated N/A), then the overrides."""
    ratings = {item.key: NA if item.allows_na else 2 for item in CHECKLIST}
    ratings.update(overrides)
    return AdherenceReference.from_mapping(
        {key: {"rating": value, "reason": f"Reason for {key}."} for key, value in ratings.items()}, "test.yaml"
    )


def expert_ratings(ref):
    return {key: r.rating for key, r in ref.ratings.items()}


def test_the_checklist_has_eight_to_twelve_items_with_unique_keys_and_a_risk_item():
    assert 8 <= len(CHECKLIST) <= 12
    assert len(ITEMS) == len(CHECKLIST)
    assert ITEMS[RISK_ITEM].allows_na and not ITEMS["mood_events"].allows_na


@pytest.mark.parametrize(
    "given,expert,key,credit",
    [
        (2, 2, "affect", 1.0),
        (1, 2, "affect", 0.5),
        (0, 1, "affect", 0.5),
        (0, 2, "affect", 0.0),
        (NA, NA, "communication_analysis", 1.0),
        (NA, 0, "communication_analysis", 0.0),
        (0, NA, "communication_analysis", 0.0),
        (None, 2, "affect", 0.0),
        (1, 0, RISK_ITEM, 0.0),  # "partly" is not an answer to a missed risk cue
        (2, 1, RISK_ITEM, 0.5),
    ],
)
def test_agreement_exact_adjacent_and_far(given, expert, key, credit):
    assert agreement(given, expert, key) == credit


def test_the_experts_own_rating_scores_full_and_nothing_scores_unanswered():
    ref = reference(risk=0, affect=1)
    score = score_adherence(expert_ratings(ref), ref, max_points=3)
    assert score.points == 3 and score.verdict == "correct"
    empty = score_adherence({}, ref, max_points=3)
    assert empty.points == 0 and empty.verdict == "unanswered"
    assert len(empty.expert) == len(CHECKLIST)


def test_one_step_away_earns_half_of_that_items_share():
    ref = reference()  # no risk cue: ten equal shares
    ratings = expert_ratings(ref) | {"affect": 1}
    score = score_adherence(ratings, ref)
    assert score.points == pytest.approx(1 - 0.5 / len(CHECKLIST), abs=1e-4)
    assert score.verdict == "partial"
    assert any(line.startswith("Encouraged the expression of affect: you rated 1") for line in score.feedback)
    assert any("Reason for affect." in line for line in score.feedback)


def test_a_missed_risk_cue_rated_as_handled_costs_double_and_says_what_to_do():
    ref = reference(risk=0)
    score = score_adherence(expert_ratings(ref) | {RISK_ITEM: 2}, ref)
    whole = len(CHECKLIST) - 1 + 2
    assert score.points == pytest.approx(1 - 2 / whole, abs=1e-4)
    assert score.parts[RISK_ITEM] == 0.0 and score.parts["items"] == 1.0
    risk_line = next(line for line in score.feedback if line.startswith(ITEMS[RISK_ITEM].label))
    assert "ask directly" in risk_line and "supervisor" in risk_line


def test_risk_rated_na_where_no_cue_came_up_counts_like_any_item():
    ref = reference()
    assert set(score_adherence(expert_ratings(ref), ref).parts) == {"items"}
    wrong = score_adherence(expert_ratings(ref) | {RISK_ITEM: 2}, ref)
    assert wrong.points == pytest.approx(1 - 1 / len(CHECKLIST), abs=1e-4)


def test_the_summary_gives_agreement_and_both_totals():
    ref = reference(focus=1)
    summary = score_adherence(expert_ratings(ref) | {"stance": 0}, ref).feedback[0]
    applicable = sum(not i.allows_na for i in CHECKLIST)
    assert f"agreed with the expert on {len(CHECKLIST) - 1} of {len(CHECKLIST)}" in summary
    assert f"{2 * applicable - 1} of {2 * applicable}" in summary  # the expert's total
    partial = score_adherence({"focus": 1}, ref).feedback
    assert "You rated 1 of" in partial[0]


def test_unrated_items_are_listed_without_giving_the_experts_rating_away():
    ref = reference(risk=0)
    feedback = score_adherence({"focus": 2}, ref).feedback
    assert len(feedback) == 2 and feedback[1].startswith("Not rated yet, so no credit:")
    assert "Reason for" not in " ".join(feedback) and ITEMS[RISK_ITEM].label in feedback[1]


def test_parse_rating_accepts_the_forms_a_file_or_widget_gives():
    assert [parse_rating(v) for v in (2, "1", " 0 ", "na", "N/A", "NA")] == [2, 1, 0, NA, NA, NA]
    assert [parse_rating(v) for v in (3, -1, True, "yes", None, 1.5, [])] == [None] * 7


def test_parse_ratings_drops_unknown_items_and_na_where_not_allowed():
    ratings, problem = parse_ratings({"ratings": {"affect": 2, "bogus": 1, "focus": "na", RISK_ITEM: "na"}})
    assert problem is None and ratings == {"affect": 2, RISK_ITEM: NA}
    assert parse_ratings(None) == (None, None)
    assert parse_ratings(["not", "a", "mapping"])[1]


@pytest.mark.parametrize(
    "mutate,message",
    [
        (lambda d: d.pop("affect"), "checklist item 'affect' is not rated"),
        (lambda d: d.update(afect=d["affect"]), "unknown checklist item 'afect'; did you mean 'affect'?"),
        (lambda d: d["affect"].update(rating=3), "field 'rating' is 3"),
        (lambda d: d["focus"].update(rating="na"), "cannot be N/A"),
        (lambda d: d["affect"].pop("reason"), "field 'reason' must be non-empty text"),
        (lambda d: d["affect"].update(reasn="x"), "unknown field 'reasn'"),
    ],
)
def test_a_bad_reference_names_the_file_item_and_field(mutate, message):
    data = {item.key: {"rating": 2 if not item.allows_na else NA, "reason": "r"} for item in CHECKLIST}
    mutate(data)
    with pytest.raises(ValueError, match="test.yaml") as raised:
        AdherenceReference.from_mapping(data, "test.yaml")
    assert message in str(raised.value)


def test_scores_stay_within_the_points_for_any_ratings():
    ref = reference(risk=0, affect=1)
    for value in (2, 1, 0, NA):
        ratings = {key: value for key in ITEMS}
        score = score_adherence(parse_ratings({"ratings": ratings})[0], ref, max_points=2)
        assert 0 <= score.points <= 2
