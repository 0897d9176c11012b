"""Trainee and author text is escaped wherever a widget or card shows it (script and image payloads)."""

from html.parser import HTMLParser

import ipywidgets as widgets
import pytest
from ipt_widgets.casebook import InventoryCase, PHQ9Case, TimelineCase, Transcript, Turn
from ipt_widgets.feedback import classification_card, draft_card, notice_card, score_card
from ipt_widgets.figures import closeness_circle_svg, phq9_svg, timeline_svg
from ipt_widgets.scoring import ClassificationAnswer, parse_classification, score_classification
from ipt_widgets.scoring.base import ItemScore
from ipt_widgets.scoring.free_text import DraftScore, ElementResult
from ipt_widgets.scoring.inventory import parse_inventory, score_inventory
from ipt_widgets.scoring.timeline import TimelineEvent
from ipt_widgets.store import ResponseStore
from ipt_widgets.ui import InventoryMapper, MoodTimeline, SymptomTracker, TranscriptCoder

from tests.test_properties import INVENTORY

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


# -- cards and figures: any hostile or unencodable string in any trainee field ----------------

HOSTILE = [
    "<script>alert('x')</script>",
    "</svg><script>alert(1)</script>",
    "javascript:alert(1)",
    "</q></p></section><script>alert(1)</script>",
    "\"'><img src=x onerror=alert(1)>",
    "lone \ud800 surrogate",
    "\udfff\udbff",
    "<a href='javascript:alert(1)'>x</a>",
]
# Every element the cards and figures draw themselves; anything else came from a trainee.
OWN_TAGS = {
    "section", "div", "strong", "p", "em", "q", "ul", "li", "br", "span", "table", "thead", "tbody", "tr", "th", "td",
    "svg", "title", "desc", "circle", "text", "line", "rect", "polyline",
}  # fmt: skip
OWN_ATTRIBUTES = {
    "class", "role", "aria-label", "aria-hidden", "style", "xmlns", "viewbox", "width", "height", "cx", "cy", "r",
    "fill", "stroke", "stroke-width", "stroke-dasharray", "opacity", "x", "y", "x1", "y1", "x2", "y2", "text-anchor",
    "font-size", "font-family", "font-weight", "points", "scope",
}  # fmt: skip


class _Markup(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes = set(), []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes += attrs


def assert_inert(html):
    """Only our own elements, no event handler or script URL, and encodable as UTF-8."""
    html.encode("utf-8")  # a lone surrogate here breaks the card on its way to the browser
    parser = _Markup()
    parser.feed(html)
    parser.close()
    assert parser.tags <= OWN_TAGS, parser.tags - OWN_TAGS
    names = {name for name, _ in parser.attributes}
    assert names <= OWN_ATTRIBUTES, names - OWN_ATTRIBUTES  # no onerror, onload, href, src


@pytest.mark.parametrize("payload", HOSTILE)
def test_cards_escape_every_trainee_field(payload, dispute_reference):
    answer = ClassificationAnswer("role_dispute", "impasse", payload)
    html = classification_card(payload, score_classification(answer, dispute_reference), answer, notes=[payload])
    html += notice_card(payload, title=payload)
    item = ItemScore(1.0, 2.0, "partial", [payload], [payload], {payload: 0.5})
    html += score_card(payload, item, notes=[payload])
    entries, _ = parse_inventory(
        {"people": [{"name": payload, "relationship": payload, "note": payload, "focus": True}]}
    )
    html += score_card(payload, score_inventory(entries, INVENTORY, 4))
    element = ElementResult("e1", payload, "partly met", 1.0, 2.0, payload, 0.5, payload)
    draft = DraftScore(1.0, 2.0, "partial", [payload], [payload], {}, elements=(element,), word_count=3)
    html += draft_card(payload, draft, notes=[payload])
    assert_inert(html)
    assert "\ud800" not in html and "\udfff" not in html


@pytest.mark.parametrize("payload", HOSTILE)
def test_figures_escape_every_trainee_field(payload):
    people = [
        {"name": payload, "circle": "inner", "focus": True, "conflict": payload, "support": payload},
        {"name": payload, "circle": ["not", "a", "circle"], "conflict": {"a": 1}, "support": None, "changed": True},
        "not even a person",
    ]
    html = closeness_circle_svg(people, centre_label=payload)
    html += timeline_svg([5, 4, 3], [(payload, 2, "onset"), (payload, 3, "")], title=payload)
    html += phq9_svg([12, None], [payload, payload])
    assert_inert(html)


def test_a_hostile_responses_file_gives_safe_cards(tmp_path, dispute_reference):
    store = ResponseStore.for_notebook("hostile", tmp_path)
    people = ", ".join(f'{{"name": "{json_string}", "circle": "inner", "focus": true}}' for json_string in JSON_HOSTILE)
    store.path.write_text(
        '{"format": "ipt-course-responses", "version": 1, "items": {'
        f'"c": {{"value": {{"area": "grief", "rationale": "{JSON_HOSTILE[0]} {JSON_HOSTILE[1]}"}}}}, '
        f'"i": {{"value": {{"people": [{people}]}}}}}}}}',
        encoding="utf-8",
    )
    loaded = store.load()
    assert loaded.readable and loaded.problems == []
    answer, _ = parse_classification(loaded.items["c"]["value"])
    html = classification_card("c", score_classification(answer, dispute_reference), answer)
    entries, _ = parse_inventory(loaded.items["i"]["value"])
    html += score_card("i", score_inventory(entries, INVENTORY, 4))
    html += closeness_circle_svg([e.to_json() for e in entries])
    assert_inert(html)
    assert "\ufffd" in html


JSON_HOSTILE = ["\\ud800 lone", "<\\/svg><script>alert(1)<\\/script>", "javascript:alert(1)", "\\udfff"]
