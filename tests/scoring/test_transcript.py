"""Transcript coding: per-turn credit, accepted alternatives, explanations."""

import pytest
from ipt_widgets.scoring.transcript import TranscriptReference, parse_codes, score_transcript

REF = TranscriptReference.from_mapping(
    {
        "turns": [
            {"technique": "exploratory", "explanation": "Opening question."},
            {"technique": "therapeutic_relationship", "also_accept": ["clarification"], "explanation": "Here and now."},
            {"technique": "off_model", "explanation": "A thought record is CBT homework."},
            {"technique": "role_play", "explanation": "Rehearsal."},
        ]
    },
    "ref",
)


def test_all_right_and_accepted_alternatives_score_full():
    codes = {"t1": "exploratory", "t2": "clarification", "t3": "off_model", "t4": "role_play"}
    assert score_transcript(codes, REF, 4).points == 4.0


def test_each_turn_is_an_equal_share_and_misses_are_explained():
    codes = {"t1": "exploratory", "t2": "directive", "t3": "directive"}
    score = score_transcript(codes, REF, 4)
    assert score.points == 1.0 and score.verdict == "partial"
    assert any("Turn 3" in line and "CBT homework" in line for line in score.feedback)
    assert any("Turn 4: you chose nothing" in line for line in score.feedback)


def test_nothing_coded_is_unanswered():
    assert score_transcript({}, REF, 4).verdict == "unanswered"


def test_parse_keeps_only_known_techniques():
    assert parse_codes({"codes": {"t1": "exploratory", "t2": "hypnosis"}}) == ({"t1": "exploratory"}, None)
    assert parse_codes(["x"])[1].startswith("the saved coding")


def test_bad_reference():
    with pytest.raises(ValueError, match="therapist turn 1: field 'technique'"):
        TranscriptReference.from_mapping({"turns": [{"technique": "hypnosis"}]}, "ref")
    with pytest.raises(ValueError, match="also_accept"):
        TranscriptReference.from_mapping({"turns": [{"technique": "exploratory", "also_accept": ["x"]}]}, "ref")
