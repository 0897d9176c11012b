"""The IPython shell that runs graded cells in the grading process (see :mod:`.inprocess`).

One shell per process, made on first use and reused: IPython's ``display()`` reaches the shell
through its singleton. Its display hook, display publisher and traceback reporter record outputs
as ipykernel sends them (same message contents, through ``json_clean`` and image encoding), and
:func:`run_notebook` turns them into nbformat outputs as nbclient does. It never reads a profile,
a startup file or a history database: its profile folder is a temporary one and history is off.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
import zlib
from datetime import datetime, timezone
from pathlib import Path

from ipykernel.jsonutil import encode_images, json_clean
from IPython.core.compilerop import CachingCompiler
from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell

from .inprocess import CellTimeout, Recorder, StreamWriter, isolated, preload, time_limit


class RecordingDisplayHook(DisplayHook):
    """The result of a cell's last expression, as ipykernel's ``execute_result``."""

    def start_displayhook(self):
        self._content = {"data": {}, "metadata": {}}

    def write_output_prompt(self):
        self._content["execution_count"] = self.prompt_count

    def write_format_data(self, format_dict, md_dict=None):
        self._content["data"] = json_clean(encode_images(format_dict))
        self._content["metadata"] = md_dict

    def finish_displayhook(self):
        content, self._content = getattr(self, "_content", None), None
        if content and content["data"]:
            self.shell.recorder.add("execute_result", content)

    def flush(self):
        # IPython's own also runs gc.collect(): 50 ms per notebook, for nothing a grade needs.
        out = self.shell.user_ns.get("_oh")
        if out is not None:
            out.clear()
        self._, self.__, self.___ = "", "", ""


class RecordingDisplayPublisher(DisplayPublisher):
    """``display()`` output, as ipykernel's ``display_data`` / ``update_display_data``."""

    def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs):
        self._validate_data(data, metadata)
        content = {"data": encode_images(data), "metadata": metadata or {}, "transient": transient or {}}
        content = json_clean(content)
        recorder = self.shell.recorder
        if update:
            display_id = content["transient"].get("display_id")
            if display_id:
                recorder.update(display_id, content["data"], content["metadata"])
            return
        recorder.add("display_data", content)

    def clear_output(self, wait=False):
        self.shell.recorder.clear(wait)


class KernelNamedCompiler(CachingCompiler):
    """Cell code gets a file name of the form ipykernel gives it (a warning quotes it).

    ipykernel's own hashes each cell in pure Python (murmur2), 10-15 ms for a long hidden test.
    """

    def get_code_name(self, raw_code, transformed_code, number):
        digest = zlib.crc32(transformed_code.encode("utf-8", "surrogatepass"))
        return os.path.join(tempfile.gettempdir(), f"ipykernel_{os.getpid()}", f"{digest}.py")


class CourseShell(InteractiveShell):
    """An InteractiveShell whose output goes to the current :class:`Recorder`."""

    displayhook_class = RecordingDisplayHook
    display_pub_class = RecordingDisplayPublisher
    compiler_class = KernelNamedCompiler

    recorder: Recorder = Recorder()

    def _showtraceback(self, etype, evalue, stb):
        content = {"traceback": stb, "ename": str(etype.__name__), "evalue": str(evalue)}
        self.recorder.add("error", json_clean(content))

    def init_virtualenv(self):
        return None  # the grading process's own environment is the one to use: no warning about it

    def fresh_namespace(self) -> None:
        """A new user module and namespace, execution count 1, no history of earlier notebooks."""
        self.reset(new_session=True)  # empties the old namespace, so nothing left refers to it
        self.init_create_namespaces()
        self.init_user_ns()
        self.execution_count = 1


_SHELL: CourseShell | None = None


def shell() -> CourseShell:
    """The process's one grading shell (made, with the course's grading code imported, on first use)."""
    global _SHELL
    if _SHELL is None:
        from IPython.core.profiledir import ProfileDir
        from traitlets.config import Config

        if InteractiveShell.initialized() and not isinstance(InteractiveShell.instance(), CourseShell):
            raise RuntimeError("another IPython shell runs in this process: grade in a kernel instead")
        main = sys.modules.get("__main__")
        location = tempfile.mkdtemp(prefix="ipt-grading-profile-")
        atexit.register(shutil.rmtree, location, True)
        profile = ProfileDir(location=location)
        config = Config({"HistoryManager": {"enabled": False}, "InteractiveShell": {"colors": "neutral"}})
        _SHELL = CourseShell.instance(config=config, profile_dir=profile)
        if main is not None:
            sys.modules["__main__"] = main  # the shell made its user module __main__; not the grader's
        preload()
    return _SHELL


def run_cell(sh: CourseShell, source: str, timeout: float | None) -> tuple[list, bool]:
    """Run one cell; its outputs and whether it raised."""
    recorder = Recorder()
    sh.recorder = recorder
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = StreamWriter(recorder, "stdout"), StreamWriter(recorder, "stderr")
    try:
        with time_limit(timeout):
            result = sh.run_cell(source, store_history=True)
    except CellTimeout as exc:  # raised between two statements IPython does not catch
        recorder.add("error", {"ename": "CellTimeoutError", "evalue": str(exc), "traceback": [str(exc)]})
        return recorder.outputs, True
    finally:
        sys.stdout, sys.stderr = stdout, stderr
    return recorder.outputs, not result.success


def _now() -> str:
    # nbclient's timestamp(): the message's date in ISO format, UTC written as Z.
    return datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")


def run_notebook(nb, cwd: Path, timeout: float | None = None, record_timing: bool = True):
    """Run every code cell of ``nb`` (an nbformat notebook) in ``cwd``, in place; return ``nb``.

    Each code cell gets its outputs, execution count and (``record_timing``) the execution times
    nbclient records; a cell that raises does not stop the others (nbgrader grades with
    ``allow_errors``).
    """
    sh = shell()
    with isolated(Path(cwd)):
        sh.fresh_namespace()
        for cell in nb.cells:
            if cell.cell_type != "code" or not cell.source.strip():
                continue
            count, started = sh.execution_count, _now()
            cell.outputs, _ = run_cell(sh, cell.source, timeout)
            cell.execution_count = count
            if record_timing:
                done = _now()
                cell.metadata["execution"] = {
                    "iopub.status.busy": started,
                    "iopub.execute_input": started,
                    "shell.execute_reply": done,
                    "iopub.status.idle": done,
                }
        sh.fresh_namespace()  # let go of this notebook's objects now, not at the next one
    return nb
