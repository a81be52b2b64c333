//===- Passes.td - LongNet conversion passes ---------------*- tablegen -*-===//
//
// Part of the longnet-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_CONVERSION_PASSES
#define LONGNET_CONVERSION_PASSES

include "mlir/Pass/PassBase.td"

def LongNetConvertAttentionToNVGPU
    : Pass<"longnet-convert-attention-to-nvgpu", "func::FuncOp"> {
  let summary = "Lower bufferized flash ops to fused GPU kernels (tensor cores for f16/bf16)";
  let description = [{
    Replaces every `longnet.branch_attention` and `longnet.attention` on
    memrefs by a `gpu.launch` of a fused flash-attention kernel:

    * one thread block per (query tile, segment, batch x head); the dilated
      gather and scatter are the global address `g*w + o_h + i*r`;
    * f16/bf16 with a static head dimension that is a multiple of 16: four
      warps of 16 query rows each; Q is staged once, K and V tiles are staged
      through double-buffered shared memory with `nvgpu.device_async_copy`
      (cp.async, zero-filled past the segment); `nvgpu.ldmatrix` feeds
      `mma.sync` m16n8k16 with f32 accumulation (`nvgpu.mma.sync` for f16;
      `nvvm.mma.sync` for bf16, which upstream's nvgpu lowering does not
      type); the online softmax (exp2, row max and sums by warp shuffles)
      stays in registers and P is re-used as the A operand of P.V;
    * other element types (f32, f64) or head dimensions: a CUDA-core kernel,
      one thread per query row, accumulating in the accumulator type;
    * the epilogue merges into the running (out, lse) accumulators (Eq. 10).

    `longnet.branch_attention_backward` and
    `longnet.gathered_branch_attention_backward` become two launches of the
    backward tile program (TileProgram.h), no atomics: dK/dV with one block
    per tile of 64 keys, every query tile that sees it staged in shared
    memory (Q, dO, lse, delta); then dQ with one block per tile of 64
    queries, key tiles staged.

    * f16/bf16 with D a multiple of 16 up to 128: tensor cores, four warps
      of 16 owned rows, cp.async staging and `mma.sync` m16n8k16 with f32
      accumulation for all five products (S^T = K Q^T and dP^T = V dO^T on
      the key side, so P^T and dS^T feed dV and dK as A fragments); staged
      tiles of 64, 32 or 16 rows (T * D <= 4096, 48 KiB of shared memory);
    * otherwise the CUDA cores, one thread per owned row (its rows in local
      arrays); staged tiles of 64, 32, 16 or 8 rows, the most that fit
      40 KiB.
  }];
  let options = [
    Option<"keyTile", "key-tile", "int64_t", /*default=*/"0",
           "Keys per shared-memory tile of the tensor-core kernel (a multiple "
           "of 16; 0 chooses 64 for D <= 64 and 32 above)">,
  ];
  let dependentDialects = [
    "arith::ArithDialect", "gpu::GPUDialect", "math::MathDialect",
    "memref::MemRefDialect", "NVVM::NVVMDialect", "nvgpu::NVGPUDialect",
    "scf::SCFDialect", "vector::VectorDialect", "LLVM::LLVMDialect"
  ];
}

def LongNetMapParallelLoopsToGPU
    : Pass<"longnet-map-parallel-loops-to-gpu", "func::FuncOp"> {
  let summary = "Run the outermost scf.parallel loops of host code as GPU kernels";
  let description = [{
    Every outermost `scf.parallel` outside a `gpu.launch` becomes a
    `gpu.launch` of one-dimensional blocks: the iteration space is
    linearised, each thread delinearises its id and runs one iteration
    (nested parallel loops run sequentially inside it). This is the correct
    but simple mapping for the upstream linalg ops of a model
    (`convert-linalg-to-parallel-loops` output); attention has its own
    kernels.
  }];
  let options = [
    Option<"blockSize", "block-size", "int64_t", /*default=*/"256",
           "Threads per block">,
  ];
  let dependentDialects = ["arith::ArithDialect", "gpu::GPUDialect",
                           "scf::SCFDialect"];
}

def LongNetHostBuffersToGPU
    : Pass<"longnet-host-buffers-to-gpu", "ModuleOp"> {
  let summary = "Allocate a GPU model's buffers in device memory";
  let description = [{
    After the kernels are formed, host code only allocates, copies and
    launches. This pass turns `memref.alloc`/`memref.dealloc` in host
    functions into `gpu.alloc`/`gpu.dealloc`, `memref.copy` into
    `gpu.memcpy` when both sides have identity layouts, or into an
    elementwise `scf.parallel` copy (a kernel once loops are mapped)
    otherwise. Allocations inside parallel loops and kernels are left alone.
    A constant global read in host code is an error (pass the constant as an
    argument).
  }];
  let dependentDialects = ["arith::ArithDialect", "gpu::GPUDialect",
                           "memref::MemRefDialect", "scf::SCFDialect"];
}

def LongNetMergeGPUModules : Pass<"longnet-merge-gpu-modules", "ModuleOp"> {
  let summary = "Move every outlined kernel into one gpu.module";
  let description = [{
    `gpu-kernel-outlining` makes one `gpu.module` per kernel. A model's
    kernels are compiled together instead: one PTX module, one fatbin, one
    module load at run time. Kernel names are unique within the merged module
    and `gpu.launch_func` ops are updated. Workgroup (shared-memory) buffers
    get a 16-byte alignment, which cp.async and ldmatrix need, and a kernel
    marked `longnet.min_blocks_per_sm` by the attention lowering gets that
    occupancy as `nvvm.minctasm` (ptxas's register budget).
  }];
  let dependentDialects = ["gpu::GPUDialect"];
}

#endif // LONGNET_CONVERSION_PASSES
