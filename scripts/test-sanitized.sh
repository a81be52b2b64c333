#!/usr/bin/env bash
# Runs the sanitized copy (scripts/build-sanitized.sh, build-san/) through
# the unit tests and the lit suite under AddressSanitizer and
# UndefinedBehaviorSanitizer, then a bounded libFuzzer run of
# longnet-opt-fuzzer seeded with the test files. Exits non-zero on any
# failure, sanitizer report or fuzzer crash. docs/reliability.md.
#   FUZZ_SECONDS  length of the fuzz run (default 300)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f build-san/build.ninja ]; then
  echo "test-sanitized: no build-san/ (run scripts/build-sanitized.sh)" >&2
  exit 77
fi
# Every report is fatal. Leak checking is off: LLVM's and Open MPI's
# process-lifetime allocations would drown real reports (docs/reliability.md).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

status=0
echo "test-sanitized: unit tests"
ctest --test-dir build-san -j "${JOBS:-2}" --output-on-failure \
  -E '^(lit|lit-gpu|install-package|LongNetThreadsOmpABI)$' || status=1

# LongNetThreadsOmpABI links an uninstrumented C program against the
# instrumented thread pool (ASan cannot come first): the main suite runs it.
# The emulated GPU matrix runs the compiler only (the rest is Python) and
# takes minutes: the main suite runs it.
echo "test-sanitized: lit"
/usr/bin/lit-22 -sv --filter-out 'GPUEmulated/matrix' build-san/test || status=1

echo "test-sanitized: fuzzing longnet-opt-fuzzer for ${FUZZ_SECONDS:-300} s"
scripts/fuzz.sh "${FUZZ_SECONDS:-300}" || status=1
exit $status
