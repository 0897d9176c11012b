"""InterventionDrafter: saves while typing (debounced), counts words, checks element by element."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from ipt_widgets.formulations import load_draft_tasks
from ipt_widgets.ui import drafter as drafter_module
from ipt_widgets.ui.base import STALE_NOTE
from ipt_widgets.ui.drafter import InterventionDrafter

TASKS = load_draft_tasks(Path(__file__).parents[1] / "fixtures" / "formulation.yaml")
TASK = TASKS["t_grief"]


@pytest.fixture
def widget(store):
    return InterventionDrafter.for_task(TASK, store)


def test_building_writes_nothing(widget, store):
    assert widget.text.value == "" and not store.path.exists()
    assert "0 words" in widget.count.value
    assert "Ngozi" in widget.children[0].value  # the vignette is shown


def test_typing_saves_at_once_then_at_most_once_a_second_and_always_the_last_keystroke(widget, saved, monkeypatch):
    monkeypatch.setattr(drafter_module, "SAVE_INTERVAL", 0.3)
    widget.text.value = "Grief"
    assert saved("t_grief") == "Grief"  # the first keystroke after a pause is saved immediately
    widget.text.value = "Grief for"
    widget.text.value = "Grief for Ngozi"
    assert saved("t_grief") == "Grief"  # within the interval: pending, not yet written
    deadline = time.monotonic() + 3
    while saved("t_grief") != "Grief for Ngozi" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert saved("t_grief") == "Grief for Ngozi"  # the trailing save caught the last keystroke


def test_flush_saves_a_pending_change(widget, saved):
    widget.text.value = "One"
    widget.text.value = "One two three"
    widget.flush()
    assert saved("t_grief") == "One two three"
    assert "3 words" in widget.count.value and "aim for about 100–200" in widget.count.value


def test_restores_the_saved_draft_without_writing(store):
    store.save("t_grief", "My earlier draft about Ngozi.")
    before = store.path.stat().st_mtime_ns
    widget = InterventionDrafter.for_task(TASK, store)
    assert widget.text.value == "My earlier draft about Ngozi."
    assert "restored" in widget.status.value
    assert store.path.stat().st_mtime_ns == before


def test_a_saved_value_that_is_not_text_is_reported_not_lost(store):
    store.save("t_grief", {"odd": 1})
    widget = InterventionDrafter.for_task(TASK, store)
    assert widget.text.value == "" and "could not be restored" in widget.status.value


def test_practice_check_shows_elements_and_hides_the_expert_until_asked(widget):
    widget.text.value = (
        "Mr Okafor, your depression began two months after Ngozi died and I think it comes from how hard it has "
        "been to grieve her. Depression is an illness, not a weakness."
    )
    score = widget.check()
    html = widget.feedback.value
    assert score.points > 0
    assert "What a good answer does" in html and "You wrote:" in html and "An expert might write:" in html
    assert "Expert formulation" not in html
    widget._reveal_button.click()
    assert "Expert formulation" in widget.feedback.value and "Does that fit how you see it?" in widget.feedback.value


def test_keystrokes_arriving_after_the_check_keep_the_card_and_mark_it_as_old(widget, saved):
    """The browser may deliver the last keystrokes after the button's click: the card must survive."""
    widget.text.value = "Your depression began two months after Ngozi died, and it comes from grief"
    widget.check()
    card = widget.feedback.value
    widget.text.value += "."  # the late keystroke
    assert widget.feedback.value == STALE_NOTE + card
    widget.flush()
    assert saved(widget.item_id).endswith("from grief.")
    widget.check()
    assert not widget.feedback.value.startswith(STALE_NOTE)


def test_trainee_text_is_escaped_in_the_card(widget):
    widget.text.value = "Your depression began two months after Ngozi died <script>alert(1)</script>, from grief."
    widget.check()  # the sentence is the evidence for the grief element, so the card quotes it
    assert "<script>" not in widget.feedback.value and "&lt;script&gt;" in widget.feedback.value


def test_graded_mode_records_only_and_holds_no_reference(store, saved):
    widget = InterventionDrafter.for_task(TASK, store, mode="graded")
    assert widget.reference is None
    widget.text.value = "A graded draft."
    widget.flush()
    assert saved("t_grief") == "A graded draft."
    assert widget.check() is None and "Saved for grading" in widget.feedback.value
    assert not any(getattr(child, "description", "") == "Check my draft" for child in widget.children)
