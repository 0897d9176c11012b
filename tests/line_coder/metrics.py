"""Agreement figures of the line coder against labelled lines (pure functions)."""

from __future__ import annotations

from ipt_widgets.techniques import MISSED_RISK, TECHNIQUES


def per_technique(gold: list[str], pred: list[str]) -> dict[str, tuple[float, float, float, int]]:
    """technique -> (precision, recall, F1, number of gold lines)."""
    out = {}
    for t in TECHNIQUES:
        tp = sum(g == t and p == t for g, p in zip(gold, pred))
        n_pred = sum(p == t for p in pred)
        n_gold = sum(g == t for g in gold)
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[t] = (precision, recall, f1, n_gold)
    return out


def evaluate(rows: list[dict], codes) -> dict:
    """Macro-F1 (over the techniques present in the gold labels), accuracy, missed_risk recall,
    review share and agreement on the lines not sent for review, accuracy per kind."""
    gold = [r["technique"] for r in rows]
    pred = [c.technique for c in codes]
    per = per_technique(gold, pred)
    present = [t for t in TECHNIQUES if per[t][3]]
    missed = [p for g, p in zip(gold, pred) if g == MISSED_RISK]
    rest = [(g, p) for g, p, c in zip(gold, pred, codes) if not c.needs_review]
    by_kind: dict[str, list[bool]] = {}
    for r, p in zip(rows, pred):
        by_kind.setdefault(r.get("kind", "plain"), []).append(p == r["technique"])
    return {
        "macro_f1": sum(per[t][2] for t in present) / len(present) if present else 0.0,
        "accuracy": sum(g == p for g, p in zip(gold, pred)) / len(gold) if gold else 0.0,
        "missed_recall": sum(p == MISSED_RISK for p in missed) / len(missed) if missed else 1.0,
        "missed_as_helpful": sum(p in TECHNIQUES and TECHNIQUES[p].helpful for p in missed),
        "review_share": sum(c.needs_review for c in codes) / len(codes) if codes else 0.0,
        "agreement_rest": sum(g == p for g, p in rest) / len(rest) if rest else 0.0,
        "rest": len(rest),
        "by_kind": {k: (sum(v) / len(v), len(v)) for k, v in by_kind.items()},
        "per_technique": per,
    }
