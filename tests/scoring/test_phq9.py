"""PHQ-9 rules (Kroenke et al. 2001) and the scoring of a trainee's interpretation."""

import pytest
from ipt_widgets.scoring.phq9 import (
    PHQ9Answer,
    PHQ9Reference,
    interpretation,
    is_remission,
    is_response,
    needs_safety_assessment,
    parse_phq9,
    phq9_band,
    phq9_total,
    score_phq9,
    score_phrases,
)


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately_severe"),
        (19, "moderately_severe"),
        (20, "severe"),
        (27, "severe"),
    ],
)
def test_band_boundaries(total, band):
    assert phq9_band(total) == band


def test_total_and_its_validation():
    assert phq9_total([3] * 9) == 27
    for bad in ([1] * 8, [4] + [0] * 8, [True] * 9):
        with pytest.raises(ValueError):
            phq9_total(bad)
    with pytest.raises(ValueError):
        phq9_band(28)


def test_response_and_remission_rules():
    assert is_response(18, 9) and not is_response(18, 10) and not is_response(0, 0)
    assert is_remission(4) and not is_remission(5)


def test_item_nine_needs_a_safety_assessment_whatever_the_total():
    assert needs_safety_assessment([0] * 8 + [1])
    assert not needs_safety_assessment([3] * 8 + [0])


def test_phrases_convert_and_bad_ones_are_named():
    assert score_phrases(
        ["not at all", "Several  days", "more than half the days", "nearly every day"] + ["not at all"] * 5, "x"
    ) == [0, 1, 2, 3, 0, 0, 0, 0, 0]
    with pytest.raises(ValueError, match="item 2 answer 'often'"):
        score_phrases(["not at all", "often"] + ["not at all"] * 7, "case x")


SESSIONS = [[3, 3, 2, 3, 1, 2, 2, 1, 0], [1, 2, 1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 0, 1, 1, 1, 0]]
REF = PHQ9Reference.from_mapping({"sessions": SESSIONS}, "ref")
LABELS = ["Intake", "Session 8", "Session 16"]


def test_interpretation():
    truth = interpretation(REF)
    assert truth == {
        "totals": [17, 10, 7],
        "band_intake": "moderately_severe",
        "response": "yes",
        "remission": "no",
        "safety_sessions": [1],
    }


def perfect(**change):
    base = {
        "sessions": tuple(map(tuple, SESSIONS)),
        "totals": (17, 10, 7),
        "band_intake": "moderately_severe",
        "response": "yes",
        "remission": "no",
    }
    return PHQ9Answer(**{**base, **change})


def test_perfect_and_partial_scores():
    assert score_phq9(perfect(), REF, LABELS, 5).points == 5.0
    score = score_phq9(perfect(response="no"), REF, LABELS, 5)
    assert score.points == pytest.approx(5 * 0.85)
    assert "at least half" in " ".join(score.feedback)
    assert any("Item 9 was above 0 at Session 8" in line for line in score.expert)


def test_unanswered():
    empty = PHQ9Answer(tuple((None,) * 9 for _ in range(3)), (None,) * 3)
    assert score_phq9(empty, REF, LABELS, 5).verdict == "unanswered"


def test_parse_sanitises_values():
    parsed, problem = parse_phq9({"sessions": [[9] * 9, [1] * 9, [0] * 9], "totals": [100, 9], "band_intake": "x"}, 3)
    assert problem is None and parsed.sessions[0] == (None,) * 9 and parsed.totals == (None, 9, None)
    assert parse_phq9({"sessions": [[1] * 9]}, 3)[1].startswith("the saved PHQ-9 answer does not hold")


def test_item_feedback_names_the_sessions_and_items_and_keeps_blanks_apart():
    wrong = [list(s) for s in SESSIONS]
    wrong[0][1], wrong[0][4] = 0, 3  # intake items 2 and 5 differ
    wrong[2] = [None] * 9  # the last session not scored
    answer = perfect(sessions=tuple(map(tuple, wrong)), totals=(13, 10, None))
    feedback = score_phq9(answer, REF, LABELS, 5).feedback
    assert feedback[0].startswith("Check these item scores against the answers given (Intake: items 2 and 5).")
    assert feedback[1].startswith("Not scored yet: Session 16: all nine items.")
    text = " ".join(feedback)
    assert "item score(s) differ" not in text and "Some totals are wrong" not in text
    assert "Enter the total for Session 16" in text


def test_totals_that_follow_the_trainees_own_items_are_not_called_wrong():
    """Practice computes the totals from the items: the item scores are what to fix."""
    wrong = [list(s) for s in SESSIONS]
    wrong[0][0] = 0  # intake 14 instead of 17: moderate, and no response from 14 to 7
    answer = perfect(sessions=tuple(map(tuple, wrong)), totals=(14, 10, 7), band_intake="moderate", response="yes")
    text = " ".join(score_phq9(answer, REF, LABELS, 5).feedback)
    assert "Your totals add up your item scores; they will be right once the item scores are." in text
    assert "Your band follows from your intake total of 14" in text
    arithmetic = perfect(totals=(18, 10, 7))
    text = " ".join(score_phq9(arithmetic, REF, LABELS, 5).feedback)
    assert "Check the totals of Intake (you wrote 18; your nine item scores add up to 17)" in text
