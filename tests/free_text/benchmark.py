"""Validity and speed of the free-text scorer: `make benchmark-free-text`.

Prints, for each labelled set (development set, and every held-out set), Spearman's rho and
quadratic weighted kappa between the scorer and supervisors' 0-3 ratings, how many drafts rated
0-1 score 50% or more without a review flag, how many unsafe drafts (kinds unsafe_embedded,
negated, side_taking) do, the mean score per draft kind, then the timing on one core: import
costs, model load, and the median time to score a 200-word and a 3,000-word draft after warm-up.
A benchmark prints figures; the tests assert only orderings.

    python tests/free_text/benchmark.py [SET.yaml ...]
"""

from __future__ import annotations

import os

# One core, as the issue asks: numpy's BLAS would otherwise use every core.
for _var in (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
):
    os.environ.setdefault(_var, "1")

import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from agreement import quadratic_weighted_kappa, spearman  # noqa: E402
from labelled import load_labelled  # noqa: E402


def agreement(path: Path) -> None:
    from ipt_widgets.scoring.free_text import rating_band, score_draft

    refs, drafts = load_labelled(path)
    scores, ratings, bands, by_kind = [], [], [], {}
    weak_high, unsafe_high, flagged, scored = [], [], 0, []
    for d in drafts:
        s = score_draft(d["text"], refs[d["reference"]])
        fraction = s.points / s.max_points
        scores.append(fraction)
        ratings.append(d["rating"])
        bands.append(rating_band(fraction))
        by_kind.setdefault(d["kind"], []).append((fraction, d["rating"]))
        flagged += s.needs_review
        if not s.needs_review:
            scored.append((fraction, d["rating"]))
        if fraction >= 0.5 and not s.needs_review:
            if d["rating"] <= 1:
                weak_high.append(d)
            if d["kind"] in UNSAFE_KINDS:
                unsafe_high.append(d)
    n_weak = sum(r <= 1 for r in ratings)
    n_unsafe = sum(d["kind"] in UNSAFE_KINDS for d in drafts)
    print(f"\n{path.name}: {len(refs)} references, {len(drafts)} drafts")
    print(f"  Spearman's rho (score vs rating):        {spearman(scores, ratings):.3f}")
    print(f"  quadratic weighted kappa (band vs rating): {quadratic_weighted_kappa(bands, ratings, 4):.3f}")
    print(f"  drafts rated 0-1 scoring >= 50% without a review flag: {len(weak_high)} of {n_weak}")
    print(
        f"  unsafe drafts ({', '.join(UNSAFE_KINDS)}) scoring >= 50% without a flag: {len(unsafe_high)} of {n_unsafe}"
    )
    print(f"  drafts sent for review: {flagged} of {len(drafts)}")
    if len(scored) > 2:
        f_scores, f_ratings = [p[0] for p in scored], [p[1] for p in scored]
        f_bands = [rating_band(f) for f in f_scores]
        print(
            f"  on the {len(scored)} drafts not sent for review (the scores an instructor would sign unread): "
            f"Spearman {spearman(f_scores, f_ratings):.3f}, QWK {quadratic_weighted_kappa(f_bands, f_ratings, 4):.3f}"
        )
    for d in weak_high + [d for d in unsafe_high if d not in weak_high]:
        print(f"    unflagged at >= 50%: {d['reference']} {d['kind']} (rated {d['rating']})")
    exact = sum(b == r for b, r in zip(bands, ratings)) / len(ratings)
    within = sum(abs(b - r) <= 1 for b, r in zip(bands, ratings)) / len(ratings)
    print(f"  exact band agreement: {exact:.0%}; within one band: {within:.0%}")
    print("  kind              mean score  mean rating")
    for kind, pairs in sorted(by_kind.items(), key=lambda kv: -statistics.mean(p[0] for p in kv[1])):
        mean_score, mean_rating = statistics.mean(p[0] for p in pairs), statistics.mean(p[1] for p in pairs)
        print(f"  {kind:<17} {mean_score:>10.2f}  {mean_rating:>11.2f}")


UNSAFE_KINDS = ("unsafe_embedded", "negated", "side_taking")


def _python(code: str) -> float:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def timing(path: Path) -> None:
    print("\nTiming (one core)")
    for label, module in (
        ("import ipt_widgets.grading", "ipt_widgets.grading"),
        ("import ipt_widgets.scoring.free_text", "ipt_widgets.scoring.free_text"),
        ("import ipt_widgets.ui (all widgets, with ipywidgets)", "ipt_widgets.ui"),
    ):
        runs = [
            _python(f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)")
            for _ in range(3)
        ]
        print(f"  {label:<55} {min(runs) * 1000:7.0f} ms")
    load = _python(
        "import time; t = time.perf_counter(); from ipt_widgets.scoring.encoder import get_encoder; "
        "get_encoder(); print(time.perf_counter() - t)"
    )
    print(f"  {'first use: load the encoder (numpy, tokenizer, weights)':<55} {load * 1000:7.0f} ms")

    from ipt_widgets.scoring.free_text import score_draft

    refs, drafts = load_labelled(path)
    ref = next(iter(refs.values()))
    # Distinct sentences (a repeated sentence is scored once, so repeating a draft would flatter the timing).
    base = " ".join(d["text"] for d in sorted(drafts, key=lambda d: d["reference"] != ref.id)).split()
    from ipt_widgets.scoring.encoder import get_encoder

    encoder = get_encoder()
    score_draft("A short warm-up draft about the case.", ref)  # references and prototypes embedded once
    warm = dict(encoder._cache)
    for n_words, repeats, goal in ((200, 20, 150), (3000, 7, 1000)):
        text = " ".join(base[:n_words])
        runs = []
        for _ in range(repeats):
            encoder._cache = dict(warm)  # forget the draft's own sentences: every run embeds them afresh
            t = time.perf_counter()
            score_draft(text, ref)
            runs.append(time.perf_counter() - t)
        label = f"score a {n_words:,}-word draft after warm-up (median of {repeats})"
        print(
            f"  {label:<55} {statistics.median(runs) * 1000:7.0f} ms"
            f"  (max {max(runs) * 1000:.0f} ms; goal <= {goal} ms)"
        )


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or [HERE / "dev_set.yaml"]
    for extra in sorted(HERE.glob("heldout*.yaml")):
        if extra not in paths:
            paths.append(extra)
    for path in paths:
        agreement(path)
    timing(paths[0])
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
