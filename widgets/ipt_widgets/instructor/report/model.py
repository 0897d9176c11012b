"""The report's data model: thresholds, the error it raises, and the rows the writers draw.

Nothing here reads a file or draws anything; every other module of the report imports it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# Thresholds, from classical test theory (e.g. Ebel & Frisbie, *Essentials of Educational
# Measurement*): an item almost everyone gets right or wrong tells you little about who has the
# competency, and a corrected item-total correlation below 0.2 means the item does not separate
# stronger from weaker trainees.
TOO_EASY = 0.9
TOO_HARD = 0.2
LOW_DISCRIMINATION = 0.2
NEEDS_SUPPORT = 0.6  # a trainee below this fraction on a competency needs support with it
NEEDS_SUPPORT_SHARE = 0.25  # a competency where more than this share needs support is a cohort issue
MIN_N = 3  # fewest pairs for which a correlation is reported at all

ItemKey = tuple[str, str, str]  # (assignment, notebook, grade_id)
Scores = Mapping[str, Mapping[ItemKey, tuple[float, float]]]  # trainee -> item -> (score, max score)


class ReportError(Exception):
    """A problem with the course or the gradebook that the instructor must fix; the message says where."""


@dataclass(frozen=True)
class Item:
    """One graded item: an nbgrader grade cell of a source notebook, with its competency tags."""

    assignment: str
    notebook: str
    grade_id: str
    points: float
    competencies: tuple[str, ...] = ()
    manual: bool = False  # a manually graded answer (written formulation), scored in formgrader

    @property
    def key(self) -> ItemKey:
        return (self.assignment, self.notebook, self.grade_id)


@dataclass(frozen=True)
class Trainee:
    """A student of the gradebook. Names come from the gradebook and are never trusted."""

    id: str
    first_name: str = ""
    last_name: str = ""

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part).strip()


@dataclass
class TraineeRow:
    trainee: Trainee
    competencies: dict[str, float | None]
    total: float | None  # fraction over every graded item, tagged or not
    graded: int
    missing: int


@dataclass
class CohortRow:
    competency: str
    label: str
    items: int
    trainees: int
    mean: float | None
    median: float | None
    minimum: float | None
    maximum: float | None
    needs_support: int

    @property
    def needs_support_share(self) -> float | None:
        return self.needs_support / self.trainees if self.trainees else None


@dataclass
class ItemRow:
    item: Item
    n: int
    missing: int
    difficulty: float | None
    discrimination: float | None
    discrimination_note: str
    flags: list[str] = field(default_factory=list)


@dataclass
class Report:
    """Everything the renderers need, computed from items and scores."""

    items: list[Item]
    trainees: list[TraineeRow]
    cohort: list[CohortRow]
    item_rows: list[ItemRow]
    assignments: list[str]
    missing_not_submitted: int
    missing_not_graded: int
    notes: list[str]  # data problems found while reading (untagged items, mismatches, ...)
