"""InventoryMapper: build the interpersonal inventory of a case, drawn as a closeness circle."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
from traitlets import Dict, List, observe

from ..casebook import InventoryCase
from ..figures import closeness_circle_svg
from ..scoring.inventory import InventoryEntry, parse_inventory, score_inventory
from ..store import ResponseStore
from ..vocab import CIRCLES, LEVELS
from .base import LABEL_STYLE, PRACTICE, StoredItemWidget, heading_html, heading_level, status_line


class InventoryMapper(StoredItemWidget):
    """Add the people in a case, place them on the closeness circle, mark the focus.

    The data is the ``people`` trait: a list of dicts (name, relationship, circle, support,
    conflict, changed, focus, note). ``add_person`` and ``remove_person`` do from Python what
    the buttons do.
    """

    people = List(Dict()).tag(sync=True)

    def __init__(self, case: InventoryCase, store: ResponseStore, mode: str = PRACTICE, **kwargs):
        super().__init__(case.id, case.title, store, mode, case.reference is not None, **kwargs)
        self.case = case
        wide = widgets.Layout(width="22em")
        self._name = widgets.Text(description="Name:", placeholder="e.g. Amara", style=LABEL_STYLE, layout=wide)
        self._relationship = widgets.Text(
            description="Relationship:", placeholder="e.g. older sister", style=LABEL_STYLE, layout=wide
        )
        self._circle = widgets.Dropdown(
            options=[(v, k) for k, v in CIRCLES.items()], value="middle", description="Closeness:", style=LABEL_STYLE
        )
        self._support = widgets.Dropdown(
            options=[(v, k) for k, v in LEVELS.items()], value="some", description="Support:", style=LABEL_STYLE
        )
        self._conflict = widgets.Dropdown(
            options=[(v, k) for k, v in LEVELS.items()], value="none", description="Conflict:", style=LABEL_STYLE
        )
        self._changed_box = widgets.Checkbox(description="Changed around the onset", indent=False)
        self._focus_box = widgets.Checkbox(description="Tied to the problem area", indent=False)
        self._note = widgets.Text(description="Note:", placeholder="optional", style=LABEL_STYLE, layout=wide)
        self._add = widgets.Button(
            description="Add or update person",
            # ipywidgets' "info" and "warning" colours give white text 3.5:1 and 2.7:1; these give 7:1 or more.
            style={"button_color": "#0d47a1", "text_color": "#ffffff"},
            tooltip="Add this person, or update the person with this name",
            layout=widgets.Layout(width="14em"),
        )
        self._list = widgets.Select(
            options=[], description="People so far:", style=LABEL_STYLE, rows=7, layout=widgets.Layout(width="30em")
        )
        self._edit = widgets.Button(description="Edit selected", layout=widgets.Layout(width="auto"))
        self._remove = widgets.Button(
            description="Remove selected",
            style={"button_color": "#8e1b13", "text_color": "#ffffff"},
            layout=widgets.Layout(width="auto"),
        )
        self._form_message = widgets.HTML()
        self._figure = widgets.HTML()
        self._add.on_click(lambda _: self._add_from_form())
        self._edit.on_click(lambda _: self._load_selected())
        self._remove.on_click(lambda _: self.remove_person(self._list.value) if self._list.value else None)
        form = widgets.VBox(
            [
                widgets.HTML("<strong>Add a person</strong> (everyone who matters, supportive or not)"),
                self._name,
                self._relationship,
                widgets.HBox([self._circle, self._support, self._conflict]),
                widgets.HBox([self._changed_box, self._focus_box]),
                self._note,
                self._add,
                self._form_message,
                self._list,
                widgets.HBox([self._edit, self._remove]),
            ],
            layout=widgets.Layout(min_width="32em"),
        )
        self.add_class("ipt-inventory")
        self._finish(
            [
                widgets.HTML(heading_html(case.title, case.text, level=heading_level(mode))),
                widgets.HBox(
                    [form, self._figure], layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start")
                ),
            ]
        )

    # -- public API ------------------------------------------------------------------------

    def add_person(
        self,
        name: str,
        relationship: str = "",
        circle: str = "middle",
        support: str = "some",
        conflict: str = "none",
        changed: bool = False,
        focus: bool = False,
        note: str = "",
    ) -> None:
        """Add a person, or replace the one with the same name (as the Add button does)."""
        name = " ".join(str(name).split())
        if not name:
            raise ValueError("name: type the person's name first")
        if circle not in CIRCLES or support not in LEVELS or conflict not in LEVELS:
            raise ValueError("circle, support or conflict is not one of the choices offered")
        entry = InventoryEntry(
            name, relationship.strip(), circle, support, conflict, bool(changed), bool(focus), note.strip()
        ).to_json()
        people = [p for p in self.people if p["name"].casefold() != name.casefold()]
        self.people = people + [entry]

    def remove_person(self, name: str) -> None:
        self.people = [p for p in self.people if p["name"] != name]

    # -- internals -------------------------------------------------------------------------

    def _add_from_form(self) -> None:
        try:
            self.add_person(
                self._name.value,
                self._relationship.value,
                self._circle.value,
                self._support.value,
                self._conflict.value,
                self._changed_box.value,
                self._focus_box.value,
                self._note.value,
            )
        except ValueError as exc:
            self._form_message.value = status_line(str(exc).split(": ", 1)[-1])
            return
        self._form_message.value = status_line(f"{self._name.value.strip()} is in the inventory.")
        self._name.value = self._relationship.value = self._note.value = ""
        self._changed_box.value = self._focus_box.value = False

    def _load_selected(self) -> None:
        person = next((p for p in self.people if p["name"] == self._list.value), None)
        if person is None:
            return
        self._name.value, self._relationship.value = person["name"], person.get("relationship", "")
        self._circle.value, self._support.value = person["circle"], person["support"]
        self._conflict.value, self._note.value = person["conflict"], person.get("note", "")
        self._changed_box.value, self._focus_box.value = person["changed"], person["focus"]

    @observe("people")
    def _on_people(self, change):
        self._changed()

    def _refresh(self) -> None:
        self._list.options = [p["name"] for p in self.people]
        self._figure.value = closeness_circle_svg(self.people)

    def _answer_json(self) -> Any:
        return {"people": list(self.people)}

    def _apply_saved(self, value: Any) -> str | None:
        entries, problem = parse_inventory(value)
        if entries is not None:
            self.people = [e.to_json() for e in entries]
        return problem

    def _score(self):
        entries, _ = parse_inventory(self._answer_json())
        return score_inventory(entries, self.case.reference)
