"""The course's transcripts teach real drift, and a missed risk cue as a safety failure (issue 14).

Counts, over every transcript in the course (practice files and graded hidden references): each
says how its off-model turns read (``drift``); at least 8 are subtle, at least 3 of them graded,
and at least 2 contain a turn coded ``missed_risk``; no more than half are caricatured. A graded
transcript with a missed_risk turn is tagged ``risk_assessment`` and its points count that turn
twice.
"""

from pathlib import Path

import nbformat
import pytest
from ipt_widgets.casebook import load_casebook
from ipt_widgets.scoring.transcript import TranscriptReference, score_transcript
from ipt_widgets.vocab import MISSED_RISK

from tests.conftest import REPO
from tests.nbgrader.conftest import ASSIGNMENTS, answer_key


def practice_transcripts() -> dict[str, tuple[TranscriptReference, int]]:
    found = {}
    for path in sorted((REPO / "course" / "cases").glob("*.yaml")):
        if "\ntranscripts:" in "\n" + path.read_text(encoding="utf-8"):
            for item_id, case in load_casebook(path, require_answers=True, strict=True).transcripts.items():
                found[item_id] = (case.reference, len(case.turns))
    return found


def graded_transcripts() -> dict[str, tuple[TranscriptReference, int, dict, str]]:
    found = {}
    for assignment in ASSIGNMENTS:
        key = {i: e for i, e in answer_key(assignment).items() if e["kind"] == "transcript"}
        if not key:
            continue
        book = load_casebook(REPO / "solutions" / assignment / "cases.yaml", strict=True)
        for item_id, entry in key.items():
            reference = TranscriptReference.from_mapping(entry["reference"], f"{assignment} {item_id}")
            found[item_id] = (reference, len(book.transcripts[item_id].turns), entry, assignment)
    return found


PRACTICE = practice_transcripts()
GRADED = graded_transcripts()
ALL = {i: v[0] for i, v in PRACTICE.items()} | {i: v[0] for i, v in GRADED.items()}


def test_every_transcript_says_how_its_drift_reads():
    assert len(ALL) == len(PRACTICE) + len(GRADED) >= 28
    assert not [i for i, ref in ALL.items() if not ref.drift], "mark drift: subtle, caricatured or none"


def test_at_least_eight_transcripts_drift_subtly_and_no_more_than_half_are_caricatured():
    subtle = [i for i, ref in ALL.items() if ref.drift == "subtle"]
    caricatured = [i for i, ref in ALL.items() if ref.drift == "caricatured"]
    assert len(subtle) >= 8, subtle
    assert len([i for i in subtle if i in GRADED]) >= 3
    assert 2 * len(caricatured) <= len(ALL), f"{len(caricatured)} of {len(ALL)} caricatured"


def test_at_least_two_subtle_transcripts_hold_a_missed_risk_turn():
    with_risk = [i for i, ref in ALL.items() if ref.drift == "subtle" and ref.risk_turns]
    assert len(with_risk) >= 2, with_risk


@pytest.mark.parametrize("item_id", sorted(ALL))
def test_each_transcript_is_a_realistic_length_with_most_turns_on_model(item_id):
    turns = PRACTICE[item_id][1] if item_id in PRACTICE else GRADED[item_id][1]
    assert 10 <= turns <= 20
    codes = [t.technique for t in ALL[item_id].turns]
    assert sum(c in ("off_model", MISSED_RISK) for c in codes) * 2 < len(codes)


def test_the_kigali_group_hint_is_coded_as_missed_risk_and_explains_why_it_is_not_adherence():
    reference = GRADED["tr_g09_kigali_womens_group"][0]
    turn = reference.turns[6]
    assert turn.technique == MISSED_RISK and not turn.also_accept
    assert "not as off-model" in turn.explanation and "safety comes before any model" in turn.explanation


def _grade_cell_metadata(assignment: str, grade_id: str) -> dict:
    for path in sorted((REPO / "solutions" / assignment).glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
                return cell.metadata
    raise KeyError(grade_id)


@pytest.mark.parametrize("item_id", sorted(i for i, v in GRADED.items() if v[0].risk_turns))
def test_a_graded_missed_risk_turn_counts_double_and_is_a_risk_decision(item_id):
    reference, _, entry, assignment = GRADED[item_id]
    meta = _grade_cell_metadata(assignment, entry["grade_id"])
    assert "risk_assessment" in meta["ipt"]["competencies"]
    normal = len(reference.turns) - reference.risk_turns
    assert entry["points"] == meta["nbgrader"]["points"] == normal + 2 * reference.risk_turns
    key = {f"t{n}": t.technique for n, t in enumerate(reference.turns, start=1)}
    risk_turn = next(k for k, code in key.items() if code == MISSED_RISK)
    other_turn = next(k for k, code in key.items() if code not in (MISSED_RISK, "off_model"))
    points = entry["points"]
    full = score_transcript(key, reference, points)
    assert full.points == points and full.parts[MISSED_RISK] == 1.0
    as_off_model = score_transcript({**key, risk_turn: "off_model"}, reference, points)
    one_normal = score_transcript(
        {**key, other_turn: "role_play" if key[other_turn] != "role_play" else "directive"}, reference, points
    )
    assert as_off_model.points == pytest.approx(points - 2) and one_normal.points == pytest.approx(points - 1)
    assert as_off_model.parts[MISSED_RISK] == 0.0


def test_released_case_files_never_say_how_a_transcript_drifts():
    for path in [*(REPO / "solutions").glob("*/cases.yaml"), *(REPO / "exercises").glob("*/cases.yaml")]:
        assert "\n  drift:" not in Path(path).read_text(encoding="utf-8"), path
