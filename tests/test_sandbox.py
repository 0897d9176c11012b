"""The graded kernel's sandbox, attacked from inside a real kernel.

The rebuild step means no trainee code reaches a graded kernel; these tests run attack code in a
sandboxed kernel anyway, to show what the second line of defence holds on its own.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import nbformat
import pytest
from ipt_widgets import sandbox

pytestmark = pytest.mark.slow

WORKS, WHY = sandbox.bwrap_works()
needs_bwrap = pytest.mark.skipif(not WORKS, reason=f"no sandbox here: {WHY}")


def run_cells(folder: Path, *sources: str, **km) -> list[str]:
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    client = NotebookClient(
        nb,
        kernel_manager_class=sandbox.SandboxedKernelManager,
        timeout=30,
        allow_errors=True,
        resources={"metadata": {"path": str(folder)}},
        **km,
    )
    client.execute()
    texts = []
    for cell in nb.cells:
        texts.append(
            "".join(
                o.get("text", "") or o.get("data", {}).get("text/plain", "") or o.get("ename", "") for o in cell.outputs
            )
        )
    return texts


@pytest.fixture
def course(tmp_path):
    root = tmp_path / "course"
    work = root / "autograded" / "alice" / "m01"
    work.mkdir(parents=True)
    (root / "gradebook.db").write_text("grades")
    (root / "solutions").mkdir()
    (root / "solutions" / "key.txt").write_text("model answer")
    (work / "cases.yaml").write_text("cases: []")
    return root, work


@needs_bwrap
def test_the_kernel_sees_only_its_folder_and_python(course, monkeypatch):
    root, work = course
    monkeypatch.setenv("IPT_TEST_SECRET", "s3cret")
    # As under `make autograde`: started from the course root, which is then first on sys.path.
    monkeypatch.chdir(root)
    monkeypatch.syspath_prepend(str(root))
    out = run_cells(
        work,
        "import os, pathlib; print(sorted(os.listdir('.')))",
        f"print(pathlib.Path('{root}/gradebook.db').exists(), pathlib.Path('{root}/solutions').exists())",
        "print('IPT_TEST_SECRET' in os.environ)",
        "import ipt_widgets.grading, numpy; print('imports')",
    )
    assert out[0].strip() == "['cases.yaml']"
    assert out[1].strip() == "False False"
    assert out[2].strip() == "False"
    assert "imports" in out[3]


@needs_bwrap
def test_the_kernel_writes_nowhere_but_its_scratch_folder(course):
    root, work = course
    out = run_cells(
        work,
        "open('here.txt', 'w')",
        f"open('{root}/gradebook.db', 'w')",
        "import pathlib; p = pathlib.Path.home() / '.ipython/profile_default/startup'; p.mkdir(parents=True); "
        "(p / 'x.py').write_text('1'); print('home ok', p)",
    )
    assert "Error" in out[0] and "Error" in out[1]
    assert "home ok" in out[2]
    assert not (work / "here.txt").exists() and (root / "gradebook.db").read_text() == "grades"
    scratch_home = Path(out[2].split("home ok", 1)[1].strip())
    assert not scratch_home.exists()  # the scratch folder went with the kernel
    assert not (Path.home() / ".ipython/profile_default/startup/x.py").exists()


@needs_bwrap
def test_no_network_and_no_survivors(course):
    _, work = course
    marker = f"ipt-sandbox-test-{os.getpid()}"
    out = run_cells(
        work,
        "import socket\ntry:\n    socket.create_connection(('127.0.0.1', 1), timeout=2)\nexcept OSError as e:\n"
        "    print(type(e).__name__)",
        f"import subprocess, sys; subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)', "
        f"'{marker}'], start_new_session=True); print('started')",
    )
    assert out[0].strip() in ("ConnectionRefusedError", "OSError")  # its own, empty network
    assert "started" in out[1]
    time.sleep(0.5)
    assert subprocess.run(["pgrep", "-f", marker], capture_output=True).stdout == b""


@needs_bwrap
def test_limits_hold(course):
    _, work = course
    out = run_cells(
        work,
        "try:\n    b = bytearray(8 * 1024**3)\nexcept MemoryError:\n    print('memory limit')",
        "import os\nn = 0\ntry:\n    while n < 5000:\n        pid = os.fork()\n        if pid == 0:\n"
        "            import time; time.sleep(30); os._exit(0)\n        n += 1\n"
        "except OSError:\n    print('process limit', n)",
    )
    assert "memory limit" in out[0]
    assert "process limit" in out[1]


@needs_bwrap
def test_what_a_kernel_writes_in_all_is_capped(course):
    """Many files each under the file-size limit: the kernel's folders are tmpfs of a fixed size,
    and (as root) the scratch folder that holds its sockets takes no new file once they exist."""
    _, work = course
    write_many = (
        "import os\nn = 0\ntry:\n    while n < 400:\n"
        "        open(os.path.join({where}, f'f{{n}}'), 'wb').write(b'x' * 2**20); n += 1\n"
        "except OSError as e:\n    print('stopped', n, type(e).__name__)\nelse:\n    print('wrote', n)"
    )
    out = run_cells(
        work,
        write_many.format(where="os.environ['HOME']"),
        write_many.format(where="'/tmp'"),
        write_many.format(where="os.path.dirname(os.environ['HOME'])"),
    )
    share = sandbox.SandboxedKernelManager().scratch_limit // 2**20 // (len(sandbox.SCRATCH_SUBDIRS) + 1)
    for text in out[:2]:
        assert text.startswith("stopped"), text
        assert int(text.split()[1]) <= share
    if os.geteuid() == 0:
        assert out[2].startswith("stopped 0"), out[2]


@needs_bwrap
def test_a_notebook_that_runs_too_long_is_stopped(course):
    from nbclient.exceptions import DeadKernelError

    _, work = course
    start = time.monotonic()
    with pytest.raises((DeadKernelError, RuntimeError)):
        run_cells(work, "import time; time.sleep(60)", config=_timeout_config(2))
    assert time.monotonic() - start < 30


def _timeout_config(seconds: float):
    from traitlets.config import Config

    return Config({"SandboxedKernelManager": {"notebook_timeout": seconds}})


def test_without_bwrap_the_status_says_so(monkeypatch):
    monkeypatch.setattr(sandbox, "bwrap_works", lambda: (False, "bubblewrap (bwrap) is not installed"))
    assert "NOT sandboxed" in sandbox.status() and "not installed" in sandbox.status()
    monkeypatch.setenv("IPT_SANDBOX", "off")
    assert "IPT_SANDBOX=off" in sandbox.status()


def test_require_refuses_to_grade_unsandboxed(monkeypatch, tmp_path):
    monkeypatch.setattr(sandbox, "bwrap_works", lambda: (False, "no bwrap"))
    monkeypatch.setenv("IPT_SANDBOX", "require")
    with pytest.raises(Exception, match="IPT_SANDBOX=require"):
        run_cells(tmp_path, "1")


@needs_bwrap
def test_validate_reads_the_trainees_own_answers(monkeypatch, tmp_path):
    """Validate runs the trainee's own notebook: their answers file, readable by them alone, must
    be read (as root the sandbox would run the kernel as nobody, who cannot)."""
    answers = tmp_path / "m01.responses.json"
    answers.write_text("{}")
    answers.chmod(0o600)
    read = (
        "import pathlib\ntry:\n    print(pathlib.Path('m01.responses.json').read_text())\n"
        "except OSError as e:\n    print(type(e).__name__)"
    )
    monkeypatch.setenv("NBGRADER_EXECUTION", "validate")
    assert run_cells(tmp_path, read)[0].strip() == "{}"
    if os.geteuid() == 0:
        monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")  # grading: sandboxed, as nobody
        assert run_cells(tmp_path, read)[0].strip() == "PermissionError"


def test_unsandboxed_kernels_still_get_their_own_home(monkeypatch, tmp_path):
    monkeypatch.setenv("IPT_SANDBOX", "off")
    monkeypatch.setenv("IPT_TEST_SECRET", "s3cret")
    out = run_cells(
        tmp_path,
        "import os, pathlib; print(pathlib.Path.home() != pathlib.Path('/root'), 'IPT_TEST_SECRET' in os.environ)",
    )
    assert out[0].strip() == "True False"


@needs_bwrap
@pytest.mark.skipif(os.geteuid() != 0, reason="run as root, this test also plays a normal user; as one, the others do")
def test_as_a_normal_user_too(monkeypatch):
    """Most instructors are not root: their sandbox rests on unprivileged user namespaces.

    This test builds the command line the sandbox uses for a normal user and runs it as
    ``nobody`` with every capability dropped (the course's own Python lives under /root here,
    out of nobody's reach, so the sandboxed program is the system's Python).
    """
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="ipt-normal-user-"))  # pytest's own folders are root's alone
    work, scratch = base / "work", base / "scratch"
    for path in (base, work, scratch):
        path.mkdir(exist_ok=True)
        path.chmod(0o777)
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    monkeypatch.setattr(sandbox, "package_roots", lambda: [])
    for sub in sandbox.SCRATCH_SUBDIRS:
        (scratch / sub).mkdir()
    limits = {"memory": 2 * 1024**3, "cpu": 60, "fsize": 10**7, "nproc": 4096, "scratch": 4 * 2**20}
    program = (
        "import os; print(os.getuid(), sorted(os.listdir('/')))\n"
        "try:\n    open(os.environ['HOME'] + '/big', 'wb').write(b'x' * 2**21)\n"
        "except OSError:\n    print('HOME is capped')"
    )
    cmd = sandbox.bwrap_command(
        ["/usr/bin/python3", "-c", program],
        cwd=work,
        scratch=scratch,
        cache=None,
        limits=limits,
    )
    assert "--unshare-all" in cmd and "setpriv" not in cmd
    drop = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all"]
    run = subprocess.run([*drop, *cmd], capture_output=True, text=True, timeout=60, env={"PATH": "/usr/bin:/bin"})
    if run.returncode != 0 and ("namespace" in run.stderr or "Operation not permitted" in run.stderr):
        pytest.skip(f"unprivileged user namespaces are off here, so a normal user grades unsandboxed: {run.stderr}")
    assert run.returncode == 0, run.stderr
    uid, listing = run.stdout.split(" ", 1)
    assert uid == "65534" and "'root'" not in listing and "'home'" not in listing
    assert "HOME is capped" in run.stdout
