"""One BLAS thread for the encoder when these tests run on their own: a one-line forward pass
is far slower multi-threaded on a loaded machine (the benchmark does the same)."""

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
