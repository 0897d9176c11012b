"""InterventionDrafter: write a formulation or an intervention plan in your own words.

The text is saved as the trainee types, at most once a second and always within a second of the
last keystroke, so a closed tab or a crashed kernel loses at most that second. Practice mode
scores the draft element by element on request and, on a second request, shows the expert
formulation; graded mode only records.
"""

from __future__ import annotations

import threading
import time
from html import escape
from typing import Any

import ipywidgets as widgets

from ..feedback import draft_card
from ..formulations import DraftTask, FormulationReference
from ..itemset import Unavailable
from ..scoring.base import ItemScore
from ..store import ResponseStore
from .base import GRADED, PRACTICE, StoredItemWidget, heading_html, heading_level, status_line, unavailable_widget

SAVE_INTERVAL = 1.0  # seconds between saves while typing


class InterventionDrafter(StoredItemWidget):
    """A text area for a free-text formulation or plan, with word count and (practice) feedback.

    Parameters
    ----------
    reference
        The case and, in practice mode, the expert reference. In graded mode pass
        ``FormulationReference``-like data without the answer, or use :meth:`graded`.
    store
        Where the draft is saved (one file per notebook).
    mode
        "practice" or "graded".
    """

    def __init__(
        self,
        item_id: str,
        title: str,
        vignette: str,
        prompt: str,
        store: ResponseStore,
        *,
        reference: FormulationReference | None = None,
        mode: str = PRACTICE,
        target_words: tuple[int, int] = (100, 200),
        **kwargs: Any,
    ):
        super().__init__(item_id, title, store, mode, reference is not None, **kwargs)
        self.reference = reference
        self.target_words = target_words
        self._timer: threading.Timer | None = None
        self._last_save = 0.0
        self._lock = threading.Lock()
        self.text = widgets.Textarea(
            value="",
            placeholder="Write here, in full sentences, as you would say it or plan it.",
            description="Your draft",
            continuous_update=True,
            layout=widgets.Layout(width="100%", height="14em"),
            style={"description_width": "initial"},
        )
        self.count = widgets.HTML(value="")
        self.text.observe(self._typed, names="value")
        body = [
            widgets.HTML(heading_html(title, vignette, level=heading_level(mode))),
            widgets.HTML(f"<p style='max-width:60em'><strong>Task.</strong> {escape(prompt)}</p>"),
            self.text,
            self.count,
        ]
        self.add_class("ipt-drafter")
        self._finish(body, check_label="Check my draft")

    @classmethod
    def for_task(cls, task: DraftTask | FormulationReference, store: ResponseStore, mode: str = PRACTICE, **kwargs):
        """The widget for an item of :func:`~ipt_widgets.formulations.load_draft_tasks` (or a reference).

        In graded mode the reference is not kept in the widget: the trainee's kernel has no key.
        """
        if isinstance(task, Unavailable):
            return unavailable_widget(task)
        reference = task if isinstance(task, FormulationReference) else task.reference
        return cls(
            task.id,
            task.title,
            task.vignette,
            task.prompt,
            store,
            reference=reference if mode == PRACTICE else None,
            mode=mode,
            **kwargs,
        )

    def write(self, text: str) -> None:
        """Answer from Python: replace the draft with ``text`` and save it at once."""
        if not isinstance(text, str):
            raise ValueError(f"{self.item_id}: a draft is text, got {type(text).__name__}")
        self.text.value = text
        self.flush()

    # -- StoredItemWidget hooks -------------------------------------------------------------

    def _answer_json(self) -> str:
        return self.text.value

    def _apply_saved(self, value: Any) -> str | None:
        if not isinstance(value, str):
            return f"expected text, found {type(value).__name__}"
        self.text.value = value
        return None

    def _score(self) -> ItemScore:
        from ..scoring.free_text import score_draft

        return score_draft(self.text.value, self.reference)

    def _next_step(self, score) -> str:
        if score.verdict == "partial" and not self._revealed and _all_elements_met(score):
            return "Every element is there. Press “Show expert answer” to compare your wording with an expert's."
        return super()._next_step(score)

    def _card(self, score, reveal: bool, notes=()) -> str:
        return draft_card(self.title, score, show_points=False, show_expert=reveal, notes=notes)

    def _refresh(self) -> None:
        n = len(self.text.value.split())
        low, high = self.target_words
        hint = "" if low <= n <= high else f" (aim for about {low}–{high})"
        self.count.value = status_line(f"{n} word{'s' if n != 1 else ''}{hint}")

    # -- saving while typing ----------------------------------------------------------------

    def _typed(self, _change: Any) -> None:
        if self._restoring:
            return
        self._refresh()
        self._feedback_after_change()
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            wait = SAVE_INTERVAL - (time.monotonic() - self._last_save)
            if wait <= 0:
                self._save_now()
            else:  # a trailing save catches the last keystrokes
                self._timer = threading.Timer(wait, self.flush)
                self._timer.daemon = True
                self._timer.start()

    def _save_now(self) -> None:
        self._last_save = time.monotonic()
        self._save()

    def flush(self) -> None:
        """Save now if a save is pending (also called before checking)."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            self._save_now()

    def check(self):
        if not self._restoring and self.text.value:
            self.flush()
        return super().check()


def _all_elements_met(score) -> bool:
    elements = getattr(score, "elements", ())
    return bool(elements) and all(e.status == "met" for e in elements) and not getattr(score, "deductions", None)


__all__ = ["GRADED", "PRACTICE", "InterventionDrafter"]
