//===- AttentionOps.h - What longnet-run reads off attention ops -*- C++
//-*-===//
//
// Part of the longnet-mlir project.
//
// Two things longnet-run derives from the model's longnet.dilated_attention
// ops before lowering:
// - the work that --bench divides by: the forward FLOPs of docs/SPEC.md
//   ("Costs to report", longnet::reference::forwardFlops) summed over the ops
//   that the entry function runs (its own and, through func.call, its
//   callees', once per call), and the tokens B * N of the first one's query.
//   Shapes are the ops' static types; a dynamic dimension is resolved when
//   the query is an argument of the entry function;
// - a check that the query, key and value an op of the entry gets from its
//   arguments have equal shapes, which compiled code cannot check.
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_TOOLS_LONGNET_RUN_ATTENTIONOPS_H
#define LONGNET_TOOLS_LONGNET_RUN_ATTENTIONOPS_H

#include "HostTensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/Error.h"

#include <string>

namespace longnet {
namespace run {

struct AttentionCost {
  /// Number of longnet.dilated_attention and
  /// longnet.dilated_attention_backward ops the entry runs.
  int64_t numOps = 0;
  /// How many of them are backward ops.
  int64_t numBackwardOps = 0;
  /// Sum of their FLOPs, SPEC's forward and backward counts (0 when
  /// `unresolved` is set).
  double flops = 0.0;
  /// B * N of the first op's query (0 when there is no op or it is dynamic).
  int64_t tokens = 0;
  /// When some op's shape is unknown: why, naming the op's location.
  std::string unresolved;
};

/// Counts the cost of running `entry` on `inputs`. Call before lowering.
AttentionCost countAttentionCost(mlir::func::FuncOp entry,
                                 llvm::ArrayRef<HostTensor> inputs);

/// Checks that every longnet.dilated_attention of `entry` gets a query, key
/// and value of one shape, with dynamic dimensions taken from `inputs` for
/// operands that are entry arguments.
llvm::Error checkAttentionShapes(mlir::func::FuncOp entry,
                                 llvm::ArrayRef<HostTensor> inputs);

} // namespace run
} // namespace longnet

#endif // LONGNET_TOOLS_LONGNET_RUN_ATTENTIONOPS_H
