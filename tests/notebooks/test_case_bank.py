"""The case bank: enough distinct fictional cases, in every problem area, and mixed cases.

Practice cases carry their answers in course/cases/; graded cases' areas are read from the
hidden tests. Mixed cases are those in the modules where the area itself must be chosen
(1, 8 and 9) rather than a module about one area.
"""

from collections import Counter

from ipt_widgets.cases import load_cases
from ipt_widgets.vocab import PROBLEM_AREAS

from tests.conftest import REPO
from tests.nbgrader.conftest import ASSIGNMENTS, answer_key

MIXED_MODULES = ("00", "01", "08", "09")


def bank():
    cases = {}
    for path in sorted((REPO / "course" / "cases").glob("*.yaml")):
        if "\ncases:" in "\n" + path.read_text(encoding="utf-8"):
            for case_id, case in load_cases(path, require_answers=True).items():
                cases[case_id] = (path.stem[:2], case.reference.area)
    for assignment in ASSIGNMENTS:
        for item, entry in answer_key(assignment).items():
            if entry["kind"] in ("classification", "inventory"):
                cases.setdefault(item, (assignment[1:3], entry["reference"]["area"]))
    return cases


def test_at_least_48_distinct_cases_with_10_per_problem_area_and_8_mixed():
    cases = bank()
    areas = Counter(area for _, area in cases.values())
    mixed = [c for c, (module, _) in cases.items() if module in MIXED_MODULES]
    print(f"\n{len(cases)} classified cases; by area {dict(areas)}; {len(mixed)} mixed")
    assert len(cases) >= 48
    assert all(areas[area] >= 10 for area in PROBLEM_AREAS), areas
    assert len(mixed) >= 8
