// The model compiled for the GPU: a fatbin in a .so that needs only our
// runtime. Without a GPU, running it fails with one clear error.
// REQUIRES: ptxas
// RUN: longnet-compile %s --chip=sm_90 -o %t.so
// RUN: readelf -d %t.so | FileCheck %s --check-prefix=NEEDED
// RUN: longnet-exec %t.so --list | FileCheck %s --check-prefix=LIST
// RUN: longnet-compile %s --chip=sm_80 --emit=ptx -o %t.ptx
// RUN: FileCheck %s --check-prefix=PTX < %t.ptx
// RUN: %if cuda %{ longnet-exec %t.so --seed=1 --check | FileCheck %s --check-prefix=GPU %}
// RUN: %if !cuda %{ not longnet-exec %t.so --check 2>&1 | FileCheck %s --check-prefix=NODRIVER %}

// NEEDED: (NEEDED) Shared library: [liblongnet_runtime.so]
// NEEDED-NOT: libMLIR
// NEEDED-NOT: libLLVM
// NEEDED-NOT: libcuda

// LIST: model {{.*}}.so: target cuda sm_90
// LIST: entry @main(f16 1x1000x4x64, f16 1x1000x4x64, f16 1x1000x4x64) -> (f16 1x1000x4x64), reference

// One PTX module: the flash kernels on tensor cores, the rest on CUDA cores.
// PTX: .target sm_80
// PTX: mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
// PTX: ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16
// PTX: cp.async.cg.shared.global

// GPU: check result 0: max abs error {{.*}}: ok
// NODRIVER: longnet-exec: error: {{.*}}no CUDA driver

func.func @main(%q: tensor<1x1000x4x64xf16>, %k: tensor<1x1000x4x64xf16>,
                %v: tensor<1x1000x4x64xf16>) -> tensor<1x1000x4x64xf16> {
  %o = longnet.dilated_attention %q, %k, %v {
      segment_lengths = array<i64: 250, 500, 1000>,
      dilation_rates = array<i64: 1, 2, 4>, causal}
      : (tensor<1x1000x4x64xf16>, tensor<1x1000x4x64xf16>,
         tensor<1x1000x4x64xf16>) -> tensor<1x1000x4x64xf16>
  return %o : tensor<1x1000x4x64xf16>
}
