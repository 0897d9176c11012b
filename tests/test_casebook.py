"""Loading clinical-tool cases: every section, and bad input named by file, case and field."""

import pytest
from ipt_widgets.casebook import load_casebook

from tests.conftest import REPO

PHRASES = ["not at all"] * 9


def write(tmp_path, text):
    path = tmp_path / "cases.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_committed_case_file_loads():
    for path in [*(REPO / "course" / "cases").glob("*.yaml"), *(REPO / "solutions").glob("*/cases.yaml")]:
        text = path.read_text(encoding="utf-8")
        if any(f"\n{section}:" in "\n" + text for section in ("inventory", "timeline", "phq9", "transcripts")):
            load_casebook(path, require_answers=path.parent.name == "cases", strict=True)


def test_graded_phq9_has_no_reference_but_practice_derives_one(tmp_path):
    sessions = f"[{{label: A, answers: {PHRASES}}}, {{label: B, answers: {PHRASES}}}]"
    graded = f"phq9: [{{id: p, title: T, text: x, sessions: {sessions}}}]"
    assert load_casebook(write(tmp_path, graded)).phq9["p"].reference is None
    practice = graded.replace("text: x,", "text: x, explanation: Why.,")
    case = load_casebook(write(tmp_path, practice), require_answers=True).phq9["p"]
    assert case.reference.totals == [0, 0] and case.labels == ("A", "B")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("nothing: []", "unknown section 'nothing'"),
        ("{}", "expected at least one section"),
        ("transcript: []", "unknown section 'transcript'; did you mean 'transcripts'"),
        ("inventory: {}", "field 'inventory' must be a list"),
        ("inventory: [{title: T, text: x}]", "inventory case 1, line 1: field 'id'"),
        ("timeline: [{id: t, title: T, text: x, weeks: 2, events: []}]", "case 't', line 1: field 'weeks'"),
        ("timeline: [{id: t, title: T, text: x, weeks: 5, events: [{id: a, label: A}]}]", "field 'events'"),
        (
            "phq9: [{id: p, title: T, text: x, sessions: [{label: A, answers: [often]}, {label: B, answers: []}]}]",
            "session 1, field 'answers'",
        ),
        (
            "transcripts: [{id: r, title: T, context: c, turns: [{speaker: client, text: hi}]}]",
            "turn 1, line 1: field 'speaker'",
        ),
        ("transcripts: [{id: r, title: T, context: c, turns: [{speaker: patient, text: hi}]}]", "no therapist turn"),
        (
            "transcripts: [{id: r, title: T, context: c, turns: "
            "[{speaker: therapist, text: a, technique: exploratory}, {speaker: therapist, text: b}]}]",
            "every therapist turn needs a 'technique'",
        ),
    ],
)
def test_bad_files(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ValueError, match=message) as error:
        load_casebook(path, strict=True)
    assert str(path) in str(error.value)


def test_practice_files_need_answers(tmp_path):
    with pytest.raises(ValueError, match="field 'answer' is missing"):
        load_casebook(write(tmp_path, "inventory: [{id: i, title: T, text: x}]"), require_answers=True, strict=True)


def test_transcript_drift_is_read_with_the_codes_and_refused_in_a_released_file(tmp_path):
    turns = "[{speaker: therapist, text: Hi, technique: off_model}, {speaker: patient, text: Hello}]"
    practice = f"transcripts:\n- id: t\n  title: T\n  context: x\n  drift: subtle\n  turns: {turns}\n"
    case = load_casebook(write(tmp_path, practice), require_answers=True).transcripts["t"]
    assert case.reference.drift == "subtle"
    released = practice.replace(", technique: off_model", "")
    with pytest.raises(ValueError, match=r"cases.yaml: transcripts case 't', line 5: field 'drift' belongs with"):
        load_casebook(write(tmp_path, released), strict=True)
    with pytest.raises(ValueError, match=r"line 5: field 'drift' is 'mild'; expected one of subtle"):
        load_casebook(write(tmp_path, practice.replace("subtle", "mild")), require_answers=True, strict=True)
