#!/usr/bin/env python3
"""Writes, prints and checks .npy files for the longnet-run lit tests, with
the Python standard library alone (no NumPy).

  npy_tool.py write FILE DESCR SHAPE [--fortran] V0 V1 ...
      SHAPE is 2x3 ('scalar' for 0-d); DESCR '<f2', '<f4', '<f8', '>f4', '<u2'
      (raw integers), or '<V2' / 'bfloat16' (floats stored as bf16 bits).
      'ramp' as the only value writes 0, 1, 2, ... scaled by 1/8;
      'fill=C' every element C; 'normal=S,SEED' N(0, S^2) draws of Python's
      random.Random(SEED).
  npy_tool.py print FILE
      prints "DESCR SHAPE" and then the values on one line.
  npy_tool.py attention Q K V OUT [ATOL]
      checks OUT against dense softmax attention (scale 1/sqrt(D)) of the
      f64 [B, N, H, D] arrays Q, K, V; prints the max abs difference.
"""
import ast
import math
import random
import struct
import sys

FORMATS = {"<f2": "<e", "<f4": "<f", "<f8": "<d", ">f4": ">f", "<u2": "<H"}
BF16 = ("<V2", "|V2", "bfloat16")


def encode(descr, values):
    if descr in BF16:
        return b"".join(
            struct.pack("<H", struct.unpack("<I", struct.pack("<f", float(v)))[0] >> 16)
            for v in values)
    fmt = FORMATS[descr]
    convert = int if descr == "<u2" else float
    return b"".join(struct.pack(fmt, convert(v)) for v in values)


def write(path, descr, shape_text, args):
    fortran = "--fortran" in args
    args = [a for a in args if a != "--fortran"]
    shape = (() if shape_text == "scalar" else
             tuple(int(d) for d in shape_text.split("x")))
    count = math.prod(shape)
    if args == ["ramp"]:
        args = [str(i / 8) for i in range(count)]
    elif len(args) == 1 and args[0].startswith("fill="):
        args = [args[0][len("fill="):]] * count
    elif len(args) == 1 and args[0].startswith("normal="):
        sigma, seed = args[0][len("normal="):].split(",")
        rng = random.Random(int(seed))
        args = [rng.gauss(0.0, float(sigma)) for _ in range(count)]
    header = "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (
        descr, fortran, repr(shape))
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)))
        f.write(header.encode("latin1"))
        f.write(encode(descr, args))


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    assert data[:6] == b"\x93NUMPY", "bad magic"
    if data[6] == 1:
        (size,), start = struct.unpack("<H", data[8:10]), 10
    else:
        (size,), start = struct.unpack("<I", data[8:12]), 12
    header = ast.literal_eval(data[start:start + size].decode("latin1"))
    body = data[start + size:]
    descr, shape = header["descr"], header["shape"]
    fmt = FORMATS[descr]
    width = struct.calcsize(fmt)
    values = [struct.unpack(fmt, body[i:i + width])[0]
              for i in range(0, len(body), width)]
    assert len(values) == math.prod(shape), "data size"
    return descr, shape, values


def print_file(path):
    descr, shape, values = read(path)
    print(descr, "x".join(str(d) for d in shape))
    print(" ".join("%g" % v for v in values))


def attention(q_path, k_path, v_path, out_path, atol="1e-12"):
    _, (b, n, h, d), q = read(q_path)
    k, v, out = (read(p)[2] for p in (k_path, v_path, out_path))
    at = lambda x, bi, t, hi: x[((bi * n + t) * h + hi) * d:][:d]
    worst = 0.0
    for bi in range(b):
        for hi in range(h):
            for t in range(n):
                s = [sum(x * y for x, y in zip(at(q, bi, t, hi), at(k, bi, u, hi)))
                     / math.sqrt(d) for u in range(n)]
                m = max(s)
                p = [math.exp(x - m) for x in s]
                for j in range(d):
                    want = sum(p[u] * at(v, bi, u, hi)[j] for u in range(n)) / sum(p)
                    worst = max(worst, abs(want - at(out, bi, t, hi)[j]))
    print("max abs diff %.3g" % worst)
    if worst > float(atol):
        sys.exit(1)


def main():
    command, args = sys.argv[1], sys.argv[2:]
    if command == "write":
        write(args[0], args[1], args[2], args[3:])
    elif command == "print":
        print_file(args[0])
    elif command == "attention":
        attention(*args)
    else:
        sys.exit("unknown command " + command)


if __name__ == "__main__":
    main()
