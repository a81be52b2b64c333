//===- LongNetOps.td - LongNet operations ------------------*- tablegen -*-===//
//
// Part of the longnet-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_DIALECT_LONGNET_IR_LONGNETOPS_TD
#define LONGNET_DIALECT_LONGNET_IR_LONGNETOPS_TD

include "longnet/Dialect/LongNet/IR/LongNetDialect.td"
include "longnet/Dialect/LongNet/IR/LongNetAttrs.td"
include "mlir/Interfaces/DestinationStyleOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/OpBase.td"

class LongNet_Op<string mnemonic, list<Trait> traits = []>
    : Op<LongNet_Dialect, mnemonic, traits>;

def LongNet_DilatedAttentionOp : LongNet_Op<"dilated_attention", [Pure]> {
  let summary = "dilated attention over a mixture of (segment, dilation) branches";
  let description = [{
    Computes LongNet dilated attention of `query`, `key` and `value`, each a
    `[B, N, H, D]` ranked tensor (batch, sequence, heads, head dimension) of
    f16, bf16, f32 or f64, all of one element type; the output has the
    query's type. Any dimension may be dynamic; static dimensions must agree.
    (The operands are typed `AnyRankedTensor` so that the verifier can name
    the offending operand and value in its own diagnostics.)

    The op holds a mixture of `k` branches: branch `i` has segment length
    `segment_lengths[i] = w_i` and dilation rate `dilation_rates[i] = r_i`
    with `1 <= r_i <= w_i`. For branch `(w, r)` and head `j`:

    * segment `g` covers rows `[g*w, min((g+1)*w, N))`; the last segment may
      be partial and `w >= N` gives one segment of length `N`;
    * the head offset `o_j` follows `offset_mode` (`cyclic`: `j mod r`,
      `grouped`: `floor(j / ceil(H/r))`, `none`: `0`);
    * segment `g` selects the rows `t` with `(t - g*w) mod r == o_j`; each
      selected row attends, with softmax scaled by `scale`, to the selected
      rows of its segment (only those `u <= t` when `causal` is set);
    * rows a branch does not select have log-sum-exp `-inf` in that branch.

    The branches are merged per row with weights
    `exp(lse_i) / sum_i' exp(lse_i')` over the branches covering the row.
    A row no branch covers has output `0` and log-sum-exp `-inf`.

    `scale` defaults to `1/sqrt(D)`; given, it must be positive and finite
    and, for f16, bf16 and f32 operands (f32 logits), `scale * D` must stay
    within f32's range (3.4e38) when D is static. `offset_mode` defaults to
    `cyclic`.
    The optional second result is the combined log-sum-exp, a
    `[B, N, H]` tensor of f32.

    Example:

    ```mlir
    %o = longnet.dilated_attention %q, %k, %v {
           segment_lengths = array<i64: 2048, 4096>,
           dilation_rates = array<i64: 1, 2>, causal, scale = 0.125 : f32,
           offset_mode = #longnet.offset_mode<grouped>}
         : (tensor<1x8192x12x64xf16>, tensor<1x8192x12x64xf16>,
            tensor<1x8192x12x64xf16>) -> tensor<1x8192x12x64xf16>
    ```
  }];

  let arguments = (ins
    AnyRankedTensor:$query,
    AnyRankedTensor:$key,
    AnyRankedTensor:$value,
    DenseI64ArrayAttr:$segment_lengths,
    DenseI64ArrayAttr:$dilation_rates,
    UnitAttr:$causal,
    OptionalAttr<F32Attr>:$scale,
    DefaultValuedAttr<LongNet_OffsetModeAttr,
                      "::mlir::longnet::OffsetMode::cyclic">:$offset_mode
  );
  let results = (outs
    AnyRankedTensor:$output,
    Optional<AnyRankedTensor>:$lse
  );

  let assemblyFormat = [{
    $query `,` $key `,` $value attr-dict `:` functional-type(operands, results)
  }];

  let extraClassDeclaration = [{
    /// Number of (segment length, dilation rate) branches.
    size_t getNumBranches() { return getSegmentLengths().size(); }

    /// The softmax scale: the `scale` attribute, else 1/sqrt(D). Returns
    /// std::nullopt when D is dynamic and no scale is given.
    std::optional<double> getScaleOrDefault();
  }];

  let hasVerifier = 1;
}


def LongNet_DilatedAttentionBackwardOp
    : LongNet_Op<"dilated_attention_backward", [Pure]> {
  let summary = "gradients of dilated attention with respect to q, k and v";
  let description = [{
    The exact backward of `longnet.dilated_attention` (docs/SPEC.md,
    "Backward (training)"): given the forward's operands `query`, `key`,
    `value`, its `output` and combined log-sum-exp `lse` (`[B, N, H]` f32,
    the forward's second result), the gradient `output_grad` of the loss
    with respect to the output and, optionally, `lse_grad`, its gradient with
    respect to the lse result (zero when absent), returns the gradients with
    respect to query, key and value, each of the query's type.

    The mixture is one softmax over the union of the branches' key sets
    normalised by the combined lse, so with
    `P(t, u) = exp(scale * q_t . k_u - lse(t))` over the keys `u` of every
    branch covering row `t` and `Delta(t) = output_grad(t) . output(t) -
    lse_grad(t)`:

    ```
    dV_u += P dO_t,   dS = P (dO_t . v_u - Delta(t)),
    dQ_t += scale dS k_u,   dK_u += scale dS q_t
    ```

    This includes the gradient through the mixing weights. Rows no branch
    covers contribute nothing. Attributes and their rules are those of
    `longnet.dilated_attention` and must be the forward's.

    ```mlir
    %dq, %dk, %dv = longnet.dilated_attention_backward
        %q, %k, %v, %o, %lse, %do {segment_lengths = array<i64: 2048, 4096>,
        dilation_rates = array<i64: 1, 2>, causal}
      : (tensor<1x8192x12x64xbf16>, tensor<1x8192x12x64xbf16>,
         tensor<1x8192x12x64xbf16>, tensor<1x8192x12x64xbf16>,
         tensor<1x8192x12xf32>, tensor<1x8192x12x64xbf16>)
        -> (tensor<1x8192x12x64xbf16>, tensor<1x8192x12x64xbf16>,
            tensor<1x8192x12x64xbf16>)
    ```
  }];

  let arguments = (ins
    AnyRankedTensor:$query,
    AnyRankedTensor:$key,
    AnyRankedTensor:$value,
    AnyRankedTensor:$output,
    AnyRankedTensor:$lse,
    AnyRankedTensor:$output_grad,
    Optional<AnyRankedTensor>:$lse_grad,
    DenseI64ArrayAttr:$segment_lengths,
    DenseI64ArrayAttr:$dilation_rates,
    UnitAttr:$causal,
    OptionalAttr<F32Attr>:$scale,
    DefaultValuedAttr<LongNet_OffsetModeAttr,
                      "::mlir::longnet::OffsetMode::cyclic">:$offset_mode
  );
  let results = (outs
    AnyRankedTensor:$query_grad,
    AnyRankedTensor:$key_grad,
    AnyRankedTensor:$value_grad
  );

  let assemblyFormat = [{
    $query `,` $key `,` $value `,` $output `,` $lse `,` $output_grad
    (`,` $lse_grad^)? attr-dict `:` functional-type(operands, results)
  }];

  let extraClassDeclaration = [{
    size_t getNumBranches() { return getSegmentLengths().size(); }
    std::optional<double> getScaleOrDefault();
  }];

  let hasVerifier = 1;
}


//===----------------------------------------------------------------------===//
// Branch level: one (w, r) branch or dense attention, destination style.
//===----------------------------------------------------------------------===//

class LongNet_FlashOp<string mnemonic, list<Trait> traits = []>
    : LongNet_Op<mnemonic, !listconcat(traits, [
        DeclareOpInterfaceMethods<MemoryEffectsOpInterface>,
        DestinationStyleOpInterface])> {
  let results = (outs Variadic<AnyRankedTensor>:$results);

  code commonExtraClassDeclaration = [{
    MutableOperandRange getDpsInitsMutable() {
      return MutableOperandRange(*this, /*start=*/3, /*length=*/2);
    }
    /// The softmax scale if given, else 1/sqrt(D) when D is static.
    std::optional<double> getScaleOrDefault();
  }];
  let extraClassDeclaration = commonExtraClassDeclaration;
  let hasVerifier = 1;
}

def LongNet_BranchAttentionOp : LongNet_FlashOp<"branch_attention"> {
  let summary = "one dilated branch merged into running (output, lse) accumulators";
  let description = [{
    One branch `(segment_length, dilation_rate)` of dilated attention
    (semantics of `longnet.dilated_attention` with a single branch), merged
    in place into the running accumulators `out_acc` (`[B, N, H, D]`, the
    normalised output of the branches so far) and `lse_acc` (`[B, N, H]`,
    their combined log-sum-exp), following Eq. 10 of the paper:

    ```
    L = log(exp(lse_acc) + exp(lse_b));
    out_acc = out_acc * exp(lse_acc - L) + o_b * exp(lse_b - L);  lse_acc = L
    ```

    for the rows the branch selects; other rows are left untouched. Starting
    from `out_acc = 0`, `lse_acc = -inf` and applying every branch gives the
    mixture. The accumulators are f32 (f64 for f64 inputs). Works on tensors
    (two results) and, after bufferization, on memrefs (no result).

    ```mlir
    %o, %l = longnet.branch_attention ins(%q, %k, %v : tensor<1x64x2x16xf16>,
               tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>)
             outs(%o0, %l0 : tensor<1x64x2x16xf32>, tensor<1x64x2xf32>)
             {segment_length = 16, dilation_rate = 2, causal}
             -> tensor<1x64x2x16xf32>, tensor<1x64x2xf32>
    ```
  }];
  let arguments = (ins
    AnyShaped:$query, AnyShaped:$key, AnyShaped:$value,
    AnyShaped:$out_acc, AnyShaped:$lse_acc,
    I64Attr:$segment_length, I64Attr:$dilation_rate,
    UnitAttr:$causal, OptionalAttr<F32Attr>:$scale,
    DefaultValuedAttr<LongNet_OffsetModeAttr,
                      "::mlir::longnet::OffsetMode::cyclic">:$offset_mode);
  let assemblyFormat = [{
    `ins` `(` $query `,` $key `,` $value `:` type($query) `,` type($key) `,`
      type($value) `)`
    `outs` `(` $out_acc `,` $lse_acc `:` type($out_acc) `,` type($lse_acc) `)`
    attr-dict (`->` type($results)^)?
  }];
}

def LongNet_AttentionOp : LongNet_FlashOp<"attention"> {
  let summary = "dense softmax attention with its log-sum-exp";
  let description = [{
    Dense (optionally causal) softmax attention of `[B, N, H, D]` query, key
    and value, writing the output to `out` (`[B, N, H, D]`, f32 or f64) and
    the log-sum-exp of every row to `lse` (`[B, N, H]`). It is the canonical
    form of a single dilated branch with `w >= N` and `r = 1`.
  }];
  let arguments = (ins
    AnyShaped:$query, AnyShaped:$key, AnyShaped:$value,
    AnyShaped:$out, AnyShaped:$lse,
    UnitAttr:$causal, OptionalAttr<F32Attr>:$scale);
  let assemblyFormat = [{
    `ins` `(` $query `,` $key `,` $value `:` type($query) `,` type($key) `,`
      type($value) `)`
    `outs` `(` $out `,` $lse `:` type($out) `,` type($lse) `)`
    attr-dict (`->` type($results)^)?
  }];
}

def LongNet_BranchAttentionBackwardOp
    : LongNet_Op<"branch_attention_backward", [
        DeclareOpInterfaceMethods<MemoryEffectsOpInterface>,
        DestinationStyleOpInterface]> {
  let summary = "one branch's contribution to dQ, dK and dV, accumulated in place";
  let description = [{
    The part of `longnet.dilated_attention_backward` that one branch
    `(segment_length, dilation_rate)` contributes (SPEC "Backward
    (training)"): for every row `t` the branch selects and every key `u` of
    its key set,

    ```
    P = exp(scale * q_t . k_u - lse(t)),  dS = P * (dO_t . v_u - delta(t))
    dv_acc[u] += P dO_t,  dq_acc[t] += scale dS k_u,  dk_acc[u] += scale dS q_t
    ```

    where `lse` is the mixture's combined log-sum-exp and `delta` is
    `dO . O - dlse`, both `[B, N, H]` of the accumulator type, computed once
    for all branches. The accumulators `dq_acc`, `dk_acc`, `dv_acc`
    (`[B, N, H, D]`) are f32 (f64 for f64 inputs); rows the branch does not
    select are left untouched. Tensors (three results) or memrefs (none).

    ```mlir
    %dq, %dk, %dv = longnet.branch_attention_backward
        ins(%q, %k, %v, %do, %lse, %delta : tensor<1x64x2x16xf16>,
            tensor<1x64x2x16xf16>, tensor<1x64x2x16xf16>,
            tensor<1x64x2x16xf16>, tensor<1x64x2xf32>, tensor<1x64x2xf32>)
        outs(%dq0, %dk0, %dv0 : tensor<1x64x2x16xf32>,
             tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>)
        {segment_length = 16, dilation_rate = 2, causal}
        -> tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>
    ```
  }];
  let arguments = (ins
    AnyShaped:$query, AnyShaped:$key, AnyShaped:$value, AnyShaped:$output_grad,
    AnyShaped:$lse, AnyShaped:$delta,
    AnyShaped:$query_grad_acc, AnyShaped:$key_grad_acc,
    AnyShaped:$value_grad_acc,
    I64Attr:$segment_length, I64Attr:$dilation_rate,
    UnitAttr:$causal, OptionalAttr<F32Attr>:$scale,
    DefaultValuedAttr<LongNet_OffsetModeAttr,
                      "::mlir::longnet::OffsetMode::cyclic">:$offset_mode);
  let results = (outs Variadic<AnyRankedTensor>:$results);
  let assemblyFormat = [{
    `ins` `(` $query `,` $key `,` $value `,` $output_grad `,` $lse `,` $delta
      `:` type($query) `,` type($key) `,` type($value) `,` type($output_grad)
      `,` type($lse) `,` type($delta) `)`
    `outs` `(` $query_grad_acc `,` $key_grad_acc `,` $value_grad_acc `:`
      type($query_grad_acc) `,` type($key_grad_acc) `,` type($value_grad_acc)
      `)`
    attr-dict (`->` type($results)^)?
  }];
  let extraClassDeclaration = [{
    MutableOperandRange getDpsInitsMutable() {
      return MutableOperandRange(*this, /*start=*/6, /*length=*/3);
    }
    std::optional<double> getScaleOrDefault();
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Sharded level: one device's part of a sequence-parallel model.
//===----------------------------------------------------------------------===//

def LongNet_ProcessRankOp : LongNet_Op<"process_rank", [Pure]> {
  let summary = "this device's rank among the devices sharing the sequence";
  let description = [{
    The rank `p` of the running process in the communicator of a
    sequence-parallel run (0 when there is none): its chunk of the sequence
    is tokens `[p * l, (p + 1) * l)`. Lowered to the runtime's
    `longnet_comm_rank()`.

    ```mlir
    %p = longnet.process_rank : index
    ```
  }];
  let results = (outs Index:$rank);
  let assemblyFormat = "attr-dict `:` type($rank)";
}

def LongNet_SegmentAllGatherOp : LongNet_Op<"segment_all_gather", [
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>,
    DestinationStyleOpInterface]> {
  let summary = "all-gather along the sequence within a segment group";
  let description = [{
    Concatenates `input` (`[B, m, H, D]`) of the `group_size` consecutive
    ranks `[p - p % g, p - p % g + g)` along dimension 1 into `init`
    (`[B, g * m, H, D]`): rows `[k * m, (k + 1) * m)` come from the group's
    k-th member. The group is the devices that share one segment of a
    branch, never the whole world unless `g` is the number of devices. Each
    device receives `(g - 1) * B * m * H * D` elements. Lowered to the
    runtime (`longnet-lower-collectives`): NCCL on GPUs, MPI on CPUs.

    ```mlir
    %kg = longnet.segment_all_gather ins(%ks : tensor<1x256x8x64xf16>)
            outs(%init : tensor<1x1024x8x64xf16>) {group_size = 4}
            -> tensor<1x1024x8x64xf16>
    ```
  }];
  let arguments = (ins AnyShaped:$input, AnyShaped:$init,
                       I64Attr:$group_size);
  let results = (outs Variadic<AnyRankedTensor>:$results);
  let assemblyFormat = [{
    `ins` `(` $input `:` type($input) `)` `outs` `(` $init `:` type($init) `)`
    attr-dict (`->` type($results)^)?
  }];
  let extraClassDeclaration = [{
    MutableOperandRange getDpsInitsMutable() { return getInitMutable(); }
  }];
  let hasVerifier = 1;
}

def LongNet_GatheredBranchAttentionOp
    : LongNet_FlashOp<"gathered_branch_attention"> {
  let summary = "local queries of a spanning branch against its gathered keys";
  let description = [{
    One device's part of a branch whose segments span several devices. The
    local queries are rows `o_h + t * r` (`t < l / r`) of `query`
    (`[B, l, H, D]`, this device's chunk); their index among the segment's
    selected rows is `query_base + t`. `key` and `value` (`[B, M, H, D]`) are
    the segment's selected rows, gathered from the group
    (`longnet.segment_all_gather` of the sparsified local rows): row `j` is
    selected row `j`. With `causal`, query `i` sees keys `j <= i`. The
    result merges into the accumulators `out_acc`/`lse_acc` (`[B, l, H, *]`)
    at the query rows, as `longnet.branch_attention` does.

    ```mlir
    longnet.gathered_branch_attention ins(%q, %kg, %vg : memref<1x512x8x64xf16>,
        memref<1x1024x8x64xf16>, memref<1x1024x8x64xf16>)
      outs(%o, %l : memref<1x512x8x64xf32>, memref<1x512x8xf32>)
      query_base(%base) {dilation_rate = 2, causal}
    ```
  }];
  let arguments = (ins
    AnyShaped:$query, AnyShaped:$key, AnyShaped:$value,
    AnyShaped:$out_acc, AnyShaped:$lse_acc, Index:$query_base,
    I64Attr:$dilation_rate, UnitAttr:$causal, OptionalAttr<F32Attr>:$scale,
    DefaultValuedAttr<LongNet_OffsetModeAttr,
                      "::mlir::longnet::OffsetMode::cyclic">:$offset_mode);
  let assemblyFormat = [{
    `ins` `(` $query `,` $key `,` $value `:` type($query) `,` type($key) `,`
      type($value) `)`
    `outs` `(` $out_acc `,` $lse_acc `:` type($out_acc) `,` type($lse_acc) `)`
    `query_base` `(` $query_base `)`
    attr-dict (`->` type($results)^)?
  }];
}


def LongNet_SegmentReduceScatterOp : LongNet_Op<"segment_reduce_scatter", [
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>,
    DestinationStyleOpInterface]> {
  let summary = "sum within a segment group, each member keeping its rows";
  let description = [{
    The transpose of `longnet.segment_all_gather`: `input` (`[B, g * m, H,
    D]`, f32 or f64) holds this device's contributions to the gradients of
    all the group's gathered rows; `init` (`[B, m, H, D]`) receives the sum
    over the `group_size` consecutive ranks `[p - p % g, p - p % g + g)` of
    their rows `[k * m, (k + 1) * m)`, k this rank's index in the group (the
    rows it contributed to the all-gather). The backward of a spanning
    branch returns the gathered K/V rows' gradients to their owners with it.
    Each device receives `(g - 1) * B * m * H * D` elements. Lowered to the
    runtime (`longnet-lower-collectives`): `ncclReduceScatter` on GPUs,
    `MPI_Ireduce_scatter_block` on CPUs.

    ```mlir
    %dk = longnet.segment_reduce_scatter ins(%dkg : tensor<1x1024x8x64xf32>)
            outs(%init : tensor<1x256x8x64xf32>) {group_size = 4}
            -> tensor<1x256x8x64xf32>
    ```
  }];
  let arguments = (ins AnyShaped:$input, AnyShaped:$init,
                       I64Attr:$group_size);
  let results = (outs Variadic<AnyRankedTensor>:$results);
  let assemblyFormat = [{
    `ins` `(` $input `:` type($input) `)` `outs` `(` $init `:` type($init) `)`
    attr-dict (`->` type($results)^)?
  }];
  let extraClassDeclaration = [{
    MutableOperandRange getDpsInitsMutable() { return getInitMutable(); }
  }];
  let hasVerifier = 1;
}

def LongNet_GatheredBranchAttentionBackwardOp
    : LongNet_Op<"gathered_branch_attention_backward", [
        DeclareOpInterfaceMethods<MemoryEffectsOpInterface>,
        DestinationStyleOpInterface]> {
  let summary = "local queries' backward of a spanning branch against its gathered keys";
  let description = [{
    The backward of `longnet.gathered_branch_attention`: the local queries
    (rows `o_h + t * r`, `t < l / r`, of `query`, `[B, l, H, D]`, index
    `query_base + t` among the segment's selected rows) against the
    gathered selected rows `key`, `value` (`[B, M, H, D]`). Accumulates, as
    `longnet.branch_attention_backward` does, into `query_grad_acc`
    (`[B, l, H, D]`, at the query rows) and into `key_grad_acc`,
    `value_grad_acc` (`[B, M, H, D]`, the gathered rows: this device's
    contributions, to be summed over the group by
    `longnet.segment_reduce_scatter`). `lse` and `delta` are `[B, l, H]`.
  }];
  let arguments = (ins
    AnyShaped:$query, AnyShaped:$key, AnyShaped:$value, AnyShaped:$output_grad,
    AnyShaped:$lse, AnyShaped:$delta,
    AnyShaped:$query_grad_acc, AnyShaped:$key_grad_acc,
    AnyShaped:$value_grad_acc, Index:$query_base,
    I64Attr:$dilation_rate, UnitAttr:$causal, OptionalAttr<F32Attr>:$scale,
    DefaultValuedAttr<LongNet_OffsetModeAttr,
                      "::mlir::longnet::OffsetMode::cyclic">:$offset_mode);
  let results = (outs Variadic<AnyRankedTensor>:$results);
  let assemblyFormat = [{
    `ins` `(` $query `,` $key `,` $value `,` $output_grad `,` $lse `,` $delta
      `:` type($query) `,` type($key) `,` type($value) `,` type($output_grad)
      `,` type($lse) `,` type($delta) `)`
    `outs` `(` $query_grad_acc `,` $key_grad_acc `,` $value_grad_acc `:`
      type($query_grad_acc) `,` type($key_grad_acc) `,` type($value_grad_acc)
      `)`
    `query_base` `(` $query_base `)`
    attr-dict (`->` type($results)^)?
  }];
  let extraClassDeclaration = [{
    MutableOperandRange getDpsInitsMutable() {
      return MutableOperandRange(*this, /*start=*/6, /*length=*/3);
    }
    std::optional<double> getScaleOrDefault();
  }];
  let hasVerifier = 1;
}

#endif // LONGNET_DIALECT_LONGNET_IR_LONGNETOPS_TD
