"""SessionSimulator without a browser: practice reactions, rewording, options, the end, restart,
saving and restoring, graded mode (nothing revealed, nothing lost)."""

from __future__ import annotations

import json

import pytest
from ipt_widgets.itemset import Unavailable
from ipt_widgets.scenario_release import play_view
from ipt_widgets.store import ResponseStore
from ipt_widgets.ui.simulator import SessionSimulator

from tests.conftest import REPO
from tests.scenario_helpers import SESSION, fake_coder, load_session
from tests.scenarios.test_engine import GOOD


def widget(store, mode="practice", scenario=None):
    return SessionSimulator(scenario or load_session(), store, mode, coder=fake_coder)


def released_session(tmp_path):
    import yaml
    from ipt_widgets.scenario_format import load_scenarios

    raw = yaml.safe_load(SESSION.read_text(encoding="utf-8"))
    path = tmp_path / "play.yaml"
    path.write_text(yaml.safe_dump({"scenarios": [play_view(raw["scenarios"][0])]}), encoding="utf-8")
    return load_scenarios(path, released=True, strict=True)["s99_test_session"]


def test_practice_reacts_with_code_rating_feedback_and_aim(store, saved):
    w = widget(store)
    assert "We had another fight on Sunday" in w.transcript.value
    w.line_box.value = GOOD[0]
    w.say_button.click()
    assert "Good: communication analysis" in w.feedback.value
    assert "The aim here" in w.feedback.value and "Take the Sunday argument apart" in w.feedback.value
    assert "I said he never helps" in w.transcript.value and "Take me through Sunday." in w.transcript.value
    assert w.line_box.value == ""
    assert saved("s99_test_session")["steps"][0] == {
        "turn": "t1",
        "line": GOOD[0],
        "branch": 0,
        "technique": "communication_analysis",
    }


def test_an_uncodable_line_asks_to_reword_and_keeps_the_turn(store):
    w = widget(store)
    w.line_box.value = "well ??"
    w.say_button.click()
    assert "Please reword your line" in w.feedback.value and w.state.turn == "t1"
    assert w.line_box.value == "well ??"  # the trainee's words stay for rewording


def test_options_are_the_branch_examples_and_choosing_says_one(store):
    w = widget(store)
    branches = load_session().turns["t1"].branches
    listed = dict(w.options.options)  # text -> branch index
    assert sorted(listed) == sorted(b.example for b in branches)
    assert all(branches[index].example == text for text, index in listed.items())
    w.option_button.click()
    assert "Choose one of the lines first" in w.feedback.value
    w.options.value = 1
    w.option_button.click()
    assert w.state.turn == "t2b" and "Unhelpful" in w.feedback.value
    assert w.options.value is None and "He sounds selfish." in [x for x, _ in w.options.options]


def test_listed_lines_do_not_give_the_good_one_away():
    """Authors list the good branch first; the listed lines must not always open with it."""
    from ipt_widgets.scenario_format import load_scenarios
    from ipt_widgets.ui.simulator import option_order

    firsts = []
    for path in sorted((REPO / "course" / "scenarios").glob("*.yaml")):
        for scenario in load_scenarios(path, strict=True).values():
            for turn_id, turn in scenario.turns.items():
                order = option_order(scenario.id, turn_id, [b.example for b in turn.branches])
                assert sorted(i for _, i in order) == list(range(len(turn.branches)))
                assert order == option_order(scenario.id, turn_id, [b.example for b in turn.branches])
                firsts.append(order[0][1] == 0)
    assert 0.2 < sum(firsts) / len(firsts) < 0.6, f"good line listed first in {sum(firsts)} of {len(firsts)} turns"


def test_the_end_shows_path_codes_expert_alternatives_and_summary_then_restart(store, saved):
    w = widget(store)
    w.play(GOOD[:2] + [0] + GOOD[3:])
    assert w.state.done and w.controls.layout.display == "none"
    summary = w.summary.value
    assert "t1 → t2 → t3 → t4 → t5 → t6 → end" in summary
    assert "chosen from the options" in summary and "Expert alternatives" in summary
    assert "Some people who feel this low think about suicide" in summary
    assert "Suicide-risk cues: 1; asked about directly: 1." in summary
    assert "Adherence score: 100%" in summary
    assert saved("s99_test_session")["done"] is True
    w.restart_button.click()
    assert w.state.turn == "t1" and not w.state.steps and w.summary.value == ""
    assert saved("s99_test_session")["steps"] == []


def test_a_saved_session_is_restored_and_a_foreign_one_reported(store):
    w = widget(store)
    w.play(GOOD[:3])
    again = widget(store)
    assert again.state.path == ("t1", "t2", "t3") and "restored" in again.status.value
    store.save(
        "s99_test_session",
        {"steps": [{"turn": "t1", "line": "x", "branch": 0}, {"turn": "t9", "line": "y", "branch": 0}]},
    )
    third = widget(store)
    assert third.state.path == ("t1",) and "only the first 1 of 2 saved lines fit" in third.status.value


def test_graded_mode_reveals_nothing_flags_uncodable_lines_and_never_restarts(tmp_path, saved, store):
    scenario = released_session(tmp_path)
    w = widget(store, "graded", scenario)
    w.say("well ??")  # not asked to reword: recorded, flagged, fallback
    assert w.state.turn == "t2" and w.feedback.value == ""
    value = saved("s99_test_session")
    assert value["steps"][0]["needs_review"] is True and value["path"] == ["t1"]
    w.play(GOOD[1:])
    assert w.state.done
    assert "Good" not in w.summary.value and "Expert" not in w.summary.value and "Rating" not in w.summary.value
    assert w.restart_button.layout.display == "none"
    w.restart()
    assert saved("s99_test_session")["done"] is True  # the answer is kept
    assert "Saved for grading" in w.status.value


def test_graded_play_file_cannot_be_practised(tmp_path, store):
    with pytest.raises(ValueError, match="use mode='graded'"):
        widget(store, "practice", released_session(tmp_path))


def test_a_scenario_that_did_not_load_shows_a_message(store):
    out = SessionSimulator(Unavailable("s99_x", "f.yaml, line 3: field 'aim' is missing"), store)
    assert "This exercise is not available" in out.value and "field &#x27;aim&#x27; is missing" in out.value


def test_a_save_that_fails_keeps_the_session_and_says_so(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    w = widget(ResponseStore(folder / "missing" / "x.responses.json"))
    w.say(GOOD[0])
    assert w.state.turn == "t2" and "could not be saved" in w.status.value


def test_headless_stand_in_while_autograding(monkeypatch):
    import ipt_widgets

    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    stand_in = ipt_widgets.SessionSimulator(load_session(), None, mode="graded")
    assert stand_in.play([0, 0]) is None and "not rebuilt for grading" in repr(stand_in)
    json.dumps(stand_in._repr_html_())
