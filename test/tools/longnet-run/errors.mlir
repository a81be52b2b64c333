// Every kind of bad input gives exactly one `longnet-run: error:` line and
// a non-zero exit status, before anything is compiled.

// RUN: rm -rf %t && split-file %s %t
// RUN: %python %S/Inputs/npy_tool.py write %t/a.npy '<f4' 2x3 ramp
// RUN: %python %S/Inputs/npy_tool.py write %t/f64.npy '<f8' 2x3 ramp
// RUN: %python %S/Inputs/npy_tool.py write %t/3x2.npy '<f4' 3x2 ramp
// RUN: %python %S/Inputs/npy_tool.py write %t/fortran.npy '<f4' 2x3 --fortran ramp
// RUN: %python %S/Inputs/npy_tool.py write %t/big.npy '>f4' 2x3 ramp
// RUN: %python %S/Inputs/npy_tool.py write %t/short.npy '<f4' 2x3 1 2 3
// RUN: cp %t/add.mlir %t/not-npy.npy

// Files and IR.
// RUN: not longnet-run %t/missing.mlir 2>&1 | FileCheck %s --check-prefix=NOFILE --implicit-check-not='{{.}}'
// NOFILE: longnet-run: error: cannot open input file '{{.*}}missing.mlir': No such file or directory
// RUN: not longnet-run %t/syntax.mlir 2>&1 | FileCheck %s --check-prefix=SYNTAX --implicit-check-not='{{.}}'
// SYNTAX: longnet-run: error: invalid module: {{.*}}syntax.mlir:2:10: use of undeclared SSA value name
// RUN: not longnet-run %t/verify.mlir 2>&1 | FileCheck %s --check-prefix=VERIFY --implicit-check-not='{{.}}'
// VERIFY: longnet-run: error: invalid module: {{.*}}verify.mlir:3:8: 'longnet.dilated_attention' op {{.+}}
// RUN: cat %t/syntax.mlir | not longnet-run - 2>&1 | FileCheck %s --check-prefix=STDIN --implicit-check-not='{{.}}'
// STDIN: longnet-run: error: invalid module: <stdin>:2:10: use of undeclared SSA value name

// The entry.
// RUN: not longnet-run %t/entries.mlir --entry foo 2>&1 | FileCheck %s --check-prefix=NOENTRY --implicit-check-not='{{.}}'
// NOENTRY: longnet-run: error: no function @foo in the module (functions: @main, @helper); choose one with --entry
// RUN: not longnet-run %t/entries.mlir --entry helper 2>&1 | FileCheck %s --check-prefix=PRIVATE --implicit-check-not='{{.}}'
// PRIVATE: longnet-run: error: @helper is private; the entry must be public
// RUN: not longnet-run %t/entries.mlir --entry decl 2>&1 | FileCheck %s --check-prefix=DECL --implicit-check-not='{{.}}'
// DECL: longnet-run: error: @decl is a declaration without a body

// Arguments and results that are not ranked float tensors.
// RUN: not longnet-run %t/types.mlir --entry memref_arg 2>&1 | FileCheck %s --check-prefix=MEMREF --implicit-check-not='{{.}}'
// MEMREF: longnet-run: error: argument 1 of @memref_arg has type memref<4xf32>; longnet-run passes ranked tensors of f16, bf16, f32 or f64
// RUN: not longnet-run %t/types.mlir --entry scalar_arg 2>&1 | FileCheck %s --check-prefix=SCALAR --implicit-check-not='{{.}}'
// SCALAR: longnet-run: error: argument 0 of @scalar_arg has type f32; longnet-run passes ranked tensors of f16, bf16, f32 or f64
// RUN: not longnet-run %t/types.mlir --entry int_tensor 2>&1 | FileCheck %s --check-prefix=INT --implicit-check-not='{{.}}'
// INT: longnet-run: error: argument 0 of @int_tensor has type tensor<4xi32>; longnet-run passes ranked tensors of f16, bf16, f32 or f64
// RUN: not longnet-run %t/types.mlir --entry unranked 2>&1 | FileCheck %s --check-prefix=UNRANKED --implicit-check-not='{{.}}'
// UNRANKED: longnet-run: error: argument 0 of @unranked has type tensor<*xf32>; longnet-run passes ranked tensors of f16, bf16, f32 or f64
// RUN: not longnet-run %t/types.mlir --entry scalar_result 2>&1 | FileCheck %s --check-prefix=RESULT --implicit-check-not='{{.}}'
// RESULT: longnet-run: error: result 0 of @scalar_result has type f32; longnet-run passes ranked tensors of f16, bf16, f32 or f64

// Random inputs and shapes.
// RUN: not longnet-run %t/dynamic.mlir 2>&1 | FileCheck %s --check-prefix=DYNAMIC --implicit-check-not='{{.}}'
// DYNAMIC: longnet-run: error: argument 0 is tensor<?x3xf32> with a dynamic dimension: give every argument's shape with --shapes (e.g. --shapes=1x4096x4x64,...) or pass --inputs
// RUN: not longnet-run %t/add.mlir --shapes=2x3 2>&1 | FileCheck %s --check-prefix=NSHAPES --implicit-check-not='{{.}}'
// NSHAPES: longnet-run: error: the entry takes 2 arguments but --shapes gives 1 shapes
// RUN: not longnet-run %t/add.mlir --shapes=2x3,2y3 2>&1 | FileCheck %s --check-prefix=BADSHAPE --implicit-check-not='{{.}}'
// BADSHAPE: longnet-run: error: --shapes entry 1 '2y3' is not a shape like 1x4096x4x64
// RUN: not longnet-run %t/dynamic.mlir --shapes=5x4 2>&1 | FileCheck %s --check-prefix=SHAPEMISMATCH --implicit-check-not='{{.}}'
// SHAPEMISMATCH: longnet-run: error: argument 0: expected tensor<?x3xf32>, --shapes gives 5x4
// RUN: not longnet-run %t/dynamic.mlir --shapes=9223372036854775807x3 2>&1 | FileCheck %s --check-prefix=HUGE --implicit-check-not='{{.}}'
// HUGE: longnet-run: error: argument 0: cannot allocate tensor<9223372036854775807x3xf32>: its size overflows
// RUN: not longnet-run %t/attention.mlir --shapes=1x8x2x4,1x9x2x4,1x8x2x4 2>&1 | FileCheck %s --check-prefix=QKV --implicit-check-not='{{.}}'
// QKV: longnet-run: error: the longnet.dilated_attention at {{.*}}attention.mlir:3:8 gets query 1x8x2x4 (argument 0) and key 1x9x2x4 (argument 1); their shapes must be equal
// RUN: not longnet-run %t/add.mlir --init-scale=1,2,3 2>&1 | FileCheck %s --check-prefix=SCALES --implicit-check-not='{{.}}'
// SCALES: longnet-run: error: the entry takes 2 arguments but --init-scale gives 3 scales (give one, or one per argument)

// Options: llvm::cl's own errors in our format, values checked.
// RUN: not longnet-run %t/add.mlir --threads=-1 2>&1 | FileCheck %s --check-prefix=THREADSNEG --implicit-check-not='{{.}}'
// THREADSNEG: longnet-run: error: --threads: '-1' is not a non-negative integer
// RUN: not longnet-run %t/add.mlir --bench=abc 2>&1 | FileCheck %s --check-prefix=BENCHABC --implicit-check-not='{{.}}'
// BENCHABC: longnet-run: error: --bench: 'abc' is not a non-negative integer
// RUN: not longnet-run %t/add.mlir --seed=-1 2>&1 | FileCheck %s --check-prefix=SEED --implicit-check-not='{{.}}'
// SEED: longnet-run: error: --seed: '-1' is not a non-negative integer
// RUN: not longnet-run %t/add.mlir --init=bogus 2>&1 | FileCheck %s --check-prefix=INIT --implicit-check-not='{{.}}'
// INIT: longnet-run: error: --init: unknown value 'bogus' (see --help for the values)
// RUN: not longnet-run %t/add.mlir --backend=bogus 2>&1 | FileCheck %s --check-prefix=BACKEND --implicit-check-not='{{.}}'
// BACKEND: longnet-run: error: --backend: unknown value 'bogus' (see --help for the values)
// RUN: not longnet-run %t/add.mlir --frobnicate 2>&1 | FileCheck %s --check-prefix=UNKNOWN --implicit-check-not='{{.}}'
// UNKNOWN: longnet-run: error: unknown option '--frobnicate' (see --help){{$}}
// RUN: not longnet-run %t/add.mlir --bnech=3 2>&1 | FileCheck %s --check-prefix=NEAR --implicit-check-not='{{.}}'
// NEAR: longnet-run: error: unknown option '--bnech=3' (see --help); did you mean '--bench=3'?
// RUN: not longnet-run %t/add.mlir --init-scale=nan 2>&1 | FileCheck %s --check-prefix=SCALENAN --implicit-check-not='{{.}}'
// SCALENAN: longnet-run: error: --init-scale must be finite non-negative numbers, got nan
// RUN: not longnet-run %t/add.mlir --rtol=inf 2>&1 | FileCheck %s --check-prefix=RTOLINF --implicit-check-not='{{.}}'
// RTOLINF: longnet-run: error: --rtol must be a finite non-negative number, got inf
// RUN: not longnet-run %t/add.mlir --key-tile=-1 2>&1 | FileCheck %s --check-prefix=KEYTILE --implicit-check-not='{{.}}'
// KEYTILE: longnet-run: error: --key-tile must be positive, got -1
// RUN: not longnet-run %t/add.mlir --shared-libs=%t/add.mlir 2>&1 | FileCheck %s --check-prefix=NOTELF --implicit-check-not='{{.}}'
// NOTELF: longnet-run: error: --shared-libs: '{{.*}}add.mlir': not an ELF file
// RUN: not longnet-run %t/add.mlir --shared-libs=%t/missing.so 2>&1 | FileCheck %s --check-prefix=NOLIB --implicit-check-not='{{.}}'
// NOLIB: longnet-run: error: --shared-libs: cannot read '{{.*}}missing.so'
// A D known only at run time is checked like a static one (D = 0 gave NaN).
// RUN: not longnet-run %t/dynamic-d.mlir --shapes=1x8x2x0,1x8x2x0,1x8x2x0 2>&1 | FileCheck %s --check-prefix=DZERO --implicit-check-not='{{.}}'
// DZERO: longnet-run: error: the longnet.dilated_attention at {{.*}}dynamic-d.mlir:2:8 gets query 1x8x2x0 (argument 0) with head dimension D = 0; D must be at least 1
// Empty (zero-size) .npy inputs: an empty sequence runs.
// RUN: %python %S/Inputs/npy_tool.py write %t/empty.npy '<f4' 1x0x2x4
// RUN: longnet-run %t/attention.mlir --inputs=%t/empty.npy,%t/empty.npy,%t/empty.npy --check | FileCheck %s --check-prefix=EMPTY
// EMPTY: result 0: tensor<1x0x2x4xf32> no values
// EMPTY: check result 0: {{.*}}: ok

// .npy inputs.
// RUN: not longnet-run %t/add.mlir --inputs %t/a.npy 2>&1 | FileCheck %s --check-prefix=NINPUTS --implicit-check-not='{{.}}'
// NINPUTS: longnet-run: error: the entry takes 2 arguments but --inputs gives 1 files
// RUN: not longnet-run %t/add.mlir --inputs %t/a.npy,%t/nope.npy 2>&1 | FileCheck %s --check-prefix=NONPY --implicit-check-not='{{.}}'
// NONPY: longnet-run: error: argument 1: '{{.*}}nope.npy': cannot open: No such file or directory
// RUN: not longnet-run %t/add.mlir --inputs %t/a.npy,%t/f64.npy 2>&1 | FileCheck %s --check-prefix=DTYPE --implicit-check-not='{{.}}'
// DTYPE: longnet-run: error: argument 1 ('{{.*}}f64.npy'): expected tensor<2x3xf32> (.npy dtype '<f4'), got a f64 array
// RUN: not longnet-run %t/bf16.mlir --inputs %t/a.npy 2>&1 | FileCheck %s --check-prefix=BF16 --implicit-check-not='{{.}}'
// BF16: longnet-run: error: argument 0 ('{{.*}}a.npy'): expected tensor<2x3xbf16> (.npy dtype '<u2', '<V2' or 'bfloat16'), got a f32 array
// RUN: not longnet-run %t/add.mlir --inputs %t/3x2.npy,%t/a.npy 2>&1 | FileCheck %s --check-prefix=SHAPE --implicit-check-not='{{.}}'
// SHAPE: longnet-run: error: argument 0 ('{{.*}}3x2.npy'): expected tensor<2x3xf32>, got shape (3x2)
// RUN: not longnet-run %t/add.mlir --inputs %t/a.npy,%t/fortran.npy 2>&1 | FileCheck %s --check-prefix=FORTRAN --implicit-check-not='{{.}}'
// FORTRAN: longnet-run: error: argument 1: '{{.*}}fortran.npy': array is in Fortran order; save it in C order (np.ascontiguousarray)
// RUN: not longnet-run %t/add.mlir --inputs %t/big.npy,%t/a.npy 2>&1 | FileCheck %s --check-prefix=BIG --implicit-check-not='{{.}}'
// BIG: longnet-run: error: argument 0: '{{.*}}big.npy': dtype '>f4' is big-endian; only little-endian is supported
// RUN: not longnet-run %t/add.mlir --inputs %t/a.npy,%t/short.npy 2>&1 | FileCheck %s --check-prefix=SHORT --implicit-check-not='{{.}}'
// SHORT: longnet-run: error: argument 1: '{{.*}}short.npy': data has 12 bytes, shape and dtype need 24
// RUN: not longnet-run %t/add.mlir --inputs %t/not-npy.npy,%t/a.npy 2>&1 | FileCheck %s --check-prefix=MAGIC --implicit-check-not='{{.}}'
// MAGIC: longnet-run: error: argument 0: '{{.*}}not-npy.npy': not a .npy file (bad magic)
// RUN: not longnet-run %t/add.mlir --inputs %t/a.npy,%t/a.npy --shapes=2x3,2x3 2>&1 | FileCheck %s --check-prefix=BOTH --implicit-check-not='{{.}}'
// BOTH: longnet-run: error: --shapes describes random inputs; with --inputs the .npy files give the shapes

// Outputs.
// RUN: not longnet-run %t/add.mlir --output %t/o1.npy,%t/o2.npy 2>&1 | FileCheck %s --check-prefix=NOUTPUTS --implicit-check-not='result 0:'
// NOUTPUTS: longnet-run: error: --output gives 2 files but the entry returns 1 results
// RUN: not longnet-run %t/add.mlir --output %t/no-such-dir/o.npy 2>&1 | FileCheck %s --check-prefix=UNWRITABLE --implicit-check-not='result 0:'
// UNWRITABLE: longnet-run: error: result 0: '{{.*}}no-such-dir/o.npy': cannot open for writing: No such file or directory

// Flag values.
// RUN: not longnet-run %t/add.mlir --bench 0 2>&1 | FileCheck %s --check-prefix=BENCH --implicit-check-not='{{.}}'
// BENCH: longnet-run: error: --bench needs at least 1 run
// RUN: not longnet-run %t/add.mlir --threads 0 2>&1 | FileCheck %s --check-prefix=THREADS --implicit-check-not='{{.}}'
// THREADS: longnet-run: error: --threads must be at least 1
// RUN: not longnet-run %t/add.mlir --query-tile 0 2>&1 | FileCheck %s --check-prefix=TILE --implicit-check-not='{{.}}'
// TILE: longnet-run: error: --query-tile must be positive, got 0
// RUN: not longnet-run %t/add.mlir --rtol=-1 2>&1 | FileCheck %s --check-prefix=RTOL --implicit-check-not='{{.}}'
// RTOL: longnet-run: error: --rtol must be a finite non-negative number, got -1

//--- add.mlir
func.func @main(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %e = tensor.empty() : tensor<2x3xf32>
  %r = linalg.add ins(%a, %b : tensor<2x3xf32>, tensor<2x3xf32>)
                  outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %r : tensor<2x3xf32>
}

//--- bf16.mlir
func.func @main(%a: tensor<2x3xbf16>) -> tensor<2x3xbf16> {
  return %a : tensor<2x3xbf16>
}

//--- entries.mlir
func.func @main(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  return %a : tensor<2x3xf32>
}
func.func private @helper(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  return %a : tensor<2x3xf32>
}
func.func private @decl(tensor<2x3xf32>) -> tensor<2x3xf32>

//--- dynamic.mlir
func.func @main(%a: tensor<?x3xf32>) -> tensor<?x3xf32> {
  return %a : tensor<?x3xf32>
}

//--- syntax.mlir
func.func @main() -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

//--- verify.mlir
func.func @main(%q: tensor<1x8x2x4xf32>, %k: tensor<1x8x2x4xf32>,
                %v: tensor<1x8x2x4xf32>) -> tensor<1x8x2x4xf32> {
  %o = longnet.dilated_attention %q, %k, %v {
      segment_lengths = array<i64: 2>, dilation_rates = array<i64: 4>}
      : (tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>)
      -> tensor<1x8x2x4xf32>
  return %o : tensor<1x8x2x4xf32>
}

//--- attention.mlir
func.func @main(%q: tensor<1x?x2x4xf32>, %k: tensor<1x?x2x4xf32>,
                %v: tensor<1x?x2x4xf32>) -> tensor<1x?x2x4xf32> {
  %o = longnet.dilated_attention %q, %k, %v {
      segment_lengths = array<i64: 4>, dilation_rates = array<i64: 2>}
      : (tensor<1x?x2x4xf32>, tensor<1x?x2x4xf32>, tensor<1x?x2x4xf32>)
      -> tensor<1x?x2x4xf32>
  return %o : tensor<1x?x2x4xf32>
}

//--- dynamic-d.mlir
func.func @main(%q: tensor<1x8x2x?xf32>, %k: tensor<1x8x2x?xf32>, %v: tensor<1x8x2x?xf32>) -> tensor<1x8x2x?xf32> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 4>, dilation_rates = array<i64: 1>}
      : (tensor<1x8x2x?xf32>, tensor<1x8x2x?xf32>, tensor<1x8x2x?xf32>) -> tensor<1x8x2x?xf32>
  return %o : tensor<1x8x2x?xf32>
}

//--- types.mlir
func.func @memref_arg(%a: tensor<4xf32>, %m: memref<4xf32>) {
  return
}
func.func @scalar_arg(%x: f32) -> f32 {
  return %x : f32
}
func.func @int_tensor(%a: tensor<4xi32>) -> tensor<4xi32> {
  return %a : tensor<4xi32>
}
func.func @unranked(%a: tensor<*xf32>) -> tensor<*xf32> {
  return %a : tensor<*xf32>
}
func.func @scalar_result(%a: tensor<4xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %x = tensor.extract %a[%c0] : tensor<4xf32>
  return %x : f32
}
