"""Tidy a cohort's submissions before nbgrader autograde, so that no trainee loses marks to a
file mishap.

Because every answer lives in ``<stem>.responses.json``, the notebook itself can be replaced by
the released one without losing work. For each ``submitted/<trainee>/<assignment>/``:

* a notebook submitted under another name (``m01_problem_areas (1).ipynb``) is renamed back;
* a missing notebook is restored from the release;
* a notebook that is not valid JSON is kept as ``<name>.unreadable`` and replaced by the release.

Each repaired notebook gets a note at its top, which nbgrader carries into the trainee's feedback.
Run it as ``python -m ipt_widgets.submissions <assignment> [--course DIR]``; it prints one line per
repair and never stops at a bad submission.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from .sanitize import clean_filename

NOTE_MARKER = "ipt-grading-note"


def _note_cell(text: str) -> dict:
    return {
        "cell_type": "markdown",
        "id": NOTE_MARKER,
        "metadata": {"tags": [NOTE_MARKER]},
        "source": f"> **Note from grading.** {text} Your answers were read from your responses file, so nothing "
        "you saved was lost.",
    }


def _add_note(path: Path, text: str) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"] = [c for c in nb["cells"] if c.get("id") != NOTE_MARKER]
    nb["cells"].insert(0, _note_cell(text))
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _readable(path: Path) -> bool:
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return False
    return isinstance(nb, dict) and isinstance(nb.get("cells"), list)


def tidy_submission(folder: Path, release: Path) -> list[str]:
    """Repair one trainee's assignment folder; return what was done, one line per repair."""
    done = []
    expected = sorted(p.name for p in release.glob("*.ipynb"))
    present = {p.name for p in folder.glob("*.ipynb")}
    strays = sorted(present - set(expected))
    for name in expected:
        target = folder / name
        if name not in present and len(strays) == 1 and len(expected) == 1:
            stray = folder / strays.pop()
            if _readable(stray):
                stray.rename(target)
                # The stray's name is the trainee's: shown as an inert code span, never as Markdown.
                shown = clean_filename(stray.name)
                _add_note(target, f"This notebook was submitted as {shown} and renamed to '{name}'.")
                done.append(f"renamed {stray.name} -> {name}")
                continue
            strays.append(stray.name)
        if not target.exists():
            shutil.copy(release / name, target)
            _add_note(target, f"No notebook named '{name}' was submitted, so the released one was graded.")
            done.append(f"restored missing {name}")
        elif not _readable(target):
            keep = target.with_name(target.name + ".unreadable")
            target.replace(keep)
            shutil.copy(release / name, target)
            _add_note(
                target,
                f"The submitted '{name}' could not be read (kept as '{keep.name}'), so the "
                "released notebook was graded in its place.",
            )
            done.append(f"replaced unreadable {name}")
    return done


def tidy_assignment(course: Path, assignment: str) -> dict[str, list[str]]:
    """Tidy every trainee's submission of ``assignment``; return trainee -> repairs."""
    release = course / "exercises" / assignment
    if not release.is_dir():
        raise ValueError(f"{release}: no released assignment {assignment!r} (run make exercises)")
    report = {}
    for folder in sorted((course / "submitted").glob(f"*/{assignment}")):
        try:
            repairs = tidy_submission(folder, release)
        except OSError as exc:  # one unreadable folder must not stop the cohort
            repairs = [f"could not tidy: {exc}"]
        if repairs:
            report[folder.parent.name] = repairs
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("assignment")
    parser.add_argument("--course", type=Path, default=Path.cwd(), help="course root (default: here)")
    args = parser.parse_args(argv)
    try:
        report = tidy_assignment(args.course, args.assignment)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    for trainee, repairs in report.items():
        for repair in repairs:
            print(f"{trainee}: {repair}")
    print(f"{len(report)} submission(s) repaired.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
