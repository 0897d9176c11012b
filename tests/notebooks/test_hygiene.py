"""Every committed notebook is stored clean: no outputs, no widget state, uniform metadata.

What is checked is the notebook as git holds it (the index), not the working copy: a trainee who
runs and saves a notebook while doing the Quickstart must not make `make test` fail.
"""

import json
import subprocess

import pytest
from ipt_widgets.course_kernel import LANGUAGE_INFO

from tests.conftest import REPO


def committed_notebooks():
    listed = subprocess.run(["git", "ls-files", "*.ipynb"], cwd=REPO, capture_output=True, text=True).stdout.split()
    # Before the first commit git lists nothing: fall back to the files on disk.
    paths = [REPO / p for p in listed] or sorted(
        p for top in ("course", "solutions", "exercises") for p in (REPO / top).rglob("*.ipynb")
    )
    return [p for p in paths if ".ipynb_checkpoints" not in p.parts]


NOTEBOOKS = committed_notebooks()


def committed_text(path, repo=REPO) -> str:
    """The notebook as staged in git's index (``git show :path``); the file itself outside git."""
    shown = subprocess.run(
        ["git", "show", f":{path.relative_to(repo).as_posix()}"], cwd=repo, capture_output=True, text=True
    )
    return shown.stdout if shown.returncode == 0 else path.read_text(encoding="utf-8")


def test_there_are_notebooks_in_each_folder():
    tops = {p.relative_to(REPO).parts[0] for p in NOTEBOOKS}
    assert {"course", "solutions", "exercises"} <= tops


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(REPO)))
def test_notebook_is_stored_clean(path):
    nb = json.loads(committed_text(path))
    assert nb["nbformat"] == 4 and nb["nbformat_minor"] >= 5
    assert nb["metadata"].get("kernelspec", {}).get("name") == "python3"
    # What the course's kernel reports, so JupyterLab does not mark the notebook modified on open.
    assert nb["metadata"].get("language_info") == LANGUAGE_INFO
    assert "widgets" not in nb["metadata"], "saved widget state"
    for cell in nb["cells"]:
        assert "id" in cell
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], f"cell {cell['id']} has outputs"
            assert cell["execution_count"] is None, f"cell {cell['id']} has an execution count"
        assert "execution" not in cell.get("metadata", {})


def test_a_trainees_saved_outputs_are_not_what_is_checked(tmp_path):
    """A notebook run and saved in the working copy is still judged by what git holds."""
    clean = (REPO / "course" / "00_orientation.ipynb").read_text(encoding="utf-8")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=tmp_path, check=True)
    notebook = tmp_path / "course" / "00_orientation.ipynb"
    notebook.parent.mkdir()
    notebook.write_text(clean, encoding="utf-8")
    subprocess.run([*git, "add", "course"], cwd=tmp_path, check=True)
    run = json.loads(clean)
    code = next(c for c in run["cells"] if c["cell_type"] == "code")
    code["outputs"], code["execution_count"] = [{"output_type": "stream", "name": "stdout", "text": "Ready"}], 1
    notebook.write_text(json.dumps(run), encoding="utf-8")
    assert committed_text(notebook, tmp_path) == clean


def test_no_saved_answers_are_committed_or_left_in_solutions():
    stray = [p for top in ("course", "solutions", "exercises") for p in (REPO / top).rglob("*.responses.json*")]
    tracked = [
        p
        for p in stray
        if subprocess.run(["git", "ls-files", "--error-unmatch", str(p)], cwd=REPO, capture_output=True).returncode == 0
    ]
    assert tracked == []
    assert not [p for p in stray if p.is_relative_to(REPO / "solutions")], (
        "a responses file in solutions/ would be released"
    )
