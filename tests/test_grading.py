"""What hidden test cells call: a float within the cell's points, a card, never an exception."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from ipt_widgets.grading import NotAnswered, check_answered, grade_classification
from ipt_widgets.store import ResponseStore

REFERENCE = {"area": "role_dispute", "stage": "impasse", "explanation": "Stalled talks with her sister."}


@pytest.fixture
def shown(monkeypatch):
    cards = []
    monkeypatch.setattr("ipt_widgets.grading._display_html", lambda html, metadata=None: cards.append(html))
    return cards


def grade(tmp_path, points=2):
    return grade_classification("nb", "c1", REFERENCE, points, title="Case 1", directory=tmp_path)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"area": "role_dispute", "stage": "impasse", "rationale": "r"}, 2.0),
        ({"area": "role_dispute", "stage": "dissolution"}, 1.0),
        ({"area": "role_dispute", "stage": None}, 1.0),
        ({"area": "grief"}, 0.0),
        ({"area": None}, 0.0),
    ],
)
def test_returns_partial_credit_as_a_float(tmp_path, shown, value, expected):
    ResponseStore.for_notebook("nb", tmp_path).save("c1", value)
    result = grade(tmp_path)
    assert type(result) is float and result == expected
    assert "Expert answer" in shown[0] and "Stalled talks" in shown[0]


@pytest.mark.parametrize(
    "content",
    [None, b"", b"{broken", b"\xff\xfe\x00", b'{"format": "ipt-course-responses", "version": 1, "items": {"c1": 5}}'],
)
def test_missing_or_bad_files_score_zero_with_a_message(tmp_path, shown, content):
    if content is not None:
        (tmp_path / "nb.responses.json").write_bytes(content)
    assert grade(tmp_path) == 0.0
    assert "No answer" in shown[0]


def test_tampered_value_is_explained(tmp_path, shown):
    ResponseStore.for_notebook("nb", tmp_path).save("c1", {"area": "role_dispute", "stage": "war"})
    assert grade(tmp_path) == 0.0
    assert "could not be used" in shown[0]


def test_bad_reference_is_loud(tmp_path, shown):
    with pytest.raises(ValueError, match="hidden test for 'c1'.*field 'area'"):
        grade_classification("nb", "c1", {"area": "adjustment"}, 2, directory=tmp_path)
    with pytest.raises(ValueError, match="points"):
        grade_classification("nb", "c1", REFERENCE, 0, directory=tmp_path)


def _notebook_with_heading(folder, item_id="c1", heading="## Case 8 of 10"):
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": [heading]},
        {"cell_type": "code", "metadata": {}, "source": [f'VignetteClassifier(cases["{item_id}"], store)']},
    ]
    (folder / "nb.ipynb").write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))


def test_check_answered_while_running_the_notebook(tmp_path, shown, monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    _notebook_with_heading(tmp_path)
    assert check_answered("nb", "c1", directory=tmp_path) is None  # Run All goes on
    assert "Not answered yet" in shown[0] and "Case 8 has no saved answer" in shown[0]
    assert "c1" not in shown[0]
    ResponseStore.for_notebook("nb", tmp_path).save("c1", {"area": "grief"})
    assert check_answered("nb", "c1", directory=tmp_path) is None
    assert len(shown) == 1


def test_check_answered_under_validate_fails_with_one_plain_sentence(tmp_path, shown, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "validate")
    _notebook_with_heading(tmp_path)
    with pytest.raises(NotAnswered) as raised:
        check_answered("nb", "c1", directory=tmp_path)
    lines = raised.value._render_traceback_()
    assert len(lines) == 1 and lines[0].startswith("Case 8 is not answered yet:")
    assert "press Validate again" in lines[0]


def test_check_answered_while_autograding_leaves_the_message_to_the_grade(tmp_path, shown, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    ResponseStore.for_notebook("nb", tmp_path).save("c2", {"area": "grief"})
    assert check_answered("nb", "c1", directory=tmp_path) is None
    assert shown == []  # no stale "answer in the widget above" in the feedback
    (tmp_path / "nb.responses.json").unlink()
    assert check_answered("nb", "c1", directory=tmp_path) is None
    assert "had no nb.responses.json" in shown[0] and "whole assignment folder" in shown[0]


def test_grading_path_writes_nothing_to_stderr_and_skips_ipywidgets(tmp_path):
    """nbgrader zeroes a test cell with any stderr; every graded kernel pays for imports."""
    (tmp_path / "nb.responses.json").write_text(
        json.dumps({"format": "ipt-course-responses", "version": 1, "items": {"c1": {"value": {"area": "grief"}}}})
    )
    code = (
        "import sys, warnings\n"
        "warnings.simplefilter('always')\n"
        "from ipt_widgets.grading import grade_classification, check_answered\n"
        f"check_answered('nb', 'c1', directory={str(tmp_path)!r})\n"
        f"print(grade_classification('nb', 'c1', {REFERENCE!r}, 2, directory={str(tmp_path)!r}))\n"
        "print('ipywidgets' in sys.modules, 'yaml' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-W", "always", "-c", code], capture_output=True, text=True, check=True)
    assert run.stderr == ""
    assert run.stdout.strip().splitlines()[-2:] == ["0.0", "False False"]


# -- free-text drafts -------------------------------------------------------------------------

DRAFT_REFERENCE = (Path(__file__).parent / "fixtures" / "formulation.yaml").read_text(encoding="utf-8")


def _one_reference_yaml():
    import yaml

    return yaml.safe_dump(yaml.safe_load(DRAFT_REFERENCE)["references"][0])


def test_grade_draft_scales_rubric_points_to_the_cell_and_shows_the_card(tmp_path, shown):
    from ipt_widgets.grading import grade_draft

    ResponseStore.for_notebook("nb", tmp_path).save(
        "t_grief",
        "Mr Okafor, your depression began two months after Ngozi died, and I think it comes from how hard it has "
        "been to grieve her. It is a treatable illness, not a weakness. Over twelve weekly sessions we will talk "
        "about Ngozi and then find ways back to Ada, church and the allotment. Does that fit how you see it?",
    )
    result = grade_draft("nb", "t_grief", _one_reference_yaml(), 4, directory=tmp_path)
    assert type(result) is float and 3.0 <= result <= 4.0
    card = shown[0]
    assert "What a good answer does" in card and "Expert formulation" in card
    assert "scaled to this item" in shown[1] and "instructor" in shown[1]


def test_grade_draft_hides_exemplars_and_marks_a_provisional_score_for_the_review_queue(tmp_path, monkeypatch):
    from ipt_widgets.formulations import parse_reference
    from ipt_widgets.grading import grade_draft

    outputs = []
    monkeypatch.setattr(
        "ipt_widgets.grading._display_html", lambda html, metadata=None: outputs.append((html, metadata))
    )
    store = ResponseStore.for_notebook("nb", tmp_path)
    store.save("t_grief", "Mr Okafor, since Ngozi died you are depressed. Honestly, Ada is being selfish and unfair.")
    grade_draft("nb", "t_grief", _one_reference_yaml(), 4, directory=tmp_path)
    (card, meta), (notice, _) = outputs
    review = meta["ipt"]["review"]
    assert review["item"] == "t_grief" and any("taking sides" in r for r in review["reasons"])
    assert "provisional" in card and "provisional" in notice
    ref = parse_reference(_one_reference_yaml())
    exemplars = [x for e in ref.elements for x in e.exemplars if x not in ref.expert_formulation]
    assert "An expert might write" not in card and not any(x in card for x in exemplars)
    outputs.clear()
    store.save("t_grief", "")
    grade_draft("nb", "t_grief", _one_reference_yaml(), 4, directory=tmp_path)
    assert outputs[0][1] is None  # nothing for the queue when the score needs no review


def test_grade_draft_blank_or_non_text_scores_zero_without_raising(tmp_path, shown):
    from ipt_widgets.grading import grade_draft

    assert grade_draft("nb", "t_grief", _one_reference_yaml(), 4, directory=tmp_path) == 0.0
    ResponseStore.for_notebook("nb", tmp_path).save("t_grief", ["not", "text"])
    assert grade_draft("nb", "t_grief", _one_reference_yaml(), 4, directory=tmp_path) == 0.0
    assert "could not be used: it should be text" in shown[-2]


def test_grade_draft_bad_reference_is_loud(tmp_path, shown):
    from ipt_widgets.grading import grade_draft

    with pytest.raises(ValueError, match="hidden test for 't_grief', reference, reference 't_grief': field 'task'"):
        grade_draft("nb", "t_grief", _one_reference_yaml().replace("task: formulation", "task: essay"), 4)
    with pytest.raises(ValueError, match="field 'points'"):
        grade_draft("nb", "t_grief", _one_reference_yaml(), 0, directory=tmp_path)


def test_a_broken_hidden_test_is_reported_in_full_despite_nbgrader_cutting_lines(tmp_path, shown):
    from ipt_widgets.grading import HiddenTestError

    reference = {**REFERENCE, "area": "deficits", "stage": None}
    with pytest.raises(HiddenTestError) as error:
        grade_classification("nb", "c1", reference, 2, directory=tmp_path)
    lines = str(error.value).splitlines()
    assert all(len(line) <= 80 for line in lines)  # nbgrader's Validate cuts lines at 87 characters
    text = " ".join(lines)
    assert "field 'area' is 'deficits'" in text and "did you mean 'interpersonal_deficits'" in text
    assert "not the trainee's answer" in lines[0]
    assert "field &#x27;area&#x27; is &#x27;deficits&#x27;" in shown[0] and "instructor&#x27;s mistake" in shown[0]


@pytest.mark.parametrize("points", ["2", None, -1, True])
def test_points_that_are_not_a_positive_number_are_named(tmp_path, shown, points):
    from ipt_widgets.grading import HiddenTestError

    with pytest.raises(HiddenTestError, match="field 'points' must be a positive number"):
        grade_classification("nb", "c1", REFERENCE, points, directory=tmp_path)


def test_misspelt_optional_reference_field_is_an_error_not_silence(tmp_path, shown):
    with pytest.raises(ValueError, match=r"unknown field 'explaination'; did you mean\s'explanation'"):
        grade_classification("nb", "c1", {"area": "grief", "explaination": "x"}, 2, directory=tmp_path)
