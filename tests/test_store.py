"""The response store: atomic saves, restore, and every kind of bad file."""

import json
import os
from pathlib import Path

import pytest
from ipt_widgets.store import FORMAT_NAME, MAX_BYTES, ResponseStore

from tests.test_properties import time_limit


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
        (b"[" * 100_000, "nested more than 64 levels"),
        (b'{"a":' * 65 + b"1" + b"}" * 65, "nested more than 64 levels"),
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
    assert not loaded.readable and "is a folder, not a file" in loaded.message


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


def _document(items_json: str) -> bytes:
    return ('{"format": "ipt-course-responses", "version": 1, "items": {' + items_json + "}}").encode()


def test_an_over_long_integer_is_a_missing_value_and_the_other_items_are_kept(store):
    # json.loads itself raises ValueError on a 5,000-digit integer (Python's int-string limit).
    store.path.write_bytes(_document('"big": {"value": {"mood": [' + "9" * 5000 + ', 3]}}, "fine": {"value": 2}'))
    loaded = store.load()
    assert loaded.readable
    assert loaded.items["fine"]["value"] == 2
    assert loaded.items["big"]["value"] == {"mood": [None, 3]}
    assert store.path.name in loaded.message and "'big'" in loaded.message and "not finite" in loaded.message


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999", "-1e400"])
def test_numbers_that_are_not_finite_never_reach_a_value(store, literal):
    store.path.write_bytes(_document(f'"a": {{"value": [{literal}, 1.5]}}, "b": {{"value": "ok"}}'))
    loaded = store.load()
    assert loaded.items["a"]["value"] == [None, 1.5]
    assert loaded.items["b"]["value"] == "ok"
    assert "'a'" in loaded.message and "'b'" not in loaded.message
    json.dumps(loaded.items, allow_nan=False)  # nothing non-finite is left anywhere


def test_a_huge_version_number_is_a_clear_message(store):
    store.path.write_bytes(b'{"format": "ipt-course-responses", "version": ' + b"1" * 5000 + b', "items": {}}')
    loaded = store.load()
    assert not loaded.readable and "field 'version'" in loaded.message


def test_lone_surrogates_are_replaced_everywhere_so_text_always_encodes(store):
    store.path.write_bytes(
        _document(
            r'"a\ud800": {"value": {"rationale": "grief \udc00 and \ud83d\ude00", "k\udfff": 1}, "saved_at": "\ud800"}'
        )
    )
    loaded = store.load()
    assert loaded.readable and loaded.problems == []
    (item_id,) = loaded.items
    assert item_id == "a\ufffd"
    value = loaded.items[item_id]["value"]
    assert value == {"rationale": "grief \ufffd and \U0001f600", "k\ufffd": 1}  # a real pair is kept
    json.dumps(loaded.items, ensure_ascii=False).encode("utf-8")
    store.save("b", 1)  # and the file can be written again
    assert store.get("a\ufffd")["rationale"] == "grief \ufffd and \U0001f600"


def test_a_byte_order_mark_is_accepted(store):
    store.path.write_bytes(b"\xef\xbb\xbf" + _document('"a": {"value": {"area": "grief"}}'))
    loaded = store.load()
    assert loaded.readable and loaded.problems == []
    assert loaded.items["a"]["value"] == {"area": "grief"}


def test_nesting_inside_strings_does_not_count(store):
    store.path.write_bytes(_document('"a": {"value": "' + "[{" * 500 + '\\" ]]"}'))
    loaded = store.load()
    assert loaded.readable and loaded.items["a"]["value"].startswith("[{[{")


def test_a_link_to_another_trainees_file_is_not_read(store, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    theirs = ResponseStore.for_notebook("m01_problem_areas", other)
    theirs.save("a", {"area": "grief"})
    store.path.symlink_to(theirs.path)
    loaded = store.load()
    assert loaded.items == {} and not loaded.readable
    assert "symbolic link" in loaded.message and store.path.name in loaded.message
    store.save("b", 1)  # saving replaces the link, never writes through it
    assert theirs.load().items.keys() == {"a"}
    assert not store.path.is_symlink() and store.get("b") == 1


def test_a_dangling_link_is_refused_and_saving_replaces_it(store):
    store.path.symlink_to(store.path.parent / "nowhere")
    loaded = store.load()
    assert not loaded.readable and "symbolic link" in loaded.message
    store.save("a", 1)
    assert store.get("a") == 1 and not (store.path.parent / "nowhere").exists()


def test_a_named_pipe_is_refused_without_blocking(store):
    os.mkfifo(store.path)
    with time_limit(10):
        loaded = store.load()  # opening a pipe for reading would wait for a writer forever
    assert not loaded.readable and "named pipe" in loaded.message


def test_a_device_is_refused(tmp_path):
    store = ResponseStore(Path("/dev/zero"))
    loaded = store.load()
    assert not loaded.readable and "a device" in loaded.message and "zero" in loaded.message


def test_a_pipe_swapped_in_after_the_check_is_not_read(store, monkeypatch):
    # The race: the path was a file at lstat, a pipe by the open. The descriptor is opened
    # without blocking and checked again, so the read neither blocks nor uses the pipe.
    import ipt_widgets.safe_read as safe_read

    store.save("a", 1)
    real_lstat = os.lstat

    def lstat_then_swap(path, *args, **kwargs):
        info = real_lstat(path, *args, **kwargs)
        os.unlink(path)
        os.mkfifo(path)
        return info

    monkeypatch.setattr(safe_read.os, "lstat", lstat_then_swap)
    with time_limit(10):
        loaded = store.load()
    assert not loaded.readable and "named pipe" in loaded.message


def test_a_link_swapped_in_after_the_check_is_not_followed(store, tmp_path, monkeypatch):
    import ipt_widgets.safe_read as safe_read

    secret = tmp_path / "secret.json"
    secret.write_bytes(_document('"a": {"value": "secret"}'))
    store.save("a", 1)
    real_lstat = os.lstat

    def lstat_then_swap(path, *args, **kwargs):
        info = real_lstat(path, *args, **kwargs)
        os.unlink(path)
        os.symlink(secret, path)
        return info

    monkeypatch.setattr(safe_read.os, "lstat", lstat_then_swap)
    loaded = store.load()
    assert not loaded.readable and "symbolic link" in loaded.message and "secret" not in repr(loaded.items)
