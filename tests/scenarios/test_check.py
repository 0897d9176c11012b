"""`python -m ipt_widgets.check` on scenarios: practice files, released play files, hidden keys."""

from __future__ import annotations

import json
import shutil

import yaml
from ipt_widgets.check import run
from ipt_widgets.check.findings import ERROR, WARNING
from ipt_widgets.check.scenarios import missing_exemplars

from tests.conftest import REPO
from tests.scenario_helpers import SESSION, FakeCode, load_session

M04 = "m04_role_disputes"


def test_a_practice_file_with_broken_rules_is_reported(tmp_path):
    raw = yaml.safe_load(SESSION.read_text(encoding="utf-8"))
    turns = raw["scenarios"][0]["turns"]
    turns["t1"]["branches"][1]["next"] = "t2"  # t2b unreachable
    del turns["t4"]["branches"][0]["reply"]
    path = tmp_path / "course" / "scenarios" / "04_role_disputes.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    findings = run([path], score_references=False)
    assert [f.level for f in findings] == [ERROR]
    assert "field 'reply' is missing" in findings[0].message and "turn 't4', branch 1" in findings[0].message


def test_missing_exemplars_is_a_warning_naming_the_turn():
    scenario = load_session()

    def coder(line, turn, scenario):
        return FakeCode("advice" if turn.id == "t5" else turn.good_techniques()[0], 0.9, False)

    findings = missing_exemplars(scenario, "f.yaml", coder)
    assert {f.level for f in findings} == {WARNING} and len(findings) == 2
    assert "turn 't5'" in findings[0].message and "missing exemplars" in findings[0].message


def course_copy(tmp_path):
    root = tmp_path / "c"
    shutil.copytree(
        REPO / "solutions" / M04, root / "solutions" / M04, ignore=shutil.ignore_patterns("*.responses.json*")
    )
    return root / "solutions" / M04


def test_the_released_play_file_holds_no_key_and_matches_the_hidden_test(tmp_path):
    folder = course_copy(tmp_path)
    assert [str(f) for f in run([folder], score_references=False)] == []
    play = folder / "scenarios.yaml"
    data = yaml.safe_load(play.read_text(encoding="utf-8"))
    data["scenarios"][0]["turns"]["t1"]["branches"][0]["rating"] = "good"
    play.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    messages = [f.message for f in run([play], score_references=False)]
    assert any("field 'rating' would be released to trainees" in m for m in messages)
    del data["scenarios"][0]["turns"]["t1"]["branches"][0]["rating"]
    data["scenarios"][0]["turns"]["t1"]["branches"][0]["reply"] = "changed"
    play.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    messages = [f.message for f in run([folder / f"{M04}.ipynb"], score_references=False)]
    assert any("differs from its key in the hidden test" in m and "scenario_release" in m for m in messages)


def test_the_release_command_rewrites_the_play_file(tmp_path):
    from ipt_widgets.scenario_release import main

    folder = course_copy(tmp_path)
    before = (folder / "scenarios.yaml").read_text(encoding="utf-8")
    (folder / "scenarios.yaml").write_text("scenarios: []\n", encoding="utf-8")
    assert main([str(folder / f"{M04}.ipynb")]) == 0
    assert (folder / "scenarios.yaml").read_text(encoding="utf-8") == before


def test_a_broken_key_names_the_cell_and_the_line_in_the_yaml(tmp_path):
    folder = course_copy(tmp_path)
    path = folder / f"{M04}.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if "grade_scenario(" in "".join(c["source"]))
    cell["source"] = "".join(cell["source"]).replace("      rating: good", "      rating: goood", 1).splitlines(True)
    path.write_text(json.dumps(nb), encoding="utf-8")
    messages = [f.message for f in run([path], score_references=False)]
    hit = [m for m in messages if "goood" in m]
    assert hit and "s04_comm_analysis_nakuru_session" in hit[0] and "of the YAML text" in hit[0]


def test_a_risk_tag_needs_a_risk_cue_in_the_scenario(tmp_path):
    folder = course_copy(tmp_path)
    path = folder / f"{M04}.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if "grade_scenario(" in "".join(c["source"]))
    cell["metadata"]["ipt"]["competencies"].append("risk_assessment")
    path.write_text(json.dumps(nb), encoding="utf-8")
    messages = [f.message for f in run([path], score_references=False)]
    assert any("its scenario has no turn with risk_cue: true" in m for m in messages)


def test_termination_plan_of_monthly_sessions_with_a_referral_is_not_scored_as_more_of_the_same():
    """Review 15b: at Mariam's t5, 'twelve more weekly sessions' is unhelpful, but the plan the
    feedback recommends (monthly continuation with a medication referral) must take the good branch."""
    from ipt_widgets.scenario_format import load_scenarios
    from ipt_widgets.scoring.scenario import code_step
    from ipt_widgets.scoring.scenario_coder import course_coder

    from tests.conftest import REPO

    path = REPO / "course" / "scenarios" / "08_termination.yaml"
    scenario = load_scenarios(path, strict=True)["s08_termination_bamako"]
    turn = scenario.turns["t5"]
    for line in (
        "I suggest we meet once a month for maintenance sessions, and you see the doctor about tablets.",
        "Let's agree to meet once a month for the next six months, and I'll refer you to the doctor about medication.",
    ):
        step = code_step(scenario, turn, line, course_coder)
        assert turn.branches[step.branch].rating == "good", (line, step.technique)
    step = code_step(scenario, turn, "Let's agree another twelve weekly sessions, the same as before.", course_coder)
    assert turn.branches[step.branch].rating == "unhelpful"
