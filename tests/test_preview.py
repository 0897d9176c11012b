"""`python -m ipt_widgets.preview`: an item's card as text and its score, without JupyterLab."""

import json

from ipt_widgets.preview import main

from tests.conftest import REPO

COURSE = ["--course", str(REPO)]


def run(capsys, *argv):
    status = main([*argv, *COURSE])
    return status, capsys.readouterr().out


def test_a_graded_classification_is_scored_by_its_hidden_test(capsys):
    status, out = run(capsys, "g03_tbilisi_vineyard", "--answer", "area=role_dispute", "stage=impasse")
    assert status == 0
    assert "Case 7: Giorgi" in out and "Expert answer: Role dispute, renegotiation stage." in out
    assert out.rstrip().endswith("Score: 1 of 2")


def test_a_practice_case_is_checked_as_its_widget_does(capsys):
    status, out = run(capsys, "p03_cusco_herder", "--answer", "area=grief")
    assert status == 0 and "Expert answer: Grief, as you chose." in out and out.rstrip().endswith("Score: 1 of 1")


def test_a_transcript_from_turn_codes_and_a_timeline_from_a_file(capsys, tmp_path):
    status, out = run(capsys, "tr_g03_harare_sister", "--answer", "t1=exploratory", "t2=exploratory")
    assert status == 0 and "2 of 9 therapist turns" in out and "Score: 2 of 9" in out
    answer = tmp_path / "timeline.yaml"
    answer.write_text(
        "mood: [7, 8, 6, 5, 7, 7, 7, 4, 4, 4, 3, 2, 2, 2]\nevent_weeks: {e1: 2, e2: 3, e3: 7, e4: 9, e5: 11}\n"
        "onset: e3\nworsening: e5\n",
        encoding="utf-8",
    )
    status, out = run(capsys, "tl_g01_chennai_new_mother", "--answer-file", str(answer))
    assert status == 0 and "Score: 4 of 4" in out


def test_a_draft_from_a_file_and_an_answer_from_a_responses_file(capsys, tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text("Albano, since Zé died you have kept busy and not grieved him.", encoding="utf-8")
    status, out = run(capsys, "ft_practice_formulation", "--draft", str(draft))
    assert status == 0 and "Expert formulation" in out and "Score: " in out
    responses = tmp_path / "m03_grief.responses.json"
    responses.write_text(json.dumps({"items": {"g03_bihar_widow": {"value": {"area": "grief"}}}}), encoding="utf-8")
    status, out = run(capsys, "g03_bihar_widow", "--responses", str(responses))
    assert status == 0 and "Score: 2 of 2" in out


def test_an_unknown_item_is_named(capsys):
    status, out = run(capsys, "g03_nobody", "--answer", "area=grief")
    assert status == 2 and "no item 'g03_nobody'" in out
