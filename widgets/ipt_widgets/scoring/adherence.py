"""Score a trainee's rating of a whole session on the course's IPT adherence and quality checklist.

The trainee rates a full (fictional) session as a supervisor would, item by item: 2 (yes, done
well), 1 (partly), 0 (no), or N/A where the item allows it (no risk cue came up, no interaction was
discussed). The score is **agreement with the expert's rating**, not the quality of the session:

* the same rating as the expert: 1 for that item;
* one step away (2 against 1, 1 against 0): 0.5;
* further, or N/A against a number (either way): 0, and an item left unrated: 0.

The risk item is a safety matter. When the expert rates it 0 (a cue was missed or mishandled), only
a 0 agrees: "partly" earns nothing there, and the item counts twice (the transcript coder's rule for
a missed risk cue). Its agreement is kept as its own part, ``risk``, so it is never averaged away.

The checklist is the course's teaching aid, written for this course from the tasks and techniques of
the IPT manuals (Weissman, Markowitz & Klerman 2000, 2017); it is not a published fidelity scale.
The same items make the role-play observer's checklist (docs/handouts/role_play_triads.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..schema import at, check_keys, choice_error
from .base import ItemScore, check_points, finish, require_mapping, require_text

NA = "na"
RATINGS: tuple[Any, ...] = (2, 1, 0, NA)
RATING_LABELS = {2: "2 (yes, done well)", 1: "1 (partly)", 0: "0 (no)", NA: "N/A (not applicable)"}
RISK_ITEM = "risk"
RISK_WEIGHT = 2
RISK_NOTE = (
    "A risk cue is a safety matter before it is an adherence one: acknowledge it, ask directly and calmly about "
    "thoughts of suicide, any plan, intent and access to means, make a collaborative safety plan (never a "
    "no-suicide contract), and tell the supervisor the same day. In supervision, risk is discussed every time."
)


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    guide: str  # what a 2, a 1 and a 0 look like, for the trainee and the observer
    allows_na: bool


CHECKLIST: tuple[ChecklistItem, ...] = (
    ChecklistItem(
        "mood_events", "Linked mood to interpersonal events",
        "2: the week's mood and symptoms are tied to what happened with people, in both directions; "
        "1: asked about mood or events but did not connect them; 0: no link made.", False,
    ),
    ChecklistItem(
        "focus", "Kept to the agreed problem-area focus",
        "2: the session works on the problem area agreed in the formulation, and returns to it after "
        "detours; 1: drifts for a stretch before coming back; 0: the focus is lost or changed without agreement.",
        False,
    ),
    ChecklistItem(
        "area_strategy", "Used the strategies of that problem area",
        "2: the work fits the area (mourning and new ties in grief; the dispute's stage in a dispute; the old "
        "and new role in a transition; contacts and the therapy relationship in deficits); 1: some of it; "
        "0: none.", False,
    ),
    ChecklistItem(
        "communication_analysis", "Analysed a specific interaction (communication analysis)",
        "2: took one exchange step by step (what was said, meant, heard, felt) and looked at other ways to say "
        "it; 1: asked about it only in general; 0: an interaction was central and left unexplored; N/A: none "
        "came up.", True,
    ),
    ChecklistItem(
        "affect", "Encouraged the expression of affect",
        "2: noticed, invited and stayed with feelings, including painful or 'unacceptable' ones; 1: noticed "
        "them and moved on; 0: closed them down (reassurance, changing the subject).", False,
    ),
    ChecklistItem(
        "new_behaviour", "Helped the patient try new ways to act",
        "2: options weighed (decision analysis) or a conversation rehearsed (role play), with the patient "
        "choosing; 1: options mentioned but not worked through; 0: the patient was told what to do, or no "
        "change was considered; N/A: not yet the time for it (e.g. an early grief session).", True,
    ),
    ChecklistItem(
        RISK_ITEM, "Assessed risk when cued",
        "2: a cue (hopelessness, 'better off without me', item 9) was acknowledged and followed by direct "
        "questions about thoughts, plan, intent and means, then a safety plan and the supervisor informed; "
        "1: asked, but incompletely; 0: the cue was missed, brushed aside or reassured away; N/A: no cue.",
        True,
    ),
    ChecklistItem(
        "off_model", "Avoided off-model techniques",
        "2: none (no cognitive restructuring, interpretation of the past or of transference, set homework, "
        "unsolicited advice or taking sides); 1: a brief lapse, then back to IPT; 0: a sustained stretch of "
        "another therapy.", False,
    ),
    ChecklistItem(
        "time_limit", "Kept the time limit in view",
        "2: the session number and the end date are mentioned where they help (e.g. 'we have six sessions "
        "left'); 1: implied only; 0: ignored, or the contract changed without discussion.", False,
    ),
    ChecklistItem(
        "stance", "Collaborative, warm and active stance",
        "2: the patient is treated as the expert on their life, the therapist is active and encouraging and "
        "takes no side in a dispute; 1: mixed; 0: lecturing, judging or passive.", False,
    ),
)
ITEMS = {item.key: item for item in CHECKLIST}


@dataclass(frozen=True)
class ItemRating:
    rating: Any  # 2, 1, 0 or NA
    reason: str


@dataclass(frozen=True)
class AdherenceReference:
    """The expert's rating of every checklist item, each with the reason for it."""

    ratings: dict[str, ItemRating]

    @classmethod
    def from_mapping(cls, data: Any, where: str) -> AdherenceReference:
        data = require_mapping(data, where)
        check_keys(data, ITEMS, where, what="checklist item")
        missing = [key for key in ITEMS if key not in data]
        if missing:
            raise ValueError(f"{at(where, data)}: checklist item {missing[0]!r} is not rated (rate all {len(ITEMS)})")
        return cls({key: _item_rating(data, key, f"{where}, item {key!r}") for key in ITEMS})

    @property
    def total(self) -> tuple[int, int]:
        """(points, maximum) of the session on the checklist, N/A items left out."""
        rated = [r.rating for r in self.ratings.values() if r.rating != NA]
        return sum(rated), 2 * len(rated)


def _item_rating(data: Any, key: str, where: str) -> ItemRating:
    raw = require_mapping(data[key], at(where, data, key))
    check_keys(raw, ("rating", "reason"), where)
    rating = parse_rating(raw.get("rating"))
    if rating is None:
        raise choice_error(where, raw, "rating", raw.get("rating"), [str(r) for r in RATINGS])
    if rating == NA and not ITEMS[key].allows_na:
        raise ValueError(f"{at(where, raw, 'rating')}: field 'rating' cannot be N/A: the item applies to every session")
    return ItemRating(rating, require_text(raw, "reason", where))


def parse_rating(value: Any) -> Any:
    """2, 1, 0 or NA from a file or the widget ("2", 2, "n/a", "NA" ...); None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and value in (0, 1, 2):
        return value
    if isinstance(value, str):
        text = value.strip().lower().replace("/", "")
        if text in ("0", "1", "2"):
            return int(text)
        if text == NA:
            return NA
    return None


def parse_ratings(value: Any) -> tuple[dict[str, Any] | None, str | None]:
    """A saved answer ``{"ratings": {item: rating}}`` -> (ratings, problem); unknown items are dropped."""
    if value is None:
        return None, None
    if not isinstance(value, dict) or not isinstance(value.get("ratings"), dict):
        return None, "the saved rating is not a mapping of checklist items to ratings"
    ratings = {}
    for key, raw in value["ratings"].items():
        rating = parse_rating(raw)
        if key in ITEMS and rating is not None and (rating != NA or ITEMS[key].allows_na):
            ratings[key] = rating
    return ratings, None


def agreement(given: Any, expert: Any, key: str) -> float:
    """1 for the same rating, 0.5 one step away (never on a risk item the expert rates 0), else 0."""
    if given is None:
        return 0.0
    if given == expert:
        return 1.0
    if NA in (given, expert):
        return 0.0
    if key == RISK_ITEM and expert == 0:
        return 0.0
    return 0.5 if abs(given - expert) == 1 else 0.0


def score_adherence(
    ratings: dict[str, Any] | None, reference: AdherenceReference, max_points: float = 1.0
) -> ItemScore:
    """Agreement with the expert's rating, item by item, with the expert's reason for each."""
    check_points(max_points)
    expert = [_expert_line(key, r) for key, r in reference.ratings.items()]
    risk_cued = reference.ratings[RISK_ITEM].rating != NA
    weights = _weights(risk_cued)
    if not ratings:
        unrated = ["No checklist item was rated."]
        return ItemScore(0.0, max_points, "unanswered", unrated, expert, dict.fromkeys(weights, 0.0))
    feedback, earned, unrated = [], {}, []
    for key, ref in reference.ratings.items():
        given = ratings.get(key)
        earned[key] = agreement(given, ref.rating, key)
        if given is None:
            unrated.append(ITEMS[key].label)  # the expert's rating stays hidden until asked for
        elif earned[key] < 1:
            feedback.append(_item_feedback(key, given, ref, earned[key]))
    if unrated:
        feedback.append(f"Not rated yet, so no credit: {'; '.join(unrated)}.")
    others = [earned[k] for k in ITEMS if not (k == RISK_ITEM and risk_cued)]
    parts = {"items": sum(others) / len(others)}
    if risk_cued:
        parts[RISK_ITEM] = earned[RISK_ITEM]
    agreed = sum(v == 1 for v in earned.values())
    points, top = reference.total
    feedback.insert(
        0,
        f"You agreed with the expert on {agreed} of {len(ITEMS)} items"
        f" ({sum(v == 0.5 for v in earned.values())} more one step away). The expert rates this session "
        f"{points} of {top} on the items that apply." + _own_total(ratings),
    )
    return finish(parts, weights, max_points, feedback, expert, "")


def _weights(risk_cued: bool) -> dict[str, float]:
    if not risk_cued:
        return {"items": 1.0}
    whole = len(ITEMS) - 1 + RISK_WEIGHT
    return {"items": (len(ITEMS) - 1) / whole, RISK_ITEM: RISK_WEIGHT / whole}


def _own_total(ratings: dict[str, Any]) -> str:
    rated = [r for r in ratings.values() if r != NA]
    if len(ratings) < len(ITEMS):
        return f" You rated {len(ratings)} of {len(ITEMS)} items; an item left unrated earns nothing."
    return f" Your rating gives it {sum(rated)} of {2 * len(rated)}."


def _item_feedback(key: str, given: Any, ref: ItemRating, earned: float) -> str:
    label = ITEMS[key].label
    yours = RATING_LABELS[given]
    how = "one step away (half credit)" if earned == 0.5 else "no credit"
    line = f"{label}: you rated {yours}; the expert rates {RATING_LABELS[ref.rating]}, {how}. {ref.reason}"
    if key == RISK_ITEM and ref.rating == 0:
        line = f"{line} {RISK_NOTE}"
    return line


def _expert_line(key: str, ref: ItemRating) -> str:
    return f"{ITEMS[key].label}: {RATING_LABELS[ref.rating]}. {ref.reason}"
