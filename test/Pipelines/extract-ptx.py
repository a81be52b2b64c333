#!/usr/bin/env python3
"""Writes the PTX embedded in MLIR `gpu.binary` ops to separate files.

Usage: extract-ptx.py INPUT.mlir OUTPUT_DIR

Finds every `assembly = "..."` string (the `format=isa` objects of
gpu-module-to-binary), undoes MLIR's string escapes (`\\XX` hex bytes, and
`\\n`, `\\t`, `\\"`, `\\\\`) and writes k0.ptx, k1.ptx, ... in order of
appearance. Prints the number of kernels written; fails if there is none.
"""

import os
import re
import sys

ASSEMBLY = re.compile(r'assembly\s*=\s*"((?:[^"\\]|\\.)*)"', re.S)
SIMPLE_ESCAPES = {"n": b"\n", "t": b"\t", '"': b'"', "\\": b"\\"}
HEX = "0123456789abcdefABCDEF"


def unescape(text):
    out = bytearray()
    i = 0
    while i < len(text):
        c = text[i]
        if c != "\\":
            out += c.encode("utf-8")
            i += 1
            continue
        pair = text[i + 1 : i + 3]
        if len(pair) == 2 and all(h in HEX for h in pair):
            out.append(int(pair, 16))
            i += 3
        elif text[i + 1 : i + 2] in SIMPLE_ESCAPES:
            out += SIMPLE_ESCAPES[text[i + 1]]
            i += 2
        else:
            sys.exit("extract-ptx.py: bad escape at %r" % text[i : i + 4])
    return bytes(out)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: extract-ptx.py INPUT.mlir OUTPUT_DIR")
    with open(sys.argv[1], encoding="utf-8") as f:
        source = f.read()
    os.makedirs(sys.argv[2], exist_ok=True)
    count = 0
    for match in ASSEMBLY.finditer(source):
        path = os.path.join(sys.argv[2], "k%d.ptx" % count)
        with open(path, "wb") as f:
            f.write(unescape(match.group(1)))
        count += 1
    if count == 0:
        sys.exit("extract-ptx.py: no `assembly = \"...\"` in %s" % sys.argv[1])
    print("extracted %d kernels" % count)


if __name__ == "__main__":
    main()
