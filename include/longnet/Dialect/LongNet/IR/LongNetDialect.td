//===- LongNetDialect.td - LongNet dialect definition ------*- tablegen -*-===//
//
// Part of the longnet-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_DIALECT_LONGNET_IR_LONGNETDIALECT_TD
#define LONGNET_DIALECT_LONGNET_IR_LONGNETDIALECT_TD

include "mlir/IR/OpBase.td"

def LongNet_Dialect : Dialect {
  let name = "longnet";
  let summary = "LongNet dilated attention, segment/dilation mixtures and sequence sharding";
  let description = [{
    The `longnet` dialect models dilated attention as introduced by LongNet
    ("LongNet: Scaling Transformers to 1,000,000,000 Tokens", arXiv 2307.02486).
    The sequence is split into segments of length `w`; within each segment
    every `r`-th row (starting at a per-head offset) takes part in dense
    softmax attention. A mixture of (w, r) branches is combined with weights
    derived from each branch's log-sum-exp (Eq. 10 of the paper).

    The exact semantics, including partial segments, `w % r != 0`, causal
    masking and head offset modes, are those of the project's SPEC.md and
    are summarised on each op.
  }];
  let cppNamespace = "::mlir::longnet";
  let useDefaultAttributePrinterParser = 1;
}

#endif // LONGNET_DIALECT_LONGNET_IR_LONGNETDIALECT_TD
