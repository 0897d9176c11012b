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

from .line_rules import own_negation_scopes

CUE_BOOST = 0.12
MAX_HITS = 2

_CUES: dict[str, tuple[str, ...]] = {
    "exploratory_question": (
        r"^(?:tell me (?:about|more)|can you (?:tell me|give me|describe)|could you (?:tell me|give me|describe)|"
        r"who\b|where\b|how long|how often)",
        r"\bexpectations?\b",
    ),
    "clarification": (
        r"^so\b(?![^?]*\?$)",
        r"\b(?:you (?:call|describe|say)|you['’]ve (?:called|described|said))\b[^.?]{0,60}\b(?:yet|but|and yet)\b",
        r"\b(?:if i (?:follow|understand|understood|hear you|'ve got|have got|['’]ve understood|"
        r"have understood)|let me (?:make sure|check|see if|sum|reflect)|"
        r"what i['’]m hearing|you['’]re (?:telling|saying)|in other words|to (?:sum up|summarise|summarize)|recap|"
        r"i['’]m (?:noticing|struck)|i notice (?:that|how)|correct me if|am i right that|just so i['’]m clear|"
        r"you keep (?:coming back|saying|mentioning|returning)|you(?:['’]ve| have) (?:said|mentioned|told me)|"
        r"you said|on the one hand|it sounds (?:as if|as though|like) you (?:expected|wanted|want|thought|hoped)|"
        r"is that (?:it|right)\?|what you['’]re describing|ends? up|with every \w+ you['’]ve (?:had|known|"
        r"worked)|(?:every|each) time (?:you|she|he|they)|"
        r"a pattern|a moment ago you|and yet|even though you (?:said|told))",
    ),
    "communication_analysis": (
        r"\b(?:what|how) did (?:you|he|she|they|each of you) (?:say|reply|answer|respond|put it|tell|write)\b",
        r"\b(?:what do you say (?:to (?:him|her|them)|when|back)|how (?:does|do|did) (?:he|she|"
        r"they) (?:respond|react|reply)|"
        r"walk me through|take me through|line by line|what (?:do you think )?(?:the other person|she|he|"
        r"they) made of|"
        r"exact words|word for word|your (?:tone|voice)|what tone|(?:he|she|they) (?:took|heard|"
        r"understood) (?:it|that)|"
        r"what you (?:meant|wanted to say)|moment by moment|step by step|communication analysis|who said what|"
        r"say it (?:so|differently|another way)|how (?:might|could|would) you (?:say|put) it|"
        r"what (?:did|do) you (?:think|imagine) (?:he|she|they) (?:heard|understood|meant|wanted)|"
        r"(?:how|what) (?:do|did) you think (?:your|it|that) (?:reply|message|words?|silence) )\b",
    ),
    "encouragement_of_affect": (
        r"\b(?:what|how) (?:do|did|does) (?:you|that|it) feel(?! the rest)\b|\bfeel inside\b|\bstay with\b",
        r"\b(?:it['’]s|it is) (?:ok|okay|fine|all right|alright|allowed|natural|understandable|normal) to "
        r"(?:feel|be (?:angry|sad|upset|furious)|grieve|cry|miss|let)\b",
        r"\b(?:what are you feeling|what (?:feelings?|emotions?) come|sadness|crying|tears|"
        r"what would you (?:want|like) (?:her|him|them) to know|what comes up|what happens inside|the affect|"
        r"let (?:yourself|the (?:tears|feelings?)) |must (?:be|have been) (?:so )?(?:painful|hard|lonely|awful)|"
        r"hurts? to|what['’]s (?:it|that) like\b|brought up (?:a lot of |so much )?(?:shame|guilt|anger|"
        r"sadness|grief|feelings)|how (?:was|is) that for you|in your body|"
        r"let yourself feel|(?:it['’]s|it is) right (?:that you|to) (?:grieve|feel|mourn|cry|miss)|"
        r"carry (?:this|the|that|your) (?:grief|pain|sadness|loss)|makes sense (?:that )?you|"
        r"understandable (?:that )?you|of course you(?:['’]re|"
        r" feel| are)|"
        r"feel the (?:loss|grief|sadness|pain)|time to (?:feel|grieve|cry)|room for (?:the|"
        r"your) (?:feelings?|grief)|what goes (?:through|on (?:inside|in)) you|under(?:neath)? it|(?:there['’]s|"
        r"i hear|i see) (?:a lot of )?(?:anger|hurt|sadness|pain|grief))\b",
    ),
    "linking_mood_events": (
        r"\b(?:mood|low|down|depress\w*|sleep\w*|tired\w*|symptoms?|energy|appetite|concentrat\w*|sadness)\b"
        r"[^.?]{0,60}\b(?:since|after|before|when|week|around the time|started|began|start|following)\b",
        r"\b(?:since|after|before|when|following)\b[^.?]{0,60}\b(?:mood|feel(?:ing)? (?:low|down|worse|better|"
        r"lowest)|"
        r"depress\w*|sleep|concentrat\w*|appetite|energy)\b",
        r"\b(?:affect\w*|impact\w*|chang\w*) (?:on )?your (?:mood|depression|sleep)\b|\bmood (?:change|"
        r"changed|shift)|"
        r"\blink\w* (?:your )?(?:mood|symptoms|depression)\b|\bhow do you feel the rest\b|"
        r"\bconnection between (?:how you feel|your mood)\b|\b(?:the )?(?:following|next few|"
        r"rest of the) (?:days?|week|evening)\b|"
        r"\bhow did you feel (?:afterwards|after that|later)\b|\bwhat was going on (?:in your life|with)\b",
    ),
    "psychoeducation_sick_role": (
        r"\b(?:illness|treatable|treatment|medical (?:condition|illness)|symptoms? of depression|sick role|"
        r"not (?:your fault|laziness|a (?:weakness|choice|character flaw|failing))|character flaw|"
        r"(?:ipt|interpersonal therapy|this therapy|this treatment|in this therapy)\b|people (?:do )?recover|"
        r"doesn['’]t mean you['’]re a bad|reasonable to do (?:a (?:little|bit) )?less|while you(?:['’]re| are) "
        r"(?:depressed|unwell|ill|recovering)|(?:depression|the depression) (?:is|can|makes|often|tends)|"
        r"it['’]s the depression|part of (?:the )?depression|(?:common|typical) (?:in|among|after|of|features?)|"
        r"permission to|lighter duties|you are ill|you['’]re ill)\b",
    ),
    "decision_analysis": (
        r"\b(?:options?|alternatives?|possibilit\w+|pros and cons|weigh\w*|what would each|each (?:one|choice|"
        r"option)|"
        r"which of these|decision analysis|different (?:things|ways) you could|choices|brainstorm|"
        r"(?:what|which) (?:kinds? of|other) \w+ could you|what matters most to you in (?:making|this)|"
        r"(?:what|how) (?:could|can|might) you (?:do|handle|respond|deal)|ways you (?:two |both )?could|"
        r"look at each|list (?:them|the|some)|how do (?:these|"
        r"they) compare|"
        r"advantages|disadvantages|possible (?:arrangements|options|ways|solutions|choices)|upsides?|"
        r"downsides?|ways to (?:get|do|handle|approach|sort)|"
        r"costs and benefits|what (?:might|would) happen (?:with each|if you))\b",
    ),
    "role_play_setup": (
        r"\b(?:role[- ]?play\w*|rehears\w*|practi[sc]e|act (?:it )?out|i['’]ll (?:be|play|take)|you play|swap|"
        r"switch roles|as (?:if|though) i (?:were|am|was)|as though i['’]m|saying it to me|say it to me|"
        r"imagine i['’]m|"
        r"pretend i['’]m|try (?:it )?again|have a go at)\b",
        r"(?:to|at|with) ['‘\"“](?:her|him|them|your \w+|mum|dad)['’\"”]",
    ),
    "formulation_contract": (
        r"\b(?:(?:our|the) focus|make (?:that|this) our|focus (?:our|on that|on this)|sessions? (?:left|together)|"
        r"\w+ sessions\b|our (?:last|final) (?:session|meeting)|(?:once|twice) a week|goals?\b|ring true|"
        r"does that (?:fit|sound right|make sense)|my understanding is|i (?:see|understand) your depression|"
        r"bound up with|(?:linked|tied|connected) (?:to|with)|what we (?:should|will|'ll) work on|"
        r"agree (?:what|to work|on)|problem area|role (?:dispute|transition)|our (?:sessions|work|treatment)|"
        r"end of (?:treatment|therapy)|coming to an end|halfway)\b",
    ),
    "reassurance": (
        r"\b(?:i['’]m sure|i am sure|don['’]t worry|no need to worry|give it time|before you know it|"
        r"(?:you|it|things|everything|that)['’]ll (?:be|get|feel|settle|all|work|blow|pass|find|meet|adjust|"
        r"cope|manage|"
        r"bounce|recover|move on)|everyone does|just (?:shy|busy|nervous|tired|stressed)|"
        r"will (?:grow up|come round|come around|work out|blow over|get better|be fine)|i know you will|"
        r"always (?:make up|work out|come round)|(?:wouldn['’]t|would not) want you to be|these things happen|"
        r"you['’]ve earned|enjoy it|at least you|better place|happens for a reason|lots of people like you|"
        r"don['’]t blame yourself|don['’]t (?:feel bad|be (?:so )?hard on yourself|take it personally)|"
        r"just politics|nothing wrong with you|lucky to have you|you['’]re doing (?:really |so )?well|"
        r"of course (?:he|she|they) (?:do|does|love|care)|(?:doesn['’]t|don['’]t) really (?:blame|mean)|"
        r"everyone (?:feels|grieves|goes through)|at peace|proud of you|in no time|at least)\b",
    ),
    "cbt_challenge": (
        r"\b(?:evidence|proof|thinking error|distortion|balanced thought|jumping to conclusions|logical|"
        r"rate how (?:strongly|much)|scale of 0|believe the thought|behaviou?ral experiment|challenge the|"
        r"thought (?:diary|record)|negative (?:automatic )?thoughts?|more (?:realistic|helpful|balanced)|"
        r"is it really true|mind[- ]reading|catastroph\w*|automatic thought|alternative explanation|"
        r"(?:a )?fact,? or (?:an? )?(?:interpretation|opinion|feeling)|black[- ]and[- ]white|all[- ]or[- ]nothing|"
        r"(?:say|tell) (?:that )?to a friend|rate your mood|activit(?:y|ies) schedul\w*|"
        r"schedule (?:some )?\w* ?activit|"
        r"plan some activities|overgeneralis\w*|overgeneraliz\w*|thinking trap|core belief|worksheet|homework)\b",
    ),
    "past_interpretation": (
        r"\b(?:maybe|perhaps|i wonder|could it be|could (?:your|this|that|it)|may|probably|might|really|"
        r"seems?)\b[^.?]{0,80}"
        r"\b(?:childhood|as a child|when you were (?:a child|young|little|a baby|boys|girls|growing up|small)|"
        r"your own (?:mother|father|parents)|early (?:years|life|on)|roots|goes (?:right )?back|strict father|"
        r"learned (?:to|early)|in a family where|old (?:defen[cs]e|pattern|wound)|echo\w*|repeat\w*|"
        r"reminds? you of|much earlier|at school|school days|growing up|your parents (?:related|treated)|"
        r"critical (?:mother|father)|"
        r"little (?:girl|boy))\b",
        r"\b(?:unconscious\w*|repress\w*|a defen[cs]e|denying|your dreams|as your parents did|transference|"
        r"feeling about me what|see me as|authority figure)\b",
    ),
    "taking_sides": (
        r"\b(?:you['’]re right to|no (?:business|right) (?:to )?|(?:should|ought to) be doing|not fair on you|"
        r"(?:it['’]s|it was) your (?:own )?fault|you shouldn['’]t have|you should not have|any reasonable|"
        r"taking advantage|appalling|sounds (?:jealous|selfish|like hard work|like a bully|like a bad)|"
        r"clearly (?:a bully|in the wrong)|i wouldn['’]t \w+ (?:to )?(?:her|him|them) either|"
        r"being (?:a bit )?(?:harsh|selfish|unfair|unreasonable|rude)|overreact\w*|it['’]s on (?:her|him|them)|"
        r"(?:she|he|they)(?:['’]s| is| are|['’]re) the one who|(?:a|an) (?:bad|selfish|controlling|lousy) "
        r"(?:friend|husband|wife|partner|mother|father|son|daughter)|should (?:defend|apologi[sz]e|"
        r"be grateful|know better)|"
        r"you should(?:n['’]t| not)? have\b|(?:does |do )?sounds? like (?:a|an) (?:nag|bully|brat|snob|"
        r"control freak|nightmare)|"
        r"(?:has|had|have) a point|out of order|you owe (?:her|him|them) an apology|"
        r"you (?:were wrong|overreacted)|the one being reasonable|(?:in|on) the right\b|"
        r"(?:he|she|they|those \w+|your (?:partner|husband|wife|boss|son|daughter|sister|brother|friend|"
        r"mother|father))"
        r" (?:should|ought to) (?:show|treat|respect|listen|apologi[sz]e|be ashamed|know better)|"
        r"sounds (?:so |very |really )?(?:rigid|controlling|difficult|impossible|toxic|demanding|unreasonable|"
        r"mean|nasty)|"
        r"if you(?:['’]d| had)? (?:talked|been|listened|tried)[^.?]{0,30}(?:wouldn['’]t|would not) have|"
        r"not worth your)\b",
        r"\b(?:is|are|['’]re|['’]s) (?:being )?(?:so |very |really |just |completely )?"
        r"(?:selfish|unfair|unreasonable|ungrateful|a bully|jealous|cruel|lazy)\b",
    ),
}


@lru_cache(maxsize=1)
def _compiled() -> dict[str, tuple[re.Pattern, ...]]:
    return {t: tuple(re.compile(p) for p in patterns) for t, patterns in _CUES.items()}


def cued_techniques(text: str) -> set[str]:
    """Techniques whose wording cue occurs in the line, outside any negated clause."""
    return set(cue_counts(text))


def cue_counts(text: str) -> dict[str, int]:
    """Technique -> how many of its cue wordings occur in the line (outside negated clauses)."""
    low = text.lower().strip()
    scopes = own_negation_scopes(low)
    counts: dict[str, int] = {}
    for technique, patterns in _compiled().items():
        hits = sum(
            1 for pattern in patterns for m in pattern.finditer(low) if not any(a < m.start() < b for a, b in scopes)
        )
        if hits:
            counts[technique] = hits
    return counts
