"""Simulated trainees submitted and autograded by nbgrader; scores read from the gradebook.

For every assignment, one autograde run grades a whole cohort, as an instructor would run it,
so the cases also show that a bad submission does not stop the grading of the others. The
expected scores are computed here from the references and the documented rules, not by the
package's scoring code; the one exception is free text, whose score comes from a language model:
there the test checks that the graded kernel reproduces what the public ``score_draft`` API gives.
"""

from __future__ import annotations

import json
import re

import pytest
from ipt_widgets.formulations import parse_reference
from ipt_widgets.scoring import score_draft
from nbgrader.api import Gradebook

from tests.nbgrader.conftest import ASSIGNMENTS, answer_key, run_nbgrader, submit

pytestmark = pytest.mark.slow

WRONG_AREA = {
    "grief": "role_transition",
    "role_transition": "grief",
    "role_dispute": "grief",
    "interpersonal_deficits": "role_transition",
    "not_indicated": "grief",
}
OTHER_REASON = {"bipolar": "psychosis", "psychosis": "bipolar", "substance": "other", "acute_risk": "other"}
OTHER_REASON["other"] = "bipolar"
OTHER_STAGE = {"renegotiation": "impasse", "impasse": "dissolution", "dissolution": "renegotiation"}
BANDS = [(4, "minimal"), (9, "mild"), (14, "moderate"), (19, "moderately_severe"), (27, "severe")]


def phq9_reading(sessions, risk=()):
    totals = [sum(s) for s in sessions]
    return {
        "sessions": sessions,
        "totals": totals,
        "band_intake": next(b for top, b in BANDS if totals[0] <= top),
        "response": "yes" if totals[-1] <= totals[0] / 2 else "no",
        "remission": "yes" if totals[-1] < 5 else "no",
        "risk": [r if isinstance(r, str) else r["action"] for r in risk],
    }


def perfect_value(item):
    ref = item["reference"]
    kind = item["kind"]
    if kind == "classification":
        value = {"area": ref["area"], "stage": ref.get("stage"), "rationale": "Onset follows the event."}
        for key in ("secondary", "not_indicated_reason"):  # a mixed presentation; "Not IPT now"
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
        return {
            "mood": ref["mood"],
            "event_weeks": ref["event_weeks"],
            "onset": ref["onset"],
            "worsening": ref["worsening"],
        }
    if kind == "phq9":
        return phq9_reading(ref["sessions"], ref["risk"])
    if kind == "transcript":
        return {"codes": {f"t{i}": t["technique"] for i, t in enumerate(ref["turns"], start=1)}}
    if kind == "draft":  # the expert's own formulation
        return parse_reference(ref).expert_formulation
    if kind == "scenario":  # the good branch at every turn, chosen from the options
        from tests.scenario_helpers import perfect_session

        return perfect_session(ref)
    raise AssertionError(f"no simulated trainee for {kind}")


ADVICE = "You should try to stay positive, get more exercise and keep busy with your friends."


def draft_fraction(item, text):
    """The share of a free-text item's points the public API gives ``text`` (rounded as grade_draft does)."""
    score = score_draft(text, parse_reference(item["reference"]))
    return round(item["points"] * score.points / score.max_points, 2) / item["points"]


def perfect_points(item):
    if item["kind"] == "draft":
        return item["points"] * draft_fraction(item, perfect_value(item))
    return item["points"]


def partial_value(item, index):
    """A partly right answer and the fraction of the points the documented rules give it."""
    ref, kind, value = item["reference"], item["kind"], perfect_value(item)
    if kind == "draft":  # generic advice instead of a formulation
        return ADVICE, draft_fraction(item, ADVICE)
    if kind == "classification":
        # Documented rules: with a secondary area the primary is worth 70% and the secondary 30%;
        # the secondary stays right here, so a wrong primary keeps its 30%.
        mixed = "secondary" in ref
        kept = 0.3 if mixed else 0.0
        if index < 2:
            wrong = {**value, "area": WRONG_AREA[ref["area"]], "stage": None}
            wrong.pop("not_indicated_reason", None)
            return wrong, kept
        if ref.get("not_indicated_reason"):  # "Not IPT now" with the wrong reason: half
            return {**value, "not_indicated_reason": OTHER_REASON[ref["not_indicated_reason"]]}, 0.5
        if ref.get("stage"):
            return {**value, "stage": OTHER_STAGE[ref["stage"]]}, 0.7 * 0.5 + 0.3 if mixed else 0.5
        return value, 1.0
    if kind == "inventory":  # everyone found and placed, but no focus relationship marked: 40% + 30%
        return {"people": [{**p, "focus": False} for p in value["people"]]}, 0.7
    if kind == "timeline":  # onset and worsening swapped: only timing (15%) and mood (15%) remain
        return {**value, "onset": ref["worsening"], "worsening": ref["onset"]}, 0.3
    if kind == "phq9":  # right scores, but every administration left to routine monitoring: an unsafe
        # choice wherever the reference calls for action, which caps the item at half its points
        assert any(r != "monitor" for r in value["risk"]), "every graded PHQ-9 case calls for action somewhere"
        return {**value, "risk": ["monitor"] * len(value["risk"])}, 0.5
    if kind == "transcript":  # the first half of the turns right, the rest given a code never accepted
        turns = ref["turns"]
        half = len(turns) // 2
        codes = dict(value["codes"])
        for i, turn in enumerate(turns[half:], start=half + 1):
            accepted = {turn["technique"], *turn.get("also_accept", [])}
            codes[f"t{i}"] = next(t for t in ("directive", "exploratory", "role_play") if t not in accepted)
        weights = [2 if t["technique"] == "missed_risk" else 1 for t in turns]  # a missed risk cue counts double
        return {"codes": codes}, sum(weights[:half]) / sum(weights)
    if kind == "scenario":  # an unhelpful line first (a longer path, perhaps), then good ones
        from tests.scenario_helpers import partial_session

        return partial_session(ref)
    raise AssertionError(kind)


def edit_locked_cells(assignment):
    """A trainee who rewrites the set-up cell and makes every test cell claim full marks."""

    def edit(nb):
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade_id") == "setup":
                cell.source = re.sub(
                    r"ResponseStore\.for_notebook\([^)]*\)", 'ResponseStore("elsewhere.json")', cell.source
                )
            elif meta.get("grade"):
                cell.source = f"{meta.get('points', 2)}.0"

    return edit


def delete_test_cells(nb):
    nb.cells = [c for c in nb.cells if not c.metadata.get("nbgrader", {}).get("grade")]


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def cohort(request, released_course):
    assignment = request.param
    key = answer_key(assignment)
    perfect = {item: perfect_value(ref) for item, ref in key.items()}
    partial, partial_score = {}, 0.0
    for index, (item, ref) in enumerate(key.items()):
        partial[item], fraction = partial_value(ref, index)
        partial_score += ref["points"] * fraction
    total = sum(perfect_points(ref) for ref in key.values())
    expected = {
        "perfect": total,
        "blank": 0.0,
        "partial": partial_score,
        "locked_editor": partial_score,
        "test_deleter": total,
        "damaged_file": 0.0,
    }
    submit(released_course, "perfect", assignment, perfect)
    submit(released_course, "blank", assignment, None)
    submit(released_course, "partial", assignment, partial)
    submit(released_course, "locked_editor", assignment, partial, edit=edit_locked_cells(assignment))
    submit(released_course, "test_deleter", assignment, perfect, edit=delete_test_cells)
    submit(released_course, "damaged_file", assignment, b'{"format": "ipt-course-responses", "items": {"g0')
    run = run_nbgrader(released_course, "autograde", assignment)
    with Gradebook(f"sqlite:///{released_course / 'gradebook.db'}") as gb:
        scores = {s: gb.find_submission(assignment, s).score for s in expected}
        cells = {
            s: {g.name: g.score for g in gb.find_submission_notebook(assignment, assignment, s).grades}
            for s in expected
        }
    return {
        "assignment": assignment,
        "key": key,
        "expected": expected,
        "scores": scores,
        "cells": cells,
        "total": total,
        "log": run.stdout + run.stderr,
    }


@pytest.mark.parametrize("student", ["perfect", "blank", "partial", "locked_editor", "test_deleter", "damaged_file"])
def test_each_trainee_gets_exactly_the_expected_score(cohort, student):
    assert cohort["scores"][student] == pytest.approx(cohort["expected"][student], abs=1e-6)


def test_no_alarming_warning_for_submissions_the_rebuild_made_clean(cohort):
    """Hidden tests make every released test cell differ from its stored source; nbgrader would
    warn "Attribute 'checksum' ... has changed" for each one of every trainee. The rebuild puts
    the stored source back first, so an instructor sees no warning that means nothing."""
    assert "has changed" not in cohort["log"]
    assert "Autograding" in cohort["log"] or "autograd" in cohort["log"].lower()


def test_partial_credit_lands_per_cell(cohort):
    cells = cohort["cells"]["partial"]
    for item, ref in cohort["key"].items():
        expected = ref["points"] * partial_value(ref, list(cohort["key"]).index(item))[1]
        assert cells[ref["grade_id"]] == pytest.approx(expected, abs=1e-6), item


def test_the_partial_score_is_neither_trivial_nor_full(cohort):
    if len(cohort["key"]) < 2:
        pytest.skip("a one-item trial assignment has no score between nothing and full marks")
    assert 0 < cohort["expected"]["partial"] < cohort["total"]


def test_feedback_teaches(cohort, released_course):
    assignment = cohort["assignment"]
    run_nbgrader(released_course, "generate_feedback", assignment, "--student", "partial")
    html = next((released_course / "feedback" / "partial" / assignment).glob("*.html")).read_text(encoding="utf-8")
    assert "Expert answer" in html and ("Partly correct" in html or "Not yet right" in html)
    assert "<script>alert" not in html
    assert "unpkg.com" not in html  # no widget state, so no widget renderer fetched from a CDN
    # The page fetches nothing: no script, style sheet or font from the internet (MathJax was one).
    assert not re.search(r"""<(script|link|img)[^>]+(src|href)=["']?(https?:)?//""", html), "feedback fetches a URL"
    assert "cdnjs" not in html and "MathJax.Hub" not in html
    assert "white-space: pre-wrap" in html  # a hidden test's long reference line wraps
    if any(ref["kind"] in ("inventory", "timeline", "phq9") for ref in cohort["key"].values()):
        assert "<svg" in html  # the expert's picture travels with the feedback


def test_graded_copies_hold_no_widgets(cohort, released_course):
    """Autograde builds stand-ins, not widgets: no widget state in the graded copy, and the
    widget cells say where the grade comes from."""
    from ipt_widgets.headless import NOTE

    assignment = cohort["assignment"]
    nb = json.loads((released_course / "autograded" / "perfect" / assignment / f"{assignment}.ipynb").read_text())
    assert not nb["metadata"].get("widgets"), "widget state was stored in the graded copy"
    outputs = [json.dumps(c.get("outputs", [])) for c in nb["cells"] if c["cell_type"] == "code"]
    assert not any("widget-view+json" in o for o in outputs)
    assert any(NOTE in o for o in outputs)
