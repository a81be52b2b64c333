#!/usr/bin/env python3
"""CPU benchmark of the backward of dilated attention (docs/performance.md).

For N = 16K .. max-n, the paper's mixture (w = 2048 .. 32768 clipped to N,
r = 1, 2, 4, 6, 12), causal, B = 1, H = --heads, D = 64, f32, on --threads
threads, interleaved in one run:

* ours: `longnet-run --bench` of the forward (output and lse) and of the
  backward alone (longnet.dilated_attention_backward of q, k, v, o, lse, dO);
  GFLOP/s with SPEC's FLOPs (the backward's are 2.5x the forward's);
* the PyTorch peer (torch from PyPI, CPU, autograd): per branch and head
  offset, gather the selected rows, torch's CPU flash kernel
  (aten._scaled_dot_product_flash_attention_for_cpu, which returns the lse),
  scatter, merge by lse; its backward is autograd's through all of that.
  Torch does not differentiate that kernel's lse, so the peer's mixing
  weights are detached (torchscale's gradient): it skips the mixing-weight
  term our exact backward computes, which can only make it faster.

The peer's forward is first checked against the float64 reference at
N = 2048 (longnet-run on the reference variant). The core's fp32 FMA peak
is measured in the same run (benchmarks/fma_peak). Prints a Markdown table.

  .venv/bin/python benchmarks/backward_bench.py [--build build] [--max-n 65536]
      [--reps 3] [--heads 4] [--threads 2]
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

from cpu_bench import mixture  # the paper's branches, w clipped to N


def attrs(ws, rs):
    return (f"segment_lengths = array<i64: {', '.join(map(str, ws))}>, "
            f"dilation_rates = array<i64: {', '.join(map(str, rs))}>, causal")


def forward_module(n, ws, rs, h, d=64):
    t, l = f"tensor<1x{n}x{h}x{d}xf32>", f"tensor<1x{n}x{h}xf32>"
    return (f"func.func @main(%q: {t}, %k: {t}, %v: {t}) -> ({t}, {l}) {{\n"
            f"  %o, %lse = longnet.dilated_attention %q, %k, %v {{{attrs(ws, rs)}}}\n"
            f"      : ({t}, {t}, {t}) -> ({t}, {l})\n"
            f"  return %o, %lse : {t}, {l}\n}}\n")


def backward_module(n, ws, rs, h, d=64):
    t, l = f"tensor<1x{n}x{h}x{d}xf32>", f"tensor<1x{n}x{h}xf32>"
    return (f"func.func @main(%q: {t}, %k: {t}, %v: {t}, %o: {t}, %lse: {l}, %do: {t})"
            f" -> ({t}, {t}, {t}) {{\n"
            f"  %dq, %dk, %dv = longnet.dilated_attention_backward %q, %k, %v, %o, %lse, %do"
            f" {{{attrs(ws, rs)}}}\n"
            f"      : ({t}, {t}, {t}, {t}, {l}, {t}) -> ({t}, {t}, {t})\n"
            f"  return %dq, %dk, %dv : {t}, {t}, {t}\n}}\n")


def run(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"backward_bench: error: {' '.join(cmd)} failed:\n{out.stderr}")
    return out.stdout + out.stderr


def ours(tool, path, threads, reps):
    text = run([tool, path, "--bench", str(reps), "--threads", str(threads)])
    m = re.search(r"median ([0-9.eE+-]+) (ms|s)\b", text)
    f = re.search(r"\(([0-9.eE+-]+) FLOP per call", text)
    if not (m and f):
        sys.exit(f"backward_bench: error: cannot parse longnet-run output:\n{text}")
    return float(m.group(1)) * (1000.0 if m.group(2) == "s" else 1.0), float(f.group(1))


def peer_forward(torch, q, k, v, ws, rs):
    """Gather + CPU flash SDPA + scatter per branch and head offset (cyclic
    offsets), merged by the branches' lse."""
    flash = torch.ops.aten._scaled_dot_product_flash_attention_for_cpu
    b, n, h, d = q.shape
    outs, lses = [], []
    for w, r in zip(ws, rs):
        g = n // w
        out = torch.zeros(b, g, w, h, d)
        lse = torch.full((b, g, w, h), float("-inf"))
        for offset in range(r):
            heads = torch.tensor([j for j in range(h) if j % r == offset])
            if len(heads) == 0:
                continue
            rows = torch.arange(offset, w, r)

            def pick(x):
                x = x.view(b, g, w, h, d)[:, :, rows][:, :, :, heads]
                return x.permute(0, 1, 3, 2, 4).reshape(b * g, len(heads), len(rows), d)

            o, l = flash(pick(q), pick(k), pick(v), 0.0, True)[:2]
            o = o.reshape(b, g, len(heads), len(rows), d).permute(0, 1, 3, 2, 4)
            l = l.reshape(b, g, len(heads), len(rows)).permute(0, 1, 3, 2)
            out[:, :, rows[:, None], heads[None, :]] = o
            lse[:, :, rows[:, None], heads[None, :]] = l
        outs.append(out.reshape(b, n, h, d))
        lses.append(lse.reshape(b, n, h))
    stacked = torch.stack(lses)
    total = torch.logsumexp(stacked, dim=0)
    weights = torch.nan_to_num(torch.exp(stacked - total), nan=0.0)
    return sum(wt[..., None] * o for wt, o in zip(weights, outs))


def median_ms(fn, reps):
    fn()  # warm-up
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def check_peer(torch, build, tmp):
    """The peer's forward against the float64 reference at N = 2048."""
    n, h = 2048, 4
    ws, rs = mixture(n)
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal((1, n, h, 64)).astype(np.float32) for _ in range(3)]
    paths = []
    for i, a in enumerate(arrays):
        paths.append(os.path.join(tmp, f"in{i}.npy"))
        np.save(paths[-1], a)
    model = os.path.join(tmp, "check.mlir")
    with open(model, "w") as f:
        f.write(forward_module(n, ws, rs, h))
    ref = os.path.join(tmp, "check_ref.mlir")
    run([os.path.join(build, "bin", "longnet-opt"), model,
         "--longnet-convert-to-reference-calls", "-o", ref])
    outs = [os.path.join(tmp, "ro.npy"), os.path.join(tmp, "rl.npy")]
    run([os.path.join(build, "bin", "longnet-run"), ref, "--inputs=" + ",".join(paths),
         "--output=" + ",".join(outs)])
    want = np.load(outs[0]).astype(np.float64)
    got = peer_forward(torch, *[torch.from_numpy(a) for a in arrays], ws, rs).numpy()
    error = float(np.max(np.abs(got - want)))
    tol = 1e-4 * float(np.max(np.abs(want)))
    print(f"peer forward vs float64 reference at N = {n}: max abs error {error:.2e} "
          f"(tolerance {tol:.2e}): {'ok' if error <= tol else 'FAILED'}")
    if error > tol:
        sys.exit("backward_bench: error: the PyTorch peer disagrees with the reference")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--min-n", type=int, default=16384)
    ap.add_argument("--max-n", type=int, default=65536)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    try:
        import torch
    except ImportError:
        sys.exit("backward_bench: error: no torch; install it into .venv "
                 "(.venv/bin/pip install torch)")
    torch.set_num_threads(args.threads)

    tool = os.path.join(args.build, "bin", "longnet-run")
    peak_out = run([os.path.join(args.build, "bin", "fma_peak")])
    pm = re.search(r"median ([0-9.]+) GFLOP/s", peak_out)
    peak = float(pm.group(1)) if pm else float("nan")
    print(f"fp32 FMA peak of one core (benchmarks/fma_peak, same run): {peak:.1f} GFLOP/s; "
          f"torch {torch.__version__}, {args.threads} threads, H = {args.heads}, D = 64, "
          f"f32, causal, medians of {args.reps} runs after a warm-up\n")
    with tempfile.TemporaryDirectory() as tmp:
        check_peer(torch, args.build, tmp)
        print()
        print("| N | ours fwd ms | ours bwd ms | bwd / fwd | ours bwd GFLOP/s | % of peak "
              "| peer fwd ms | peer bwd ms | peer bwd / ours bwd |")
        print("|---|---|---|---|---|---|---|---|---|")
        n = args.min_n
        while n <= args.max_n:
            ws, rs = mixture(n)
            fwd_path = os.path.join(tmp, f"fwd_{n}.mlir")
            bwd_path = os.path.join(tmp, f"bwd_{n}.mlir")
            with open(fwd_path, "w") as f:
                f.write(forward_module(n, ws, rs, args.heads))
            with open(bwd_path, "w") as f:
                f.write(backward_module(n, ws, rs, args.heads))
            fwd_ms, _ = ours(tool, fwd_path, args.threads, args.reps)
            bwd_ms, bwd_flops = ours(tool, bwd_path, args.threads, args.reps)

            shape = (1, n, args.heads, 64)
            q, k, v = (torch.randn(shape, requires_grad=True) for _ in range(3))
            dout = torch.randn(shape)
            with torch.no_grad():
                peer_fwd_ms = median_ms(lambda: peer_forward(torch, q, k, v, ws, rs),
                                        args.reps)
            backward_times = []
            for rep in range(args.reps + 1):
                out = peer_forward(torch, q, k, v, ws, rs)
                start = time.perf_counter()
                torch.autograd.backward(out, dout)
                if rep:  # the first is the warm-up
                    backward_times.append((time.perf_counter() - start) * 1e3)
                q.grad = k.grad = v.grad = None
            peer_bwd_ms = statistics.median(backward_times)
            gflops = bwd_flops / (bwd_ms * 1e-3) * 1e-9
            pct = 100.0 * gflops / (peak * args.threads)
            print(f"| {n} | {fwd_ms:.0f} | {bwd_ms:.0f} | {bwd_ms / fwd_ms:.2f} | "
                  f"{gflops:.1f} | {pct:.0f}% | {peer_fwd_ms:.0f} | {peer_bwd_ms:.0f} | "
                  f"{peer_bwd_ms / bwd_ms:.2f} |", flush=True)
            n *= 2


if __name__ == "__main__":
    main()
