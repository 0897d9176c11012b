"""A JupyterLab server on a copy of the course, and headless Chromium driven by Playwright.

Debian's Chromium is used (`make test` installs it when it can); Playwright's own browser
download is never needed. Without Chromium or Playwright the browser tests skip and say why.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import REPO

ARTIFACTS = REPO / "test-artifacts" / "browser"
TOKEN = "ipt-browser-test"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lab_env(root: Path) -> dict[str, str]:
    """The environment of a Jupyter server on ``root``: this Python first on PATH, and Jupyter's
    settings and runtime files inside ``root``."""
    bin_dir = Path(sys.executable).parent
    return dict(
        os.environ,
        PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        JUPYTER_CONFIG_DIR=str(root / ".jupyter"),
        JUPYTER_RUNTIME_DIR=str(root / ".runtime"),
    )


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """URL and folder of a JupyterLab server on a fresh copy of the course."""
    require_browser()
    root = tmp_path_factory.mktemp("lab")
    for top in ("course", "exercises", "solutions"):
        shutil.copytree(
            REPO / top, root / top, ignore=shutil.ignore_patterns("*.responses.json*", ".ipynb_checkpoints")
        )
    shutil.copy(REPO / "nbgrader_config.py", root)
    env = lab_env(root)
    # The gradebook must know the assignments for the formgrader page.
    subprocess.run(
        [sys.executable, "-m", "nbgrader", "generate_assignment", "m01_problem_areas", "--force"],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
    )
    with running_lab(root, env) as url:
        yield {"url": url, "root": root}


@contextmanager
def running_lab(root: Path, env: dict):
    """A JupyterLab server (with nbgrader's formgrader) on ``root``; yields its URL."""
    bin_dir = Path(sys.executable).parent
    port = free_port()
    command = [
        str(bin_dir / "jupyter"),
        "lab",
        "--no-browser",
        "--ip",
        "127.0.0.1",
        f"--port={port}",
        f"--IdentityProvider.token={TOKEN}",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.workspaces_dir={root / '.workspaces'}",
        "--ServerApp.open_browser=False",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log = open(root / "lab.log", "w")  # noqa: SIM115 - closed at teardown
    server = subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2) as response:
                json.load(response)
            break
        except OSError:
            if server.poll() is not None or time.time() > deadline:
                server.kill()
                pytest.fail("JupyterLab did not start:\n" + (root / "lab.log").read_text()[-3000:])
            time.sleep(0.5)
    try:
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def require_browser() -> None:
    """Skip (saying why) when Chromium or Playwright is missing."""
    if chromium_path() is None:
        pytest.skip("Chromium not found: install Debian's 'chromium' (make test does, as root) to run browser tests")
    pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")


@pytest.fixture(scope="session")
def browser():
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, lab):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()
    # Kernels outlive the page; on two cores the next test would share the CPU with them.
    shutdown_sessions(lab["url"])


def shutdown_sessions(url: str) -> None:
    with urllib.request.urlopen(f"{url}/api/sessions?token={TOKEN}", timeout=10) as response:
        sessions = json.load(response)
    for session in sessions:
        request = urllib.request.Request(f"{url}/api/sessions/{session['id']}?token={TOKEN}", method="DELETE")
        urllib.request.urlopen(request, timeout=30).close()


def shot(locator, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    locator.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def saved(root: Path, notebook: str, timeout: float = 30) -> dict:
    """The responses file's items, waiting for the kernel to write them."""
    path = root / notebook
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            return json.loads(path.read_text(encoding="utf-8"))["items"]
        except (OSError, ValueError, KeyError):
            time.sleep(0.2)
    return {}


def wait_for(predicate, timeout: float = 30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    return predicate()
