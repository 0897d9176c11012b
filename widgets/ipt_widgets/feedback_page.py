"""The feedback pages nbgrader generates for trainees: nothing fetched from the internet.

nbgrader's feedback template loads MathJax from a CDN in the page head. The course's template
folder holds one file, ``feedback/mathjax.html.j2``, found before nbconvert's own, whose macro
adds a few style rules instead (long source lines wrap). nbgrader_config.py puts the folder
first in ``HTMLExporter.extra_template_basedirs``, with nbgrader's own folder after it.
"""

from __future__ import annotations

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent / "templates"


def template_basedirs() -> list[str]:
    """The course's template folder, then nbgrader's (which GenerateFeedback would use alone)."""
    import nbgrader

    nbgrader_templates = Path(nbgrader.__file__).resolve().parent / "server_extensions" / "formgrader" / "templates"
    return [str(TEMPLATES), str(nbgrader_templates)]
