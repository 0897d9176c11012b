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
    for _ in range(4):  # from the first area down to the fifth choice
        page.keyboard.press("ArrowDown")
    assert "Not IPT now" in page.evaluate("document.activeElement.closest('label').textContent")
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
