"""Reading the scored parts of every graded cell from the course's autograded notebooks.

Each hidden test shows its card with ``{"ipt": {"parts": {part: fraction}}}`` as output metadata
(``grading.parts_metadata``); nbgrader keeps it in ``autograded/<trainee>/<assignment>/*.ipynb``.
The risk column (``risk``) is computed from these.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from .model import ItemKey


def read_parts(course: Path, assignments: Sequence[str] | None = None) -> dict[str, dict[ItemKey, dict[str, float]]]:
    """Every graded cell's parts in the course's autograded notebooks; unreadable notebooks are skipped."""
    found: dict[str, dict[ItemKey, dict[str, float]]] = {}
    for path in sorted((Path(course) / "autograded").glob("*/*/*.ipynb")):
        trainee, assignment = path.parent.parent.name, path.parent.name
        if assignments and assignment not in assignments:
            continue
        for grade_id, parts in _cell_parts(path).items():
            found.setdefault(trainee, {})[(assignment, path.stem, grade_id)] = parts
    return found


def _cell_parts(path: Path) -> dict[str, dict[str, float]]:
    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return {}
    out = {}
    for cell in cells if isinstance(cells, list) else []:
        grade_id = ((cell.get("metadata") or {}).get("nbgrader") or {}).get("grade_id")
        for output in cell.get("outputs") or []:
            parts = ((output.get("metadata") or {}).get("ipt") or {}).get("parts")
            if isinstance(grade_id, str) and isinstance(parts, dict):
                out[grade_id] = {k: float(v) for k, v in parts.items() if _is_fraction(v)}
    return out


def _is_fraction(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0.0 <= value <= 1.0
