#!/usr/bin/env bash
# Fuzzes longnet-opt-fuzzer (build-san/) for SECONDS (default 300), seeded
# with every .mlir file under test/ and examples/ (split at // -----).
# Findings land in build-san/fuzz/crashes/; exits 1 on any crash, leak-free
# timeout (-timeout=20 s per input) or sanitizer report. docs/reliability.md.
#   fuzz.sh [SECONDS] [extra libFuzzer flags...]
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-300}
shift || true
fuzzer=build-san/bin/longnet-opt-fuzzer
[ -x "$fuzzer" ] || { echo "fuzz: no $fuzzer (scripts/build-sanitized.sh)" >&2; exit 1; }
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# libFuzzer's libstdc++ comes before the shared ASan runtime in the
# fuzzer's needed libraries; ASan must be loaded first.
runtime=$(${CLANG:-clang-22} -print-file-name=libclang_rt.asan-x86_64.so)
export LD_PRELOAD=$runtime${LD_PRELOAD:+:$LD_PRELOAD}

seeds=build-san/fuzz/seeds corpus=build-san/fuzz/corpus crashes=build-san/fuzz/crashes
mkdir -p "$seeds" "$corpus" "$crashes"
# One seed per split-input-file case, so that mutations start from small,
# valid modules.
find test examples -name '*.mlir' -print0 | sort -z | xargs -0 python3 -c '
import os, sys
out = sys.argv[1]
for path in sys.argv[2:]:
    text = open(path, errors="replace").read()
    for i, case in enumerate(text.split("// -----")):
        name = path.replace("/", "_") + "." + str(i)
        with open(os.path.join(out, name), "w") as f:
            f.write(case)
' "$seeds"
echo "fuzz: $(ls "$seeds" | wc -l) seeds, ${seconds} s"
"$fuzzer" "$corpus" "$seeds" -max_total_time="$seconds" -timeout=20 \
  -rss_limit_mb=4096 -max_len=16384 -print_final_stats=1 \
  -artifact_prefix="$crashes/" "$@"
