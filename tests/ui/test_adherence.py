"""AdherenceRater without a browser: rate as a trainee would, by control and from Python, check,
reveal, and rebuild the widget as a restarted kernel would."""

import ipywidgets as widgets
import pytest
from ipt_widgets import AdherenceRater as Exported
from ipt_widgets.adherence_cases import load_adherence
from ipt_widgets.scoring.adherence import CHECKLIST, NA, RISK_ITEM
from ipt_widgets.ui import AdherenceRater

from tests.conftest import REPO


@pytest.fixture(scope="module")
def sessions():
    return load_adherence(REPO / "course" / "cases" / "11_supervision.yaml", require_answers=True, strict=True)


@pytest.fixture
def session(sessions):
    return sessions["a11_rotterdam_grief"]


def dropdowns(widget):
    return list(widget._controls.values())


def test_exported_and_labelled_for_screen_readers(session, store):
    assert Exported is AdherenceRater
    widget = AdherenceRater(session, store)
    controls = dropdowns(widget)
    assert len(controls) == len(CHECKLIST)
    for number, (control, item) in enumerate(zip(controls, CHECKLIST), start=1):
        assert isinstance(control, widgets.Dropdown)
        assert control.description == f"Item {number}, your rating:"
        assert (NA in [v for _, v in control.options]) == item.allows_na
    html = "".join(c.value for c in widget.children if isinstance(c, widgets.HTML))
    assert "aria-label='Transcript of" in html and "Therapist (turn 12)" in html
    assert all(f"<strong>{n}. {item.label}</strong>" in html for n, item in enumerate(CHECKLIST, start=1))
    assert not store.path.exists()  # building never writes


def test_choosing_in_a_control_saves_and_check_compares_with_the_expert(session, store, saved):
    widget = AdherenceRater(session, store)
    widget._controls["affect"].value = 1
    widget._controls[RISK_ITEM].value = 2
    assert saved(session.id) == {"ratings": {"affect": 1, RISK_ITEM: 2}}
    score = widget.check()
    assert score.verdict == "partial" and 0 < score.points < 1
    assert "Compare with the expert" in widget._check_button.description
    assert "ask directly" in widget.feedback.value  # the missed cue is explained, not only marked
    widget.show_answer()
    assert "Expert answer" in widget.feedback.value


def test_the_experts_rating_from_python_checks_correct_and_survives_a_restart(session, store):
    widget = AdherenceRater(session, store)
    widget.rate_all({key: r.rating for key, r in session.reference.ratings.items()})
    assert widget.check().verdict == "correct"
    again = AdherenceRater(session, store)
    assert again.ratings == widget.ratings
    assert again._controls["affect"].value == widget.ratings["affect"]
    assert "restored" in again.status.value


def test_clearing_and_bad_ratings(session, store):
    widget = AdherenceRater(session, store)
    widget.rate("affect", "2")
    widget.rate("affect", None)
    assert "affect" not in widget.ratings and widget._controls["affect"].value is None
    with pytest.raises(ValueError, match="N/A is not offered"):
        widget.rate("focus", "na")
    with pytest.raises(ValueError, match="expected 2, 1, 0"):
        widget.rate("focus", 7)
    with pytest.raises(ValueError, match="item: expected one of"):
        widget.rate("empathy", 2)


def test_graded_mode_records_and_reveals_nothing(session, store, saved):
    widget = AdherenceRater(session, store, mode="graded")
    assert not hasattr(widget, "_check_button")
    widget.rate("stance", 0)
    assert widget.check() is None and "Saved for grading" in widget.feedback.value
    assert saved(session.id) == {"ratings": {"stance": 0}}


def test_a_damaged_saved_answer_is_reported_not_raised(session, store):
    store.save(session.id, {"ratings": "everything was fine"})
    widget = AdherenceRater(session, store)
    assert widget.ratings == {} and "could not be restored" in widget.status.value


def test_text_in_a_session_is_escaped(session, store):
    from dataclasses import replace

    from ipt_widgets.casebook import Turn

    hostile = replace(session, turns=(Turn("patient", "<script>alert(1)</script>"), *session.turns[1:]))
    widget = AdherenceRater(hostile, store)
    html = "".join(c.value for c in widget.children if isinstance(c, widgets.HTML))
    assert "<script>" not in html and "&lt;script&gt;" in html
