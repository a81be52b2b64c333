//===- Utils.cpp - Helpers shared by the LongNet passes ---------*- C++ -*-===//
//
// Part of the longnet-mlir project.
//
//===----------------------------------------------------------------------===//

#include "longnet/Dialect/LongNet/Transforms/Utils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;

Type longnet::getAccumulatorType(Type elementType) {
  MLIRContext *ctx = elementType.getContext();
  return elementType.isF64() ? Type(Float64Type::get(ctx))
                             : Type(Float32Type::get(ctx));
}

/// Elementwise float conversion of `value` to `elementType`.
static Value convertElements(OpBuilder &b, Location loc, Value value,
                             Type elementType) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getElementType() == elementType)
    return value;
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, value);
  Value init = tensor::EmptyOp::create(b, loc, sizes, elementType);
  bool widen = elementType.getIntOrFloatBitWidth() >
               type.getElementType().getIntOrFloatBitWidth();
  auto map = linalg::MapOp::create(
      b, loc, ValueRange{value}, init,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value converted = widen ? arith::ExtFOp::create(nested, nestedLoc,
                                                        elementType, args[0])
                                      .getResult()
                                : arith::TruncFOp::create(nested, nestedLoc,
                                                          elementType, args[0])
                                      .getResult();
        linalg::YieldOp::create(nested, nestedLoc, converted);
      });
  return map.getResult().front();
}

Value longnet::convertTensor(OpBuilder &b, Location loc, Value value,
                             Type targetType) {
  auto target = cast<RankedTensorType>(targetType);
  Value converted = convertElements(b, loc, value, target.getElementType());
  if (converted.getType() == targetType)
    return converted;
  return tensor::CastOp::create(b, loc, targetType, converted);
}

void longnet::interchangeMatmulLoops(RewriterBase &rewriter,
                                     linalg::LinalgOp op) {
  rewriter.setInsertionPoint(op);
  FailureOr<linalg::GenericOp> generic =
      linalg::generalizeNamedOp(rewriter, op);
  if (failed(generic))
    return;
  unsigned n = generic->getNumLoops();
  SmallVector<unsigned> order = llvm::to_vector(llvm::seq<unsigned>(0, n));
  std::swap(order[n - 1], order[n - 2]);
  (void)linalg::interchangeGenericOp(rewriter, *generic, order);
}
