"""The IPT supervisor's corrections (issue 14, point 5) stay corrected.

Each test pins one correction to the text that carries it, so that a later edit cannot quietly
bring the error back: the evidence for medication against IPT, what severity and bipolar
depression call for, the remote-session emergency plan kept apart from the safety plan, Owen's
dispute handled as a renegotiation, the clinical cues and advice in four graded cases, the
inventory focus of a role transition, the portfolio and certification requirements, and one
year for each IPT manual.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
import yaml
from ipt_widgets.casebook import load_casebook
from ipt_widgets.scoring.inventory import InventoryEntry, score_inventory

from tests.conftest import REPO

COURSE = REPO / "course"
SOLUTIONS = REPO / "solutions"


def _cells(path: Path) -> list[str]:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(cell["source"]) for cell in notebook["cells"]]


def _markdown(path: Path) -> str:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return "\n\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown")


def _reference(assignment: str, item_id: str) -> dict:
    """The expert reference of one graded item, read from its hidden test without running it."""
    for source in _cells(SOLUTIONS / assignment / f"{assignment}.ipynb"):
        if f'"{item_id}"' not in source or "reference=" not in source:
            continue
        for node in ast.walk(ast.parse(source)):
            keywords = {k.arg: k.value for k in getattr(node, "keywords", [])}
            if isinstance(node, ast.Call) and "reference" in keywords and ast.literal_eval(node.args[1]) == item_id:
                return ast.literal_eval(keywords["reference"])
    raise AssertionError(f"no graded reference for {item_id} in {assignment}")


def _case_text(path: Path, item_id: str, section: str = "cases") -> str:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = data[section] if isinstance(data, dict) else data
    return next(item.get("text") or item["context"] for item in items if item["id"] == item_id)


def _teaching_texts() -> dict[str, str]:
    """Every trainee-facing text: notebooks (course and solutions), case files, the README."""
    paths = [*COURSE.glob("*.ipynb"), *SOLUTIONS.glob("*/*.ipynb")]
    texts = {str(p.relative_to(REPO)): "\n".join(_cells(p)) for p in paths}
    for path in [*(COURSE / "cases").glob("*.yaml"), *SOLUTIONS.glob("*/cases.yaml"), REPO / "README.md"]:
        texts[str(path.relative_to(REPO))] = path.read_text(encoding="utf-8")
    return texts


TEXTS = _teaching_texts()


# -- Module 1: evidence, roots, limits -------------------------------------------------------------


def test_medication_is_called_more_effective_only_with_the_outlier_qualifier():
    for name, text in TEXTS.items():
        for match in re.finditer(r"slightly (more effective|better)", text):
            window = text[max(0, match.start() - 300) : match.end() + 300]
            assert re.search(r"outl(ier|ying)", window), f"{name}: {window!r}"


def test_module_1_gives_the_2016_comparison_with_medication_and_the_tdcrp():
    text = _markdown(COURSE / "01_what_is_ipt.ipynb")
    assert "g = −0.13" in text and "no significant difference" in text
    assert "TDCRP" in text and "Elkin et al., 1989" in text
    assert "Elkin, I., Shea, M. T." in text  # in the reference list too


def test_module_1_names_the_theoretical_roots():
    text = _markdown(COURSE / "01_what_is_ipt.ipynb")
    for name in ("Adolf Meyer", "Harry Stack Sullivan", "John Bowlby"):
        assert name in text


def test_severity_and_bipolar_depression_are_taught_accurately():
    for name, text in TEXTS.items():
        assert "Severe depression and bipolar depression call for" not in text, name
    text = _markdown(COURSE / "01_what_is_ipt.ipynb")
    assert re.search(r"Severe depression without psychotic features\*\*: .*IPT \*\*together with antidepressant", text)
    assert re.search(
        r"can no longer eat or drink, or a high risk of suicide\*\*: medical and psychiatric care comes first", text
    )
    assert re.search(r"Bipolar depression\*\*: the patient needs mood-stabilising treatment", text)


# -- The remote-session emergency plan is not the safety plan -------------------------------------


def _remote_plan_passages() -> dict[str, str]:
    module9 = next(c for c in _cells(COURSE / "09_adaptations.ipynb") if c.startswith("### 4.4 Remote delivery"))
    capstone = _markdown(COURSE / "10_capstone.ipynb")
    return {
        "Module 9, 4.4 (its list)": "\n".join(line for line in module9.splitlines() if line.startswith("- ")),
        "Module 9, practice marker": next(
            line for line in _markdown(COURSE / "09_adaptations.ipynb").splitlines() if "In telehealth" in line
        ),
        "Module 10, the contract": next(p for p in capstone.split("\n\n") if p.startswith("**The contract.**")),
        "p08 Quito": _case_text(COURSE / "cases" / "08_termination.yaml", "p08_quito_couple"),
        "p09 Nova Scotia": _case_text(
            COURSE / "cases" / "09_adaptations.yaml", "tr_p09_novascotia_new_mother", "transcripts"
        ),
        "m08 Yerevan": _reference("m08_termination", "g08_yerevan_deficits")["explanation"],
    }


@pytest.mark.parametrize(("where", "text"), _remote_plan_passages().items())
def test_remote_sessions_have_an_emergency_plan_not_a_safety_plan(where, text):
    assert "emergency plan" in text, where
    assert "safety plan" not in text.lower(), where


def test_module_9_tells_the_two_plans_apart():
    module9 = next(c for c in _cells(COURSE / "09_adaptations.ipynb") if c.startswith("### 4.4 Remote delivery"))
    assert "It is not a **safety plan**" in module9 and "A remote patient at risk needs both" in module9


# -- Module 10: Owen is at renegotiation -----------------------------------------------------------


def test_owen_is_helped_to_renegotiate_not_to_reopen_an_impasse():
    text = _markdown(COURSE / "10_capstone.ipynb")
    assert "louder before" not in text
    sessions = text.split("### Sessions 4–5")[1].split("###")[0]
    assert "in renegotiation the task is to lower the heat" in sessions


# -- Graded cases ----------------------------------------------------------------------------------


def test_rogelio_shows_a_lifelong_pattern_and_gets_medication_and_maintenance():
    text = _case_text(SOLUTIONS / "m01_problem_areas" / "cases.yaml", "g06_puebla_mechanic")
    assert "always been like this with people" in text and "never had a close friend" in text
    assert "third episode" in text
    explanation = _reference("m01_problem_areas", "g06_puebla_mechanic")["explanation"]
    assert "antidepressant medication" in explanation and "maintenance" in explanation
    assert "Reynolds et al., 2006" in explanation


@pytest.mark.parametrize(
    ("assignment", "item_id", "cue"),
    [
        ("m01_problem_areas", "g07_saida_teacher", "the calls end in shouting"),
        ("m04_role_disputes", "g04_gothenburg_partner_leaving", "end in raised voices"),
    ],
)
def test_dissolution_cases_have_a_live_conflict_and_the_feedback_names_it(assignment, item_id, cue):
    assert cue in _case_text(SOLUTIONS / assignment / "cases.yaml", item_id)
    reference = _reference(assignment, item_id)
    assert (reference["area"], reference["stage"]) == ("role_dispute", "dissolution")
    assert "live" in reference["explanation"]


def test_mele_post_stroke_depression_brings_in_the_stroke_team_and_medication():
    explanation = _reference("m03_grief", "g03_tonga_move")["explanation"]
    assert "liaises with the stroke team" in explanation and "antidepressant" in explanation


# -- A role transition's inventory ------------------------------------------------------------------


def _transition_inventories():
    for path in [*(COURSE / "cases").glob("*.yaml"), *SOLUTIONS.glob("*/cases.yaml")]:
        book = load_casebook(path)
        for item_id, case in book.inventory.items():
            if case.reference is not None and case.reference.area == "role_transition":
                yield item_id, case.reference


@pytest.mark.parametrize(("item_id", "reference"), list(_transition_inventories()))
def test_a_transition_inventory_accepts_no_single_relationship_or_several(item_id, reference):
    def answer(marked):
        return [InventoryEntry(p.name, p.relationship, p.circle, focus=p.name in marked) for p in reference.people]

    altered = {p.name for p in reference.people if p.focus}
    assert len(altered) >= 2, f"{item_id}: mark every relationship the change altered"
    assert score_inventory(answer(set()), reference, 1).points == 1.0
    assert score_inventory(answer(altered), reference, 1).points == 1.0


# -- Certification, the README and the manuals -----------------------------------------------------


def test_the_portfolio_lists_the_recording_gad7_and_interpersonal_summary():
    text = _markdown(COURSE / "10_capstone.ipynb")
    portfolio = next(p for p in text.split("\n\n") if "Level B portfolio" in p)
    for part in ("interpersonal summary", "GAD-7", "recording of one session", "ISIPT-endorsed trainer"):
        assert part in portfolio


def test_module_9_measures_adolescents_with_the_phq_a():
    text = _markdown(COURSE / "09_adaptations.ipynb")
    assert "**PHQ-A**" in text and "Johnson, J. G., Harris, E. S." in text


def test_the_readme_gives_m01_its_real_points():
    notebook = json.loads((SOLUTIONS / "m01_problem_areas" / "m01_problem_areas.ipynb").read_text(encoding="utf-8"))
    points = sum(
        c["metadata"]["nbgrader"]["points"] for c in notebook["cells"] if c["metadata"].get("nbgrader", {}).get("grade")
    )
    row = next(line for line in TEXTS["README.md"].splitlines() if "`m01_problem_areas`:" in line)
    assert f"{points:g} points" in row


def test_the_readme_never_says_the_course_meets_isipt_training_on_its_own():
    readme = " ".join(TEXTS["README.md"].split())
    assert "does not by itself meet that requirement" in readme
    assert "ISIPT-endorsed trainer" in readme and "ISIPT-endorsed supervisor" in readme
    assert not re.search(r"(meets|satisfies|fulfils|covers) (the )?(ISIPT|16[- ]hour)", readme)


MANUAL_TITLE = re.compile(r"\*(The |Comprehensive )?guide to interpersonal psychotherapy\*", re.IGNORECASE)


def _manual_citations(text: str):
    """(manual, year) for each italic title: APA "(YEAR). *Title*" or in-text "*Title* (..., YEAR)"."""
    text = " ".join(text.split())
    for match in MANUAL_TITLE.finditer(text):
        manual = "Comprehensive Guide" if (match.group(1) or "").lower().startswith("comp") else "Guide"
        before = re.search(r"\((\d{4})\)\.\s*$", text[max(0, match.start() - 12) : match.start()])
        after = re.match(r"\s*\((?:[^()]*?,\s*)?(\d{4})\)", text[match.end() :])
        found = before or after
        yield manual, found.group(1) if found else None


def test_each_ipt_manual_is_cited_with_one_year_everywhere():
    texts = dict(TEXTS)
    for path in [*(REPO / "docs").rglob("*.md"), *(REPO / "widgets" / "ipt_widgets").rglob("*.py")]:
        texts[str(path.relative_to(REPO))] = path.read_text(encoding="utf-8")
    years: dict[str, set] = {"Guide": set(), "Comprehensive Guide": set()}
    for name, text in texts.items():
        flat = " ".join(text.split())
        plain = len(re.findall(r"guide to interpersonal psychotherapy", flat, re.IGNORECASE))
        citations = list(_manual_citations(text))
        assert len(citations) == plain, f"{name}: a manual named without italics, which this test cannot read"
        for manual, year in citations:
            assert year, f"{name}: the {manual} cited without a year"
            years[manual].add(year)
    assert years == {"Guide": {"2017"}, "Comprehensive Guide": {"2000"}}
