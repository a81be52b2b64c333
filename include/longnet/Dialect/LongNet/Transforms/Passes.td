//===- Passes.td - LongNet transformation passes -----------*- tablegen -*-===//
//
// Part of the longnet-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_DIALECT_LONGNET_TRANSFORMS_PASSES_TD
#define LONGNET_DIALECT_LONGNET_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def LongNetDecomposeMixture : Pass<"longnet-decompose-mixture"> {
  let summary = "Split a dilated attention mixture into per-branch ops merged in place";
  let description = [{
    Rewrites every `longnet.dilated_attention` of `k` branches into `k`
    `longnet.branch_attention` ops that merge, one after the other, into a
    running output accumulator (zero-initialised) and a running log-sum-exp
    accumulator (`-inf`-initialised): Eq. 10 of the paper, evaluated online,
    so the extra memory is one lse per row rather than `k` outputs.
    Accumulators are f32 (f64 for f64 inputs); the result is truncated to the
    op's element type at the end.

    A single branch with `r = 1` and `w >= N` (static `N`) becomes dense
    `longnet.attention`.

    Every `longnet.dilated_attention_backward` becomes the shared
    `delta = rowsum(dO * O) - dlse` (a `linalg.generic`, accumulator type),
    zero-initialised dQ/dK/dV accumulators and one
    `longnet.branch_attention_backward` per branch accumulating into them
    with the combined lse (SPEC "Backward (training)"); the gradients are
    converted to the op's element type at the end.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

def LongNetTileAttention : Pass<"longnet-tile-attention"> {
  let summary = "Lower bufferized flash ops to a tiled online-softmax loop nest";
  let description = [{
    Rewrites every `longnet.branch_attention` and `longnet.attention` on
    memrefs into a flash-attention loop nest:

    * an `scf.parallel` over (batch, head, segment, query tile);
    * Q, K and V rows read in place at stride `r` from the head's offset (the
      dilated gather is address arithmetic: the sparsified tensors are never
      materialised: only one query tile, transposed and scaled, and one
      key/value tile are staged in small local buffers);
    * an `scf.for` over the key tiles of the sparsified segment with online
      softmax (running max and sum, f32 or f64 accumulation); with `causal`
      the loop stops at the tile holding the query tile's last row, so fully
      masked key tiles are never visited, and the diagonal tile is masked
      per element;
    * S^T = K.Q^T and O += P.V as register-blocked vector FMAs of
      `vector-width` lanes, the softmax vectorised over query rows;
    * the result written back at the original rows (fused scatter), merged
      into the running (output, lse) accumulators for `branch_attention`.

    `longnet.branch_attention_backward` and
    `longnet.gathered_branch_attention_backward` become the backward tile
    program (TileProgram.h) over the same register-blocked kernels: an
    `scf.parallel` over (batch, head, segment), one worker per segment
    running its query tiles one after the other (Q, Q^T scaled, dO, dO^T,
    lse and delta staged per query tile, dQ kept in a local tile), and for
    each key tile it sees (causal: up to the diagonal) S^T = K Q^T,
    dP^T = V dO^T, P and dS vectorised over the query rows (masked on the
    diagonal tiles only), dV += P^T dO, dK += dS^T Q and dQ += dS K; dK and
    dV of the key tile are added in place at their rows. No two workers
    write one row: deterministic, no atomics.
  }];
  let options = [
    Option<"queryTile", "query-tile", "int64_t", /*default=*/"96",
           "Selected query rows per tile (a multiple of lcm(2 * vector-width, 6))">,
    Option<"keyTile", "key-tile", "int64_t", /*default=*/"96",
           "Selected key rows per tile (a multiple of 6)">,
    Option<"vectorWidth", "vector-width", "int64_t", /*default=*/"8",
           "Lanes of the f32 vectors (halved for f64)">
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::vector::VectorDialect"];
}

def LongNetConvertToReferenceCalls
    : Pass<"longnet-convert-to-reference-calls", "::mlir::ModuleOp"> {
  let summary = "Replace longnet ops by calls of the float64 reference";
  let description = [{
    Rewrites every `longnet.dilated_attention` into a call of the runtime's
    `longnet_reference_dilated_attention` (C interface, f64 memrefs): the
    operands are converted to f64, the reference computes output and
    combined lse, and the results are converted back. Every
    `longnet.dilated_attention_backward` likewise calls
    `longnet_reference_dilated_attention_backward` (the float64 backward). Used by
    `longnet-run --check` to run a whole model with the oracle in place of
    the compiled attention. Must run before bufferization.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::bufferization::BufferizationDialect",
                           "::mlir::func::FuncDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::tensor::TensorDialect"];
}


def LongNetApproximateMath : Pass<"longnet-approximate-math"> {
  let summary = "Polynomial approximations of exp and log for CPU vectors";
  let description = [{
    Applies upstream's math polynomial approximations (f32 `math.exp`,
    `math.log`, ...) so that vectorised softmax does not become one libm call
    per lane on the CPU.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::vector::VectorDialect"];
}

def LongNetExportCInterface
    : Pass<"longnet-export-c-interface", "::mlir::ModuleOp"> {
  let summary = "Mark every public function for a C interface wrapper";
  let description = [{
    Sets `llvm.emit_c_interface` on every public `func.func` with a body, so
    that the LLVM lowering emits `_mlir_ciface_<name>` entry points taking
    memref descriptors by pointer, the ABI that `longnet-run` and compiled
    models use.
  }];
}

def LongNetInterchangeMatmuls : Pass<"longnet-interchange-matmuls"> {
  let summary = "Put the reduction loop of matmuls in the middle for the CPU";
  let description = [{
    Generalises `linalg.matmul` and `linalg.batch_matmul` and interchanges
    their loops to (..., i, k, j), so that after conversion to loops the
    innermost loop runs over contiguous columns of B and C and LLVM's loop
    vectoriser turns it into vector FMAs.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def LongNetSequentializeNestedParallel
    : Pass<"longnet-sequentialize-nested-parallel"> {
  let summary = "Turn scf.parallel loops nested in another one into scf.for";
  let description = [{
    Keeps the outermost `scf.parallel` of every nest and rewrites the
    `scf.parallel` loops inside it (anywhere below, e.g. under an `scf.for`
    reduction loop of an interchanged matmul) into nested `scf.for` loops, so
    that the CPU backend forks threads once per nest and LLVM can vectorise
    the innermost loop.
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect"];
}

def LongNetVectorizeMatmuls : Pass<"longnet-vectorize-matmuls"> {
  let summary = "Lower bufferized matmuls to register-blocked vector FMA kernels";
  let description = [{
    Rewrites every `linalg.matmul` and `linalg.batch_matmul` on memrefs (any
    strided layouts, default indexing maps) whose output is f32 or f64 and
    whose inputs are floats no wider than the output, computing
    `C += A * B`:

    * B is packed once into zero-padded panels of two vectors of columns
      (`[batch,] panel, k, 2 * lanes`, 64-byte aligned), in an
      `scf.parallel` over (batch, panel): the kernel then loads B with
      aligned vector loads whatever B's layout, ragged columns included;
    * an `scf.parallel` over (batch, block of `row-tile` rows of C) gives
      each thread whole row blocks; inside, `scf.for` loops over groups of
      6 rows and, for each, over the panels;
    * a register block holds 6 rows x 2 vectors of C in 12 accumulators
      (`scf.for` iter_args over all of k): per k two vector loads of the B
      panel, six broadcasts of A elements and 12 `vector.fma`;
    * blocks cut by the last rows or columns, and every block of a C whose
      innermost stride is not statically 1, go through a small local tile
      copied element by element (A rows are clamped to the last row).

    Other `linalg.matmul` and `linalg.batch_matmul` ops on memrefs
    (user-defined indexing maps, integer or narrower outputs) are
    generalised with their loops interchanged to (..., i, k, j), as
    `longnet-interchange-matmuls` does on tensors, so that LLVM vectorises
    their innermost loop. Matmuls on tensors are left alone.
  }];
  let options = [
    Option<"rowTile", "row-tile", "int64_t", /*default=*/"12",
           "Rows of C per parallel iteration (a positive multiple of 6)">,
    Option<"vectorWidth", "vector-width", "int64_t", /*default=*/"8",
           "Lanes of the f32 vectors (halved for f64)">
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::vector::VectorDialect"];
}

def LongNetCostReport : Pass<"longnet-cost-report", "::mlir::ModuleOp"> {
  let summary = "Print the per-device costs of sequence-parallel dilated attention";
  let description = [{
    Analysis only (the IR is unchanged): for every `longnet.dilated_attention`
    prints to standard output a plain-text table of what each of `devices`
    (P) devices does when the sequence is sharded into contiguous chunks of
    `l = N / P` tokens (SPEC "Sequence-parallel execution"), per branch
    `(w, r)` and in total. With `w_eff = min(w, N)`, a branch is

    * `local` when `w_eff <= l` and `l mod w_eff == 0` (always when P = 1);
    * `spans G` when `w_eff > l`, `w_eff mod l == 0`, `l mod r == 0` and
      `N mod w_eff == 0`: its segment group is `G = w_eff / l` devices that
      all-gather their sparsified K and V;
    * `unsupported: <reason>` otherwise (the layouts the sharding rejects).

    Columns, per device:

    * `flops`: forward FLOPs (SPEC "Costs to report"). P = 1: exactly
      `longnet::reference::forwardFlops` of the branch. Local branch: that
      divided by P (whole segments, spread evenly). Spanning branch:
      `4 B H D m (G m)` with `m = l / r` local queries and `G m = w_eff / r`
      gathered keys; causal: `4 B H D ((G - 1) m^2 + m (m + 1) / 2)`, the
      last device of the group, which does the most work.
    * `activation_bytes`: local Q, K, V and output (element type) plus the
      (output, lse) accumulators (f32, f64 for f64), and for a spanning
      branch the gathered sparsified K and V (`2 B (w_eff / r) H D`
      elements) and the local sparsified K and V (`2 B m H D` elements).
      The total is the peak over branches, which run one after the other.
    * `recv_bytes`: bytes the all-gather delivers to one device,
      `(G - 1) * 2 B m H D * sizeof(element)`; 0 for a local branch. The
      total is what the runtime counts in `lnrt_comm_bytes_received`.
    * `spec_recv_elems`: the SPEC's estimate `2 B H D w_eff / r` elements.

    A `longnet.dilated_attention_backward` gets a table of its own: `flops`
    are SPEC's backward FLOPs (2.5x the forward's), `activation_bytes` add
    the gathered rows' dK/dV accumulators, and `recv_bytes` are the
    reduce-scatters of those gradients, `(G - 1) * 2 B m H D * sizeof(acc)`
    (the all-gather is the forward's, reused when both are in one function).

    `tokens` and `batch` override N and B (needed when they are dynamic).
  }];
  let options = [
    Option<"devices", "devices", "int64_t", /*default=*/"1",
           "Number of devices P sharing the sequence">,
    Option<"tokens", "tokens", "int64_t", /*default=*/"0",
           "Sequence length N (0: the op's static N)">,
    Option<"batch", "batch", "int64_t", /*default=*/"0",
           "Batch size B (0: the op's static B)">
  ];
}

def LongNetShardSequence : Pass<"longnet-shard-sequence", "ModuleOp"> {
  let summary = "Rewrite functions over N tokens into the per-device function over N/P";
  let description = [{
    Sequence parallelism (SPEC.md, section 3.1). Every function with
    `longnet.dilated_attention` ops (and nothing else but their backward, on
    its `[B, N, H, D]` arguments of static shape) becomes the function one of P
    devices runs on its chunk of `l = N / P` tokens (rank p from
    `longnet.process_rank`):

    * a branch with `w_eff = min(w, N) <= l` (l a multiple of w_eff) is
      local: a `longnet.branch_attention` on the chunk;
    * a branch with `w_eff > l` spans `G = w_eff / l` devices: the chunk's K
      and V are sparsified (rows `o_h + t * r`, a `linalg.generic`
      gather), all-gathered within the segment group
      (`longnet.segment_all_gather {group_size = G}`, never the world unless
      G = P), and the local queries attend to them
      (`longnet.gathered_branch_attention`, query base `(p mod G) * l / r`),
      causal masking exact.

    A `longnet.dilated_attention_backward` in the function (its operands
    arguments or the forward's results; `[B, N, H]` arguments such as dlse
    are sharded too) is sharded exactly: local branches become
    `longnet.branch_attention_backward` on the chunk; a spanning branch
    reuses the forward's all-gathered sparsified K and V (gathering them
    when the forward is not in the function), runs
    `longnet.gathered_branch_attention_backward` into accumulators of the
    gathered rows, returns their dK and dV to their owners with
    `longnet.segment_reduce_scatter` (summed within the segment group) and
    adds them at the rows `o_h + t * r`.

    Layouts it cannot do exactly are rejected with a diagnostic naming the
    branch: N not a multiple of P, a segment cut by a chunk boundary
    (`l mod w_eff != 0` for a local branch, `w_eff mod l != 0` or
    `N mod w_eff != 0` for a spanning one), or a spanning branch with
    `l mod r != 0` (the devices of a group would select different numbers
    of rows).
  }];
  let options = [
    Option<"devices", "devices", "int64_t", /*default=*/"1",
           "Number of devices P sharing the sequence">,
  ];
  let dependentDialects = ["arith::ArithDialect", "linalg::LinalgDialect",
                           "tensor::TensorDialect"];
}

def LongNetLowerCollectives : Pass<"longnet-lower-collectives", "ModuleOp"> {
  let summary = "Lower collectives and the process rank to runtime calls";
  let description = [{
    On memrefs: `longnet.segment_all_gather` becomes a call of the
    runtime's `longnet_segment_all_gather_<f16|bf16|f32|f64>(send, recv,
    group_size)` (C interface: memref descriptors), which runs MPI on CPUs
    and NCCL on GPUs (device buffers, on the model's stream);
    `longnet.segment_reduce_scatter` likewise calls
    `longnet_segment_reduce_scatter_<f32|f64>` (`MPI_Ireduce_scatter_block`,
    `ncclReduceScatter`); `longnet.process_rank` becomes
    `longnet_comm_rank()`.
  }];
  let dependentDialects = ["arith::ArithDialect", "func::FuncDialect",
                           "memref::MemRefDialect"];
}

#endif // LONGNET_DIALECT_LONGNET_TRANSFORMS_PASSES_TD
