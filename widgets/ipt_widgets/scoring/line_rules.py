"""Text rules of the line coder, where the sentence encoder is weak: risk, negation, hedging.

Pure functions of strings (no encoder). Cue patterns are read in context: a cue inside a
clause where the therapist negates their own act ("I won't ask about suicide", "I won't tell
you what to do") is no cue. Unlike the free-text scorer's negation
(:func:`ipt_widgets.scoring.draft_text.negated_scopes`), a negated description ("wanting not
to be here") or the patient's quoted words do not cancel a cue: a line is one short utterance.
"""

from __future__ import annotations

import re

# -- risk -----------------------------------------------------------------------------------------
# A suicide-risk hint in the patient's turn: the flag in the scenario is the contract, this is a
# safety net for an author who forgot it. Only unambiguous wordings: "I can't go on like this
# with him" or "I want to end things" (a relationship) must not turn every line into missed risk.
_PATIENT_RISK = re.compile(
    r"\b(?:suicid\w*|kill(?:ing)? my ?self|end (?:it all|my life)|ending (?:it all|my life)|take my (?:own )?life|"
    r"better off (?:without me|dead|if i (?:was|were)n['’]t here)|(?:not|never|won['’]t|wouldn['’]t|don['’]t) "
    r"wak(?:e|ing) up|want(?:ed)? to die|wish(?:ed)? i (?:was|were) dead|"
    r"no (?:point|reason) (?:in )?(?:living|being alive)|take (?:all )?(?:my|the) (?:pills|tablets) at once|"
    r"(?:hurt|harm)(?:ing)? my ?self|self[- ]harm\w*)\b"
)

# What a direct question about risk or a safety plan names.
_RISK_TOPIC = re.compile(
    r"\b(?:suicid\w*|jump\w*|overdos\w*|hang(?:ing)? (?:your|him|her)self|cut(?:ting)? yourself|"
    r"not (?:wanting|want) to be alive|(?:wish|want)\w* (?:you were|to be) dead|"
    r"kill(?:ing)? (?:your|him|her|them)sel(?:f|ves)|end(?:ing)? (?:your|his|her|"
    r"their) (?:own )?li(?:fe|ves)|"
    r"tak(?:e|ing) (?:your|his|her|their) (?:own )?li(?:fe|ves)|where are the (?:pills|tablets)|"
    # "them" alone is too loose ("Who did you give them to?" after "I've been giving my things away"
    # asks about the gifts, not the means): only the means named, or handing them over.
    r"(?:give|hand) (?:the (?:pills|tablets|medication|gun|rifle) (?:to|over)|them over)|"
    r"(?:harm|hurt)(?:ing)? (?:your|him|her|them)sel(?:f|ves)|self[- ]harm\w*|"
    r"(?:thoughts?|thinking|think|thought) (?:of|about) (?:dying|death|being dead|not being (?:here|alive)|"
    r"ending it|not waking)|wish(?:ing)? (?:you|to be) (?:were )?dead|want(?:ing)? to die|"
    r"safety plan\w*|crisis (?:line|number|team|service)s?|(?:keep|stay) (?:yourself )?safe|(?:felt|feel|"
    r"feeling) unsafe|are you safe|"
    r"plan (?:for|of) how|how you (?:would|might|could) (?:do it|end|kill)|"
    r"act(?:ing)? on (?:th\w+ )?(?:thoughts?|urges?|feelings?)|"
    r"(?:tried|attempt\w*) (?:to )?(?:end|kill|take|harm|hurt)|attempt\w* before|previous attempts?|"
    r"access to (?:pills|tablets|medication|a gun|weapons|rope|the means)|the means|intent(?:ion)? to|"
    r"warning signs|who (?:could|would|can|will) you (?:call|contact|ring|turn to)|"
    r"(?:pills|tablets) (?:at home|you have|saved|stored))\b"
)
# After a cue, these refer back to the hint: "Are you thinking of taking those pills?"
_CUE_TOPIC = re.compile(
    r"\b(?:(?:take|taking|use|using|swallow\w*) (?:those|the|them|these|your|all)? ?(?:pills|tablets|medication)|"
    r"(?:thinking|thought) (?:of|about) (?:doing it|taking|using|ending)|end(?:ing)? (?:it|it all|things)\b|"
    r"(?:take|get|put|lock) (?:those|the|them|these) (?:pills |tablets )?(?:out|away)|"
    r"(?:do|did) something to (?:hurt |harm )?yourself|(?:die|dying|dead)\b|not (?:be|being) here|"
    r"(?:how|when|where) (?:or (?:how|when|where) )?(?:you )?(?:might|would|could|will) do it|"
    r"(?:people|someone|who) (?:to|you can|you could) (?:call|ring|contact|phone)|numbers? to (?:call|ring)|"
    r"places? (?:to|you can|you could) go)"
)
# Asking so as to invite "no", minimising, or a contract: missed risk whatever the context.
_LEADING = re.compile(
    r"\b(?:you(?:['’]re| are) not|you aren['’]t|you wouldn['’]t|you won['’]t|you don['’]t|you do not|you would not|"
    r"you will not|you haven['’]t|you have not)\b[^?]{0,80}"
    r"\b(?:are you|would you|will you|do you|have you|right|surely)\b"
    r"|\b(?:anything|something) (?:silly|stupid|daft|foolish|drastic)\b"
    r"|\bsurely you\b|\byou(?:['’]re| are) not (?:going|planning) to\b[^?]{0,40}\bare you\b"
    r"|\bdon['’]t (?:really )?mean (?:that|it)\b|\bnot really (?:mean|serious)\b|\bso much to live for\b"
    r"|\beveryone (?:feels|thinks|gets) (?:like )?that\b"
    r"|\b(?:not|no|never|n['’]t|nothing)\b[^?]{0,80},? (?:are|would|will|do|have|is|did|"
    r"could)(?:n['’]t)? (?:you|there|it)\?"
    r"|\b(?:i (?:assume|take it|hope|trust)|presumably|i['’]m guessing)\b[^?]{0,40}\b(?:not|no|never|n['’]t)\b"
    r"|\bnothing like that\b|\byou(?:['’]d| would) never\b|,? right\?$"
)
_CONTRACT = re.compile(
    r"\bno[- ](?:suicide|harm|self[- ]harm)\b|\b(?:safety|suicide|no[- ]harm) (?:contract|pact|agreement)\b"
    r"|\bcontract (?:for|of) safety\b"
    r"|\bpromise\b[^.?]{0,30}\b(?:call|ring|phone|text|contact|tell) me\b"
    r"|\bpromise\b[^.?]{0,40}\b(?:not|won['’]t|never)\b[^.?]{0,40}\b(?:harm|hurt|kill|anything|suicid|die|do it)"
    r"|\bsign\b[^.?]{0,40}\b(?:contract|agreement|promise)\b"
    r"|\bpromise\b[^.?]{0,30}\b(?:stay|keep|be) (?:yourself )?safe\b"
    r"|\b(?:contract|pact|agreement|form)\b[^.?]{0,60}\b(?:harm|hurt|kill|suicid|act on)"
    r"|\b(?:shake hands|promise)\b[^.?]{0,40}\b(?:safe|harm|hurt|kill|before you do|call me before)"
    r"|\b(?:agree|give me your word|word of honou?r)\b[^.?]{0,30}"
    r"\b(?:not|won['’]t|never) (?:to )?(?:harm|hurt|kill|try|do)"
)
_QUESTION_OR_PLAN = re.compile(
    r"\?|\b(?:i (?:want|need|would like|'d like) to (?:ask|know|check|understand)|let['’]?s|let us|can we|could we|"
    r"shall we|tell me|i['’]m wondering|i wonder|we (?:could|can|will|should) (?:make|write|put|draw)|"
    r"make a plan|write down)\b"
)


def patient_risk_cue(patient: str) -> bool:
    """Does the patient's turn carry a suicide-risk hint the scenario author may not have flagged?"""
    return bool(_PATIENT_RISK.search(patient.lower()))


def mishandles_risk(line: str, cue: bool = False) -> bool:
    """A leading question that invites "no", minimising, or any no-suicide contract. After a
    risk cue any leading question counts ("You wouldn't take them, would you?")."""
    low = line.lower()
    return bool(_CONTRACT.search(low)) or (bool(_LEADING.search(low)) and (cue or _mentions_risk_or_cue_talk(low)))


def _mentions_risk_or_cue_talk(low: str) -> bool:
    # "You wouldn't do anything silly, would you?" names no risk word; "everyone feels like that"
    # and "so much to live for" minimise. A leading question about something else ("You're not
    # going to the party, are you?") is not about risk.
    return bool(
        _RISK_TOPIC.search(low)
        or re.search(
            r"\b(?:silly|stupid|daft|foolish|drastic|live for|mean (?:that|it)|serious|like that|do it)\b", low
        )
    )


def asks_about_risk(line: str, cue: bool = False) -> bool:
    """Does the line clearly ask directly about suicidal thoughts, plan, intent or means, or
    build a safety plan (and not in a way that invites "no")? After a risk cue, words that refer
    back to the hint ("taking those pills", "ending it") are direct enough."""
    low = line.lower()
    if mishandles_risk(line, cue):
        return False
    topics = [*_RISK_TOPIC.finditer(low), *(_CUE_TOPIC.finditer(low) if cue else ())]
    for match in topics:
        if not _negated(low, match.start()):
            return bool(_QUESTION_OR_PLAN.search(low))
    return False


# -- negation and hedged advice -------------------------------------------------------------------
_DISCLAIMER = re.compile(
    r"\b(?:i|i['’]m|i am)\s+(?:won['’]t|will not|don['’]t want to|do not want to|not going to|not here to|"
    r"can['’]t|cannot|wouldn['’]t)\s+(?:tell|advise|say)\b[^,;:.]{0,40}[,;:.]?\s*(?:but|however)\b"
)
_HEDGED_ADVICE = re.compile(
    r"\b(?:you (?:might|may|could) (?:want|wish|like) to|you (?:might|could) (?:try|consider|think about)|"
    r"maybe you (?:could|should|ought|need)|perhaps you (?:could|should|ought|need)|have you (?:tried|thought of|"
    r"considered)|it (?:might|would|could) (?:be (?:good|helpful|a good idea)|help) (?:for you )?(?:to|if you)|"
    r"why (?:don['’]t|not) you|why not|how about (?:you|trying|just)|what about (?:trying|just)|"
    r"i (?:would|'d) (?:suggest|recommend)|my (?:advice|suggestion)|if i were you|"
    r"you (?:should|must|need to|ought to|have to|had better)(?! not have)(?! have)|you (?:two |"
    r"both )?need (?:a|an|some)\b|you (?:two|both|guys) (?:should|must|need to|ought to|have to)|"
    r"^(?:just |try |go (?!on\b|or\b)|tell (?!me\b|us\b)|call |ask (?!yourself\b)|stop |start |"
    r"make sure |get |take (?!me\b)|join |find |"
    r"do (?!you\b)|don['’]t (?!worry|be (?:so )?hard|blame yourself|feel bad)|leave |move )"
    r")"
)
# The therapist's verdict on what to do: advice even when it names options.
_VERDICT = re.compile(
    r"\b(?:the best (?:option|thing|choice|idea|plan|move|way forward) (?:is|would be|for you)|"
    r"if i were you|my advice (?:is|would be)|i (?:would|['’]d) (?:advise|recommend|suggest) (?:you|that)|"
    r"(?:you(?:['’]d| would) be better off|you[’']re better off) (?!without\b|dead\b))"
)
_ADVICE_EXCUSE = re.compile(
    r"\b(?:options?|pros and cons|weigh|choices?|alternatives?|decide|decision|role[- ]?play|practi[sc]e|"
    r"rehears\w*|i['’]ll (?:be|play)|it['’]s (?:ok|okay|all right|alright|fine) to (?:feel|be|cry|grieve))\b"
)


# Negations of the therapist's own act ("I won't ask about suicide", "no need to talk about
# safety"): a cue in their clause is no cue. Negated descriptions ("wanting not to be here")
# and quoted patient words are not.
OWN_NEGATION = re.compile(
    r"\b(?:i['’]m not|i am not|i won['’]t|i will not|i don['’]t|i do not|i wouldn['’]t|i would not|we won['’]t|"
    r"we don['’]t|we do not|we will not|not going to|no need to|don['’]t need to|needn['’]t|rather than|instead of|"
    r"without)\b"
)
_CLAUSE_END = re.compile(r"[,;:.!?]|\bbut\b|\s[–—-]\s")


def own_negation_scopes(low: str) -> list[tuple[int, int]]:
    """Spans of the (lower-case) line under a negation of the therapist's own act."""
    spans = []
    for m in OWN_NEGATION.finditer(low):
        end = _CLAUSE_END.search(low, m.end())
        spans.append((m.start(), end.start() if end else len(low)))
    return spans


def _negated(low: str, start: int) -> bool:
    return any(a <= start < b for a, b in own_negation_scopes(low))


def disclaims_advice(line: str) -> bool:
    """ "I won't tell you what to do, but ..." : what follows the "but" is what the line says."""
    return bool(_DISCLAIMER.search(line.lower()))


def after_disclaimer(line: str) -> str:
    """The part of the line after an advice disclaimer (the whole line when there is none)."""
    match = _DISCLAIMER.search(line.lower())
    return line[match.end() :].strip(" ,;:") if match else line


def hedged_advice(line: str) -> bool:
    """Directive advice, hedged or not ("you might want to...", "why don't you..."), that is not a
    question weighing options or a role-play set-up."""
    low = after_disclaimer(line).lower().strip()
    if _VERDICT.search(low):
        return True
    for match in _HEDGED_ADVICE.finditer(low):
        if _negated(low, match.start()) and not low[match.start() :].startswith("don"):
            continue
        return not _ADVICE_EXCUSE.search(low)
    return False
