"""An inventory padded with every capitalised word of the vignette, all in the inner circle and
all marked as the focus, earns clearly less than an honest partial answer (real m02 cases)."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from ipt_widgets.casebook import load_casebook
from ipt_widgets.scoring.inventory import EXTRA_ALLOWANCE, InventoryReference, parse_inventory, score_inventory

ROOT = Path(__file__).resolve().parents[2]
SOLUTION = ROOT / "solutions" / "m02_initial_phase"
PRACTICE = ROOT / "course" / "cases" / "02_initial_phase.yaml"


def _graded_references() -> dict[str, InventoryReference]:
    """The expert inventories held in the hidden test cells of the m02 solutions notebook."""
    notebook = json.loads((SOLUTION / "m02_initial_phase.ipynb").read_text(encoding="utf-8"))
    references = {}
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] != "code" or "grade_inventory(" not in source:
            continue
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "grade_inventory":
                item_id = ast.literal_eval(node.args[1])
                mapping = ast.literal_eval(next(k.value for k in node.keywords if k.arg == "reference"))
                references[item_id] = InventoryReference.from_mapping(mapping, item_id)
    return references


def _cases():
    graded = load_casebook(SOLUTION / "cases.yaml").inventory
    cases = [(item_id, graded[item_id].text, ref) for item_id, ref in _graded_references().items()]
    cases += [(i, c.text, c.reference) for i, c in load_casebook(PRACTICE).inventory.items()]
    return cases


CASES = _cases()
IDS = [item_id for item_id, _, _ in CASES]


def test_the_real_cases_are_all_here():
    assert len([i for i in IDS if i.startswith("inv_g")]) == 2 and len(IDS) >= 4


def stuffed(text: str, circle: str = "inner", focus: bool = True) -> dict:
    """Every capitalised word of the vignette as a person, all in one circle, all the focus."""
    words = list(dict.fromkeys(re.findall(r"\b[A-Z][\w'’-]*", text)))
    return {"people": [{"name": w, "circle": circle, "focus": focus} for w in words]}


def person(p, **changes) -> dict:
    entry = {"name": p.name, "relationship": p.relationship, "circle": p.circle, "focus": p.focus}
    return {**entry, **changes}


def honest_wrong_focus(ref: InventoryReference) -> dict:
    """Everyone found and placed, but the focus marked on a close supporter instead: 70% today."""
    supporter = next(p for p in ref.people if p.key and not p.focus)
    return {"people": [person(p, focus=p is supporter) for p in ref.people]}


def honest_missing_two(ref: InventoryReference) -> dict:
    """The focus right, but two key people left out and one placed a circle off."""
    keys = [p for p in ref.people if p.key and not p.focus]
    kept = [p for p in ref.people if p not in keys[-2:]]
    off = {"inner": "middle", "middle": "outer", "outer": "middle"}
    return {"people": [person(p, circle=off[p.circle]) if p is keys[0] else person(p) for p in kept]}


def points(value: dict, ref: InventoryReference) -> float:
    entries, problem = parse_inventory(value)
    assert problem is None
    return score_inventory(entries, ref, 1).points


@pytest.mark.parametrize(("item_id", "text", "ref"), CASES, ids=IDS)
def test_a_stuffed_inventory_earns_clearly_less_than_an_honest_partial_one(item_id, text, ref):
    honest = min(points(honest_wrong_focus(ref), ref), points(honest_missing_two(ref), ref))
    assert honest >= 0.7
    for circle in ("inner", "middle", "outer"):
        for focus in (True, False):
            padded = points(stuffed(text, circle, focus), ref)
            assert padded <= honest - 0.25, (circle, focus, padded, honest)
    # The attack as filed: all inner, all focus; it scored 76-79% before.
    assert points(stuffed(text), ref) <= 0.4


@pytest.mark.parametrize(("item_id", "text", "ref"), CASES, ids=IDS)
def test_an_honest_answer_with_plausible_extra_people_loses_nothing(item_id, text, ref):
    full = {"people": [person(p) for p in ref.people]}
    extras = [
        {"name": "Dr Ionescu", "relationship": "GP", "circle": "outer"},
        {"name": "Tudor", "relationship": "cousin abroad", "circle": "outer"},
        {"name": "Colleague", "relationship": "workmate", "circle": "middle"},
    ][:EXTRA_ALLOWANCE]
    assert points(full, ref) == 1.0
    assert points({"people": full["people"] + extras}, ref) == 1.0
    partial = honest_missing_two(ref)
    assert points({"people": partial["people"] + extras[:2]}, ref) == points(partial, ref)


@pytest.mark.parametrize(("item_id", "text", "ref"), CASES, ids=IDS)
def test_the_padded_answer_is_told_why(item_id, text, ref):
    entries, _ = parse_inventory(stuffed(text))
    score = score_inventory(entries, ref, 4)
    assert any("not people in this patient's life" in line for line in score.feedback)
    assert any("other(s) too" in line for line in score.feedback)


RELATIONSHIP_WORDS = (
    "mother father sister brother son daughter wife husband partner friend boss colleague "
    "grandmother grandfather aunt uncle cousin neighbour teacher child parent niece nephew "
    "manager supervisor doctor girlfriend boyfriend"
)


@pytest.mark.parametrize(("item_id", "text", "ref"), CASES, ids=IDS)
def test_lines_that_name_everyone_match_no_one(item_id, text, ref):
    """Found by a red team: ten lines each holding every relationship word (and every name), the
    first marked as the focus, scored 75-85% without knowing the case."""
    names = " ".join(p.name for p in ref.people)
    for words in (RELATIONSHIP_WORDS, f"{RELATIONSHIP_WORDS} {names}"):
        lines = [
            {"name": words, "relationship": words, "circle": c, "focus": i == 0}
            for i, c in enumerate(["inner", "middle", "outer"] * 3 + ["inner"])
        ]
        entries, problem = parse_inventory({"people": lines})
        assert problem is None
        assert score_inventory(entries, ref, 4).points <= 0.25 * 4, item_id
