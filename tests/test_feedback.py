"""Feedback cards: content, and escaping of anything a trainee wrote."""

from ipt_widgets.feedback import classification_card, notice_card
from ipt_widgets.scoring import ClassificationAnswer, score_classification

PAYLOADS = ["<script>alert('x')</script>", '<img src=x onerror="alert(1)">', '"><svg onload=alert(1)>']


def test_card_shows_points_verdict_expert_answer_and_rationale(dispute_reference):
    answer = ClassificationAnswer("role_dispute", "renegotiation", "They argue a lot.")
    html = classification_card("Case 3", score_classification(answer, dispute_reference, 2), answer, dispute_reference)
    assert "Partly correct — 1 / 2 points" in html
    assert "Expert answer:</strong> Role dispute, impasse stage." in html
    assert "They argue a lot." in html
    assert "silent resentment" in html  # the stage explanation is taught after grading


def test_practice_card_hides_points(dispute_reference):
    answer = ClassificationAnswer("grief")
    html = classification_card("C", score_classification(answer, dispute_reference), answer, show_points=False)
    assert "points" not in html and "Expert answer" not in html


def test_trainee_text_is_escaped(dispute_reference):
    for payload in PAYLOADS:
        answer = ClassificationAnswer("grief", None, payload)
        html = classification_card(payload, score_classification(answer, dispute_reference), answer, notes=[payload])
        html += notice_card(payload, title=payload)
        assert "<script" not in html and "<img" not in html and "<svg" not in html


def test_a_draft_with_every_element_met_is_not_called_partly_correct():
    from ipt_widgets.feedback import draft_card
    from ipt_widgets.scoring.free_text import DraftScore, ElementResult

    met = [ElementResult(f"e{i}", f"Element {i}", "met", 0.8, 1.0, "I wrote it.", 0.7, "") for i in range(3)]
    score = DraftScore(2.4, 3.0, "partial", [], [], {}, elements=tuple(met), word_count=120)
    card = draft_card("Case 11", score, show_points=False)
    assert "Every element met" in card and "Partly correct" not in card
    missed = [*met[:2], ElementResult("e2", "Element 2", "missed", 0.0, 1.0, "", 0.1, "An example.")]
    score = DraftScore(1.6, 3.0, "partial", [], [], {}, elements=tuple(missed), word_count=120)
    assert "Partly correct" in draft_card("Case 11", score, show_points=False)
