"""The rebuild step on its own: what enters a graded folder, and what never does."""

from __future__ import annotations

import json
import os
import shutil
import threading

import pytest
from ipt_widgets import notebook_rebuild as nbr
from ipt_widgets.submissions import read_regular, rebuild_submission, safe_name, tidy_assignment

from tests.conftest import REPO

ASSIGNMENT = "m10_capstone"


def test_read_regular_never_blocks_or_follows(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    done = []
    reader = threading.Thread(target=lambda: done.append(read_regular(tmp_path / "pipe", 100)))
    reader.start()
    reader.join(5)
    assert done == ["it is not a regular file"]
    (tmp_path / "real").write_bytes(b"x" * 10)
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert read_regular(tmp_path / "link", 100) == "it is a link"
    assert read_regular(tmp_path / "real", 5).startswith("it is 10 bytes, far larger")
    assert read_regular(tmp_path / "real", 100) == b"x" * 10


@pytest.mark.parametrize(
    "name", ["<img src=x onerror=alert(1)>.ipynb", "[x](javascript:alert(1)).ipynb", "`code` **b** <script>.ipynb"]
)
def test_file_names_in_notes_are_inert(name):
    shown = safe_name(name)
    assert not set(shown) & set("<>[]`*:")


def course(tmp_path):
    root = tmp_path / "course"
    shutil.copytree(REPO / "exercises" / ASSIGNMENT, root / "exercises" / ASSIGNMENT)
    folder = root / "submitted" / "alice" / ASSIGNMENT
    shutil.copytree(REPO / "exercises" / ASSIGNMENT, folder)
    return root, folder


def written_cells(nb):
    return [c for c in nb["cells"] if nbr.is_written_answer(c)]


def test_written_answers_come_through_sanitised_and_code_does_not(tmp_path):
    root, folder = course(tmp_path)
    path = folder / f"{ASSIGNMENT}.ipynb"
    nb = json.loads(path.read_text())
    for cell in written_cells(nb):
        cell["source"] = "My formulation **here** <script>alert(1)</script>"
    for cell in nb["cells"]:
        if cell["cell_type"] == "code" and cell["metadata"].get("nbgrader", {}).get("solution"):
            cell["source"] = "import os; os.system('rm -rf /')"
    nb["cells"].append(
        {"cell_type": "code", "metadata": {}, "source": "print('extra')", "outputs": [], "execution_count": None}
    )
    path.write_text(json.dumps(nb))
    (folder / "evil.so").write_bytes(b"\x7fELF")
    notes = tidy_assignment(root, ASSIGNMENT)["alice"]
    assert any("was not run for grading" in n for n in notes)
    rebuilt = json.loads(path.read_text())
    release = json.loads((root / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text())
    codes = [c["source"] for c in rebuilt["cells"] if c["cell_type"] == "code"]
    assert codes == [c["source"] for c in release["cells"] if c["cell_type"] == "code"]
    assert all(
        "My formulation **here**" in "".join(c["source"]) and "<script>" not in "".join(c["source"])
        for c in written_cells(rebuilt)
    )
    assert sorted(p.name for p in folder.iterdir()) == [f"{ASSIGNMENT}.ipynb"]
    assert (root / "received" / "alice" / ASSIGNMENT / "evil.so").exists()  # the original, kept


def test_running_it_again_rebuilds_from_what_was_received(tmp_path):
    root, folder = course(tmp_path)
    (folder / f"{ASSIGNMENT}.responses.json").write_text(
        json.dumps(
            {"format": "ipt-course-responses", "version": 1, "notebook": ASSIGNMENT, "items": {"x": {"value": 1}}}
        )
    )
    tidy_assignment(root, ASSIGNMENT)
    first = {p.name: p.read_bytes() for p in folder.iterdir()}
    tidy_assignment(root, ASSIGNMENT)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == first
    assert (root / "received" / "alice" / ASSIGNMENT / f"{ASSIGNMENT}.responses.json").exists()


def test_a_submission_that_breaks_the_rebuild_is_graded_as_the_release(tmp_path, monkeypatch):
    root, folder = course(tmp_path)

    def boom(*args):
        raise RuntimeError("unexpected")

    monkeypatch.setattr("ipt_widgets.submissions.rebuild_submission", boom)
    notes = tidy_assignment(root, ASSIGNMENT)["alice"]
    assert "could not rebuild" in notes[0]
    assert sorted(p.name for p in folder.iterdir()) == [f"{ASSIGNMENT}.ipynb"]


def test_parse_notebook_never_raises():
    for raw in [b"", b"\xff", b"[" * 100_000, b'{"cells": 3}', b"null", b'{"cells": [' + b"{" * 70 + b"}" * 70 + b"]}"]:
        nb, problem = nbr.parse_notebook(raw)
        assert nb is None and problem


def test_rebuild_into_an_empty_folder(tmp_path):
    release = REPO / "exercises" / ASSIGNMENT
    out = tmp_path / "out"
    out.mkdir()
    sub = tmp_path / "sub"
    sub.mkdir()
    notes = rebuild_submission(sub, release, out)
    assert notes == [f"No notebook named '{ASSIGNMENT}.ipynb' was submitted, so the released one was graded."]
