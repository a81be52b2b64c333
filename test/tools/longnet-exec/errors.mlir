// longnet-exec runs compiled models (shared libraries) through
// liblongnet_runtime.so. Every bad input gives exactly one
// `longnet-exec: error:` line and exit status 1; these cases need no model.
// Models themselves are tested in runtime/unittests (CudaRuntimeTest.cpp).

// RUN: rm -rf %t && mkdir -p %t/dir && cp %s %t/text.so

// RUN: not longnet-exec 2>&1 | FileCheck %s --check-prefix=NOMODEL --implicit-check-not='{{.}}'
// NOMODEL: longnet-exec: error: no model given (usage: longnet-exec MODEL.so [options])

// RUN: not longnet-exec %t/missing.so 2>&1 | FileCheck %s --check-prefix=MISSING --implicit-check-not='{{.}}'
// MISSING: longnet-exec: error: cannot load model '{{.*}}missing.so': No such file or directory

// RUN: not longnet-exec %t/dir 2>&1 | FileCheck %s --check-prefix=DIR --implicit-check-not='{{.}}'
// DIR: longnet-exec: error: cannot load model '{{.*}}dir': not a regular file

// RUN: not longnet-exec %t/text.so --list 2>&1 | FileCheck %s --check-prefix=NOTELF --implicit-check-not='{{.}}'
// NOTELF: longnet-exec: error: cannot load model '{{.*}}text.so': {{.+}}

// RUN: not longnet-exec %t/a.so %t/b.so 2>&1 | FileCheck %s --check-prefix=TWO --implicit-check-not='{{.}}'
// TWO: longnet-exec: error: one model expected, got '{{.*}}a.so' and '{{.*}}b.so'

// RUN: not longnet-exec %t/a.so --frobnicate 2>&1 | FileCheck %s --check-prefix=UNKNOWN --implicit-check-not='{{.}}'
// UNKNOWN: longnet-exec: error: unknown option '--frobnicate' (see --help)

// RUN: not longnet-exec %t/a.so --bench=0 2>&1 | FileCheck %s --check-prefix=BENCH0 --implicit-check-not='{{.}}'
// BENCH0: longnet-exec: error: --bench needs between 1 and 1000000 runs

// RUN: not longnet-exec %t/a.so --bench=many 2>&1 | FileCheck %s --check-prefix=BENCHX --implicit-check-not='{{.}}'
// BENCHX: longnet-exec: error: --bench expects a non-negative integer, got 'many'

// RUN: not longnet-exec %t/a.so --atol=-1 2>&1 | FileCheck %s --check-prefix=ATOL --implicit-check-not='{{.}}'
// ATOL: longnet-exec: error: --atol must be a non-negative number

// RUN: not longnet-exec %t/a.so --rtol=abc 2>&1 | FileCheck %s --check-prefix=RTOL --implicit-check-not='{{.}}'
// RTOL: longnet-exec: error: --rtol expects a number, got 'abc'

// RUN: not longnet-exec %t/a.so --seed=-3 2>&1 | FileCheck %s --check-prefix=SEED --implicit-check-not='{{.}}'
// SEED: longnet-exec: error: --seed expects a non-negative integer, got '-3'

// RUN: not longnet-exec %t/a.so --init-scale=1,x 2>&1 | FileCheck %s --check-prefix=SCALE --implicit-check-not='{{.}}'
// SCALE: longnet-exec: error: --init-scale expects a number, got 'x'

// RUN: not longnet-exec %t/a.so --entry 2>&1 | FileCheck %s --check-prefix=NOVALUE --implicit-check-not='{{.}}'
// NOVALUE: longnet-exec: error: --entry needs a value (--entry=...)

// RUN: not longnet-exec %t/a.so --check=yes 2>&1 | FileCheck %s --check-prefix=FLAGVALUE --implicit-check-not='{{.}}'
// FLAGVALUE: longnet-exec: error: --check takes no value

// RUN: longnet-exec --help | FileCheck %s --check-prefix=HELP
// HELP: usage: longnet-exec MODEL.so [--entry=NAME] [--inputs=a.npy,...]
