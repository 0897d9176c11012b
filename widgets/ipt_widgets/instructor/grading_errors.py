"""After autograde: the test cells that failed with an error, which is never the trainee's answer.

A hidden test never raises because of what a trainee answered: a missing, malformed or tampered
answer scores 0 with a message. So an error in a test cell (a HiddenTestError from a bad
reference, a TypeError, a NameError...) means the grading itself went wrong, and nbgrader has
quietly scored that cell 0 for every trainee it hit. ``nbgrader autograde`` still exits 0.

    python -m ipt_widgets.instructor.grading_errors ASSIGNMENT [--course DIR]

reads ``autograded/<trainee>/<ASSIGNMENT>/*.ipynb``, prints each failing test cell once with the
full error and the trainees it hit, and exits 1 when there is any (0 when there is none, 2 when
nothing has been autograded).
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class GradingError:
    trainee: str
    notebook: str
    grade_id: str
    name: str  # the exception's class, e.g. HiddenTestError
    message: str  # the full message, its wrapped lines joined


def _errors_of(notebook: dict[str, Any]) -> list[tuple[str, str, str]]:
    out = []
    for cell in notebook.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") != "code" or not meta.get("grade"):
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                message = " ".join(str(output.get("evalue", "")).split())
                out.append((str(meta.get("grade_id")), str(output.get("ename", "Error")), message))
    return out


def grading_errors(course: str | Path, assignment: str) -> list[GradingError]:
    """Every error in a test cell of the assignment's autograded notebooks, trainee by trainee."""
    found = []
    for path in sorted(Path(course, "autograded").glob(f"*/{assignment}/*.ipynb")):
        trainee = path.parent.parent.name
        try:
            notebook = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            found.append(GradingError(trainee, path.name, "-", "UnreadableNotebook", str(exc)))
            continue
        found += [GradingError(trainee, path.name, *error) for error in _errors_of(notebook)]
    return found


def report(errors: list[GradingError]) -> str:
    """One paragraph per failing cell and error, with the trainees it hit."""
    grouped: dict[tuple[str, str, str, str], list[str]] = defaultdict(list)
    for e in errors:
        grouped[(e.notebook, e.grade_id, e.name, e.message)].append(e.trainee)
    lines = [f"{len(grouped)} test cell error(s), not caused by the trainees' answers (each cell scored 0):"]
    for (notebook, grade_id, name, message), trainees in sorted(grouped.items()):
        lines.append(f"- {notebook}, cell {grade_id!r}: {name}: {message}")
        shown = ", ".join(trainees[:10]) + (f" and {len(trainees) - 10} more" if len(trainees) > 10 else "")
        lines.append(f"  trainees ({len(trainees)}): {shown}")
    lines.append("Fix the hidden test in solutions/, run `make exercises`, and autograde again.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ipt_widgets.instructor.grading_errors", description=__doc__)
    parser.add_argument("assignment")
    parser.add_argument("--course", type=Path, default=Path("."), help="the course folder (default: here)")
    args = parser.parse_args(argv)
    if not list(Path(args.course, "autograded").glob(f"*/{args.assignment}")):
        print(f"nothing autograded for {args.assignment} in {Path(args.course, 'autograded')}")
        return 2
    errors = grading_errors(args.course, args.assignment)
    if not errors:
        print(f"{args.assignment}: no test cell failed with an error.")
        return 0
    print(report(errors))
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
