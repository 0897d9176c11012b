"""The response store: a trainee's widget answers, kept on disk beside the notebook.

Why on disk: nbgrader grades a notebook by re-executing it in a fresh kernel, so an answer
that only lived in a widget's state would be gone. Every interaction therefore writes
``<notebook-stem>.responses.json`` in the kernel's working directory (the notebook's folder),
and the hidden test cells read the same file.

Rules this module keeps:

* Writes are atomic (temporary file in the same folder, fsync, ``os.replace``), so a crash or a
  killed kernel leaves either the old or the new file, never half of one.
* Reading never raises. A missing file is simply "no answers yet"; an empty, truncated,
  malformed or foreign file gives the answers that can be recovered plus a message that names
  the file and what is wrong with it. Reading never blocks and never follows a link: only a
  regular file is opened (a link could point at another trainee's file, a named pipe would
  wait for a writer forever). Numbers that are not finite read as missing values, and text is
  always encodable (see :mod:`ipt_widgets.safe_read`).
* Nothing is lost: before a save replaces a file that could not be read, the unreadable file is
  kept under a new name, so an instructor can still recover what was in it.
* Nothing here writes to stderr or warns (nbgrader scores a test cell with stderr output as 0).
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .safe_read import clean, clean_text, loads_json, read_regular_file

FORMAT_NAME = "ipt-course-responses"
FORMAT_VERSION = 1
SUFFIX = ".responses.json"
# A trainee's answers to one notebook are a few kilobytes; anything far larger is not ours.
MAX_BYTES = 2_000_000


@dataclass
class LoadResult:
    """What reading a responses file gave.

    Attributes
    ----------
    items
        Item id -> ``{"value": ..., "saved_at": ISO time}`` for every entry that could be read.
    problems
        Human-readable messages, each naming the file and what is wrong; empty when all is well.
    readable
        False when the file exists but could not be used as a whole (saving will first keep a
        copy of it).
    """

    items: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    readable: bool = True

    @property
    def message(self) -> str:
        """All problems as one message ("" when there are none)."""
        return " ".join(self.problems)


def now_iso() -> str:
    """The current time in UTC, ISO 8601, to the second."""
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()


class ResponseStore:
    """Answers to the items of one notebook, persisted in one JSON file.

    Parameters
    ----------
    path
        The responses file. Use :meth:`for_notebook` to get the conventional name.
    """

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)

    @classmethod
    def for_notebook(cls, notebook: str, directory: str | os.PathLike[str] | None = None) -> ResponseStore:
        """The store of a notebook, by its file stem, in ``directory`` (default: the cwd).

        The stem is given explicitly by the notebook's locked set-up cell (a kernel cannot
        reliably learn its notebook's name, and autograde runs without a browser session).
        """
        stem = notebook[: -len(".ipynb")] if notebook.endswith(".ipynb") else notebook
        if not stem or "/" in stem or "\\" in stem:
            raise ValueError(f"notebook: expected a file stem such as 'm01_problem_areas', got {notebook!r}")
        return cls(Path(directory or ".") / f"{stem}{SUFFIX}")

    # -- reading ---------------------------------------------------------------------------

    def load(self) -> LoadResult:
        """Read every answer that can be read. Never raises, never blocks.

        Only a regular file is read: a symbolic link (it could point at another trainee's
        file), a named pipe (opening it would wait for a writer forever), a device or a folder
        is refused with a message. See :mod:`ipt_widgets.safe_read` for what else is refused
        (deep nesting) or made safe (numbers that are not finite, lone surrogates).
        """
        name = self.path.name
        raw, problem = read_regular_file(self.path, MAX_BYTES)
        if problem is None and raw is not None:
            data, problem = loads_json(raw)
        if problem is not None:
            return LoadResult(problems=[f"{name}: {problem}"], readable=False)
        if raw is None:
            return LoadResult()
        return _parse_document(name, data)

    def get(self, item_id: str, default: Any = None) -> Any:
        """The saved value of one item, or ``default``."""
        entry = self.load().items.get(item_id)
        return default if entry is None else entry["value"]

    # -- writing ---------------------------------------------------------------------------

    def save(self, item_id: str, value: Any) -> LoadResult:
        """Save one item's value, keeping every other item, atomically.

        Returns the :class:`LoadResult` of the file as it was before the save, so a caller can
        show its problems. If that file was unreadable, it is first kept as
        ``<name>.unreadable-<time>`` so nothing a trainee wrote is destroyed.

        Raises
        ------
        ValueError
            If ``item_id`` is empty or ``value`` cannot be stored as JSON.
        OSError
            If the folder cannot be written (read-only, full disk); the old file is untouched.
        """
        if not isinstance(item_id, str) or not item_id:
            raise ValueError(f"{self.path.name}: item id must be a non-empty string, got {item_id!r}")
        try:
            json.dumps(value, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{self.path.name}: item {item_id!r}: value cannot be saved as JSON ({exc})") from None

        before = self.load()
        if not before.readable and self.path.is_file():
            stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
            keep = self.path.with_name(f"{self.path.name}.unreadable-{stamp}")
            os.replace(self.path, keep)
            before.problems.append(f"The unreadable file was kept as {keep.name}.")
        items = dict(before.items)
        items[item_id] = {"value": value, "saved_at": now_iso()}
        document = {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "notebook": self.path.name[: -len(SUFFIX)] if self.path.name.endswith(SUFFIX) else self.path.stem,
            "items": items,
        }
        _atomic_write_text(self.path, json.dumps(document, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
        _remove_stale_temporaries(self.path)
        return before


def _parse_document(name: str, data: Any) -> LoadResult:
    """Turn parsed JSON into a LoadResult, keeping every well-formed item."""
    if not isinstance(data, dict):
        return LoadResult(
            problems=[f"{name}: expected a JSON object at the top, found {type(data).__name__}."], readable=False
        )
    if data.get("format") != FORMAT_NAME:
        shown = clean(data.get("format"))[0]
        return LoadResult(
            problems=[f"{name}: field 'format' is {shown!r:.60}, expected {FORMAT_NAME!r}."], readable=False
        )
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version > FORMAT_VERSION or version < 1:
        return LoadResult(
            problems=[
                f"{name}: field 'version' is {clean(version)[0]!r:.60}; this course reads version {FORMAT_VERSION}."
            ],
            readable=False,
        )
    raw_items = data.get("items")
    if not isinstance(raw_items, dict):
        return LoadResult(problems=[f"{name}: field 'items' should be an object of answers."], readable=False)
    result = LoadResult()
    for item_id, entry in raw_items.items():
        item_id = clean_text(item_id)
        if not isinstance(entry, dict) or "value" not in entry:
            result.problems.append(f"{name}: item {item_id!r:.80} has no 'value' and was skipped.")
            continue
        value, replaced = clean(entry["value"])
        if replaced:
            result.problems.append(
                f"{name}: item {item_id!r:.80} held a number that is not finite or far too long; "
                "it was read as a missing value."
            )
        saved_at = entry.get("saved_at")
        result.items[item_id] = {
            "value": value,
            "saved_at": clean_text(saved_at) if isinstance(saved_at, str) else None,
        }
    return result


# A writer killed mid-save (a kernel killed, a machine losing power) leaves its temporary file
# behind. Another kernel may be mid-save right now, so only clearly abandoned ones are removed.
STALE_TEMPORARY_SECONDS = 60


def _remove_stale_temporaries(path: Path) -> None:
    now = _dt.datetime.now().timestamp()
    for tmp in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            if now - tmp.stat().st_mtime > STALE_TEMPORARY_SECONDS:
                tmp.unlink()
        except OSError:
            pass  # gone already, or not ours to remove: never fail a save over it


def _atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the new one, never a mix."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        # Leave no temporary file behind, whatever interrupted us.
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
