"""The clinical tool widgets without a browser: act as a trainee would, assert on the card and
the saved file, rebuild the widget as a restarted kernel would."""

import ipywidgets as widgets
import pytest
from ipt_widgets.casebook import load_casebook
from ipt_widgets.store import ResponseStore
from ipt_widgets.ui import InventoryMapper, MoodTimeline, SymptomTracker, TranscriptCoder

from tests.conftest import REPO

PRACTICE = {p.stem: p for p in (REPO / "course" / "cases").glob("*.yaml")}


@pytest.fixture(scope="module")
def book():
    merged = load_casebook(PRACTICE["02_initial_phase"], require_answers=True)
    merged.transcripts = load_casebook(PRACTICE["07_techniques"], require_answers=True).transcripts
    return merged


# -- inventory ---------------------------------------------------------------------------------


def test_inventory_form_adds_people_draws_them_and_saves(book, store, saved):
    case = next(iter(book.inventory.values()))
    widget = InventoryMapper(case, store)
    assert not store.path.exists()
    first = case.reference.people[0]
    widget._name.value, widget._relationship.value, widget._circle.value = first.name, first.relationship, first.circle
    widget._focus_box.value = first.focus
    widget._add.click()
    assert [p["name"] for p in saved(case.id)["people"]] == [first.name]
    assert first.name in widget._figure.value and widget._list.options == (first.name,)
    assert widget._name.value == ""  # the form is ready for the next person
    widget._add.click()  # empty name: a message, no exception, nothing saved
    assert "type the person" in widget._form_message.value
    assert len(saved(case.id)["people"]) == 1


def test_inventory_perfect_answer_checks_correct_and_survives_restart(book, store):
    case = next(iter(book.inventory.values()))
    widget = InventoryMapper(case, store)
    for p in case.reference.people:
        widget.add_person(p.name, p.relationship, p.circle, focus=p.focus)
    assert widget.check().verdict == "correct"
    assert "Expert answer" in widget.feedback.value
    again = InventoryMapper(case, store)
    assert again.people == widget.people and "restored" in again.status.value


def test_inventory_edit_and_remove(book, store, saved):
    case = next(iter(book.inventory.values()))
    widget = InventoryMapper(case, store)
    widget.add_person("Alex", "friend", "outer")
    widget.add_person("alex", "old friend", "inner")  # same name: an update, not a duplicate
    assert [(p["name"], p["circle"]) for p in widget.people] == [("alex", "inner")]
    widget._list.value = "alex"
    widget._edit.click()
    assert widget._relationship.value == "old friend"
    widget._remove.click()
    assert widget.people == [] and saved(case.id) == {"people": []}


def test_inventory_wrong_focus_is_explained(book, store):
    case = next(iter(book.inventory.values()))
    widget = InventoryMapper(case, store)
    for p in case.reference.people:
        widget.add_person(p.name, p.relationship, p.circle, focus=not p.focus)
    score = widget.check()
    assert score.parts["focus"] == 0.0 and "tied to the problem area" in widget.feedback.value


# -- timeline ----------------------------------------------------------------------------------


def test_timeline_sliders_and_links_save_and_plot(book, store, saved):
    case = next(iter(book.timeline.values()))
    widget = MoodTimeline(case, store)
    widget._sliders[0].value = 9
    assert saved(case.id)["mood"][0] == 9
    onset = case.reference.onset
    widget._event_controls[onset].value = 2
    widget._onset.value = onset
    value = saved(case.id)
    assert value["event_weeks"] == {onset: 2} and value["onset"] == onset
    assert "onset:" in widget._figure.value


def test_timeline_perfect_then_swapped(book, store):
    case = next(iter(book.timeline.values()))
    widget = MoodTimeline(case, store)
    widget.set_mood(list(case.reference.mood))
    for event, week in case.reference.event_weeks.items():
        widget.place_event(event, week)
    widget.onset, widget.worsening = case.reference.onset, case.reference.worsening
    assert widget.check().verdict == "correct"
    widget.onset, widget.worsening = case.reference.worsening, case.reference.onset
    assert widget.check().points == pytest.approx(0.3)
    again = MoodTimeline(case, store)
    assert again.mood == list(case.reference.mood) and again._sliders[3].value == case.reference.mood[3]
    assert again.onset == case.reference.worsening


def test_timeline_rejects_bad_ratings(book, store):
    widget = MoodTimeline(next(iter(book.timeline.values())), store)
    with pytest.raises(ValueError, match="mood"):
        widget.set_mood([11])


# -- transcript --------------------------------------------------------------------------------


def test_transcript_coding_saves_per_turn_and_explains_misses(book, store, saved):
    transcript = next(iter(book.transcripts.values()))
    widget = TranscriptCoder(transcript, store)
    widget._controls["t1"].value = (
        "off_model" if transcript.reference.turns[0].technique != "off_model" else "role_play"
    )
    assert saved(transcript.id)["codes"]["t1"] == widget._controls["t1"].value
    score = widget.check()
    assert score.verdict == "incorrect" and "Turn 1: you chose" in widget.feedback.value
    widget.code_all({f"t{i}": t.technique for i, t in enumerate(transcript.reference.turns, start=1)})
    assert widget.check().verdict == "correct"
    assert TranscriptCoder(transcript, store).codes == widget.codes


def test_transcript_shows_every_turn_escaped(book, store):
    transcript = next(iter(book.transcripts.values()))
    widget = TranscriptCoder(transcript, store, mode="graded")
    text = " ".join(c.value for c in widget.children if isinstance(c, widgets.HTML))
    assert text.count("Therapist (turn") == len(transcript.therapist_turns)
    with pytest.raises(ValueError, match="turn"):
        widget.code("t99", "exploratory")


# -- symptom tracker -------------------------------------------------------------------------


def test_phq9_practice_computes_totals_bands_and_rules(book, store, saved):
    case = next(iter(book.phq9.values()))
    widget = SymptomTracker(case, store)
    for s, items in enumerate(case.reference.sessions):
        for k, score in enumerate(items):
            widget._items[s][k].value = score
    truth = widget.expected
    assert f"{truth['totals'][0]}," in widget._computed.value
    assert f"response {truth['response']}" in widget._computed.value
    assert widget.check().verdict == "partial"  # the risk decisions are still to make
    widget.decide_risk([d.action for d in case.reference.risk])
    assert widget.check().verdict == "correct"
    assert saved(case.id)["totals"] == truth["totals"]


def test_phq9_item_nine_raises_the_safety_prompt_at_once(book, store):
    case = next(iter(book.phq9.values()))
    widget = SymptomTracker(case, store, mode="graded")
    assert widget._safety.value == ""
    widget.set_item(1, 8, 1)
    assert "Safety: item 9 is positive" in widget._safety.value and case.labels[1] in widget._safety.value
    widget.set_item(1, 8, 0)
    assert widget._safety.value == ""


def test_phq9_graded_records_the_trainees_own_totals(book, store, saved):
    case = next(iter(book.phq9.values()))
    widget = SymptomTracker(case, store, mode="graded")
    widget.enter_items([list(s) for s in case.reference.sessions])
    widget._totals[0].value = 3
    widget.interpret(band_intake="mild", response="no")
    value = saved(case.id)
    assert value["totals"][0] == 3 and value["band_intake"] == "mild" and value["response"] == "no"
    assert not hasattr(widget, "_check_button")
    again = SymptomTracker(case, store, mode="graded")
    assert again._totals[0].value == 3 and again._band.value == "mild"


def test_phq9_risk_choice_renders_per_session_as_a_labelled_radio_group(book, tmp_path):
    case = next(iter(book.phq9.values()))
    for mode in ("practice", "graded"):
        widget = SymptomTracker(case, ResponseStore.for_notebook(mode, tmp_path), mode=mode)
        assert len(widget._risk) == len(case.labels)
        for label, control in zip(case.labels, widget._risk):
            # A RadioButtons is one Tab stop (the keyboard scope groups it), named by its description.
            assert isinstance(control, widgets.RadioButtons) and control in _descendants(widget)
            assert control.description == f"Action after {label}:"
            assert [key for _, key in control.options] == ["monitor", "ask_and_plan", "urgent"]
            assert control.value is None


def test_phq9_risk_choice_saves_and_reloads(book, store, saved):
    case = next(iter(book.phq9.values()))
    widget = SymptomTracker(case, store, mode="graded")
    widget._risk[0].value = "ask_and_plan"  # as a click on the radio button would
    widget.choose_action(1, "monitor")
    assert saved(case.id)["risk"][:2] == ["ask_and_plan", "monitor"]
    again = SymptomTracker(case, store, mode="graded")
    assert again._risk[0].value == "ask_and_plan" and again._risk[1].value == "monitor"
    assert again.answer["risk"][2:] == [None] * (len(case.labels) - 2)
    with pytest.raises(ValueError, match="action: expected one of monitor, ask_and_plan, urgent"):
        widget.choose_action(0, "wait")


@pytest.mark.parametrize("index", [0, 1])
def test_phq9_practice_checks_the_risk_decisions(book, store, index):
    case = list(book.phq9.values())[index]
    widget = SymptomTracker(case, store)
    widget.enter_items([list(s) for s in case.reference.sessions])
    widget.decide_risk([d.action for d in case.reference.risk])
    assert widget.check().verdict == "correct"
    widget.decide_risk(["monitor"] * len(case.labels))
    score = widget.check()
    assert score.points <= score.max_points / 2
    assert "never left to routine monitoring" in " ".join(score.feedback)


def _descendants(widget):
    found, todo = [], [widget]
    while todo:
        node = todo.pop()
        found.append(node)
        todo += list(getattr(node, "children", ()))
    return found
