"""Fill the embedding cache from the grader's own, trusted process before any kernel grades.

Graded kernels run in a sandbox that mounts the embedding cache read-only (a kernel must not be
able to poison what later kernels read), so they cannot fill it themselves. Without this step
every free-text item would embed its reference's fixed texts again in every graded notebook.
References are read from the hidden test cells of ``solutions/`` by parsing (``ast``), never by
running them.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path


def draft_references(notebook: Path, function: str = "grade_draft") -> list[str]:
    """The YAML text of every ``grade_draft(..., reference=...)`` (or ``function``) in a solutions notebook."""
    found = []
    for cell in json.loads(notebook.read_text(encoding="utf-8")).get("cells", []):
        source = "".join(cell.get("source", "")) if cell.get("cell_type") == "code" else ""
        if function not in source:
            continue
        try:
            tree = ast.parse(source)  # nbgrader's hidden-test markers are comments
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == function:
                for kw in node.keywords:
                    if kw.arg == "reference" and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                        found.append(kw.value.value)
    return found


def warm_embedding_cache(course: Path, assignments: list[str]) -> int:
    """Embed the fixed texts of every free-text reference of ``assignments``; return how many."""
    from ..formulations import parse_reference
    from ..scoring.encoder import cache_dir

    if cache_dir() is None:
        return 0
    warmed = 0
    for aid in assignments:
        for notebook in sorted((course / "solutions" / aid).glob("*.ipynb")):
            for text in draft_references(notebook):
                try:
                    from ..scoring.free_text import score_draft

                    ref = parse_reference(text, f"{notebook}, grade_draft reference")
                    score_draft(ref.expert_formulation, ref)  # embeds and stores the fixed texts
                    warmed += 1
                except Exception:  # a broken reference fails loudly in its own test cell instead
                    continue
            warmed += _warm_scenarios(notebook)
    return warmed


def _warm_scenarios(notebook: Path) -> int:
    """The line coder's exemplars, general and each turn's own, of every graded scenario."""
    warmed = 0
    for text in draft_references(notebook, "grade_scenario"):
        try:
            from ..scenario_release import parse_key
            from ..scoring.line_match import warm
            from ..scoring.scenario_coder import context_for

            scenario, _ = parse_key(text, f"{notebook}, grade_scenario reference")
            for turn in scenario.turns.values():
                warm(context_for(turn, scenario).exemplars)
            warmed += 1
        except Exception:  # a broken key fails loudly in its own test cell instead
            continue
    return warmed
