"""axe-core on every widget kind, in practice and graded mode, after a check: no violations
inside the course's widgets and feedback cards (WCAG 2.1 A/AA and best practice, which includes
text contrast of at least 4.5:1, named controls and table headers)."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import shot
from tests.browser.test_lab import open_and_run

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHECK = re.compile("^(Check my (answer|draft)|Compare with the expert)$")
# notebook -> the widget kinds it must show
NOTEBOOKS = {
    "course/02_initial_phase.ipynb": ["ipt-inventory", "ipt-timeline", "ipt-symptoms"],
    "course/03_grief.ipynb": ["ipt-vignette-classifier", "ipt-drafter"],
    "course/07_techniques.ipynb": ["ipt-transcript"],
    "course/11_supervision.ipynb": ["ipt-adherence"],
    "exercises/m01_problem_areas/m01_problem_areas.ipynb": ["ipt-vignette-classifier", "ipt-drafter"],
    "exercises/m02_initial_phase/m02_initial_phase.ipynb": ["ipt-inventory", "ipt-timeline", "ipt-symptoms"],
    "exercises/m07_techniques/m07_techniques.ipynb": ["ipt-transcript"],
}
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}


def axe_violations(page) -> list[dict]:
    from axe_playwright_python.base import AXE_SCRIPT

    page.evaluate(AXE_SCRIPT)
    return page.evaluate(
        """async (options) => {
            const result = await axe.run({include: [['.ipt-widget'], ['.ipt-card']]}, options);
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ': ' + n.failureSummary),
            }));
        }""",
        AXE_OPTIONS,
    )


def exercise(page, kind: str) -> None:
    """One interaction and, in practice mode, a check, in the first widget of ``kind``."""
    widget = page.locator(f".{kind}").first
    widget.scroll_into_view_if_needed()
    add = widget.get_by_role("button", name="Add or update person")
    first = widget.locator("input[type=radio], select, textarea").first
    if add.count():
        widget.get_by_label("Name:").fill("Corina")
        add.click()
    elif first.evaluate("(e) => e.tagName") == "SELECT":
        first.select_option(index=1)
    elif first.evaluate("(e) => e.tagName") == "TEXTAREA":
        first.fill("She lost her husband and has not grieved; her mood fell after his death.")
    else:
        # Click a choice not already chosen (an earlier test in the session may have saved one),
        # and click rather than check(): in graded mode the widget redraws on saving, so the
        # element Playwright clicked is replaced and its own state never reads as changed.
        widget.locator("input[type=radio]:not(:checked)").first.click()
    check = widget.get_by_role("button", name=CHECK)
    if check.count():
        check.first.click()
        widget.locator(".ipt-card").first.wait_for()
    else:
        widget.get_by_text("Saved for grading").first.wait_for()


@pytest.mark.parametrize("notebook", list(NOTEBOOKS), ids=lambda p: p.split("/")[-1].removesuffix(".ipynb"))
def test_widgets_and_cards_have_no_axe_violations(page, lab, notebook):
    open_and_run(page, lab["url"], notebook, expect=f".{NOTEBOOKS[notebook][0]}")
    for kind in NOTEBOOKS[notebook]:
        page.locator(f".{kind}").first.wait_for(state="attached", timeout=90_000)
        exercise(page, kind)
    violations = axe_violations(page)
    kinds = page.evaluate("() => document.querySelectorAll('.ipt-widget').length")
    assert kinds >= len(NOTEBOOKS[notebook])
    report = [f"{v['id']} ({v['impact']}): {v['help']}\n  " + "\n  ".join(v["nodes"]) for v in violations]
    assert violations == [], "\n".join(report)
    shot(page.locator(f".{NOTEBOOKS[notebook][0]}").first, "axe_" + notebook.split("/")[-1].removesuffix(".ipynb"))
