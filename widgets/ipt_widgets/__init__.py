"""ipt_widgets: the package behind the IPT clinician training course.

Layers (imports point downward only): ``vocab``, ``schema`` (known keys, line numbers) and
``itemset`` → ``store``, ``cases`` → ``scoring`` → ``feedback`` → ``ui`` (ipywidgets) and
``grading`` (what nbgrader's hidden test cells call); the instructor's tools ``check`` and
``preview`` sit on top.

Names are exported lazily: a hidden test cell that imports ``ipt_widgets.grading`` must not
pay for ipywidgets, because every autograded notebook starts a fresh kernel. For the same
reason, while nbgrader autogrades, the widget names give stand-ins (:mod:`ipt_widgets.headless`).
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "ResponseStore": "ipt_widgets.store",
    "load_cases": "ipt_widgets.cases",
    "Case": "ipt_widgets.cases",
    "ClassificationReference": "ipt_widgets.cases",
    "VignetteClassifier": "ipt_widgets.ui.classifier",
    "InventoryMapper": "ipt_widgets.ui.inventory",
    "MoodTimeline": "ipt_widgets.ui.timeline",
    "TranscriptCoder": "ipt_widgets.ui.transcript",
    "SymptomTracker": "ipt_widgets.ui.symptoms",
    "InterventionDrafter": "ipt_widgets.ui.drafter",
    "SessionSimulator": "ipt_widgets.ui.simulator",
    "load_scenarios": "ipt_widgets.scenario_format",
    "load_draft_tasks": "ipt_widgets.drafts",  # never raises; formulations.load_draft_tasks does
    "load_references": "ipt_widgets.formulations",
    "score_draft": "ipt_widgets.scoring.free_text",
    "load_casebook": "ipt_widgets.casebook",
    "grade_classification": "ipt_widgets.grading",
    "check_answered": "ipt_widgets.grading",
    "grade_inventory": "ipt_widgets.grading",
    "grade_timeline": "ipt_widgets.grading",
    "grade_transcript": "ipt_widgets.grading",
    "grade_phq9": "ipt_widgets.grading",
    "grade_draft": "ipt_widgets.grading",
}

__all__ = sorted(_EXPORTS)
_WIDGETS = {name for name, module in _EXPORTS.items() if module.startswith("ipt_widgets.ui.")}


def __getattr__(name: str):
    if name in _WIDGETS:
        from .headless import autograding, headless

        if autograding():
            return headless(name)
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'ipt_widgets' has no attribute {name!r}")
