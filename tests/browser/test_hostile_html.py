"""Nothing a trainee wrote runs in the instructor's browser (issue 13, point 4).

Hostile trainees submit m01 and the capstone with script in an added Markdown cell, in a cell's
HTML and ``application/javascript`` outputs, in ``<svg/onload>`` and ``<img onerror>``, and in a
capstone written answer (with a ``javascript:`` link). The submissions are graded as they are,
with no rebuilding from the release, so only the course's sanitising preprocessors stand between
them and the browser. Each payload would set ``window.__pwned`` and create a file in the course
through the instructor's Jupyter session (``PUT /api/contents`` with the XSRF token); the control
test shows that it does when it runs. Then the formgrader's view of each submission and each
generated feedback page are opened in Chromium: no payload may run, no dialog open, no file appear.
"""

from __future__ import annotations

import base64
import time
from pathlib import Path

import pytest
from nbformat.v4 import new_markdown_cell

from tests.browser.conftest import ARTIFACTS, TOKEN, lab_env, require_browser, running_lab
from tests.nbgrader.conftest import make_course_copy, run_nbgrader, submit

pytestmark = [pytest.mark.browser, pytest.mark.slow]

M01, M10 = "m01_problem_areas", "m10_capstone"
HOSTILE = {M01: "hostile_m01", M10: "hostile_m10"}


def payload(tag: str) -> str:
    """JavaScript that marks the page and writes ``pwned-<tag>.txt`` into the course."""
    token = "(document.cookie.match(/_xsrf=([^;]+)/)||['',''])[1]"
    body = "JSON.stringify({type:'file',format:'text',content:'pwned'})"
    return (
        f"window.__pwned=(window.__pwned||[]).concat(['{tag}']);"
        f"fetch('/api/contents/pwned-{tag}.txt',{{method:'PUT',"
        f"headers:{{'Content-Type':'application/json','X-XSRFToken':{token}}},body:{body}}})"
    )


def inline(tag: str) -> str:
    """The payload as an attribute value without quotes or spaces."""
    return f"eval(atob('{base64.b64encode(payload(tag).encode()).decode()}'))"


def hostile_outputs_code(prefix: str) -> str:
    """Python for an answer cell: displays script in every output form a kernel can produce."""
    return f"""
from IPython.display import HTML, Javascript, display
display(HTML("<b>{prefix}-HTML-OUTPUT</b><script>{payload(prefix + "-html-script")}</script>"))
display(Javascript({payload(prefix + "-application-javascript")!r}))
display({{"text/javascript": {payload(prefix + "-text-javascript")!r}, "text/plain": "js"}}, raw=True)
display(HTML("<svg/onload={inline(prefix + "-svg-onload")}>"))
display({{"image/svg+xml": "<svg xmlns='http://www.w3.org/2000/svg' onload={inline(prefix + "-svg")}/>"}}, raw=True)
display({{"text/markdown": "[md link](javascript:{inline(prefix + "-md-output")})"}}, raw=True)
display(HTML("<img src=x onerror={inline(prefix + "-img-onerror")}>"))
"""


def hostile_markdown(prefix: str) -> str:
    return (
        f"{prefix}-MARKDOWN. <script>{payload(prefix + '-md-script')}</script>\n\n"
        f"<img src=x onerror={inline(prefix + '-md-img')}> <svg/onload={inline(prefix + '-md-svg')}>\n\n"
        f"[click me](javascript:{inline(prefix + '-md-link')}) "
        f"[tab trick](jav&#x09;ascript:{inline(prefix + '-md-tab')}) <javascript:alert(1)>\n\n"
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"
    )


def _append_to(nb, grade_id: str, code: str) -> None:
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    cell.source += "\n" + code


def edit_m01(nb) -> None:
    nb.cells.insert(2, new_markdown_cell(hostile_markdown("M01")))
    _append_to(nb, "g01_answer", hostile_outputs_code("M01"))


def edit_m10(nb) -> None:
    answer = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "g10_formulation")
    answer.source = "My formulation. " + hostile_markdown("M10")
    _append_to(nb, "inv_g10_mindelo_stallholder_answer", hostile_outputs_code("M10"))


def pwned_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("pwned-*"))


@pytest.fixture(scope="module")
def hostile_course(tmp_path_factory):
    """A course where both hostile trainees are autograded and have feedback, served by Jupyter."""
    require_browser()
    course = make_course_copy(tmp_path_factory.mktemp("hostile"))
    for assignment, edit in ((M01, edit_m01), (M10, edit_m10)):
        run_nbgrader(course, "generate_assignment", assignment, "--force")
        folder = submit(course, HOSTILE[assignment], assignment, None, edit)
        assert "<script>" in (folder / f"{assignment}.ipynb").read_text(encoding="utf-8")
        # The rebuild step would drop the added cell and the outputs: turned off here, so only
        # the sanitisers stand between the payloads and the browser.
        run_nbgrader(course, "autograde", assignment, "--RebuildFromRelease.enabled=False")
        run_nbgrader(course, "generate_feedback", assignment)
    with running_lab(course, lab_env(course)) as url:
        yield {"url": url, "root": course}


@pytest.fixture(scope="module")
def chromium(hostile_course, browser):
    # The session's browser: a second sync Playwright in one thread refuses to start.
    return browser


@pytest.fixture
def watched(chromium):
    """A page that records dialogs and may reach only the local server and local files."""
    context = chromium.new_context(viewport={"width": 1300, "height": 900})
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(("http://127.0.0.1", "file://")) else route.abort()
        ),
    )
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


def submission_id(course: Path, assignment: str) -> str:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "ipt-depression") as gb:
        return gb.find_submission_notebook(assignment, assignment, HOSTILE[assignment]).id


def assert_nothing_ran(page, root: Path) -> None:
    page.wait_for_timeout(2500)  # time for any onload, onerror or fetch to act
    assert page.evaluate("window.__pwned") is None
    assert page.dialogs == []
    assert pwned_files(root) == []


def screenshot(page, prefix: str, name: str) -> None:
    """The page scrolled to the hostile answer, for a person to look at."""
    page.get_by_text(f"{prefix}-MARKDOWN").first.scroll_into_view_if_needed()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_control_the_payload_writes_a_file_when_it_runs(hostile_course, watched):
    """Run in the formgrader's page, the payload does what the test looks for (so its absence means something)."""
    url, root = hostile_course["url"], hostile_course["root"]
    watched.goto(f"{url}/formgrader?token={TOKEN}")
    watched.evaluate(payload("control"))
    deadline = time.time() + 20
    while not pwned_files(root) and time.time() < deadline:
        time.sleep(0.2)
    assert pwned_files(root) == ["pwned-control.txt"]
    assert watched.evaluate("window.__pwned") == ["control"]
    (root / "pwned-control.txt").unlink()


@pytest.mark.parametrize("assignment", [M01, M10])
def test_formgrader_view_runs_no_trainee_script(hostile_course, watched, assignment):
    url, root = hostile_course["url"], hostile_course["root"]
    prefix = assignment[:3].upper()
    watched.goto(f"{url}/formgrader/submissions/{submission_id(root, assignment)}/?token={TOKEN}")
    text = watched.locator("body").inner_text()
    assert f"{prefix}-MARKDOWN" in text and "click me" in text  # the hostile answer is shown, as text
    assert f"{prefix}-HTML-OUTPUT" in text  # and the harmless part of its HTML output
    assert_nothing_ran(watched, root)
    screenshot(watched, prefix, f"hostile_formgrader_{assignment}")


@pytest.mark.parametrize("assignment", [M01, M10])
def test_feedback_page_runs_no_trainee_script(hostile_course, watched, assignment):
    root = hostile_course["root"]
    page_file = root / "feedback" / HOSTILE[assignment] / assignment / f"{assignment}.html"
    watched.goto(page_file.as_uri())
    text = watched.locator("body").inner_text()
    assert f"{assignment[:3].upper()}-MARKDOWN" in text
    assert_nothing_ran(watched, root)
    screenshot(watched, assignment[:3].upper(), f"hostile_feedback_{assignment}")


def test_course_cards_still_render_in_the_formgrader(hostile_course, watched):
    """The course's own feedback cards keep their colours after sanitising."""
    url, root = hostile_course["url"], hostile_course["root"]
    watched.goto(f"{url}/formgrader/submissions/{submission_id(root, M01)}/?token={TOKEN}")
    card = watched.locator(".ipt-card").first
    card.wait_for()
    assert "border-left" in (card.get_attribute("style") or "")
    assert watched.evaluate("getComputedStyle(document.querySelector('.ipt-card')).borderLeftWidth") == "6px"
    card.scroll_into_view_if_needed()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    card.screenshot(path=str(ARTIFACTS / "hostile_formgrader_card.png"))
