"""What every stored widget shares: practice/graded modes, restore without writing, save on
every change, a check and a reveal button in practice mode, and plain-language status lines.

A subclass builds its controls, then calls ``_finish(body)``, and implements:

* ``_answer_json()`` — the current answer as JSON-able data;
* ``_apply_saved(value)`` — put a saved value back into the controls; return a problem string
  if it cannot be used;
* ``_score(reveal)`` — an ``ItemScore`` against the practice reference (practice mode only);
* optionally ``_refresh()`` — redraw derived views (figures, totals) after a change.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

import ipywidgets as widgets

from ..feedback import notice_card, score_card
from ..itemset import Unavailable
from ..scoring.base import ItemScore
from ..store import ResponseStore
from .keyboard import KeyboardScope

PRACTICE = "practice"
GRADED = "graded"
LABEL_STYLE = {"description_width": "initial"}
# Above a card whose answer has changed since it was checked (see _feedback_after_change).
STALE_NOTE = (
    '<p class="ipt-stale" role="status" style="margin:0.4em 0;color:#1b1b1b"><strong>You have changed '
    "your answer since this feedback.</strong> Press “Check my answer” to check it again.</p>"
)


def status_line(text: str) -> str:
    return f"<span role='status' style='color:#455a64;font-size:0.9em'>{escape(text)}</span>"


def heading_level(mode: str) -> int:
    """Graded items sit under a notebook's "## Case 8" heading, practice ones under a "###"."""
    return 3 if mode == GRADED else 4


def heading_html(title: str, text: str = "", label: str = "Case", level: int = 4) -> str:
    """A case heading and its text (escaped; blank lines start new paragraphs)."""
    paragraphs = "".join(f"<p style='margin:0.4em 0'>{escape(p.strip())}</p>" for p in text.split("\n\n") if p.strip())
    return (
        f"<article aria-label='{escape(label)} {escape(title)}' style='max-width:60em;line-height:1.5'>"
        f"<h{level} style='margin:0.2em 0;font-size:1em'>{escape(title)}</h{level}>{paragraphs}</article>"
    )


def unavailable_widget(item: Unavailable) -> widgets.HTML:
    """What stands where an item that could not be loaded would be: a short message for the
    trainee, and the precise error (file, line, field) for the instructor."""
    html = notice_card(item.message, title="This exercise is not available") + (
        "<details style='margin:0.3em 0 0.6em'><summary>Details for your instructor</summary>"
        f"<pre style='white-space:pre-wrap;font-size:0.85em'>{escape(item.problem)}</pre></details>"
    )
    out = widgets.HTML(value=html)
    out.item_id = item.id
    out.problem = item.problem
    return out


class StoredItemWidget(widgets.VBox):
    """Base class: one graded or practice item whose answer lives in a ResponseStore.

    Built on an :class:`~ipt_widgets.itemset.Unavailable` (a case that did not load), any
    subclass gives :func:`unavailable_widget` instead, so the rest of the notebook still works.
    """

    def __new__(cls, *args: Any, **kwargs: Any):
        if args and isinstance(args[0], Unavailable):
            return unavailable_widget(args[0])
        return super().__new__(cls, *args, **kwargs)

    def __init__(self, item_id: str, title: str, store: ResponseStore, mode: str, has_reference: bool, **kwargs):
        if mode not in (PRACTICE, GRADED):
            raise ValueError(f"mode must be {PRACTICE!r} or {GRADED!r}, got {mode!r}")
        if mode == PRACTICE and not has_reference:
            raise ValueError(f"case {item_id!r}: practice mode needs a case with an 'answer'")
        self.item_id = item_id
        self.title = title
        self.store = store
        self.mode = mode
        self._check_callbacks = widgets.CallbackDispatcher()
        self._restoring = True  # no saving while the widget is being built or restored
        self._built = False  # trait observers that touch controls wait for _finish()
        self._revealed = False  # the expert answer has been shown: "try again" would mislead
        # The answer last checked and the card shown for it (see _feedback_after_change).
        self._checked: tuple[Any, str] | None = None
        self.feedback = widgets.HTML(value="")
        self.status = widgets.HTML(value="")
        super().__init__(**kwargs)
        self.add_class("ipt-widget")

    # -- for subclasses --------------------------------------------------------------------

    def _finish(self, body: list[widgets.Widget], check_label: str = "Check my answer") -> None:
        """Lay out the widget, restore the saved answer, and start saving on change."""
        self._built = True
        children = list(body)
        if self.mode == PRACTICE:
            self._check_button = widgets.Button(
                description=check_label,
                button_style="primary",
                tooltip="Check and see feedback",
                layout=widgets.Layout(width="auto"),
            )
            self._reveal_button = widgets.Button(
                description="Show expert answer",
                tooltip="Show the expert answer and why",
                layout=widgets.Layout(width="auto"),
            )
            self._check_button.on_click(lambda _: self.check())
            self._reveal_button.on_click(lambda _: self.show_answer())
            children.append(widgets.HBox([self._check_button, self._reveal_button]))
        # Last, so that children[0] stays the case text; it draws nothing.
        children += [self.feedback, self.status, KeyboardScope()]
        self.children = children
        self._restore()
        self._restoring = False
        self._refresh()

    def _answer_json(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def _apply_saved(self, value: Any) -> str | None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _score(self) -> ItemScore:  # pragma: no cover - abstract
        raise NotImplementedError

    def _refresh(self) -> None:
        """Redraw derived views; called after restore and after every change."""

    def _changed(self, *_: Any) -> None:
        """Call from every control observer: refresh, drop stale feedback, save."""
        if self._restoring:
            return
        self._refresh()
        self._feedback_after_change()
        self._save()

    def _feedback_after_change(self) -> None:
        """Feedback on an old answer would mislead, but wiping it loses a card the trainee has
        just asked for: the browser sends a text box's last keystrokes after a button's click
        when the kernel is busy (one state update in flight per widget), so a fast Tab and Enter
        used to show the card and erase it at once. The card stays, marked as about the earlier
        answer, until the trainee checks again."""
        if self._checked is None:
            self.feedback.value = ""
            return
        answer, card = self._checked
        if self._answer_json() == answer:
            self.feedback.value = card
        else:
            self.feedback.value = STALE_NOTE + card

    def _show(self, card: str) -> None:
        """Show a practice card for the current answer."""
        self._checked = (self._answer_json(), card)
        self.feedback.value = card

    # -- public API ------------------------------------------------------------------------

    def set_answer(self, value: Any) -> None:
        """Answer from Python with a value in the responses-file format (docs/authoring/responses_format.md),
        as if the trainee had entered it; it is saved. A value the widget cannot use raises ValueError."""
        self._restoring = True
        try:
            problem = self._apply_saved(value)
        finally:
            self._restoring = False
        if problem:
            raise ValueError(f"{self.item_id}: {problem}")
        self._changed()

    @property
    def saved_value(self) -> Any:
        """The current answer in the responses-file format (what grading reads)."""
        return self._answer_json()

    def on_check(self, callback: Callable[[Any, ItemScore], None], remove: bool = False) -> None:
        """Register ``callback(widget, score)``, called after each check in practice mode."""
        self._check_callbacks.register_callback(callback, remove=remove)

    def check(self) -> ItemScore | None:
        """Score the current answer and show teaching feedback (practice mode only)."""
        if self.mode != PRACTICE:
            self.feedback.value = notice_card(
                "This is a graded item: your answer is saved and will be scored after you submit.",
                title="Saved for grading",
            )
            return None
        score = self._score()
        notes = [self._next_step(score)] if score.verdict != "correct" else []
        self._show(self._card(score, reveal=score.verdict == "correct", notes=notes))
        self._check_callbacks(self, score)
        return score

    def _next_step(self, score: ItemScore) -> str:
        """What to do after a check that is not fully right, never contradicting what was shown."""
        if self._revealed:
            return "You have seen the expert answer: compare it with your own reasoning, then go on to the next case."
        if score.verdict == "unanswered":
            return "Answer above first, then press “Check my answer”."
        return "Change your answer and check again, or press “Show expert answer” to see the expert's reasoning."

    def show_answer(self) -> None:
        """Show the expert answer with its explanation (practice mode only)."""
        if self.mode == PRACTICE:
            self._revealed = True
            self._show(self._card(self._score(), reveal=True))

    def _card(self, score, reveal: bool, notes: list[str] | tuple[str, ...] = ()) -> str:
        """The practice card for ``score``; ``reveal`` shows the expert answer."""
        return score_card(self.title, score, show_points=False, show_expert=reveal, notes=notes)

    # -- persistence -----------------------------------------------------------------------

    def _restore(self) -> None:
        loaded = self.store.load()
        value = loaded.items.get(self.item_id, {}).get("value")
        problem = self._apply_saved(value) if value is not None else None
        messages = list(loaded.problems) + ([f"Your saved answer could not be restored: {problem}."] if problem else [])
        if messages:
            self.status.value = notice_card(
                " ".join(messages) + " Answer again below; the next save keeps a copy of the old file.",
                title="About your saved answers",
            )
        elif value is not None:
            self.status.value = status_line(f"Your saved answer was restored ({self.store.path.name}).")

    def _save(self) -> None:
        try:
            before = self.store.save(self.item_id, self._answer_json())
        except (OSError, ValueError) as exc:
            # The answer stays in the widget; say so plainly rather than raise in the notebook.
            self.status.value = notice_card(
                f"Your answer could not be saved to {self.store.path.name}: {exc}. It is still in this "
                "widget; fix the problem (disk space, folder permissions) and change the answer again.",
                title="Not saved",
            )
            return
        text = (
            "Saved automatically." if self.mode == PRACTICE else "Saved for grading. Nothing more to do for this item."
        )
        if before.problems:
            self.status.value = notice_card(" ".join(before.problems) + " " + text, title="Saved")
        else:
            self.status.value = status_line(text)
