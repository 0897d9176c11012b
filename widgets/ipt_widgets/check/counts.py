"""Counts written in prose, checked against the files they count.

Hand-kept counts go stale unseen, so each is compared with what it counts:

* an assignment's "**Points:** 21" (and "30 scored automatically, 8 by your instructor") with
  its cells' nbgrader points; "6 short cases" with its classification items; "Case N of M"
  headings with their number and order;
* a teaching notebook's "Read four vignettes" with the classifier cells that follow it;
* the README's module table: each module's cases, transcripts, inventories, timelines, PHQ-9
  cases and points, for the teaching notebook and the graded assignment.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from .findings import Finding, error
from .notebooks import parse, read_notebook, source
from .references import GRADERS

WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
WORDS |= {"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
WIDGETS = {
    "VignetteClassifier": "cases",
    "TranscriptCoder": "transcripts",
    "InventoryMapper": "inventory",
    "MoodTimeline": "timeline",
    "SymptomTracker": "phq9",
    "InterventionDrafter": "drafts",
    "AdherenceRater": "adherence",
}
NOUNS = {
    "case": "cases",
    "cases": "cases",
    "vignette": "cases",
    "vignettes": "cases",
    "transcript": "transcripts",
    "transcripts": "transcripts",
    "inventory": "inventory",
    "inventories": "inventory",
    "timeline": "timeline",
    "timelines": "timeline",
    "session": "adherence",
    "sessions": "adherence",
    "item": "",  # counted only as "next-line items"
    "items": "",
}
# An adjective that changes what a noun counts: "2 PHQ-9 cases", "a simulated session", "2 next-line items".
ADJECTIVES = {("phq-9", "cases"): "phq9", ("simulated", "adherence"): "scenarios", ("next-line", ""): "next_lines"}
_NUMBER = r"(\d+|" + "|".join(WORDS) + r")"
_COUNT = re.compile(_NUMBER + r" ((?:[\w-]+ )?)(" + "|".join(NOUNS) + r")\b", re.IGNORECASE)


def number(text: str) -> int:
    return int(text) if text.isdigit() else WORDS[text.lower()]


def mentioned_counts(text: str) -> dict[str, int]:
    """Kind -> count for phrases like "6 short cases", "a transcript", "2 PHQ-9 cases"."""
    out: dict[str, int] = {}
    for match in _COUNT.finditer(text):
        kind = NOUNS[match.group(3).lower()]
        kind = ADJECTIVES.get((match.group(2).strip().lower(), kind), kind)
        if kind:
            out[kind] = out.get(kind, 0) + number(match.group(1))
    return out


def widget_counts(nb: dict[str, Any], turns: dict[str, int] | None = None) -> Counter:
    """Kind -> how many widgets the notebook's code cells build (teaching notebooks). A
    SessionSimulator counts as a simulated session, or as a next-line item when its scenario
    (looked up in ``turns``: scenario id -> number of turns) has one turn."""
    counts: Counter = Counter()
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            for name, kind in WIDGETS.items():
                counts[kind] += len(re.findall(rf"\b{name}(?:\.for_task)?\(", source(cell)))
            for scenario in re.findall(r"\bSessionSimulator\(\s*\w+\[\s*[\"']([\w-]+)[\"']", source(cell)):
                counts["next_lines" if (turns or {}).get(scenario) == 1 else "scenarios"] += 1
    return counts


def scenario_turns(course: Path) -> dict[str, int]:
    """Scenario id -> number of turns, over the practice scenario files (unreadable files are
    reported by the scenario check, not here)."""
    out: dict[str, int] = {}
    for path in sorted((course / "course" / "scenarios").glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            continue
        for scenario in data.get("scenarios") or [] if isinstance(data, dict) else []:
            if isinstance(scenario, dict) and isinstance(scenario.get("turns"), dict):
                out[str(scenario.get("id"))] = len(scenario["turns"])
    return out


def assignment_counts(nb: dict[str, Any]) -> tuple[Counter, float, float]:
    """(kind -> graded items, points of autograded cells, points of manually graded cells)."""
    kinds: Counter = Counter()
    auto = manual = 0.0
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        points = meta.get("points") if isinstance(meta.get("points"), (int, float)) else 0
        if not meta.get("grade"):
            continue
        if cell.get("cell_type") == "code":
            auto += points
            for name, kind in GRADERS.items():
                if re.search(rf"\b{name}\(", source(cell)):
                    kinds[kind] += 1
        else:
            manual += points
    return kinds, auto, manual


def _points_valid(nb: dict[str, Any]) -> bool:
    """False when a graded cell's points are not a number (reported on their own; no sum is then right)."""
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        points = meta.get("points")
        if meta.get("grade") and (isinstance(points, bool) or not isinstance(points, (int, float))):
            return False
    return True


def check_assignment_counts(path: Path, nb: dict[str, Any]) -> list[Finding]:
    if not _points_valid(nb):
        return _case_headings(path, nb.get("cells", []))
    kinds, auto, manual = assignment_counts(nb)
    findings = []
    cells = nb.get("cells", [])
    intro = next((c for c in cells if c.get("cell_type") == "markdown"), None)
    text = source(intro) if intro else ""
    where = f"{path}: the instructions"
    match = re.search(r"\*\*Points:\*\*\s*(\d+(?:\.\d+)?)", text)
    if match and float(match.group(1)) != auto + manual:
        findings.append(
            error(f"{where} say Points: {match.group(1)}, but the graded cells add up to {auto + manual:g}")
        )
    match = re.search(r"(\d+) scored automatically, (\d+) by your instructor", text)
    if match and (float(match.group(1)), float(match.group(2))) != (auto, manual):
        findings.append(
            error(f"{where} say {match.group(0)}, but the cells give {auto:g} automatically, {manual:g} by hand")
        )
    said = re.search(_NUMBER + r" (?:short |mixed |graded )?cases\b", text, re.IGNORECASE)
    if said and number(said.group(1)) != kinds["cases"]:
        findings.append(error(f"{where} say {said.group(0)!r}, but the notebook grades {kinds['cases']} cases"))
    findings += _case_headings(path, cells)
    return findings


def _case_headings(path: Path, cells: list[dict[str, Any]]) -> list[Finding]:
    found = [re.search(r"^#+ Case (\d+) of (\d+)", source(c), re.M) for c in cells if c.get("cell_type") == "markdown"]
    found = [m for m in found if m]
    out = []
    for position, match in enumerate(found, start=1):
        n, m = int(match.group(1)), int(match.group(2))
        if (n, m) != (position, len(found)):
            out.append(
                error(f"{path}: heading {match.group(0).lstrip('# ')!r} should read 'Case {position} of {len(found)}'")
            )
    return out


def check_teaching_counts(path: Path, nb: dict[str, Any]) -> list[Finding]:
    """ "Read four vignettes" against the classifier cells after it (up to the next text cell)."""
    out = []
    cells = nb.get("cells", [])
    for index, cell in enumerate(cells):
        if cell.get("cell_type") != "markdown":
            continue
        match = re.search(r"Read " + _NUMBER + r" (?:[\w-]+ )?(vignettes|cases)", source(cell), re.IGNORECASE)
        if not match:
            continue
        shown = 0
        for after in cells[index + 1 :]:
            if after.get("cell_type") == "markdown":
                break
            shown += len(re.findall(r"\bVignetteClassifier\(", source(after)))
        if number(match.group(1)) != shown:
            out.append(error(f"{path}: cell {index + 1} says {match.group(0)!r}, but {shown} case cells follow it"))
    return out


def check_readme(readme: Path, course: Path) -> list[Finding]:
    """The README's module table against the teaching notebooks and assignments it describes."""
    out = []
    lines = readme.read_text(encoding="utf-8").splitlines()
    for line_no, line in enumerate(lines, start=1):
        cols = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cols) != 3 or not re.match(r"\d+\. ", cols[0]):
            continue
        for col in cols[1:]:
            name = re.match(r"`([\w]+)`", col)
            if not name:
                continue
            out += _check_row(readme, line_no, name.group(1), col, course)
    return out


def _check_row(readme: Path, line_no: int, name: str, text: str, course: Path) -> list[Finding]:
    graded = name.startswith("m")
    path = course / ("solutions" / Path(name) / f"{name}.ipynb" if graded else Path("course") / f"{name}.ipynb")
    where = f"{readme}, line {line_no}: `{name}`"
    if not path.exists():
        return [error(f"{where}: no notebook {path}")]
    nb = read_notebook(path)
    if graded:
        kinds, auto, manual = assignment_counts(nb)
    else:
        kinds, auto, manual = widget_counts(nb, scenario_turns(course)), 0.0, 0.0
    out = []
    for kind, said in mentioned_counts(text.split(":", 1)[-1]).items():
        if kinds[kind] != said:
            out.append(error(f"{where} says {said} {kind}, but {path} has {kinds[kind]}"))
    if graded and _points_valid(nb):
        split = re.search(r"(\d+) points scored automatically, (\d+) by the instructor", text)
        total = re.search(r"(\d+)[ -]points?\b", text)
        if split and (float(split.group(1)), float(split.group(2))) != (auto, manual):
            out.append(error(f"{where} says {split.group(0)!r}, but the cells give {auto:g} and {manual:g}"))
        elif not split and total and float(total.group(1)) != auto + manual:
            out.append(error(f"{where} says {total.group(0)!r}, but the graded cells add up to {auto + manual:g}"))
    return out


__all__ = ["check_assignment_counts", "check_readme", "check_teaching_counts", "parse"]
