"""Timeline scoring: onset, worsening, event timing and the mood curve."""

import pytest
from ipt_widgets.scoring.timeline import (
    TimelineAnswer,
    TimelineEvent,
    TimelineReference,
    correlation,
    parse_timeline,
    score_timeline,
)

EVENTS = [
    TimelineEvent("e1", "Birthday"),
    TimelineEvent("e2", "Mother goes home"),
    TimelineEvent("e3", "Husband posted away"),
]
MOOD = [7, 7, 7, 5, 4, 4, 4, 2, 2, 3]
REF = TimelineReference.from_mapping(
    {
        "onset": "e2",
        "worsening": "e3",
        "event_weeks": {"e1": 2, "e2": 4, "e3": 8},
        "mood": MOOD,
        "explanation": "Onset when her mother left.",
        "event_feedback": {"e1": "A happy day, not the onset."},
    },
    "ref",
    EVENTS,
    10,
)


def answer(**kw):
    base = {"mood": tuple(MOOD), "event_weeks": {"e1": 2, "e2": 4, "e3": 8}, "onset": "e2", "worsening": "e3"}
    base.update(kw)
    return TimelineAnswer(**base)


def test_perfect_timeline():
    assert score_timeline(answer(), REF, EVENTS, 4).points == 4.0


def test_wrong_onset_explains_that_event():
    score = score_timeline(answer(onset="e1"), REF, EVENTS, 4)
    assert score.points == pytest.approx(4 * 0.6)
    assert "A happy day" in score.feedback[0]


def test_link_messages_speak_of_the_link_being_judged():
    ref = TimelineReference.from_mapping(
        {
            "onset": "e2",
            "worsening": "e3",
            "event_weeks": {"e1": 2, "e2": 4, "e3": 8},
            "mood": MOOD,
            "explanation": "Onset when her mother left.",
            "event_feedback": {"e1": "Not the worsening: her mood was still 7 that week."},
        },
        "ref",
        EVENTS,
        10,
    )
    onset_on_birthday = score_timeline(answer(onset="e1"), ref, EVENTS, 4).feedback[0]
    assert "worsening" not in onset_on_birthday and "first falls" in onset_on_birthday
    swapped = score_timeline(answer(onset="e3", worsening="e2"), ref, EVENTS, 4).feedback
    assert swapped[0] == (
        "You linked the onset to Husband posted away, but that is the worsening: the onset is the event "
        "in the week the mood first falls and stays down."
    )
    missing = score_timeline(answer(worsening=None), ref, EVENTS, 4).feedback[0]
    assert missing.startswith("You have not linked the worsening to an event yet")


def test_events_within_a_week_count_as_placed():
    assert score_timeline(answer(event_weeks={"e1": 3, "e2": 5, "e3": 7}), REF, EVENTS, 1).parts["timing"] == 1.0
    assert score_timeline(answer(event_weeks={"e1": 5}), REF, EVENTS, 1).parts["timing"] == 0.0


def test_flat_or_inverted_mood_earns_nothing_for_the_curve():
    assert score_timeline(answer(mood=(5,) * 10), REF, EVENTS, 1).parts["mood"] == 0.0
    assert score_timeline(answer(mood=tuple(10 - m for m in MOOD)), REF, EVENTS, 1).parts["mood"] == 0.0
    rough = (8, 8, 6, 6, 5, 5, 5, 3, 3, 3)
    assert score_timeline(answer(mood=rough), REF, EVENTS, 1).parts["mood"] == 1.0


def test_untouched_timeline_is_unanswered():
    score = score_timeline(TimelineAnswer((5,) * 10, {}), REF, EVENTS, 4)
    assert score.verdict == "unanswered"


def test_correlation_edge_cases():
    assert correlation([1, 2, 3], [1, 2, 3]) == pytest.approx(1.0)
    assert correlation([1, 1, 1], [1, 2, 3]) == 0.0
    assert correlation([1, 2], [1, 2]) == 0.0


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("x", "not a timeline"),
        ({"mood": [1, 2]}, "not 10 weekly"),
        ({"mood": [11] * 10}, "whole numbers"),
        ({"mood": [True] * 10}, "whole numbers"),
        ({"mood": [1] * 10, "event_weeks": [1]}, "not a mapping"),
    ],
)
def test_parse_rejects_bad_values(value, problem):
    assert problem in parse_timeline(value, 10)[1]


def test_parse_drops_out_of_range_weeks():
    parsed, _ = parse_timeline({"mood": [5] * 10, "event_weeks": {"e1": 99, "e2": 3}, "onset": 5}, 10)
    assert parsed.event_weeks == {"e2": 3} and parsed.onset is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"onset": "e9"}, "field 'onset'"),
        ({"worsening": "e2"}, "different events"),
        ({"mood": [1] * 3}, "3 ratings"),
        ({"event_weeks": {"e1": 2, "e2": 4}}, "'e3'"),
    ],
)
def test_bad_references(change, message):
    data = {"onset": "e2", "worsening": "e3", "event_weeks": {"e1": 2, "e2": 4, "e3": 8}, "mood": MOOD, **change}
    with pytest.raises(ValueError, match=message):
        TimelineReference.from_mapping(data, "ref", EVENTS, 10)
