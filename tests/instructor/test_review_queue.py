"""The review queue read from autograded notebooks, and its section of the competency report."""

from __future__ import annotations

import csv
import json

from ipt_widgets.instructor.review_queue import add_to_report, as_text, main, read_queue, report_section


def graded_notebook(course, trainee, assignment, reviews):
    cells = [
        {
            "cell_type": "code",
            "metadata": {"nbgrader": {"grade_id": grade_id, "grade": True}},
            "outputs": [
                {"output_type": "display_data", "data": {"text/html": "<div>card</div>"}, "metadata": meta},
                {"output_type": "execute_result", "data": {"text/plain": "1.5"}, "metadata": {}},
            ],
            "source": "",
        }
        for grade_id, meta in reviews.items()
    ]
    folder = course / "autograded" / trainee / assignment
    folder.mkdir(parents=True)
    (folder / f"{assignment}.ipynb").write_text(json.dumps({"cells": cells}), encoding="utf-8")


def review(item, *reasons, points=1.5):
    return {"ipt": {"review": {"item": item, "reasons": list(reasons), "points": points, "max_points": 4}}}


def test_only_flagged_drafts_are_listed_with_reasons_score_and_where_to_override(tmp_path):
    graded_notebook(tmp_path, "ana", "m01", {"g11": review("ft_a", "not in English"), "g12": {}})
    graded_notebook(tmp_path, "ben", "m01", {"g11": {}, "g12": review("ft_b", "unsafe practice: x", points=1.6)})
    graded_notebook(tmp_path, "ana", "m04", {"g1": review("ft_c", "hedges")})
    entries = read_queue(tmp_path, ["m01"])
    assert [(e.trainee, e.grade_id, e.reasons, e.points) for e in entries] == [
        ("ana", "g11", ("not in English",), 1.5),
        ("ben", "g12", ("unsafe practice: x",), 1.6),
    ]
    assert entries[0].formgrader_path == "/formgrader/gradebook/m01/m01"
    text = as_text(entries)
    assert "2 free-text score(s) need review" in text and "not in English" in text and "manual score" in text
    assert len(read_queue(tmp_path)) == 3


def test_a_damaged_notebook_is_skipped(tmp_path):
    folder = tmp_path / "autograded" / "ana" / "m01"
    folder.mkdir(parents=True)
    (folder / "m01.ipynb").write_text("{not json", encoding="utf-8")
    assert read_queue(tmp_path) == []
    assert as_text([]) == "No free-text score needs review."


def test_the_competency_report_gains_the_queue(tmp_path):
    graded_notebook(tmp_path, "ana", "m01", {"g11": review("ft_a", "suspected <copying>")})
    out = tmp_path / "reports"
    out.mkdir()
    (out / "report.html").write_text("<html><body><h1>Report</h1></body></html>", encoding="utf-8")
    paths = add_to_report(tmp_path, out, ["m01"])
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Free-text review queue" in html and "suspected &lt;copying&gt;" in html
    assert html.index("review queue") < html.index("</body>")
    rows = list(csv.DictReader(open(paths[0], encoding="utf-8")))
    assert rows[0]["trainee"] == "ana" and rows[0]["reasons"] == "suspected <copying>"
    assert "No free-text score" in report_section([])


def test_the_command_prints_the_list(tmp_path, capsys):
    graded_notebook(tmp_path, "ana", "m01", {"g11": review("ft_a", "not in English")})
    assert main(["--course", str(tmp_path), "--assignment", "m01", "--csv", str(tmp_path / "q.csv")]) == 0
    out = capsys.readouterr().out
    assert "ana" in out and "g11" in out and (tmp_path / "q.csv").is_file()
