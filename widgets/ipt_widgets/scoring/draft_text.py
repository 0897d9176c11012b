"""Text-only steps of free-text scoring: words, sentences, candidate units and language.

Pure functions of strings, with no encoder: everything here is cheap and testable on its own.
"""

from __future__ import annotations

import re

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just me more
    most my myself no nor not of off on once only or other our ours ourselves out over own same she
    should so some such than that the their theirs them themselves then there these they this those
    through to too under until up very was we were what when where which while who whom why with would
    you your yours yourself yourselves""".split()
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+|\n\s*\n+|\n(?=\s*(?:[-–•*]|\d+[.)])\s)|;\s+")
_BULLET = re.compile(r"^\s*(?:[-–•*]|\d+[.)])\s+")
_CLAUSE = re.compile(r",\s+(?=(?:and|but|so|because|which|while|then|as)\b)|:\s+|\s+[–—]\s+")


def words(text: str) -> list[str]:
    """Lower-case words (letters and inner apostrophes), in order."""
    return _WORD.findall(text.lower())


def stem(word: str) -> str:
    """A crude suffix strip, enough to match "mourning" with "mourn" and "sessions" with "session"."""
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def split_sentences(text: str) -> list[str]:
    """Sentences, bullets and list items, in order."""
    out = []
    for part in _SENTENCE_END.split(text):
        # A line break inside a paragraph is wrapping, not the end of a sentence.
        part = " ".join(_BULLET.sub("", part).split())
        if len(words(part)) >= 2:
            out.append(part)
    return out


def candidate_units(sentences: list[str]) -> list[tuple[str, tuple[int, ...]]]:
    """What can earn an element: each sentence, each clause of a long one, and each pair of
    neighbouring sentences (a point often spans two: "You're depressed. It's a real illness...").
    Each unit comes with the indices of the sentences it is made of; single-sentence units come
    first, the sentences themselves first of all, and the pairs last."""
    units = [(text, (i,)) for i, text in enumerate(sentences)]
    for i, text in enumerate(sentences):
        if len(words(text)) > 25:
            units += [(c.strip(), (i,)) for c in _CLAUSE.split(text) if len(words(c)) >= 4]
    units += [(f"{a} {b}", (i, i + 1)) for i, (a, b) in enumerate(zip(sentences, sentences[1:]))]
    return units


def looks_english(text: str) -> bool:
    tokens = words(text)
    if len(tokens) < 8:
        return True
    return sum(t in STOPWORDS for t in tokens) / len(tokens) >= 0.15
