//===- DecomposeMixture.cpp - Split a mixture into branches -----*- C++ -*-===//
//
// Part of the longnet-mlir project.
//
//===----------------------------------------------------------------------===//

#include "longnet/Dialect/LongNet/IR/LongNetOps.h"
#include "longnet/Dialect/LongNet/Transforms/Passes.h"
#include "longnet/Dialect/LongNet/Transforms/Utils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

#include <limits>

namespace mlir::longnet {
#define GEN_PASS_DEF_LONGNETDECOMPOSEMIXTURE
#include "longnet/Dialect/LongNet/Transforms/Passes.h.inc"
} // namespace mlir::longnet

using namespace mlir;
using namespace mlir::longnet;

/// A tensor of `shape` (sizes from `sizes`) filled with `value`.
static Value createFilled(OpBuilder &b, Location loc,
                          ArrayRef<OpFoldResult> sizes, Type elementType,
                          double value) {
  Value empty = tensor::EmptyOp::create(b, loc, sizes, elementType);
  Value scalar =
      arith::ConstantOp::create(b, loc, b.getFloatAttr(elementType, value));
  return linalg::FillOp::create(b, loc, scalar, empty).getResult(0);
}

/// Whether the op is one branch with r = 1 covering the whole (static)
/// sequence: dense attention.
static bool isDense(DilatedAttentionOp op) {
  if (op.getNumBranches() != 1 || op.getDilationRates()[0] != 1)
    return false;
  int64_t seqLen = cast<ShapedType>(op.getQuery().getType()).getDimSize(1);
  return !ShapedType::isDynamic(seqLen) && op.getSegmentLengths()[0] >= seqLen;
}

static void decompose(RewriterBase &rewriter, DilatedAttentionOp op) {
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  Location loc = op.getLoc();
  auto queryType = cast<RankedTensorType>(op.getQuery().getType());
  Type accType = getAccumulatorType(queryType.getElementType());

  SmallVector<OpFoldResult> sizes =
      tensor::getMixedSizes(rewriter, loc, op.getQuery());
  ArrayRef<OpFoldResult> lseSizes = ArrayRef(sizes).take_front(3);
  auto outType = RankedTensorType::get(queryType.getShape(), accType);
  auto lseType =
      RankedTensorType::get(queryType.getShape().take_front(3), accType);

  Value out, lse;
  if (isDense(op)) {
    // Dense attention overwrites every row: no initial values needed.
    Value outInit = tensor::EmptyOp::create(rewriter, loc, sizes, accType);
    Value lseInit = tensor::EmptyOp::create(rewriter, loc, lseSizes, accType);
    auto dense = AttentionOp::create(
        rewriter, loc, TypeRange{outType, lseType}, op.getQuery(), op.getKey(),
        op.getValue(), outInit, lseInit, op.getCausal(), op.getScaleAttr());
    out = dense.getResult(0);
    lse = dense.getResult(1);
  } else {
    // Uncovered rows keep output 0 and lse -inf.
    out = createFilled(rewriter, loc, sizes, accType, 0.0);
    lse = createFilled(rewriter, loc, lseSizes, accType,
                       -std::numeric_limits<double>::infinity());
    for (auto [w, r] :
         llvm::zip_equal(op.getSegmentLengths(), op.getDilationRates())) {
      auto branch = BranchAttentionOp::create(
          rewriter, loc, TypeRange{outType, lseType}, op.getQuery(),
          op.getKey(), op.getValue(), out, lse, w, r, op.getCausal(),
          op.getScaleAttr(), op.getOffsetMode());
      out = branch.getResult(0);
      lse = branch.getResult(1);
    }
  }

  SmallVector<Value> replacements = {
      convertTensor(rewriter, loc, out, op.getOutput().getType())};
  if (Value lseResult = op.getLse())
    replacements.push_back(
        convertTensor(rewriter, loc, lse, lseResult.getType()));
  rewriter.replaceOp(op, replacements);
}

/// The backward of a mixture: delta once, then every branch accumulates its
/// part of dQ, dK and dV (zero-initialised, accumulator type) in place.
static void decomposeBackward(RewriterBase &rewriter,
                              DilatedAttentionBackwardOp op) {
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  Location loc = op.getLoc();
  auto queryType = cast<RankedTensorType>(op.getQuery().getType());
  Type accType = getAccumulatorType(queryType.getElementType());
  SmallVector<OpFoldResult> sizes =
      tensor::getMixedSizes(rewriter, loc, op.getQuery());
  ArrayRef<OpFoldResult> lseSizes = ArrayRef(sizes).take_front(3);
  auto gradType = RankedTensorType::get(queryType.getShape(), accType);
  auto rowsType =
      RankedTensorType::get(queryType.getShape().take_front(3), accType);

  Value delta =
      emitBackwardDelta(rewriter, loc, op.getOutputGrad(), op.getOutput(),
                        op.getLseGrad(), lseSizes, accType);
  Value lse = convertTensor(rewriter, loc, op.getLse(), rowsType);
  Value dq = createFilled(rewriter, loc, sizes, accType, 0.0);
  Value dk = createFilled(rewriter, loc, sizes, accType, 0.0);
  Value dv = createFilled(rewriter, loc, sizes, accType, 0.0);
  for (auto [w, r] :
       llvm::zip_equal(op.getSegmentLengths(), op.getDilationRates())) {
    auto branch = BranchAttentionBackwardOp::create(
        rewriter, loc, TypeRange{gradType, gradType, gradType}, op.getQuery(),
        op.getKey(), op.getValue(), op.getOutputGrad(), lse, delta, dq, dk, dv,
        w, r, op.getCausal(), op.getScaleAttr(), op.getOffsetMode());
    dq = branch.getResult(0);
    dk = branch.getResult(1);
    dv = branch.getResult(2);
  }
  rewriter.replaceOp(op, {convertTensor(rewriter, loc, dq, queryType),
                          convertTensor(rewriter, loc, dk, queryType),
                          convertTensor(rewriter, loc, dv, queryType)});
}

namespace {
struct DecomposeMixturePass
    : public longnet::impl::LongNetDecomposeMixtureBase<DecomposeMixturePass> {
  void runOnOperation() override {
    SmallVector<DilatedAttentionOp> ops;
    getOperation()->walk([&](DilatedAttentionOp op) { ops.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (DilatedAttentionOp op : ops) {
      if (!isa<RankedTensorType>(op.getQuery().getType())) {
        op.emitOpError("longnet-decompose-mixture expects tensor operands");
        return signalPassFailure();
      }
      decompose(rewriter, op);
    }
    SmallVector<DilatedAttentionBackwardOp> backwardOps;
    getOperation()->walk(
        [&](DilatedAttentionBackwardOp op) { backwardOps.push_back(op); });
    for (DilatedAttentionBackwardOp op : backwardOps)
      decomposeBackward(rewriter, op);
  }
};
} // namespace
