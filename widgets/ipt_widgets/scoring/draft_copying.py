"""Is the draft the trainee's own, about this patient? Repeats, copies and foreign material.

Text-only, pure functions: word-trigram overlap finds copies (of the vignette, the rubric's
descriptions and exemplars, the expert answer); capitalised words find names foreign to the case.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..formulations import FormulationReference
from .draft_rules import COPY_MIN_WORDS, COPY_SHARE, FOREIGN_NAMES_REVIEW
from .draft_text import split_sentences, words

# Capitalised words that are not names of people or places in a case.
_COMMON_CAPITALS = frozenset(
    """i ipt ipt-a cbt phq phq-a gp nhs ham-d hamd who mr mrs ms miss dr doctor dear monday tuesday wednesday
    thursday friday saturday sunday january february march april may june july august september october
    november december english god allah christmas easter ramadan eid okay ok""".split()
)
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


def normalise(sentence: str) -> str:
    return " ".join(words(sentence))


def dedupe(sentences: list[str]) -> tuple[list[str], int]:
    """The sentences with repeats removed (a repeated sentence counts once), and how many went."""
    seen, kept = set(), []
    for s in sentences:
        key = normalise(s)
        if key not in seen:
            seen.add(key)
            kept.append(s)
    return kept, len(sentences) - len(kept)


def _trigrams(text: str) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i : i + 3]) for i in range(len(w) - 2)}


def copy_share(sentence: str, source: frozenset) -> float:
    """Share of the sentence's word trigrams found in ``source`` (0 for a short sentence)."""
    grams = _trigrams(sentence)
    if len(words(sentence)) < COPY_MIN_WORDS or not grams:
        return 0.0
    return len(grams & source) / len(grams)


@lru_cache(maxsize=64)
def _source(texts: tuple[str, ...]) -> frozenset:
    return frozenset(g for t in texts for g in _trigrams(t))


def copied(sentences, texts) -> list[bool]:
    """Per sentence: is it (mostly) copied from these texts?"""
    source = _source(tuple(texts))
    return [copy_share(s, source) >= COPY_SHARE for s in sentences]


def vignette_sentences(reference: FormulationReference) -> list[str]:
    return split_sentences(reference.vignette)


def case_names(reference: FormulationReference) -> frozenset[str]:
    texts = [reference.vignette, reference.title, reference.prompt, reference.expert_formulation]
    texts += [x for e in reference.elements for x in (*e.exemplars, e.description)]
    return frozenset(w for t in texts for w in words(t))


def foreign_names(sentences, reference: FormulationReference) -> list[str]:
    """Capitalised words (not opening a sentence) that appear nowhere in the case: another
    patient's people and places."""
    known = case_names(reference)
    found = []
    for sentence in sentences:
        for n, match in enumerate(_WORD.finditer(sentence)):
            word = match.group(0)
            if n == 0 or not word[0].isupper():
                continue  # a sentence's first word is capitalised anyway
            low = word.lower()
            parts = [p for p in re.split(r"[-'’]", low) if len(p) > 1]
            if low not in known and not all(p in known for p in parts) and low not in _COMMON_CAPITALS:
                if low not in found:
                    found.append(low)
    return found


def too_many_foreign_names(names: list[str]) -> bool:
    return len(names) >= FOREIGN_NAMES_REVIEW


_ASKED = re.compile(r"(\d+)\s*(?:-|–|to)\s*(\d+)\s*words", re.IGNORECASE)


def asked_words(reference: FormulationReference) -> int | None:
    """The upper word count the prompt asks for ("about 100-200 words" -> 200), if it says."""
    match = _ASKED.search(reference.prompt)
    return int(match.group(2)) if match else None
