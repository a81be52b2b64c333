//===- LongNetOps.td - LongNet operations ------------------*- tablegen -*-===//
//
// Part of the longnet-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_DIALECT_LONGNET_IR_LONGNETOPS_TD
#define LONGNET_DIALECT_LONGNET_IR_LONGNETOPS_TD

include "longnet/Dialect/LongNet/IR/LongNetDialect.td"
include "longnet/Dialect/LongNet/IR/LongNetAttrs.td"
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

    `scale` defaults to `1/sqrt(D)`; `offset_mode` defaults to `cyclic`.
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

#endif // LONGNET_DIALECT_LONGNET_IR_LONGNETOPS_TD
