#!/usr/bin/env python3
"""Per-device costs of sequence-parallel LongNet attention, from the compiler.

For every (N, P) of the table, writes a one-op MLIR module, runs
`longnet-opt --longnet-cost-report="devices=P"` on it and turns the report's
totals into a markdown table (stdout, or --output). Python 3 stdlib only.

Computed by the tool: FLOPs, activation bytes and bytes received per device.
Assumed (constants below): link bandwidths and attention throughput.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

# Model: H = 12 heads of D = 64 (hidden 768), B = 1, bf16.
HEADS, HEAD_DIM, BATCH, ELEMENT = 12, 64, 1, "bf16"
# Branches: w_k = 2048 * 4^k, r_k = 4^k while w_k < N, then (N, N / 2048):
# geometric w and r with the same ratio (paper section 2.2), so every branch
# keeps w / r = 2048 selected rows per segment.
SMALLEST_SEGMENT, RATIO = 2048, 4
TOKENS = [2**20, 2**23, 2**26, 2**28, 2**30]
DEVICES = [8, 64, 512]
CAUSAL = False

# Assumptions (see docs/distributed.md for the sources).
NVLINK_BYTES_PER_S = 450e9  # H100 NVLink 4: 900 GB/s bidirectional
INFINIBAND_BYTES_PER_S = 50e9  # NDR 400 Gb/s, one ConnectX-7 per GPU
ATTENTION_FLOPS_PER_S = 400e12  # effective f16/bf16 attention on H100


def branches(tokens):
    result, w, r = [], SMALLEST_SEGMENT, 1
    while w < tokens:
        result.append((w, r))
        w, r = w * RATIO, r * RATIO
    result.append((tokens, tokens // SMALLEST_SEGMENT))
    return result


def module(tokens):
    pairs = branches(tokens)
    ty = f"tensor<{BATCH}x{tokens}x{HEADS}x{HEAD_DIM}x{ELEMENT}>"
    ws = ", ".join(str(w) for w, _ in pairs)
    rs = ", ".join(str(r) for _, r in pairs)
    causal = ", causal" if CAUSAL else ""
    return (
        f"func.func @attention(%q: {ty}, %k: {ty}, %v: {ty}) -> {ty} {{\n"
        f"  %o = longnet.dilated_attention %q, %k, %v {{segment_lengths = "
        f"array<i64: {ws}>, dilation_rates = array<i64: {rs}>{causal}}} : "
        f"({ty}, {ty}, {ty}) -> {ty}\n"
        f"  return %o : {ty}\n}}\n"
    )


def report(opt, path, devices):
    out = subprocess.run(
        [opt, path, f"--longnet-cost-report=devices={devices}", "-o", os.devnull],
        check=True, capture_output=True, text=True).stdout
    totals = {}
    for key, pattern in [("flops", r"total flops per device: (\d+)"),
                         ("bytes", r"peak activation bytes per device: (\d+)"),
                         ("recv", r"total bytes received per device: (\d+)")]:
        match = re.search(pattern, out)
        if not match:
            sys.exit(f"no '{pattern}' in the report of {path}, P = {devices}:\n{out}")
        totals[key] = int(match.group(1))
    totals["kinds"] = re.findall(r"(local|spans \d+)\n", out)
    return totals


def human(value, unit):
    for prefix in ["", "K", "M", "G", "T", "P", "E"]:
        if abs(value) < 1000:
            return f"{value:.3g} {prefix}{unit}"
        value /= 1000
    return f"{value:.3g} Z{unit}"


def seconds(value):
    if value == 0:
        return "0"
    for scale, unit in [(1, "s"), (1e-3, "ms"), (1e-6, "us")]:
        if value >= scale:
            return f"{value / scale:.3g} {unit}"
    return f"{value / 1e-9:.3g} ns"


def tokens_name(tokens):
    return f"{tokens // 2**30}G" if tokens >= 2**30 else f"{tokens // 2**20}M"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--longnet-opt", default="build/bin/longnet-opt")
    parser.add_argument("--output", help="markdown file (default: stdout)")
    args = parser.parse_args()

    lines = [
        "| N | P | l = N/P | branches (local / spanning) | FLOPs per device "
        "| activation memory per device | bytes received per device "
        "| comm NVLink 4 | comm IB NDR | compute at 400 TFLOP/s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for tokens in TOKENS:
            path = os.path.join(tmp, f"n{tokens}.mlir")
            with open(path, "w") as f:
                f.write(module(tokens))
            for devices in DEVICES:
                local = tokens // devices
                if tokens % devices or local < SMALLEST_SEGMENT:
                    continue
                t = report(args.longnet_opt, path, devices)
                spans = [k for k in t["kinds"] if k != "local"]
                kinds = f"{len(t['kinds']) - len(spans)} / {len(spans)}"
                lines.append(
                    f"| {tokens_name(tokens)} ({tokens}) | {devices} | {local} "
                    f"| {kinds} | {t['flops']:.3e} | {human(t['bytes'], 'B')} "
                    f"| {t['recv']} ({human(t['recv'], 'B')}) "
                    f"| {seconds(t['recv'] / NVLINK_BYTES_PER_S)} "
                    f"| {seconds(t['recv'] / INFINIBAND_BYTES_PER_S)} "
                    f"| {seconds(t['flops'] / ATTENTION_FLOPS_PER_S)} |")
    text = "\n".join(lines) + "\n"
    if args.output:
        with open(args.output, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
