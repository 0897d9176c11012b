"""Inventory scoring: people found, circle placement, focus; name matching."""

import pytest
from ipt_widgets.scoring.inventory import InventoryEntry, InventoryReference, parse_inventory, score_inventory

REF = InventoryReference.from_mapping(
    {
        "area": "role_dispute",
        "explanation": "The dispute with Erol.",
        "people": [
            {"name": "Erol", "aliases": ["brother"], "relationship": "brother", "circle": "middle", "focus": True},
            {"name": "Ayşe", "aliases": ["wife"], "relationship": "wife", "circle": "inner"},
            {"name": "Deniz", "aliases": ["daughter"], "relationship": "daughter", "circle": "inner"},
            {"name": "Mr Demir", "aliases": ["boss"], "relationship": "boss", "circle": "outer"},
            {"name": "Sinan", "relationship": "dispatcher", "circle": "outer", "key": False},
        ],
    },
    "test",
)


def entry(name, circle, focus=False, relationship=""):
    return InventoryEntry(name=name, relationship=relationship, circle=circle, focus=focus)


PERFECT = [entry("Erol", "middle", True), entry("Ayşe", "inner"), entry("Deniz", "inner"), entry("Mr Demir", "outer")]


def test_perfect_inventory_scores_full():
    score = score_inventory(PERFECT, REF, 4)
    assert (score.points, score.verdict) == (4.0, "correct")
    assert any("Erol" in line and "tied to the problem area" in line for line in score.expert)


def test_names_match_without_accents_case_or_extra_words_and_by_alias():
    entries = [
        entry("erol (younger brother)", "middle", True),
        entry("AYSE", "inner"),
        entry("my daughter", "inner"),
        entry("", "outer", relationship="boss"),
    ]
    entries[3] = InventoryEntry(name="the boss", relationship="boss", circle="outer")
    assert score_inventory(entries, REF, 4).points == 4.0


def test_missing_key_person_costs_the_found_share_and_is_named():
    score = score_inventory(PERFECT[:3], REF, 4)
    assert score.parts["found"] == 0.75
    assert score.points == pytest.approx(4 * (0.4 * 0.75 + 0.3 + 0.3))
    assert "Mr Demir (boss)" in score.feedback[0]


def test_adjacent_circle_earns_half_and_far_circle_nothing():
    adjacent = [entry("Erol", "inner", True)] + PERFECT[1:]
    assert score_inventory(adjacent, REF, 1).parts["placement"] == pytest.approx(0.875)
    far = [entry("Erol", "middle", True), entry("Ayşe", "outer"), entry("Deniz", "inner"), entry("Mr Demir", "outer")]
    assert score_inventory(far, REF, 1).parts["placement"] == pytest.approx(0.75)


@pytest.mark.parametrize(
    ("focus_flags", "expected"),
    [
        ((True, False, False, False), 1.0),
        ((True, True, False, False), 0.5),
        ((True, True, True, False), pytest.approx(1 / 3)),
        ((False, True, False, False), 0.0),
        ((False, False, False, False), 0.0),
    ],
)
def test_focus_relationship(focus_flags, expected):
    entries = [InventoryEntry(e.name, e.relationship, e.circle, focus=f) for e, f in zip(PERFECT, focus_flags)]
    assert score_inventory(entries, REF, 1).parts["focus"] == expected


def test_a_few_extra_people_are_not_penalised():
    extras = [entry("Sinan", "outer"), entry("Neighbour", "outer"), entry("GP", "outer"), entry("Cousin", "outer")]
    assert score_inventory(PERFECT + extras, REF, 4).points == 4.0  # Sinan is in the case; three are not


def test_padding_beyond_the_allowance_scales_people_found_and_placement():
    padding = [entry(f"Word{i}", "outer") for i in range(6)]
    score = score_inventory(PERFECT + padding, REF, 1)
    listing = (4 + 3) / 10  # (matched + allowance) / listed
    assert score.parts["found"] == pytest.approx(listing)
    assert score.parts["placement"] == pytest.approx(listing)
    assert score.parts["focus"] == 1.0
    assert "6 of the 10 people you listed (Word0, Word1, Word2, Word3, ...)" in score.feedback[0]


def test_extra_people_marked_as_the_focus_cost_the_focus_share():
    padded = PERFECT + [entry(f"Word{i}", "inner", True) for i in range(3)]
    assert score_inventory(padded, REF, 1).parts["focus"] == pytest.approx(1 / 4)


def test_empty_inventory_is_unanswered():
    assert score_inventory([], REF, 4).verdict == "unanswered"


def test_parse_skips_nameless_entries_and_repairs_bad_choices():
    entries, problem = parse_inventory({"people": [{"name": "  "}, {"name": "A", "circle": "space"}, "junk"]})
    assert problem is None and [e.name for e in entries] == ["A"] and entries[0].circle == "middle"
    assert parse_inventory([1, 2])[1] == "the saved inventory is not a list of people"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"area": "x", "people": []}, "field 'area'"),
        ({"area": "grief", "people": []}, "field 'people'"),
        (
            {"area": "grief", "people": [{"name": "A", "relationship": "r", "circle": "far"}]},
            r"person 1 \('A'\): field 'circle'",
        ),
        ({"area": "grief", "people": [{"name": "A", "relationship": "r", "circle": "inner"}]}, "focus: true"),
    ],
)
def test_bad_references_name_the_field(data, message):
    with pytest.raises(ValueError, match=message):
        InventoryReference.from_mapping(data, "ref")


def test_two_focus_people_marking_one_earns_half_and_says_who_else():
    ref = InventoryReference.from_mapping(
        {
            "area": "role_dispute",
            "people": [
                {"name": "Erol", "relationship": "brother", "circle": "middle", "focus": True},
                {"name": "Nermin", "relationship": "sister-in-law", "circle": "middle", "focus": True},
            ],
        },
        "test",
    )
    score = score_inventory([entry("Erol", "middle", True), entry("Nermin", "middle")], ref, 1)
    assert score.parts["focus"] == 0.5
    assert any("part of the focus" in line and "Erol, Nermin" in line for line in score.feedback)


TRANSITION = InventoryReference.from_mapping(
    {
        "area": "role_transition",
        "explanation": "The move to the city.",
        "people": [
            {"name": "Jianguo", "relationship": "husband", "circle": "inner", "focus": True},
            {"name": "Fang", "relationship": "old friend", "circle": "middle", "focus": True},
            {"name": "Haohao", "relationship": "grandson", "circle": "inner"},
            {"name": "Xiaoyu", "relationship": "daughter-in-law", "circle": "outer"},
        ],
    },
    "test",
)
TRANSITION_PEOPLE = [("Jianguo", "inner"), ("Fang", "middle"), ("Haohao", "inner"), ("Xiaoyu", "outer")]


@pytest.mark.parametrize(
    ("marked", "expected"),
    [
        ((), 1.0),  # "no single relationship": the focus is the change itself
        (("Jianguo",), 1.0),
        (("Jianguo", "Fang"), 1.0),  # several relationships the change altered
        (("Jianguo", "Xiaoyu"), 0.5),
        (("Xiaoyu",), 0.0),
    ],
)
def test_a_transition_accepts_no_single_relationship_or_several_it_altered(marked, expected):
    entries = [entry(name, circle, name in marked) for name, circle in TRANSITION_PEOPLE]
    score = score_inventory(entries, TRANSITION, 1)
    assert score.parts["focus"] == expected
    if expected < 1:
        assert any("the change itself" in line and "Jianguo, Fang" in line for line in score.feedback)
    assert any("marking no one is right" in line for line in score.expert)


def test_a_dispute_still_needs_its_one_relationship_marked():
    entries = [InventoryEntry(e.name, e.relationship, e.circle, focus=False) for e in PERFECT]
    assert score_inventory(entries, REF, 1).parts["focus"] == 0.0


def test_no_one_marked_in_a_padded_transition_inventory_earns_only_the_listing_share():
    padding = [entry(f"Stranger {n}", "inner") for n in range(9)]
    entries = [entry(name, circle) for name, circle in TRANSITION_PEOPLE] + padding
    focus = score_inventory(entries, TRANSITION, 1).parts["focus"]
    assert focus == pytest.approx((4 + 3) / 13)
