"""Sessions to rate (Module 11): the practice file loads, and a broken one is named precisely."""

import pytest
import yaml
from ipt_widgets.adherence_cases import load_adherence
from ipt_widgets.check.files import case_ids, check_yaml
from ipt_widgets.itemset import Unavailable
from ipt_widgets.scoring.adherence import ITEMS, NA, RISK_ITEM

from tests.conftest import REPO

PRACTICE = REPO / "course" / "cases" / "11_supervision.yaml"


@pytest.fixture
def raw():
    return yaml.safe_load(PRACTICE.read_text(encoding="utf-8"))


def write(tmp_path, data, name="sessions.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def test_the_practice_sessions_load_whole_and_rated():
    sessions = load_adherence(PRACTICE, require_answers=True, strict=True)
    assert len(sessions) >= 2
    for session in sessions.values():
        assert 16 <= len(session.turns) <= 40
        assert set(session.reference.ratings) == set(ITEMS)
        assert all(r.reason for r in session.reference.ratings.values())
    ratings = [s.reference.ratings for s in sessions.values()]
    # One session where no risk cue came up, one where a cue was missed: both kinds are taught.
    assert {r[RISK_ITEM].rating for r in ratings} == {NA, 0}


def test_the_experts_reasons_cite_therapist_turns_that_exist():
    import re

    for session in load_adherence(PRACTICE, require_answers=True, strict=True).values():
        therapist_turns = sum(t.speaker == "therapist" for t in session.turns)
        for key, rating in session.reference.ratings.items():
            for number in re.findall(r"\bturns? (\d+)", rating.reason):
                assert 1 <= int(number) <= therapist_turns, (session.id, key, number)


@pytest.mark.parametrize(
    "mutate,field",
    [
        (lambda s: s.pop("context"), "field 'context'"),
        (lambda s: s.update(titel="x"), "unknown field 'titel'; did you mean 'title'?"),
        (lambda s: s["turns"][2].update(speaker="supervisor"), "field 'speaker'"),
        (lambda s: s.update(turns=s["turns"][:4]), "field 'turns' must list at least"),
        (lambda s: s["ratings"]["affect"].update(rating=5), "field 'rating' is 5"),
        (lambda s: s["ratings"].pop("stance"), "checklist item 'stance' is not rated"),
        (lambda s: s.pop("ratings"), "field 'ratings' is missing"),
    ],
)
def test_a_broken_session_names_file_line_session_and_field(tmp_path, raw, mutate, field):
    mutate(raw["adherence"][0])
    path = write(tmp_path, raw)
    with pytest.raises(ValueError) as raised:
        load_adherence(path, require_answers=True, strict=True)
    message = str(raised.value)
    assert str(path) in message and field in message and "line " in message
    assert raw["adherence"][0]["id"] in message


def test_lenient_loading_keeps_the_good_session_and_explains_the_bad_one(tmp_path, raw):
    broken_id = raw["adherence"][0]["id"]
    raw["adherence"][0]["ratings"]["affect"]["rating"] = "often"
    sessions = load_adherence(write(tmp_path, raw), require_answers=True)
    assert raw["adherence"][1]["id"] in sessions
    missing = sessions[broken_id]
    assert isinstance(missing, Unavailable) and "field 'rating'" in missing.problem


def test_a_file_that_is_not_a_session_file_is_reported(tmp_path):
    path = write(tmp_path, {"sessions": []})
    with pytest.raises(ValueError, match=r"unknown section 'sessions'"):
        load_adherence(path, strict=True)
    assert load_adherence(path).errors


def test_the_check_command_reads_session_files_and_catches_released_ratings(tmp_path, raw):
    assert check_yaml(PRACTICE) == []
    assert case_ids(PRACTICE)["adherence"] == {s["id"] for s in raw["adherence"]}
    folder = tmp_path / "m11_supervision"
    folder.mkdir()
    (folder / "m11_supervision.ipynb").write_text("{}", encoding="utf-8")
    findings = check_yaml(write(folder, raw, "cases.yaml"))
    assert findings and all("field 'ratings' holds the expert answer" in f.message for f in findings)


@pytest.mark.parametrize("said,errors", [(2, 0), (3, 1)])
def test_the_readme_row_counts_the_sessions_to_rate(tmp_path, said, errors):
    from ipt_widgets.check.counts import check_readme

    (tmp_path / "course").mkdir()
    notebook = REPO / "course" / "11_supervision.ipynb"
    (tmp_path / "course" / notebook.name).write_text(notebook.read_text(encoding="utf-8"), encoding="utf-8")
    readme = tmp_path / "README.md"
    readme.write_text(f"| 11. Supervision (2 h) | `11_supervision`: {said} sessions to rate | — |\n", encoding="utf-8")
    findings = check_readme(readme, tmp_path)
    assert len(findings) == errors
    assert all("says 3 adherence" in f.message and "line 1" in f.message for f in findings)
