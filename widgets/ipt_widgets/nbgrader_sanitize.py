"""nbgrader preprocessors that sanitise a graded notebook before an instructor's browser shows it.

``SanitizeGradedNotebook`` runs last in ``nbgrader autograde`` (after the graded kernel has run
and the scores are saved), so the formgrader's view of ``autograded/`` holds no trainee script;
``SanitizeFeedback`` runs again in ``nbgrader generate_feedback`` (defence in depth, and for a
notebook autograded before this existed). Both apply :func:`sanitize_notebook`:

* Markdown cells through :func:`~ipt_widgets.sanitize.clean_markdown`; their attachments keep
  raster images only (an SVG attachment can carry script);
* code-cell outputs keep an allowlist of MIME types: ``text/plain`` (where nbgrader reads a
  score: never changed), ``text/html`` and ``image/svg+xml`` through
  :func:`~ipt_widgets.sanitize.clean_html`, ``text/markdown`` and ``text/latex`` through
  :func:`~ipt_widgets.sanitize.clean_markdown`, and base64 PNG/JPEG/GIF/WebP. Everything else
  (``application/javascript`` and any other script type, widget views and state, PDFs, vendor
  types) is dropped, and so is output metadata other than an image's numeric width and height
  and the course's ``ipt`` record (the review queue reads it);
* saved widget state in the notebook's metadata is dropped (nbconvert would load the widget
  manager's script for it).

Register them in nbgrader_config.py::

    from ipt_widgets.nbgrader_sanitize import SanitizeFeedback, SanitizeGradedNotebook

    c.Autograde.autograde_preprocessors.append(SanitizeGradedNotebook)
    c.GenerateFeedback.preprocessors.append(SanitizeFeedback)
"""

from __future__ import annotations

import re
from collections.abc import Callable, MutableMapping

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from .sanitize import clean_html, clean_markdown

_BASE64 = re.compile(r"[A-Za-z0-9+/=\s]*")
_RASTER = ("image/png", "image/jpeg", "image/gif", "image/webp")
_OUTPUT_TYPES_WITH_DATA = ("display_data", "execute_result", "update_display_data")
REMOVED_NOTE = "[output removed by the course's sanitiser: it was of a kind not shown to instructors]"


def _text(value) -> str | None:
    """nbformat keeps multi-line strings as lists on disk; accept both, refuse anything else."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(line, str) for line in value):
        return "".join(value)
    return None


def _raster(value) -> str | None:
    text = _text(value)
    return text if text is not None and _BASE64.fullmatch(text) else None


def _cleaned_svg(value) -> str | None:
    text = _text(value)
    if text is None:
        return None
    cleaned = clean_html(text)
    return cleaned if "<svg" in cleaned else None


def _through(cleaner: Callable[[str], str]) -> Callable[[object], str | None]:
    def clean(value) -> str | None:
        text = _text(value)
        return None if text is None else cleaner(text)

    return clean


_CLEANERS: dict[str, Callable[[object], str | None]] = {
    "text/plain": _text,
    "text/html": _through(clean_html),
    "text/markdown": _through(clean_markdown),
    "text/latex": _through(clean_markdown),
    "image/svg+xml": _cleaned_svg,
    **{mime: _raster for mime in _RASTER},
}


def clean_output(output: MutableMapping) -> None:
    """Sanitise one code-cell output in place (stream and error outputs are escaped by every renderer)."""
    if output.get("output_type") not in _OUTPUT_TYPES_WITH_DATA:
        return
    data = output.get("data") or {}
    kept = {}
    for mime, value in data.items():
        cleaner = _CLEANERS.get(mime)
        cleaned = cleaner(value) if cleaner else None
        if cleaned is not None:
            kept[mime] = cleaned
    if not kept and data:
        kept["text/plain"] = REMOVED_NOTE
    metadata = output.get("metadata") or {}
    output["data"] = kept
    output["metadata"] = {
        mime: {k: v for k, v in meta.items() if k in ("width", "height") and isinstance(v, int | float)}
        for mime, meta in metadata.items()
        if mime in _RASTER and isinstance(meta, dict)
    }
    if isinstance(metadata.get("ipt"), dict):
        # The course's own record for the review queue (instructor/review_queue.py): data, never
        # rendered as HTML; after the rebuild step only the course's code writes outputs.
        output["metadata"]["ipt"] = metadata["ipt"]


def clean_cell(cell: MutableMapping) -> None:
    """Sanitise one cell in place."""
    if cell.get("cell_type") == "markdown":
        source = _text(cell.get("source", ""))
        cell["source"] = clean_markdown(source) if source is not None else ""
        attachments = cell.get("attachments")
        if isinstance(attachments, dict):
            cell["attachments"] = {
                name: {mime: data for mime, data in bundle.items() if mime in _RASTER and _raster(data) is not None}
                for name, bundle in attachments.items()
                if isinstance(bundle, dict)
            }
    elif cell.get("cell_type") == "code":
        for output in cell.get("outputs") or []:
            if isinstance(output, MutableMapping):
                clean_output(output)


def sanitize_notebook(nb: MutableMapping) -> MutableMapping:
    """Sanitise every cell of a notebook (in place) and return it."""
    for cell in nb.get("cells") or []:
        if isinstance(cell, MutableMapping):
            clean_cell(cell)
    metadata = nb.get("metadata")
    if isinstance(metadata, MutableMapping):
        metadata.pop("widgets", None)
    return nb


class SanitizeGradedNotebook(Preprocessor):
    """Last autograde step: the graded notebook the formgrader renders holds no trainee script."""

    # nbconvert skips a preprocessor whose ``enabled`` is False, its default.
    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb, resources):
        return sanitize_notebook(nb), resources


class SanitizeFeedback(SanitizeGradedNotebook):
    """Feedback step: the same cleaning again before nbgrader writes the feedback HTML."""
