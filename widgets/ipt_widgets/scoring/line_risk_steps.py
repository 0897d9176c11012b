"""The steps of a risk assessment after the cue, in the short words trainees use for them.

Once the patient has hinted at suicide (the cue turn, and the turns of the risk assessment that
follow it), a good line need not name suicide again: "Is it the rifle?", "What stopped you that
night?", "Who could keep the rifle for you?", "I'll need to let my supervisor know today." Each
pattern below is one step of the assessment or the safety plan. They are read only in a risk
context and only after the leading-question and contract rules have had their say
(:func:`ipt_widgets.scoring.line_rules.mishandles_risk`).

A step counts in a sentence that asks or proposes (a question, "let's", "could we") or, for the
therapist's own acts (telling the supervisor, arranging an assessment today) and for moving the
means out of reach, in any sentence, unless the therapist negates it ("I won't tell my
supervisor"). A line that names a step but also closes the topic ("see you next week as usual")
is still a step: the step is what keeps the patient safe.
"""

from __future__ import annotations

import re

from .line_rules import own_negation_scopes

_MEANS = (
    r"(?:rifle|gun|guns|shotgun|firearms?|weapons?|ammunition|pills|tablets|medication|medicines?|"
    r"rope|knife|knives|key|keys|cabinet|gun safe|stockpile|supply)"
)
# Steps that must be asked or proposed: a question, or a "let's"/"could we" sentence.
_ASKED = (
    # method and means
    rf"\b(?:a way|a method|a means|anything|something) in mind\b|\b(?:a way|a method) planned\b|"
    r"\bwhat (?:way|method)\b|"
    rf"\b(?:is|was|would) it (?:be )?(?:the|a|your|with the|with a) {_MEANS}\b|"
    rf"\b(?:how many|how much|how long)\b[^.?]{{0,40}}\b{_MEANS}\b|"
    rf"\bwhere (?:are|is|do you keep|did you put|have you put|are you keeping)\b[^.?]{{0,20}}\b(?:{_MEANS}|them|it)\b|"
    rf"\b(?:still have|got|have) (?:the|those|your|any) {_MEANS}\b|\b(?:is|are) (?:the|your|those|these) {_MEANS}\b|"
    r"\bthought (?:about|of) how(?:\s*\?| you(?:['’]d| would| might| could) do it)|"
    r"\bhow (?:you )?(?:would|might|could)\b[^.?]{0,20}\bdo it\b|"
    # plan, timing, intent, preparation
    r"\b(?:picked|chosen|set|decided on|thought of) (?:a|the) (?:time|date|day|place)\b|"
    r"\bwhen (?:you )?(?:would|might|will|could) (?:you )?do it\b|\bpreparations?\b|"
    r"\bmade (?:any )?(?:plans?|preparations?)\b|\bwritten (?:a|any) (?:note|letter)\b|"
    r"\bhow (?:close|near|likely|strong|serious)\b[^.?]{0,40}\b(?:thoughts?|urges?|pull|feelings?|act|come|came|"
    r"been|are you|is it|do it|intent\w*)\b|\bintend\w*\b|"
    # past attempts
    r"\b(?:tried|attempted|done) (?:this |it |that |anything(?: like (?:this|that))? )?before\b|"
    r"\bever (?:tried|attempted)(?:\s*\?| anything\b| it\b)|"
    # what stopped them, reasons for living
    r"\bwhat (?:stopped|stops|has stopped) you\b"
    r"(?!\s+from\s+(?!acting|doing it|going through|ending|killing|hurting|harming))|"
    r"\bwhat (?:held|holds|has held|kept|keeps|has kept) you "
    r"(?:going|here|alive|safe|back|from|on)\b|"
    r"\breasons? (?:for|to) (?:live|living|stay|staying|keep going|go on|going on|be here|being here)\b|"
    r"\bstaying alive\b|\b(?:keeping|keep) (?:yourself |you )?safe\b|"
    # safety plan: warning signs, coping, people, places, numbers
    r"\b(?:tells|warns) you\b[^.?]{0,30}\b(?:bad|coming|worse|night|thoughts)\b|"
    r"\bsigns?\b[^.?]{0,30}\b(?:coming|building|getting worse)\b|"
    r"\bwhat (?:could|can|would|might|will) you do (?:when|if|at|in|on)\b[^.?]{0,40}"
    r"\b(?:thoughts?|urges?|night|nights|bad|worse|too much)\b|"
    r"\b(?:those|these|the|such|that|suicidal|dark) (?:thoughts|urges?)\b[^.?]{0,30}\b(?:come|came|get|got|"
    r"return|start|hit|are strong)\b|"
    r"\bwho (?:could|would|can|might|will|do) you (?:call|ring|phone|text|contact|talk to|turn to|go to|stay with|"
    r"be with|tell)\b(?! about (?!it\b|this|that|these|those|them|how|what|the thoughts|suicid|feeling))|"
    r"\b(?:somewhere|anywhere|a place) (?:you )?(?:could|can|might|would) (?:you )?(?:go|be)\b|"
    r"\b(?:crisis|emergency|help) ?(?:line|number|numbers|team|service)\b|\bhelpline\b|\bsamaritans\b|"
    r"\bmake (?:a|the|your|our) plan (?:for|to get you through) (?:the|those|these|tonight|the bad|when)\b|"
    r"\b(?:write|put) (?:it |them )?(?:down|together)\b[^.?]{0,20}\b(?:what you|who you|where you|your (?:plan|signs|"
    r"numbers|steps|list))"
)
# Steps that count as statements too: the therapist's own act, and moving the means out of reach.
_ACTED = (
    r"\b(?:tell|let|call|ring|phone|speak (?:to|with)|talk (?:to|with)|consult|inform|ask|get|bring|involve|"
    r"see|fetch)\b[^.?]{0,30}\b(?:(?:my|the|our) (?:supervisor|psychiatrist|duty (?:doctor|psychiatrist|team)|"
    r"crisis team|on-call \w+|consultant)|my team|our team|my colleague)\b|"
    r"\b(?:supervisor|psychiatrist|duty doctor|crisis team)\b[^.?]{0,30}\b(?:see|assess|know|today|now)\b|"
    r"\b(?:be seen|get you seen|assessed|assess you|an assessment)\b[^.?]{0,20}\b(?:today|this (?:afternoon|"
    r"morning|evening)|now|before you (?:go|leave))\b|"
    r"\bsame[- ]day\b|\bemergency (?:department|assessment)\b|\ba ?& ?e\b|"
    rf"\b(?:keep|hold|look after|lock (?:up|away)|store|take|give|hand|get|move|remove|put)\b[^.?]{{0,40}}"
    rf"\b{_MEANS}\b[^.?]{{0,40}}\b(?:for you|for now|for a while|away|out|over|safe|"
    rf"to (?:someone|somebody|a friend|a neighbou?r|him|her|them|your))|"
    rf"\b{_MEANS}\b[^.?]{{0,30}}\bout of (?:the house|reach|your reach)\b"
)
_ASKED_RE = re.compile(_ASKED)
_ACTED_RE = re.compile(_ACTED)
_PROPOSES = re.compile(
    r"\?|\b(?:let['’]?s|let us|can we|could we|shall we|we (?:could|can|will|should|need to)|"
    r"i(?:['’]d| would) like (?:us|to)|tell me|i want to (?:know|ask))\b"
)
# A plan with no safety word: good in a risk context, but a person should read it.
_BARE_PLAN = re.compile(r"\b(?:make|write|draw up|put together|work out) (?:a|the|your|our) plan\b")
_OTHER_PLAN = re.compile(r"\bplan (?:for|about) (?:your|the) (?:job|work|course|week|holiday|money|search)\w*")
_SENTENCE = re.compile(r"(?<=[.?!;:])\s+")


def risk_step(line: str) -> str | None:
    """In a risk context: "step" when the line asks about or takes a step of the risk
    assessment or safety plan, "unclear" when it proposes a plan that names no step, else None."""
    low = line.lower().strip()
    scopes = own_negation_scopes(low)
    offset = 0
    unclear = False
    for sentence in _SENTENCE.split(low):
        start = low.find(sentence, offset)
        offset = start + len(sentence)
        if _OTHER_PLAN.search(sentence):
            continue
        for pattern, needs_ask in ((_ACTED_RE, False), (_ASKED_RE, True)):
            for m in pattern.finditer(sentence):
                if any(a <= start + m.start() < b for a, b in scopes):
                    continue
                if not needs_ask or _PROPOSES.search(sentence):
                    return "step"
        unclear = unclear or bool(_BARE_PLAN.search(sentence) and _PROPOSES.search(sentence))
    return "unclear" if unclear else None
