"""The competency report's risk column comes only from scored risk decisions (issue 14): a
PHQ-9 item's ``risk_action`` part, a transcript's ``missed_risk`` part, never a whole-item score."""

import json

import nbformat
import pytest
from ipt_widgets.grading import parts_metadata
from ipt_widgets.instructor import report as rp
from ipt_widgets.instructor.report.parts import read_parts
from ipt_widgets.instructor.report.risk import risk_scores
from ipt_widgets.risk import RISK_PARTS
from ipt_widgets.scoring.base import ItemScore

PHQ = rp.Item("m02", "m02", "g01_phq9", 5.0, ("symptom_monitoring", "risk_assessment"))
TRANSCRIPT = rp.Item("m03", "m03", "g03_techniques", 8.0, ("technique_recognition", "risk_assessment"))
INVENTORY = rp.Item("m02", "m02", "g01_inventory", 4.0, ("interpersonal_inventory",))


def test_the_risk_parts_are_named_in_one_place():
    assert RISK_PARTS == {"risk_action", "missed_risk", "scenario_risk"}


def test_risk_scores_use_only_risk_parts_of_tagged_items():
    parts = {
        "t": {
            PHQ.key: {"items": 1.0, "totals": 1.0, "risk_action": 0.0},
            TRANSCRIPT.key: {"turn_1": 1.0, "missed_risk": 0.5},
            INVENTORY.key: {"risk_action": 1.0},  # not tagged risk_assessment: ignored
        },
        "u": {PHQ.key: {"items": 1.0}},  # graded before the part existed: missing, not zero
    }
    scores = risk_scores([PHQ, TRANSCRIPT, INVENTORY], parts)
    assert scores == {"t": {PHQ.key: (0.0, 5.0), TRANSCRIPT.key: (4.0, 8.0)}}


def test_a_trainee_perfect_on_sums_but_unsafe_on_risk_is_not_competent_in_risk():
    trainees = [rp.Trainee("t"), rp.Trainee("u")]
    whole = {"t": {PHQ.key: (2.5, 5.0)}, "u": {PHQ.key: (5.0, 5.0)}}  # t: capped for monitoring risk
    risk = risk_scores([PHQ], {"t": {PHQ.key: {"risk_action": 0.0}}, "u": {PHQ.key: {"risk_action": 1.0}}})
    report = rp.build_report([PHQ], trainees, whole, {"t": {"m02"}, "u": {"m02"}}, evidence={"risk_assessment": risk})
    rows = {r.trainee.id: r.competencies for r in report.trainees}
    assert rows["t"]["risk_assessment"] == 0.0 and rows["t"]["symptom_monitoring"] == 0.5
    assert rows["u"]["risk_assessment"] == 1.0
    without = rp.build_report([PHQ], trainees, whole, {"t": {"m02"}, "u": {"m02"}})
    assert {r.trainee.id: r.competencies["risk_assessment"] for r in without.trainees}["t"] == 0.5


def test_no_risk_part_leaves_the_risk_column_missing():
    report = rp.build_report(
        [PHQ], [rp.Trainee("t")], {"t": {PHQ.key: (5.0, 5.0)}}, {"t": {"m02"}}, evidence={"risk_assessment": {}}
    )
    assert report.trainees[0].competencies["risk_assessment"] is None
    assert report.trainees[0].competencies["symptom_monitoring"] == 1.0


def graded_notebook(path, cells):
    path.parent.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook()
    for grade_id, parts in cells:
        cell = nbformat.v4.new_code_cell("grade_phq9(...)")
        cell.metadata["nbgrader"] = {"grade": True, "grade_id": grade_id, "points": 5}
        score = ItemScore(1.0, 5.0, "partial", parts=parts)
        cell.outputs = [
            nbformat.v4.new_output(
                "display_data", data={"text/html": "<div>card</div>"}, metadata=parts_metadata(score)
            ),
            nbformat.v4.new_output("execute_result", data={"text/plain": "1.0"}, execution_count=1),
        ]
        nb.cells.append(cell)
    nbformat.write(nb, path)


def test_parts_are_read_from_the_autograded_notebooks(tmp_path):
    graded_notebook(
        tmp_path / "autograded" / "t" / "m02" / "m02.ipynb", [("g01_phq9", {"items": 1, "risk_action": 0.25})]
    )
    graded_notebook(tmp_path / "autograded" / "t" / "m09" / "m09.ipynb", [("g09_phq9", {"risk_action": 1.0})])
    (tmp_path / "autograded" / "u" / "m02").mkdir(parents=True)
    (tmp_path / "autograded" / "u" / "m02" / "m02.ipynb").write_text("{not json", encoding="utf-8")
    parts = read_parts(tmp_path, ["m02"])
    assert parts == {"t": {PHQ.key: {"items": 1.0, "risk_action": 0.25}}}
    assert set(read_parts(tmp_path)["t"]) == {PHQ.key, ("m09", "m09", "g09_phq9")}


def test_parts_outside_zero_to_one_are_not_evidence(tmp_path):
    path = tmp_path / "autograded" / "t" / "m02" / "m02.ipynb"
    graded_notebook(path, [("g01_phq9", {"risk_action": 0.5})])
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"][0]["outputs"][0]["metadata"]["ipt"]["parts"] = {"risk_action": 7, "x": True, "y": "1"}
    path.write_text(json.dumps(nb), encoding="utf-8")
    assert read_parts(tmp_path) == {"t": {PHQ.key: {}}}


@pytest.mark.parametrize("value", [float("nan"), -1.0, 2.0])
def test_card_metadata_holds_only_fractions(value):
    assert parts_metadata(ItemScore(0.0, 1.0, "incorrect", parts={"risk_action": value}))["ipt"]["parts"][
        "risk_action"
    ] in (0.0, 1.0)
