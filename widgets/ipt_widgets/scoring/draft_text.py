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


# Function words of the languages trainees most often write in instead (Spanish, Portuguese,
# Polish, French, German, Italian), minus any that are also English words.
_OTHER_FUNCTION_WORDS = (
    frozenset(
        """el la los las del al que y en un una unos unas por para con sin sobre su sus es está están fue era
    pero como más muy también porque cuando donde desde hasta entre después antes ella ellos nos os te le
    lo les mi tu se ha han hay ser estar tiene tienen puede hace o ao aos da das dos do na nas nos num
    numa uma não sim com sem pelo pela são foi ele ela eles elas seu sua isso isto este esta mas
    ou já muito também quando depois ainda está você vocês lhe e é si w z ze na do że się nie jest to
    jak ale od po za co tak jej jego ich jako przez dla przy czy już tylko bardzo może być był była
    które który która też oraz lub ty ci mu go pani pan le les des du une et est dans pour pas sur avec
    qui ce cette sont mais ou être avoir elle il ils nous vous leur très aussi der die das und ist nicht
    sie ein eine zu mit sich auf für von dem den des im auch wie bei oder wenn noch nach nur ich du er
    wir ihr il lo gli della delle che di non per sono con una è questo anche come più ma""".split()
    )
    - STOPWORDS
)
_LATIN = re.compile(r"[A-Za-zÀ-ɏ]")


def looks_english(text: str) -> bool:
    """False for a draft clearly in another language: another script, or more of another
    language's function words than English ones. Terse English notes ("Grief. Onset 3/12 post
    death. Plan: 12 sessions.") have few function words of any language and stay English."""
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) >= 20 and sum(bool(_LATIN.match(ch)) for ch in letters) / len(letters) < 0.5:
        return False
    tokens = words(text)
    if len(tokens) < 8:
        return True
    english = sum(t in STOPWORDS for t in tokens) / len(tokens)
    other = sum(t in _OTHER_FUNCTION_WORDS for t in tokens) / len(tokens)
    return not (other >= 0.12 and other > english)


# -- negation and polarity ---------------------------------------------------------------------
# A negation's scope runs from its cue to the end of the clause. "no-suicide" and "no-harm" are
# names of a practice, not negations, hence the hyphen guard.
_CLAUSE_END = (
    r"(?=[,;:.!?()]|\s[–—-]\s|\b(?:and|but|so|because|which|while|though|although|yet|as|instead|rather|then)\b|$)"
)
_ANY_NEGATION = re.compile(
    r"(?<![-\w])(?:not|no|never|nothing|none|neither|nor|without|cannot|nobody|no one)(?![-\w])|"
    r"n['’]t\b|\brather than\b|\binstead of\b"
)
# Negations that reverse what the clinician claims or will do ("this is not about her death",
# "I won't ask", "no need for a safety plan"), as opposed to a description of the patient's state
# ("she has not been able to grieve", "they no longer talk"), which is often the point itself.
_REVERSAL = re.compile(
    r"\b(?:i|we|i['’]ll|we['’]ll)\s+(?:also\s+|really\s+|certainly\s+|definitely\s+)?(?:will\s+|would\s+|do\s+|"
    r"shall\s+|can\s+|am\s+|are\s+)?(?:not|never|n['’]t)\b"
    r"|\b(?:i|we)\s+(?:also\s+|really\s+|certainly\s+|definitely\s+)?(?:won|don|wouldn|shan|can)['’]t\b"
    r"|\b(?:no|not\s+any|little|without\s+(?:any\s+)?)\s*need\b|\bnot\s+(?:need|necessary)\b|"
    r"\bneedn['’]t\b|\bunnecessary\b"
    r"|n['’]t\s+(?:really\s+|just\s+)?(?:about|related\s+to|linked\s+to|connected|due\s+to|caused\s+by|because\s+of)\b"
    r"|\bnot\s+(?:about|related\s+to|linked\s+to|connected\s+(?:to|with)|due\s+to|caused\s+by|"
    r"because\s+of|the\s+(?:problem|issue|focus|cause))\b"
    r"|\bnothing\s+to\s+do\s+with\b|\bhas\s+no\s+(?:link|connection|bearing)\b|\b(?:no|little)\s+point\s+in\b"
)


# Dismissals come after what they dismiss ("the timing is just a coincidence", "a quarrel does not
# cause depression", "the marriage is irrelevant"): their scope is the whole clause.
_DISMISSAL = re.compile(
    r"\b(?:just|only|merely|simply|purely|pure|mere)\s+(?:a\s+)?coincidence\b|\bcoincidental\b"
    r"|\b(?:does|did|do|will|would)\s+not\s+(?:cause|explain)\b|\b(?:doesn|didn|don|won|wouldn)['’]t\s+(?:cause|explain)\b"
    r"|\b(?:is|are|was|were)\s+(?:irrelevant|beside\s+the\s+point|not\s+(?:relevant|important|the\s+point))\b"
    r"|\b(?:does|do)\s+not\s+matter\b|\b(?:doesn|don)['’]t\s+matter\b"
)
_CLAUSE_START = re.compile(r"[,;:()]|\s[–—-]\s")


def _scopes(sentence: str, cue: re.Pattern) -> list[tuple[int, int]]:
    spans = []
    for match in cue.finditer(sentence):
        end = re.compile(_CLAUSE_END).search(sentence, match.end() + 1)
        spans.append((match.start(), end.start() if end else len(sentence)))
    return spans


def _dismissed_clauses(sentence: str) -> list[tuple[int, int]]:
    spans = []
    for match in _DISMISSAL.finditer(sentence):
        starts = [m.end() for m in _CLAUSE_START.finditer(sentence, 0, match.start())]
        end = re.compile(_CLAUSE_END).search(sentence, match.end())
        spans.append((starts[-1] if starts else 0, end.start() if end else len(sentence)))
    return spans


def negated_scopes(sentence: str, *, reversal_only: bool = False) -> list[tuple[int, int]]:
    """Character spans of the sentence under a negation (from cue to the end of its clause).

    ``reversal_only``: only negations of the clinician's own claim or action (see ``_REVERSAL``).
    """
    low = sentence.lower()
    if reversal_only:
        return _scopes(low, _REVERSAL) + _dismissed_clauses(low)
    return _scopes(low, _ANY_NEGATION) + _dismissed_clauses(low)


def affirmed_text(sentence: str, *, reversal_only: bool = False) -> str:
    """The sentence with its negated clauses removed: what it affirms."""
    spans = negated_scopes(sentence, reversal_only=reversal_only)
    if not spans:
        return sentence
    out, last = [], 0
    for a, b in sorted(spans):
        if a >= last:
            out.append(sentence[last:a])
            last = b
        else:
            last = max(last, b)
    out.append(sentence[last:])
    return " ".join(" ".join(out).split())


def is_negated_at(sentence: str, start: int) -> bool:
    """Is the character at ``start`` inside a negated clause ("no thought records", "not grief")?"""
    return any(a <= start < b for a, b in negated_scopes(sentence))
