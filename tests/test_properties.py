"""Property-based tests (hypothesis): no input crashes the store, the parsers or the scorers,
and every score stays within its points."""

import contextlib
import json
import os
import signal
import tempfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ipt_widgets.cases import ClassificationReference
from ipt_widgets.feedback import classification_card, score_card
from ipt_widgets.scoring import parse_classification, score_classification
from ipt_widgets.scoring.inventory import InventoryReference, parse_inventory, score_inventory
from ipt_widgets.scoring.phq9 import PHQ9Reference, parse_phq9, score_phq9
from ipt_widgets.scoring.timeline import TimelineEvent, TimelineReference, parse_timeline, score_timeline
from ipt_widgets.scoring.transcript import TranscriptReference, parse_codes, score_transcript
from ipt_widgets.store import ResponseStore

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | st.sampled_from(["grief", "role_dispute", "impasse", "inner", "yes", "exploratory"]),
    lambda children: (
        st.lists(children, max_size=10)
        | st.dictionaries(
            st.sampled_from(
                [
                    "area",
                    "stage",
                    "rationale",
                    "people",
                    "name",
                    "circle",
                    "focus",
                    "mood",
                    "event_weeks",
                    "onset",
                    "worsening",
                    "codes",
                    "t1",
                    "sessions",
                    "totals",
                    "band_intake",
                    "response",
                ]
            )
            | st.text(max_size=8),
            children,
            max_size=8,
        )
    ),
    max_leaves=40,
)

CLASSIFICATION = ClassificationReference.from_mapping({"area": "role_dispute", "stage": "impasse"}, "ref")
INVENTORY = InventoryReference.from_mapping(
    {
        "area": "grief",
        "people": [
            {"name": "Samia", "relationship": "wife", "circle": "inner", "focus": True},
            {"name": "Mona", "aliases": ["daughter"], "relationship": "d", "circle": "middle"},
        ],
    },
    "ref",
)
EVENTS = [TimelineEvent("e1", "A"), TimelineEvent("e2", "B")]
TIMELINE = TimelineReference.from_mapping(
    {"onset": "e1", "worsening": "e2", "event_weeks": {"e1": 2, "e2": 4}, "mood": [7, 6, 4, 3, 2]}, "ref", EVENTS, 5
)
TRANSCRIPT = TranscriptReference.from_mapping(
    {"turns": [{"technique": "exploratory"}, {"technique": "off_model"}]}, "r"
)
PHQ9 = PHQ9Reference.from_mapping({"sessions": [[2] * 9, [1] * 9]}, "ref")
PHQ9_RISK = PHQ9Reference.from_mapping({"sessions": [[2] * 9, [1] * 9], "risk": ["ask_and_plan"] * 2}, "ref")


def within(score, points):
    assert 0 <= score.points <= points
    assert score.verdict in {"correct", "partial", "incorrect", "unanswered"}


@SETTINGS
@given(json_values, st.floats(min_value=0.5, max_value=50))
def test_every_scorer_takes_any_stored_value(value, points):
    answer, _ = parse_classification(value)
    score = score_classification(answer, CLASSIFICATION, points)
    within(score, points)
    classification_card("t", score, answer, CLASSIFICATION)
    entries, _ = parse_inventory(value)
    within(score_inventory(entries, INVENTORY, points), points)
    timeline, _ = parse_timeline(value, 5)
    within(score_timeline(timeline, TIMELINE, EVENTS, points), points)
    codes, _ = parse_codes(value)
    within(score_transcript(codes, TRANSCRIPT, points), points)
    phq9, _ = parse_phq9(value, 2)
    result = score_phq9(phq9, PHQ9, ["a", "b"], points)
    within(result, points)
    score_card("t", result)
    within(score_phq9(phq9, PHQ9_RISK, ["a", "b"], points), points)


@SETTINGS
@given(
    st.lists(st.sampled_from(["monitor", "ask_and_plan", "urgent", None, 3, "x"]), max_size=4),
    st.floats(min_value=0.5, max_value=50),
)
def test_monitoring_a_positive_item_9_never_earns_more_than_half(risk, points):
    sessions = [[2] * 9, [1] * 9]
    value = {
        "sessions": sessions,
        "totals": [18, 9],
        "band_intake": "moderately_severe",
        "response": "yes",
        "remission": "no",
        "risk": risk,
    }
    answer, _ = parse_phq9(value, 2)
    score = score_phq9(answer, PHQ9_RISK, ["a", "b"], points)
    within(score, points)
    if "monitor" in risk[:2]:
        assert score.points <= points / 2 + 1e-9


@SETTINGS
@given(st.binary(max_size=2000))
def test_store_reads_any_bytes_without_raising(tmp_path, raw):
    store = ResponseStore.for_notebook("prop", tmp_path)
    store.path.write_bytes(raw)
    loaded = store.load()
    assert isinstance(loaded.items, dict)
    store.save("item", {"ok": True})  # and saving over it always works
    assert store.load().items["item"]["value"] == {"ok": True}


@SETTINGS
@given(st.dictionaries(st.text(min_size=1, max_size=20), json_values, max_size=6))
def test_store_round_trips_any_json_value(tmp_path, items):
    store = ResponseStore.for_notebook("round", tmp_path)
    store.path.unlink(missing_ok=True)
    for key, value in items.items():
        store.save(key, value)
    loaded = store.load()
    assert {k: v["value"] for k, v in loaded.items.items()} == json.loads(json.dumps(items))


@SETTINGS
@given(json_values)
def test_bad_references_raise_valueerror_never_anything_else(value):
    for build in (
        lambda v: ClassificationReference.from_mapping(v, "ref"),
        lambda v: InventoryReference.from_mapping(v, "ref"),
        lambda v: TimelineReference.from_mapping(v, "ref", EVENTS, 5),
        lambda v: TranscriptReference.from_mapping(v, "ref"),
        lambda v: PHQ9Reference.from_mapping(v, "ref"),
    ):
        try:
            build(value)
        except ValueError:
            pass


hostile_pieces = st.sampled_from(
    [
        '{"format": "ipt-course-responses", "version": 1, "items": {',
        '"a": {"value": ',
        '"\\ud800"',
        '"\\udfff\\ud83d\\ude00"',
        "NaN",
        "-Infinity",
        "1e999",
        "9" * 5000,
        "[" * 70,
        "]" * 70,
        '"[{"',
        "\ufeff",
        "}",
        ",",
        ":",
        "null",
    ]
)


hostile_json_text = st.recursive(
    st.sampled_from(["NaN", "Infinity", "-Infinity", "1e999", "9" * 5000, '"\\ud800"', '"<script>"', "1", "null"])
    | st.sampled_from(["grief", "inner", "role_dispute", "Samia", "wife"]).map(lambda t: f'"{t}"'),
    lambda children: (
        st.lists(children, max_size=5).map(lambda xs: "[" + ", ".join(xs) + "]")
        | st.lists(
            st.tuples(st.sampled_from(["area", "people", "name", "circle", "focus", "mood", "\\udc00"]), children),
            max_size=5,
        ).map(lambda kv: "{" + ", ".join(f'"{k}": {v}' for k, v in kv) + "}")
    ),
    max_leaves=20,
)


@SETTINGS
@given(st.dictionaries(st.sampled_from(["a", "b", "c\\ud800"]), hostile_json_text, max_size=3))
def test_store_keeps_what_is_fine_in_documents_with_hostile_values(tmp_path, items):
    store = ResponseStore.for_notebook("values", tmp_path)
    body = ", ".join(f'"{k}": {{"value": {v}}}' for k, v in items.items())
    store.path.write_bytes(('{"format": "ipt-course-responses", "version": 1, "items": {' + body + "}}").encode())
    loaded = store.load()
    assert loaded.readable and len(loaded.items) == len(items)
    json.dumps(loaded.items, ensure_ascii=False, allow_nan=False).encode("utf-8")
    for entry in loaded.items.values():
        answer, _ = parse_classification(entry["value"])
        classification_card("t", score_classification(answer, CLASSIFICATION), answer).encode("utf-8")
        entries, _ = parse_inventory(entry["value"])
        score = score_inventory(entries, INVENTORY, 2)
        within(score, 2)
        score_card("t", score).encode("utf-8")


class Hung(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds):
    """Fail instead of hanging: SIGALRM interrupts a blocking open() or read()."""

    def alarm(signum, frame):
        raise Hung(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@SETTINGS
@given(st.lists(hostile_pieces, max_size=25), st.booleans())
def test_store_reads_hostile_json_safely(tmp_path, pieces, bom):
    store = ResponseStore.for_notebook("hostile", tmp_path)
    store.path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + "".join(pieces).encode("utf-8"))
    with time_limit(5):
        loaded = store.load()
    json.dumps(loaded.items, ensure_ascii=False, allow_nan=False).encode("utf-8")
    assert all(store.path.name in p for p in loaded.problems)
    for entry in loaded.items.values():
        answer, _ = parse_classification(entry["value"])
        classification_card("t", score_classification(answer, CLASSIFICATION), answer).encode("utf-8")
        within(score_inventory(parse_inventory(entry["value"])[0], INVENTORY, 2), 2)


FILE_KINDS = ["bytes", "fifo", "dangling_link", "link_to_file", "link_to_fifo", "folder", "device_link"]


@SETTINGS
@given(st.sampled_from(FILE_KINDS), st.binary(max_size=300))
def test_store_load_never_hangs_whatever_is_at_the_path(tmp_path, kind, raw):
    folder = tempfile.mkdtemp(dir=tmp_path)
    store = ResponseStore.for_notebook("kinds", folder)
    target = os.path.join(folder, "target")
    if kind == "bytes":
        store.path.write_bytes(raw)
    elif kind == "fifo":
        os.mkfifo(store.path)
    elif kind == "dangling_link":
        store.path.symlink_to(target)
    elif kind == "link_to_file":
        with open(target, "wb") as handle:
            handle.write(raw)
        store.path.symlink_to(target)
    elif kind == "link_to_fifo":
        os.mkfifo(target)
        store.path.symlink_to(target)
    elif kind == "folder":
        store.path.mkdir()
    else:
        store.path.symlink_to("/dev/zero")
    with time_limit(5):
        loaded = store.load()
    if kind != "bytes":
        assert loaded.items == {} and not loaded.readable and store.path.name in loaded.message
    json.dumps(loaded.items, ensure_ascii=False, allow_nan=False).encode("utf-8")
