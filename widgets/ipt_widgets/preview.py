"""Preview an item without JupyterLab: its feedback card as text, and its score.

    python -m ipt_widgets.preview ITEM [--answer KEY=VALUE ...] [--answer-file FILE] [--draft FILE]
                                       [--responses FILE] [--course DIR]

``ITEM`` is an item id from a practice file (``course/cases/*.yaml``) or from a graded
assignment (``solutions/<id>/``, whose reference is read from its hidden test cell, never run).
The answer is given as the trainee's widget saves it (docs/authoring/responses_format.md):

* ``--answer area=role_dispute stage=impasse`` (a classification), ``--answer t1=exploratory
  t2=clarification`` (a transcript: turn = technique), or ``--answer '<JSON or YAML>'``;
* ``--answer-file answer.yaml``: the same value in a file; for a free-text item, ``--draft
  draft.txt`` (or ``--answer-file``) holds the text;
* ``--responses m03_grief.responses.json``: the answer saved in a trainee's responses file.

A graded item is scored by the very function its hidden test calls, with the points of its
cell; a practice item as its widget's *Check my answer* does, with the expert answer shown.
"""

from __future__ import annotations

import argparse
import ast
import json
import tempfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .check.notebooks import literal, parse, read_notebook, source
from .check.references import GRADERS
from .schema import load_yaml

KINDS = ("cases", "inventory", "timeline", "phq9", "transcripts", "drafts")


@dataclass
class Item:
    id: str
    kind: str
    practice: Any = None  # the loaded case (practice), with its reference
    call: dict[str, Any] | None = None  # graded: grader, notebook, points, reference, title, case_file
    folder: Path | None = None


class _Text(HTMLParser):
    BLOCKS = {"p", "section", "h4", "ul", "table", "tr", "div", "article", "details", "summary", "thead", "tbody"}

    def __init__(self):
        super().__init__()
        self.out: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS or tag == "br":
            self.out.append("\n")
        elif tag == "li":
            self.out.append("\n  - ")
        elif tag == "td":
            self.out.append("  ")
        elif tag == "q":
            self.out.append("“")

    def handle_endtag(self, tag):
        if tag == "q":
            self.out.append("”")
        elif tag in self.BLOCKS:
            self.out.append("\n")

    def handle_data(self, data):
        self.out.append(data)


def html_to_text(html: str) -> str:
    """A card's text, one paragraph or list item per line (figures, being pictures, are left out)."""
    parser = _Text()
    parser.feed(html.split("<svg")[0] if "<svg" in html else html)
    lines = [" ".join(line.split()) for line in "".join(parser.out).splitlines()]
    return "\n".join(line for line in lines if line)


def find_item(item_id: str, course: Path) -> Item:
    """The practice or graded item with this id; a ValueError when there is none."""
    for path in sorted((course / "course" / "cases").glob("*.yaml")):
        item = _practice_item(item_id, path)
        if item:
            return item
    for nb_path in sorted((course / "solutions").glob("*/*.ipynb")):
        item = _graded_item(item_id, nb_path)
        if item:
            return item
    raise ValueError(f"no item {item_id!r} in {course / 'course' / 'cases'} or {course / 'solutions'}")


def _practice_item(item_id: str, path: Path) -> Item | None:
    from .casebook import SECTIONS, load_casebook
    from .cases import load_cases, read_case_yaml
    from .formulations import load_references

    data = read_case_yaml(path)
    if not isinstance(data, dict):
        return None
    if "references" in data:
        refs = load_references(path)
        return Item(item_id, "drafts", refs[item_id], folder=path.parent) if item_id in refs else None
    if "cases" in data:
        cases = load_cases(path, require_answers=True, strict=True)
        if item_id in cases:
            return Item(item_id, "cases", cases[item_id], folder=path.parent)
    if any(s in data for s in SECTIONS):
        book = load_casebook(path, require_answers=True, strict=True)
        for section in SECTIONS:
            if item_id in getattr(book, section):
                return Item(item_id, section, getattr(book, section)[item_id], folder=path.parent)
    return None


def _graded_item(item_id: str, nb_path: Path) -> Item | None:
    for cell in read_notebook(nb_path).get("cells", []):
        if not cell.get("metadata", {}).get("nbgrader", {}).get("grade") or cell.get("cell_type") != "code":
            continue
        tree = parse(source(cell))
        for node in ast.walk(tree) if tree else ():
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in GRADERS:
                args = dict(zip(("notebook", "item_id", "reference", "points"), node.args))
                args.update({k.arg: k.value for k in node.keywords if k.arg})
                values = {k: literal(v) for k, v in args.items()}
                if values.get("item_id") == item_id:
                    values["grader"] = node.func.id
                    return Item(item_id, GRADERS[node.func.id], call=values, folder=nb_path.parent)
    return None


def answer_value(item: Item, pairs: list[str], text: str | None) -> Any:
    """The answer in the responses-file format, from KEY=VALUE pairs or a JSON/YAML (or draft) text."""
    if item.kind == "drafts":
        return text if text is not None else " ".join(pairs)
    if text is None and len(pairs) == 1 and "=" not in pairs[0]:
        text = pairs[0]
    if text is not None:
        return load_yaml(text)
    value: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep:
            raise ValueError(f"--answer {pair!r}: expected KEY=VALUE")
        value[key.strip()] = load_yaml(raw) if raw.strip() else None
    if item.kind == "transcripts":
        return {"codes": value}
    return value


def preview(item: Item, value: Any) -> tuple[str, float, float]:
    """(card as text, points, max points) for ``value`` answered to ``item``."""
    with tempfile.TemporaryDirectory(prefix="ipt-preview-") as tmp:
        if item.call is not None:
            return _graded(item, value, Path(tmp))
        return _practice(item, value, Path(tmp))


def _graded(item: Item, value: Any, tmp: Path) -> tuple[str, float, float]:
    import shutil

    from . import grading
    from .store import ResponseStore

    call = dict(item.call or {})
    for path in item.folder.glob("*.yaml") if item.folder else ():
        shutil.copy(path, tmp / path.name)  # the released case files the hidden test reads
    if value is not None:
        ResponseStore.for_notebook(call["notebook"], tmp).save(item.id, value)
    cards: list[str] = []
    grader = getattr(grading, call.pop("grader"))
    kwargs = {k: v for k, v in call.items() if k in ("title", "case_file")}
    original, grading._display_html = grading._display_html, lambda html, metadata=None: cards.append(html)
    try:
        points = grader(call["notebook"], item.id, call["reference"], call["points"], directory=tmp, **kwargs)
    finally:
        grading._display_html = original
    return "\n\n".join(html_to_text(card) for card in cards), points, float(call["points"])


def _practice(item: Item, value: Any, tmp: Path) -> tuple[str, float, float]:
    from . import ui
    from .store import ResponseStore

    store = ResponseStore.for_notebook("preview", tmp)
    widget_class = {
        "cases": "VignetteClassifier",
        "inventory": "InventoryMapper",
        "timeline": "MoodTimeline",
        "phq9": "SymptomTracker",
        "transcripts": "TranscriptCoder",
        "drafts": "InterventionDrafter",
    }[item.kind]
    cls = getattr(ui, widget_class)
    widget = cls.for_task(item.practice, store) if item.kind == "drafts" else cls(item.practice, store)
    if value is not None:
        widget.set_answer(value)
    score = widget._score()
    return html_to_text(widget._card(score, reveal=True)), float(score.points), float(score.max_points)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ipt_widgets.preview", description=__doc__.splitlines()[0])
    parser.add_argument("item", help="an item id, e.g. p03_cusco_herder or g03_bihar_widow")
    parser.add_argument("--answer", nargs="*", default=[], metavar="KEY=VALUE", help="the answer (see above)")
    parser.add_argument("--answer-file", type=Path, help="the answer as JSON or YAML (a free-text item: the text)")
    parser.add_argument("--draft", type=Path, help="a free-text item's draft, as a text file")
    parser.add_argument("--responses", type=Path, help="take the answer from a trainee's .responses.json")
    parser.add_argument("--course", type=Path, default=Path("."), help="the course folder (default: here)")
    args = parser.parse_args(argv)
    try:
        item = find_item(args.item, args.course)
        text_file = args.draft or args.answer_file
        text = text_file.read_text(encoding="utf-8") if text_file else None
        if args.responses:
            saved = json.loads(args.responses.read_text(encoding="utf-8")).get("items", {})
            value = saved.get(item.id, {}).get("value")
        else:
            value = answer_value(item, args.answer, text) if (args.answer or text is not None) else None
        card, points, max_points = preview(item, value)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}")
        return 2
    kind = "graded" if item.call is not None else "practice"
    print(f"{item.id} ({kind} {item.kind} item)\n")
    print(card)
    print(f"\nScore: {points:g} of {max_points:g}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
