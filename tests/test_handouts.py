"""The printable role-play guide: the committed page is what its Markdown builds, it fetches
nothing, it prints the briefs on pages of their own, and its checklist is the widget's."""

import re

import pytest
from ipt_widgets.handouts import build, checklist_problems, main, render
from ipt_widgets.scoring.adherence import CHECKLIST

from tests.conftest import REPO

HANDOUTS = REPO / "docs" / "handouts"
GUIDE = HANDOUTS / "role_play_triads.md"


def test_the_committed_page_is_up_to_date(tmp_path):
    copy = tmp_path / "handouts"
    copy.mkdir()
    (copy / GUIDE.name).write_text(GUIDE.read_text(encoding="utf-8"), encoding="utf-8")
    (built,) = build(copy)
    committed = (HANDOUTS / built.name).read_text(encoding="utf-8")
    assert built.read_text(encoding="utf-8") == committed, "run `make handouts` and commit the page"


def test_the_page_is_self_contained_and_prints_each_brief_apart():
    page = (HANDOUTS / "role_play_triads.html").read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img|iframe)\b", page)
    assert not re.search(r"(src|href)=\"https?:", page) and "@import" not in page
    assert "@media print" in page and 'lang="en"' in page
    briefs = re.findall(r'<h2 class="new-page">Brief \d', page)
    assert 4 <= len(briefs) <= 6
    assert page.count('<h3 class="patient-only">For the patient only') == len(briefs)
    assert "Training material, not treatment advice." in page


def test_the_guide_has_a_brief_per_problem_area_and_one_with_a_risk_cue():
    text = GUIDE.read_text(encoding="utf-8")
    headings = re.findall(r"^## Brief \d \(([^)]*)\)", text, re.M)
    for area in ("grief", "role dispute", "role transition", "interpersonal deficits", "risk cue"):
        assert any(area in h for h in headings), area
    risk = text.split("## Brief 5", 1)[1]
    for step in ("ask directly", "plan", "intent", "means", "safety plan", "supervisor"):
        assert step in risk, step
    assert "Therapist | Patient | Observer" in text  # the rotation table


def test_the_observers_checklist_is_the_widgets():
    text = GUIDE.read_text(encoding="utf-8")
    assert checklist_problems(GUIDE, text) == []
    stale = text.replace(CHECKLIST[3].label, "Analysed an interaction", 1)
    (problem,) = checklist_problems(GUIDE, stale)
    assert str(GUIDE) in problem and "item 4" in problem


def test_a_stale_checklist_is_refused(tmp_path, capsys):
    text = GUIDE.read_text(encoding="utf-8")
    cut = re.sub(r"^\| 10 \|.*\n", "", text, flags=re.M)
    (tmp_path / GUIDE.name).write_text(cut, encoding="utf-8")
    assert main([str(tmp_path)]) == 2
    assert "has 9 items, the widget's 10" in capsys.readouterr().err
    assert not (tmp_path / "role_play_triads.html").exists()


@pytest.mark.parametrize("hostile", ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"])
def test_markup_in_the_markdown_is_shown_not_run(hostile):
    page = render(f"# Title\n\n{hostile}\n", "Title <b>")
    assert hostile not in page and "<title>Title &lt;b&gt;</title>" in page
