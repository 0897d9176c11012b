"""Start JupyterLab on the course, as a trainee or as an instructor.

    python -m ipt_widgets.lab [--instructor] [any `jupyter lab` option ...]

``make lab`` and ``make instructor`` call this, and so can anyone without make. It

* keeps Jupyter's settings and runtime files (the cookie secret among them) inside the
  environment, never in the user's home;
* shows trainees the course without nbgrader's instructor tools (formgrader, course list,
  Create Assignment); ``--instructor`` shows them;
* adds ``--allow-root`` when run as root (containers, WSL, cloud machines), where Jupyter
  would otherwise refuse to start.

Jupyter prints the link to open, with its token, once the server is up.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

# nbgrader's instructor tools: hidden from trainees, in the browser and on the server.
INSTRUCTOR_LAB_PLUGINS = (
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:course-list",
    "@jupyter/nbgrader:create-assignment",
)
INSTRUCTOR_SERVER_EXTENSIONS = (
    "nbgrader.server_extensions.formgrader",
    "nbgrader.server_extensions.course_list",
)
START_PAGE = "/lab/tree/course/00_orientation.ipynb"


def jupyter_dirs(prefix: Path, instructor: bool) -> dict[str, str]:
    """Environment variables that keep Jupyter's files under ``prefix`` (the virtual environment)."""
    return {
        "JUPYTER_CONFIG_DIR": str(prefix / "etc" / ("jupyter-user" if instructor else "jupyter-trainee")),
        "JUPYTER_DATA_DIR": str(prefix / "share" / "jupyter-user"),
        "JUPYTER_RUNTIME_DIR": str(prefix / "share" / "jupyter-user" / "runtime"),
    }


def write_trainee_config(config_dir: Path) -> None:
    """Settings of the trainee's server: nbgrader's instructor plugins and handlers are off."""
    labconfig = config_dir / "labconfig"
    labconfig.mkdir(parents=True, exist_ok=True)
    page = {"disabledExtensions": {plugin: True for plugin in INSTRUCTOR_LAB_PLUGINS}}
    (labconfig / "page_config.json").write_text(json.dumps(page, indent=2) + "\n", encoding="utf-8")
    server = {"ServerApp": {"jpserver_extensions": {name: False for name in INSTRUCTOR_SERVER_EXTENSIONS}}}
    (config_dir / "jupyter_server_config.json").write_text(json.dumps(server, indent=2) + "\n", encoding="utf-8")


def lab_command(root: Path, extra: list[str], as_root: bool) -> list[str]:
    """The ``jupyter lab`` command line for the course in ``root``."""
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.default_url={START_PAGE}",
    ]
    if as_root and "--allow-root" not in extra:
        command.append("--allow-root")
    return command + extra


def running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    instructor = "--instructor" in args
    extra = [a for a in args if a != "--instructor"]
    root = Path.cwd()
    if not (root / "nbgrader_config.py").exists():
        sys.exit(f"Run this from the course folder (the one holding nbgrader_config.py), not {root}.")
    env = dict(os.environ, **jupyter_dirs(Path(sys.prefix), instructor))
    if not instructor:
        write_trainee_config(Path(env["JUPYTER_CONFIG_DIR"]))
    # nbgrader's exchange (release, fetch, submit) lives in the course; its pages need it to exist.
    (root / ".exchange").mkdir(exist_ok=True)
    print(
        ("Instructor view (formgrader and assignment tools)" if instructor else "Trainee view")
        + ": JupyterLab prints the link to open below, with its token. Ctrl+C stops it.",
        flush=True,
    )
    command = lab_command(root, extra, running_as_root())
    if os.name == "nt":  # no exec on Windows: wait for the server instead
        import subprocess

        sys.exit(subprocess.call(command, env=env))
    os.execve(sys.executable, command, env)


if __name__ == "__main__":
    main()
