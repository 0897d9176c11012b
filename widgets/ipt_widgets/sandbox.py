"""Each graded kernel in a sandbox: bubblewrap (Debian's ``bubblewrap``) around the kernel.

nbgrader runs a fresh kernel per graded notebook. Since the rebuild step (:mod:`.submissions`)
no trainee code reaches that kernel, but the kernel still reads the trainee's data, and a flaw
in a reader must not reach the gradebook, the model answers or other trainees. So the kernel
starts inside ``bwrap`` with:

* the filesystem read-only and reduced to what Python needs: the system's ``/usr``, the Python
  installation and virtual environment, the course package, the model, the notebook's own
  folder (the rebuilt submission) and the embedding cache; no course root, so no gradebook, no
  ``solutions/`` and no other trainee;
* one writable folder, a fresh scratch folder per kernel that is also its ``HOME`` and ``TMPDIR``
  (so an IPython profile or a startup file written there dies with the kernel);
* no network (its own network namespace; the kernel talks to nbgrader over Unix sockets in the
  scratch folder), its own process namespace (every process it starts ends with it), no
  inherited environment (the grader's variables, such as a database password, never enter);
* limits: address space, CPU seconds, file size, processes (enforced by dropping to the
  ``nobody`` user when the grader runs as root, since the kernel never counts root's
  processes), and a wall-clock limit for the whole notebook.

Use it through nbgrader's configuration (``nbgrader_config.py``)::

    c.Execute.kernel_manager_class = "ipt_widgets.sandbox.SandboxedKernelManager"

Where ``bwrap`` is missing or cannot create namespaces (some containers), the kernel runs as
before, with its own HOME and a clean environment, and :func:`status` says so; ``make
autograde`` prints that line. ``IPT_SANDBOX=off`` turns the sandbox off, ``IPT_SANDBOX=require``
makes grading fail rather than run without it.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Float, Integer, Unicode

ENV_SETTING = "IPT_SANDBOX"
# Variables a graded kernel may inherit; everything else in the grader's environment stays out.
PASSED_ENV = (
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
    "NBGRADER_EXECUTION",
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "OPENBLAS_CORETYPE",
    "OPENBLAS_L2_SIZE",
    "PYTHONHASHSEED",
)
NOBODY = 65534
# The kernel's HOME, TMPDIR and IPython folder inside its scratch folder (each a capped tmpfs).
SCRATCH_SUBDIRS = ("home", "tmp", "ipython")


def setting() -> str:
    """``auto`` (default), ``off`` or ``require``, from ``$IPT_SANDBOX``."""
    value = os.environ.get(ENV_SETTING, "auto").strip().lower()
    return value if value in ("auto", "off", "require") else "auto"


@functools.cache
def bwrap_works() -> tuple[bool, str]:
    """Whether bubblewrap is installed and can create the namespaces the sandbox uses."""
    exe = shutil.which("bwrap")
    if not exe:
        return False, "bubblewrap (bwrap) is not installed (apt-get install bubblewrap)"
    probe = [exe, "--ro-bind", "/", "/", "--unshare-all", "--die-with-parent", "--new-session", "true"]
    try:
        run = subprocess.run(probe, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, f"bwrap could not run ({exc})"
    if run.returncode != 0:
        return False, f"bwrap cannot create namespaces here ({run.stderr.strip()[:200] or run.returncode})"
    return True, exe


def status() -> str:
    """One line for the instructor: is grading sandboxed, and if not, why not."""
    mode = setting()
    if mode == "off":
        return "Graded kernels are NOT sandboxed (IPT_SANDBOX=off)."
    ok, detail = bwrap_works()
    if ok:
        return "Graded kernels run in a bubblewrap sandbox (no network, read-only course, own scratch folder)."
    return f"Graded kernels are NOT sandboxed: {detail}."


def package_roots() -> list[Path]:
    """Folders the kernel must read: the Python installation, the venv, the course package.

    Only these. Not the other entries of ``sys.path``: run from the course root (``python -m``,
    ``make autograde``), the first of them is the course root itself, with the gradebook and
    ``solutions/`` in it. The package is bound as its own folder, never its parent, for the same
    reason (an editable install's parent is the course repository).
    """
    import ipt_widgets

    roots = {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve()}
    package = Path(ipt_widgets.__file__).resolve().parent
    if not any(package.is_relative_to(r) for r in roots):
        roots.add(package)
    return sorted(roots)


def _system_binds() -> list[str]:
    args = ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib64", "lib32"):
        path = Path("/") / name
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    for etc in ("/etc/ld.so.cache", "/etc/localtime", "/etc/nsswitch.conf", "/etc/passwd", "/etc/group"):
        if Path(etc).exists():
            args += ["--ro-bind", etc, etc]
    return args


def _open_parents(paths: list[Path]) -> list[str]:
    # bwrap copies the modes of the real parents (/root is 0700), so `nobody` could not reach a
    # venv under /root: make every parent of a bound folder traversable inside the sandbox.
    made: list[str] = []
    args: list[str] = []
    for path in paths:
        for parent in reversed(path.parents[:-1]):
            if str(parent) not in made and str(parent) not in ("/usr", "/tmp"):
                made.append(str(parent))
                args += ["--perms", "0755", "--dir", str(parent)]
    return args


def _usable_dir(path: Path | None) -> Path | None:
    try:
        return path if path is not None and path.is_dir() else None
    except OSError:  # a cache folder we may not even look at is no cache
        return None


def bwrap_command(kernel_cmd: list[str], *, cwd: Path, scratch: Path, cache: Path | None, limits: dict) -> list[str]:
    """The full command line: bwrap, then the limits, then the kernel."""
    ok, exe = bwrap_works()
    if not ok:
        raise RuntimeError(exe)
    cache = _usable_dir(cache)
    # As root, no user namespace: the kernel then drops to the real `nobody` (see below). Otherwise
    # an unprivileged user namespace is what lets bwrap make the others.
    unshare = (
        ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]
        if os.geteuid() == 0
        else ["--unshare-all"]
    )
    args = [
        exe,
        *unshare,
        "--die-with-parent",
        "--new-session",
        "--clearenv",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
    ]
    # Every folder the kernel may fill is a tmpfs of a fixed size: a file-size limit alone lets
    # it write any number of files. Sticky and writable by all, since as root the kernel is nobody.
    share = limits["scratch"] // (len(SCRATCH_SUBDIRS) + 1)
    args += ["--perms", "1777", "--size", str(share), "--tmpfs", "/tmp"]
    args += _system_binds()
    binds = [*package_roots(), cwd, scratch] + ([cache] if cache is not None else [])
    args += _open_parents(binds)
    for root in package_roots():
        args += ["--ro-bind", str(root), str(root)]
    if cache is not None:
        args += ["--ro-bind", str(cache), str(cache), "--setenv", "IPT_EMBEDDING_CACHE", str(cache)]
    else:
        args += ["--setenv", "IPT_EMBEDDING_CACHE", "off"]
    args += ["--ro-bind", str(cwd), str(cwd), "--bind", str(scratch), str(scratch), "--chdir", str(cwd)]
    for sub in SCRATCH_SUBDIRS:
        args += ["--perms", "1777", "--size", str(share), "--tmpfs", str(scratch / sub)]
    env = {
        "HOME": str(scratch / "home"),
        "TMPDIR": str(scratch / "tmp"),
        "IPYTHONDIR": str(scratch / "ipython"),
        "MPLCONFIGDIR": str(scratch / "tmp"),
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "PYTHONNOUSERSITE": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.update({k: os.environ[k] for k in PASSED_ENV if k in os.environ})
    for key, value in env.items():
        args += ["--setenv", key, value]
    inner = [
        "/usr/bin/prlimit",
        f"--as={limits['memory']}",
        f"--cpu={limits['cpu']}",
        f"--fsize={limits['fsize']}",
        f"--nproc={limits['nproc']}",
        "--",
    ]
    if os.geteuid() == 0 and shutil.which("setpriv"):
        # Root's processes are never counted against a process limit: run the kernel as nobody.
        inner = [
            "/usr/bin/setpriv",
            f"--reuid={NOBODY}",
            f"--regid={NOBODY}",
            "--clear-groups",
            "--inh-caps=-all",
            "--bounding-set=-all",
            "--",
            *inner,
        ]
    return [*args, "--", *inner, *kernel_cmd]


def _user_processes() -> int:
    uid = NOBODY if os.geteuid() == 0 else os.geteuid()
    count = 0
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and entry.stat().st_uid == uid:
                count += 1
        except OSError:
            continue
    return count


class SandboxedKernelManager(AsyncKernelManager):
    """A KernelManager whose kernels run in a bubblewrap sandbox (see the module docstring)."""

    memory_limit = Integer(3 * 1024**3, help="Address-space limit of a graded kernel, in bytes.").tag(config=True)
    cpu_limit = Integer(300, help="CPU seconds a graded kernel may use.").tag(config=True)
    file_size_limit = Integer(50 * 1024**2, help="Largest file a graded kernel may write, in bytes.").tag(config=True)
    process_limit = Integer(64, help="Processes a graded kernel may add (threads count too).").tag(config=True)
    scratch_limit = Integer(256 * 1024**2, help="Bytes a graded kernel may write in all (its tmpfs folders).").tag(
        config=True
    )
    notebook_timeout = Float(300.0, help="Wall-clock seconds a graded notebook may take in all.").tag(config=True)
    scratch_root = Unicode("", help="Where scratch folders are made (default: the system's temp).").tag(config=True)

    _scratch: Path | None = None
    _timer: threading.Timer | None = None
    _sandboxed = False

    def _make_scratch(self) -> Path:
        scratch = Path(tempfile.mkdtemp(prefix="ipt-kernel-", dir=self.scratch_root or None))
        for sub in SCRATCH_SUBDIRS:
            (scratch / sub).mkdir()
        if os.geteuid() == 0:
            # Root owns the folder; the kernel (nobody) may write in it through the group only
            # until its sockets exist (see _close_scratch), so it cannot fill the disk from there.
            os.chown(scratch, 0, NOBODY)
            os.chmod(scratch, 0o770)
            for path in scratch.iterdir():
                os.chown(path, NOBODY, NOBODY)
        self._scratch = scratch
        return scratch

    async def _async_pre_start_kernel(self, **kw):
        mode = setting()
        # Validate runs a trainee's own notebook with the trainee's own rights (their answers file
        # may be readable by them alone): the sandbox is for grading other people's work.
        validating = os.environ.get("NBGRADER_EXECUTION") == "validate"
        self._sandboxed = mode != "off" and not validating and bwrap_works()[0]
        if mode == "require" and not self._sandboxed and not validating:
            raise RuntimeError(f"IPT_SANDBOX=require, but {bwrap_works()[1]}")
        scratch = self._make_scratch()
        if self._sandboxed:
            # Unix sockets in the scratch folder: the kernel has no network to listen on.
            self.transport = "ipc"
            self.ip = str(scratch / "kernel")
            self.connection_file = str(scratch / "kernel.json")
        else:
            env = {k: os.environ[k] for k in (*PASSED_ENV, "PATH") if k in os.environ}
            env.update(HOME=str(scratch / "home"), TMPDIR=str(scratch / "tmp"), IPYTHONDIR=str(scratch / "ipython"))
            kw["env"] = env
        result = await super()._async_pre_start_kernel(**kw)
        if self._sandboxed and os.geteuid() == 0:
            os.chown(self.connection_file, NOBODY, NOBODY)  # the kernel runs as nobody
        return result

    def format_kernel_cmd(self, extra_arguments=None):
        cmd = super().format_kernel_cmd(extra_arguments)
        if not self._sandboxed:
            return cmd
        from .scoring.encoder import cache_dir

        cwd = Path(self._launch_args.get("cwd") or os.getcwd()).resolve()
        limits = {
            "memory": self.memory_limit,
            "cpu": self.cpu_limit,
            "fsize": self.file_size_limit,
            "nproc": _user_processes() + self.process_limit,
            "scratch": self.scratch_limit,
        }
        return bwrap_command(cmd, cwd=cwd, scratch=self._scratch, cache=cache_dir(), limits=limits)

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        if self._sandboxed:
            kw.pop("env", None)  # bwrap --clearenv sets the kernel's whole environment
            kw["env"] = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
            # Outside Jupyter's own process tree (bwrap drops JPY_PARENT_PID) the kernel prints its
            # connection banner on stdout, once per graded notebook; its errors still show on stderr.
            kw["stdout"] = subprocess.DEVNULL
        await super()._async_launch_kernel(kernel_cmd, **kw)
        if self._sandboxed and os.geteuid() == 0:
            threading.Thread(target=self._close_scratch, args=(self._scratch,), daemon=True).start()
        if self.notebook_timeout > 0:
            self._timer = threading.Timer(self.notebook_timeout, self._out_of_time)
            self._timer.daemon = True
            self._timer.start()

    def _close_scratch(self, scratch: Path, wait: float = 60.0) -> None:
        """Once the kernel has made its sockets, take back its right to add files to the folder.

        The kernel binds its five sockets at start-up, before any cell runs; nbgrader connects
        to them only when they exist. Its later writes then go only to its capped tmpfs folders.
        """
        sockets = [
            f"{self.ip}-{getattr(self, name)}"
            for name in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")
        ]
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and scratch.exists():
            if all(os.path.exists(path) for path in sockets):
                os.chmod(scratch, 0o550)
                return
            time.sleep(0.02)

    def _out_of_time(self) -> None:
        process = getattr(self.provisioner, "process", None)
        if process is not None and process.poll() is None:
            self.log.error("Graded notebook ran past %s s in all: its kernel was stopped.", self.notebook_timeout)
            process.kill()  # bwrap's --die-with-parent then ends everything inside the sandbox

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        if self._timer is not None:
            self._timer.cancel()
        await super()._async_cleanup_resources(restart=restart)
        if self._scratch is not None and not restart:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None
