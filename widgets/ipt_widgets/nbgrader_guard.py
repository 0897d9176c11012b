"""nbgrader extensions that keep a grade from being forged (registered in ``nbgrader_config.py``).

* :class:`RebuildFromRelease` runs first when nbgrader autogrades a notebook, by whatever route
  (``make autograde``, ``nbgrader autograde``, the formgrader's button): the notebook to execute is
  the released one plus the trainee's written answers, never the trainee's code
  (:mod:`.notebook_rebuild`). ``python -m ipt_widgets.submissions`` does the same for the files
  of the folder before nbgrader sees them.
* :class:`GuardPartialCredit` runs right after execution. nbgrader reads a test cell's partial
  credit from the text of its result and gives *full* marks when the text is ``nan``, negative,
  unparsable or missing. Here a test cell's score must be a finite number in [0, points] or the
  cell is turned into an error (0 points) that says why.
* :class:`SafeCollect` is ``nbgrader collect`` without following links: a link in a trainee's
  exchange folder is copied as a link (the rebuild step then refuses it with a note), never as
  the file it points to, which collect would otherwise read with the instructor's rights; pipes
  and devices are left out, with a warning that names them.
"""

from __future__ import annotations

import glob
import json
import math
import os
import re
import shutil
import stat
from pathlib import Path

from nbconvert.preprocessors import Preprocessor
from nbformat import from_dict
from nbgrader.exchange.default.collect import ExchangeCollect
from nbgrader.exchange.default.release_feedback import ExchangeReleaseFeedback
from nbgrader.utils import ignore_patterns
from traitlets import Bool

from . import notebook_rebuild as nbr

_NUMBER = re.compile(r"^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$")


class RebuildFromRelease(Preprocessor):
    """Replace the submitted notebook by the release plus the trainee's written answers."""

    # nbconvert skips a preprocessor whose ``enabled`` is False, its default.
    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb, resources):
        from nbgrader.coursedir import CourseDirectory

        info = resources.get("nbgrader", {})
        coursedir = CourseDirectory(parent=self)
        release = Path(coursedir.format_path(coursedir.release_directory, ".", info.get("assignment", "")))
        path = release / f"{info.get('notebook', '')}.ipynb"
        if not path.is_file():
            self.log.error("No released notebook %s to rebuild from; grading the submission as it is.", path)
            return nb, resources
        released = json.loads(path.read_text(encoding="utf-8"))
        trainee = json.loads(json.dumps(nb))  # plain dicts
        notes = _carried_notes(trainee)
        student = info.get("student", "")
        submitted = Path(coursedir.format_path(coursedir.submitted_directory, student, info.get("assignment", "")))
        graded = Path(coursedir.format_path(coursedir.autograded_directory, student, info.get("assignment", "")))
        if graded.is_dir():
            from .submissions import guard_graded_folder

            more, readable = guard_graded_folder(submitted, graded, release)
            notes += [n for n in more if n not in notes]
            if not readable:
                trainee = None
        rebuilt, _ = nbr.rebuild(released, trainee, notes)
        import nbformat

        # Read as nbformat reads a file: multi-line sources joined, as the later steps expect.
        nb = nbformat.reads(json.dumps(rebuilt), as_version=4)
        _restore_locked_sources(nb, info)
        from .nbgrader_execute import remember_rebuilt

        remember_rebuilt(nb)  # only such code may run in the grading process
        return nb, resources


def _restore_locked_sources(nb, info: dict) -> None:
    """Give each locked cell the source nbgrader stored for it at generate_assignment.

    A test cell with hidden tests is released without them, so every clean submission differs
    from the stored source and nbgrader's OverwriteCells warns "Attribute 'checksum' ... has
    changed" for each (12 per m01 submission) before putting the stored source back. The
    notebook here is the release itself, so putting it back first is the same result without a
    warning that would alarm an instructor; a change OverwriteCells sees now is a real one.
    """
    from nbgrader.api import Gradebook, MissingEntry

    if not info.get("db_url"):
        return
    with Gradebook(info["db_url"]) as gb:
        for cell in nb.cells:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if not (meta.get("locked") and meta.get("grade_id")):
                continue
            try:
                stored = gb.find_source_cell(meta["grade_id"], info.get("notebook", ""), info.get("assignment", ""))
            except MissingEntry:
                continue  # OverwriteCells reports it
            if stored.locked and stored.cell_type == cell.cell_type:
                cell.source = stored.source


def _carried_notes(trainee: dict) -> list[str]:
    # A note the rebuild step already wrote (it is sanitised again like any trainee text).
    for cell in trainee.get("cells", [])[:1]:
        if isinstance(cell, dict) and cell.get("id") == nbr.NOTE_MARKER:
            text = nbr._source(cell) or ""
            text = text.removeprefix("> **Note from grading.** ").split(" Your answers were read from")[0]
            from .sanitize import clean_markdown

            return [clean_markdown(text[:2000])] if text.strip() else []
    return []


def _result_text(cell) -> str | None:
    for output in cell.get("outputs", []):
        if output.get("output_type") == "execute_result":
            return output.get("data", {}).get("text/plain")
    return None


def check_score(text: str | None, points: float) -> str:
    """Why a test cell's reported score cannot be used ("" when it is a proper score)."""
    if text is None:
        return "the grading code reported no score"
    if isinstance(text, list):
        text = "".join(text)
    if not _NUMBER.match(text or ""):
        return f"the reported score {text[:40]!r} is not a number"
    value = float(text)
    if not math.isfinite(value) or value < 0 or value > points:
        return f"the reported score {value} is outside 0 to {points:g}"
    return ""


class GuardPartialCredit(Preprocessor):
    """Turn any autograded test cell whose score is not a finite number in [0, points] into 0."""

    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb, resources):
        for cell in nb.cells:
            nbg = cell.get("metadata", {}).get("nbgrader", {})
            if cell.cell_type != "code" or not nbg.get("grade") or nbg.get("solution"):
                continue
            outputs = cell.get("outputs", [])
            if any(o.get("output_type") == "error" for o in outputs):
                continue  # nbgrader already scores it 0
            problem = check_score(_result_text(cell), float(nbg.get("points", 0) or 0))
            if problem:
                self.log.error("%s: %s; scored 0.", nbg.get("grade_id"), problem)
                kept = [o for o in outputs if o.get("output_type") != "execute_result"]
                kept.append(
                    from_dict(
                        {
                            "output_type": "error",
                            "ename": "GradingError",
                            "evalue": f"This item could not be scored: {problem}. Scored 0; "
                            "your instructor has been told.",
                            "traceback": [],
                        }
                    )
                )
                cell.outputs = kept
        return nb, resources


def _special_files(src: str, names: list[str]) -> list[str]:
    left_out = []
    for name in names:
        try:
            mode = os.lstat(os.path.join(src, name)).st_mode
        except OSError:
            left_out.append(name)
            continue
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode) or stat.S_ISLNK(mode)):
            left_out.append(name)
    return left_out


# A trainee id becomes a folder name and is shown, unescaped, by nbgrader's own formgrader pages.
STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
FUTURE_SLACK = 24 * 3600  # a submission time more than a day ahead is a forgery, not a clock
BACKDATE_SLACK = 15 * 60  # nbgrader names the folder, then copies the files in: minutes, not hours


def _refusal(path: str, username: str, timestamp) -> str:
    """Why an inbound entry is not collected ("" when it may be)."""
    import datetime as dt

    if not STUDENT_ID.match(username):
        return "its trainee id has characters other than letters, digits and . _ @ -"
    if os.path.islink(path) or not os.path.isdir(path):
        return "it is a link or not a folder"
    if timestamp is None:
        return "its submission time cannot be read"
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    if (timestamp - now).total_seconds() > FUTURE_SLACK:
        return "its submission time is in the future"
    owner = os.lstat(path).st_uid
    if owner != os.geteuid() and _owner_name(owner) not in (None, username):
        return f"it belongs to the user {_owner_name(owner)}, not to {username}"
    return ""


def _received_time(path: str):
    """When the entry reached the exchange, as naive UTC: its change time, which only the kernel
    sets (a user can set a file's modification time, never its change time)."""
    import datetime as dt

    return dt.datetime.fromtimestamp(os.lstat(path).st_ctime, dt.timezone.utc).replace(tzinfo=None)


def _owner_name(uid: int) -> str | None:
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return None


class SafeCollect(ExchangeCollect):
    """``nbgrader collect`` that refuses forged entries, copies links as links, leaves pipes out.

    An inbound entry is refused (logged as an error, never collected) when its trainee id could
    carry markup into nbgrader's pages, when the entry itself is a link (to another trainee's
    folder, to ``solutions/``), when its submission time is unreadable or in the future, or when
    it is owned by another user than the trainee it names (where trainees have their own user
    ids; an exchange shared by one user id cannot tell, see README "Security").
    """

    trust_received_time = Bool(
        True,
        help="Use the time the exchange received a submission when its name claims an earlier "
        "one (a trainee can name a folder, not set its change time). Turn off after restoring an "
        "exchange from a backup, which changes every folder's change time.",
    ).tag(config=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._times = {}

    def _path_to_record(self, path):
        import datetime as dt

        filename = os.path.split(path)[1]
        parts = filename.rsplit("+", 3)
        username = parts[0] if len(parts) >= 3 else ""
        try:
            from nbgrader.utils import parse_utc

            timestamp = parse_utc(parts[2]) if len(parts) >= 3 else None
        except Exception:  # dateutil's ParserError, OverflowError, ...
            timestamp = None
        refused = _refusal(path, username, timestamp)
        if refused:
            self.log.error("Not collected: %s (%s).", filename, refused)
            # The oldest possible time: a refused entry never wins over a real one.
            return {"username": username, "filename": filename, "timestamp": dt.datetime.min, "refused": True}
        received = _received_time(path)
        if self.trust_received_time and timestamp < received - dt.timedelta(seconds=BACKDATE_SLACK):
            self.log.warning(
                "%s: its name says it was submitted at %s, but the exchange received it at %s (UTC); "
                "the time it was received is used.",
                filename,
                timestamp,
                received,
            )
            timestamp = received
        self._times[filename] = timestamp
        return {"username": username, "filename": filename, "timestamp": timestamp}

    def init_src(self):
        super().init_src()
        self.src_records = [r for r in self.src_records if not r.get("refused")]

    def do_copy(self, src, dest, log=None):
        if os.path.islink(src):
            raise RuntimeError(f"{src} is a link: not collected")
        nbgrader_ignore = ignore_patterns(
            exclude=self.coursedir.ignore,
            include=self.coursedir.include,
            max_file_size=self.coursedir.max_file_size,
            log=self.log,
        )

        def ignore(directory, names):
            special = _special_files(directory, names)
            for name in special:
                self.log.warning("Not collected (not a regular file): %s", os.path.join(directory, name))
            links = [n for n in names if os.path.islink(os.path.join(directory, n))]
            # nbgrader's own filter looks at sizes through links; never ask it about a link.
            plain = [n for n in names if n not in special and n not in links]
            return set(special) | set(nbgrader_ignore(directory, plain))

        shutil.copytree(src, dest, symlinks=True, ignore=ignore)
        when = self._times.get(os.path.basename(src))
        if when is not None:
            # The submission's own timestamp.txt is the trainee's to write: the time the
            # late penalty reads is the one checked above.
            stamp = os.path.join(dest, "timestamp.txt")
            if os.path.isdir(stamp) and not os.path.islink(stamp):
                shutil.rmtree(stamp)
            elif os.path.lexists(stamp):
                os.unlink(stamp)
            with open(stamp, "w", encoding="utf-8") as f:
                f.write(when.strftime("%Y-%m-%d %H:%M:%S.%f UTC"))


# Extension modules shadow the package just as .py files do; nbgrader's ignore list is by name.
SHADOWING = ["*.py", "*.pth", "*.so", "*.pyd", "*.dylib", "*.dll", "*.pyc", "ipt_widgets"]


def protect(c) -> None:
    """Apply every grading protection to an nbgrader config ``c`` (the course's and the hub's).

    One place for them, so a deployment's own ``nbgrader_config.py`` cannot fall behind.
    """
    from nbconvert.preprocessors import ClearMetadataPreprocessor
    from nbgrader import preprocessors as nbp

    from .nbgrader_metadata import FastCheckCellMetadata
    from .nbgrader_privacy import HideTestSource
    from .nbgrader_sanitize import SanitizeFeedback, SanitizeGradedNotebook

    ignore = list(c.CourseDirectory.get("ignore", [".ipynb_checkpoints", "__pycache__", "feedback"]))
    c.CourseDirectory.ignore = ignore + [p for p in SHADOWING if p not in ignore]
    # Classes, not names: nbgrader asks each entry for its configurable traits.
    c.Autograde.sanitize_preprocessors = [
        RebuildFromRelease,
        nbp.ClearOutput,
        nbp.DeduplicateIds,
        nbp.OverwriteKernelspec,
        nbp.OverwriteCells,
        FastCheckCellMetadata,
    ]
    # The guard right after execution; the sanitiser after the scores are saved.
    # Execute, in the grading process or in a sandboxed kernel ($IPT_GRADING_PATH).
    from .nbgrader_execute import GradingExecute

    c.Autograde.autograde_preprocessors = [
        GradingExecute,
        GuardPartialCredit,
        nbp.IgnorePattern,
        ClearMetadataPreprocessor,
        nbp.LimitOutput,
        nbp.SaveAutoGrades,
        nbp.AssignLatePenalties,
        FastCheckCellMetadata,
        SanitizeGradedNotebook,
    ]
    # Lazy appends to nbgrader's own list (GetGrades, ...), which must stay.
    c.GenerateFeedback.preprocessors.append(HideTestSource)
    c.GenerateFeedback.preprocessors.append(SanitizeFeedback)
    c.Execute.kernel_manager_class = "ipt_widgets.sandbox.SandboxedKernelManager"
    arguments = list(c.Execute.get("extra_arguments", []))
    c.Execute.extra_arguments = arguments + [a for a in ("--IPKernelApp.ignore_cwd=True",) if a not in arguments]
    c.ExchangeFactory.collect = "ipt_widgets.nbgrader_guard.SafeCollect"
    c.ExchangeFactory.release_feedback = "ipt_widgets.nbgrader_guard.SafeReleaseFeedback"


class SafeReleaseFeedback(ExchangeReleaseFeedback):
    """``nbgrader release_feedback`` that releases everyone it can.

    nbgrader's own stops at the first trainee whose graded folder lacks ``timestamp.txt`` or
    ``submission_secret.txt`` (a submission that did not come through the exchange, or whose
    files were refused), and nobody after them gets feedback. Here that trainee is skipped with
    an error that names them; the rest is nbgrader's own loop, one file at a time.
    """

    def copy_files(self):
        from nbgrader.utils import notebook_hash

        exclude = set(filter(None, (self.coursedir.student_id_exclude or "").split(",")))
        pattern = re.escape(os.path.sep).join(
            [
                self.coursedir.format_path(
                    self.coursedir.feedback_directory, "(?P<student_id>.*)", self.coursedir.assignment_id, escape=True
                ),
                "(?P<notebook_id>.*).html",
            ]
        )
        for html_file in sorted(glob.glob(os.path.join(self.src_path, "*.html"))):
            match = re.match(pattern, html_file)
            if match is None or match["student_id"] in exclude:
                continue
            folder = os.path.dirname(html_file)
            try:
                with open(os.path.join(folder, "submission_secret.txt")) as handle:
                    secret = handle.read()
            except OSError:
                self.log.error(
                    "Feedback not released for %s: no submission_secret.txt (not submitted through the exchange?).",
                    folder,
                )
                continue
            checksum = notebook_hash(secret=secret, notebook_id=match["notebook_id"])
            staged = os.path.join(self.dest_path, f"{checksum}-tmp.html")
            shutil.copy(html_file, staged)
            shutil.move(staged, os.path.join(self.dest_path, f"{checksum}.html"))
            self.log.info("Feedback released for %s: %s", match["student_id"], html_file)
