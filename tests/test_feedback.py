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
