"""How much of a draft is about this patient rather than IPT vocabulary any case could carry."""

from __future__ import annotations

from functools import lru_cache

from ..formulations import FormulationReference
from .draft_rules import FOREIGN_MIN_WORDS, SPECIFIC_FLOOR, SPECIFIC_WORDS
from .draft_text import STOPWORDS, stem, words
from .free_text_prototypes import AREAS, GENERIC_CLINICAL, IPT_TERMS, OFF_MODEL, ON_MODEL


@lru_cache(maxsize=1)
def generic_words() -> frozenset[str]:
    """Stems of IPT and clinical vocabulary and of every prototype: they say nothing about a case."""
    texts = [" ".join(IPT_TERMS), " ".join(GENERIC_CLINICAL), *ON_MODEL]
    for spec in (*OFF_MODEL.values(), *AREAS.values()):
        texts += spec["prototypes"]
    return frozenset(stem(w) for t in texts for w in words(t)) | STOPWORDS


def case_words(reference: FormulationReference) -> frozenset[str]:
    """The words that make a sentence about this case: from the vignette and the expert's texts,
    minus stop words and IPT vocabulary."""
    generic = generic_words()
    texts = [reference.vignette, reference.expert_formulation, reference.title]
    texts += [x for e in reference.elements for x in e.exemplars]
    return frozenset(s for t in texts for w in words(t) if len(w) > 2 and (s := stem(w)) not in generic)


def specificity(sentences: list[str], reference: FormulationReference) -> float:
    """0-1: distinct case words in these sentences, full from ``SPECIFIC_WORDS`` of them."""
    own = {stem(w) for w in words(" ".join(sentences))} & case_words(reference)
    return min(1.0, len(own) / SPECIFIC_WORDS)


def specific_factor(share: float) -> float:
    """What element credit is multiplied by: ``SPECIFIC_FLOOR`` with no case words, 1 at full."""
    return SPECIFIC_FLOOR + (1.0 - SPECIFIC_FLOOR) * share


def foreign_share(sentences: list[str], reference: FormulationReference) -> float:
    """Share of the draft's content words (not stop words, not IPT or clinical vocabulary) found
    nowhere in the case: high for another patient's formulation with the names swapped. 0 for a
    draft with fewer than ``FOREIGN_MIN_WORDS`` content words."""
    generic, own = generic_words(), case_words(reference)
    # Only sentences about someone in the case (a case word, such as a name) can tell another
    # patient's story; platitudes ("grief is a journey") are filler, not foreign events.
    about_case = [t for t in sentences if {stem(w) for w in words(t)} & own]
    content = [s for w in words(" ".join(about_case)) if len(w) > 3 and (s := stem(w)) not in generic]
    if len(content) < FOREIGN_MIN_WORDS:
        return 0.0
    return sum(c not in own for c in content) / len(content)
