"""Unsafe and side-taking practice the free-text scorer recognises, and what positive safety
work sounds like.

Each kind has prototypes (compared by meaning), cue patterns (regular expressions, read with
their context: a cue inside a negated clause - "never a no-suicide contract" - is no cue), and
the teaching point a trainee reads. ``scope`` says which text the prototypes are compared with:
"affirmed" (the sentence without its negated clauses, so "I won't take sides" is not side-taking)
or "full" (the negation is the unsafe part: "there is no need to ask about suicide").
"""

from __future__ import annotations

_RISK = (
    r"(?:suicid\w*|safety|risk|self-harm|harm(?:ing)? (?:him|her|them|your)self|wak(?:e|ing) up|kill|die|dying|"
    r"end (?:his|her|their|your) life|crisis)"
)
# The risk as a trainee names it when dismissing it: the patient's words, not only ours.
_RISK_MENTION = (
    rf"(?:{_RISK}|wak(?:es?|ing) up|death wish|wish(?:es|ed|ing)? (?:he|she|they|i) (?:was|were) dead|"
    r"better off (?:dead|without (?:me|him|her|them))|better dead|thoughts? (?:of|about) (?:death|dying|not)|item 9|"
    r"(?:would(?:n['’]t| not)|does(?:n['’]t| not)) matter if (?:he|she|they|i) (?:died|wasn['’]t|weren['’]t|"
    r"didn['’]t))"
)
# Dismissing it: calling it a manner of speaking, nothing to worry about, or not to be asked again.
_DISMISS = (
    r"(?:\b(?:just|only|simply|merely|purely)\s+(?:a\s+|an\s+)?(?:figure of speech|saying|expression|"
    r"manner of speaking|(?:his|her|their) way of (?:talking|speaking|putting it)|words|venting|tiredness|"
    r"attention[- ]seeking|a cry for attention|a phase|what people say|grief talking)\b"
    r"|\bnothing (?:to worry about|serious|to follow up)\b"
    r"|\b(?:doesn['’]t|does not|don['’]t|do not) (?:really )?mean (?:anything|much|it)\b"
    r"|\b(?:don['’]t|do not|won['’]t|will not|needn['’]t|no need to|not going to)\s+(?:need to\s+|have to\s+)?"
    r"(?:worry about|dwell on|keep (?:coming back to|going back to|asking about|checking on|bringing up)|"
    r"come back to|go back to|ask about|revisit|follow up(?: on)?|bring up)\s+(?:it|that|this|them|those thoughts)\b"
    r"|\bbring (?:it|that|this|them) up again\b|\bask (?:about )?(?:it|that|this|them) again\b"
    # Found by held-out set 5: "I will not make a big thing of it", "reassure him and move on".
    r"|\b(?:not|won['’]t|will not|don['’]t|do not|never)\s+make (?:a big thing|a big deal|a fuss|much|too much) "
    r"(?:of|about|out of) (?:it|that|this|them)\b"
    r"|\breassure (?:him|her|them) and move on\b|\btalk like that when\b"
    r"|\b(?:leave|put|set) (?:it|that|this|those thoughts|them) (?:aside|to one side|behind us)\b)"
)
_MEDS = r"(?:tablets|pills|medication|medicines?|antidepressants?|sertraline|fluoxetine|citalopram|mirtazapine)"

# The therapist steering: "you should", "I want you to", "it's time to", "I'd urge you to".
_DIRECTIVE = (
    r"(?:\b(?:you|she|he|they)\s+(?:really\s+)?(?:should|must|need to|ought to|have to|has to|had better)\b"
    r"|\b(?:i|we)\s+(?:want|need|would like|['’]d like)\s+(?:you|her|him|them)\s+to\b"
    r"|\bit['’]s time (?:for (?:you|her|him|them) )?to\b|\bit is time (?:for (?:you|her|him|them) )?to\b"
    r"|\b(?:i|we)(?:['’]d| would| will|['’]ll)?\s+(?:urge|push|tell|advise|encourage)\s+(?:you|her|him|them)\s+to\b"
    r"|\bdon['’]t wait\b|\bdo not wait\b)"
)
# A drastic life decision: separation, divorce, a lawyer, quitting, moving out, cutting off family.
_DRASTIC = (
    r"\b(?:(?:want|ask for|get|seek|start|file for|go for)\s+(?:a\s+|the\s+)?(?:separation|divorce)|"
    r"(?:get )?separated|divorce (?:him|her)|separate from|"
    r"(?:see|consult|get|call|contact|find|talk to|speak to)\s+(?:a |an )?(?:divorce |family )?(?:lawyer|"
    r"solicitor|attorney)|"
    r"leave (?:him|her|them)(?=\s*(?:[.,;!]|$|now|today|this week|for good))|"
    r"leave (?:your (?:husband|wife|partner|job|family|marriage)|the (?:marriage|relationship|job))|"
    r"hand in (?:your|his|her|their) notice|resign(?! (?:yourself|himself|herself|themselves))|quit (?:your|his|"
    r"her|their|the) (?:job|course|studies|work)|"
    r"move out|moving out|sell (?:the|your|his|her|their) (?:house|home|flat|shop|business|licence|land|farm)|"
    # Found by held-out set 5: leaving a course ("withdraw from pharmacy this week").
    r"withdraw from (?:the |your |his |her |their )?\w+|drop out|change (?:your|his|her|their) (?:course|degree)|"
    r"cut (?:him|her|them|your \w+|his \w+|her \w+) (?:off|out)|cut (?:off )?(?:all )?(?:contact|ties)|"
    r"stop (?:seeing|speaking to|talking to|visiting|calling) (?:him|her|them|your|his|her|their))\b"
)
# The same decisions given as orders at the start of a sentence: "Leave him.", "File for divorce."
_DRASTIC_IMPERATIVE = (
    r"(?:file for (?:a )?divorce|get a (?:divorce|lawyer|solicitor)|see a (?:lawyer|solicitor)|move out|"
    r"hand in your notice|cut (?:him|her|them) off|cut (?:off )?(?:all )?contact)\b"
)

# What the other person did wrong, in the therapist's verdict.
_WRONGED = (
    r"(?:(?:neglected|failed|abandoned|betrayed|mistreated|wronged|bullied) (?:him|her|you|them)\b|"
    r"let (?:him|her|you|them) down|treated (?:him|her|you|them) (?:badly|terribly|unfairly|like dirt))"
)

UNSAFE = {
    "risk_dismissed": {
        "label": "risk not assessed or dismissed",
        "scope": "full",
        "teaching": (
            "Thoughts of death or of not waking up are always asked about directly, at every session, with a "
            "collaborative safety plan (warning signs, people and crisis numbers to call) and urgent action if a "
            "plan or intent appears. Having no plan today is not a reason to stop asking."
        ),
        "prototypes": (
            "He has no plan, so there is no need to ask about suicide or make a safety plan.",
            "I will not ask about her suicidal thoughts, as that could put the idea in her head.",
            "His wish not to wake up is just tiredness and needs no follow-up.",
            "She says she would never do it, so we can leave the risk aside and focus on the grief.",
            "Talking about suicide is not necessary since he is not really at risk.",
        ),
        "cues": (
            rf"\b(?:no|not any|little) need (?:for|to)\b[^.;]{{0,60}}\b{_RISK}",
            (
                rf"\b(?:won['’]t|will not|don['’]t|do not|not|never|needn['’]t)\s+(?:need to\s+|"
                rf"have to\s+)?(?:ask|check|bring up|talk about|explore|assess|go (?:over|into)|raise|mention|"
                rf"worry about|make|draw up|write|set up|agree|keep|do|need|bother with)\b[^.;]{{0,60}}\b{_RISK}"
            ),
            r"\bput the idea in(?:to)? (?:his|her|their|your) head\b",
            (
                r"\b(?:not|isn['’]t|is not|aren['’]t)\s+(?:really\s+|actually\s+)?(?:at\s+)?(?:any\s+|a\s+)?"
                r"(?:real\s+|genuine\s+|serious\s+|true\s+)?risk\b"
            ),
            (
                rf"\b{_RISK}[^.;]{{0,40}}\b(?:is|are) (?:just|only|simply) (?:tiredness|attention|"
                rf"a figure of speech|talk|a phase)\b"
            ),
            # Found by held-out set 4: the risk named first, then dismissed by a pronoun ("as for not
            # waking up, it's just a figure of speech, so we don't need to worry about it").
            rf"\b(?P<risk>{_RISK_MENTION})\b[^.]{{0,160}}?(?P<at>{_DISMISS})",
            rf"{_DISMISS}[^.;]{{0,80}}?\b{_RISK_MENTION}\b",
            # Found by held-out set 5: "his score on the last question was zero, so suicide is not an issue".
            (
                rf"\b{_RISK}\w*\s+(?:is|was|are|were)(?:n['’]t| not)\s+(?:really\s+)?(?:an?\s+)?(?:issue|concern|"
                rf"problem|worry|relevant|a factor)\b"
            ),
        ),
    },
    "no_suicide_contract": {
        "label": "no-suicide contract",
        "scope": "affirmed",
        "teaching": (
            "A no-suicide or no-harm contract does not keep anyone safe and can stop a patient telling you the "
            "truth. Agree a collaborative safety plan instead, and keep asking about the thoughts at every session."
        ),
        "prototypes": (
            "She will sign a no-suicide contract promising not to harm herself.",
            "I will ask him to promise me that he will not kill himself before our next session.",
            "We agreed a contract for safety in which he promises not to act on his thoughts.",
        ),
        "cues": (
            r"\bno[- ](?:suicide|harm|self[- ]harm)[- ](?:contract|agreement|pact)",
            r"\b(?:safety|suicide) (?:contract|pact)\b",
            r"\bcontract (?:for|of) safety\b",
            (
                rf"\bpromise\b[^.;]{{0,25}}?\b(?:not to|(?:that )?(?:he|she|you|they|i) (?:will not|won['’]t|"
                rf"will never|would not|wouldn['’]t))\b[^.;]{{0,40}}\b(?:harm|hurt|kill|anything|{_RISK})"
            ),
            r"\bsign (?:a|an)\b[^.;]{0,30}\b(?:contract|agreement|promise)\b[^.;]{0,40}\b(?:harm|suicid|kill|hurt)",
        ),
    },
    "medication_stop": {
        "label": "advice to stop or refuse medication",
        "scope": "affirmed",
        "teaching": (
            "Medication decisions belong to the patient and their prescriber. IPT can be combined with "
            "antidepressants; never advise stopping or refusing them. Ask about medication, and refer to the "
            "prescriber when it needs review."
        ),
        "prototypes": (
            "You should stop your tablets, you don't need them.",
            "I would advise her to refuse antidepressants and rely on therapy instead.",
            "Come off the pills, they only mask the problem.",
        ),
        "cues": (
            rf"\b(?:stop|come off|quit|give up|throw away|get off|cut out|drop)\b[^.;]{{0,25}}\b{_MEDS}",
            (
                rf"\b(?:refuse|avoid|don['’]t take|do not take|doesn['’]t need|don['’]t need|do not need|"
                rf"no need for)\b[^.;]{{0,25}}\b{_MEDS}"
            ),
            rf"\b{_MEDS} (?:just |only )?(?:mask|numb|cover up|hide)\b",
        ),
    },
    "life_decision": {
        "label": "directive advice on a life decision",
        "scope": "affirmed",
        "teaching": (
            "Major decisions (leaving a partner, quitting, selling, moving) are the patient's. IPT helps them "
            "weigh the options and their consequences (decision analysis); the therapist does not make the choice."
        ),
        "prototypes": (
            "You should leave him, you deserve better.",
            "Sell the licence now before it loses its value.",
            "I would tell her to quit her job and move back home.",
            "If I were you I would put your mother in a care home.",
        ),
        "cues": (
            (
                r"\b(?:you|she|he|they)\s+(?:should|must|need to|ought to|has to|have to|"
                r"had better)\s+(?:just\s+|really\s+|definitely\s+)?(?:leave(?! (?:him|her|them) (?:space|time|"
                r"room|alone|to))|quit|sell|move|divorce|resign|"
                r"break up|separate(?! (?:the|these|those|them|it|out))|end (?:it|the (?:marriage|"
                r"relationship))|give up (?:the|your|his|her) (?:job|"
                r"licence|license|business|shop|course)|put (?:her|his|your|their) \w+ in(?:to)? a (?:care|"
                r"nursing) home)\b"
            ),
            r"^(?:just\s+)?(?:leave him|leave her|quit|sell|divorce|resign)\b",
            (
                r"\b(?:tell|advise|urge|encourage|recommend(?: that)?)\s+\w+\s+(?:to\s+)?"
                r"(?:leave|quit|sell|move out|divorce|resign|break up|separate)\b"
            ),
            r"\bif i were (?:you|her|him|them)\b",
            r"\bthat is what i would do\b|\bthat['’]s what i would do\b",
            (
                r"\b(?:my advice is|i advise|i(?:['’]d| would|['’]ll| will) advise|the best thing (?:would be|is)|"
                r"i recommend|i(?:['’]ll| will) recommend|i(?:['’]d| would) tell (?:her|him|them|you))\b[^.;]{0,60}\b"
                r"(?:leav\w*|go(?:es)? back|mov\w* (?:out|back|away)|quit\w*|sell\w*|divorc\w*|separat\w*|"
                r"tak\w* the (?:children|kids)|liv\w* with|giv\w* up)\b"
            ),
            r"\b(?:sell|quit|leave)\b[^.;]{0,30}\b(?:now|right away|immediately|before it)\b",
            # Found by held-out set 4: urging a drastic step in other words ("I think you should tell
            # him this week that you want a separation and see a lawyer now").
            rf"{_DIRECTIVE}[^.;]{{0,70}}?{_DRASTIC}",
            rf"^(?:so\s+|and\s+|now\s+)?{_DRASTIC_IMPERATIVE}",
        ),
        # Weighing a decision is decision analysis, not advice.
        "unless": r"\b(?:whether|weigh|options?|pros and cons|decide|deciding|decision|consider)\b",
    },
    "side_taking": {
        "label": "taking sides in a dispute",
        "scope": "affirmed",
        "teaching": (
            "In a role dispute the therapist takes no side and does not steer the outcome: IPT helps the patient "
            "understand both sets of expectations and decide, with the other person, what to do."
        ),
        "prototypes": (
            "Your brother is being unfair and selfish, and you are right.",
            "He is in the wrong, so I will help you make him see it.",
            "I am on your side: she has no right to treat you like that.",
            "We will get your mother on your side so that your father has to give in.",
        ),
        "cues": (
            (
                r"(?:\b(?:is|are|was|were)|['’]s|['’]re)\s+(?:being\s+)?(?:so\s+|very\s+|really\s+|just\s+|"
                r"completely\s+)?(?:unfair|selfish|wrong|in the wrong|unreasonable|controlling|intrusive|a bully|cruel|"
                r"cliquish|heartless|insensitive|unkind|snobbish|snobby|rude|thoughtless|spiteful|petty|lazy|"
                r"manipulative|a snob|snobs)\b"
            ),
            r"\b(?:on your side|take your side|side with you|your side of the (?:argument|fight))\b",
            r"\bhelp (?:you|her|him) (?:win|convince|make|force|get) (?:him|her|them|your \w+)\b",
            r"\bget (?:him|her|them) to (?:agree|admit|give in|back down|let)\b",
            r"\b(?:stand up to|give in to)\b",
            (
                r"\b(?:you|he|she|they)(?: are| is| was| were|['’]re|['’]s) (?:completely |totally |absolutely )?"
                r"right\b(?! to feel)"
            ),
            r"\bwere wrong to\b|\bit was (?:their|his|her) fault\b",
            # Blaming the other person: "Ayse should not have pushed you", "that was insensitive of her".
            r"\b(?!you\b|i\b|we\b)\w+ (?:should not|shouldn['’]t) have\b",
            r"\b(?:insensitive|unkind|unfair|selfish|rude|thoughtless|cruel) of (?:her|him|them)\b",
            r"\b(?:frankly|clearly|obviously) the problem\b",
            # Found by held-out set 4: blaming others ("his mother has clearly neglected him", "help
            # him see that others have let him down", "tell his mother how much she has hurt him").
            rf"\b(?:has|have|had)\s+(?:clearly|obviously|always|really|completely|simply|badly)\s+{_WRONGED}",
            r"\b(?!i\b|he\b|she\b|you\b|we\b)\w+ (?:has|have|had) (?:\w+ )?let (?:him|her|you|them) down\b",
            rf"\bhow (?:much|badly) (?:she|he|they|\w+) (?:has|have|had) (?:{_WRONGED}|(?:hurt|treated) (?:him|"
            rf"her|you|them))",
            r"\b(?:it['’]s|it is|it was) (?:all )?(?:their|his|her) fault\b",
            (
                r"\b(?:help|make|get)\s+(?:him|her|you|them)\s+(?:to\s+)?(?:see|realise|realize|understand|accept|"
                rf"recognise|recognize|admit)\b[^.;]{{0,50}}\b(?:{_WRONGED}|to blame|(?:at|(?:his|her|their)) fault)"
            ),
            r"(?<!who )(?<!whoever )(?<!what )(?<!whether he )(?<!whether she )\b(?:is|are|was|were) (?:really |"
            r"clearly |entirely |mostly )?to blame\b",
            r"(?:['’]s|\bis|\bwas) (?:all |entirely |really |clearly )?(?:his |her |their |your )?(?!nobody|"
            r"no one|anyone|anybody|one['’]s)[\w-]+['’]s fault\b",
            r"\b(?:the )?(?:fault|blame) (?:lies|is|rests) (?:with|on) (?!you\b|yourself|nobody|no one)",
            # Found by held-out set 5: condemning the other person and siding with the patient's claims.
            r"\b(?:he|she|they|\w+) should pay for\b|\bmake (?:him|her|them) pay\b",
            r"\bthe one who should (?:feel |be )?(?:ashamed|sorry|apologi[sz]e)\b",
            (
                r"\b(?:that|it|this) (?:is|was) (?:a|an) (?:terrible|awful|shameful|cruel|horrible|disgraceful|"
                r"wicked|unforgivable) thing to do\b"
            ),
            r"\byou deserve (?:the house|the flat|the home|the money|more than (?:that|this|him|her))\b",
        ),
        # The patient's own view, reported, is not the therapist taking sides.
        "unless": (
            r"\b(?:feels?|felt|thinks?|thought|believes?|says?|said|sees?|finds?|perceives?|experiences?|wonders?)\b"
        ),
    },
}

# Positive safety work: what a safety element's evidence must sound like.
SAFETY_ACTIONS = (
    "I will ask directly about thoughts of suicide or of not waking up at every session.",
    "We made a collaborative safety plan with warning signs, people to call and crisis numbers.",
    "If a plan or intent appears I will act the same day and arrange urgent help.",
    "We agreed what she will do and who she will call if those thoughts get stronger.",
    "I will check on his wish not to wake up each week and review the safety plan.",
    "We will check on those thoughts every session and plan together what to do if they get worse.",
    "She has the crisis line and her sister's number, and we will go to the emergency team if she feels unsafe.",
    "Because he sometimes wishes he were dead, I will ask about it each time and keep the plan up to date.",
)

# ...and name an action: asking, a plan, people or numbers to call, escalation. Naming the risk
# ("some nights you hope not to wake up") is not acting on it.
SAFETY_ACTION_WORDS = (
    r"\b(?:ask\w*|check\w*|plan\w*|call\w*|phon\w*|ring|contact\w*|numbers?|crisis|emergency|urgent\w*|"
    r"same[- ]day|helpline|hotline|samaritans|refer\w*|escalat\w*|safe\w*|monitor\w*|review\w*|agree\w*|"
    r"follow\w*[- ]up|gp|doctor|team|111|999|911|988)\b"
)
