"""Rebuild each trainee's submission before nbgrader autograde, so that grading runs no trainee code.

Every widget answer lives in ``<stem>.responses.json`` and every written answer in the Markdown
of a manually graded cell, so a graded notebook can be rebuilt from the *released* notebook plus
that data alone. For each ``submitted/<trainee>/<assignment>/``:

1. the folder as the trainee sent it is moved, untouched, to ``received/<trainee>/<assignment>/``
   (the instructor keeps the evidence; nothing there is graded or shown);
2. a clean folder takes its place, holding only what the allowlist admits:

   * each released notebook, with the text of the trainee's manually graded answer cells
     (sanitised Markdown) put back in; code the trainee wrote or changed is not taken;
   * each responses file, parsed and written again by the course (only answers that could be
     read; what could not be read is named in a note);
   * nbgrader's ``timestamp.txt``, if it holds a timestamp, and ``submission_secret.txt``, if it
     holds a short token (nbgrader's exchange names the feedback file with it).

Links, devices, pipes, folders and oversized files are refused, never opened for reading (a named
pipe would hang the reader) and never followed. A notebook submitted under another name is used
when it is the only candidate. Each trainee whose submission needed anything gets a note at the
top of the notebook, which nbgrader carries into the feedback.

Run it as ``python -m ipt_widgets.submissions <assignment> [--course DIR]``. It prints one line per
note and never stops at a bad submission. Running it again rebuilds from ``received/`` (a rebuilt
folder is recognised by the manifest kept in ``received/``, where trainees cannot write).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import stat
import sys
from pathlib import Path

from . import notebook_rebuild as nbr
from .store import FORMAT_NAME, FORMAT_VERSION, MAX_BYTES, SUFFIX, ResponseStore

MAX_NOTEBOOK_BYTES = 50_000_000
MAX_TIMESTAMP_BYTES = 200
RECEIVED = "received"
MANIFEST = ".manifest.json"
SECRET = "submission_secret.txt"  # written by `nbgrader submit`; release_feedback needs it


def safe_name(name: str) -> str:
    """A file name as plain text that neither Markdown nor HTML can turn into markup."""
    return re.sub(r"[^A-Za-z0-9 ._()+-]", "_", name)[:120] or "_"


def read_regular(path: Path, limit: int) -> bytes | str:
    """The bytes of a regular file no larger than ``limit``, or why it was refused.

    Opened without following a link and without blocking (a FIFO would otherwise hang), then
    checked on the open descriptor, so nothing can be swapped in between the check and the read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        return "it is a link" if exc.errno == 40 else f"it could not be opened ({exc.strerror})"
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return "it is not a regular file"
        if info.st_size > limit:
            return f"it is {info.st_size:,} bytes, far larger than the {limit:,} allowed"
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
        return data if len(data) <= limit else f"it is far larger than the {limit:,} bytes allowed"
    finally:
        os.close(fd)


def _classify(folder: Path) -> tuple[dict[str, Path], list[str]]:
    """Regular files of the folder by name, and a note for every entry refused."""
    files, refused = {}, []
    try:
        entries = list(os.scandir(folder))
    except OSError as exc:
        return {}, [f"The submission folder could not be read ({exc.strerror})."]
    for entry in sorted(entries, key=lambda e: e.name):
        if entry.is_symlink():
            refused.append(f"'{safe_name(entry.name)}' is a link, so it was not used.")
        elif entry.is_dir(follow_symlinks=False):
            continue  # checkpoints, feedback: never graded
        elif entry.is_file(follow_symlinks=False):
            files[entry.name] = Path(entry.path)
        else:
            refused.append(f"'{safe_name(entry.name)}' is not a regular file, so it was not used.")
    return files, refused


def _responses(raw: bytes | str | None, stem: str, _unused: Path | None = None) -> tuple[str | None, list[str]]:
    """The course's own rewrite of a responses file, and the problems found reading it."""
    if raw is None:
        return None, []
    name = f"{stem}{SUFFIX}"
    if isinstance(raw, str):
        return None, [f"{name}: {raw}, so it was not read."]
    import tempfile

    # Parsed from a private temporary folder, never beside the trainee's files (no link there to
    # write through, nothing half-written left in a graded folder).
    with tempfile.TemporaryDirectory(prefix="ipt-responses-") as private:
        probe = Path(private) / name
        probe.write_bytes(raw)
        loaded = ResponseStore(probe).load()
    if not loaded.items:
        return None, list(loaded.problems)
    document = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "notebook": stem, "items": loaded.items}
    # ASCII escapes: a lone surrogate in a trainee's text can then never break the writing.
    return json.dumps(document, indent=1, ensure_ascii=True, sort_keys=True) + "\n", list(loaded.problems)


def _timestamp(raw: bytes | str | None) -> str | None:
    if not isinstance(raw, bytes):
        return None
    try:
        from nbgrader.utils import parse_utc

        text = raw.decode("utf-8").strip()
        parse_utc(text)
    except Exception:  # a missing or odd timestamp only means "not late"
        return None
    return text


def _secret(raw: bytes | str | None) -> str | None:
    if not isinstance(raw, bytes):
        return None
    text = raw.decode("ascii", "replace").strip()
    return text if re.fullmatch(r"[A-Za-z0-9+/=_-]{1,128}", text) else None


def _pick_notebook(name: str, files: dict[str, Path], expected: list[str], notes: list[str]) -> Path | None:
    if name in files:
        return files[name]
    strays = sorted(n for n in files if n.endswith(".ipynb") and n not in expected)
    if len(expected) == 1 and len(strays) == 1:
        notes.append(f"This notebook was submitted as '{safe_name(strays[0])}' and graded as '{name}'.")
        return files[strays[0]]
    notes.append(f"No notebook named '{name}' was submitted, so the released one was graded.")
    return None


def rebuild_submission(folder: Path, release: Path, out: Path) -> list[str]:
    """Write the clean rebuild of ``folder`` into ``out`` (empty); return the notes made."""
    files, refused = _classify(folder)
    expected = sorted(p.name for p in release.glob("*.ipynb"))
    all_notes: list[str] = []
    for name in expected:
        notes = list(refused) if name == expected[0] else []
        stem = name[: -len(".ipynb")]
        source = _pick_notebook(name, files, expected, notes)
        trainee = None
        if source is not None:
            raw = read_regular(source, MAX_NOTEBOOK_BYTES)
            trainee, problem = nbr.parse_notebook(raw)
            if problem:
                notes.append(
                    f"The submitted '{safe_name(source.name)}' could not be read ({problem}), so the "
                    "released notebook was graded in its place."
                )
        resp_path = files.get(f"{stem}{SUFFIX}")
        raw_resp = read_regular(resp_path, MAX_BYTES) if resp_path else None
        text, problems = _responses(raw_resp, stem, out)
        notes += problems
        if text is not None:
            (out / f"{stem}{SUFFIX}").write_text(text, encoding="utf-8")
        released = json.loads((release / name).read_text(encoding="utf-8"))
        rebuilt, changed = nbr.rebuild(released, trainee, notes)
        (out / name).write_text(json.dumps(rebuilt, indent=1) + "\n", encoding="utf-8")
        all_notes += notes + changed
    stamp = _timestamp(read_regular(files["timestamp.txt"], MAX_TIMESTAMP_BYTES) if "timestamp.txt" in files else None)
    if stamp:
        (out / "timestamp.txt").write_text(stamp, encoding="utf-8")
    secret = _secret(read_regular(files[SECRET], MAX_TIMESTAMP_BYTES) if SECRET in files else None)
    if secret:  # nbgrader's exchange names the trainee's feedback file with it
        (out / SECRET).write_text(secret, encoding="utf-8")
    return all_notes


def _digest(folder: Path) -> str:
    """A hash of a folder's regular files; "" at once for anything a rebuild never holds (a link, a
    pipe, a folder, a file larger than a notebook may be), so nothing huge is ever read here."""
    h = hashlib.sha256()
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if not entry.is_file(follow_symlinks=False) or entry.stat(follow_symlinks=False).st_size > MAX_NOTEBOOK_BYTES:
            return ""
        raw = read_regular(Path(entry.path), MAX_NOTEBOOK_BYTES)
        if isinstance(raw, str):
            return ""
        h.update(entry.name.encode("utf-8", "surrogateescape") + b"\0" + raw + b"\0")
    return h.hexdigest()


def guard_graded_folder(submitted: Path, graded: Path, release: Path) -> tuple[list[str], bool]:
    """Make nbgrader's own copy of a submission (``autograded/...``) hold only the allowlist.

    For autograde started without the rebuild step (the formgrader's button, ``nbgrader
    autograde``): nbgrader copies every file of the submission and follows links. Here each
    responses file is read again from the submission without following a link and written by the
    course, and every other file that is not the release's is removed. Returns the notes for the
    trainee, and whether the trainee's notebook may be read at all (not when the submission folder
    or the trainee's folder is a link).
    """
    notes: list[str] = []
    linked = submitted.is_symlink() or submitted.parent.is_symlink()
    if linked:
        notes.append("The submission folder is a link, so nothing in it was graded.")
    keep = {p.name for p in release.iterdir()} | {"timestamp.txt", SECRET}
    stems = [p.stem for p in release.glob("*.ipynb")]
    for stem in stems:
        name = f"{stem}{SUFFIX}"
        target = graded / name
        raw = None if linked else read_regular(submitted / name, MAX_BYTES)
        if isinstance(raw, str) and raw.startswith("it could not be opened"):
            raw = None  # no such file: simply no answers
        text, problems = _responses(raw, stem, graded)
        notes += problems
        if target.exists() or target.is_symlink():
            target.unlink()
        if text is not None:
            target.write_text(text, encoding="utf-8")
    for path in graded.iterdir():
        if path.name not in keep and not path.name.endswith(SUFFIX):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
    return notes, not linked


def _keep_received(course: Path, folder: Path, trainee: str, assignment: str) -> Path:
    """Move a newly arrived raw submission to received/ (or find the one kept before)."""
    kept = course / RECEIVED / trainee / assignment
    manifest = kept / MANIFEST
    try:
        recorded = json.loads(manifest.read_text(encoding="utf-8")).get("rebuilt")
    except (OSError, ValueError):
        recorded = None
    if recorded is None or recorded != _digest(folder):
        if kept.exists():
            shutil.rmtree(kept)
        kept.parent.mkdir(parents=True, exist_ok=True)
        folder.rename(kept)  # same file system: a move, never a copy that follows links
    else:
        shutil.rmtree(folder)
    return kept


def tidy_assignment(course: Path, assignment: str) -> dict[str, list[str]]:
    """Rebuild every trainee's submission of ``assignment``; return trainee -> notes."""
    release = course / "exercises" / assignment
    if not release.is_dir():
        raise ValueError(f"{release}: no released assignment {assignment!r} (run make exercises)")
    report = {}
    submitted = course / "submitted"
    for trainee_dir in sorted(submitted.iterdir()) if submitted.is_dir() else []:
        folder = trainee_dir / assignment
        if trainee_dir.is_symlink():
            report[trainee_dir.name] = ["the trainee's folder is a link: not graded (remove it from submitted/)"]
            continue
        if folder.is_symlink():
            note = "the submission folder is a link, so nothing in it was graded"
            report[trainee_dir.name] = [note]
            _fallback(folder, release, note)  # replaces the link itself, never what it points to
            continue
        if not folder.is_dir():
            continue
        try:
            report_notes = _tidy_one(course, folder, trainee_dir.name, assignment, release)
        except Exception as exc:  # one submission, however broken, must not stop the cohort
            report_notes = [f"could not rebuild ({type(exc).__name__}: {exc}); the release was put in its place"]
            _fallback(folder, release, report_notes[0])
        if report_notes:
            report[trainee_dir.name] = report_notes
    return report


def _fallback(folder: Path, release: Path, note: str) -> None:
    """The released notebooks alone, with a note: graded as unanswered, never as the raw upload."""
    if folder.is_symlink() or folder.is_file():
        folder.unlink()
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for path in release.glob("*.ipynb"):
        released = json.loads(path.read_text(encoding="utf-8"))
        rebuilt, _ = nbr.rebuild(released, None, [f"Your submission could not be read for grading ({note})."])
        (folder / path.name).write_text(json.dumps(rebuilt, indent=1) + "\n", encoding="utf-8")


def _tidy_one(course: Path, folder: Path, trainee: str, assignment: str, release: Path) -> list[str]:
    kept = _keep_received(course, folder, trainee, assignment)
    folder.mkdir()
    notes = rebuild_submission(kept, release, folder)
    (kept / MANIFEST).write_text(json.dumps({"rebuilt": _digest(folder)}), encoding="utf-8")
    return notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("assignment")
    parser.add_argument("--course", type=Path, default=Path.cwd(), help="course root (default: here)")
    args = parser.parse_args(argv)
    try:
        report = tidy_assignment(args.course.resolve(), args.assignment)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    for trainee, notes in report.items():
        for note in notes:
            print(f"{trainee}: {note}")
    print(f"Rebuilt every submission of {args.assignment}; {len(report)} with notes (see received/ for the originals).")
    try:
        from .sandbox import status

        print(status())
    except ImportError:  # jupyter_client missing: grading could not run anyway
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
