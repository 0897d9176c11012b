"""VignetteClassifier without a browser: set traits or click, assert on feedback and the file.

(The pattern of ipywidgets' own widgets/tests/test_interaction.py.)
"""

import pytest
from ipt_widgets.cases import Case
from ipt_widgets.ui.base import STALE_NOTE
from ipt_widgets.ui.classifier import VignetteClassifier


def test_building_restores_nothing_and_writes_nothing(grief_case, store):
    widget = VignetteClassifier(grief_case, store)
    assert (widget.area, widget.stage, widget.rationale) == (None, None, "")
    assert not store.path.exists()
    assert widget.feedback.value == ""


def test_every_interaction_saves(grief_case, store, saved):
    widget = VignetteClassifier(grief_case, store)
    widget._area_control.value = "role_transition"  # as a click on the radio button would
    assert saved("t01_grief")["area"] == "role_transition"
    widget._rationale_control.value = "Her husband died in March."
    assert saved("t01_grief") == {
        "area": "role_transition",
        "stage": None,
        "rationale": "Her husband died in March.",
    }
    assert "Saved automatically" in widget.status.value


def test_wrong_choice_gets_feedback_on_that_distractor(grief_case, store):
    widget = VignetteClassifier(grief_case, store)
    widget.answer(area="role_dispute")
    widget._check_button.click()
    assert "tension with her son follows the death" in widget.feedback.value
    assert "Change your answer and check again" in widget.feedback.value
    assert "Expert answer" not in widget.feedback.value  # practice does not give it away on a miss
    widget.answer(area="interpersonal_deficits")
    # The old card stays (a late keystroke must not erase it) but says it is about the old answer.
    assert widget.feedback.value.startswith(STALE_NOTE) and "tension with her son" in widget.feedback.value
    widget.answer(area="role_dispute")  # back to the answer that was checked: the card is current again
    assert not widget.feedback.value.startswith(STALE_NOTE) and "tension with her son" in widget.feedback.value
    widget.answer(area="interpersonal_deficits")
    widget.check()
    assert "close ties until the death" in widget.feedback.value


def test_right_choice_confirms_and_explains(grief_case, store):
    widget = VignetteClassifier(grief_case, store)
    seen = []
    widget.on_check(lambda w, score: seen.append(score.verdict))
    widget.answer(area="grief")
    widget.check()
    assert "Correct" in widget.feedback.value and "mourning has stalled" in widget.feedback.value
    assert seen == ["correct"]


def test_show_expert_answer(grief_case, store):
    widget = VignetteClassifier(grief_case, store)
    widget._reveal_button.click()
    assert "Expert answer:</strong> Grief" in widget.feedback.value


def test_next_step_never_contradicts_what_was_shown(grief_case, store):
    widget = VignetteClassifier(grief_case, store)
    widget.check()
    assert "Answer above first" in widget.feedback.value and "Try again" not in widget.feedback.value
    widget.answer(area="role_dispute")
    widget._reveal_button.click()
    widget.check()  # the expert answer was shown: "try again" would be a pretence
    assert "You have seen the expert answer" in widget.feedback.value
    assert "Change your answer" not in widget.feedback.value


def test_a_correct_card_confirms_rather_than_repeats(grief_case, store):
    widget = VignetteClassifier(grief_case, store)
    widget.answer(area="grief")
    widget.check()
    assert "Expert answer:</strong> Grief, as you chose." in widget.feedback.value


def test_stage_control_appears_only_for_role_disputes(grief_case, store, saved):
    widget = VignetteClassifier(grief_case, store)
    assert widget._stage_control.layout.display == "none"
    widget.area = "role_dispute"
    assert widget._stage_control.layout.display is None
    widget.stage = "impasse"
    assert saved("t01_grief")["stage"] == "impasse"
    widget.area = "grief"
    assert widget._stage_control.layout.display == "none"
    assert saved("t01_grief")["stage"] is None  # a stage only counts for a dispute


def test_answer_survives_a_kernel_restart(grief_case, store):
    first = VignetteClassifier(grief_case, store)
    first.answer(area="role_dispute", stage="dissolution", rationale="They have separated.")
    mtime = store.path.stat().st_mtime_ns
    second = VignetteClassifier(grief_case, store)  # a new kernel builds the widget again
    assert (second.area, second.stage, second.rationale) == ("role_dispute", "dissolution", "They have separated.")
    assert second._area_control.value == "role_dispute"
    assert "restored" in second.status.value
    assert store.path.stat().st_mtime_ns == mtime  # restoring never writes


def test_graded_mode_records_and_reveals_nothing(grief_case, store, saved):
    widget = VignetteClassifier(grief_case, store, mode="graded")
    assert not hasattr(widget, "_check_button")
    widget.answer(area="role_dispute")
    assert "Saved for grading" in widget.status.value
    widget.check()
    assert "mourning" not in widget.feedback.value and "tension" not in widget.feedback.value
    assert saved("t01_grief")["area"] == "role_dispute"


def test_graded_mode_works_without_a_reference(store, saved):
    case = Case(id="g1", title="Graded", text="Text only.")
    widget = VignetteClassifier(case, store, mode="graded")
    widget.answer(area="grief")
    assert saved("g1")["area"] == "grief"
    with pytest.raises(ValueError, match="practice mode needs"):
        VignetteClassifier(case, store, mode="practice")


def test_bad_file_is_reported_in_the_widget_not_raised(grief_case, store, saved):
    store.path.write_text("{ truncated", encoding="utf-8")
    widget = VignetteClassifier(grief_case, store)
    assert "not valid JSON" in widget.status.value
    widget.answer(area="grief")
    assert "kept as" in widget.status.value
    assert saved("t01_grief")["area"] == "grief"


def test_tampered_saved_value_is_reported(grief_case, store):
    store.save("t01_grief", {"area": "adjustment_difficulties"})
    widget = VignetteClassifier(grief_case, store)
    assert widget.area is None and "could not be restored" in widget.status.value


def test_failed_save_keeps_the_answer_and_says_so(grief_case, store, monkeypatch):
    widget = VignetteClassifier(grief_case, store)

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store, "save", full_disk)
    widget.answer(area="grief")
    assert widget.area == "grief"
    assert "could not be saved" in widget.status.value and "No space" in widget.status.value


def test_invalid_traits_are_refused(grief_case, store):
    widget = VignetteClassifier(grief_case, store)
    with pytest.raises(Exception, match="area must be one of"):
        widget.area = "adjustment_difficulties"
    with pytest.raises(ValueError, match="mode"):
        VignetteClassifier(grief_case, store, mode="exam")


def test_controls_are_labelled_and_text_is_escaped(store):
    case = Case(id="x", title="<img src=x onerror=alert(1)>", text="<script>alert(1)</script>")
    widget = VignetteClassifier(case, store, mode="graded")
    html = widget.children[0].value
    assert "<script>" not in html and "&lt;script&gt;" in html and "<img" not in html
    for control in (widget._area_control, widget._stage_control, widget._rationale_control):
        assert control.description.strip(), "every control needs a visible label"
