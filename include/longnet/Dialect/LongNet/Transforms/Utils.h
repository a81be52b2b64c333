//===- Utils.h - Helpers shared by the LongNet passes ------------*- C++
//-*-===//
//
// Part of the longnet-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_DIALECT_LONGNET_TRANSFORMS_UTILS_H
#define LONGNET_DIALECT_LONGNET_TRANSFORMS_UTILS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
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

} // namespace longnet
} // namespace mlir

#endif // LONGNET_DIALECT_LONGNET_TRANSFORMS_UTILS_H
