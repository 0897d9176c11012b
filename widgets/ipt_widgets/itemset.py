"""What a notebook's set-up cell gets from a case file, even a broken one.

A typo in one case must not stop the set-up cell (every widget below would then fail with
``NameError: name 'cases' is not defined``). So the loaders, unless asked to be strict, return an
:class:`ItemSet`: the items that loaded, plus the errors. Looking up an item that did not load
gives an :class:`Unavailable` placeholder, and a widget built on it shows a short message for
the trainee and the precise error for the instructor; the other widgets still work.

Bottom layer: imports nothing from the package.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

TRAINEE_MESSAGE = (
    "This exercise could not be loaded, so it cannot be answered here. It is not your mistake: "
    "please tell your instructor (the details below are for them), and carry on with the rest of the notebook."
)


@dataclass(frozen=True)
class Unavailable:
    """Stands in for an item that could not be loaded; ``problem`` is the instructor's error message."""

    id: str
    problem: str

    @property
    def title(self) -> str:
        return self.id

    message = TRAINEE_MESSAGE


class ItemSet(dict):
    """Item id -> item, in file order, with the errors of the items (or the file) that did not load."""

    def __init__(self, items: Any = (), *, source: str = "", errors: list[str] | None = None):
        super().__init__(items)
        self.source = source
        self.errors: list[str] = list(errors or [])
        self.broken: dict[str, str] = {}

    def add_error(self, message: str, item_id: str | None = None) -> None:
        self.errors.append(message)
        if item_id is not None:
            self.broken.setdefault(item_id, message)

    def __missing__(self, key: str) -> Unavailable:
        if key in self.broken:
            return Unavailable(key, self.broken[key])
        if self.errors and not self:  # the whole file failed
            return Unavailable(key, " ".join(self.errors))
        from .schema import suggestion  # a bottom-layer sibling

        hint = suggestion(key, list(self) + list(self.broken))
        return Unavailable(key, f"{self.source or 'the case file'}: no item with id {key!r}{hint}")

    def merge(self, other: ItemSet) -> None:
        """Add another set's items and errors (a module's sections loaded separately)."""
        self.update(other)
        self.errors += other.errors
        self.broken.update(other.broken)
