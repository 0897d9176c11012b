"""A graded notebook made from the released notebook plus the trainee's written answers only.

Pure functions on notebook dictionaries (nbformat 4 JSON), shared by the rebuild step before
autograde (:mod:`.submissions`) and by the nbgrader preprocessor that repeats it inside every
autograde, whichever way autograde was started (:mod:`.nbgrader_guard`).

What is taken from the trainee's notebook: the text of each *manually graded answer* cell (a
Markdown cell that nbgrader marks ``solution`` and ``grade``), matched by the grade id of the
released cell, cut to :data:`MAX_ANSWER_CHARS` and sanitised. Nothing else: no code, no outputs,
no attachments, no metadata.
"""

from __future__ import annotations

import copy
import json
from typing import Any

NOTE_MARKER = "ipt-grading-note"
MAX_ANSWER_CHARS = 20_000
MAX_DEPTH = 64
CODE_NOTE = (
    "Code you added or changed in this notebook was not run for grading: your answers were read "
    "from your responses file and your written answers."
)


def _depth_ok(text: str) -> bool:
    # json would recurse once per level; refuse absurd nesting before it can overflow the stack.
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            escaped = (ch == "\\") and not escaped
            if ch == '"' and not escaped:
                in_string = False
            continue
        if ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_DEPTH:
                return False
        elif ch in "]}":
            depth -= 1
    return True


def parse_notebook(raw: bytes | str) -> tuple[dict | None, str]:
    """The trainee's notebook as a dict, or None and why it could not be used (never raises)."""
    if isinstance(raw, str):
        return None, raw
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, "it is not UTF-8 text"
    if not _depth_ok(text):
        return None, "it is nested too deeply"
    try:
        nb = json.loads(text)
    except (ValueError, RecursionError):
        return None, "it is not valid notebook JSON"
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        return None, "it has no list of cells"
    return nb, ""


def _meta(cell: Any) -> dict:
    if not isinstance(cell, dict):
        return {}
    meta = cell.get("metadata")
    nbg = meta.get("nbgrader") if isinstance(meta, dict) else None
    return nbg if isinstance(nbg, dict) else {}


def _source(cell: Any) -> str | None:
    src = cell.get("source") if isinstance(cell, dict) else None
    if isinstance(src, list) and all(isinstance(s, str) for s in src):
        return "".join(src)
    return src if isinstance(src, str) else None


def is_written_answer(cell: dict) -> bool:
    """A manually graded answer cell: Markdown, marked as both solution and grade."""
    nbg = _meta(cell)
    return cell.get("cell_type") == "markdown" and bool(nbg.get("solution")) and bool(nbg.get("grade"))


def written_answers(trainee: dict | None) -> dict[str, str]:
    """grade id -> the trainee's text, for every Markdown answer cell (first one wins)."""
    answers: dict[str, str] = {}
    for cell in (trainee or {}).get("cells", []):
        grade_id = _meta(cell).get("grade_id")
        text = _source(cell)
        if isinstance(grade_id, str) and text is not None and cell.get("cell_type") == "markdown":
            answers.setdefault(grade_id, text)
    return answers


def _clean_markdown(text: str) -> str:
    from .sanitize import clean_markdown

    return clean_markdown(text)


def note_cell(notes: list[str]) -> dict:
    # Notes quote trainee data (item ids, file names): inert in every copy of the notebook.
    body = _clean_markdown(" ".join(notes))
    return {
        "cell_type": "markdown",
        "id": NOTE_MARKER,
        "metadata": {"tags": [NOTE_MARKER]},
        "source": f"> **Note from grading.** {body} Your answers were read from your responses file, so "
        "nothing you saved was lost.",
    }


def _edited_code(released: dict, trainee: dict | None) -> bool:
    if not trainee:
        return False
    ours = {_source(c) for c in released.get("cells", []) if c.get("cell_type") == "code"}
    theirs = [c for c in trainee.get("cells", []) if isinstance(c, dict) and c.get("cell_type") == "code"]
    return any(_source(c) not in ours for c in theirs)


def rebuild(released: dict, trainee: dict | None, notes: list[str]) -> tuple[dict, list[str]]:
    """The released notebook with the trainee's written answers; and the notes to show.

    ``notes`` (problems found earlier, e.g. with the files) go in a note cell at the top, together
    with a note when the trainee's code was set aside. Returns the notebook and the extra notes made.
    """
    nb = copy.deepcopy(released)
    answers = written_answers(trainee)
    extra = []
    for cell in nb["cells"]:
        if is_written_answer(cell):
            text = answers.get(_meta(cell).get("grade_id"))
            if text is not None:
                if len(text) > MAX_ANSWER_CHARS:
                    extra.append(f"A written answer was cut to its first {MAX_ANSWER_CHARS:,} characters.")
                cell["source"] = _clean_markdown(text[:MAX_ANSWER_CHARS])
    if _edited_code(released, trainee):
        extra.append(CODE_NOTE)
    shown = [*notes, *extra]
    nb["cells"] = [c for c in nb["cells"] if c.get("id") != NOTE_MARKER]
    if shown:
        nb["cells"].insert(0, note_cell(shown))
    return nb, extra
