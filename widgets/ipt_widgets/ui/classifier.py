"""VignetteClassifier: read a case, choose its primary IPT problem area (and dispute stage).

A fifth choice, "Not IPT now: refer or treat first", opens a radio group asking why. A case
that asks for it (a mixed presentation) gets another radio group, the secondary area or "none".
The widget's data are its traits (``area``, ``stage``, ``not_indicated_reason``, ``secondary``,
``rationale``); the controls are linked to them. Setting a trait from Python is the same as
clicking, which is what the tests and the solution cells do (``answer(...)``), as
``Button.click()`` does for a button.
"""

from __future__ import annotations

import ipywidgets as widgets
from traitlets import Unicode, observe, validate

from ..cases import CLASSIFIER_CHOICES, Case
from ..feedback import classification_card
from ..scoring.classification import ClassificationAnswer, parse_classification, score_classification
from ..store import ResponseStore
from ..vocab import (
    DISPUTE_STAGES,
    NO_SECONDARY,
    NOT_INDICATED,
    NOT_INDICATED_LABEL,
    NOT_INDICATED_REASONS,
    PROBLEM_AREAS,
    ROLE_DISPUTE,
)
from .base import GRADED, LABEL_STYLE, PRACTICE, StoredItemWidget, heading_html, heading_level

__all__ = ["VignetteClassifier", "PRACTICE", "GRADED", "vignette_html"]


def vignette_html(case: Case, level: int = 4) -> str:
    """The case as accessible HTML: a heading and the escaped text, paragraphs kept."""
    return heading_html(case.title, case.text, level=level)


class VignetteClassifier(StoredItemWidget):
    """Classify one case vignette by IPT problem area and, for a role dispute, its stage.

    Parameters
    ----------
    case
        The case to show. In practice mode it must carry its reference (answer and feedback).
    store
        Where answers are saved (``ResponseStore.for_notebook("<notebook stem>")``).
    mode
        "practice" (instant feedback) or "graded" (records only, reveals nothing).
    """

    area = Unicode(None, allow_none=True).tag(sync=True)
    stage = Unicode(None, allow_none=True).tag(sync=True)
    rationale = Unicode("").tag(sync=True)
    secondary = Unicode(None, allow_none=True).tag(sync=True)
    not_indicated_reason = Unicode(None, allow_none=True).tag(sync=True)

    def __init__(self, case: Case, store: ResponseStore, mode: str = PRACTICE, **kwargs):
        super().__init__(case.id, case.title, store, mode, case.reference is not None, **kwargs)
        self.case = case
        self._area_control = widgets.RadioButtons(
            options=[(t.label, t.key) for t in PROBLEM_AREAS.values()] + [(NOT_INDICATED_LABEL, NOT_INDICATED)],
            value=None,
            description="Primary problem area:",
            style=LABEL_STYLE,
        )
        self._reason_control = widgets.RadioButtons(
            options=[(t.label, t.key) for t in NOT_INDICATED_REASONS.values()],
            value=None,
            description="Why not IPT now:",
            style=LABEL_STYLE,
            # Wider than the default: a long reason would wrap over the next one.
            layout=widgets.Layout(display="none", width="auto"),
        )
        self._stage_control = widgets.RadioButtons(
            options=[(t.label, t.key) for t in DISPUTE_STAGES.values()],
            value=None,
            description="Stage of the dispute:",
            style=LABEL_STYLE,
            layout=widgets.Layout(display="none"),
        )
        # Shown only for a case that asks for it, so every other case looks exactly as before.
        self._secondary_control = widgets.RadioButtons(
            options=[(t.label, t.key) for t in PROBLEM_AREAS.values()] + [("None", NO_SECONDARY)],
            value=None,
            description="Secondary problem area:",
            style=LABEL_STYLE,
            layout=widgets.Layout(display=None if case.ask_secondary else "none"),
        )
        self._rationale_control = widgets.Textarea(
            description="Your rationale:",
            placeholder="One or two sentences: which facts in the case point to this area?",
            style=LABEL_STYLE,
            layout=widgets.Layout(width="95%", height="5em"),
        )
        widgets.link((self, "area"), (self._area_control, "value"))
        widgets.link((self, "stage"), (self._stage_control, "value"))
        widgets.link((self, "rationale"), (self._rationale_control, "value"))
        widgets.link((self, "secondary"), (self._secondary_control, "value"))
        widgets.link((self, "not_indicated_reason"), (self._reason_control, "value"))
        self.add_class("ipt-vignette-classifier")
        self._finish(
            [
                widgets.HTML(value=vignette_html(case, heading_level(mode))),
                self._area_control,
                self._stage_control,
                self._reason_control,
                self._secondary_control,
                self._rationale_control,
            ]
        )

    @validate("area")
    def _valid_area(self, proposal):
        if proposal["value"] is not None and proposal["value"] not in CLASSIFIER_CHOICES:
            raise ValueError(f"area must be one of {', '.join(CLASSIFIER_CHOICES)}, got {proposal['value']!r}")
        return proposal["value"]

    @validate("stage")
    def _valid_stage(self, proposal):
        if proposal["value"] is not None and proposal["value"] not in DISPUTE_STAGES:
            raise ValueError(f"stage must be one of {', '.join(DISPUTE_STAGES)}, got {proposal['value']!r}")
        return proposal["value"]

    @validate("secondary")
    def _valid_secondary(self, proposal):
        choices = (*PROBLEM_AREAS, NO_SECONDARY)
        if proposal["value"] is not None and proposal["value"] not in choices:
            raise ValueError(f"secondary must be one of {', '.join(choices)}, got {proposal['value']!r}")
        return proposal["value"]

    @validate("not_indicated_reason")
    def _valid_reason(self, proposal):
        if proposal["value"] is not None and proposal["value"] not in NOT_INDICATED_REASONS:
            raise ValueError(
                f"not_indicated_reason must be one of {', '.join(NOT_INDICATED_REASONS)}, got {proposal['value']!r}"
            )
        return proposal["value"]

    @observe("area")
    def _show_follow_up(self, change):
        """The stage only for a role dispute, the reason only for "not IPT now"."""
        self._stage_control.layout.display = None if change["new"] == ROLE_DISPUTE else "none"
        self._reason_control.layout.display = None if change["new"] == NOT_INDICATED else "none"

    @observe("area", "stage", "secondary", "not_indicated_reason", "rationale")
    def _on_trait_change(self, change):
        self._changed()

    @property
    def value(self) -> ClassificationAnswer:
        """The current answer (the stage only counts for a role dispute, the secondary area only
        for a case that asks for it)."""
        stage = self.stage if self.area == ROLE_DISPUTE else None
        secondary = self.secondary if self.case.ask_secondary else None
        reason = self.not_indicated_reason if self.area == NOT_INDICATED else None
        return ClassificationAnswer(self.area, stage, self.rationale, secondary, reason)

    def answer(
        self,
        area: str | None = None,
        stage: str | None = None,
        rationale: str | None = None,
        secondary: str | None = None,
        not_indicated_reason: str | None = None,
    ) -> None:
        """Set the answer from Python, exactly as the controls would (and so save it)."""
        if rationale is not None:
            self.rationale = rationale
        if not_indicated_reason is not None:
            self.not_indicated_reason = not_indicated_reason
        if secondary is not None:
            if not self.case.ask_secondary:
                raise ValueError(f"case {self.case.id!r} does not ask for a secondary area")
            self.secondary = secondary
        if stage is not None:
            self.stage = stage
        if area is not None:
            self.area = area

    # Classification has its own card: feedback per distractor, and the expert area.
    def _score(self):
        return score_classification(self.value, self.case.reference)

    def _card(self, score, reveal, notes=()):
        reference = self.case.reference if reveal else None
        return classification_card(self.case.title, score, self.value, reference, show_points=False, notes=notes)

    def _answer_json(self):
        return self.value.to_json()

    def _apply_saved(self, value):
        answer, problem = parse_classification(value)
        if answer is not None:
            self.rationale = answer.rationale
            self.secondary = answer.secondary if self.case.ask_secondary else None
            self.not_indicated_reason = answer.not_indicated_reason
            self.stage = answer.stage
            self.area = answer.area
        return problem
