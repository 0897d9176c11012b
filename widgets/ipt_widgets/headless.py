"""What a widget cell builds while nbgrader autogrades: a stand-in with nothing to click.

nbgrader sets ``NBGRADER_EXECUTION=autograde`` in every kernel it grades with. There the graded
answer is the one the trainee saved (``<notebook>.responses.json``): the hidden tests read that
file, and nobody sees the widgets. Building real ones would cost each graded notebook about a
fifth of a second of kernel time, fill the graded copy with ~160 KB of widget state that the
feedback page then tries to render from a CDN, and could let code run at grading time rewrite the
saved answer. So in autograde the package hands out these stand-ins instead (see
``ipt_widgets.__getattr__``). Each shows one line in the feedback saying where the grade comes
from; any public method a trainee's own code calls on it does nothing.
"""

from __future__ import annotations

import os
from functools import cache
from html import escape
from typing import Any

NOTE = "Interactive exercise, not rebuilt for grading: the answer you saved is what is graded."


def autograding() -> bool:
    return os.environ.get("NBGRADER_EXECUTION") == "autograde"


def _ignore(*_: Any, **__: Any) -> None:
    return None


class HeadlessWidget:
    """Takes any constructor arguments, builds nothing, writes nothing."""

    def __init__(self, *args: Any, **kwargs: Any):
        title = kwargs.get("title") or getattr(args[0] if args else None, "title", "")
        self.title = title if isinstance(title, str) else ""

    @classmethod
    def for_task(cls, *args: Any, **kwargs: Any) -> HeadlessWidget:
        return cls(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        # Only public names: IPython probes private ones (and a canary) to decide how to display.
        if name.startswith("_"):
            raise AttributeError(name)
        return _ignore

    def __repr__(self) -> str:
        return f"[{self.title}] {NOTE}" if self.title else NOTE

    def _repr_html_(self) -> str:
        title = f"<strong>{escape(self.title)}</strong>: " if self.title else ""
        return f"<p style='color:#455a64;font-style:italic'>{title}{escape(NOTE)}</p>"


@cache
def headless(name: str) -> type[HeadlessWidget]:
    """The stand-in class for widget class ``name`` (it keeps the name, for tracebacks)."""
    return type(name, (HeadlessWidget,), {"__module__": __name__, "__doc__": HeadlessWidget.__doc__})
