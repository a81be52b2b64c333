// .npy inputs and outputs of every element type: f16, bf16 (read as raw
// '<u2' bits, as 'bfloat16' and as ml_dtypes' '<V2'; written as '<u2'), f32
// and a 0-d f64.

// RUN: rm -rf %t && mkdir %t
// RUN: %python %S/Inputs/npy_tool.py write %t/h.npy '<f2' 2x3 ramp
// RUN: %python %S/Inputs/npy_tool.py write %t/b-u2.npy '<u2' 3 16320 49152 16000
// RUN: %python %S/Inputs/npy_tool.py write %t/b-name.npy 'bfloat16' 3 1.5 -2 0.25
// RUN: %python %S/Inputs/npy_tool.py write %t/b-void.npy '<V2' 3 1.5 -2 0.25
// RUN: %python %S/Inputs/npy_tool.py write %t/s.npy '<f4' 2x2 1 -2.5 3 1e30
// RUN: %python %S/Inputs/npy_tool.py write %t/d.npy '<f8' scalar 0.1

// RUN: longnet-run %s --inputs=%t/h.npy,%t/b-u2.npy,%t/s.npy,%t/d.npy \
// RUN:   --output=%t/o0.npy,%t/o1.npy,%t/o2.npy,%t/o3.npy | FileCheck %s --check-prefix=SUMMARY
// SUMMARY: result 0: tensor<2x3xf16> min 0 max 0.625 mean 0.3125
// SUMMARY: result 1: tensor<3xbf16> min -4 max 3 mean -0.166667
// SUMMARY: result 2: tensor<2x2xf32> min -1e+30 max 2.5 mean -2.5e+29
// SUMMARY: result 3: tensor<f64> min 0.2 max 0.2 mean 0.2

// RUN: %python %S/Inputs/npy_tool.py print %t/o0.npy | FileCheck %s --check-prefix=F16
// F16: <f2 2x3
// F16-NEXT: 0 0.125 0.25 0.375 0.5 0.625
// RUN: %python %S/Inputs/npy_tool.py print %t/o1.npy | FileCheck %s --check-prefix=BF16
// BF16: <u2 3
// BF16-NEXT: 16448 49280 16128
// RUN: %python %S/Inputs/npy_tool.py print %t/o2.npy | FileCheck %s --check-prefix=F32
// F32: <f4 2x2
// F32-NEXT: -1 2.5 -3 -1e+30
// RUN: %python %S/Inputs/npy_tool.py print %t/o3.npy | FileCheck %s --check-prefix=F64
// F64: <f8 {{$}}
// F64-NEXT: 0.2

// Every bf16 spelling reads the same bits; empty --output entries are skipped.
// RUN: longnet-run %s --inputs=%t/h.npy,%t/b-name.npy,%t/s.npy,%t/d.npy \
// RUN:   --output=,%t/name.npy
// RUN: longnet-run %s --inputs=%t/h.npy,%t/b-void.npy,%t/s.npy,%t/d.npy \
// RUN:   --output=,%t/void.npy
// RUN: cmp %t/o1.npy %t/name.npy
// RUN: cmp %t/o1.npy %t/void.npy

// A written result reads back as an input.
// RUN: longnet-run %s --inputs=%t/o0.npy,%t/o1.npy,%t/o2.npy,%t/o3.npy \
// RUN:   --output=%t/again0.npy
// RUN: cmp %t/o0.npy %t/again0.npy

func.func @main(%h: tensor<2x3xf16>, %b: tensor<3xbf16>, %s: tensor<2x2xf32>,
                %d: tensor<f64>)
    -> (tensor<2x3xf16>, tensor<3xbf16>, tensor<2x2xf32>, tensor<f64>) {
  %eh = tensor.empty() : tensor<2x3xf16>
  %h2 = linalg.copy ins(%h : tensor<2x3xf16>) outs(%eh : tensor<2x3xf16>)
      -> tensor<2x3xf16>
  %eb = tensor.empty() : tensor<3xbf16>
  %b2 = linalg.add ins(%b, %b : tensor<3xbf16>, tensor<3xbf16>)
                   outs(%eb : tensor<3xbf16>) -> tensor<3xbf16>
  %es = tensor.empty() : tensor<2x2xf32>
  %sn = linalg.negf ins(%s : tensor<2x2xf32>)
                    outs(%es : tensor<2x2xf32>) -> tensor<2x2xf32>
  %ed = tensor.empty() : tensor<f64>
  %d2 = linalg.add ins(%d, %d : tensor<f64>, tensor<f64>)
                   outs(%ed : tensor<f64>) -> tensor<f64>
  return %h2, %b2, %sn, %d2
      : tensor<2x3xf16>, tensor<3xbf16>, tensor<2x2xf32>, tensor<f64>
}
