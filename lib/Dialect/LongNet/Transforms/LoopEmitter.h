//===- LoopEmitter.h - Builder helpers for the CPU kernels ------*- C++ -*-===//
//
// Part of the longnet-mlir project. Private to lib/Dialect/LongNet/Transforms:
// index arithmetic, constants, vector splats and scf.for construction shared
// by the flash-attention and matmul emitters.
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_LIB_DIALECT_LONGNET_TRANSFORMS_LOOPEMITTER_H
#define LONGNET_LIB_DIALECT_LONGNET_TRANSFORMS_LOOPEMITTER_H

#include "longnet/Dialect/LongNet/Transforms/KernelBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"

namespace mlir {
namespace longnet {

/// Emits code at a builder's insertion point, computing in `computeType`
/// with vectors of `lanes` elements.
class LoopEmitter : public KernelBuilder {
protected:
  LoopEmitter(OpBuilder &b, Location loc, Type computeType, int64_t lanes)
      : KernelBuilder(b, loc), computeType(computeType),
        vectorType(VectorType::get({lanes}, computeType)) {}

  using KernelBuilder::fconst;
  /// A constant of the compute type.
  Value fconst(double v) {
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(computeType, v));
  }
  Value minIdx(Value x, Value y) { return minU(x, y); }
  Value roundUp(Value x, int64_t m) { return mul(ceilDiv(x, idx(m)), idx(m)); }
  Value splat(Value scalar) {
    return vector::BroadcastOp::create(b, loc, vectorType, scalar);
  }

  /// Loads one element, converted to computeType.
  Value loadElement(Value memref, ValueRange indices) {
    Value v = memref::LoadOp::create(b, loc, memref, indices);
    if (v.getType() == computeType)
      return v;
    return arith::ExtFOp::create(b, loc, computeType, v);
  }

  Type computeType;
  VectorType vectorType;
};

} // namespace longnet
} // namespace mlir

#endif // LONGNET_LIB_DIALECT_LONGNET_TRANSFORMS_LOOPEMITTER_H
