#!/usr/bin/env python3
"""CPU benchmark of longnet dilated attention (issue: docs/performance.md).

For N = 8K .. max-n, runs the paper's mixture (w = 2048, 4096, 8192, 16384,
32768 clipped to N; r = 1, 2, 4, 6, 12), causal, B = 1, H = 4, D = 64, f32,
through `longnet-run --bench` on 1 and 2 threads, and beside it dense causal
attention of the same N (as far as --dense-max-n). Measures the core's fp32
FMA peak in the same run (benchmarks/fma_peak) and prints a Markdown table.

  benchmarks/cpu_bench.py [--build build] [--max-n 131072] [--reps 5]
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

PAPER_W = [2048, 4096, 8192, 16384, 32768]
PAPER_R = [1, 2, 4, 6, 12]


def mixture(n):
    """The paper's branches with w clipped to N; duplicate (w, r) dropped."""
    seen, ws, rs = set(), [], []
    for w, r in zip(PAPER_W, PAPER_R):
        w = min(w, n)
        if r <= w and (w, r) not in seen:
            seen.add((w, r))
            ws.append(w)
            rs.append(r)
    return ws, rs


def module(n, ws, rs, h=4, d=64):
    t = f"tensor<1x{n}x{h}x{d}xf32>"
    return (
        f"func.func @main(%q: {t}, %k: {t}, %v: {t}) -> {t} {{\n"
        f"  %o = longnet.dilated_attention %q, %k, %v {{"
        f"segment_lengths = array<i64: {', '.join(map(str, ws))}>, "
        f"dilation_rates = array<i64: {', '.join(map(str, rs))}>, causal}}\n"
        f"      : ({t}, {t}, {t}) -> {t}\n"
        f"  return %o : {t}\n}}\n"
    )


def run_bench(tool, path, threads, reps):
    cmd = [tool, path, "--bench", str(reps), "--threads", str(threads)]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"cpu_bench: error: {' '.join(cmd)} failed:\n{out.stderr}")
    text = out.stdout + out.stderr
    m = re.search(r"median ([0-9.eE+-]+) (ms|s)\b", text)
    g = re.search(r"([0-9.eE+-]+) GFLOP/s", text)
    tk = re.search(r"([0-9.eE+-]+) tokens/s", text)
    if not (m and g and tk):
        sys.exit(f"cpu_bench: error: cannot parse longnet-run output:\n{text}")
    ms = float(m.group(1)) * (1000.0 if m.group(2) == "s" else 1.0)
    return ms, float(tk.group(1)), float(g.group(1))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--max-n", type=int, default=131072)
    ap.add_argument("--dense-max-n", type=int, default=32768)
    ap.add_argument("--reps", type=int, default=5)
    args = ap.parse_args()

    tool = os.path.join(args.build, "bin", "longnet-run")
    peak_tool = os.path.join(args.build, "bin", "fma_peak")
    peak_out = subprocess.run([peak_tool], capture_output=True, text=True)
    pm = re.search(r"median ([0-9.]+) GFLOP/s", peak_out.stdout)
    if not pm:
        sys.exit(f"cpu_bench: error: fma_peak failed: {peak_out.stderr}")
    peak = float(pm.group(1))
    print(f"fp32 FMA peak of one core (measured): {peak:.1f} GFLOP/s\n")
    print("| N | kernel | threads | median ms | tokens/s | GFLOP/s | % of peak (threads x core) |")
    print("|---|---|---|---|---|---|---|")

    n = 8192
    with tempfile.TemporaryDirectory() as tmp:
        while n <= args.max_n:
            cases = [("mixture", *mixture(n))]
            if n <= args.dense_max_n:
                cases.append(("dense causal", [n], [1]))
            for name, ws, rs in cases:
                path = os.path.join(tmp, f"{name.replace(' ', '_')}_{n}.mlir")
                with open(path, "w") as f:
                    f.write(module(n, ws, rs))
                for threads in (1, 2):
                    ms, tps, gf = run_bench(tool, path, threads, args.reps)
                    pct = 100.0 * gf / (peak * threads)
                    print(f"| {n} | {name} | {threads} | {ms:.1f} | {tps:.3g} "
                          f"| {gf:.1f} | {pct:.0f}% |", flush=True)
            n *= 2


if __name__ == "__main__":
    main()
