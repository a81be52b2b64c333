//===- Utils.h - Helpers shared by the LongNet passes ------------*- C++
//-*-===//
//
// Part of the longnet-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_DIALECT_LONGNET_TRANSFORMS_UTILS_H
#define LONGNET_DIALECT_LONGNET_TRANSFORMS_UTILS_H

#include "longnet/Dialect/LongNet/IR/LongNetOps.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/Value.h"

namespace mlir {
namespace longnet {

/// The accumulation type of attention over `elementType`: f64 for f64,
/// f32 otherwise.
Type getAccumulatorType(Type elementType);

/// Converts a ranked float tensor to `targetType` (same rank; element type
/// extended or truncated elementwise, shape refined by tensor.cast). Returns
/// `value` itself when the types already agree.
Value convertTensor(OpBuilder &b, Location loc, Value value, Type targetType);

/// Rewrites a matmul-like linalg op, loops (..., i, j, k), as a generic with
/// loops (..., i, k, j): after conversion to loops the innermost loop runs
/// over contiguous columns of B and C and LLVM vectorises it. Leaves `op`
/// alone when it cannot be generalised.
void interchangeMatmulLoops(RewriterBase &rewriter, linalg::LinalgOp op);

/// Builds an scf.for from `lb` to `ub` by `step` carrying `inits` at the
/// builder's insertion point; `body(iv, iterArgs)` emits the body and returns
/// the values to yield (ignored without inits). Returns the loop's results.
template <typename Fn>
SmallVector<Value> buildForLoop(OpBuilder &b, Location loc, Value lb, Value ub,
                                Value step, ValueRange inits, Fn body) {
  auto loop = scf::ForOp::create(b, loc, lb, ub, step, inits);
  OpBuilder::InsertionGuard guard(b);
  if (inits.empty())
    b.setInsertionPoint(loop.getBody()->getTerminator());
  else
    b.setInsertionPointToStart(loop.getBody());
  SmallVector<Value> yields =
      body(loop.getInductionVar(), loop.getRegionIterArgs());
  if (!inits.empty())
    scf::YieldOp::create(b, loc, yields);
  return SmallVector<Value>(loop.getResults());
}

/// What one bufferized flash op (longnet.branch_attention, or dense
/// longnet.attention as the branch w = N, r = 1) asks for, independent of
/// which op it is: the problem the CPU and GPU flash emitters lower.
struct FlashProblem {
  Value query, key, value, out, lse;
  std::optional<int64_t> segmentLength; // none: dense (w = N)
  int64_t dilationRate = 1;
  OffsetMode offsetMode = OffsetMode::none;
  bool causal = false;
  std::optional<double> scale;
  bool merge = false; // merge into running accumulators (Eq. 10)
  /// longnet.gathered_branch_attention: the index of the first local query
  /// among its segment's selected rows. Keys and values are then the
  /// gathered selected rows (row j is selected row j), not rows of the
  /// query's sequence.
  Value queryBase;
};

/// The problem of a longnet.branch_attention, longnet.attention or
/// longnet.gathered_branch_attention op (as the dense branch over the local
/// rows, with queryBase set);
/// std::nullopt for any other op.
std::optional<FlashProblem> getFlashProblem(Operation *op);

/// delta = rowsum(dO * O) - dlse ([B, N, H] tensor of `accType`, sizes
/// `rowSizes`), the term shared by every branch of the backward; `lseGrad`
/// may be null (zero).
Value emitBackwardDelta(OpBuilder &b, Location loc, Value outputGrad,
                        Value output, Value lseGrad,
                        ArrayRef<OpFoldResult> rowSizes, Type accType);

/// The offset o_h of head `head` (of `numHeads`) in a branch of dilation
/// `rate` under `mode` (SPEC.md): index values.
Value emitHeadOffset(OpBuilder &b, Location loc, OffsetMode mode, Value head,
                     Value numHeads, Value rate);

} // namespace longnet
} // namespace mlir

#endif // LONGNET_DIALECT_LONGNET_TRANSFORMS_UTILS_H
