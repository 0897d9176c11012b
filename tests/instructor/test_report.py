"""The competency report: its statistics by hand, its rendering, its errors, and one run on a real gradebook.

The unit tests need no database. The integration test builds a small course (source notebooks
written with nbformat, a gradebook filled through nbgrader's API), runs the command as an
instructor would, and checks the CSVs against figures computed here from the scores it set.
"""

from __future__ import annotations

import csv
import hashlib
import re
import sqlite3
import statistics
import subprocess
import sys
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import nbformat
import pytest
from ipt_widgets.instructor import report as rp

HOSTILE_FIRST = "<script>alert(1)</script>"
HOSTILE_LAST = "O'Hara & <b>bold</b>\x07"


def item(grade_id, points=2.0, competencies=("problem_area_identification",), assignment="a1", manual=False):
    return rp.Item(assignment, assignment, grade_id, points, tuple(competencies), manual)


# -- statistics, by hand ----------------------------------------------------------------------


def test_a_perfectly_discriminating_item_scores_one():
    item_fractions = {"a": 0.0, "b": 0.0, "c": 1.0, "d": 1.0}
    rest = {"a": 0.2, "b": 0.2, "c": 0.8, "d": 0.8}
    r, reason = rp.discrimination(item_fractions, rest)
    assert r == pytest.approx(1.0) and reason == ""


def test_an_item_stronger_trainees_fail_scores_minus_one_and_is_flagged():
    r, _ = rp.discrimination({"a": 1.0, "b": 1.0, "c": 0.0, "d": 0.0}, {"a": 0.2, "b": 0.2, "c": 0.8, "d": 0.8})
    assert r == pytest.approx(-1.0)
    assert rp.item_flags(0.5, r) == ["low discrimination"]


def test_point_biserial_matches_a_hand_computation():
    # means 0.6 and 0.5; sum dx*dy = 0.30, sum dx^2 = 1.2, sum dy^2 = 0.30, so r = 0.30 / sqrt(0.36) = 0.5
    r, _ = rp.pearson([1, 1, 0, 0, 1], [0.9, 0.6, 0.5, 0.2, 0.3])
    assert r == pytest.approx(0.5)


def test_a_constant_item_has_no_discrimination_and_says_why():
    r, reason = rp.discrimination({"a": 1.0, "b": 1.0, "c": 1.0}, {"a": 0.1, "b": 0.5, "c": 0.9})
    assert r is None and "no variance" in reason and "item" in reason


def test_a_constant_rest_score_has_no_discrimination_and_says_why():
    r, reason = rp.discrimination({"a": 0.0, "b": 0.5, "c": 1.0}, {"a": 0.5, "b": 0.5, "c": 0.5})
    assert r is None and "other items" in reason


def test_fewer_than_three_trainees_give_no_discrimination():
    r, reason = rp.discrimination({"a": 0.0, "b": 1.0, "c": 1.0}, {"a": 0.1, "b": 0.9})
    assert r is None and "only 2" in reason


def test_difficulty_is_the_mean_fraction():
    assert rp.difficulty([1.0, 0.5, 0.0, 0.5]) == pytest.approx(0.5)
    assert rp.difficulty([]) is None


@pytest.mark.parametrize(
    ("p", "r", "flags"),
    [
        (0.95, 0.5, ["too easy"]),
        (0.9, 0.5, []),  # the thresholds are strict: p > 0.9, p < 0.2, r < 0.2
        (0.2, 0.2, []),
        (0.1, 0.1, ["too hard", "low discrimination"]),
        (0.5, None, []),
    ],
)
def test_item_flags(p, r, flags):
    assert rp.item_flags(p, r) == flags


def test_rest_score_leaves_out_the_item_other_assignments_and_missing_items():
    items = [item("q1"), item("q2", 4), item("q3", 2), item("x1", 10, assignment="a2")]
    scores = {
        "t": {("a1", "a1", "q1"): (2.0, 2.0), ("a1", "a1", "q2"): (1.0, 4.0), ("a2", "a2", "x1"): (10.0, 10.0)},
        "u": {("a1", "a1", "q1"): (0.0, 2.0)},  # nothing else graded in a1: no rest score
    }
    rest = rp.rest_fractions(items[0], items, scores)
    assert rest == {"t": pytest.approx(1 / 4)}


def test_an_item_counts_fully_toward_each_tag_and_missing_is_not_zero():
    q1 = item("q1", 2, ["problem_area_identification", "dispute_staging"])
    q2 = item("q2", 4, ["problem_area_identification"])
    trainees = [rp.Trainee("t"), rp.Trainee("u")]
    scores = {"t": {q1.key: (1.0, 2.0)}, "u": {q1.key: (1.0, 2.0), q2.key: (4.0, 4.0)}}
    expected = {"t": {q1.key, q2.key}, "u": {q1.key, q2.key}}
    t, u = rp.summarise_trainees(trainees, [q1, q2], scores, expected)
    assert t.competencies["problem_area_identification"] == pytest.approx(0.5)  # q2 missing: not a zero
    assert t.competencies["dispute_staging"] == pytest.approx(0.5)
    assert t.competencies["technique_recognition"] is None
    assert (t.graded, t.missing) == (1, 1)
    assert u.competencies["problem_area_identification"] == pytest.approx(5 / 6)
    assert u.competencies["dispute_staging"] == pytest.approx(0.5)
    assert u.total == pytest.approx(5 / 6)


def test_report_tells_not_submitted_from_not_graded_and_finds_cohort_needs():
    q1, x1 = item("q1"), item("x1", assignment="a2")
    trainees = [rp.Trainee(t) for t in "abcd"]
    scores = {
        "a": {q1.key: (2.0, 2.0), x1.key: (2.0, 2.0)},
        "b": {q1.key: (1.0, 2.0)},  # submitted a2, not graded yet
        "c": {q1.key: (0.0, 2.0)},  # never submitted a2
        "d": {},  # submitted a1, not graded
    }
    submitted = {"a": {"a1", "a2"}, "b": {"a1", "a2"}, "c": {"a1"}, "d": {"a1"}}
    report = rp.build_report([q1, x1], trainees, scores, submitted)
    assert (report.missing_not_graded, report.missing_not_submitted) == (2, 2)
    pai = next(c for c in report.cohort if c.competency == "problem_area_identification")
    # fractions 1 (2 of 4 points), 0.5, 0: mean 0.5, median 0.5, 2 of 3 below 0.6
    assert (pai.items, pai.trainees, pai.needs_support) == (2, 3, 2)
    assert (pai.mean, pai.median, pai.minimum, pai.maximum) == pytest.approx((0.5, 0.5, 0.0, 1.0))
    assert [r.trainee.id for r in report.trainees] == ["a", "b", "c", "d"]  # by total, no data last
    notes = rp.action_notes(report)
    assert any(n.startswith("problem_area_identification: 2 of 3 trainees (67%)") for n in notes)


# -- rendering --------------------------------------------------------------------------------


def _row(trainee, **values):
    competencies = {c: values.get(c) for c in rp.COMPETENCIES}
    return rp.TraineeRow(trainee, competencies, values.get("total"), 1, 0)


def test_heatmap_escapes_names_and_stays_valid_xml():
    rows = [
        _row(rp.Trainee("t1", HOSTILE_FIRST, HOSTILE_LAST), problem_area_identification=0.25, total=0.25),
        _row(rp.Trainee("t2"), total=None),
    ]
    svg = rp.heatmap_svg(rows, ["problem_area_identification"])
    root = ET.fromstring(svg)
    assert "<script" not in svg and "&lt;script&gt;" in svg
    labels = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert any(label.startswith("t1 (<script>alert(1)</script>") for label in labels)  # shown as text
    assert "0.25" in labels and "–" in labels  # a value in each cell, a dash where there is no data


def test_heatmap_rows_keep_their_height_for_a_large_cohort():
    rows = [_row(rp.Trainee(f"t{k:03d}"), problem_area_identification=k / 99, total=k / 99) for k in range(100)]
    root = ET.fromstring(rp.heatmap_svg(rows, ["problem_area_identification"]))
    assert float(root.get("viewBox").split()[3]) >= 100 * 20


def test_colour_scale_runs_dark_to_light_and_ink_contrasts():
    assert rp.colour_for(0) == "#440154" and rp.colour_for(1) == "#fde725"
    assert rp._ink(rp.colour_for(0)) == "#ffffff" and rp._ink(rp.colour_for(1)) == "#000000"


def test_item_analysis_svg_is_valid_xml_and_skips_items_without_discrimination():
    rows = [
        rp.ItemRow(item("q<1>"), 5, 0, 0.95, 0.5, "", ["too easy"]),
        rp.ItemRow(item("q2"), 5, 0, 0.5, None, "no variance", []),
    ]
    root = ET.fromstring(rp.item_analysis_svg(rows))
    assert (
        len(root.findall("{http://www.w3.org/2000/svg}rect[{http://www.w3.org/2000/svg}title]")) == 1
    )  # the flagged item, as a square
    assert "Not plotted (no discrimination yet): 2 (q2)" in "".join(root.itertext())


def test_csv_guards_trainee_strings_against_formula_injection():
    assert rp._csv_text("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert rp._csv_text("alice") == "alice"


# -- reading the source notebooks -------------------------------------------------------------


def grade_cell(grade_id, points, competencies=None, markdown=False):
    maker = nbformat.v4.new_markdown_cell if markdown else nbformat.v4.new_code_cell
    cell = maker(f'"""Checks {grade_id}."""')
    cell.metadata["nbgrader"] = {
        "grade": True,
        "solution": markdown,
        "locked": not markdown,
        "grade_id": grade_id,
        "points": points,
        "schema_version": 3,
    }
    if competencies is not None:
        cell.metadata["ipt"] = {"competencies": competencies}
    return cell


def write_notebook(path: Path, cells) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1"), *cells]
    nbformat.write(nb, path)


def test_read_items_reports_untagged_and_unknown_tags_and_manual_cells(tmp_path):
    write_notebook(
        tmp_path / "solutions" / "a1" / "a1.ipynb",
        [
            grade_cell("q1", 2, ["problem_area_identification"]),
            grade_cell("q2", 1),
            grade_cell("q3", 1, ["dispute_staging", "not_a_competency"]),
            grade_cell("w1", 4, ["interpersonal_formulation"], markdown=True),
        ],
    )
    items, notes = rp.read_items(tmp_path / "solutions")
    assert [(i.grade_id, i.points, i.competencies, i.manual) for i in items] == [
        ("q1", 2.0, ("problem_area_identification",), False),
        ("q2", 1.0, (), False),
        ("q3", 1.0, ("dispute_staging",), False),
        ("w1", 4.0, ("interpersonal_formulation",), True),
    ]
    assert any("q2: untagged" in n for n in notes)
    assert any("not_a_competency" in n and "q3" in n for n in notes)


def test_malformed_competencies_name_the_notebook_and_cell(tmp_path):
    path = tmp_path / "solutions" / "a1" / "a1.ipynb"
    write_notebook(path, [grade_cell("q1", 2, "problem_area_identification")])
    with pytest.raises(rp.ReportError, match=r"a1\.ipynb: cell q1: ipt\.competencies"):
        rp.read_items(tmp_path / "solutions")


# -- the command ------------------------------------------------------------------------------

# (first name, last name, {item: auto score, or (auto, manual), or None for not graded yet}, submitted a2?)
CELLS = {
    "q1": (2, ["problem_area_identification", "case_conceptualisation"]),
    "q2": (2, ["problem_area_identification", "dispute_staging"]),
    "q3": (4, ["technique_recognition"]),
    "q4": (1, None),  # untagged
}
COHORT = {
    "alice": ("Alice", "Ng", {"q1": 2, "q2": 2, "q3": 4, "q4": 1, "x1": 5}),
    "bob": ("Bob", "Sy", {"q1": 1, "q2": 2, "q3": (0, 2), "q4": 1, "x1": 2.5}),  # q3: instructor override
    "carol": ("Carol", "Li", {"q1": 0, "q2": 1, "q3": 1, "q4": 0}),  # never submitted a2
    "dave": ("Dave", "Ho", {"q1": 2, "q2": 0, "q3": 3, "q4": None, "x1": 5}),  # q4 not graded yet
    "eve": (HOSTILE_FIRST, HOSTILE_LAST, {"q1": 0, "q2": 0, "q3": 0, "q4": 1, "x1": 0}),
}
POINTS = {**{k: v[0] for k, v in CELLS.items()}, "x1": 5}
TAGS = {**{k: v[1] or [] for k, v in CELLS.items()}, "x1": ["symptom_monitoring"]}
ASSIGNMENT = {"q1": "a1", "q2": "a1", "q3": "a1", "q4": "a1", "x1": "a2"}


def score_of(value):
    """The score nbgrader reports: the manual score when one is set, else the automatic one."""
    return value[1] if isinstance(value, tuple) else value


def alembic_head() -> str:
    """The newest migration of nbgrader's gradebook schema, read from its migration scripts.

    A new Gradebook stamps itself with it by running `alembic heads`, which imports all of
    nbgrader again (about 2 s here); reading the scripts gives the same answer at once.
    """
    from nbgrader.dbutil import ALEMBIC_DIR

    revisions, parents = set(), set()
    for script in Path(ALEMBIC_DIR, "versions").glob("*.py"):
        found = dict(re.findall(r"^(revision|down_revision) = ['\"]?(\w+)", script.read_text(), flags=re.M))
        revisions.add(found["revision"])
        parents.add(found.get("down_revision"))
    (head,) = revisions - parents
    return head


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    import nbgrader.api
    from nbgrader.api import Gradebook
    from sqlalchemy.exc import SAWarning

    root = tmp_path_factory.mktemp("course")
    write_notebook(root / "solutions" / "a1" / "a1.ipynb", [grade_cell(k, p, t) for k, (p, t) in CELLS.items()])
    write_notebook(root / "solutions" / "a2" / "a2.ipynb", [grade_cell("x1", 5, ["symptom_monitoring"])])
    with pytest.MonkeyPatch.context() as mp, warnings.catch_warnings():
        # SQLAlchemy 2.1 warns about how nbgrader 0.9 adds submissions; the warning is nbgrader's, not ours.
        mp.setattr(nbgrader.api, "get_alembic_version", alembic_head)
        warnings.simplefilter("ignore", SAWarning)
        with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
            for name in ("a1", "a2"):
                gb.add_assignment(name)
                gb.add_notebook(name, name)
            for grade_id, points in POINTS.items():
                gb.add_grade_cell(
                    grade_id, ASSIGNMENT[grade_id], ASSIGNMENT[grade_id], max_score=points, cell_type="code"
                )
            for student, (first, last, grades) in COHORT.items():
                gb.add_student(student, first_name=first, last_name=last)
                for name in sorted({ASSIGNMENT[g] for g in grades}):
                    gb.add_submission(name, student)
                for grade_id, value in grades.items():
                    grade = gb.find_grade(grade_id, ASSIGNMENT[grade_id], ASSIGNMENT[grade_id], student)
                    if isinstance(value, tuple):
                        grade.auto_score, grade.manual_score = value
                    elif value is not None:
                        grade.auto_score = value
            gb.db.commit()
    return root


@pytest.fixture(scope="module")
def run(course):
    out = course / "out"
    digest = hashlib.sha256((course / "gradebook.db").read_bytes()).hexdigest()
    command = [sys.executable, "-m", "ipt_widgets.instructor.report", "--course", str(course), "--out", str(out)]
    done = subprocess.run(command, cwd=course, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert hashlib.sha256((course / "gradebook.db").read_bytes()).hexdigest() == digest, "the report wrote"
    return out, done.stdout


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def graded(student):
    return {g: score_of(v) for g, v in COHORT[student][2].items() if score_of(v) is not None}


def test_trainee_csv_matches_scores_computed_here(run):
    rows = {r["student_id"]: r for r in read_csv(run[0] / "trainee_competencies.csv")}
    assert set(rows) == set(COHORT)
    for student in COHORT:
        scores = graded(student)
        for competency in rp.COMPETENCIES:
            tagged = [g for g in scores if competency in TAGS[g]]
            want = sum(scores[g] for g in tagged) / sum(POINTS[g] for g in tagged) if tagged else None
            assert rows[student][competency] == ("" if want is None else f"{want:.3f}"), (student, competency)
        total = 100 * sum(scores.values()) / sum(POINTS[g] for g in scores)
        assert rows[student]["total_percent"] == f"{total:.1f}"
        assert int(rows[student]["items_graded"]) == len(scores)
        assert int(rows[student]["items_missing"]) == len(POINTS) - len(scores)
    assert rows["bob"]["technique_recognition"] == "0.500"  # the manual override (2 of 4), not the auto 0


def test_items_csv_matches_difficulty_and_discrimination_computed_here(run):
    rows = {r["grade_id"]: r for r in read_csv(run[0] / "items.csv")}
    for grade_id, points in POINTS.items():
        takers = [s for s in COHORT if grade_id in graded(s)]
        p = statistics.fmean(graded(s)[grade_id] / points for s in takers)
        assert rows[grade_id]["difficulty"] == f"{p:.3f}"
        assert int(rows[grade_id]["n"]) == len(takers)
    # q3 against each trainee's a1 total without q3 (stdlib's correlation, not the module's)
    others = ("q1", "q2", "q4")
    takers = [s for s in COHORT if "q3" in graded(s)]
    rest = [sum(graded(s).get(g, 0) for g in others) / sum(POINTS[g] for g in others if g in graded(s)) for s in takers]
    r = statistics.correlation([graded(s)["q3"] / 4 for s in takers], rest)
    assert rows["q3"]["discrimination"] == f"{r:.3f}"
    assert rows["q4"]["competencies"] == "untagged"
    assert rows["x1"]["discrimination"] == "" and "only item" in rows["x1"]["discrimination_note"]
    assert rows["q3"]["flags"] == ("low discrimination" if r < 0.2 else "")


def test_cohort_csv_matches_the_trainee_fractions(run):
    trainees = read_csv(run[0] / "trainee_competencies.csv")
    cohort = {r["competency"]: r for r in read_csv(run[0] / "cohort_competencies.csv")}
    for competency, row in cohort.items():
        values = [float(t[competency]) for t in trainees if t[competency]]
        assert int(row["trainees_with_data"]) == len(values)
        assert int(row["items"]) == sum(competency in tags for tags in TAGS.values())
        if values:
            # from 3-decimal fractions, so allow their rounding
            assert float(row["mean"]) == pytest.approx(statistics.fmean(values), abs=1e-3)
            assert float(row["median"]) == pytest.approx(statistics.median(values), abs=1e-3)
            share = sum(v < 0.6 for v in values) / len(values)
            assert float(row["needs_support_share"]) == pytest.approx(share, abs=1e-3)


def test_figures_parse_and_the_page_escapes_every_trainee_string(run):
    out, stdout = run
    for name in ("heatmap.svg", "item_analysis.svg"):
        ET.parse(out / name)
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "<script" not in page.lower() and "<b>bold" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; O&#x27;Hara &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    assert page.count("<svg") == 2 and "src=" not in page and "<link" not in page  # self-contained
    assert "1 submitted item(s) are not graded yet" in page and "1 item(s) are missing" in page
    assert "a1/a1.ipynb, cell q4: untagged" in page
    assert "5 trainees, 2 assignments, 5 items, 2 missing item scores" in stdout
    assert (out / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"


def test_assignment_option_limits_the_report(course, tmp_path, capsys):
    assert rp.main(["--course", str(course), "--out", str(tmp_path), "--assignment", "a2"]) == 0
    rows = read_csv(tmp_path / "items.csv")
    assert [r["grade_id"] for r in rows] == ["x1"]
    carol = next(r for r in read_csv(tmp_path / "trainee_competencies.csv") if r["student_id"] == "carol")
    assert (carol["symptom_monitoring"], carol["items_graded"], carol["items_missing"]) == ("", "0", "1")


def test_config_db_url_is_used_and_db_option_overrides_it(course, tmp_path, capsys):
    (tmp_path / "solutions").symlink_to(course / "solutions")
    missing = tmp_path / "elsewhere" / "gradebook.db"
    (tmp_path / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.db_url = {f'sqlite:///{missing}'!r}\n", encoding="utf-8"
    )
    assert rp.main(["--course", str(tmp_path)]) == 2
    assert str(missing) in capsys.readouterr().err
    assert rp.main(["--course", str(tmp_path), "--db", f"sqlite:///{course / 'gradebook.db'}"]) == 0
    assert (tmp_path / "reports" / "competency" / "report.html").is_file()


# -- errors: a clear message naming the path, exit 2 ------------------------------------------


def test_missing_course_exits_2(tmp_path, capsys):
    assert rp.main(["--course", str(tmp_path / "nope")]) == 2
    assert f"course folder not found: {tmp_path / 'nope'}" in capsys.readouterr().err


def test_missing_gradebook_exits_2_without_creating_one(tmp_path, capsys):
    write_notebook(tmp_path / "solutions" / "a1" / "a1.ipynb", [grade_cell("q1", 2, ["dispute_staging"])])
    assert rp.main(["--course", str(tmp_path)]) == 2
    assert f"gradebook not found: {tmp_path / 'gradebook.db'}" in capsys.readouterr().err
    assert not (tmp_path / "gradebook.db").exists()


@pytest.mark.parametrize("kind", ["junk", "foreign sqlite"])
def test_a_file_that_is_not_a_gradebook_exits_2_untouched(tmp_path, capsys, kind):
    write_notebook(tmp_path / "solutions" / "a1" / "a1.ipynb", [grade_cell("q1", 2, ["dispute_staging"])])
    db = tmp_path / "gradebook.db"
    if kind == "junk":
        db.write_bytes(b"not a database at all" * 10)
    else:
        with sqlite3.connect(db) as con:
            con.execute("CREATE TABLE notes (x)")
        con.close()
    before = db.read_bytes()
    assert rp.main(["--course", str(tmp_path)]) == 2
    assert str(db) in capsys.readouterr().err
    assert db.read_bytes() == before


def test_unknown_assignment_and_broken_notebook_exit_2(tmp_path, capsys):
    write_notebook(tmp_path / "solutions" / "a1" / "a1.ipynb", [grade_cell("q1", 2, ["dispute_staging"])])
    assert rp.main(["--course", str(tmp_path), "--assignment", "zz"]) == 2
    assert "no assignment zz" in capsys.readouterr().err
    (tmp_path / "solutions" / "a1" / "a1.ipynb").write_text("{not json", encoding="utf-8")
    assert rp.main(["--course", str(tmp_path)]) == 2
    assert f"cannot read notebook {tmp_path / 'solutions' / 'a1' / 'a1.ipynb'}" in capsys.readouterr().err


def test_the_report_writes_only_its_folder(run, course):
    assert sorted(p.name for p in course.iterdir()) == ["gradebook.db", "out", "solutions"]
    assert sorted(p.name for p in run[0].iterdir()) == [
        ".gitignore",
        "cohort_competencies.csv",
        "heatmap.svg",
        "item_analysis.svg",
        "items.csv",
        "report.html",
        "review_queue.csv",
        "trainee_competencies.csv",
    ]
