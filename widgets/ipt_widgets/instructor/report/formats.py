"""Formatting shared by the writers: numbers, text escaped for HTML and SVG, text guarded for a spreadsheet.

Every string a trainee could have supplied (ids, names) goes through :func:`text` before it reaches
the HTML or the SVG, and through :func:`_csv_text` before it reaches a CSV.
"""

from __future__ import annotations

import re
from html import escape

# XML 1.0 forbids these characters even when escaped; a name holding one would break the SVG.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _num(value: float | None, digits: int = 3) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _csv_text(value: str) -> str:
    """Guard a trainee-supplied string against formula injection when the CSV is opened in a spreadsheet."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def text(value: object, limit: int | None = None) -> str:
    """Escape any string for HTML or SVG text and attributes, after cutting it to ``limit`` characters."""
    s = _NOT_XML.sub("", str(value))
    if limit is not None and len(s) > limit:
        s = s[: limit - 1] + "…"
    return escape(s, quote=True)
