"""nbgrader's Execute step with two paths: in the grading process, or in a sandboxed kernel.

``IPT_GRADING_PATH=inprocess`` (the default) runs a graded notebook's cells in the grading process
(:mod:`.inprocess_shell`): no kernel start per notebook, the course's grading code and the sentence
encoder loaded once per process. ``IPT_GRADING_PATH=kernel`` runs each notebook in its own kernel,
sandboxed as before (:mod:`.sandbox`). The variable wins over ``c.GradingExecute.grading_path``;
with neither set, ``IPT_SANDBOX=require`` (the sandbox or nothing) means the kernel path.

The in-process path is taken only for code the course wrote: when autograding
(``NBGRADER_EXECUTION=autograde``; never for Validate, which runs a trainee's own notebook) and
when the code cells to run are exactly those :class:`.nbgrader_guard.RebuildFromRelease` made in
this process from the release and the gradebook (:func:`remember_rebuilt`). Anything else, such as a
submission graded as it is because its release is missing, goes to a sandboxed kernel, and the
log says why.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from nbgrader.preprocessors import Execute
from traitlets import Enum

ENV_SETTING = "IPT_GRADING_PATH"
PATHS = ("inprocess", "kernel")
_REBUILT: set[str] = set()
# The path each notebook graded in this process actually took ("inprocess", or "kernel: why"),
# in order; a grading task empties it before nbgrader's autograde and reads it after.
TAKEN: list[str] = []


def setting(configured: str = "") -> str:
    """``inprocess`` or ``kernel``: ``$IPT_GRADING_PATH``, else the configured value, else in-process,
    unless ``IPT_SANDBOX=require`` asks for the sandbox, which only the kernel path has."""
    value = os.environ.get(ENV_SETTING, "").strip().lower()
    if value in PATHS:
        return value
    if configured in PATHS:
        return configured
    from .sandbox import setting as sandbox_setting

    return "kernel" if sandbox_setting() == "require" else "inprocess"


def status(configured: str = "") -> str:
    """One line for the instructor: which path grading takes."""
    if setting(configured) == "inprocess":
        return (
            f"Graded notebooks run in the grading process, no kernel per notebook ({ENV_SETTING}=inprocess): "
            "only the course's own cells, rebuilt from the release, are run."
        )
    from .sandbox import status as sandbox_status

    return f"Graded notebooks run each in its own kernel ({ENV_SETTING}=kernel). {sandbox_status()}"


def taken_summary(taken: list[str]) -> str:
    """One phrase for the paths some notebooks took: "inprocess", "kernel: why", or both counted."""
    kinds = list(dict.fromkeys(taken))
    if len(kinds) <= 1:
        return kinds[0] if kinds else ""
    return "mixed: " + ", ".join(f"{taken.count(kind)} x {kind}" for kind in kinds)


def code_digest(nb) -> str:
    """A digest of a notebook's code cells (their order and sources)."""
    digest = hashlib.sha256()
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else str(source)
            digest.update(source.encode("utf-8", "surrogatepass") + b"\x00")
    return digest.hexdigest()


def remember_rebuilt(nb) -> None:
    """Record that this process rebuilt a notebook with these code cells from the release."""
    _REBUILT.add(code_digest(nb))


def why_kernel(nb, path: str) -> str:
    """Why this notebook must run in a kernel ("" when it may run in-process)."""
    if path != "inprocess":
        return f"{ENV_SETTING}={path}"
    if os.environ.get("NBGRADER_EXECUTION") != "autograde":
        return "not autograding"
    if code_digest(nb) not in _REBUILT:
        return "its code cells are not the ones rebuilt from the release"
    from IPython.core.interactiveshell import InteractiveShell

    from .inprocess_shell import CourseShell

    if InteractiveShell.initialized() and not isinstance(InteractiveShell.instance(), CourseShell):
        return "another IPython shell runs in this process"
    return ""


class GradingExecute(Execute):
    """nbgrader's :class:`~nbgrader.preprocessors.Execute`, in-process where that is safe."""

    grading_path = Enum(
        ["", *PATHS],
        default_value="",
        help=f"'inprocess' or 'kernel'; ${ENV_SETTING} wins over this; empty means in-process.",
    ).tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        name = (resources or {}).get("nbgrader", {}).get("notebook", "") or "notebook"
        reason = why_kernel(nb, setting(self.grading_path))
        TAKEN.append(f"kernel: {reason}" if reason else "inprocess")
        if reason:
            self.log.info("Grading path for %s: a kernel (%s).", name, reason)
            return super().preprocess(nb, resources, km)
        self.log.info("Grading path for %s: in-process (no kernel).", name)
        return self._run_here(nb, resources or {})

    def _run_here(self, nb, resources):
        from .course_kernel import LANGUAGE_INFO
        from .inprocess_shell import run_notebook

        path = resources.get("metadata", {}).get("path") or os.getcwd()
        self.nb, self.resources = nb, resources
        run_notebook(nb, Path(path), timeout=self.timeout, record_timing=self.record_timing)
        # What the kernel's kernel_info reply gives (the course kernel's language_info).
        nb.metadata["language_info"] = dict(LANGUAGE_INFO)
        return nb, resources
