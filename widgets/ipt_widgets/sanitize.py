"""Make trainee-written text safe to show in the instructor's browser.

The formgrader and nbgrader's feedback pages are HTML built from the graded notebook; JupyterLab
renders the same notebook. Anything a trainee wrote (a Markdown answer, a cell's output, a file
name) could carry script that runs with the instructor's Jupyter session. Three cleaners:

* :func:`clean_html` runs HTML through ammonia (the ``nh3`` binding) with an allowlist: the tags,
  attributes and inline styles that the course's own feedback cards and SVG figures use, links to
  http/https/mailto only, ``data:`` only for an ``<img src>`` with an image MIME type;
* :func:`clean_markdown` keeps Markdown as Markdown (it must still read well and be graded as
  written): raw HTML is shown as text unless it is an attribute-free formatting tag, and a link or
  image whose address has any scheme but http, https, mailto or attachment is made inert;
* :func:`clean_filename` turns a file name into an inert Markdown code span.

No ipywidgets here: the nbgrader preprocessors import this module in nbgrader's own process.
"""

from __future__ import annotations

import html
import re

import nh3

_SVG_TAGS = {
    "svg", "g", "title", "desc", "circle", "ellipse", "line", "polyline", "polygon", "rect", "path", "text", "tspan",
}  # fmt: skip
_HTML_TAGS = {
    "section", "article", "div", "span", "p", "br", "hr", "strong", "em", "b", "i", "u", "s", "q", "small",
    "sub", "sup", "mark", "del", "ins", "kbd", "code", "pre", "blockquote", "abbr", "time", "cite",
    "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "colgroup", "col",
    "details", "summary", "figure", "figcaption", "img", "a",
}  # fmt: skip
# Removed together with their content: what is inside is code or markup, never prose.
_DROP_WITH_CONTENT = {"script", "style", "template", "noscript", "xmp", "iframe", "noembed", "noframes", "object"}

_GENERIC_ATTRIBUTES = {
    "style",
    "class",
    "role",
    "aria-label",
    "aria-hidden",
    "aria-describedby",
    "title",
    "lang",
    "dir",
}
_SVG_ATTRIBUTES = {
    "xmlns", "viewBox", "width", "height", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry",
    "points", "d", "fill", "stroke", "stroke-width", "stroke-dasharray", "stroke-linecap", "stroke-linejoin",
    "opacity", "fill-opacity", "stroke-opacity", "font-size", "font-family", "font-weight", "font-style",
    "text-anchor", "dominant-baseline", "transform", "preserveAspectRatio",
}  # fmt: skip
_ATTRIBUTES = {
    "*": _GENERIC_ATTRIBUTES,
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "type"},
    "time": {"datetime"},
    "details": {"open"},
    **{tag: _SVG_ATTRIBUTES for tag in _SVG_TAGS},
}
# Inline styles keep these properties only: no position, z-index or content, so a trainee's
# output cannot lay a fake page over the formgrader.
_STYLE_PROPERTIES = {
    "background", "background-color", "color", "opacity",
    "border", "border-left", "border-right", "border-top", "border-bottom", "border-color", "border-style",
    "border-width", "border-radius", "border-collapse", "border-spacing",
    "margin", "margin-left", "margin-right", "margin-top", "margin-bottom",
    "padding", "padding-left", "padding-right", "padding-top", "padding-bottom",
    "width", "height", "max-width", "min-width", "max-height",
    "font", "font-family", "font-size", "font-style", "font-weight", "line-height",
    "text-align", "text-decoration", "vertical-align", "white-space", "display", "list-style",
}  # fmt: skip
# CSS that fetches or escapes: an inline style with any of these is dropped whole.
_UNSAFE_STYLE = re.compile(r"url\s*\(|image-set|expression|javascript|@import|\\|/\*", re.IGNORECASE)
_IMAGE_DATA_URL = re.compile(r"data:image/(png|jpeg|gif|webp|svg\+xml)[;,]", re.IGNORECASE)


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    """nh3 has already checked URL schemes; narrow ``data:`` and inline styles further."""
    if attribute == "style":
        return None if _UNSAFE_STYLE.search(value) else value
    if value.strip().lower().startswith("data:"):
        ok = tag == "img" and attribute == "src" and _IMAGE_DATA_URL.match(value.strip())
        return value if ok else None
    return value


def clean_html(markup: str) -> str:
    """Sanitise HTML from a notebook output so it can be shown in the instructor's browser.

    Keeps what the course's feedback cards and figures use (inline styles, tables, lists,
    details/summary, inline SVG shapes and text); removes script, event handlers, frames, forms,
    ``<style>``, ``<base>``, ``<meta>``, ``<link>``, relative URLs and links other than
    http/https/mailto. Text outside any tag is escaped, so plain text stays text.
    """
    if not isinstance(markup, str):
        raise ValueError(f"clean_html: expected text, got {type(markup).__name__}")
    return nh3.clean(
        markup,
        tags=_HTML_TAGS | _SVG_TAGS,
        clean_content_tags=_DROP_WITH_CONTENT,
        attributes=_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes={"http", "https", "mailto", "data"},
        url_relative="deny",
        filter_style_properties=_STYLE_PROPERTIES,
        strip_comments=True,
    )


# --- Markdown ---------------------------------------------------------------------------------

# Raw HTML kept in Markdown: these tags, only when written without any attribute.
_MARKDOWN_TAGS = {
    "b", "i", "em", "strong", "u", "s", "del", "ins", "sub", "sup", "mark", "small", "kbd", "code", "pre",
    "br", "hr", "p", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td", "details", "summary", "span", "div",
}  # fmt: skip
_LINK_SCHEMES = {"http", "https", "mailto", "attachment"}
# "<" followed by what could start a tag, comment, declaration or processing instruction.
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_PLAIN_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)\s*/?>")
_AUTOLINK = re.compile(r"<(?:(?:https?|mailto):[^\s<>\"'`]*|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})>")
# Where a Markdown renderer (or MathJax) reads a URL: inline links and images "](",
# reference definitions "]:", and \href{...}.
_URL_OPENER = re.compile(r"\]\s*\(|\]\s*:|\\href\s*\{")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
# A browser drops leading spaces and control characters, and tabs and line breaks anywhere.
_LEADING_IGNORED = re.compile(r"^[\x00-\x20<]+")
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_BACKSLASH_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_INERT_PREFIX = "unsafe-"


def _decoded_url_start(raw: str) -> str:
    decoded = _BACKSLASH_ESCAPE.sub(r"\1", html.unescape(raw))
    return _TAB_OR_NEWLINE.sub("", _LEADING_IGNORED.sub("", decoded))


def _unsafe_url(text: str, start: int) -> bool:
    """Does the URL that begins at ``text[start]`` have a scheme other than the allowed ones?

    Decodes what a Markdown renderer decodes (entities, backslash escapes) and drops what a
    browser ignores (leading spaces and control characters, tabs and newlines anywhere), so
    ``jav&#x09;ascript:`` and `` &#10;javascript:`` are seen as ``javascript:``. The window read
    grows until it holds enough real characters; padding longer than 64 KiB counts as unsafe.
    """
    size = 256
    while True:
        decoded = _decoded_url_start(text[start : start + size])
        if decoded.startswith(_INERT_PREFIX):  # made inert already
            return False
        if len(decoded) >= 64 or start + size >= len(text):
            break
        if size >= 65536:
            return True
        size *= 4
    match = _SCHEME.match(decoded)
    return bool(match) and match.group(1).lower() not in _LINK_SCHEMES


def _escape_tag(match: re.Match, text: str) -> str:
    """Keep an attribute-free formatting tag or a safe autolink; show anything else as text."""
    tag = _PLAIN_TAG.match(text, match.start())
    if tag and tag.group(1).lower() in _MARKDOWN_TAGS:
        return "<"
    if _AUTOLINK.match(text, match.start()):
        return "<"
    return "&lt;"


def clean_markdown(text: str) -> str:
    """Make trainee Markdown safe to render in nbconvert, the formgrader and JupyterLab.

    Ordinary Markdown is left as written (emphasis, lists, headings, tables, code, ``a < b``,
    ``AT&T``, http/https/mailto links and autolinks). Raw HTML other than attribute-free
    formatting tags is shown as text (its ``<`` becomes ``&lt;``), so nothing a trainee typed is
    lost. A link, image, reference definition or ``\\href`` whose address has another scheme
    (``javascript:``, ``data:``, ``vbscript:``, however encoded) gets the prefix ``unsafe-``, which
    no browser runs. The result is a fixed point: cleaning it again changes nothing.
    """
    if not isinstance(text, str):
        raise ValueError(f"clean_markdown: expected text, got {type(text).__name__}")
    text = _TAG_START.sub(lambda m: _escape_tag(m, text), text)
    out, last = [], 0
    for opener in _URL_OPENER.finditer(text):
        if _unsafe_url(text, opener.end()):
            out.append(text[last : opener.end()] + _INERT_PREFIX)
            last = opener.end()
    out.append(text[last:])
    return "".join(out)


def clean_filename(name: str, limit: int = 120) -> str:
    """A submitted file name as an inert Markdown code span, for a note in a notebook.

    Backticks (which would end the span) become ``'``, control characters and line breaks become
    spaces, and a name longer than ``limit`` characters is cut with an ellipsis. Inside a code span
    neither Markdown nor HTML is interpreted, so ``<img onerror=...>`` reads as those characters.
    """
    if not isinstance(name, str):
        raise ValueError(f"clean_filename: expected text, got {type(name).__name__}")
    name = re.sub(r"[\x00-\x1f\x7f\u2028\u2029]", " ", name).replace("`", "'")
    if len(name) > limit:
        name = name[: limit - 1] + "…"
    name = name.strip() or "(no name)"
    return f"`{name}`"
