"""The partial-credit guard and the link-safe collect, on their own."""

from __future__ import annotations

import logging
import os

import nbformat
import pytest
from ipt_widgets.nbgrader_guard import GuardPartialCredit, SafeCollect, check_score


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("2.0", True),
        ("0", True),
        ("1.5", True),
        ("2", True),
        ("nan", False),
        ("inf", False),
        ("-1.0", False),
        ("2.5", False),
        ("'2.0'", False),
        ("None", False),
        (None, False),
        ("1e400", False),
        ("", False),
        ("<IPython.core.display.HTML object>", False),
        ("0x2", False),
    ],
)
def test_check_score(text, ok):
    assert (check_score(text, 2.0) == "") is ok


def graded_notebook(result_outputs):
    cell = nbformat.v4.new_code_cell("grade()")
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "points": 2, "grade_id": "g1"}
    cell.outputs = result_outputs
    answer = nbformat.v4.new_code_cell("x = 1")
    answer.metadata["nbgrader"] = {"grade": False, "solution": True, "grade_id": "a1"}
    nb = nbformat.v4.new_notebook()
    nb.cells = [answer, cell]
    return nb


def result(text):
    return nbformat.v4.new_output("execute_result", data={"text/plain": text}, execution_count=1)


@pytest.mark.parametrize("outputs", [[], [result("nan")], [result("-3")], [result("7")], [result("'x'")]])
def test_forged_or_missing_scores_become_errors(outputs):
    from nbgrader.utils import determine_grade

    nb, _ = GuardPartialCredit().preprocess(graded_notebook(outputs), {})
    cell = nb.cells[1]
    assert cell.outputs[-1].output_type == "error" and "could not be scored" in cell.outputs[-1].evalue
    assert determine_grade(cell)[0] == 0


def test_a_proper_score_is_left_alone():
    from nbgrader.utils import determine_grade

    nb, _ = GuardPartialCredit().preprocess(graded_notebook([result("1.25")]), {})
    assert determine_grade(nb.cells[1])[0] == 1.25


def test_collect_copies_links_as_links_and_leaves_pipes_out(tmp_path):
    src, dest = tmp_path / "exchange" / "alice", tmp_path / "submitted" / "alice"
    src.mkdir(parents=True)
    (tmp_path / "secret.txt").write_text("instructor only")
    (src / "a.responses.json").symlink_to(tmp_path / "secret.txt")
    (src / "a.ipynb").write_text("{}")
    os.mkfifo(src / "pipe.ipynb")
    from nbgrader.coursedir import CourseDirectory

    collect = SafeCollect(coursedir=CourseDirectory())
    collect.do_copy(str(src), str(dest))
    assert (dest / "a.ipynb").read_text() == "{}"
    assert (dest / "a.responses.json").is_symlink()  # the rebuild step refuses it, with a note
    assert not (dest / "pipe.ipynb").exists()


def test_the_course_steps_are_switched_on():
    """nbconvert silently skips a preprocessor whose ``enabled`` is False (its default)."""
    from ipt_widgets.nbgrader_guard import RebuildFromRelease

    assert RebuildFromRelease().enabled and GuardPartialCredit().enabled


def _exchange_entry(tmp_path, name: str, stamp_text: str):
    entry = tmp_path / "inbound" / name
    entry.mkdir(parents=True)
    (entry / "a.ipynb").write_text("{}")
    (entry / "timestamp.txt").write_text(stamp_text)
    return entry


def test_collect_uses_the_time_received_when_the_name_is_backdated(tmp_path, caplog):
    """A trainee can name a folder, and write its timestamp.txt, with any time; the folder's
    change time is set by the kernel when it reaches the exchange."""
    import datetime as dt

    from nbgrader.coursedir import CourseDirectory
    from nbgrader.utils import parse_utc

    entry = _exchange_entry(tmp_path, "alice+m01+2020-01-01 09:00:00.000000 UTC+abc", "2020-01-01 09:00:00 UTC")
    collect = SafeCollect(coursedir=CourseDirectory())
    # nbgrader's own logger stops propagating once an application has run in this process.
    collect.log = logging.getLogger("ipt-test-collect")
    record = collect._path_to_record(str(entry))
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    assert abs((record["timestamp"] - now).total_seconds()) < 120
    assert "the time it was received is used" in caplog.text
    dest = tmp_path / "submitted" / "alice" / "m01"
    collect.do_copy(str(entry), str(dest))
    assert abs((parse_utc((dest / "timestamp.txt").read_text()) - now).total_seconds()) < 120


def test_collect_keeps_an_honest_name_and_replaces_a_forged_timestamp_file(tmp_path):
    import datetime as dt

    from nbgrader.coursedir import CourseDirectory
    from nbgrader.utils import parse_utc

    honest = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) - dt.timedelta(seconds=30)
    name = f"bob+m01+{honest.strftime('%Y-%m-%d %H:%M:%S.%f')} UTC+abc"
    entry = _exchange_entry(tmp_path, name, "1999-01-01 00:00:00 UTC")  # the file alone is forged
    collect = SafeCollect(coursedir=CourseDirectory())
    assert collect._path_to_record(str(entry))["timestamp"] == honest
    dest = tmp_path / "submitted" / "bob" / "m01"
    collect.do_copy(str(entry), str(dest))
    assert parse_utc((dest / "timestamp.txt").read_text()) == honest
