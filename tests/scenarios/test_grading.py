"""grade_scenario: re-codes the recorded lines with the key from the hidden test, partial credit,
the feedback card, the review queue's metadata, and nothing on stderr."""

from __future__ import annotations

import pytest
from ipt_widgets.grading import HiddenTestError
from ipt_widgets.scenario_grading import grade_scenario
from ipt_widgets.store import ResponseStore

from tests.scenario_helpers import SESSION, fake_coder, partial_session, perfect_session
from tests.scenarios.test_engine import GOOD

KEY = SESSION.read_text(encoding="utf-8")


@pytest.fixture
def shown(monkeypatch):
    cards = []
    monkeypatch.setattr(
        "ipt_widgets.scenario_grading._display_html", lambda html, metadata=None: cards.append((html, metadata))
    )
    return cards


def grade(tmp_path, value, **kw):
    if value is not None:
        ResponseStore.for_notebook("m99", tmp_path).save("s99_test_session", value)
    return grade_scenario("m99", "s99_test_session", KEY, 6, directory=tmp_path, coder=fake_coder, **kw)


def test_the_good_path_earns_full_marks_and_the_card_shows_the_key(tmp_path, shown, capfd):
    assert grade(tmp_path, perfect_session(KEY)) == 6.0
    html, metadata = shown[-1]
    assert "6 / 6 points" in html and "Expert alternatives" in html and "The session so far" not in html
    assert metadata == {"ipt": {"parts": {"turns": 1.0, "scenario_risk": 1.0}}}
    assert capfd.readouterr().err == ""


def test_partial_credit_follows_the_documented_rules(tmp_path, shown):
    value, fraction = partial_session(KEY)
    assert grade(tmp_path, value) == pytest.approx(6 * fraction)
    assert 0 < fraction < 1


def test_written_lines_are_recoded_and_recorded_codes_are_ignored(tmp_path, shown):
    steps = [
        {"turn": t, "line": line, "branch": 0, "technique": "risk_inquiry"}
        for t, line in zip(["t1", "t2", "t3", "t4", "t5", "t6"], GOOD)
    ]
    steps[2]["line"] = "[reassurance] You won't do anything silly."
    points = grade(tmp_path, {"steps": steps})
    assert points == 5.0
    html, metadata = shown[-1]
    assert metadata["ipt"]["parts"]["scenario_risk"] == 0.0 and "review" not in metadata["ipt"]
    assert "suicide-risk cue was passed over" in html


def test_uncodable_lines_go_to_the_review_queue(tmp_path, shown):
    steps = [{"turn": t, "line": line, "branch": 0} for t, line in zip(["t1", "t2", "t3", "t4", "t5", "t6"], GOOD)]
    steps[0]["line"] = "hmm ??"  # fallback at t1 (acceptable) -> t2, as recorded
    points = grade(tmp_path, {"steps": steps})
    assert points == 5.5
    review = shown[-1][1]["ipt"]["review"]
    assert review["item"] == "s99_test_session" and review["max_points"] == 6
    assert review["reasons"] == ["turn 1 (t1): low confidence"]
    assert "read by your instructor" in shown[-1][0]


def test_missing_or_malformed_answers_score_zero_without_raising(tmp_path, shown):
    assert grade(tmp_path, None) == 0.0
    assert grade(tmp_path, "a string") == 0.0
    assert "it is not a saved session" in shown[-1][0]


def test_a_broken_key_is_the_instructors_error(tmp_path, shown):
    with pytest.raises(HiddenTestError, match="unknown field 'aimm'"):
        grade_scenario("m99", "s99_test_session", KEY.replace('aim: "Propose', 'aimm: "Propose'), 6, directory=tmp_path)
    with pytest.raises(HiddenTestError, match="is scenario 's99_test_session'"):
        grade_scenario("m99", "s99_other", KEY, 6, directory=tmp_path)
