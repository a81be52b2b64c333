#!/usr/bin/env python3
"""PyTorch peers of the GPU benchmark models, and the comparison table.

Runs on the GPU machine, inside the bundle (models.json from gen_models.py,
ours.csv from run_gpu.sh). For every model, on random inputs [B, N, H, D]:

  FA2 ms    SDPA with SDPBackend.FLASH_ATTENTION on the attention work only:
            dense branch (w, r = 1): one causal call over the segments,
            [B, N, H, D] viewed as [B*N/w, H, w, D] (no copies);
            mixture: the per-branch, per-offset calls on inputs gathered
            beforehand (a lower bound for any gather-based implementation).
  cuDNN ms  the same with SDPBackend.CUDNN_ATTENTION.
  gather ms the official implementation's approach, end to end: per branch
            and head offset (SPEC.md cyclic mode: head j uses offset j mod r),
            gather x[:, seg, o::r, heads with j mod r == o] into a contiguous
            [B*N/w, H_o, m_o, D], flash SDPA returning the lse, scatter the
            output and lse back, then merge the branches by softmax over lse
            (Eq. 10).

Each time is the median of --reps calls timed with torch.cuda.Event after
warm-up. FLOPs are SPEC.md's forward count (models.json). A failure in one
configuration is printed and the run goes on. Exit status: 0 when every
measurement ran, 1 when any failed, 2 when PyTorch or CUDA is unavailable.
"""

import argparse
import csv
import json
import math
import os
import statistics
import sys


def log(msg):
    print(msg, flush=True)


def load_ours(path):
    ours = {}
    if path and os.path.exists(path):
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                if row.get("status") == "ok" and row.get("median_ms"):
                    ours[row["name"]] = float(row["median_ms"])
    return ours


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--models", default=os.path.join(here, "models.json"))
    ap.add_argument("--ours", default=os.path.join(here, "ours.csv"))
    ap.add_argument("--out", default="results.csv")
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--max-n", type=int, default=None)
    ap.add_argument("--only", default=None, help="regex on model names")
    a = ap.parse_args()

    try:
        import torch
        import torch.nn.functional as F
        from torch.nn.attention import SDPBackend, sdpa_kernel
    except Exception as e:  # ImportError, or a broken install
        print(f"torch_peer.py: error: PyTorch is unavailable ({type(e).__name__}: {e})",
              file=sys.stderr)
        return 2
    if not torch.cuda.is_available():
        print("torch_peer.py: error: CUDA is unavailable to PyTorch "
              f"(torch {torch.__version__}, built for CUDA {torch.version.cuda})", file=sys.stderr)
        return 2

    import re
    with open(a.models) as f:
        models = json.load(f)
    if a.max_n:
        models = [m for m in models if m["N"] <= a.max_n]
    if a.only:
        models = [m for m in models if re.search(a.only, m["name"])]
    ours = load_ours(a.ours)
    dev = torch.device("cuda")
    log(f"torch {torch.__version__}, CUDA {torch.version.cuda}, "
        f"cuDNN {torch.backends.cudnn.version()}, {torch.cuda.get_device_name(0)}")
    dtypes = {"f16": torch.float16, "bf16": torch.bfloat16, "f32": torch.float32}

    def timed(fn, reps=a.reps, warmup=a.warmup):
        for _ in range(warmup):
            fn()
        torch.cuda.synchronize()
        times = []
        for _ in range(reps):
            start = torch.cuda.Event(enable_timing=True)
            end = torch.cuda.Event(enable_timing=True)
            start.record()
            fn()
            end.record()
            end.synchronize()
            times.append(start.elapsed_time(end))
        return statistics.median(times)

    # Attention with the lse, [b, h, l, d] -> ([b, h, l, d], [b, h, l] f32).
    def attn_lse_flash(q, k, v, causal, scale):
        r = torch.ops.aten._scaled_dot_product_flash_attention(
            q, k, v, 0.0, causal, False, scale=scale)
        return r[0], r[1][..., : q.shape[2]].reshape(q.shape[:3]).float()

    def attn_lse_cudnn(q, k, v, causal, scale):
        r = torch.ops.aten._scaled_dot_product_cudnn_attention(
            q, k, v, None, True, 0.0, causal, False, scale=scale)
        return r[0], r[1].reshape(q.shape[:3]).float()

    def groups(x, w, r):
        """Per head offset o: x's rows o::r of each segment, heads o::r."""
        b, n, h, d = x.shape
        x5 = x.view(b, n // w, w, h, d)
        return [(o, x5[:, :, o::r, o::r]) for o in range(min(r, h))]

    def gathered(x, w, r):
        """Contiguous [B*N/w, H_o, m_o, D] per head offset (the gather)."""
        out = []
        for o, g in groups(x, w, r):
            b, s, m, h, d = g.shape
            out.append((o, g.permute(0, 1, 3, 2, 4).contiguous().view(b * s, h, m, d)))
        return out

    def pipeline(q, k, v, branches, causal, attn):
        """gather + SDPA + scatter per branch, then the lse-weighted merge."""
        b, n, h, d = q.shape
        scale = 1.0 / math.sqrt(d)
        outs, lses = [], []
        for w, r in branches:
            if n % w:
                raise ValueError(f"N = {n} is not a multiple of w = {w}")
            s = n // w
            out = torch.zeros_like(q)
            lse = torch.full((b, n, h), float("-inf"), device=q.device)
            out5 = out.view(b, s, w, h, d)
            lse4 = lse.view(b, s, w, h)
            for (o, qg), (_, kg), (_, vg) in zip(gathered(q, w, r), gathered(k, w, r),
                                                 gathered(v, w, r)):
                og, lg = attn(qg, kg, vg, causal, scale)
                ho, m = og.shape[1], og.shape[2]
                out5[:, :, o::r, o::r] = og.reshape(b, s, ho, m, d).permute(0, 1, 3, 2, 4)
                lse4[:, :, o::r, o::r] = lg.reshape(b, s, ho, m).permute(0, 1, 3, 2)
            outs.append(out)
            lses.append(lse)
        weights = torch.softmax(torch.stack(lses), dim=0)  # [k, B, N, H]
        acc = torch.zeros(q.shape, dtype=torch.float32, device=q.device)
        for i, out in enumerate(outs):
            acc.addcmul_(weights[i].unsqueeze(-1), out.float())
        return acc.to(q.dtype)

    def naive(q, k, v, branches, causal):
        """SPEC.md directly, in float32 with dense masks (small shapes only)."""
        b, n, h, d = q.shape
        qf, kf, vf = (x.float().permute(0, 2, 1, 3) for x in (q, k, v))  # [B, H, N, D]
        s = qf @ kf.transpose(-1, -2) / math.sqrt(d)
        t = torch.arange(n, device=q.device)
        outs, lses = [], []
        for w, r in branches:
            mask = torch.zeros(h, n, n, dtype=torch.bool, device=q.device)
            for j in range(h):
                sel = (t % w) % r == (j % r)
                same = (t[:, None] // w) == (t[None, :] // w)
                m = same & sel[:, None] & sel[None, :]
                if causal:
                    m &= t[None, :] <= t[:, None]
                mask[j] = m
            sc = s.masked_fill(~mask, float("-inf"))
            lse = torch.logsumexp(sc, dim=-1)  # -inf on unselected rows
            p = torch.exp(sc - lse.nan_to_num(neginf=0.0)[..., None]).nan_to_num(0.0)
            outs.append(p @ vf)
            lses.append(lse)
        wts = torch.softmax(torch.stack(lses), dim=0)
        o = sum(wts[i][..., None] * outs[i] for i in range(len(outs)))
        return o.permute(0, 2, 1, 3)

    # Self-test of the gather pipeline against SPEC.md (w % r != 0, H % r != 0).
    ok_pipeline = True
    try:
        g = torch.Generator(device=dev).manual_seed(0)
        shape = (2, 768, 5, 64)
        q, k, v = (torch.randn(shape, generator=g, device=dev, dtype=torch.float16) for _ in range(3))
        br = [(128, 1), (256, 3), (768, 4)]
        ref = naive(q, k, v, br, True)
        for label, fn in (("flash", attn_lse_flash), ("cudnn", attn_lse_cudnn)):
            try:
                got = pipeline(q, k, v, br, True, fn).float()
                err = (got - ref).abs().max().item()
                log(f"self-test gather+SDPA({label})+scatter vs SPEC.md: max abs error {err:.3e}"
                    f" {'ok' if err < 2e-2 else 'FAILED'}")
                if label == "flash" and not err < 2e-2:
                    ok_pipeline = False
            except Exception as e:
                log(f"self-test gather+SDPA({label})+scatter: error: {type(e).__name__}: {e}")
                if label == "flash":
                    ok_pipeline = False
    except Exception as e:
        log(f"self-test: error: {type(e).__name__}: {e}")
        ok_pipeline = False

    rows, failures = [], 0
    for m in models:
        name, kind, b, n, h, d = m["name"], m["kind"], m["B"], m["N"], m["H"], m["D"]
        branches = [tuple(x) for x in m["branches"]]
        causal = m["causal"]
        row = dict(name=name, kind=kind, dtype=m["dtype"], B=b, N=n, H=h, D=d,
                   branches=" ".join(f"{w}/{r}" for w, r in branches),
                   flops=m["flops"], ours_ms=ours.get(name), fa2_ms=None, cudnn_ms=None,
                   gather_ms=None, notes=[])
        if name not in ours:
            row["notes"].append("ours: no time")
        if m.get("offset_mode", "cyclic") != "cyclic":
            row["notes"].append("peer supports cyclic offsets only")
            rows.append(row)
            continue
        try:
            dt = dtypes[m["dtype"]]
            g = torch.Generator(device=dev).manual_seed(1)
            q, k, v = (torch.randn((b, n, h, d), generator=g, device=dev, dtype=dt) for _ in range(3))
        except Exception as e:
            failures += 1
            row["notes"].append(f"inputs: {type(e).__name__}: {str(e).splitlines()[0]}")
            log(f"{name}: inputs: {type(e).__name__}: {e}")
            rows.append(row)
            continue

        for col, backend in (("fa2_ms", SDPBackend.FLASH_ATTENTION),
                             ("cudnn_ms", SDPBackend.CUDNN_ATTENTION)):
            try:
                if kind == "dense" or len(branches) == 1:
                    (w, r), = branches
                    if n % w:
                        raise ValueError(f"N = {n} is not a multiple of w = {w}")
                    if r == 1:
                        qs, ks, vs = (x.view(b * n // w, w, h, d).transpose(1, 2) for x in (q, k, v))
                        calls = [(qs, ks, vs)]
                    else:
                        calls = [(qg, kg, vg) for (_, qg), (_, kg), (_, vg) in
                                 zip(gathered(q, w, r), gathered(k, w, r), gathered(v, w, r))]
                else:
                    calls = []
                    for w, r in branches:
                        calls += [(qg, kg, vg) for (_, qg), (_, kg), (_, vg) in
                                  zip(gathered(q, w, r), gathered(k, w, r), gathered(v, w, r))]

                def run(calls=calls):
                    for qs, ks, vs in calls:
                        F.scaled_dot_product_attention(qs, ks, vs, is_causal=causal)

                with sdpa_kernel(backend):
                    row[col] = timed(run)
                del calls
            except Exception as e:
                failures += 1
                msg = f"{col[:-3]}: {type(e).__name__}: {str(e).strip().splitlines()[0][:160]}"
                row["notes"].append(msg)
                log(f"{name}: {msg}")
            torch.cuda.empty_cache()

        try:
            row["gather_ms"] = timed(lambda: pipeline(q, k, v, branches, causal, attn_lse_flash))
            if not ok_pipeline:
                row["notes"].append("gather pipeline failed its self-test")
        except Exception as e:
            failures += 1
            msg = f"gather: {type(e).__name__}: {str(e).strip().splitlines()[0][:160]}"
            row["notes"].append(msg)
            log(f"{name}: {msg}")
        del q, k, v
        torch.cuda.empty_cache()
        fmt = lambda x: "-" if x is None else f"{x:.3f}"
        log(f"{name}: ours {fmt(row['ours_ms'])} ms, FA2 {fmt(row['fa2_ms'])} ms, "
            f"cuDNN {fmt(row['cudnn_ms'])} ms, gather+SDPA+scatter {fmt(row['gather_ms'])} ms")
        rows.append(row)

    # The table.
    def tflops(row, col):
        t = row[col]
        return None if t is None else row["flops"] / (t * 1e-3) / 1e12

    header = ["config", "ours ms", "FA2 ms", "cuDNN ms", "gather+SDPA+scatter ms",
              "tokens/s", "TFLOP/s", "target"]
    lines = []
    for row in rows:
        o = row["ours_ms"]
        target = "-"
        if o is not None:
            if row["kind"] == "dense" and row["fa2_ms"] is not None:
                x = row["fa2_ms"] / o
                target = f"{x:.2f}x FA2 ({'met' if x >= 1.0 else 'missed'})"
            elif row["kind"] == "mixture" and row["gather_ms"] is not None:
                x = row["gather_ms"] / o
                target = f"{x:.2f}x gather ({'met' if x >= 2.0 else 'missed'})"
        row["target"] = target
        fmt = lambda x, f="{:.3f}": "-" if x is None else f.format(x)
        lines.append([row["name"], fmt(o), fmt(row["fa2_ms"]), fmt(row["cudnn_ms"]),
                      fmt(row["gather_ms"]),
                      fmt(None if o is None else row["B"] * row["N"] / (o * 1e-3), "{:.3e}"),
                      fmt(tflops(row, "ours_ms"), "{:.1f}"), target])
    widths = [max(len(str(x)) for x in col) for col in zip(header, *lines)] if lines else []
    print()
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for line in lines:
        print("| " + " | ".join(str(x).ljust(w) for x, w in zip(line, widths)) + " |")

    fields = ["name", "kind", "dtype", "B", "N", "H", "D", "branches", "flops", "ours_ms",
              "fa2_ms", "cudnn_ms", "gather_ms", "ours_tokens_per_s", "ours_tflops",
              "fa2_tflops", "cudnn_tflops", "gather_tflops", "target", "notes"]
    with open(a.out, "w", newline="") as f:
        wr = csv.DictWriter(f, fieldnames=fields)
        wr.writeheader()
        for row in rows:
            o = row["ours_ms"]
            wr.writerow(dict(
                {k: row[k] for k in fields if k in row and k != "notes"},
                ours_tokens_per_s=None if o is None else row["B"] * row["N"] / (o * 1e-3),
                ours_tflops=tflops(row, "ours_ms"), fa2_tflops=tflops(row, "fa2_ms"),
                cudnn_tflops=tflops(row, "cudnn_ms"), gather_tflops=tflops(row, "gather_ms"),
                notes="; ".join(row["notes"])))
    log(f"\ntorch_peer.py: {len(rows)} configs, {failures} failed measurements; wrote {a.out}")
    return 0 if failures == 0 and ok_pipeline else 1


if __name__ == "__main__":
    sys.exit(main())
