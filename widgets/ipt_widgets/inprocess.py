"""Run a rebuilt graded notebook's cells in the grading process: no kernel per notebook.

Safe only because of what is run: since "Grades that cannot be forged" a graded notebook is the
released notebook rebuilt with the trainee's *data* only (:mod:`.notebook_rebuild`), so every code
cell is the course's own, and the trainee's files are read as data by the course's code. Grading
a notebook this way costs what its cells cost, not a kernel start (about 0.7 s) plus the course's
imports and the sentence encoder in every notebook: those are loaded once per process.

It records what a kernel would send, as nbclient turns it into outputs: ``stream`` (stdout and
stderr, consecutive writes to one stream in one output), ``display_data`` and ``execute_result``
(the same IPython formatters, ``json_clean`` and image encoding as ipykernel), ``error`` (the
traceback IPython formats for a kernel, "Cell In[n], line m" included) and ``clear_output``.

Each notebook gets a clean process (:func:`isolated`): a fresh user namespace and execution count,
the notebook's folder as working directory but never on ``sys.path`` (nothing beside a notebook,
an ``ipt_widgets*.so``, ``*.py`` or ``*.pth``, can be imported: ``''``, the folder and the grader's
own working directory are taken off ``sys.path`` while cells run, and the package is imported
before any cell runs), and afterwards the state a notebook could leave behind is put back:
``sys.path``, the environment, builtins, warning filters, every ``ipt_widgets`` module's globals
and the encoder's in-memory embeddings (the fixed texts are read again from the disk cache, as a
fresh kernel reads them).
"""

from __future__ import annotations

import builtins
import contextlib
import os
import signal
import sys
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path

from nbformat import from_dict

# Imported before any graded cell runs (once per process), so a cell's import finds them in
# sys.modules; the lazily imported scorers come from the package's own folder in any case.
PRELOAD = (
    "ipt_widgets.grading",
    "ipt_widgets.store",
    "ipt_widgets.cases",
    "ipt_widgets.drafts",
    "ipt_widgets.casebook",
    "ipt_widgets.headless",
    "ipt_widgets.formulations",
    "ipt_widgets.scoring.free_text",
    "ipt_widgets.scoring.encoder",
)


class CellTimeout(Exception):
    """A graded cell ran past its time limit."""

    def __str__(self) -> str:
        return super().__str__() or "the cell ran past its time limit and was stopped"


# What nbformat's output_from_msg keeps of each message's content (it would also validate each
# output against the schema: a third of this module's time, for outputs built right here).
_FIELDS = {
    "stream": ("name", "text"),
    "display_data": ("metadata", "data"),
    "execute_result": ("metadata", "data", "execution_count"),
    "error": ("ename", "evalue", "traceback"),
}


def new_output(msg_type: str, content: dict):
    """The nbformat output nbclient makes of a kernel message of this type and content."""
    return from_dict({"output_type": msg_type, **{key: content[key] for key in _FIELDS[msg_type]}})


class Recorder:
    """The outputs of the cell being run, in the order a kernel would send them."""

    def __init__(self) -> None:
        self.outputs: list = []
        self.clear_pending = False
        self.displays: dict[str, list] = {}

    def add(self, msg_type: str, content: dict) -> None:
        if self.clear_pending:
            self.outputs.clear()
            self.clear_pending = False
        out = new_output(msg_type, content)
        display_id = (content.get("transient") or {}).get("display_id")
        if display_id:
            self.displays.setdefault(display_id, []).append(out)
        self.outputs.append(out)

    def stream(self, name: str, text: str) -> None:
        last = self.outputs[-1] if self.outputs and not self.clear_pending else None
        if last is not None and last.get("output_type") == "stream" and last.get("name") == name:
            last["text"] += text
        else:
            self.add("stream", {"name": name, "text": text})

    def update(self, display_id: str, data: dict, metadata: dict) -> None:
        for out in self.displays.get(display_id, []):
            out["data"], out["metadata"] = data, metadata

    def clear(self, wait: bool) -> None:
        if wait:
            self.clear_pending = True
        else:
            self.outputs.clear()


class StreamWriter:
    """``sys.stdout`` / ``sys.stderr`` while a graded cell runs."""

    encoding = "utf-8"
    errors = "strict"

    def __init__(self, recorder: Recorder, name: str):
        self._recorder, self.name = recorder, name

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if text:
            self._recorder.stream(self.name, text)
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        return None

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise OSError("a graded cell's output stream has no file descriptor")

    def readable(self) -> bool:
        return False

    def writable(self) -> bool:
        return True


def _timer_usable() -> bool:
    return threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`CellTimeout` in the cell after ``seconds``, in the main thread or any other.

    The main thread gets ``SIGALRM`` (which also interrupts a blocking call); another thread, such
    as a Dask worker's task thread, gets the exception from a timer thread between two bytecodes
    (a call blocked in C, e.g. a long ``sleep``, is stopped when it returns).
    """
    if not seconds or seconds <= 0:
        yield
    elif _timer_usable():
        with _alarm(seconds):
            yield
    else:
        with _thread_timer(seconds):
            yield


@contextlib.contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    def expire(signum, frame):
        raise CellTimeout(f"the cell ran for more than {seconds:g} s and was stopped")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _Watchdog:
    """One thread that stops over-running cells in this process's other threads.

    A ``threading.Timer`` per cell (a thread started and stopped for every cell) cost about 4% of
    a Dask worker's grading; this thread is started once and sleeps until the next deadline.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._entries: dict[int, dict] = {}
        self._wake: float | None = None  # when the thread will next look (None: when told)
        self._thread: threading.Thread | None = None
        self._count = 0

    def watch(self, seconds: float, target: int, expired: type) -> int:
        """Raise ``expired`` in thread ``target`` after ``seconds`` unless released first."""
        import time

        deadline = time.monotonic() + seconds
        with self._cond:
            self._count += 1
            self._entries[self._count] = {"deadline": deadline, "target": target, "expired": expired, "fired": False}
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="ipt-cell-time-limit", daemon=True)
                self._thread.start()
            elif self._wake is None or deadline < self._wake:
                self._cond.notify()
            return self._count

    def release(self, token: int) -> bool:
        """Stop watching; True when the exception was set but the thread has not raised it yet."""
        with self._cond:
            entry = self._entries.pop(token, None)
            return bool(entry and entry["fired"])

    def _run(self) -> None:
        import ctypes
        import time

        with self._cond:
            while True:
                now = time.monotonic()
                for entry in self._entries.values():
                    if not entry["fired"] and entry["deadline"] <= now:
                        entry["fired"] = True
                        ctypes.pythonapi.PyThreadState_SetAsyncExc(
                            ctypes.c_ulong(entry["target"]), ctypes.py_object(entry["expired"])
                        )
                waiting = [e["deadline"] for e in self._entries.values() if not e["fired"]]
                self._wake = min(waiting) if waiting else None
                self._cond.wait(None if self._wake is None else max(0.0, self._wake - now))


_WATCHDOG = _Watchdog()


@contextlib.contextmanager
def _thread_timer(seconds: float) -> Iterator[None]:
    import ctypes

    target = threading.get_ident()
    message = f"the cell ran for more than {seconds:g} s and was stopped"
    expired = type("CellTimeout", (CellTimeout,), {"__str__": lambda self: message})
    token = _WATCHDOG.watch(seconds, target, expired)
    try:
        yield
    finally:
        if _WATCHDOG.release(token):  # set but not raised yet (the block ended first): never raise it later
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), None)


def _package_modules() -> dict[str, object]:
    return {
        name: mod
        for name, mod in list(sys.modules.items())
        if name.startswith("ipt_widgets") and (name == "ipt_widgets" or name[11] == ".") and mod is not None
    }


def _forget_embeddings() -> None:
    # Trainees' sentences embedded for one notebook are never reused for the next: a fresh kernel
    # starts with an empty memory cache and reads the fixed texts from the disk cache; so here.
    encoder = sys.modules.get("ipt_widgets.scoring.encoder")
    if encoder is not None and encoder.get_encoder.cache_info().currsize:
        encoder.get_encoder()._cache.clear()


@contextlib.contextmanager
def _restored_modules() -> Iterator[None]:
    modules = _package_modules()
    saved = {name: dict(vars(mod)) for name, mod in modules.items()}
    try:
        yield
    finally:
        for name, mod in modules.items():
            sys.modules[name] = mod
            now = vars(mod)
            for key in [k for k in now if k not in saved[name] and not _is_module(now[k])]:
                del now[key]
            for key, value in saved[name].items():
                if now.get(key, _MISSING) is not value:
                    now[key] = value
        _forget_embeddings()


_MISSING = object()


def _is_module(value) -> bool:
    return type(value).__name__ == "module"


def safe_sys_path(cwd: Path) -> list[str]:
    """``sys.path`` without the entries that mean "the working directory" or the notebook's folder."""
    unsafe = {str(cwd), str(Path.cwd().resolve())}
    kept = []
    for entry in sys.path:
        if entry in ("", "."):
            continue
        try:
            resolved = str(Path(entry).resolve())
        except (OSError, RuntimeError):
            continue
        if resolved in unsafe or Path(resolved).is_relative_to(cwd):
            continue
        kept.append(entry)
    return kept


@contextlib.contextmanager
def isolated(cwd: Path) -> Iterator[None]:
    """Run a graded notebook's cells in ``cwd``; put the process back as it was afterwards."""
    cwd = Path(cwd).resolve()
    before_dir = os.getcwd()
    saved_path, saved_env = list(sys.path), dict(os.environ)
    saved_builtins = dict(vars(builtins))
    main = sys.modules.get("__main__")
    hooks = (sys.stdout, sys.stderr, sys.displayhook, sys.excepthook)
    sys.path[:] = safe_sys_path(cwd)
    try:
        with warnings.catch_warnings(), _restored_modules():
            os.chdir(cwd)
            yield
    finally:
        os.chdir(before_dir)
        sys.path[:] = saved_path
        if dict(os.environ) != saved_env:
            os.environ.clear()
            os.environ.update(saved_env)
        names = vars(builtins)
        for key in [k for k in names if k not in saved_builtins]:
            del names[key]
        names.update(saved_builtins)
        if main is not None:
            sys.modules["__main__"] = main
        sys.stdout, sys.stderr, sys.displayhook, sys.excepthook = hooks


def preload() -> None:
    """Import the course's grading code once per process (a missing optional part is skipped)."""
    import importlib

    for name in PRELOAD:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
