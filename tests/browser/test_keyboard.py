"""A new trainee's first hour, by keyboard only: Module 0, then the m01 assignment.

Every step is a key press: the command palette runs the cells, Tab reaches the widgets, the
arrow keys choose, letter keys pressed on focused controls stay in the widget (the notebook
keeps its cells), and Validate reports the unanswered cases in plain words.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import TOKEN, saved, shot, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Notebook command-mode shortcuts that change cells: cut, copy-paste, add above and below,
# to Markdown, to raw, undo, merge, delete (d d).
CELL_SHORTCUTS = ["x", "v", "a", "b", "m", "r", "z", "Shift+M", "d", "d", "ArrowDown", "ArrowUp", "j", "k"]


def cell_count(page) -> int:
    return page.locator(".jp-Notebook .jp-Cell").count()


def focus_inside(page, selector: str) -> bool:
    return page.evaluate("(s) => !!document.activeElement && !!document.activeElement.closest(s)", selector)


def tab_to(page, selector: str, *, key: str = "Tab", limit: int = 250, text: str = "", nth: int = 0) -> None:
    """Press Tab (or ``key``) until the focused element matches ``selector`` (holding ``text``,
    and inside the ``nth`` course widget when ``selector`` is in one)."""
    probe = """([s, text, nth]) => {
        const e = document.activeElement;
        if (!e || !e.matches(s) || !e.textContent.includes(text)) return false;
        const host = e.closest('.ipt-widget');
        return !host || [...document.querySelectorAll('.ipt-widget')].indexOf(host) >= nth;
    }"""
    for _ in range(limit):
        if page.evaluate(probe, [selector, text, nth]):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{key} never reached {selector} {text!r}")


def open_notebook(page, url: str, path: str) -> None:
    page.goto(f"{url}/lab/tree/{path}?token={TOKEN}&reset")
    page.locator(".jp-Notebook .jp-Cell").first.wait_for()
    page.locator("[data-status='idle']").first.wait_for(state="attached", timeout=90_000)


def run_all_by_keyboard(page, expect: str) -> None:
    """Ctrl+Shift+C opens the command palette; type the command, Enter."""
    for attempt in range(2):
        page.locator(".jp-Notebook").first.focus()
        page.keyboard.press("Escape")
        page.keyboard.press("Control+Shift+C")
        palette = page.locator(".lm-CommandPalette-input, .p-CommandPalette-input").first
        palette.wait_for()
        page.keyboard.type("Run All Cells")
        page.keyboard.press("Enter")
        try:
            page.locator(expect).first.wait_for(timeout=60_000 if attempt else 45_000)
            return
        except Exception:  # noqa: BLE001 - Playwright's TimeoutError: a lost run on a loaded machine; once more
            continue
    raise AssertionError(f"no {expect} after Run All Cells")


def test_module0_by_keyboard(page, lab):
    open_notebook(page, lab["url"], "course/00_orientation.ipynb")
    run_all_by_keyboard(page, ".ipt-vignette-classifier input[type=radio]")
    widget = page.locator(".ipt-vignette-classifier").first
    # The radio group is one Tab stop, labelled, with arrows moving inside it.
    group = widget.locator("[role=radiogroup]").first
    group.wait_for()
    assert group.get_attribute("aria-labelledby")
    assert widget.evaluate("(w) => w.hasAttribute('data-lm-suppress-shortcuts')")
    tab_to(page, ".ipt-vignette-classifier input[type=radio]")
    cells = cell_count(page)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert focus_inside(page, ".ipt-vignette-classifier")
    for key in CELL_SHORTCUTS:
        page.keyboard.press(key)
    assert cell_count(page) == cells, "a key pressed on a widget changed the notebook's cells"
    assert focus_inside(page, ".ipt-vignette-classifier")
    chosen = widget.locator("input[type=radio]:checked")
    assert chosen.count() == 1
    # One more Tab leaves the group for the rationale: the group was a single stop.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "TEXTAREA"
    page.keyboard.type("Her mood fell when she moved for work; xmab are just letters.")
    assert cell_count(page) == cells
    tab_to(page, ".ipt-vignette-classifier button")
    page.keyboard.press("Enter")
    card = widget.locator(".ipt-card")
    card.wait_for()
    items = wait_for(lambda: saved(lab["root"], "course/00_orientation.responses.json"))
    assert next(iter(items.values()))["value"]["rationale"].startswith("Her mood fell")
    shot(widget, "keyboard_module0")


def test_m01_assignment_by_keyboard_then_validate(page, lab):
    open_notebook(page, lab["url"], "exercises/m01_problem_areas/m01_problem_areas.ipynb")
    run_all_by_keyboard(page, ".ipt-vignette-classifier input[type=radio]")
    cells = cell_count(page)
    # Case 1: Tab into its group, arrow to an answer, letters stay in the widget.
    tab_to(page, ".ipt-vignette-classifier input[type=radio]")
    page.keyboard.press("ArrowDown")
    for key in CELL_SHORTCUTS:
        page.keyboard.press(key)
    assert cell_count(page) == cells, "a key pressed on a widget changed the notebook's cells"
    first = page.locator(".ipt-vignette-classifier").first
    first.get_by_text("Saved for grading").first.wait_for()
    items = wait_for(lambda: saved(lab["root"], "exercises/m01_problem_areas/m01_problem_areas.responses.json"))
    assert items["g01_coffee_grower"]["value"]["area"]
    # Validate, reached by Shift+Tab in the notebook's toolbar and pressed with Enter.
    tab_to(page, "button, [role=button]", key="Shift+Tab", text="Validate", limit=400)
    page.keyboard.press("Enter")
    dialog = page.locator(".jp-Dialog")
    dialog.wait_for()
    text = wait_for(lambda: dialog.inner_text() if "Validating" not in dialog.inner_text() else "", timeout=120)
    assert "Case 2 is not answered yet." in text, text[:1500]
    assert "Case 1 is not answered" not in text
    assert "Traceback" not in text and "Partial credit" not in text and "g02_third_year_student" not in text
    shot(dialog, "keyboard_validate")
    page.keyboard.press("Escape")
    assert cell_count(page) == cells
