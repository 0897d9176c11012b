"""A simulated session played to the end by keyboard only, along two different paths: in
JupyterLab (a line typed in the trainee's own words, then the listed lines) and in Notebook 7
(the listed lines only, taking the unhelpful branch first). One key at a time, waiting for the
kernel between turns: a key pressed while the widget redraws can be lost."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.browser.conftest import TOKEN, saved, shot, wait_for
from tests.browser.test_accessibility import axe_violations
from tests.browser.test_keyboard import run_all_by_keyboard, tab_to
from tests.scenario_helpers import SESSION, load_session

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WIDGET = ".ipt-simulator"
SCENARIO = load_session()
SETUP = (
    "from ipt_widgets import ResponseStore, SessionSimulator, load_scenarios\n\n"
    'store = ResponseStore.for_notebook("{stem}")\n'
    'scenarios = load_scenarios("99_scenarios.yaml")'
)


def write_notebook(root, stem: str) -> str:
    shutil.copy(SESSION, root / "99_scenarios.yaml")
    cells = [
        {
            "cell_type": "code",
            "metadata": {},
            "source": SETUP.format(stem=stem),
            "outputs": [],
            "execution_count": None,
        },
        {
            "cell_type": "code",
            "metadata": {},
            "source": 'SessionSimulator(scenarios["s99_test_session"], store)',
            "outputs": [],
            "execution_count": None,
        },
        {"cell_type": "markdown", "metadata": {}, "source": "The end."},
    ]
    kernel = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb = {"cells": cells, "metadata": {"kernelspec": kernel}, "nbformat": 4, "nbformat_minor": 5}
    for i, cell in enumerate(nb["cells"]):
        cell["id"] = f"cell{i}"
    (root / f"{stem}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    return f"{stem}.ipynb"


def open_by_keyboard(page, url: str, path: str, ui: str) -> None:
    address = f"{url}/lab/tree/{path}?token={TOKEN}&reset" if ui == "lab" else f"{url}/notebooks/{path}?token={TOKEN}"
    page.goto(address)
    page.locator(".jp-Notebook .jp-Cell").first.wait_for()
    page.locator("[data-status='idle']").first.wait_for(state="attached", timeout=90_000)
    run_all_by_keyboard(page, f"{WIDGET} textarea")


def said(page, count: int) -> None:
    """Wait until the transcript holds ``count`` of the trainee's lines."""
    page.locator(f"{WIDGET} [role=log] strong", has_text="You:").nth(count - 1).wait_for(timeout=120_000)


def choose_by_keyboard(page, turn: str, branch: int, count: int) -> None:
    """Reach the listed lines (one Tab stop), arrow to the example line of ``branch`` of
    ``turn`` (the list is shuffled per turn, so find it by its text), then press the button."""
    example = SCENARIO.turns[turn].branches[branch].example
    tab_to(page, f"{WIDGET} input[type=radio]", key="Shift+Tab")
    # Entering a group backwards lands on its last line: note where, choose it, then arrow on.
    at, total, index = page.evaluate(
        "([s, text]) => { const r = [...document.querySelector(s).querySelectorAll('input[type=radio]')];"
        " const labels = r.map((e) => e.closest('label').textContent.trim());"
        " return [r.indexOf(document.activeElement), r.length, labels.indexOf(text.trim())]; }",
        [WIDGET, example],
    )
    assert index >= 0, f"no listed line reads {example!r}"
    page.keyboard.press("Space")
    page.wait_for_timeout(300)
    for _ in range((index - at) % total):
        page.keyboard.press("ArrowDown")
        page.wait_for_timeout(300)
    tab_to(page, f"{WIDGET} button", text="Say the chosen line")
    page.keyboard.press("Enter")
    said(page, count)
    page.wait_for_timeout(500)


def type_by_keyboard(page, line: str, count: int) -> None:
    tab_to(page, f"{WIDGET} textarea", key="Shift+Tab")
    page.keyboard.type(line, delay=5)
    page.wait_for_timeout(500)
    tab_to(page, f"{WIDGET} button", text="Say it")
    page.keyboard.press("Enter")
    said(page, count)
    page.wait_for_timeout(500)


def test_a_session_by_keyboard_in_jupyterlab(page, lab):
    path = write_notebook(lab["root"], "scenario_lab")
    open_by_keyboard(page, lab["url"], path, "lab")
    widget = page.locator(WIDGET).first
    assert widget.locator("[role=radiogroup]").first.get_attribute("aria-labelledby")
    tab_to(page, f"{WIDGET} textarea")
    type_by_keyboard(page, "Take me through Sunday: what did you say first, and what did he answer?", 1)
    assert "communication analysis" in widget.locator(".ipt-card").first.inner_text()
    for count, turn in enumerate(["t2", "t3", "t4", "t5", "t6"], start=2):
        choose_by_keyboard(page, turn, 0, count)
    widget.get_by_text("End of the session: how it went").wait_for()
    items = wait_for(
        lambda: (
            (saved(lab["root"], "scenario_lab.responses.json").get("s99_test_session") or {})
            .get("value", {})
            .get("done")
        )
    )
    assert items
    value = saved(lab["root"], "scenario_lab.responses.json")["s99_test_session"]["value"]
    assert value["path"] == ["t1", "t2", "t3", "t4", "t5", "t6", "end"]
    assert value["steps"][0]["technique"] == "communication_analysis" and value["steps"][1]["option"]
    assert axe_violations(page) == []  # the transcript, the summary table and the cards
    shot(widget, "simulator_lab_end")


def test_another_path_by_keyboard_in_notebook7(page, lab):
    path = write_notebook(lab["root"], "scenario_nb7")
    open_by_keyboard(page, lab["url"], path, "notebook")
    widget = page.locator(WIDGET).first
    tab_to(page, f"{WIDGET} textarea")
    choose_by_keyboard(page, "t1", 1, 1)  # the side-taking line: the patient gets stuck (t2b)
    assert "Unhelpful" in widget.locator(".ipt-card").first.inner_text()
    for count, turn in enumerate(["t2b", "t3", "t4", "t5", "t6"], start=2):
        choose_by_keyboard(page, turn, 0, count)
    widget.get_by_text("End of the session: how it went").wait_for()
    stem = "scenario_nb7.responses.json"
    assert wait_for(lambda: (saved(lab["root"], stem).get("s99_test_session") or {}).get("value", {}).get("done"))
    assert saved(lab["root"], stem)["s99_test_session"]["value"]["path"] == ["t1", "t2b", "t3", "t4", "t5", "t6", "end"]
    # Start again, by keyboard: the session is back at its first turn.
    tab_to(page, f"{WIDGET} button", text="Start again")
    page.keyboard.press("Enter")
    assert wait_for(lambda: saved(lab["root"], stem)["s99_test_session"]["value"]["steps"] == [])
    shot(widget, "simulator_notebook7_restart")
