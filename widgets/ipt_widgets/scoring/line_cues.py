"""Wording cues per technique, where nearest exemplars alone confuse techniques that share
words (a summary and an interpretation both speak of the patient's mother; reassurance and
encouragement of affect both speak of feelings).

A cue adds to its technique's similarity score (:data:`CUE_BOOST`); it does not decide alone.
A cue inside a negated clause ("I'm not saying you're wrong") is no cue. Risk and advice have
their own rules (:mod:`.line_rules`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .draft_text import negated_scopes

CUE_BOOST = 0.08

_CUES: dict[str, tuple[str, ...]] = {
    "clarification": (
        r"^so\b(?![^?]*\?$)",
        r"\b(?:if i (?:follow|understand|'ve got|have got)|let me (?:make sure|check|see if|sum)|what i['’]m hearing|"
        r"you['’]re (?:telling|saying)|in other words|to (?:sum up|summarise|summarize)|i['’]m noticing|i notice|"
        r"you keep (?:coming back|saying|mentioning|returning)|you(?:['’]ve| have) (?:said|mentioned|told me)|"
        r"you said|on the one hand|it sounds (?:as if|like) you (?:expected|wanted|want|thought)|"
        r"is that (?:it|right)\?)",
    ),
    "communication_analysis": (
        r"\b(?:what|how) did (?:you|he|she|they) (?:say|reply|answer|respond|put it|tell)\b",
        r"\b(?:exact words|word for word|your tone|(?:what )?tone|(?:he|she|they) (?:took|heard|"
        r"understood) (?:it|that)|"
        r"what you (?:meant|wanted to say)|moment by moment|step by step|communication analysis|"
        r"say it (?:so|differently|another way)|how (?:might|could|would) you (?:say|put) it)\b",
    ),
    "encouragement_of_affect": (
        r"\b(?:what|how) (?:do|did|does) (?:you|that|it) feel(?! the rest)\b|\bfeel inside\b|\bstay with\b",
        r"\b(?:it['’]s|it is) (?:ok|okay|all right|alright|allowed|natural|understandable|normal) to "
        r"(?:feel|be (?:angry|sad|upset|furious)|grieve|cry|miss)\b",
        r"\b(?:what are you feeling|what (?:feelings?|emotions?) come|sadness|no hurry to stop crying|"
        r"what would you (?:want|like) (?:her|him|them) to know|what comes up in you|the affect)\b",
    ),
    "linking_mood_events": (
        r"\b(?:mood|low|down|depress\w*|sleep\w*|tired\w*|symptoms?|energy)\b[^.?]{0,60}"
        r"\b(?:since|after|before|when|week|around the time|started|began|start)\b",
        r"\b(?:since|after|before|when)\b[^.?]{0,60}\b(?:mood|feel(?:ing)? (?:low|down|worse|better|lowest)|"
        r"depress\w*|sleep)\b",
        r"\blink\w* (?:your )?(?:mood|symptoms|depression)\b|\bhow do you feel the rest\b",
    ),
    "psychoeducation_sick_role": (
        r"\b(?:illness|treatable|medical (?:condition|illness)|symptoms? of depression|sick role|"
        r"not (?:your fault|laziness|a (?:weakness|choice|character flaw))|character flaw|"
        r"(?:ipt|interpersonal therapy|this therapy|this treatment) (?:is|looks|focuses)|people (?:do )?recover|"
        r"doesn['’]t mean you['’]re a bad|reasonable to do (?:a (?:little|bit) )?less|"
        r"while you['’]re (?:depressed|unwell|ill))\b",
    ),
    "decision_analysis": (
        r"\b(?:options?|alternatives?|possibilities|pros and cons|weigh\w*|what would each|each (?:one|choice|"
        r"option)|"
        r"which of these|decision analysis|different (?:things|ways) you could|(?:what|which) (?:kinds? of|other) "
        r"\w+ could you|what matters most to you in (?:making|this))\b",
    ),
    "role_play_setup": (
        r"\b(?:role[- ]?play\w*|rehears\w*|practi[sc]e|act (?:it )?out|i['’]ll (?:be|play)|you play|swap|"
        r"switch roles|"
        r"as if i were|saying it to me|imagine i['’]m|pretend i['’]m|try (?:it )?again)\b",
    ),
    "formulation_contract": (
        r"\b(?:(?:our|the) focus|make that our|work on (?:it|that|this) together|sessions? (?:left|together)|"
        r"\w+ sessions\b|our (?:last|final) session|(?:once|twice) a week|goals? we set|the goals|"
        r"ring true|does that (?:fit|sound right)|my understanding is|i see your depression|bound up with|"
        r"what we (?:should|will|'ll) work on|agree (?:what|to work|on)|problem area|role (?:dispute|transition))\b",
    ),
    "advice": (),
    "reassurance": (
        r"\b(?:i['’]m sure|i am sure|don['’]t worry|no need to worry|give it time|before you know it|"
        r"(?:you|it|things|everything|that)['’]ll (?:be|get|feel|settle|all|work|blow|pass)|"
        r"will (?:grow up|come round|come around|work out|blow over|get better|be fine)|"
        r"always (?:make up|work out|come round)|(?:wouldn['’]t|would not) want you to be|"
        r"you['’]ve earned|enjoy it|at least you|better place|happens for a reason|lots of people like you)\b",
    ),
    "cbt_challenge": (
        r"\b(?:evidence|proof|thinking error|distortion|balanced thought|jumping to conclusions|logical|"
        r"rate how (?:strongly|much)|scale of 0|believe the thought|behaviou?ral experiment|challenge the|"
        r"thought (?:diary|record)|negative thoughts?|more realistic|is it really true|mind[- ]reading|"
        r"catastroph\w*)\b",
    ),
    "past_interpretation": (
        r"\b(?:maybe|perhaps|i wonder|could it be|may|probably|might|really)\b[^.?]{0,80}"
        r"\b(?:childhood|as a child|when you were (?:a child|young|little|a baby)|your own (?:mother|father|parents)|"
        r"early (?:years|life)|roots|goes (?:right )?back|strict father)\b",
        r"\b(?:unconscious\w*|repress\w*|a defen[cs]e|denying|your dreams|as your parents did|transference)\b",
    ),
    "taking_sides": (
        r"\b(?:you['’]re right to|no (?:business|right) (?:to )?|(?:should|ought to) be doing|not fair on you|"
        r"(?:it['’]s|it was) your (?:own )?fault|you shouldn['’]t have|you should not have|any reasonable|"
        r"taking advantage|appalling|sounds (?:jealous|selfish|like hard work|like a bully)|"
        r"clearly (?:a bully|in the wrong)|"
        r"i wouldn['’]t \w+ (?:to )?(?:her|him|them) either|being (?:a bit )?(?:harsh|selfish|unfair|"
        r"unreasonable))\b",
        r"\b(?:is|are|['’]re|['’]s) (?:being )?(?:so |very |really |just |completely )?"
        r"(?:selfish|unfair|unreasonable|ungrateful|a bully|jealous|cruel|lazy)\b",
    ),
}


@lru_cache(maxsize=1)
def _compiled() -> dict[str, tuple[re.Pattern, ...]]:
    return {t: tuple(re.compile(p) for p in patterns) for t, patterns in _CUES.items()}


def cued_techniques(text: str) -> set[str]:
    """Techniques whose wording cue occurs in the line, outside any negated clause."""
    low = text.lower().strip()
    scopes = negated_scopes(low)
    found = set()
    for technique, patterns in _compiled().items():
        for pattern in patterns:
            if any(not any(a < m.start() < b for a, b in scopes) for m in pattern.finditer(low)):
                found.add(technique)
                break
    return found
