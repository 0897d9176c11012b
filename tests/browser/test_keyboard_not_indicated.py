"""The classifier's "Not IPT now" follow-up, by keyboard only: it appears when chosen, is one
labelled radio group (one Tab stop, arrows inside), and its answer is saved."""

from __future__ import annotations

import pytest

from tests.browser.conftest import saved, shot, wait_for
from tests.browser.test_keyboard import focus_inside, open_notebook, run_all_by_keyboard, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_not_ipt_now_opens_one_labelled_reason_group(page, lab):
    open_notebook(page, lab["url"], "course/00_orientation.ipynb")
    run_all_by_keyboard(page, ".ipt-vignette-classifier input[type=radio]")
    widget = page.locator(".ipt-vignette-classifier").first
    groups = widget.locator(".widget-radio")  # area, stage, reason, secondary
    reason = groups.nth(2)
    assert not reason.is_visible()
    tab_to(page, ".ipt-vignette-classifier input[type=radio]")
    # Down to the fifth choice, one key at a time as a person would (choosing a role dispute shows
    # its stage group, and a key pressed while the widget redraws is lost). Tab lands on the
    # checked choice, which an earlier test in this session may have made any of the five.
    active = "(document.activeElement.closest('label') || {}).textContent || ''"
    for _ in range(5):
        before = page.evaluate(active)
        if "Not IPT now" in before:
            break
        page.keyboard.press("ArrowDown")
        wait_for(lambda before=before: page.evaluate(active) != before or None)
    assert "Not IPT now" in page.evaluate(active)
    reason.wait_for(state="visible")
    box = reason.locator("[role=radiogroup]")
    label_id = box.get_attribute("aria-labelledby")
    assert label_id and page.locator(f"#{label_id}").inner_text().strip() == "Why not IPT now:"
    names = box.evaluate("(b) => [...b.querySelectorAll('input[type=radio]')].map((r) => r.name)")
    assert len(names) == 5 and len(set(names)) == 1  # one group: a single Tab stop
    page.keyboard.press("Tab")  # the next stop is the reason group
    assert focus_inside(page, ".ipt-vignette-classifier [role=radiogroup]")
    assert page.evaluate("document.activeElement.name") == names[0]
    page.keyboard.press("ArrowDown")  # bipolar -> psychosis
    page.keyboard.press("Tab")  # one stop: the next Tab leaves for the rationale
    assert page.evaluate("document.activeElement.tagName") == "TEXTAREA"
    items = wait_for(
        lambda: {
            k: v
            for k, v in saved(lab["root"], "course/00_orientation.responses.json").items()
            if v["value"].get("not_indicated_reason") == "psychosis"
        }
    )
    assert next(iter(items.values()))["value"]["area"] == "not_indicated"
    shot(widget, "keyboard_not_indicated")


MIXED_CASE = """cases:
- id: m1
  title: A mixed presentation
  text: A fictional patient whose mood fell after a death, with a live quarrel over the estate.
  answer:
    area: grief
    secondary: role_dispute
  explanation: The death came first.
  secondary_explanation: The quarrel is live.
  distractors:
    role_dispute: Not first.
    role_transition: No change of role.
    interpersonal_deficits: A recent event.
"""


def test_a_mixed_case_asks_for_a_secondary_area_in_one_labelled_group(page, lab):
    import nbformat

    root = lab["root"]
    (root / "mixed_probe.yaml").write_text(MIXED_CASE, encoding="utf-8")
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "from ipt_widgets import ResponseStore, VignetteClassifier, load_cases\n"
            'store = ResponseStore.for_notebook("mixed_probe")\n'
            'VignetteClassifier(load_cases("mixed_probe.yaml", require_answers=True)["m1"], store)'
        ),
        nbformat.v4.new_markdown_cell("The end."),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, root / "mixed_probe.ipynb")
    open_notebook(page, lab["url"], "mixed_probe.ipynb")
    run_all_by_keyboard(page, ".ipt-vignette-classifier input[type=radio]")
    widget = page.locator(".ipt-vignette-classifier").first
    secondary = widget.locator(".widget-radio").nth(3)
    secondary.wait_for(state="visible")
    box = secondary.locator("[role=radiogroup]")
    label_id = box.get_attribute("aria-labelledby")
    assert label_id and page.locator(f"#{label_id}").inner_text().strip() == "Secondary problem area:"
    names = box.evaluate("(b) => [...b.querySelectorAll('input[type=radio]')].map((r) => r.name)")
    assert len(names) == 5 and len(set(names)) == 1  # four areas and "None": one Tab stop
    tab_to(page, ".ipt-vignette-classifier input[type=radio]")
    page.keyboard.press("ArrowDown")  # grief -> role dispute as the primary: its stage group shows...
    widget.locator(".widget-radio").nth(1).wait_for(state="visible")
    page.keyboard.press("ArrowUp")  # ...and back to grief: the stage group hides again
    widget.locator(".widget-radio").nth(1).wait_for(state="hidden")
    page.keyboard.press("Tab")  # the next stop is the secondary group
    assert page.evaluate("document.activeElement.name") == names[0]
    page.keyboard.press("ArrowDown")  # grief -> role dispute
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "TEXTAREA"
    items = wait_for(
        lambda: {k: v for k, v in saved(root, "mixed_probe.responses.json").items() if v["value"].get("secondary")}
    )
    assert items["m1"]["value"] == {"area": "grief", "stage": None, "rationale": "", "secondary": "role_dispute"}
    shot(widget, "keyboard_secondary")
