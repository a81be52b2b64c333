#!/usr/bin/env python3
"""Runs a GPU correctness matrix (test/Integration/GPU/matrix-*.mlir) under
../shared/ptxemu and checks every entry against the float64 reference.

  emulate_matrix.py --ptxemu PTXEMU --tools BIN --work DIR MODEL.mlir
                    [--adversarial ENTRY,...] [--only ENTRY,...] [--skip ENTRY,...]

For each func.func of MODEL (the seed of its `--entry=E --seed=S` RUN line,
else its index): ptxemu compiles that function alone with
BIN/longnet-compile (sm_80),
draws the inputs from the seed, runs the host code and every kernel launch
in its PTX interpreter and writes the results; BIN/longnet-run runs the same
entry of MODEL with every dilated attention replaced by the float64
reference (longnet-opt --longnet-convert-to-reference-calls) on the same
inputs. A result passes with longnet-exec --check's rule: no NaN and
max abs error <= tol + tol * max |reference|, tol 2e-2 for f16, 5e-2 for
bf16, 1e-4 for f32 and f64 ([B, N, H] lse results: 1e-4). Entries named by --adversarial also run under
the race-revealing schedules (serial-rev with eager cp.async, serial with
deferred cp.async). Entries named by --skip are left out (unless the
environment sets LONGNET_EMULATE_ALL=1). Prints a line per run and a summary;
exits 1 when any run fails.
"""
import argparse
import os
import re
import subprocess
import sys

import numpy as np

TOLERANCE = {"f16": 2e-2, "bf16": 5e-2, "f32": 1e-4, "f64": 1e-4}
SCHEDULES = {"lockstep": ("lockstep", "deferred"),
             "serial-rev": ("serial-rev", "eager"),
             "serial": ("serial", "deferred")}


def parse_entries(text):
    """(name, number of arguments, [(result dtype, result rank)]) of every
    func.func, in order."""
    entries = []
    for match in re.finditer(r"func\.func @(\w+)\((.*?)\)\s*->\s*(\(.*?\)|tensor<[^>]*>)\s*\{",
                             text, re.S):
        results = [(dtype, dims.count("x") + 1) for dims, dtype in
                   re.findall(r"tensor<([^>]*)x(f16|bf16|f32|f64)>", match.group(3))]
        entries.append((match.group(1), match.group(2).count("tensor<"), results))
    return entries


def extract_function(text, name):
    """The text of func.func @name, up to its closing brace at column 0 (a
    model of its own: compiling only it is much faster than the matrix)."""
    start = text.index("func.func @%s(" % name)
    end = text.index("\n}", start) + 2
    return text[start:end] + "\n"


def parse_seeds(text):
    return {m.group(1): int(m.group(2))
            for m in re.finditer(r"--entry=(\w+) --seed=(\d+)", text)}


def load(path, dtype):
    a = np.load(path)
    if dtype == "bf16":
        return (a.view(np.uint16).astype(np.uint32) << 16).view(np.float32).astype(np.float64)
    return a.astype(np.float64)


def run(command):
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        raise RuntimeError("%s failed (exit %d):\n%s" % (os.path.basename(command[0]) if
                           not command[0].endswith("python") else command[1],
                           result.returncode, result.stdout))
    return result.stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("--ptxemu", required=True)
    parser.add_argument("--tools", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--adversarial", default="")
    parser.add_argument("--only", default="")
    parser.add_argument("--skip", default="")
    args = parser.parse_args()

    text = open(args.model).read()
    entries = parse_entries(text)
    seeds = parse_seeds(text)
    only = set(filter(None, args.only.split(",")))
    adversarial = set(filter(None, args.adversarial.split(",")))
    skip = set(filter(None, args.skip.split(",")))
    unknown = (only | adversarial | skip) - {entry[0] for entry in entries}
    if os.environ.get("LONGNET_EMULATE_ALL") == "1":
        skip = set()
    if unknown:
        sys.exit("emulate_matrix.py: no entry %s in %s" % (", ".join(sorted(unknown)), args.model))
    os.makedirs(args.work, exist_ok=True)
    reference = os.path.join(args.work, "reference.mlir")
    run([os.path.join(args.tools, "longnet-opt"), args.model,
         "--longnet-convert-to-reference-calls", "-o", reference])
    compiler = os.path.join(args.tools, "longnet-compile")
    runs = failed = count = 0
    for index, (name, num_args, results) in enumerate(entries):
        if (only and name not in only) or name in skip:
            if name in skip:
                print("%s: skipped" % name)
            continue
        count += 1
        seed = seeds.get(name, index + 1)
        base = os.path.join(args.work, name)
        model = base + ".mlir"
        with open(model, "w") as f:
            f.write(extract_function(text, name))
        inputs = ",".join("%s.in%d.npy" % (base, i) for i in range(num_args))
        ref_outputs = ["%s.ref%d.npy" % (base, i) for i in range(len(results))]
        schedules = ["lockstep"] + (["serial-rev", "serial"] if name in adversarial else [])
        for schedule in schedules:
            order, cp_async = SCHEDULES[schedule]
            outputs = ["%s.%s%d.npy" % (base, schedule, i) for i in range(len(results))]
            command = [sys.executable, args.ptxemu, "run", model, "--compiler", compiler,
                       "--entry", name, "--output", ",".join(outputs),
                       "--schedule", order, "--cp-async", cp_async]
            command += (["--seed", str(seed), "--save-inputs", inputs] if schedule == "lockstep"
                        else ["--inputs", inputs])
            runs += 1
            try:
                log = run(command)
                if schedule == "lockstep":
                    run([os.path.join(args.tools, "longnet-run"), reference, "--entry=" + name,
                         "--inputs=" + inputs, "--output=" + ",".join(ref_outputs)])
            except RuntimeError as error:
                failed += 1
                print("%s [%s]: FAILED: %s" % (name, schedule, error))
                continue
            stats = re.search(r"reads of in-flight cp.async (\d+)", log)
            timing = re.search(r"emulated in ([0-9.]+) s", log)
            for i, (dtype, rank) in enumerate(results):
                got, want = load(outputs[i], dtype), load(ref_outputs[i], dtype)
                # [B, N, H] results are the f32 lse.
                tol = TOLERANCE[dtype] if rank == 4 else 1e-4
                nans = int(np.isnan(got).sum())
                finite = np.isfinite(want)
                with np.errstate(invalid="ignore"):
                    error = float(np.max(np.abs(got - want), initial=0.0, where=finite))
                scale = float(np.max(np.abs(want), initial=0.0, where=finite))
                mismatched = bool(np.any(np.isfinite(got) != finite))
                ok = (nans == 0 and not mismatched and error <= tol + tol * scale and
                      (stats is None or stats.group(1) == "0"))
                failed += not ok
                print("%s [%s, cp.async %s, %s s] result %d (%s): max abs error %.3e, "
                      "max |ref| %.3e, tol %g: %s" % (
                          name, order, cp_async, timing.group(1) if timing else "?", i, dtype,
                          error, scale, tol,
                                      "ok" if ok else "FAILED (%d NaN%s)" % (
                                          nans, ", inf mismatch" if mismatched else "")))
    print("emulated %d entries in %d runs: %d failed" % (count, runs, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
