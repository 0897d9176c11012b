"""The scenario loader and the structure rules: every error names file, scenario, turn, field and line."""

from __future__ import annotations

import copy

import pytest
import yaml
from ipt_widgets.itemset import Unavailable
from ipt_widgets.scenario_format import load_scenarios, parse_scenario
from ipt_widgets.scenario_paths import reachable, shortest_to_end, structure_problems

from tests.conftest import REPO
from tests.scenario_helpers import SESSION, load_session


@pytest.fixture
def raw():
    return yaml.safe_load(SESSION.read_text(encoding="utf-8"))


def write(tmp_path, data, name="s.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def errors_of(tmp_path, data, **kw):
    return " | ".join(load_scenarios(write(tmp_path, data), **kw).errors)


def test_the_fixture_loads_with_two_paths_of_six_turns():
    scenario = load_session()
    assert scenario.kind == "session"
    assert reachable(scenario) == ["t1", "t2", "t2b", "t3", "t4", "t5", "t6"]
    assert shortest_to_end(scenario)["t1"] == 6
    assert structure_problems(scenario, "x") == []


def test_unknown_field_names_file_scenario_turn_and_line(tmp_path, raw):
    raw["scenarios"][0]["turns"]["t2"]["branches"][0]["feedbak"] = "x"
    message = errors_of(tmp_path, raw)
    assert "s.yaml" in message and "scenario 's99_test_session'" in message and "turn 't2'" in message
    assert "branch 1" in message and "unknown field 'feedbak'; did you mean 'feedback'?" in message
    assert ", line " in message


def test_a_missing_reply_is_named(tmp_path, raw):
    del raw["scenarios"][0]["turns"]["t4"]["branches"][1]["reply"]
    assert "turn 't4', branch 2" in errors_of(tmp_path, raw) and "field 'reply' is missing" in errors_of(tmp_path, raw)


def test_a_branch_without_next_is_named(tmp_path, raw):
    del raw["scenarios"][0]["turns"]["t4"]["branches"][1]["next"]
    assert "field 'next' is missing" in errors_of(tmp_path, raw)


def test_unreachable_turn_and_bad_next(tmp_path, raw):
    turns = raw["scenarios"][0]["turns"]
    turns["t1"]["branches"][1]["next"] = "t2"  # t2b is now unreachable
    turns["t5"]["branches"][2]["next"] = "t7"
    message = errors_of(tmp_path, raw)
    assert "turn 't2b'" in message and "unreachable" in message
    assert "field 'next' is 't7', neither a turn id nor 'end'" in message


def test_missing_fallback_and_fallback_not_last(tmp_path, raw):
    branches = raw["scenarios"][0]["turns"]["t4"]["branches"]
    branches.insert(0, branches.pop())
    message = errors_of(tmp_path, raw)
    assert "the last branch must be the fallback" in message and "must be the last branch" in message


def test_risk_cue_turn_needs_a_good_inquiry_and_unsafe_branches(tmp_path, raw):
    t3 = raw["scenarios"][0]["turns"]["t3"]
    t3["branches"][0]["techniques"] = ["exploratory_question"]
    t3["branches"][2]["rating"] = "acceptable"
    message = errors_of(tmp_path, raw)
    assert "needs a [risk_inquiry] branch rated good" in message
    assert "after a risk cue the fallback is rated unsafe" in message


def test_a_generous_fallback_must_not_catch_an_unhelpful_code(tmp_path, raw):
    t5 = raw["scenarios"][0]["turns"]["t5"]
    assert t5["branches"][-1]["rating"] == "acceptable"
    t5["branches"][1]["techniques"] = ["cbt_challenge", "advice", "reassurance", "taking_sides", "missed_risk"]
    message = errors_of(tmp_path, raw)
    assert "turn 't5', branch 3" in message
    assert "the fallback is rated acceptable, so past_interpretation would be rated the same" in message
    t5["branches"][1]["techniques"].append("past_interpretation")
    t5["branches"][1]["rating"] = "acceptable"  # taken, but by a branch that is not unhelpful
    assert "so advice, reassurance, cbt_challenge, past_interpretation, taking_sides, missed_risk" in errors_of(
        tmp_path, raw
    )
    t5["branches"][1]["rating"] = "unsafe"
    assert errors_of(tmp_path, raw) == ""
    t5["branches"][1]["techniques"] = ["advice"]
    t5["branches"][-1]["rating"] = "unhelpful"  # an unhelpful fallback may catch anything
    assert errors_of(tmp_path, raw) == ""


def test_a_loop_never_left_and_a_short_session(tmp_path, raw):
    turns = raw["scenarios"][0]["turns"]
    for branch in turns["t6"]["branches"]:
        branch["next"] = "t5"
    assert "no path from here reaches 'end'" in errors_of(tmp_path, raw)
    short = yaml.safe_load(SESSION.read_text(encoding="utf-8"))
    for branch in short["scenarios"][0]["turns"]["t4"]["branches"]:
        branch["next"] = "end"
    assert "has 4 trainee turns; a session needs at least 6" in errors_of(tmp_path, short)


def test_a_next_line_item_has_one_turn_that_ends(tmp_path, raw):
    item = raw["scenarios"][0]
    item["turns"] = {"t1": item["turns"]["t1"]}
    for branch in item["turns"]["t1"]["branches"]:
        branch["next"] = "end"
    scenarios = load_scenarios(write(tmp_path, raw), strict=True)
    assert scenarios["s99_test_session"].kind == "next_line"
    item["turns"]["t1"]["branches"][0]["next"] = "t1"
    assert "every branch ends with next: end" in errors_of(tmp_path, raw)


def test_expert_lines_two_or_three_and_ratings_known(tmp_path, raw):
    raw["scenarios"][0]["turns"]["t1"]["expert"] = ["only one"]
    assert "field 'expert' must list 2–3 expert lines" in errors_of(tmp_path, raw)
    raw = yaml.safe_load(SESSION.read_text(encoding="utf-8"))
    raw["scenarios"][0]["turns"]["t1"]["branches"][0]["rating"] = "goood"
    assert "field 'rating' is 'goood'" in errors_of(tmp_path, raw) and "did you mean 'good'" in errors_of(tmp_path, raw)


def test_unknown_technique_is_refused_with_a_suggestion(tmp_path, raw):
    raw["scenarios"][0]["turns"]["t1"]["branches"][0]["techniques"] = ["comunication_analysis"]
    assert "did you mean 'communication_analysis'" in errors_of(tmp_path, raw)


def test_a_broken_scenario_is_unavailable_but_others_load(tmp_path, raw):
    good = copy.deepcopy(raw["scenarios"][0])
    good["id"] = "s99_other"
    raw["scenarios"][0]["turns"]["t1"]["aim"] = ""
    raw["scenarios"].append(good)
    loaded = load_scenarios(write(tmp_path, raw))
    assert list(loaded) == ["s99_other"]
    assert isinstance(loaded["s99_test_session"], Unavailable)
    with pytest.raises(ValueError, match="field 'aim'"):
        load_scenarios(write(tmp_path, raw), strict=True)


def test_released_play_file_refuses_ratings_and_needs_none(tmp_path, raw):
    from ipt_widgets.scenario_release import play_view

    play = {"scenarios": [play_view(raw["scenarios"][0])]}
    scenario = load_scenarios(write(tmp_path, play), released=True, strict=True)["s99_test_session"]
    assert scenario.released and scenario.turns["t1"].branches[0].rating is None
    play["scenarios"][0]["turns"]["t1"]["branches"][0]["rating"] = "good"
    assert "unknown field 'rating'" in errors_of(tmp_path, play, released=True)


def test_parse_scenario_rejects_a_non_mapping():
    with pytest.raises(ValueError, match="a scenario should be a mapping"):
        parse_scenario(["x"], "f.yaml")


def test_a_play_file_named_from_its_notebooks_folder_is_read_as_released(monkeypatch):
    monkeypatch.chdir(REPO / "exercises" / "m04_role_disputes")
    scenarios = load_scenarios("scenarios.yaml", strict=True)
    assert scenarios["s04_comm_analysis_nakuru"].released
