"""Keep the rubric private in nbgrader's generated feedback.

nbgrader's feedback shows every cell's source, and a free-text item's hidden test holds the whole
reference: its exemplars, keywords and the test code. The next cohort could paste it. This
preprocessor, registered for ``GenerateFeedback`` in nbgrader_config.py, replaces the source of
each test cell in the feedback by its one-line docstring (course convention: every test cell
starts with one saying what it checks). The outputs stay: the card shows the trainee's evidence,
what each element asks for, and the expert answer, never the exemplars.
"""

from __future__ import annotations

import ast

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

HIDDEN = "# The test code is not shown in feedback."


def summary_line(source: str) -> str:
    """The cell's docstring's first line as a string literal, or a neutral comment."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return HIDDEN
    doc = ast.get_docstring(tree) if tree.body else None
    if not doc:
        return HIDDEN
    return f'"""{doc.strip().splitlines()[0]}"""\n{HIDDEN}'


def is_test_cell(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


class HideTestSource(Preprocessor):
    """Replace the source of every autograded test cell by its docstring line."""

    # nbconvert's preprocessors are off unless enabled; registering this one means using it.
    enabled = Bool(True).tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if is_test_cell(cell):
            cell.source = summary_line(cell.source)
        return cell, resources
