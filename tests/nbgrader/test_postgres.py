"""The gradebook in PostgreSQL (``c.CourseDirectory.db_url``), against a real throw-away server.

``.ci/postgres.sh`` starts the server (installing Debian's package first when it can); where it
cannot, every test here is skipped and says why. The expected scores come from the same
simulated trainees as test_autograde.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from nbgrader.api import Gradebook
from sqlalchemy.engine import make_url

from tests.conftest import REPO
from tests.nbgrader.conftest import answer_key, make_course_copy, run_nbgrader, submit
from tests.nbgrader.test_autograde import partial_value, perfect_value

psycopg2 = pytest.importorskip("psycopg2", reason="PostgreSQL tests need psycopg2: pip install -e '.[test]'")

pytestmark = pytest.mark.slow

SCRIPT = REPO / ".ci" / "postgres.sh"
COURSE_ID = "ipt-depression"  # nbgrader_config.py: the gradebook keeps rows per course
# Small (one notebook, two items) and, unlike the one-item m00, its partial trainee scores
# strictly between the blank and the perfect one.
ASSIGNMENT = "m07_techniques"


@pytest.fixture(scope="module")
def postgres_url():
    """The URL of a PostgreSQL server that lives as long as this module's tests."""
    # Not pytest's tmp_path: its parent is private to root, and as root the server runs as
    # another user, which must reach its data directory.
    base = Path(tempfile.mkdtemp(prefix="ipt-postgres-"))
    try:
        run = subprocess.run(["bash", str(SCRIPT), str(base)], capture_output=True, text=True, timeout=600)
    except subprocess.TimeoutExpired:
        run = None
    if run is None or run.returncode != 0:
        subprocess.run(["bash", str(SCRIPT), "stop", str(base)], capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)
        lines = run.stderr.strip().splitlines() if run else []
        reason = lines[-1] if lines else ("timed out" if run is None else f"exit status {run.returncode}")
        pytest.skip(f"PostgreSQL not available: {reason}")
    yield run.stdout.strip().splitlines()[-1]
    stop = subprocess.run(["bash", str(SCRIPT), "stop", str(base)], capture_output=True, text=True, timeout=60)
    shutil.rmtree(base, ignore_errors=True)
    assert stop.returncode == 0, stop.stderr


@pytest.fixture
def alembic_on_path(monkeypatch):
    """A new gradebook runs ``alembic`` from PATH (as conftest.run_nbgrader notes): use this venv's."""
    monkeypatch.setenv("PATH", os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))


def new_database(url: str, name: str) -> str:
    """Create an empty database on the server of ``url``; return its URL."""
    parts = make_url(url)
    connection = psycopg2.connect(
        host=parts.host, port=parts.port, user=parts.username, password=parts.password, dbname=parts.database
    )
    try:
        connection.autocommit = True  # CREATE DATABASE cannot run in a transaction
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()
    return parts.set(database=name).render_as_string(hide_password=False)


# nbgrader 0.9's add_submission warns under SQLAlchemy 2 with any database (SQLite too).
@pytest.mark.filterwarnings("ignore:Object of type <Submitted:sqlalchemy.exc.SAWarning")
def test_gradebook_api_round_trip(postgres_url, alembic_on_path):
    url = new_database(postgres_url, "ipt_api_check")
    with Gradebook(url, course_id=COURSE_ID) as gb:
        assert gb.engine.dialect.name == "postgresql"
        gb.add_assignment("pg_check")
        gb.add_notebook("pg_check", "pg_check")
        gb.add_grade_cell("g_area", "pg_check", "pg_check", max_score=2, cell_type="code")
        gb.add_grade_cell("g_reflection", "pg_check", "pg_check", max_score=3, cell_type="markdown")
        gb.add_solution_cell("g_reflection", "pg_check", "pg_check")
        gb.add_source_cell("g_area", "pg_check", "pg_check", cell_type="code", source="grade(1)", checksum="abc")
        gb.add_student("ana", first_name="Ana", last_name="Núñez", email="ana@example.org")
        gb.add_student("ben", first_name="Ben", last_name="O'Neill")
        gb.add_submission("pg_check", "ana")
        gb.add_submission("pg_check", "ben")
        gb.find_grade("g_area", "pg_check", "pg_check", "ana").auto_score = 2
        gb.find_grade("g_reflection", "pg_check", "pg_check", "ana").manual_score = 1.5
        gb.find_grade("g_area", "pg_check", "pg_check", "ben").auto_score = 0.5
        gb.db.commit()

    with Gradebook(url, course_id=COURSE_ID) as gb:  # a new connection: read back what was stored
        assignment = gb.find_assignment("pg_check")
        assert [nb.name for nb in assignment.notebooks] == ["pg_check"]
        assert assignment.max_score == pytest.approx(5)
        assert gb.find_grade_cell("g_reflection", "pg_check", "pg_check").cell_type == "markdown"
        assert gb.find_source_cell("g_area", "pg_check", "pg_check").source == "grade(1)"
        assert {(s.id, s.first_name, s.last_name) for s in gb.students} == {
            ("ana", "Ana", "Núñez"),
            ("ben", "Ben", "O'Neill"),
        }
        assert gb.find_submission("pg_check", "ana").score == pytest.approx(3.5)
        assert gb.find_submission("pg_check", "ben").score == pytest.approx(0.5)
        assert gb.average_assignment_score("pg_check") == pytest.approx(2.0)
        # The formgrader's summary queries (aggregates over joins) run on PostgreSQL too.
        scores = {s["student"]: s["score"] for s in gb.submission_dicts("pg_check")}
        assert scores == {"ana": pytest.approx(3.5), "ben": pytest.approx(0.5)}
        assert {s["id"]: s["score"] for s in gb.student_dicts()} == {"ana": 3.5, "ben": 0.5}


@pytest.fixture(scope="module")
def pg_course(postgres_url, tmp_path_factory):
    """A course copy whose assignment was generated into the PostgreSQL gradebook.

    Like ``released_course`` but for one assignment: regenerating all of them would cost ~45 s.
    """
    course = make_course_copy(tmp_path_factory.mktemp("pg_course"))
    run_nbgrader(course, "generate_assignment", ASSIGNMENT, "--force", f"--CourseDirectory.db_url={postgres_url}")
    return course


def expected_trainees():
    """Answers and expected total of the perfect, blank and partial trainees (test_autograde's rules)."""
    key = answer_key(ASSIGNMENT)
    answers = {"perfect": {}, "blank": None, "partial": {}}
    expected = {"perfect": 0.0, "blank": 0.0, "partial": 0.0}
    for index, (item, ref) in enumerate(key.items()):
        answers["perfect"][item] = perfect_value(ref)
        answers["partial"][item], fraction = partial_value(ref, index)
        expected["perfect"] += ref["points"]
        expected["partial"] += ref["points"] * fraction
    return key, answers, expected


def grades(url: str, student: str) -> dict[str, float]:
    with Gradebook(url, course_id=COURSE_ID) as gb:
        return {g.name: g.score for g in gb.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, student).grades}


def test_autograde_writes_the_expected_scores_to_postgres(pg_course, postgres_url):
    key, answers, expected = expected_trainees()
    assert 0 < expected["partial"] < expected["perfect"]
    for student, responses in answers.items():
        submit(pg_course, student, ASSIGNMENT, responses)
    run_nbgrader(pg_course, "autograde", ASSIGNMENT, f"--CourseDirectory.db_url={postgres_url}")

    assert not (pg_course / "gradebook.db").exists(), "the command line must override the config's SQLite URL"
    with Gradebook(postgres_url, course_id=COURSE_ID) as gb:
        scores = {student: gb.find_submission(ASSIGNMENT, student).score for student in expected}
    assert scores == pytest.approx(expected, abs=1e-6)
    partial = grades(postgres_url, "partial")
    for index, ref in enumerate(key.values()):
        assert partial[ref["grade_id"]] == pytest.approx(ref["points"] * partial_value(ref, index)[1], abs=1e-6)


def test_two_graders_write_to_one_gradebook_at_once(pg_course, postgres_url):
    key, answers, expected = expected_trainees()
    cohort = {"writer_perfect": "perfect", "writer_partial": "partial"}
    for student, kind in cohort.items():
        submit(pg_course, student, ASSIGNMENT, answers[kind])

    def grade(student):
        start = time.monotonic()
        run_nbgrader(
            pg_course, "autograde", ASSIGNMENT, "--student", student, f"--CourseDirectory.db_url={postgres_url}"
        )
        return start, time.monotonic()

    with ThreadPoolExecutor(max_workers=2) as pool:
        (start_a, end_a), (start_b, end_b) = pool.map(grade, cohort)  # each fails the test if nbgrader fails
    assert start_b < end_a and start_a < end_b, "the two autograde processes did not overlap"

    with Gradebook(postgres_url, course_id=COURSE_ID) as gb:
        for student, kind in cohort.items():
            assert gb.find_submission(ASSIGNMENT, student).score == pytest.approx(expected[kind], abs=1e-6)
    for student in cohort:
        stored = grades(postgres_url, student)
        assert set(stored) == {ref["grade_id"] for ref in key.values()}
        assert None not in stored.values()


@pytest.mark.filterwarnings("ignore:Object of type <Submitted:sqlalchemy.exc.SAWarning")
def test_dask_grading_writes_the_postgres_gradebook(pg_course, postgres_url, alembic_on_path):
    """Two Dask workers grade; the coordinator alone writes their results into PostgreSQL."""
    from ipt_widgets.instructor.dask_grading import grade_jobs

    _, answers, expected = expected_trainees()
    cohort = {"pool_perfect": "perfect", "pool_partial": "partial", "pool_blank": "blank", "pool_perfect2": "perfect"}
    for student, kind in cohort.items():
        submit(pg_course, student, ASSIGNMENT, answers[kind])
    run = grade_jobs(pg_course, [(ASSIGNMENT, s) for s in cohort], workers=2, db_url=postgres_url)
    assert all(ok for ok, _ in run.outcomes.values()), run.outcomes
    assert run.where.startswith("LocalCluster")
    with Gradebook(postgres_url, course_id=COURSE_ID) as gb:
        for student, kind in cohort.items():
            assert gb.find_submission(ASSIGNMENT, student).score == pytest.approx(expected[kind], abs=1e-6)
