// The same model IR compiled for the CPU: a self-contained .so that
// longnet-exec runs and checks against its float64 reference variant.
// RUN: longnet-compile %s --target=cpu -o %t.so
// RUN: readelf -d %t.so | FileCheck %s --check-prefix=NEEDED
// RUN: longnet-exec %t.so --list | FileCheck %s --check-prefix=LIST
// RUN: longnet-exec %t.so --seed=3 --check --output=%t.npy | FileCheck %s --check-prefix=EXEC
// RUN: longnet-compile %s --target=cpu --emit=llvm -o - | FileCheck %s --check-prefix=LLVM

// A compiled model needs only our runtime and the C/C++ libraries.
// NEEDED: (NEEDED) Shared library: [liblongnet_runtime.so]
// NEEDED-NOT: libMLIR
// NEEDED-NOT: libLLVM
// NEEDED-NOT: libomp

// LIST: model {{.*}}.so: target cpu
// LIST: entry @main(f32 2x300x4x32, f32 128x128) -> (f32 600x128), reference

// EXEC: check result 0: max abs error {{.*}}: ok

// The packed entry, its reference variant and the manifest.
// LLVM-DAG: @longnet_model_manifest = {{.*}}constant [{{[0-9]+}} x i8] c"longnet-model 1\0Atarget cpu\0Aentry main _longnet_packed_main\0Aarg f32 2x300x4x32\0Aarg f32 128x128\0Aresult f32 600x128\0Areference _longnet_packed_main__reference\0Aend\0A\00"
// LLVM-DAG: define void @_longnet_packed_main(ptr
// LLVM-DAG: define void @_longnet_packed_main__reference(ptr
// LLVM-DAG: call void @_mlir_ciface_longnet_reference_dilated_attention(

func.func @main(%x: tensor<2x300x4x32xf32>, %w: tensor<128x128xf32>)
    -> tensor<600x128xf32> {
  %o = longnet.dilated_attention %x, %x, %x {
      segment_lengths = array<i64: 64, 128, 512>,
      dilation_rates = array<i64: 1, 3, 4>, causal,
      offset_mode = #longnet.offset_mode<grouped>}
      : (tensor<2x300x4x32xf32>, tensor<2x300x4x32xf32>,
         tensor<2x300x4x32xf32>) -> tensor<2x300x4x32xf32>
  %flat = tensor.collapse_shape %o [[0, 1], [2, 3]]
      : tensor<2x300x4x32xf32> into tensor<600x128xf32>
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<600x128xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%empty : tensor<600x128xf32>)
      -> tensor<600x128xf32>
  %y = linalg.matmul ins(%flat, %w : tensor<600x128xf32>, tensor<128x128xf32>)
                     outs(%acc : tensor<600x128xf32>) -> tensor<600x128xf32>
  return %y : tensor<600x128xf32>
}
