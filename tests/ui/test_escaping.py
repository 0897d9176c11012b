"""Trainee and author text is escaped wherever a widget or card shows it (script and image payloads)."""

import ipywidgets as widgets
import pytest
from ipt_widgets.casebook import InventoryCase, PHQ9Case, TimelineCase, Transcript, Turn
from ipt_widgets.scoring.timeline import TimelineEvent
from ipt_widgets.store import ResponseStore
from ipt_widgets.ui import InventoryMapper, MoodTimeline, SymptomTracker, TranscriptCoder

PAYLOADS = ["<script>alert('x')</script>", "<img src=x onerror=alert(1)>", "\"'><svg onload=alert(1)>"]


def all_html(widget):
    out = []
    stack = [widget]
    while stack:
        w = stack.pop()
        if isinstance(w, widgets.HTML):
            out.append(w.value)
        stack.extend(getattr(w, "children", ()))
    return "\n".join(out)


def assert_safe(html):
    assert "<script" not in html and "<img" not in html and "<svg onload" not in html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_widget_escapes(tmp_path, payload):
    store = ResponseStore.for_notebook("esc", tmp_path)
    inventory = InventoryMapper(InventoryCase("i", payload, payload), store, mode="graded")
    inventory.add_person(payload, payload, "inner", focus=True)
    assert_safe(all_html(inventory))
    timeline = MoodTimeline(
        TimelineCase("t", payload, payload, 4, (TimelineEvent("e1", payload), TimelineEvent("e2", "b"))),
        store,
        mode="graded",
    )
    timeline.place_event("e1", 2)
    timeline.onset = "e1"
    assert_safe(all_html(timeline))
    transcript = TranscriptCoder(
        Transcript("r", payload, payload, (Turn("therapist", payload), Turn("patient", payload))), store, mode="graded"
    )
    assert_safe(all_html(transcript))
    phq = SymptomTracker(
        PHQ9Case("p", payload, payload, (payload, "b"), (("not at all",) * 9, ("not at all",) * 9)),
        store,
        mode="graded",
    )
    phq.set_item(0, 8, 2)
    assert_safe(all_html(phq))
