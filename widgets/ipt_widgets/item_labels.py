"""Names of graded items as the trainee sees them ("Case 8"), never their internal ids.

The label is the heading above the item in the trainee's own notebook ("## Case 8 of 10"
gives "Case 8"), so a message points to what is on the screen. Reading one notebook file is
cheap and needs no import beyond the standard library, as grading code must.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

_OF_N = re.compile(r"\s+of\s+\d+$")


def short_heading(heading: str) -> str:
    """The heading's name part: "## Case 8 of 10" -> "Case 8"; "## Case 11: Marisol, 54" -> "Case 11";
    "## Transcript 2: Luthando, 29" -> "Transcript 2"."""
    text = heading.lstrip("#").strip().split(": ", 1)[0]
    return _OF_N.sub("", text).strip()


def item_label(notebook: str, item_id: str, directory: str | Path | None = None, fallback: str | None = None) -> str:
    """The heading of the section holding ``item_id`` in ``<notebook>.ipynb``.

    Falls back to ``fallback`` (e.g. the case title), then to "this item", when the notebook
    cannot be read or the item is not found in it.
    """
    default = fallback or "this item"
    path = Path(directory or ".") / f"{notebook}.ipynb"
    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return default
    heading = None
    quoted = (f'"{item_id}"', f"'{item_id}'")
    for cell in cells if isinstance(cells, list) else []:
        source = cell.get("source", "") if isinstance(cell, dict) else ""
        source = "".join(source) if isinstance(source, list) else str(source)
        if cell.get("cell_type") == "markdown":
            headings = [line for line in source.splitlines() if line.startswith("#")]
            heading = headings[-1] if headings else heading
        elif any(q in source for q in quoted):
            return short_heading(heading) if heading else default
    return default
