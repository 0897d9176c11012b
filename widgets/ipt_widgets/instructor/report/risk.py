"""The risk column: evidence of ``risk_assessment`` comes only from scored risk decisions.

A PHQ-9 item earns most of its points from arithmetic, so its whole score says little about
whether a trainee acts on suicide risk. Each hidden test attaches its item's parts to the
feedback card (``{"ipt": {"parts": {...}}}``, see ``grading.parts_metadata``, read by
``parts.read_parts``); the parts named in :data:`ipt_widgets.risk.RISK_PARTS` (the PHQ-9's
``risk_action``, a transcript's ``missed_risk``) are the only evidence this column uses. An
item tagged ``risk_assessment`` whose graded notebook holds no risk part (not autograded here,
or graded before the part existed) is missing for risk, not zero.

Pure computation: :func:`risk_scores` turns the parts into the (score, max score) pairs the
tables use.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ...risk import RISK_COMPETENCY, RISK_PARTS
from .model import Item, ItemKey

Parts = Mapping[str, Mapping[ItemKey, Mapping[str, float]]]  # trainee -> item -> part -> fraction


def risk_scores(items: Sequence[Item], parts: Parts) -> dict[str, dict[ItemKey, tuple[float, float]]]:
    """Trainee -> item -> (points, item points) from the item's risk parts alone (their mean, when
    an item has more than one); only items tagged ``risk_assessment`` count."""
    tagged = {i.key: i.points for i in items if RISK_COMPETENCY in i.competencies}
    scores: dict[str, dict[ItemKey, tuple[float, float]]] = {}
    for trainee, by_item in parts.items():
        for key, item_parts in by_item.items():
            risk = [v for name, v in item_parts.items() if name in RISK_PARTS]
            if key in tagged and risk:
                scores.setdefault(trainee, {})[key] = (tagged[key] * sum(risk) / len(risk), tagged[key])
    return scores
