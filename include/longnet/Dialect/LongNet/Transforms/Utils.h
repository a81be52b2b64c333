//===- Utils.h - Helpers shared by the LongNet passes ------------*- C++
//-*-===//
//
// Part of the longnet-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_DIALECT_LONGNET_TRANSFORMS_UTILS_H
#define LONGNET_DIALECT_LONGNET_TRANSFORMS_UTILS_H

#include "mlir/IR/Builders.h"
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

} // namespace longnet
} // namespace mlir

#endif // LONGNET_DIALECT_LONGNET_TRANSFORMS_UTILS_H
