"""No NaN or infinity ever becomes points: a score is a finite number in [0, max_points], and a
value that is not finite is an error path that scores 0 with a message, never full marks."""

import pytest
from ipt_widgets.feedback import score_card
from ipt_widgets.scoring import inventory, phq9, timeline, transcript
from ipt_widgets.scoring.base import NOT_SCORED, ItemScore, check_points, finish, share, weighted
from ipt_widgets.scoring.classification import score_classification

from tests.test_properties import CLASSIFICATION, EVENTS, INVENTORY, PHQ9, TIMELINE, TRANSCRIPT

NON_FINITE = [float("nan"), float("inf"), float("-inf")]


def test_nan_slips_through_min_and_max_which_is_why_share_exists():
    nan = float("nan")
    assert max(0.0, min(1.0, nan)) == 1.0  # the clamp the scorers used: NaN became full credit
    assert [share(v) for v in (*NON_FINITE, "0.5", None, True, -1, 2, 0.25)] == [0, 0, 0, 0, 0, 0, 0, 1, 0.25]


@pytest.mark.parametrize("bad", NON_FINITE)
def test_weighted_counts_a_non_finite_part_as_nothing(bad):
    assert weighted({"a": bad, "b": 1.0}, {"a": 0.5, "b": 0.5}, 4) == 2.0


@pytest.mark.parametrize("bad", [*NON_FINITE, 1.5, -0.1])
def test_finish_scores_zero_with_a_message_when_a_part_is_not_a_fraction(bad):
    score = finish({"a": bad, "b": 1.0}, {"a": 0.5, "b": 0.5}, 4, [], ["expert"], "all right")
    assert (score.points, score.verdict, score.feedback) == (0.0, "incorrect", [NOT_SCORED])
    assert score.parts == {"a": 0.0, "b": 0.0} and score.expert == ["expert"]


@pytest.mark.parametrize("bad", [*NON_FINITE, -1.0, 4.5, "4"])
def test_an_item_score_is_always_finite_and_within_its_points(bad):
    score = ItemScore(bad, 4, "correct", ["line"])
    assert score.points == 0.0 and score.verdict == "incorrect" and score.feedback[-1] == NOT_SCORED
    assert "0 / 4 points" in score_card("t", score)
    assert ItemScore(4.0000000001, 4, "correct").points == 4.0  # rounding, kept at the maximum
    assert ItemScore(bad, 4, "unanswered").verdict == "unanswered"


@pytest.mark.parametrize("bad", [*NON_FINITE, 0, -1, True, 10**400, "4"])
def test_max_points_must_be_a_positive_finite_number(bad):
    with pytest.raises(ValueError, match="max_points"):
        check_points(bad)
    with pytest.raises(ValueError, match="max_points"):
        ItemScore(0.0, bad, "incorrect")
    with pytest.raises(ValueError, match="max_points"):
        score_classification(None, CLASSIFICATION, bad)
    with pytest.raises(ValueError, match="max_points"):
        transcript.score_transcript({"t1": "exploratory"}, TRANSCRIPT, bad)


def _answers():
    """A full-marks answer for each ItemScore scorer, and how to score it."""
    full_inventory = [
        inventory.InventoryEntry("Samia", "wife", "inner", focus=True),
        inventory.InventoryEntry("Mona", "", "middle"),
    ]
    full_timeline = timeline.TimelineAnswer((7, 6, 4, 3, 2), {"e1": 2, "e2": 4}, "e1", "e2")
    full_phq9 = phq9.PHQ9Answer(((2,) * 9, (1,) * 9), (18, 9), "moderately_severe", "yes", "no")
    return {
        "inventory": (inventory, lambda: inventory.score_inventory(full_inventory, INVENTORY, 4)),
        "timeline": (timeline, lambda: timeline.score_timeline(full_timeline, TIMELINE, EVENTS, 4)),
        "phq9": (phq9, lambda: phq9.score_phq9(full_phq9, PHQ9, ["a", "b"], 4)),
        "transcript": (
            transcript,
            lambda: transcript.score_transcript({"t1": "exploratory", "t2": "off_model"}, TRANSCRIPT, 4),
        ),
    }


@pytest.mark.parametrize("name", ["inventory", "timeline", "phq9", "transcript"])
@pytest.mark.parametrize("bad", NON_FINITE)
def test_every_scorer_turns_a_non_finite_part_into_zero_not_full_marks(monkeypatch, name, bad):
    module, run = _answers()[name]
    assert run().points == 4.0  # the answer is right: only the poisoned value can change that
    real_finish = module.finish
    monkeypatch.setattr(module, "finish", lambda parts, *a, **k: real_finish({key: bad for key in parts}, *a, **k))
    score = run()
    assert score.points == 0.0 and NOT_SCORED in score.feedback


@pytest.mark.parametrize("bad", NON_FINITE)
@pytest.mark.parametrize("helper", ["_focus_share", "_listing_share"])
def test_a_non_finite_inventory_share_scores_zero(monkeypatch, bad, helper):
    _, run = _answers()["inventory"]
    monkeypatch.setattr(inventory, helper, lambda *args: (bad, ""))
    score = run()
    assert score.points == 0.0 and NOT_SCORED in score.feedback


def test_a_nan_correlation_earns_no_mood_credit(monkeypatch):
    _, run = _answers()["timeline"]
    monkeypatch.setattr(timeline, "correlation", lambda a, b: float("nan"))
    score = run()
    assert score.parts["mood"] == 0.0 and score.points == pytest.approx(4 * 0.85)
