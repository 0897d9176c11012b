"""The secondary-area radio group: shown, saved and restored only for a case that asks for it."""

import ipywidgets as widgets
import pytest
from ipt_widgets.cases import Case, ClassificationReference
from ipt_widgets.ui.classifier import VignetteClassifier


@pytest.fixture
def mixed_case() -> Case:
    ref = ClassificationReference.from_mapping(
        {
            "area": "grief",
            "secondary": "role_dispute",
            "explanation": "Her mood fell after her brother died.",
            "secondary_explanation": "The quarrel over his house is live.",
        },
        "test case",
    )
    return Case(id="t02_mixed", title="Mixed", text="A fictional case.", reference=ref, ask_secondary=True)


def test_the_secondary_group_appears_only_when_the_case_asks(grief_case, mixed_case, store):
    plain = VignetteClassifier(grief_case, store)
    assert plain._secondary_control.layout.display == "none"
    mixed = VignetteClassifier(mixed_case, store)
    assert mixed._secondary_control.layout.display is None
    with pytest.raises(ValueError, match="does not ask for a secondary"):
        plain.answer(area="grief", secondary="role_dispute")


def test_the_secondary_group_is_one_labelled_radio_group(mixed_case, store):
    widget = VignetteClassifier(mixed_case, store)
    group = widget._secondary_control
    # A RadioButtons is one Tab stop with a label (ui/keyboard.py names its inputs and labels its radiogroup).
    assert isinstance(group, widgets.RadioButtons) and group.description == "Secondary problem area:"
    assert group.description != widget._area_control.description
    assert [v for _, v in group.options][-1] == "none" and group.value is None


def test_secondary_is_saved_scored_and_restored(mixed_case, store, saved):
    widget = VignetteClassifier(mixed_case, store)
    widget.answer(area="grief", secondary="role_dispute")
    assert saved("t02_mixed") == {"area": "grief", "stage": None, "rationale": "", "secondary": "role_dispute"}
    widget.check()
    assert "right secondary area" in widget.feedback.value and "quarrel over his house" in widget.feedback.value
    again = VignetteClassifier(mixed_case, store)
    assert again.secondary == "role_dispute" and again._secondary_control.value == "role_dispute"


def test_a_partial_answer_explains_the_secondary(mixed_case, store):
    widget = VignetteClassifier(mixed_case, store)
    widget.answer(area="grief", secondary="none")
    widget.check()
    assert "Partly correct" in widget.feedback.value and "the expert&#x27;s secondary area is role dispute" in (
        widget.feedback.value
    )


def test_a_plain_case_never_saves_a_secondary(grief_case, store, saved):
    widget = VignetteClassifier(grief_case, store)
    widget.secondary = "role_dispute"  # hidden control: never part of the answer
    widget.answer(area="grief")
    assert "secondary" not in saved("t01_grief")
