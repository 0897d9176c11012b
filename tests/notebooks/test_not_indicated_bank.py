"""Issue 14, point 2: the "Not IPT now" cases the course promises, counted from the files.

Practice cases carry their answers in course/cases/; graded cases' answers are read from the
hidden tests. A distractor is a case where a concern is named (item 9, drinking, hearing the
dead) but IPT can go ahead: its reference says so in a ``distractors.not_indicated`` entry.
"""

from collections import Counter

from ipt_widgets.cases import load_cases
from ipt_widgets.vocab import NOT_INDICATED, NOT_INDICATED_REASONS

from tests.conftest import REPO
from tests.nbgrader.conftest import ASSIGNMENTS, answer_key


def practice_references():
    for path in sorted((REPO / "course" / "cases").glob("*.yaml")):
        if "\ncases:" in "\n" + path.read_text(encoding="utf-8"):
            for case_id, case in load_cases(path, require_answers=True, strict=True).items():
                ref = case.reference
                yield case_id, ref.area, ref.not_indicated_reason, NOT_INDICATED in ref.distractors


def graded_references():
    for assignment in ASSIGNMENTS:
        for item, entry in answer_key(assignment).items():
            if entry["kind"] == "classification":
                ref = entry["reference"]
                has_distractor = NOT_INDICATED in ref.get("distractors", {})
                yield item, ref["area"], ref.get("not_indicated_reason"), has_distractor


def test_at_least_8_not_indicated_cases_4_graded_and_every_reason_covered():
    practice = [c for c in practice_references() if c[1] == NOT_INDICATED]
    graded = [c for c in graded_references() if c[1] == NOT_INDICATED]
    reasons = Counter(reason for _, _, reason, _ in practice + graded)
    print(f"\nnot indicated: {len(practice)} practice, {len(graded)} graded; by reason {dict(reasons)}")
    assert len(practice) + len(graded) >= 8
    assert len(graded) >= 4
    assert set(reasons) == set(NOT_INDICATED_REASONS)


def test_there_are_distractors_where_ipt_can_go_ahead_in_practice_and_graded_work():
    practice = [c for c in practice_references() if c[1] != NOT_INDICATED and c[3]]
    graded = [c for c in graded_references() if c[1] != NOT_INDICATED and c[3]]
    assert len(practice) >= 2 and len(graded) >= 2, (practice, graded)
