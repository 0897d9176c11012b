"""The "Not IPT now" choice and its follow-up radio group."""

import ipywidgets as widgets
import pytest
from ipt_widgets.cases import Case, ClassificationReference
from ipt_widgets.ui.classifier import VignetteClassifier


@pytest.fixture
def psychosis_case() -> Case:
    ref = ClassificationReference.from_mapping(
        {
            "area": "not_indicated",
            "not_indicated_reason": "psychosis",
            "explanation": "He hears a voice saying he has ruined his family.",
            "reason_explanation": "Psychotic depression needs psychiatric care first.",
        },
        "test case",
    )
    return Case(id="t03_psychosis", title="Voices", text="A fictional case.", reference=ref)


def test_every_classifier_offers_the_fifth_choice(grief_case, store):
    widget = VignetteClassifier(grief_case, store)
    assert widget._area_control.options[-1] == ("Not IPT now: refer or treat first", "not_indicated")
    assert len(widget._area_control.options) == 5


def test_the_reason_group_appears_only_for_not_indicated(grief_case, store, saved):
    widget = VignetteClassifier(grief_case, store)
    assert widget._reason_control.layout.display == "none"
    widget.area = "not_indicated"
    assert widget._reason_control.layout.display is None
    assert widget._stage_control.layout.display == "none"
    widget.not_indicated_reason = "substance"
    assert saved("t01_grief")["not_indicated_reason"] == "substance"
    widget.area = "grief"
    assert widget._reason_control.layout.display == "none"
    assert "not_indicated_reason" not in saved("t01_grief")  # a reason only counts for "not IPT now"


def test_each_follow_up_is_its_own_labelled_radio_group(grief_case, store):
    widget = VignetteClassifier(grief_case, store)
    groups = [widget._area_control, widget._stage_control, widget._reason_control, widget._secondary_control]
    # Each RadioButtons is one radiogroup, one Tab stop, labelled by its description (ui/keyboard.py).
    assert all(isinstance(g, widgets.RadioButtons) for g in groups)
    labels = [g.description for g in groups]
    assert all(labels) and len(set(labels)) == len(labels)
    assert widget._reason_control.description == "Why not IPT now:"
    assert [k for _, k in widget._reason_control.options] == [
        "bipolar",
        "psychosis",
        "substance",
        "acute_risk",
        "other",
    ]
    children = list(widget.children)
    assert children.index(widget._reason_control) == children.index(widget._area_control) + 2


def test_practice_feedback_for_each_path(psychosis_case, grief_case, store):
    widget = VignetteClassifier(psychosis_case, store)
    widget.answer(area="not_indicated", not_indicated_reason="psychosis")
    assert widget.check().verdict == "correct"
    assert "Psychotic features is the reason" in widget.feedback.value
    widget.answer(not_indicated_reason="bipolar")
    assert widget.check().verdict == "partial"
    widget.answer(area="grief")
    assert widget.check().verdict == "incorrect" and "psychiatric care first" in widget.feedback.value
    other = VignetteClassifier(grief_case, store)
    other.answer(area="not_indicated", not_indicated_reason="other")
    assert other.check().verdict == "incorrect" and "IPT can start" in other.feedback.value


def test_the_reason_survives_a_restart(psychosis_case, store):
    VignetteClassifier(psychosis_case, store).answer(area="not_indicated", not_indicated_reason="acute_risk")
    again = VignetteClassifier(psychosis_case, store)
    assert (again.area, again.not_indicated_reason) == ("not_indicated", "acute_risk")
    assert again._reason_control.layout.display is None


def test_a_bad_reason_is_refused(grief_case, store):
    widget = VignetteClassifier(grief_case, store)
    with pytest.raises(Exception, match="not_indicated_reason must be one of"):
        widget.not_indicated_reason = "mania"
