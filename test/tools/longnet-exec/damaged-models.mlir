// Damaged model files are refused before the dynamic loader sees them
// (which died of SIGBUS/SIGSEGV on truncated or byte-flipped libraries):
// longnet-compile seals what it writes (length and checksum), and
// lnrt_model_load checks the seal, the checksum and the ELF tables.
// A model whose result size overflows 64 bits is refused when it loads (it
// once ran and printed "no values").
// RUN: rm -rf %t && split-file %s %t
// RUN: longnet-compile %t/model.mlir --target=cpu -o %t/model.so
// RUN: longnet-exec %t/model.so | FileCheck %s --check-prefix=INTACT
// INTACT: result 0: tensor<1x16x1x16xf32>
// RUN: head -c 1000 %t/model.so > %t/cut-header.so
// RUN: not longnet-exec %t/cut-header.so 2>&1 | FileCheck %s --check-prefix=CUT --implicit-check-not='{{.}}'
// RUN: %python -c "import sys; b = open(sys.argv[1], 'rb').read(); open(sys.argv[2], 'wb').write(b[:len(b) // 2])" %t/model.so %t/cut-half.so
// RUN: not longnet-exec %t/cut-half.so 2>&1 | FileCheck %s --check-prefix=CUT --implicit-check-not='{{.}}'
// CUT: longnet-exec: error: cannot load model '{{.*}}.so': no longnet-compile seal at its end: the file is truncated, was modified, or was not written by longnet-compile
// RUN: %python -c "import sys; b = bytearray(open(sys.argv[1], 'rb').read()); b[len(b) // 3] ^= 0x5a; open(sys.argv[2], 'wb').write(b)" %t/model.so %t/flipped.so
// RUN: not longnet-exec %t/flipped.so 2>&1 | FileCheck %s --check-prefix=FLIP --implicit-check-not='{{.}}'
// FLIP: longnet-exec: error: cannot load model '{{.*}}flipped.so': checksum mismatch: the file was corrupted or modified after longnet-compile wrote it
// RUN: longnet-compile %t/huge.mlir --target=cpu -o %t/huge.so
// RUN: not longnet-exec %t/huge.so 2>&1 | FileCheck %s --check-prefix=HUGE --implicit-check-not='{{.}}'
// HUGE: longnet-exec: error: malformed manifest in '{{.*}}huge.so': line 5: 'result f32 4294967296x4294967296': its size in bytes overflows a 64-bit integer

//--- model.mlir
func.func @main(%q: tensor<1x16x1x16xf32>, %k: tensor<1x16x1x16xf32>, %v: tensor<1x16x1x16xf32>) -> tensor<1x16x1x16xf32> {
  %o = longnet.dilated_attention %q, %k, %v {segment_lengths = array<i64: 8, 16>, dilation_rates = array<i64: 1, 1>}
      : (tensor<1x16x1x16xf32>, tensor<1x16x1x16xf32>, tensor<1x16x1x16xf32>) -> tensor<1x16x1x16xf32>
  return %o : tensor<1x16x1x16xf32>
}

//--- huge.mlir
func.func @main(%x: tensor<4xf32>) -> tensor<4294967296x4294967296xf32> {
  %e = tensor.empty() : tensor<4294967296x4294967296xf32>
  return %e : tensor<4294967296x4294967296xf32>
}
