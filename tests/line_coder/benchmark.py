"""Validity and speed of the line coder: `make benchmark-line-coder`.

Prints, for the development set and, when it exists, the blind held-out set
(tests/line_coder/heldout_lines.yaml): macro-F1, per-technique precision, recall and F1, the
recall of missed_risk lines (and how many pass as a helpful technique), accuracy per kind
(plain, jargon, near-miss), the share sent for review and the agreement on the rest, and the
speed in ms per line once warm, on one core. A benchmark prints figures; tests assert floors.

    python tests/line_coder/benchmark.py [SET.yaml ...]
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one core, as the free-text benchmark measures

import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from labelled_lines import context_of, load_lines  # noqa: E402
from metrics import evaluate  # noqa: E402

NAMES = (
    *(f"dev{n}_lines" for n in ("", "2", "3", "4", "5", "6")),
    "heldout_lines",
    "heldout2_lines",
)
SETS = tuple(HERE / f"{name}.yaml" for name in NAMES)


def report(path: Path) -> None:
    from ipt_widgets.scoring.line_coder import code_line
    from ipt_widgets.techniques import TECHNIQUES

    rows = load_lines(path)
    codes, times = [], []
    for row in rows:
        start = time.perf_counter()
        codes.append(code_line(row["line"], context_of(row)))
        times.append((time.perf_counter() - start) * 1000)
    result = evaluate(rows, codes)
    print(f"\n== {path.name}: {len(rows)} lines ==")
    print(f"macro-F1 {result['macro_f1']:.3f}   accuracy {result['accuracy']:.3f}")
    print(
        f"missed_risk recall {_figure(result['missed_recall'])}   "
        f"missed_risk lines passing as helpful: {result['missed_as_helpful']}"
    )
    print(
        f"sent to review {result['review_share']:.1%}   agreement on the rest {result['agreement_rest']:.3f}"
        f"   ({result['rest']} lines)"
    )
    print("by kind: " + ", ".join(f"{k} {v:.3f} (n={n})" for k, (v, n) in result["by_kind"].items()))
    print(f"{'technique':28} {'P':>6} {'R':>6} {'F1':>6} {'n':>4}")
    for technique in TECHNIQUES:
        p, r, f, n = result["per_technique"][technique]
        print(f"{technique:28} {p:6.3f} {r:6.3f} {f:6.3f} {n:4d}")
    print(f"speed: median {statistics.median(times):.1f} ms per line, mean {statistics.mean(times):.1f} ms (warm)")
    if "-v" in sys.argv:
        for row, code in zip(rows, codes):
            if code.technique != row["technique"]:
                flag = " R" if code.needs_review else ""
                print(f"  {row['id']} [{row['technique']} -> {code.technique}{flag}] {row['line']}")


def _figure(value: float | None) -> str:
    return "n/a (no missed_risk lines)" if value is None else f"{value:.3f}"


def main() -> None:
    from ipt_widgets.scoring.line_coder import code_line

    start = time.perf_counter()
    code_line("Tell me about your sister.")  # loads the model and embeds the exemplars
    print(f"warm-up (model load and exemplars): {(time.perf_counter() - start) * 1000:.0f} ms")
    paths = [Path(a) for a in sys.argv[1:] if not a.startswith("-")] or [p for p in SETS if p.exists()]
    for path in paths:
        report(path)
    if not (HERE / "heldout_lines.yaml").exists():
        print("\n(no held-out set yet: tests/line_coder/heldout_lines.yaml)")


if __name__ == "__main__":
    main()
