"""The authoring guide's worked examples (docs/authoring/examples/) are real, and keep working."""

import json
import re
import shutil

import pytest
from ipt_widgets.casebook import load_casebook
from ipt_widgets.cases import load_cases
from ipt_widgets.check import run
from ipt_widgets.preview import _graded_item, preview
from ipt_widgets.vocab import COMPETENCIES

from tests.conftest import REPO

DOCS = REPO / "docs" / "authoring"
EXAMPLES = DOCS / "examples"
ASSIGNMENT = EXAMPLES / "m99_example"


def test_the_examples_pass_the_check_with_nothing_to_report():
    assert [str(f) for f in run([EXAMPLES])] == []


def test_the_practice_example_has_every_kind_of_case_and_each_can_be_answered(tmp_path):
    from ipt_widgets.store import ResponseStore
    from ipt_widgets.ui import InventoryMapper, MoodTimeline, SymptomTracker, TranscriptCoder, VignetteClassifier

    store = ResponseStore.for_notebook("99_practice", tmp_path)
    cases = load_cases(EXAMPLES / "99_practice.yaml", require_answers=True, strict=True)
    book = load_casebook(EXAMPLES / "99_practice.yaml", require_answers=True, strict=True)
    case = VignetteClassifier(cases["p99_harbour_clerk"], store)
    case.answer(area="role_dispute", stage="impasse")
    assert case.check().verdict == "correct"
    inventory = InventoryMapper(book.inventory["inv_p99_harbour_clerk"], store)
    for name, relationship, circle, focus in (
        ("Dora", "partner", "inner", False),
        ("Ana", "sister", "middle", False),
        ("Petra", "manager", "outer", True),
    ):
        inventory.add_person(name, relationship, circle=circle, focus=focus)
    assert inventory.check().verdict == "correct"
    timeline = MoodTimeline(book.timeline["tl_p99_harbour_clerk"], store)
    timeline.set_answer(
        {
            "mood": [7, 7, 6, 6, 5, 4, 4, 3, 3, 3],
            "event_weeks": {"e1": 3, "e2": 5, "e3": 7},
            "onset": "e2",
            "worsening": "e3",
        }
    )
    assert timeline.check().verdict == "correct"
    phq9 = SymptomTracker(book.phq9["phq_p99_harbour_clerk"], store)
    assert phq9.case.reference.totals == [12, 4]
    coder = TranscriptCoder(book.transcripts["tr_p99_harbour_clerk"], store)
    coder.code_all({"t1": "communication_analysis", "t2": "exploratory"})
    assert coder.check().verdict == "correct"


@pytest.mark.parametrize(("item", "expected"), [("g99_bakery_owner", (0.0, 2.0)), ("tr_g99_bakery_owner", (1.5, 3.0))])
def test_the_example_responses_are_graded_by_the_example_hidden_tests(item, expected):
    saved = json.loads((ASSIGNMENT / "m99_example.responses.example.json").read_text(encoding="utf-8"))
    card, points, max_points = preview(
        _graded_item(item, ASSIGNMENT / "m99_example.ipynb"), saved["items"][item]["value"]
    )
    assert (points, max_points) == expected
    assert "Expert answer" in card


@pytest.mark.slow
def test_the_example_assignment_earns_full_marks_when_run_as_grading_runs_it(tmp_path):
    import nbformat
    from nbclient import NotebookClient

    work = tmp_path / "m99_example"
    shutil.copytree(ASSIGNMENT, work, ignore=shutil.ignore_patterns("*.example.json"))
    nb = nbformat.read(work / "m99_example.ipynb", as_version=4)
    NotebookClient(nb, timeout=120, resources={"metadata": {"path": str(work)}}).execute()
    scores = [
        float(out.data["text/plain"])
        for cell in nb.cells
        if cell.metadata.get("nbgrader", {}).get("grade") and cell.cell_type == "code"
        for out in cell.outputs
        if out.output_type == "execute_result"
    ]
    assert scores == [2.0, 3.0]


def test_the_competency_table_is_the_course_list():
    text = (DOCS / "graded_items.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(\w+)` \| (.+?) \|$", text, re.M))
    assert rows == COMPETENCIES


def test_every_link_of_the_guide_leads_somewhere():
    for page in DOCS.glob("*.md"):
        for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if not target.startswith("http"):
                assert (page.parent / target).exists(), f"{page.name}: {target}"
