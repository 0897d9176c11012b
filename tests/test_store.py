"""The response store: atomic saves, restore, and every kind of bad file."""

import json
import os

import pytest
from ipt_widgets.store import FORMAT_NAME, MAX_BYTES, ResponseStore


@pytest.fixture
def store(tmp_path):
    return ResponseStore.for_notebook("m01_problem_areas", tmp_path)


def test_name_follows_the_notebook_stem(tmp_path):
    assert (
        ResponseStore.for_notebook("m01_problem_areas.ipynb", tmp_path).path.name == "m01_problem_areas.responses.json"
    )
    for bad in ("", "../escape", "a/b"):
        with pytest.raises(ValueError, match="notebook"):
            ResponseStore.for_notebook(bad, tmp_path)


def test_missing_file_means_no_answers_and_no_problem(store):
    loaded = store.load()
    assert loaded.items == {} and loaded.problems == [] and loaded.readable


def test_save_then_load_round_trip_keeps_other_items(store):
    store.save("a", {"area": "grief"})
    store.save("b", {"area": "role_dispute", "stage": "impasse"})
    store.save("a", {"area": "role_transition"})
    data = json.loads(store.path.read_text(encoding="utf-8"))
    assert data["format"] == FORMAT_NAME and data["version"] == 1 and data["notebook"] == "m01_problem_areas"
    assert data["items"]["a"]["value"] == {"area": "role_transition"}
    assert data["items"]["b"]["value"]["stage"] == "impasse"
    assert data["items"]["a"]["saved_at"].endswith("+00:00")
    assert store.get("b")["area"] == "role_dispute"
    assert store.get("missing", "default") == "default"


def test_save_leaves_no_temporary_files(store):
    for i in range(20):
        store.save("a", {"n": i})
    assert [p.name for p in store.path.parent.iterdir()] == [store.path.name]


def test_unicode_text_survives(store):
    store.save("a", {"rationale": "Ngozi — « deuil » 悲嘆 🌧"})
    assert store.get("a")["rationale"] == "Ngozi — « deuil » 悲嘆 🌧"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b'{"format": "ipt-course-responses", "version": 1, "items": {"a": {"val', "not valid JSON"),
        (b"not json at all", "not valid JSON"),
        (b"[1, 2, 3]", "expected a JSON object"),
        (b'{"format": "something-else", "version": 1, "items": {}}', "field 'format'"),
        (b'{"format": "ipt-course-responses", "version": 99, "items": {}}', "field 'version'"),
        (b'{"format": "ipt-course-responses", "version": "1", "items": {}}', "field 'version'"),
        (b'{"format": "ipt-course-responses", "version": 1, "items": []}', "field 'items'"),
        ('{"format": "ipt-course-responses", "caf\xe9": 1}'.encode("latin-1"), "not UTF-8"),
        (b"[" * 100_000, "not valid JSON"),
    ],
)
def test_bad_files_load_as_empty_with_a_message_naming_the_file(store, content, message):
    store.path.write_bytes(content)
    loaded = store.load()
    assert loaded.items == {}
    assert not loaded.readable
    assert message in loaded.message
    assert store.path.name in loaded.message


def test_oversized_file_is_not_read(store):
    store.path.write_bytes(b" " * (MAX_BYTES + 1))
    loaded = store.load()
    assert not loaded.readable and "far larger" in loaded.message


def test_a_directory_in_place_of_the_file(store):
    store.path.mkdir()
    loaded = store.load()
    assert not loaded.readable and "is not a file" in loaded.message


def test_malformed_items_are_skipped_and_good_ones_kept(store):
    store.path.write_text(
        json.dumps(
            {"format": FORMAT_NAME, "version": 1, "items": {"good": {"value": 1}, "bad": "oops", "no_value": {}}}
        ),
        encoding="utf-8",
    )
    loaded = store.load()
    assert loaded.readable
    assert loaded.items == {"good": {"value": 1, "saved_at": None}}
    assert "'bad'" in loaded.message and "'no_value'" in loaded.message


def test_saving_over_an_unreadable_file_keeps_a_copy(store):
    store.path.write_bytes(b'{"format": "ipt-course-responses", "items": {"a": {"value": "precious')
    before = store.save("b", {"area": "grief"})
    assert any("kept as" in p for p in before.problems)
    kept = [p for p in store.path.parent.iterdir() if ".unreadable-" in p.name]
    assert len(kept) == 1 and b"precious" in kept[0].read_bytes()
    assert store.load().items["b"]["value"] == {"area": "grief"}


def test_save_rejects_bad_ids_and_values_without_touching_the_file(store):
    store.save("a", 1)
    before = store.path.read_bytes()
    with pytest.raises(ValueError, match="item id"):
        store.save("", 1)
    with pytest.raises(ValueError, match="cannot be saved as JSON"):
        store.save("a", {1, 2})
    with pytest.raises(ValueError, match="cannot be saved as JSON"):
        store.save("a", float("nan"))
    assert store.path.read_bytes() == before


def test_failed_write_leaves_old_file_and_no_temp(store, monkeypatch):
    store.save("a", 1)

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="No space"):
        store.save("a", 2)
    monkeypatch.undo()
    assert store.get("a") == 1
    assert [p.name for p in store.path.parent.iterdir()] == [store.path.name]


def test_stale_temporaries_from_killed_writers_are_cleared_but_fresh_ones_kept(store):
    store.save("a", 1)
    stale = store.path.parent / f".{store.path.name}.old.tmp"
    fresh = store.path.parent / f".{store.path.name}.busy.tmp"
    stale.write_text("half a file")
    fresh.write_text("another kernel mid-save")
    os.utime(stale, (0, 0))
    store.save("a", 2)
    assert not stale.exists() and fresh.exists()
