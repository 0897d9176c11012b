"""Graded cells run in the grading process: outputs as a kernel gives them, a clean slate per notebook,
nothing beside a notebook importable, and in-process only for code rebuilt from the release."""

from __future__ import annotations

import builtins
import os
import sys
from pathlib import Path

import nbformat
import pytest
from ipt_widgets import nbgrader_execute as ne
from ipt_widgets.inprocess_shell import run_notebook


def notebook(*sources: str):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    return nb


def run(tmp_path: Path, *sources: str, **kw):
    return run_notebook(notebook(*sources), tmp_path, **kw).cells


def test_outputs_are_recorded_as_a_kernel_sends_them(tmp_path):
    cells = run(
        tmp_path,
        "print('a')\nprint('b')\nimport sys\nprint('c', file=sys.stderr)\nx = 1",
        "from IPython.display import HTML, display\nprint('before')\ndisplay(HTML('<b>card</b>'))\nx + 1.5",
        "def f():\n    return 1 / 0\nf()",
    )
    assert cells[0].outputs == [
        {"output_type": "stream", "name": "stdout", "text": "a\nb\n"},
        {"output_type": "stream", "name": "stderr", "text": "c\n"},
    ]
    kinds = [o.output_type for o in cells[1].outputs]
    assert kinds == ["stream", "display_data", "execute_result"]
    assert cells[1].outputs[1].data == {"text/plain": "<IPython.core.display.HTML object>", "text/html": "<b>card</b>"}
    assert cells[1].outputs[2].data == {"text/plain": "2.5"} and cells[1].outputs[2].execution_count == 2
    error = cells[2].outputs[0]
    assert (error.output_type, error.ename, error.evalue) == ("error", "ZeroDivisionError", "division by zero")
    assert any("Cell \x1b[39m\x1b[32mIn[3]" in line or "In[3]" in line for line in error.traceback)
    assert [c.execution_count for c in cells] == [1, 2, 3]
    assert set(cells[0].metadata["execution"]) == {
        "iopub.status.busy",
        "iopub.execute_input",
        "shell.execute_reply",
        "iopub.status.idle",
    }


def test_clear_output_and_display_updates(tmp_path):
    cells = run(
        tmp_path,
        "from IPython.display import display, clear_output\nprint('gone')\nclear_output()\nprint('kept')",
        "h = display('one', display_id='d')\nh.update('two')",
    )
    assert cells[0].outputs == [{"output_type": "stream", "name": "stdout", "text": "kept\n"}]
    assert cells[1].outputs[0].data["text/plain"] == "'two'"


def test_each_notebook_starts_clean(tmp_path):
    first = run(tmp_path, "secret = 'trainee A'\nimport os\nos.environ['IPT_LEFT'] = '1'\nsecret")
    assert first[0].outputs[0].data["text/plain"] == "'trainee A'"
    second = run(tmp_path, "'secret' in globals(), Out, In[:-1], __name__")
    assert second[0].outputs[0].data["text/plain"] == "(False, {}, [''], '__main__')"
    assert second[0].execution_count == 1
    assert "IPT_LEFT" not in os.environ


def test_what_a_notebook_changes_in_the_process_is_put_back(tmp_path):
    import ipt_widgets.grading as grading

    before = (grading.grade_draft, builtins.min, list(sys.path), os.getcwd(), sys.modules.get("__main__"))
    run(
        tmp_path,
        "import builtins, sys, ipt_widgets.grading as g\n"
        "g.grade_draft = lambda *a, **k: 4.0\ng.planted = 1\nbuiltins.min = lambda *a: 2.0\n"
        "builtins.planted = 1\nsys.path.insert(0, '/nowhere')",
    )
    assert (grading.grade_draft, builtins.min, list(sys.path), os.getcwd(), sys.modules.get("__main__")) == before
    assert not hasattr(grading, "planted") and not hasattr(builtins, "planted")


def test_nothing_beside_the_notebook_can_be_imported(tmp_path):
    (tmp_path / "planted_module.py").write_text("VALUE = 'shadowed'")
    (tmp_path / "ipt_widgets.py").write_text("raise SystemExit('shadowed the package')")
    (tmp_path / "ipt_widgets.abi3.so").write_bytes(b"\x7fELF not really")
    cells = run(
        tmp_path,
        f"import os, sys\n[os.getcwd() == {str(tmp_path.resolve())!r}, '' in sys.path, os.getcwd() in sys.path]",
        "import planted_module",
        "import ipt_widgets, ipt_widgets.grading\nipt_widgets.__file__.endswith('__init__.py')",
    )
    assert cells[0].outputs[0].data["text/plain"] == "[True, False, False]"
    assert cells[1].outputs[0].ename == "ModuleNotFoundError"
    assert cells[2].outputs[0].data["text/plain"] == "True"
    assert "planted_module" not in sys.modules


def test_a_cell_that_runs_too_long_is_stopped(tmp_path):
    cells = run(tmp_path, "while True:\n    pass", "'next cell runs'", timeout=0.5)
    assert cells[0].outputs[-1].ename == "CellTimeout"
    assert cells[1].outputs[0].data["text/plain"] == "'next cell runs'"


def test_a_cell_is_stopped_in_a_worker_thread_too(tmp_path):
    # A Dask worker runs its tasks in a thread of its own, where SIGALRM cannot be used.
    import threading

    out = {}
    cells = ("while True:\n    pass", "1")
    worker = threading.Thread(target=lambda: out.setdefault("cells", run(tmp_path, *cells, timeout=0.5)))
    worker.start()
    worker.join(30)
    cells = out["cells"]
    assert cells[0].outputs[-1].ename == "CellTimeout"
    assert "more than 0.5 s" in cells[0].outputs[-1].evalue
    assert cells[1].outputs[0].data["text/plain"] == "1"


def test_time_limits_in_a_worker_thread_share_one_watchdog_thread_and_never_fire_late():
    # A thread per cell cost 4% of grading; a released limit must never raise afterwards.
    import threading
    import time

    from ipt_widgets.inprocess import CellTimeout, time_limit

    out = {}

    def work():
        for _ in range(200):
            with time_limit(0.3):
                pass
        out["threads"] = threading.active_count()
        time.sleep(0.5)  # past every released deadline: nothing may be raised here
        try:
            with time_limit(0.2):
                while True:
                    pass
        except CellTimeout as exc:
            out["stopped"] = str(exc)
        with time_limit(5):
            out["after"] = sum(range(1000))

    worker = threading.Thread(target=work)
    before = threading.active_count()
    worker.start()
    worker.join(30)
    assert out["threads"] <= before + 2  # the worker and one watchdog, not one thread per limit
    assert "more than 0.2 s" in out["stopped"] and out["after"] == 499500


def test_the_path_taken_is_summed_up():
    assert ne.taken_summary([]) == ""
    assert ne.taken_summary(["inprocess", "inprocess"]) == "inprocess"
    assert ne.taken_summary(["kernel: IPT_GRADING_PATH=kernel"]) == "kernel: IPT_GRADING_PATH=kernel"
    assert ne.taken_summary(["inprocess", "kernel: x", "inprocess"]) == "mixed: 2 x inprocess, 1 x kernel: x"


def test_the_setting_chooses_the_path(monkeypatch):
    monkeypatch.delenv(ne.ENV_SETTING, raising=False)
    assert ne.setting() == "inprocess" and ne.setting("kernel") == "kernel"
    monkeypatch.setenv(ne.ENV_SETTING, "kernel")
    assert ne.setting("inprocess") == "kernel" and "IPT_GRADING_PATH=kernel" in ne.status()
    monkeypatch.setenv(ne.ENV_SETTING, "nonsense")
    assert ne.setting() == "inprocess" and "no kernel per notebook" in ne.status()
    monkeypatch.setenv("IPT_SANDBOX", "require")  # only the kernel path has the sandbox
    assert ne.setting() == "kernel" and ne.setting("inprocess") == "inprocess"


def test_only_code_rebuilt_from_the_release_runs_in_process(monkeypatch):
    rebuilt = notebook("from ipt_widgets.grading import grade_draft")
    forged = notebook("import os; os.system('rm -rf ~')")
    ne.remember_rebuilt(rebuilt)
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert ne.why_kernel(rebuilt, "inprocess") == ""
    assert "not the ones rebuilt" in ne.why_kernel(forged, "inprocess")
    assert ne.why_kernel(rebuilt, "kernel") == "IPT_GRADING_PATH=kernel"
    monkeypatch.setenv("NBGRADER_EXECUTION", "validate")
    assert ne.why_kernel(rebuilt, "inprocess") == "not autograding"


@pytest.mark.parametrize("path", ["kernel", "inprocess"])
def test_validate_and_unrebuilt_notebooks_go_to_a_kernel(monkeypatch, path):
    """GradingExecute hands anything it may not run here to nbgrader's own Execute (a kernel)."""
    calls = []
    monkeypatch.setattr(ne.Execute, "preprocess", lambda self, nb, resources=None, km=None: calls.append(nb))
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    monkeypatch.setenv(ne.ENV_SETTING, path)
    nb = notebook("1 + 1")
    ne.GradingExecute().preprocess(nb, {"metadata": {"path": "."}})
    assert calls == [nb]


def test_the_metadata_check_is_nbgraders_own_with_the_schema_checked_once():
    from ipt_widgets.nbgrader_metadata import CourseMetadataValidator
    from nbgrader.nbgraderformat import MetadataValidator, SchemaTooOldError, ValidationError

    from tests.conftest import REPO

    nb = nbformat.read(REPO / "exercises" / "m01_problem_areas" / "m01_problem_areas.ipynb", as_version=4)
    CourseMetadataValidator().validate_nb(nb)  # a clean release passes
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade"))
    for change, error in [({"points": "x"}, ValidationError), ({"schema_version": 1}, SchemaTooOldError)]:
        cell.metadata.nbgrader.update(change)
        messages = []
        for validator in (MetadataValidator, CourseMetadataValidator):
            with pytest.raises(error) as raised:
                validator().validate_nb(nb)
            messages.append(str(raised.value))
        assert messages[0] == messages[1]
