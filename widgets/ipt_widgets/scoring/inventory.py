"""Score an interpersonal inventory (closeness circle) against the expert's.

Rules (the README repeats them):

* **key people found** (40%): the share of the expert's key people the trainee listed. A person
  is matched by name, or by a short alias such as "sister" (accents, case and punctuation are
  ignored);
* **circle placement** (30%): for each key person found, 1 for the expert's circle, 0.5 for
  an adjacent circle, 0 otherwise, averaged over the key people found;
* **focus relationship** (30%): of the people the trainee marked as "tied to the problem area",
  the share who are the expert's focus person(s) (precision), times the share of the focus
  person(s) marked (recall): exactly the right one earns 1, the right one plus another 0.5,
  the right one among ten 0.1. In a **role transition** the focus is the change itself, not one
  relationship (the Guide's transitions have no single "other"), so the expert marks the
  relationships the change altered, and the trainee earns the focus share by marking no one
  ("no single relationship", scaled by the listing share below so that padding still costs) or by
  marking only people the expert marked (precision alone: any number of them);
* **padding**: up to ``EXTRA_ALLOWANCE`` people who are not in the expert's inventory cost
  nothing (a fuller inventory is good practice). Beyond that, people found and placement are
  multiplied by ``(matched + EXTRA_ALLOWANCE) / listed``: an inventory padded with every name
  and word of the vignette earns far less than an honest partial one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..schema import at, check_keys, choice_error
from ..vocab import CIRCLES, LEVELS, PROBLEM_AREAS, area_label, normalise_area
from .base import (
    ItemScore,
    check_points,
    finish,
    is_choice,
    normalise_name,
    require_bool,
    require_mapping,
    require_text,
)

REFERENCE_FIELDS = ("area", "explanation", "people")
PERSON_FIELDS = ("name", "aliases", "relationship", "circle", "key", "focus", "note")

WEIGHTS = {"found": 0.4, "placement": 0.3, "focus": 0.3}
_CIRCLE_ORDER = list(CIRCLES)
MAX_PEOPLE = 40
MAX_FIELD_CHARS = 200
# People listed who match no one in the expert's inventory, at no cost (a GP, a neighbour...).
EXTRA_ALLOWANCE = 3


@dataclass(frozen=True)
class PersonReference:
    name: str
    aliases: tuple[str, ...]
    relationship: str
    circle: str
    key: bool
    focus: bool
    note: str


@dataclass(frozen=True)
class InventoryReference:
    """The expert inventory of one case."""

    area: str
    explanation: str
    people: tuple[PersonReference, ...]

    @classmethod
    def from_mapping(cls, data: Any, where: str) -> InventoryReference:
        data = require_mapping(data, where)
        check_keys(data, REFERENCE_FIELDS, where)
        area = normalise_area(data.get("area"))
        if not is_choice(area, PROBLEM_AREAS):
            raise choice_error(where, data, "area", data.get("area"), PROBLEM_AREAS)
        raw_people = data.get("people")
        if not isinstance(raw_people, list) or not raw_people:
            raise ValueError(f"{at(where, data, 'people')}: field 'people' must be a non-empty list")
        people = []
        for index, raw in enumerate(raw_people, start=1):
            person_at = at(f"{where}, person {index}", raw_people, index - 1)
            raw = require_mapping(raw, person_at)
            person_at = f"{where}, person {index} ({raw.get('name')!r})" if raw.get("name") else person_at
            check_keys(raw, PERSON_FIELDS, person_at)
            circle = raw.get("circle")
            if not is_choice(circle, CIRCLES):
                raise choice_error(person_at, raw, "circle", circle, CIRCLES)
            aliases = raw.get("aliases") or []
            if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
                raise ValueError(f"{at(person_at, raw, 'aliases')}: field 'aliases' must be a list of text")
            people.append(
                PersonReference(
                    name=require_text(raw, "name", person_at),
                    aliases=tuple(a for a in aliases if a.strip()),
                    relationship=require_text(raw, "relationship", person_at),
                    circle=circle,
                    key=require_bool(raw, "key", person_at, True),
                    focus=require_bool(raw, "focus", person_at, False),
                    note=require_text(raw, "note", person_at, optional=True),
                )
            )
        if not any(p.key for p in people):
            raise ValueError(f"{at(where, data, 'people')}: field 'people' needs at least one person with key: true")
        if not any(p.focus for p in people):
            raise ValueError(f"{at(where, data, 'people')}: field 'people' needs at least one person with focus: true")
        return cls(area=area, explanation=require_text(data, "explanation", where, optional=True), people=tuple(people))


@dataclass(frozen=True)
class InventoryEntry:
    """One person as the trainee entered them."""

    name: str
    relationship: str = ""
    circle: str = "middle"
    support: str = "some"
    conflict: str = "none"
    changed: bool = False
    focus: bool = False
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def parse_inventory(value: Any) -> tuple[list[InventoryEntry] | None, str | None]:
    """Stored value -> entries, or a reason it cannot be used. Never raises."""
    if value is None:
        return None, None
    if not isinstance(value, dict) or not isinstance(value.get("people"), list):
        return None, "the saved inventory is not a list of people"
    entries = []
    for raw in value["people"][:MAX_PEOPLE]:
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"].strip():
            continue
        circle = raw["circle"] if is_choice(raw.get("circle"), CIRCLES) else "middle"
        entries.append(
            InventoryEntry(
                name=raw["name"].strip()[:MAX_FIELD_CHARS],
                relationship=str(raw.get("relationship") or "")[:MAX_FIELD_CHARS],
                circle=circle,
                support=raw["support"] if is_choice(raw.get("support"), LEVELS) else "some",
                conflict=raw["conflict"] if is_choice(raw.get("conflict"), LEVELS) else "none",
                changed=raw.get("changed") is True,
                focus=raw.get("focus") is True,
                note=str(raw.get("note") or "")[:MAX_FIELD_CHARS],
            )
        )
    return entries, None


def _labels(person: PersonReference) -> tuple[set[str], set[str]]:
    """The person's names (full name, first name) and their other labels (aliases)."""
    full = normalise_name(person.name)
    names = {full}
    first = full.split()
    if first and first[0] not in {"mr", "mrs", "ms", "dr", "the", "her", "his", "their"}:
        names.add(first[0])
    aliases = {normalise_name(a) for a in person.aliases} - names
    return {n for n in names if n}, {a for a in aliases if a}


def _strength(entry: InventoryEntry, names: set[str], aliases: set[str]) -> int:
    """How an entry names a person: 2 by name, 1 by an alias or relationship, 0 not at all."""
    name = normalise_name(entry.name)
    tokens = set(name.split())
    if name in names or tokens & {n for n in names if " " not in n}:
        return 2
    relationship = normalise_name(entry.relationship)
    if name in aliases or tokens & {a for a in aliases if " " not in a} or relationship in names | aliases:
        return 1
    return 0


def match_people(entries: list[InventoryEntry], reference: InventoryReference) -> dict[int, int]:
    """Reference person index -> entry index; each entry and person is matched at most once.

    An entry that names several people equally well ("mother father sister brother...", or every
    name of the case in one line) is ambiguous and matches no one: one line of the inventory is
    one person, and a line that fits everyone says nothing about anyone.
    """
    labels = [_labels(person) for person in reference.people]
    choice: dict[int, int] = {}  # entry -> the one person it names best
    for e_index, entry in enumerate(entries):
        strengths = [_strength(entry, *lab) for lab in labels]
        best = max(strengths, default=0)
        tops = [p for p, strength in enumerate(strengths) if strength == best]
        if best and len(tops) == 1:
            choice[e_index] = tops[0]
    matches: dict[int, int] = {}
    for e_index, p_index in choice.items():  # the first entry for a person wins
        matches.setdefault(p_index, e_index)
    return matches


def score_inventory(
    entries: list[InventoryEntry] | None, reference: InventoryReference, max_points: float = 1.0
) -> ItemScore:
    """Score an inventory under the module's rules; see the module docstring."""
    check_points(max_points)
    expert = _expert_lines(reference)
    if not entries:
        return ItemScore(0.0, max_points, "unanswered", ["No people were entered."], expert, {k: 0.0 for k in WEIGHTS})

    matches = match_people(entries, reference)
    key_people = [i for i, p in enumerate(reference.people) if p.key]
    found_keys = [i for i in key_people if i in matches]
    feedback = []
    missing = [reference.people[i] for i in key_people if i not in matches]
    if missing:
        feedback.append(
            "Missing from your inventory: "
            + "; ".join(f"{p.name} ({p.relationship})" for p in missing)
            + ". Every important relationship, supportive or not, belongs in the inventory."
        )
    placement_scores = []
    for i in found_keys:
        person, entry = reference.people[i], entries[matches[i]]
        gap = abs(_CIRCLE_ORDER.index(person.circle) - _CIRCLE_ORDER.index(entry.circle))
        placement_scores.append({0: 1.0, 1: 0.5}.get(gap, 0.0))
        if gap:
            feedback.append(
                f"{entry.name}: you placed them in the {entry.circle} circle; the expert puts them in the "
                f"{person.circle} circle. {person.note}".strip()
            )
    listing, listing_note = _listing_share(entries, matches)
    if reference.area == "role_transition":  # the focus is the change, not one relationship
        focus, focus_note = _transition_focus_share(entries, reference, matches, listing)
    else:
        focus, focus_note = _focus_share(entries, reference, matches)
    if focus_note:
        feedback.append(focus_note)
    if listing_note:
        feedback.append(listing_note)
    parts = {
        "found": len(found_keys) / len(key_people) * listing,
        "placement": (sum(placement_scores) / len(placement_scores) if placement_scores else 0.0) * listing,
        "focus": focus,
    }
    return finish(
        parts,
        WEIGHTS,
        max_points,
        feedback,
        expert,
        "Your inventory matches the expert's on every key person, circle and focus.",
    )


def _expert_lines(reference: InventoryReference) -> list[str]:
    """The expert's inventory as feedback lines: the area, then one line per person."""
    expert = [f"Problem area: {area_label(reference.area)}. {reference.explanation}".strip()]
    transition = reference.area == "role_transition"
    if transition:
        expert.append(
            "The focus is the change itself, not one relationship: marking no one is right, and so is "
            "marking only relationships the change altered."
        )
    for person in reference.people:
        mark = (" (altered by the change)" if transition else " (tied to the problem area)") if person.focus else ""
        expert.append(f"{person.name}, {person.relationship}: {CIRCLES[person.circle].lower()}{mark}. {person.note}")
    return expert


def _focus_share(
    entries: list[InventoryEntry], reference: InventoryReference, matches: dict[int, int]
) -> tuple[float, str]:
    """Precision times recall of the people marked as tied to the problem area, and a note."""
    focus_refs = {i for i, p in enumerate(reference.people) if p.focus}
    marked = {i for i, e in enumerate(entries) if e.focus}
    right = {matches[i] for i in focus_refs if i in matches} & marked
    share = (len(right) / len(marked)) * (len(right) / len(focus_refs)) if marked else 0.0
    if share >= 1.0:
        return 1.0, ""
    names = ", ".join(reference.people[i].name for i in sorted(focus_refs))
    if right and len(marked) > len(right):
        return share, (
            f"You marked the right relationship as tied to the problem area, but {len(marked) - len(right)} "
            "other(s) too: the focus is the one relationship the work will be about."
        )
    if right:
        return share, f"You marked part of the focus: the relationships tied to the problem area are with {names}."
    return 0.0, f"The relationship tied to the problem area ({area_label(reference.area)}) is with {names}."


def _transition_focus_share(
    entries: list[InventoryEntry], reference: InventoryReference, matches: dict[int, int], listing: float
) -> tuple[float, str]:
    """A transition's focus: no one marked, or only relationships the change altered, and a note."""
    focus_refs = {i for i, p in enumerate(reference.people) if p.focus}
    marked = {i for i, e in enumerate(entries) if e.focus}
    if not marked:
        return listing, ""
    right = {matches[i] for i in focus_refs if i in matches} & marked
    share = len(right) / len(marked)
    if share >= 1.0:
        return 1.0, ""
    names = ", ".join(reference.people[i].name for i in sorted(focus_refs))
    return share, (
        "In a role transition the focus is the change itself, not one relationship: mark no one, or only "
        f"the relationships the change altered ({names}). You marked {len(marked) - len(right)} other(s) too."
    )


def _listing_share(entries: list[InventoryEntry], matches: dict[int, int]) -> tuple[float, str]:
    """1 unless the list is padded with more than EXTRA_ALLOWANCE people not in the case."""
    matched = set(matches.values())
    extra = [e.name for i, e in enumerate(entries) if i not in matched]
    if len(extra) <= EXTRA_ALLOWANCE:
        return 1.0, ""
    share = (len(matches) + EXTRA_ALLOWANCE) / len(entries)
    shown = ", ".join(extra[:4]) + (", ..." if len(extra) > 4 else "")
    return share, (
        f"{len(extra)} of the {len(entries)} people you listed ({shown}) are not people in this patient's "
        "life as the case describes it; an inventory padded with names earns less than one that lists "
        "the people who matter."
    )
