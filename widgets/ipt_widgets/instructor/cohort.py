"""Synthetic trainees: answers written as the widgets would save them, for rehearsing the cycle.

An instructor (or CI) can rehearse release → collect → autograde → feedback → export on a cohort
of any size before real trainees arrive. Each synthetic trainee follows a profile:

* ``strong``: the expert answer to every item (free text: the expert formulation);
* ``partial``: the expert answer to every other item, a wrong one to the rest;
* ``blank``: opened the notebook and submitted nothing;
* ``tampered``: strong answers, but the notebook was tampered with (locked cells edited to claim
  full marks, test cells deleted, renamed) or the responses file damaged.

The answer key is read from the hidden tests of the instructor's source notebooks
(solutions/<assignment>/*.ipynb), never from a released file.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

PROFILES = ("strong", "partial", "blank", "tampered")
# Built, not spelled out: the package's code must not contain nbgrader's markers (a test checks
# that no solution or hidden test ever reaches the wheel).
_HIDDEN_MARKERS = tuple(f"### {edge} HIDDEN TESTS" for edge in ("BEGIN", "END"))
TAMPERING = ("edit_locked_cells", "delete_test_cells", "damaged_responses", "renamed_notebook")
_WRONG_AREA = {
    "grief": "role_transition",
    "role_transition": "grief",
    "role_dispute": "grief",
    "interpersonal_deficits": "role_transition",
    "not_indicated": "role_transition",
}


def answer_key(source_dir: Path) -> dict[str, dict[str, Any]]:
    """Item id -> {kind, reference, points, grade_id, notebook} for one assignment's source folder."""
    key: dict[str, dict[str, Any]] = {}
    for path in sorted(Path(source_dir).glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if cell["cell_type"] != "code" or not meta.get("grade"):
                continue
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            for marker in _HIDDEN_MARKERS:
                source = source.replace(marker, "")
            for node in ast.walk(ast.parse(source)):
                name = getattr(getattr(node, "func", None), "id", "")
                if isinstance(node, ast.Call) and name.startswith("grade_"):
                    kwargs = {k.arg: k.value for k in node.keywords}
                    key[ast.literal_eval(node.args[1])] = {
                        "kind": name.removeprefix("grade_"),
                        "reference": ast.literal_eval(kwargs["reference"]),
                        "points": ast.literal_eval(kwargs["points"]),
                        "grade_id": meta["grade_id"],
                        "notebook": path.stem,
                    }
    return key


def manual_answers(source_dir: Path) -> dict[str, str]:
    """Grade id -> the model answer of each manually graded (markdown) answer cell."""
    out = {}
    for path in sorted(Path(source_dir).glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if meta.get("grade") and meta.get("solution") and cell["cell_type"] == "markdown":
                source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
                out[meta["grade_id"]] = source
    return out


def strong_value(item: dict[str, Any]) -> Any:
    ref, kind = item["reference"], item["kind"]
    if kind == "classification":
        value = {"area": ref["area"], "stage": ref.get("stage"), "rationale": "The onset follows the key event."}
        for key in ("secondary", "not_indicated_reason"):
            if key in ref:
                value[key] = ref[key]
        return value
    if kind == "inventory":
        return {
            "people": [
                {
                    "name": p["name"],
                    "relationship": p["relationship"],
                    "circle": p["circle"],
                    "support": "some",
                    "conflict": "none",
                    "changed": False,
                    "focus": p["focus"],
                }
                for p in ref["people"]
            ]
        }
    if kind == "timeline":
        return {k: ref[k] for k in ("mood", "event_weeks", "onset", "worsening")}
    if kind == "phq9":
        totals = [sum(s) for s in ref["sessions"]]
        bands = [(4, "minimal"), (9, "mild"), (14, "moderate"), (19, "moderately_severe"), (27, "severe")]
        return {
            "sessions": ref["sessions"],
            "totals": totals,
            "band_intake": next(b for top, b in bands if totals[0] <= top),
            "response": "yes" if totals[-1] <= totals[0] / 2 else "no",
            "remission": "yes" if totals[-1] < 5 else "no",
            "risk": [r if isinstance(r, str) else r["action"] for r in ref.get("risk") or []],
        }
    if kind == "transcript":
        return {"codes": {f"t{i}": t["technique"] for i, t in enumerate(ref["turns"], start=1)}}
    if kind == "draft":
        import yaml

        data = yaml.safe_load(ref) if isinstance(ref, str) else ref
        return data["expert_formulation"]
    if kind == "scenario":
        return played_session(ref, best=True)
    raise ValueError(f"no synthetic answer for items of kind {kind!r}")


def played_session(reference: Any, best: bool) -> dict[str, Any]:
    """A session saved as the simulator saves it, each line written as the example of the turn's
    best branch (``best``) or of its worst; grading re-codes the lines."""
    from ..scenario_format import END
    from ..scenario_release import parse_key

    scenario, _ = parse_key(reference, "synthetic cohort, scenario reference")
    steps, turn = [], scenario.start
    while turn != END and turn in scenario.turns and len(steps) < len(scenario.turns):
        branches = scenario.turns[turn].branches
        pick = (max if best else min)(range(len(branches)), key=lambda i: branches[i].value)
        steps.append({"turn": turn, "line": branches[pick].example, "branch": pick})
        turn = branches[pick].next
    return {"scenario": scenario.id, "steps": steps, "path": [s["turn"] for s in steps], "done": turn == END}


def weak_value(item: dict[str, Any]) -> Any:
    """A plausible wrong answer."""
    ref, kind = item["reference"], item["kind"]
    if kind == "classification":
        return {"area": _WRONG_AREA[ref["area"]], "stage": None, "rationale": "It looked like a life change."}
    if kind == "draft":
        return "You should try to stay positive, get more exercise and keep busy with friends."
    if kind == "scenario":
        return played_session(ref, best=False)
    value = strong_value(item)
    if kind == "inventory":
        return {"people": [{**p, "focus": False, "circle": 3} for p in value["people"]]}
    if kind == "timeline":
        return {**value, "onset": value["worsening"], "worsening": value["onset"]}
    if kind == "phq9":
        wrong = {"response": "no" if value["response"] == "yes" else "yes", "band_intake": "mild"}
        return {**value, **wrong, "risk": ["monitor"] * len(value["sessions"])}  # risk left to monitoring
    if kind == "transcript":
        return {"codes": {k: "directive" for k in value["codes"]}}
    raise ValueError(kind)


def responses_document(assignment: str, values: dict[str, Any]) -> str:
    """A responses file as the widgets write it."""
    return json.dumps(
        {
            "format": "ipt-course-responses",
            "version": 1,
            "notebook": assignment,
            "items": {k: {"value": v, "saved_at": "2026-11-01T10:00:00+00:00"} for k, v in values.items()},
        },
        indent=1,
    )


def profile_for(index: int) -> str:
    """Profiles in a fixed mix: 4 strong, 3 partial, 2 blank and 1 tampered in every 10 (all four in any 4)."""
    return ("strong", "partial", "blank", "tampered", "strong", "partial", "strong", "partial", "blank", "strong")[
        index % 10
    ]


def write_submission(
    folder: Path, release: Path, assignment: str, key: dict, manual: dict, profile: str, index: int
) -> str:
    """Fill ``folder`` (a copy of the released assignment) as a trainee of ``profile`` would.

    Returns a short description (e.g. "tampered: delete_test_cells") for logs.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for path in release.iterdir():
        if path.is_file():
            (folder / path.name).write_bytes(path.read_bytes())
    notebooks = sorted(folder.glob("*.ipynb"))
    values: dict[str, dict[str, Any]] = {}
    for n, (item, spec) in enumerate(key.items()):
        if profile in ("strong", "tampered") or (profile == "partial" and n % 2 == 0):
            value = strong_value(spec)
        elif profile == "partial":
            value = weak_value(spec)
        else:
            continue
        values.setdefault(spec["notebook"], {})[item] = value
    for nb_path in notebooks:
        if nb_path.stem in values:
            (folder / f"{nb_path.stem}.responses.json").write_text(
                responses_document(nb_path.stem, values[nb_path.stem]), encoding="utf-8"
            )
        if profile in ("strong", "tampered", "partial") and manual:
            _fill_manual(nb_path, manual, full=profile != "partial")
    detail = profile
    if profile == "tampered":
        how = TAMPERING[index % len(TAMPERING)]
        detail = f"tampered: {how}"
        _tamper(folder, notebooks, how)
    return detail


def _fill_manual(path: Path, manual: dict[str, str], full: bool) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in manual:
            text = manual[grade_id] if full else manual[grade_id].split("\n\n")[0]
            cell["source"] = text
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False), encoding="utf-8")


def _tamper(folder: Path, notebooks: list[Path], how: str) -> None:
    if how == "damaged_responses":
        for path in folder.glob("*.responses.json"):
            path.write_text('{"format": "ipt-course-responses", "items": {"g0', encoding="utf-8")
        return
    for path in notebooks:
        if how == "renamed_notebook":
            path.rename(path.with_name(f"{path.stem} (1).ipynb"))
            continue
        nb = json.loads(path.read_text(encoding="utf-8"))
        if how == "delete_test_cells":
            nb["cells"] = [c for c in nb["cells"] if not c.get("metadata", {}).get("nbgrader", {}).get("grade")]
        else:  # edit_locked_cells: every test cell claims full marks
            for cell in nb["cells"]:
                meta = cell.get("metadata", {}).get("nbgrader", {})
                if meta.get("grade") and cell["cell_type"] == "code":
                    cell["source"] = f"{meta.get('points', 1)}.0"
        path.write_text(json.dumps(nb, indent=1, ensure_ascii=False), encoding="utf-8")
