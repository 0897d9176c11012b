"""Shared fixtures: small cases and references built in code, so unit tests need no files."""

from __future__ import annotations

from pathlib import Path

import pytest
from ipt_widgets.cases import Case, ClassificationReference

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def dispute_reference() -> ClassificationReference:
    return ClassificationReference.from_mapping(
        {
            "area": "role_dispute",
            "stage": "impasse",
            "explanation": "The sisters have stopped speaking about the care of their mother.",
            "stage_explanation": "Talks have stalled into silent resentment.",
            "distractors": {"grief": "Nobody has died; the loss here is of closeness."},
            "stage_feedback": {"renegotiation": "They are no longer negotiating at all."},
        },
        "test reference",
    )


@pytest.fixture
def grief_case() -> Case:
    ref = ClassificationReference.from_mapping(
        {
            "area": "grief",
            "explanation": "Mood fell after her husband's death and mourning has stalled.",
            "distractors": {
                "role_dispute": "The tension with her son follows the death; it did not start the episode.",
                "role_transition": "Living alone follows from a death, so grief is the area.",
                "interpersonal_deficits": "She had close ties until the death; a recent event is present.",
            },
        },
        "test case",
    )
    return Case(id="t01_grief", title="Test case", text="A fictional widow.\n\nSecond paragraph.", reference=ref)
