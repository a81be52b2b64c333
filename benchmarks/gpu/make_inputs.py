#!/usr/bin/env python3
"""Writes random q, k, v .npy files for a benchmark model (uniform [-1, 1)).

Much faster than longnet-exec's own single-threaded draw at N = 1M. bf16 is
written as its raw bits ('<u2'), as longnet-exec reads it. Needs NumPy; exits
2 without it (run_gpu.sh then lets longnet-exec draw the inputs).
Usage: make_inputs.py DTYPE B N H D PREFIX  -> PREFIX.q.npy, .k.npy, .v.npy
"""
import sys

try:
    import numpy as np
except Exception as e:
    print(f"make_inputs.py: NumPy is unavailable ({e})", file=sys.stderr)
    sys.exit(2)

dtype, b, n, h, d, prefix = sys.argv[1], *map(int, sys.argv[2:6]), sys.argv[6]
rng = np.random.default_rng(0)
for i, name in enumerate("qkv"):
    x = rng.random((b, n, h, d), dtype=np.float32) * 2 - 1
    if dtype == "f16":
        x = x.astype(np.float16)
    elif dtype == "bf16":
        x = (x.view(np.uint32) >> 16).astype("<u2")
    np.save(f"{prefix}.{name}.npy", x)
