"""VignetteClassifier: read a case, choose its primary IPT problem area (and dispute stage).

The widget's data are its traits (``area``, ``stage``, ``rationale``); the controls are linked
to them. Setting a trait from Python is the same as clicking, which is what the tests and the
solution cells do (``answer(...)``), as ``Button.click()`` does for a button.

Persistence: building the widget restores a saved answer and writes nothing; every change of
a trait saves the whole answer through the response store. Practice mode checks on demand and
explains the choice; graded mode only records and says so.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import ipywidgets as widgets
from traitlets import Unicode, observe, validate

from ..cases import Case
from ..feedback import classification_card, notice_card
from ..scoring.classification import ClassificationAnswer, parse_classification, score_classification
from ..store import ResponseStore
from ..vocab import DISPUTE_STAGES, PROBLEM_AREAS, ROLE_DISPUTE

PRACTICE = "practice"
GRADED = "graded"
_LABEL_STYLE = {"description_width": "initial"}


def vignette_html(case: Case) -> str:
    """The case as accessible HTML: a heading and the escaped text, paragraphs kept."""
    paragraphs = "".join(
        f"<p style='margin:0.4em 0'>{escape(p.strip())}</p>" for p in case.text.split("\n\n") if p.strip()
    )
    return (
        f"<article aria-label='Case {escape(case.title)}' style='max-width:60em;line-height:1.5'>"
        f"<h4 style='margin:0.2em 0'>{escape(case.title)}</h4>{paragraphs}</article>"
    )


class VignetteClassifier(widgets.VBox):
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

    def __init__(self, case: Case, store: ResponseStore, mode: str = PRACTICE, **kwargs):
        if mode not in (PRACTICE, GRADED):
            raise ValueError(f"mode must be {PRACTICE!r} or {GRADED!r}, got {mode!r}")
        if mode == PRACTICE and case.reference is None:
            raise ValueError(f"case {case.id!r}: practice mode needs a case with an 'answer'")
        self.case = case
        self.store = store
        self.mode = mode
        self._check_callbacks = widgets.CallbackDispatcher()
        self._restoring = True  # no saving while the widget is being built

        self._area_control = widgets.RadioButtons(
            options=[(t.label, t.key) for t in PROBLEM_AREAS.values()],
            value=None,
            description="Primary problem area:",
            style=_LABEL_STYLE,
        )
        self._stage_control = widgets.RadioButtons(
            options=[(t.label, t.key) for t in DISPUTE_STAGES.values()],
            value=None,
            description="Stage of the dispute:",
            style=_LABEL_STYLE,
            layout=widgets.Layout(display="none"),
        )
        self._rationale_control = widgets.Textarea(
            description="Your rationale:",
            placeholder="One or two sentences: which facts in the case point to this area?",
            style=_LABEL_STYLE,
            layout=widgets.Layout(width="95%", height="5em"),
        )
        self.feedback = widgets.HTML(value="")
        self.status = widgets.HTML(value="")
        children = [
            widgets.HTML(value=vignette_html(case)),
            self._area_control,
            self._stage_control,
            self._rationale_control,
        ]
        if mode == PRACTICE:
            self._check_button = widgets.Button(
                description="Check my answer",
                button_style="primary",
                tooltip="Check your answer and see feedback",
                layout=widgets.Layout(width="auto"),
            )
            self._reveal_button = widgets.Button(
                description="Show expert answer",
                tooltip="Show the expert classification and why",
                layout=widgets.Layout(width="auto"),
            )
            self._check_button.on_click(lambda _: self.check())
            self._reveal_button.on_click(lambda _: self.show_answer())
            children.append(widgets.HBox([self._check_button, self._reveal_button]))
        children += [self.feedback, self.status]
        super().__init__(children=children, **kwargs)
        self.add_class("ipt-vignette-classifier")

        widgets.link((self, "area"), (self._area_control, "value"))
        widgets.link((self, "stage"), (self._stage_control, "value"))
        widgets.link((self, "rationale"), (self._rationale_control, "value"))
        self._restore()
        self._restoring = False

    # -- traits ----------------------------------------------------------------------------

    @validate("area")
    def _valid_area(self, proposal):
        if proposal["value"] is not None and proposal["value"] not in PROBLEM_AREAS:
            raise ValueError(f"area must be one of {', '.join(PROBLEM_AREAS)}, got {proposal['value']!r}")
        return proposal["value"]

    @validate("stage")
    def _valid_stage(self, proposal):
        if proposal["value"] is not None and proposal["value"] not in DISPUTE_STAGES:
            raise ValueError(f"stage must be one of {', '.join(DISPUTE_STAGES)}, got {proposal['value']!r}")
        return proposal["value"]

    @observe("area")
    def _show_stage_for_disputes(self, change):
        self._stage_control.layout.display = None if change["new"] == ROLE_DISPUTE else "none"

    @observe("area", "stage", "rationale")
    def _save_on_change(self, change):
        if self._restoring:
            return
        self.feedback.value = ""  # feedback on an old answer would mislead
        self._save()

    # -- public API ------------------------------------------------------------------------

    @property
    def value(self) -> ClassificationAnswer:
        """The current answer (the stage only counts for a role dispute)."""
        stage = self.stage if self.area == ROLE_DISPUTE else None
        return ClassificationAnswer(area=self.area, stage=stage, rationale=self.rationale)

    def answer(self, area: str | None = None, stage: str | None = None, rationale: str | None = None) -> None:
        """Set the answer from Python, exactly as the controls would (and so save it)."""
        if rationale is not None:
            self.rationale = rationale
        if stage is not None:
            self.stage = stage
        if area is not None:
            self.area = area

    def on_check(self, callback: Callable[[VignetteClassifier, object], None], remove: bool = False) -> None:
        """Register ``callback(widget, score)``, called after each check in practice mode."""
        self._check_callbacks.register_callback(callback, remove=remove)

    def check(self):
        """Score the current answer and show teaching feedback (practice mode only)."""
        if self.mode != PRACTICE:
            self.feedback.value = notice_card(
                "This is a graded item: your answer is saved and will be scored after you submit.",
                title="Saved for grading",
            )
            return None
        reference = self.case.reference
        score = score_classification(self.value, reference)
        notes = []
        if score.verdict in ("incorrect", "partial"):
            notes.append("Try again, or press “Show expert answer”.")
        self.feedback.value = classification_card(
            self.case.title,
            score,
            self.value,
            reference if score.verdict == "correct" else None,
            show_points=False,
            notes=notes,
        )
        self._check_callbacks(self, score)
        return score

    def show_answer(self) -> None:
        """Show the expert classification with its explanation (practice mode only)."""
        if self.mode != PRACTICE:
            return
        score = score_classification(self.value, self.case.reference)
        self.feedback.value = classification_card(
            self.case.title, score, self.value, self.case.reference, show_points=False
        )

    # -- persistence -----------------------------------------------------------------------

    def _restore(self) -> None:
        loaded = self.store.load()
        value = loaded.items.get(self.case.id, {}).get("value")
        answer, problem = parse_classification(value)
        messages = list(loaded.problems) + ([f"Your saved answer could not be restored: {problem}."] if problem else [])
        if answer is not None:
            self.rationale = answer.rationale
            self.stage = answer.stage
            self.area = answer.area
        if messages:
            self.status.value = notice_card(
                " ".join(messages) + " Answer again below; the next save keeps a copy of the old file.",
                title="About your saved answers",
            )
        elif answer is not None:
            self.status.value = _status_line(f"Your saved answer was restored ({self.store.path.name}).")

    def _save(self) -> None:
        try:
            before = self.store.save(self.case.id, self.value.to_json())
        except (OSError, ValueError) as exc:
            # The answer stays in the widget; say so plainly rather than raise in the notebook.
            self.status.value = notice_card(
                f"Your answer could not be saved to {self.store.path.name}: {exc}. It is still in this "
                "widget; fix the problem (disk space, folder permissions) and change the answer again.",
                title="Not saved",
            )
            return
        text = (
            "Saved automatically." if self.mode == PRACTICE else "Saved for grading. Nothing more to do for this case."
        )
        if before.problems:
            self.status.value = notice_card(" ".join(before.problems) + " " + text, title="Saved")
        else:
            self.status.value = _status_line(text)


def _status_line(text: str) -> str:
    return f"<span role='status' style='color:#455a64;font-size:0.9em'>{escape(text)}</span>"
