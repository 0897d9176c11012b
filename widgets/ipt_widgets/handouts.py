"""``python -m ipt_widgets.handouts`` (``make handouts``): printable HTML pages from docs/handouts/*.md.

Each page is one self-contained file: the Markdown rendered with mistune (already installed with
nbconvert), print CSS inline, nothing fetched from the internet. The observer's checklist and each patient brief start a
new printed page, and each brief's *For the patient only* part starts another, so that a facilitator
can hand the therapist their page without the patient's.

Before writing, the role-play guide's observer's checklist is compared with the checklist the
Module 11 widget rates (``scoring.adherence.CHECKLIST``): the same items, in the same order, with the
same descriptions. A guide that differs is refused with a message naming the file and the item.
"""

from __future__ import annotations

import argparse
import re
import sys
from html import escape
from pathlib import Path

from .scoring.adherence import CHECKLIST

CSS = """
body { font-family: "Segoe UI", "Helvetica Neue", Arial, sans-serif; line-height: 1.45; color: #1b1b1b;
       max-width: 46em; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.6em; } h2 { font-size: 1.3em; margin-top: 1.6em; } h3 { font-size: 1.1em; }
table { border-collapse: collapse; width: 100%; margin: 0.8em 0; font-size: 0.92em; }
th, td { border: 1px solid #555; padding: 0.3em 0.45em; vertical-align: top; text-align: left; }
th { background: #eceff1; }
blockquote { border-left: 4px solid #0b57a4; margin: 1em 0; padding: 0.2em 1em; background: #f3f7fb; }
code { font-family: Consolas, "DejaVu Sans Mono", monospace; font-size: 0.92em; }
.checklist td:nth-child(5) { width: 22%; }
@page { size: A4; margin: 16mm 14mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; }
  h2.new-page, h3.patient-only { break-before: page; }
  h2, h3 { break-after: avoid; }
  tr, blockquote, li { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  blockquote { background: none; }
}
"""


def checklist_problems(path: Path, text: str) -> list[str]:
    """Where the guide's observer's checklist differs from the widget's (empty when they agree)."""
    rows = re.findall(r"^\|\s*(\d+)\s*\|\s*\*\*(.+?)\*\*\s*\|\s*(.+?)\s*\|\s*2 · 1 · 0(?: · N/A)?\s*\|", text, re.M)
    problems = []
    if len(rows) != len(CHECKLIST):
        problems.append(f"{path}: the observer's checklist has {len(rows)} items, the widget's {len(CHECKLIST)}")
    for (number, label, guide), item in zip(rows, CHECKLIST):
        if (label, guide) != (item.label, item.guide):
            problems.append(
                f"{path}: checklist item {number} reads {label!r}, but the widget's item {number} is {item.label!r} "
                "with another description: copy both from ipt_widgets/scoring/adherence.py"
            )
    return problems


def render(markdown_text: str, title: str) -> str:
    """A complete, self-contained HTML page for one handout."""
    import mistune

    body = mistune.create_markdown(escape=True, plugins=["table"])(markdown_text)
    body = re.sub(r"<h2>(Brief \d|The observer's checklist)", r'<h2 class="new-page">\1', body)
    body = body.replace("<h3>For the patient only", '<h3 class="patient-only">For the patient only')
    checklist_head = "<table>\n<thead>\n<tr>\n  <th>#</th>"
    body = body.replace(checklist_head, checklist_head.replace("<table>", '<table class="checklist">'))
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n{body}</main>\n"
        "</body>\n</html>\n"
    )


def build(folder: Path) -> list[Path]:
    """Write ``<name>.html`` beside every ``<name>.md`` in ``folder``; raise ValueError on a stale checklist."""
    written = []
    for source in sorted(folder.glob("*.md")):
        text = source.read_text(encoding="utf-8")
        if "observer's checklist" in text.lower():
            problems = checklist_problems(source, text)
            if problems:
                raise ValueError("\n".join(problems))
        heading = re.search(r"^# (.+)$", text, re.M)
        target = source.with_suffix(".html")
        target.write_text(render(text, heading.group(1) if heading else source.stem), encoding="utf-8")
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ipt_widgets.handouts", description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=Path("docs/handouts"))
    args = parser.parse_args(argv)
    try:
        written = build(args.folder)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
