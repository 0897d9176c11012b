"""Free-text scores an instructor can trust, through the real nbgrader pipeline (issue 12).

A trainee's unsafe draft and a draft in Spanish are autograded: both land in the review queue
with their reasons, the queue flags them for formgrader through the Gradebook API, an override
there changes the total, and the generated feedback says the score is provisional while showing
neither the hidden test code nor any exemplar of the rubric.
"""

from __future__ import annotations

from html import unescape

import pytest
from ipt_widgets.formulations import parse_reference
from ipt_widgets.instructor.review_queue import as_text, mark_for_review, read_queue
from nbgrader.api import Gradebook

from tests.conftest import REPO
from tests.nbgrader.conftest import ASSIGNMENTS, answer_key, run_nbgrader, submit
from tests.nbgrader.test_autograde import perfect_value

pytestmark = pytest.mark.slow

M01 = "m01_problem_areas"
UNSAFE = (
    "Marisol, you have depression, a common illness that can be treated. It began two months after the birthday "
    "lunch when Ernesto refused to help with your mother. Ernesto is being unfair and selfish, and you are right: "
    "I will help you make him take your mother one weekend a month. We will meet weekly for sixteen weeks."
)
SPANISH = (
    "Dean, lo que te pasa es una depresión, una enfermedad que se puede tratar. Cada semana te preguntaré por "
    "las ideas de no despertar y haremos un plan de seguridad con tu madre y tu médico. Vamos a revisar tus "
    "relaciones, con Liam y con tu madre, y a practicar pequeños pasos para acercarte a la gente del trabajo."
)


def free_text_items(assignment):
    return {item: ref for item, ref in answer_key(assignment).items() if ref["kind"] == "draft"}


@pytest.fixture(scope="module")
def graded(released_course):
    key = answer_key(M01)
    answers = {item: perfect_value(ref) for item, ref in key.items()}
    answers.update(ft_m01_formulation=UNSAFE, ft_m01_interventions=SPANISH)
    submit(released_course, "reviewed", M01, answers)
    run_nbgrader(released_course, "autograde", M01, "--student", "reviewed")
    return released_course


def test_provisional_scores_are_listed_with_their_reasons(graded):
    entries = {e.grade_id: e for e in read_queue(graded, [M01]) if e.trainee == "reviewed"}
    assert set(entries) == {"g11_formulation", "g12_interventions"}
    assert any("taking sides" in r for r in entries["g11_formulation"].reasons)
    assert any("English" in r for r in entries["g12_interventions"].reasons)
    assert entries["g11_formulation"].formgrader_path == f"/formgrader/gradebook/{M01}/{M01}"
    assert "reviewed" in as_text(list(entries.values()))


def test_the_queue_flags_grades_and_an_override_in_formgrader_counts(graded):
    url = f"sqlite:///{graded / 'gradebook.db'}"
    entries = [e for e in read_queue(graded, [M01]) if e.trainee == "reviewed"]
    with Gradebook(url) as gb:
        before = gb.find_submission(M01, "reviewed").score
        assert not gb.find_grade("g11_formulation", M01, M01, "reviewed").needs_manual_grade
    assert mark_for_review(entries, url) == 2
    with Gradebook(url) as gb:
        grade = gb.find_grade("g11_formulation", M01, M01, "reviewed")
        assert grade.needs_manual_grade and gb.find_submission(M01, "reviewed").needs_manual_grade
        auto = grade.auto_score
        grade.manual_score = 0.0  # what formgrader stores when the instructor types a score
        grade.needs_manual_grade = False
        gb.db.commit()
        assert gb.find_submission(M01, "reviewed").score == pytest.approx(before - auto)


def test_feedback_is_provisional_and_keeps_the_rubric_private(graded):
    run_nbgrader(graded, "generate_feedback", M01, "--student", "reviewed")
    html = unescape((graded / "feedback" / "reviewed" / M01 / f"{M01}.html").read_text(encoding="utf-8"))
    assert "provisional" in html
    assert "grade_draft" not in html and "BEGIN HIDDEN TESTS" not in html and "exemplars" not in html
    assert "Scores the written formulation for case 14" in html  # the test cell's docstring stays
    for item in free_text_items(M01).values():
        ref = parse_reference(item["reference"])
        assert ref.expert_formulation.split(".")[0] in html  # the expert answer is shown
        for element in ref.elements:
            for exemplar in element.exemplars:
                if " ".join(exemplar.split()) in " ".join(ref.expert_formulation.split()):
                    continue  # a sentence of the expert answer, which feedback shows by design
                assert exemplar not in html, f"{element.id}: an exemplar reached the feedback"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_exercises_hold_no_exemplar_or_reference(assignment):
    released = "\n".join(
        p.read_text(encoding="utf-8")
        for p in (REPO / "exercises" / assignment).rglob("*")
        if p.is_file() and p.suffix in (".ipynb", ".yaml", ".yml", ".json", ".md")
    )
    for item in free_text_items(assignment).values():
        ref = parse_reference(item["reference"])
        assert ref.expert_formulation[:80] not in released
        for element in ref.elements:
            assert element.description not in released
            for exemplar in element.exemplars:
                assert exemplar not in released
