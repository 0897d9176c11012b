"""The nbgrader preprocessors that sanitise graded notebooks: what is dropped, cleaned and kept."""

from __future__ import annotations

import nbformat
import pytest
from ipt_widgets.feedback import notice_card
from ipt_widgets.nbgrader_sanitize import REMOVED_NOTE, SanitizeFeedback, SanitizeGradedNotebook, sanitize_notebook
from nbconvert import HTMLExporter
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from tests.test_sanitize import audit

PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def hostile_notebook():
    card = notice_card("Rubric points 3 of 6.", title="How this was scored")
    outputs = [
        new_output("execute_result", {"text/plain": "2.5", "text/html": card}, execution_count=1),
        new_output("display_data", {"text/html": "<b>ok</b><script>window.__pwned=1</script>"}),
        new_output("display_data", {"application/javascript": "window.__pwned=1", "text/plain": "<IPython JS>"}),
        new_output("display_data", {"text/javascript": "window.__pwned=1"}),
        new_output("display_data", {"application/vnd.jupyter.widget-view+json": {"model_id": "x"}}),
        new_output("display_data", {"image/svg+xml": "<svg onload='window.__pwned=1'><circle r='1'/></svg>"}),
        new_output("display_data", {"image/png": PNG}, metadata={"image/png": {"width": 10, "alt": "<x>"}}),
        new_output("display_data", {"image/png": '"><script>window.__pwned=1</script>'}),
        new_output("display_data", {"text/markdown": "[x](javascript:window.__pwned=1)"}),
        new_output("stream", name="stdout", text="<script>shown as text</script>"),
    ]
    markdown = new_markdown_cell("**Answer** <img src=x onerror=window.__pwned=1> [a](javascript:alert(1))")
    markdown.attachments = {
        "evil.svg": {"image/svg+xml": "PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+"},
        "chart.png": {"image/png": PNG},
    }
    markdown.id = "answer"
    nb = new_notebook(cells=[markdown, new_code_cell("grade()", outputs=outputs, id="grade")])
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    return nb


def test_script_bearing_outputs_are_dropped_and_the_rest_cleaned():
    nb = sanitize_notebook(hostile_notebook())
    markdown, code = nb.cells
    data = [output.get("data", {}) for output in code.outputs]
    assert data[0]["text/plain"] == "2.5"  # the score nbgrader reads is untouched
    assert "How this was scored" in data[0]["text/html"] and "Rubric points 3 of 6." in data[0]["text/html"]
    assert data[1] == {"text/html": "<b>ok</b>"}
    assert data[2] == {"text/plain": "<IPython JS>"}
    assert data[3] == data[4] == {"text/plain": REMOVED_NOTE}
    assert data[5] == {"image/svg+xml": '<svg><circle r="1"></circle></svg>'}
    assert data[6] == {"image/png": PNG} and code.outputs[6].metadata == {"image/png": {"width": 10}}
    assert data[7] == {"text/plain": REMOVED_NOTE}
    assert data[8] == {"text/markdown": "[x](unsafe-javascript:window.__pwned=1)"}
    assert code.outputs[9].text == "<script>shown as text</script>"
    assert markdown.source.startswith("**Answer** &lt;img src=x")
    assert "(unsafe-javascript:alert(1))" in markdown.source
    assert markdown.attachments == {"evil.svg": {}, "chart.png": {"image/png": PNG}}
    assert "widgets" not in nb.metadata


def test_sanitising_twice_changes_nothing():
    once = sanitize_notebook(hostile_notebook())
    twice = sanitize_notebook(nbformat.from_dict(once))
    assert twice == once


@pytest.mark.filterwarnings("ignore:Your element with mimetype")
def test_exported_html_has_no_script_from_the_trainee():
    """Rendered as the formgrader renders it, the page has only the template's own scripts."""
    exporter = HTMLExporter(template_name="classic")
    nb = hostile_notebook()
    template_only = audit(exporter.from_notebook_node(new_notebook())[0])
    assert audit(exporter.from_notebook_node(nb)[0]) != template_only  # unsanitised, the trainee's script is there
    SanitizeGradedNotebook()(nb, {})  # as nbconvert calls it: a disabled preprocessor would do nothing
    assert audit(exporter.from_notebook_node(nb)[0]) == template_only


def test_feedback_preprocessor_is_the_same_cleaning():
    nb, resources = SanitizeFeedback()(hostile_notebook(), {})
    assert nb == sanitize_notebook(hostile_notebook()) and resources == {}


def test_course_config_runs_both_preprocessors_last():
    from nbgrader.converters import Autograde, GenerateFeedback
    from traitlets.config.loader import PyFileConfigLoader

    from tests.conftest import REPO

    config = PyFileConfigLoader("nbgrader_config.py", path=str(REPO)).load_config()
    steps = Autograde(config=config).autograde_preprocessors
    from nbgrader.preprocessors import SaveAutoGrades

    # last, so it runs after the scores are saved
    assert steps[-1] is SanitizeGradedNotebook and steps.index(SaveAutoGrades) < len(steps) - 1
    assert GenerateFeedback(config=config).preprocessors[-1] is SanitizeFeedback
