"""The course as a whole: competency tags on every graded item, and enough learner time."""

import re

import nbformat
import pytest
from ipt_widgets.vocab import COMPETENCIES

from tests.conftest import REPO

# The introductory training the international IPT society (ISIPT) asks for before supervised cases.
MINIMUM_HOURS = 16


def graded_cells():
    for path in sorted((REPO / "solutions").glob("*/*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.metadata.get("nbgrader", {}).get("grade"):
                yield path, cell


@pytest.mark.parametrize("path,cell", list(graded_cells()), ids=lambda x: getattr(x, "name", None) or "")
def test_every_graded_item_carries_known_competencies(path, cell):
    tags = cell.metadata.get("ipt", {}).get("competencies")
    assert tags, f"{path.name}: {cell.metadata.nbgrader.grade_id} has no competency tags"
    assert set(tags) <= set(COMPETENCIES), set(tags) - set(COMPETENCIES)


def estimated_minutes(path):
    first = nbformat.read(path, as_version=4).cells[0].source
    match = re.search(r"Estimated time:\*?\*?\s*about\s+(\d+(?:\.\d+)?)\s*(hours?|h|minutes?|min)", first)
    assert match, f"{path}: the first cell must say 'Estimated time: about N minutes/hours'"
    value, unit = float(match.group(1)), match.group(2)
    return value * 60 if unit.startswith("h") else value


def test_learner_time_adds_up_to_the_introductory_training():
    notebooks = sorted((REPO / "course").glob("*.ipynb")) + sorted((REPO / "exercises").glob("*/*.ipynb"))
    total = sum(estimated_minutes(p) for p in notebooks)
    print(f"\nlearner time: {total / 60:.1f} hours over {len(notebooks)} notebooks")
    assert total >= MINIMUM_HOURS * 60


@pytest.mark.parametrize(
    "path",
    sorted((REPO / "course").glob("*.ipynb")) + sorted((REPO / "solutions").glob("*/*.ipynb")),
    ids=lambda p: p.name,
)
def test_headings_never_skip_a_level(path):
    """Screen-reader users move by headings: '#' then '###' hides a level (axe: heading-order)."""
    previous = 0
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            heading = re.match(r"^(#{1,6})\s", line)
            if heading:
                level = len(heading.group(1))
                skipped = previous and level > previous + 1
                assert not skipped, f"{path.name}: {line!r} follows a level-{previous} heading"
                previous = level
