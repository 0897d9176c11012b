"""Reading one therapist line before it is coded: cleaning, and the reasons it cannot be coded.

Pure functions of strings. Hostile input (huge, control characters, not a string) is cleaned or
refused here, fast and without exceptions, before the encoder sees anything.
"""

from __future__ import annotations

import re
import unicodedata

from .draft_text import _OTHER_FUNCTION_WORDS as OTHER_FUNCTION_WORDS
from .draft_text import STOPWORDS, looks_english, split_sentences, words

MAX_CHARS = 1500  # what is read of a line; a longer "line" is sent for review, not coded in full
LONG_WORDS = 70  # a therapist line is 1-3 sentences; past this it usually mixes techniques
LONG_SENTENCES = 4
# Where the turn's good answer is a formulation, a contract or psychoeducation, a full answer is
# longer: up to this many words and sentences, if it does not repeat itself (see code_line).
EXTENDED_WORDS = 160
EXTENDED_SENTENCES = 9
MIN_DISTINCT = 0.5  # distinct words / words in a long line below this: padded, not a longer answer
MIN_WORDS = 2
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_VOWEL = re.compile(r"[aeiouy]")
# Short words that carry a whole therapist line ("Go on.", "Mm, and then?").
_SHORT_OK = frozenset("go on and then tell me more really how so".split())


def clean(line: object) -> tuple[str, bool]:
    """The line as plain text (control characters removed, spaces collapsed, cut at
    ``MAX_CHARS``) and whether it was cut. Anything that is not a string reads as empty."""
    if not isinstance(line, str):
        return "", False
    cut = len(line) > MAX_CHARS * 4
    text = line[: MAX_CHARS * 4]  # bound the work before any regular expression runs
    text = unicodedata.normalize("NFC", _CONTROL.sub(" ", text))
    text = " ".join(text.split())
    if len(text) > MAX_CHARS:
        text, cut = text[:MAX_CHARS].rsplit(" ", 1)[0], True
    return text, cut


def gibberish(text: str) -> bool:
    """Keyboard-mashing or word salad: few real-looking words and no English function words."""
    tokens = words(text)
    if not tokens:
        return True
    odd = sum(1 for t in tokens if len(t) > 3 and (not _VOWEL.search(t) or re.search(r"(.)\1\1", t) or len(t) > 20))
    if odd / len(tokens) > 0.4:
        return True
    heads = [re.split(r"['’]", t)[0] for t in tokens]  # "you'll" -> "you"
    if len(tokens) >= 3 and not any(t in STOPWORDS or t in _SHORT_OK for t in heads):
        return True
    return False


def review_reasons(text: str, cut: bool, long_ok: bool = False) -> list[str]:
    """Why the line cannot be coded with confidence from its text alone (empty list: it can).
    ``long_ok``: the turn expects a formulation, contract or psychoeducation, which may run to
    ``EXTENDED_WORDS`` words and ``EXTENDED_SENTENCES`` sentences unless padded."""
    tokens = words(text)
    if not tokens:
        return ["empty: no therapist line to code"]
    if cut:
        return [f"far too long for one therapist line (more than {MAX_CHARS} characters)"]
    if not looks_english(text) or _mostly_other_script(text) or _short_other_language(tokens):
        return ["not in English: the coder cannot read it"]
    if gibberish(text):
        return ["not readable as a therapist line"]
    if len(tokens) < MIN_WORDS and tokens[0] not in _SHORT_OK:
        return ["too short to code"]
    reasons = []
    sentences = len(split_sentences(text))
    if len(tokens) > LONG_WORDS or sentences > LONG_SENTENCES:
        if padded(tokens):
            reasons.append(f"long line ({len(tokens)} words) that repeats itself")
        elif not long_ok or len(tokens) > EXTENDED_WORDS or sentences > EXTENDED_SENTENCES:
            reasons.append(long_reason(len(tokens)))
    return reasons


def long_reason(n_words: int) -> str:
    return f"long line ({n_words} words): it may mix several techniques"


def padded(tokens: list[str]) -> bool:
    """Few distinct words for the length: filler or a repeated phrase, not a fuller answer."""
    return len(set(tokens)) / len(tokens) < MIN_DISTINCT


def _short_other_language(tokens: list[str]) -> bool:
    # looks_english trusts lines under 8 words; a short line is judged by its function words.
    other = sum(t in OTHER_FUNCTION_WORDS for t in tokens)
    return len(tokens) < 8 and other >= 2 and other > sum(t in STOPWORDS for t in tokens)


def _mostly_other_script(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(ch.isascii() for ch in letters) / len(letters) < 0.5
