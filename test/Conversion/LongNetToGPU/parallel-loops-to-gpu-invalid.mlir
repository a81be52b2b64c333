// RUN: longnet-opt %s -split-input-file -verify-diagnostics -longnet-map-parallel-loops-to-gpu

func.func @reduction(%a: memref<8xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0.0 : f32
  // expected-error @+1 {{'scf.parallel' op with reductions cannot be mapped to a GPU kernel by longnet-map-parallel-loops-to-gpu}}
  %sum = scf.parallel (%i) = (%c0) to (%c8) step (%c1) init (%zero) -> f32 {
    %x = memref.load %a[%i] : memref<8xf32>
    scf.reduce(%x : f32) {
    ^bb0(%l: f32, %r: f32):
      %s = arith.addf %l, %r : f32
      scf.reduce.return %s : f32
    }
  }
  return %sum : f32
}

// -----

func.func @host_load(%a: memref<8xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{'memref.load' op reads or writes buffer elements in host code of a GPU model; only parallel loops and longnet ops run on the device}}
  %x = memref.load %a[%c0] : memref<8xf32>
  return %x : f32
}

// -----

func.func @host_linalg(%a: memref<8xf32>) {
  %f = arith.constant 0.0 : f32
  // expected-error @+1 {{'linalg.fill' op reads or writes buffer elements in host code of a GPU model}}
  linalg.fill ins(%f : f32) outs(%a : memref<8xf32>)
  return
}
