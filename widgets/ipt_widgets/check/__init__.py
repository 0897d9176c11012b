"""``python -m ipt_widgets.check [PATH ...]``: check everything an instructor writes.

With no PATH it checks the whole course from the current folder: ``course/cases/*.yaml``, the
teaching notebooks ``course/*.ipynb``, the assignments ``solutions/<id>/`` (case files and
notebooks, hidden tests included) and the README's module table. A PATH may be a file or a
folder. Every message names the file, the line, the item and the field.

Exit status: 0 all good, 1 warnings only (e.g. a practice case no notebook shows, a reference
whose expert answer misses an element), 2 errors. ``make exercises`` refuses to release on 2.
"""

from __future__ import annotations

import argparse
import sys
from functools import lru_cache
from pathlib import Path

from .counts import check_assignment_counts, check_readme, check_teaching_counts
from .files import case_ids, check_yaml
from .findings import ERROR, Finding, error, exit_status
from .notebooks import check_notebook, read_notebook

__all__ = ["Finding", "course_paths", "main", "run"]


def course_paths(root: Path) -> list[Path]:
    """What an instructor writes, in the order it is checked."""
    paths = sorted((root / "course" / "cases").glob("*.yaml")) + sorted((root / "course").glob("*.ipynb"))
    for folder in sorted((root / "solutions").glob("*/")):
        paths += sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.ipynb"))
    if (root / "README.md").exists():
        paths.append(root / "README.md")
    return paths


def _expand(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = course_paths(path) if (path / "solutions").is_dir() or (path / "course").is_dir() else []
            found = found or sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml", ".ipynb"))
            out += [p for p in found if ".ipynb_checkpoints" not in p.parts]
        else:
            out.append(path)
    return out


def run(paths: list[Path], *, score_references: bool = True, root: Path | None = None) -> list[Finding]:
    """Findings for ``paths`` (files or folders); the README is checked against ``root``."""
    ids_of = lru_cache(maxsize=None)(case_ids)
    findings: list[Finding] = []
    for path in _expand(paths):
        if not path.exists():
            findings.append(error(f"{path}: no such file"))
        elif path.suffix in (".yaml", ".yml"):
            findings += check_yaml(path, score_references=score_references)
        elif path.suffix == ".ipynb":
            findings += check_notebook(path, ids_of)
            findings += _counts(path)
        elif path.name == "README.md":
            findings += check_readme(path, root or path.parent)
    return findings


def _counts(path: Path) -> list[Finding]:
    try:
        nb = read_notebook(path)
    except (OSError, ValueError):
        return []  # reported by check_notebook
    if any("nbgrader" in c.get("metadata", {}) for c in nb.get("cells", [])):
        return check_assignment_counts(path, nb)
    return check_teaching_counts(path, nb)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ipt_widgets.check", description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="files or folders (default: the whole course)")
    parser.add_argument(
        "--no-scoring",
        action="store_true",
        help="skip scoring practice references against their expert answer and generic drafts (faster)",
    )
    parser.add_argument("--quiet", action="store_true", help="print only problems, not the summary")
    parser.add_argument(
        "--release",
        action="store_true",
        help="what `make exercises` and `make test` run: warnings are printed but do not fail (exit 0 or 2)",
    )
    args = parser.parse_args(argv)
    root = Path.cwd()
    paths = args.paths or course_paths(root)
    findings = run(paths, score_references=not args.no_scoring, root=root)
    for finding in findings:
        print(finding)
    errors = sum(f.level == ERROR for f in findings)
    if not args.quiet:
        print(
            f"checked {len(_expand(paths))} file(s): {errors} error(s), {len(findings) - errors} warning(s)",
            file=sys.stderr if findings else sys.stdout,
        )
    status = exit_status(findings)
    if args.release and status == 2:
        print("Refusing to release: fix the errors above (docs/authoring/README.md).", file=sys.stderr)
    return 0 if args.release and status == 1 else status
