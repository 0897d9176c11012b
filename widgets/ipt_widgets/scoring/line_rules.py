"""Text rules of the line coder, where the sentence encoder is weak: risk, negation, hedging.

Pure functions of strings (no encoder). Cue patterns are read in context: a cue inside a
negated clause ("I won't tell you what to do") is no cue, as in the free-text scorer
(:func:`ipt_widgets.scoring.draft_text.negated_scopes`).
"""

from __future__ import annotations

import re

from .draft_text import negated_scopes

# -- risk -----------------------------------------------------------------------------------------
# A suicide-risk hint in the patient's turn: the flag in the scenario is the contract, this is a
# safety net for an author who forgot it (a false hint costs a missed exploration, a missed one
# lets an unsafe line pass as good).
_PATIENT_RISK = re.compile(
    r"\b(?:suicid\w*|kill(?:ing)? my ?self|end (?:it all|my life|things)|ending (?:it all|my life|things)|"
    r"better off (?:without me|dead)|(?:not|never) wak(?:e|ing) up|want(?:ed)? to die|"
    r"wish(?:ed)? i (?:was|were) dead|no (?:point|reason) (?:in )?(?:living|going on|carrying on)|can['’]t go on|"
    r"take (?:all )?(?:my|the) (?:pills|tablets)|hurt(?:ing)? my ?self|harm(?:ing)? my ?self|"
    r"disappear for good|not be here any ?more|"
    r"not (?:be )?around any ?more)\b"
)

# What a direct question about risk or a safety plan names.
_RISK_TOPIC = re.compile(
    r"\b(?:suicid\w*|kill(?:ing)? (?:your|him|her|them)sel(?:f|ves)|end(?:ing)? (?:your|his|her|"
    r"their) (?:own )?li(?:fe|ves)|"
    r"tak(?:e|ing) (?:your|his|her|their) (?:own )?li(?:fe|ves)|where are the (?:pills|tablets)|"
    r"(?:give|hand) (?:them|the (?:pills|tablets)) (?:to|over)|"
    r"(?:harm|hurt)(?:ing)? (?:your|him|her|them)sel(?:f|ves)|self[- ]harm\w*|"
    r"(?:thoughts?|thinking|think|thought) (?:of|about) (?:dying|death|being dead|not being (?:here|alive)|"
    r"ending it|not waking)|wish(?:ing)? (?:you|to be) (?:were )?dead|want(?:ing)? to die|"
    r"safety plan\w*|crisis (?:line|number|team|service)s?|(?:keep|stay|feel|be) (?:yourself )?safe|unsafe|"
    r"plan (?:for|of) how|how you (?:would|might|could) (?:do it|end|kill)|"
    r"act(?:ing)? on (?:th\w+ )?(?:thoughts?|urges?|feelings?)|"
    r"(?:tried|attempt\w*) (?:to )?(?:end|kill|take|harm|hurt)|attempt\w* before|previous attempts?|"
    r"access to (?:pills|tablets|medication|a gun|weapons|rope|the means)|the means|intent(?:ion)? to|"
    r"warning signs|who (?:could|would|can|will) you (?:call|contact|ring|turn to)|"
    r"(?:pills|tablets) (?:at home|you have|saved|stored))\b"
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
)
_CONTRACT = re.compile(
    r"\bno[- ](?:suicide|harm|self[- ]harm)\b|\b(?:safety|suicide|no[- ]harm) (?:contract|pact|agreement)\b"
    r"|\bcontract (?:for|of) safety\b"
    r"|\bpromise\b[^.?]{0,40}\b(?:not|won['’]t|never)\b[^.?]{0,40}\b(?:harm|hurt|kill|anything|suicid|die|do it)"
    r"|\bsign\b[^.?]{0,40}\b(?:contract|agreement|promise)\b"
    r"|\bpromise\b[^.?]{0,30}\b(?:stay|keep|be) (?:yourself )?safe\b"
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


def mishandles_risk(line: str) -> bool:
    """A leading question that invites "no", minimising, or any no-suicide contract."""
    low = line.lower()
    return bool(_CONTRACT.search(low)) or (bool(_LEADING.search(low)) and _mentions_risk_or_cue_talk(low))


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


def asks_about_risk(line: str) -> bool:
    """Does the line clearly ask directly about suicidal thoughts, plan, intent or means, or
    build a safety plan (and not in a way that invites "no")?"""
    low = line.lower()
    if mishandles_risk(line):
        return False
    for match in _RISK_TOPIC.finditer(low):
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
    r"you (?:should|must|need to|ought to|have to|had better)(?! not have)(?! have)|"
    r"^(?:just |try |go (?!on\b)|tell (?!me\b|us\b)|call |ask (?!yourself\b)|stop |start |"
    r"make sure |get |take (?!me\b)|join |find |"
    r"do (?!you\b)|don['’]t |leave |move )"
    r")"
)
_ADVICE_EXCUSE = re.compile(
    r"\b(?:what|which|options?|pros and cons|weigh|choices?|alternatives?|decide|decision|role[- ]?play|practi[sc]e|"
    r"rehears\w*|I['’]ll (?:be|play)|feel|feeling|it['’]s (?:ok|okay|all right|alright|fine) to)\b"
)


def _negated(low: str, start: int) -> bool:
    return any(a < start < b for a, b in negated_scopes(low))


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
    for match in _HEDGED_ADVICE.finditer(low):
        if _negated(low, match.start()) and not low[match.start() :].startswith("don"):
            continue
        return not _ADVICE_EXCUSE.search(low)
    return False
