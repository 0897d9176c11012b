"""A broken case file never stops a notebook: the broken item's widget says so, the others work."""

import textwrap

from ipt_widgets import load_draft_tasks
from ipt_widgets.casebook import load_casebook
from ipt_widgets.cases import load_cases
from ipt_widgets.ui.classifier import VignetteClassifier
from ipt_widgets.ui.drafter import InterventionDrafter
from ipt_widgets.ui.transcript import TranscriptCoder

FILE = textwrap.dedent(
    """\
    cases:
    - id: good
      title: Good
      text: A vignette.
    - id: broken
      titel: Broken
      text: A vignette.
    transcripts:
    - id: tr
      title: T
      context: c
      turns:
      - {speaker: therapist, text: How are you?}
    """
)


def test_the_broken_item_shows_a_message_and_the_others_still_work(tmp_path, store):
    path = tmp_path / "cases.yaml"
    path.write_text(FILE, encoding="utf-8")
    cases, book = load_cases(path), load_casebook(path)
    good = VignetteClassifier(cases["good"], store, mode="graded")
    good.answer(area="grief")
    assert good.value.area == "grief"
    broken = VignetteClassifier(cases["broken"], store, mode="graded")
    assert "not your mistake" in broken.value and "tell your instructor" in broken.value
    assert "line 6: unknown field &#x27;titel&#x27;; did you mean &#x27;title&#x27;" in broken.value
    assert "cases.yaml" in broken.problem
    coder = TranscriptCoder(book.transcripts["tr"], store, mode="graded")
    coder.code("t1", "exploratory")
    typo = VignetteClassifier(cases["godo"], store)
    assert "no item with id 'godo'; did you mean 'good'" in typo.problem


def test_an_unreadable_drafts_file_gives_a_message_per_drafter(tmp_path, store):
    path = tmp_path / "drafts.yaml"
    path.write_text("references: [{id: x, task: formulation, title: T, vignette: v: w}]\n")
    drafts = load_draft_tasks(path)
    assert drafts.errors and not drafts
    widget = InterventionDrafter.for_task(drafts["x"], store)
    assert "This exercise is not available" in widget.value


def test_every_widget_can_be_answered_from_python(tmp_path, store, saved):
    from ipt_widgets.formulations import load_draft_tasks as strict_drafts
    from ipt_widgets.ui.timeline import MoodTimeline

    from tests.conftest import REPO

    book = load_casebook(REPO / "course" / "cases" / "02_initial_phase.yaml", strict=True)
    case = next(iter(book.timeline.values()))
    timeline = MoodTimeline(case, store)
    first, second = (e.id for e in case.events[:2])
    timeline.link(onset=first, worsening=second)
    assert saved(case.id)["onset"] == first and saved(case.id)["worsening"] == second
    timeline.set_answer({**timeline.saved_value, "onset": second})
    assert saved(case.id)["onset"] == second
    task = next(iter(strict_drafts(REPO / "course" / "cases" / "03_grief_drafts.yaml").values()))
    drafter = InterventionDrafter.for_task(task, store)
    drafter.write("Albano, since Zé died you have had no room to grieve.")
    assert saved(task.id).startswith("Albano")
    assert drafter.check().verdict in ("partial", "incorrect", "correct")
