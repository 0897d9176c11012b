"""Loading case files and references: bad input is rejected naming file, case and field."""

import textwrap

import pytest
from ipt_widgets.cases import ClassificationReference, load_cases

from tests.conftest import REPO

GOOD_PRACTICE = """
cases:
  - id: c1
    title: A case
    text: |
      First paragraph.

      Second paragraph.
    answer: {area: role_dispute, stage: impasse}
    explanation: Because.
    distractors:
      grief: g
      role_transition: t
      interpersonal_deficits: d
    stage_feedback:
      renegotiation: r
      dissolution: d
"""


def write(tmp_path, text, name="cases.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_loads_a_complete_practice_file(tmp_path):
    cases = load_cases(write(tmp_path, GOOD_PRACTICE), require_answers=True)
    case = cases["c1"]
    assert case.reference.area == "role_dispute" and case.reference.stage == "impasse"
    assert "Second paragraph." in case.text
    assert case.reference.distractors["grief"] == "g"


def test_graded_file_needs_no_answers(tmp_path):
    cases = load_cases(write(tmp_path, "cases: [{id: g1, title: T, text: Some text}]"))
    assert cases["g1"].reference is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("cases: []", "field 'cases' must be a non-empty list"),
        ("- just a list", "field 'cases'"),
        ("cases: [{title: T, text: x}]", "case 1, line 1: field 'id'"),
        ("cases: [{id: a, text: x}]", "case 'a', line 1: field 'title'"),
        ("cases: [{id: a, title: T, text: '  '}]", "case 'a', line 1: field 'text'"),
        (
            "cases: [{id: a, title: T, text: x}, {id: a, title: T, text: y}]",
            "case 'a', line 1: field 'id' is used twice",
        ),
        ("cases: [{id: a, titel: T, text: x}]", "case 'a', line 1: unknown field 'titel'; did you mean 'title'"),
        (
            "cases: [{id: a, title: T, text: x, explaination: y}]",
            "unknown field 'explaination'; did you mean 'explanation'",
        ),
        ("case: [{id: a, title: T, text: x}]", "unknown section 'case'; did you mean 'cases'"),
        ("cases: [{id: a, title: T, text: x, answer: {area: adjustment}}]", "field 'area' is 'adjustment'"),
        ("cases: [{id: a, title: T, text: x, answer: {area: role_dispute}}]", "field 'stage' is None"),
        ("cases: [{id: a, title: T, text: x, answer: {area: grief, stage: impasse}}]", "only a role dispute"),
        ("cases: [{id: a, title: T, text: x: y}]", "is not valid YAML"),
    ],
)
def test_bad_files_name_the_file_case_and_field(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ValueError, match=message) as error:
        load_cases(path, strict=True)
    assert str(path) in str(error.value)


def test_practice_cases_must_explain_every_wrong_choice(tmp_path):
    text = GOOD_PRACTICE.replace("      interpersonal_deficits: d\n", "")
    with pytest.raises(ValueError, match="'distractors' has no feedback for interpersonal_deficits"):
        load_cases(write(tmp_path, text), require_answers=True, strict=True)
    text = GOOD_PRACTICE.replace("      dissolution: d\n", "")
    with pytest.raises(ValueError, match="'stage_feedback' has no feedback for dissolution"):
        load_cases(write(tmp_path, text), require_answers=True, strict=True)


def test_missing_and_non_utf8_files(tmp_path):
    with pytest.raises(ValueError, match="case file not found"):
        load_cases(tmp_path / "nope.yaml", strict=True)
    path = tmp_path / "latin1.yaml"
    path.write_bytes("cases: [{id: a, title: Jos\xe9, text: x}]".encode("latin-1"))
    with pytest.raises(ValueError, match="not UTF-8"):
        load_cases(path, strict=True)


def test_reference_rejects_feedback_for_the_right_answer():
    with pytest.raises(ValueError, match="entry for the right answer"):
        ClassificationReference.from_mapping({"area": "grief", "distractors": {"grief": "x"}}, "ref")


def test_the_course_practice_file_is_complete():
    cases = load_cases(REPO / "course" / "cases" / "01_problem_areas.yaml", require_answers=True)
    areas = {c.reference.area for c in cases.values()}
    assert len(cases) >= 6
    assert areas == {"grief", "role_dispute", "role_transition", "interpersonal_deficits"}


def test_a_broken_case_leaves_the_others_usable(tmp_path):
    text = (
        GOOD_PRACTICE
        + """  - id: c2
    titel: Broken
    text: x
"""
    )
    cases = load_cases(write(tmp_path, text))
    assert cases["c1"].reference.area == "role_dispute"
    broken = cases["c2"]
    assert broken.id == "c2" and "unknown field 'titel'" in broken.problem and "line 19" in broken.problem
    assert len(cases.errors) == 1
    assert "no item with id 'c3'" in cases["c3"].problem


def test_an_unreadable_file_gives_placeholders_not_an_exception(tmp_path):
    cases = load_cases(write(tmp_path, "cases: [{id: a, title: T, text: x: y}]"))
    assert not cases and "is not valid YAML" in cases["a"].problem


def test_feedback_beside_the_answer_is_reported_where_it_is(tmp_path):
    text = GOOD_PRACTICE.replace("      grief: g\n", "      grief: g\n      role_dispute: wrong place\n")
    with pytest.raises(ValueError, match=r"case 'c1', line 1[0-9]: field 'distractors' has an entry for the right"):
        load_cases(write(tmp_path, text), require_answers=True, strict=True)


def test_role_disputes_is_read_as_role_dispute(tmp_path):
    text = GOOD_PRACTICE.replace("area: role_dispute", "area: role_disputes")
    assert load_cases(write(tmp_path, text), strict=True)["c1"].reference.area == "role_dispute"
