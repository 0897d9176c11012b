"""While nbgrader autogrades, widget names give stand-ins that build and write nothing."""

from __future__ import annotations

import importlib

import ipt_widgets
import pytest
from ipt_widgets.headless import NOTE, HeadlessWidget


@pytest.fixture
def autograding(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")


def test_every_widget_is_a_stand_in_during_autograde(autograding):
    widgets = [name for name, module in ipt_widgets._EXPORTS.items() if module.startswith("ipt_widgets.ui.")]
    assert len(widgets) == 8  # six clinical tools, the AdherenceRater (Module 11) and the SessionSimulator
    for name in widgets:
        cls = getattr(ipt_widgets, name)
        assert issubclass(cls, HeadlessWidget) and cls.__name__ == name


@pytest.mark.parametrize("setting", [None, "validate", ""])
def test_real_widgets_otherwise(monkeypatch, setting):
    if setting is None:
        monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    else:
        monkeypatch.setenv("NBGRADER_EXECUTION", setting)
    real = importlib.import_module("ipt_widgets.ui.classifier").VignetteClassifier
    assert ipt_widgets.VignetteClassifier is real


def test_stand_in_takes_any_arguments_and_writes_nothing(autograding, tmp_path):
    from ipt_widgets import InterventionDrafter, ResponseStore, VignetteClassifier
    from ipt_widgets.cases import Case

    store = ResponseStore(tmp_path / "m.responses.json")
    case = Case(id="c1", title="Case 1: <b>Ana</b>", text="...", reference=None)
    widget = VignetteClassifier(case, store, mode="graded", item_id="c1")
    # A trainee's own code calling the real widget's methods does nothing at grading time:
    # the grade comes from the answers saved before submission.
    assert widget.answer("grief", stage=None) is None
    widget.flush()
    assert not store.path.exists()
    drafter = InterventionDrafter.for_task(object(), store, title="Plan")
    assert repr(drafter) == f"[Plan] {NOTE}"
    html = widget._repr_html_()
    assert "&lt;b&gt;Ana&lt;/b&gt;" in html and "<b>Ana" not in html and NOTE in html


def test_stand_in_displays_as_html_in_ipython(autograding):
    from ipt_widgets import TranscriptCoder
    from IPython.core.formatters import DisplayFormatter

    data, _ = DisplayFormatter().format(TranscriptCoder(title="T1"))
    assert NOTE in data["text/html"] and NOTE in data["text/plain"]
    with pytest.raises(AttributeError):
        TranscriptCoder()._private_state  # noqa: B018 - IPython probes such names
