//===- ConvertToReferenceCalls.cpp - Run the oracle in place ----*- C++ -*-===//
//
// Part of the longnet-mlir project.
//
// Replaces longnet.dilated_attention by a call of the float64 reference in
// the runtime (runtime/include/longnet-runtime/ReferenceABI.h), so that a
// whole model can be run with the oracle in place of the compiled attention.
//
//===----------------------------------------------------------------------===//

#include "longnet/Dialect/LongNet/IR/LongNetOps.h"
#include "longnet/Dialect/LongNet/Transforms/Passes.h"
#include "longnet/Dialect/LongNet/Transforms/Utils.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::longnet {
#define GEN_PASS_DEF_LONGNETCONVERTTOREFERENCECALLS
#include "longnet/Dialect/LongNet/Transforms/Passes.h.inc"
} // namespace mlir::longnet

using namespace mlir;
using namespace mlir::longnet;

static constexpr StringLiteral kReferenceFunction =
    "longnet_reference_dilated_attention";

static MemRefType dynamicMemRef(MLIRContext *ctx, int64_t rank, Type element) {
  return MemRefType::get(SmallVector<int64_t>(rank, ShapedType::kDynamic),
                         element);
}

/// Declares the reference entry point (C interface) in `module` once.
static func::FuncOp getOrDeclareReference(ModuleOp module) {
  if (auto fn = module.lookupSymbol<func::FuncOp>(kReferenceFunction))
    return fn;
  MLIRContext *ctx = module.getContext();
  OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
  Type f64 = b.getF64Type(), i64 = b.getI64Type();
  Type t4 = dynamicMemRef(ctx, 4, f64), t3 = dynamicMemRef(ctx, 3, f64),
       t1 = dynamicMemRef(ctx, 1, i64);
  auto type =
      b.getFunctionType({t4, t4, t4, t4, t3, t1, t1, i64, f64, i64}, {});
  auto fn = func::FuncOp::create(b, module.getLoc(), kReferenceFunction, type);
  fn.setPrivate();
  fn->setAttr("llvm.emit_c_interface", b.getUnitAttr());
  return fn;
}

/// A tensor converted to f64 and exposed as a dynamically shaped memref.
static Value toF64Buffer(OpBuilder &b, Location loc, Value tensor) {
  auto type = cast<RankedTensorType>(tensor.getType());
  auto f64Type = RankedTensorType::get(type.getShape(), b.getF64Type());
  Value converted = convertTensor(b, loc, tensor, f64Type);
  auto bufferType = MemRefType::get(type.getShape(), b.getF64Type());
  Value buffer =
      bufferization::ToBufferOp::create(b, loc, bufferType, converted,
                                        /*read_only=*/true);
  return memref::CastOp::create(
      b, loc, dynamicMemRef(b.getContext(), type.getRank(), b.getF64Type()),
      buffer);
}

/// A rank-1 i64 buffer holding `values`.
static Value createI64Buffer(OpBuilder &b, Location loc,
                             ArrayRef<int64_t> values) {
  auto type =
      MemRefType::get({static_cast<int64_t>(values.size())}, b.getI64Type());
  Value buffer = memref::AllocaOp::create(b, loc, type);
  for (auto [i, value] : llvm::enumerate(values)) {
    Value index = arith::ConstantIndexOp::create(b, loc, i);
    Value element = arith::ConstantIntOp::create(b, loc, value, 64);
    memref::StoreOp::create(b, loc, element, buffer, index);
  }
  return memref::CastOp::create(
      b, loc, dynamicMemRef(b.getContext(), 1, b.getI64Type()), buffer);
}

static void convert(RewriterBase &rewriter, func::FuncOp reference,
                    DilatedAttentionOp op) {
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  Location loc = op.getLoc();
  auto queryType = cast<RankedTensorType>(op.getQuery().getType());
  Type f64 = rewriter.getF64Type();

  SmallVector<Value> sizes;
  for (int64_t d = 0; d < 4; ++d)
    sizes.push_back(tensor::DimOp::create(rewriter, loc, op.getQuery(), d));
  auto allocDynamic = [&](ArrayRef<Value> dims) {
    auto type = dynamicMemRef(rewriter.getContext(), dims.size(), f64);
    return memref::AllocOp::create(rewriter, loc, type, dims).getResult();
  };
  Value out = allocDynamic(sizes);
  Value lse = allocDynamic(ArrayRef(sizes).take_front(3));

  double scale = op.getScale() ? op.getScale()->convertToDouble() : 0.0;
  SmallVector<Value> args = {
      toF64Buffer(rewriter, loc, op.getQuery()),
      toF64Buffer(rewriter, loc, op.getKey()),
      toF64Buffer(rewriter, loc, op.getValue()),
      out,
      lse,
      createI64Buffer(rewriter, loc, op.getSegmentLengths()),
      createI64Buffer(rewriter, loc, op.getDilationRates()),
      arith::ConstantIntOp::create(rewriter, loc, op.getCausal() ? 1 : 0, 64),
      arith::ConstantFloatOp::create(rewriter, loc, rewriter.getF64Type(),
                                     APFloat(scale)),
      arith::ConstantIntOp::create(
          rewriter, loc, static_cast<int64_t>(op.getOffsetMode()), 64)};
  func::CallOp::create(rewriter, loc, reference, args);

  auto asTensor = [&](Value buffer, ArrayRef<int64_t> shape, Type resultType) {
    Value cast = memref::CastOp::create(rewriter, loc,
                                        MemRefType::get(shape, f64), buffer);
    Value tensor = bufferization::ToTensorOp::create(
        rewriter, loc, RankedTensorType::get(shape, f64), cast,
        /*restrict=*/true, /*writable=*/true);
    return convertTensor(rewriter, loc, tensor, resultType);
  };
  SmallVector<Value> replacements = {
      asTensor(out, queryType.getShape(), op.getOutput().getType())};
  if (Value lseResult = op.getLse())
    replacements.push_back(
        asTensor(lse, queryType.getShape().take_front(3), lseResult.getType()));
  rewriter.replaceOp(op, replacements);
}

namespace {
struct ConvertToReferenceCallsPass
    : public longnet::impl::LongNetConvertToReferenceCallsBase<
          ConvertToReferenceCallsPass> {
  void runOnOperation() override {
    SmallVector<DilatedAttentionOp> ops;
    getOperation()->walk([&](DilatedAttentionOp op) { ops.push_back(op); });
    if (ops.empty())
      return;
    func::FuncOp reference = getOrDeclareReference(getOperation());
    IRRewriter rewriter(&getContext());
    for (DilatedAttentionOp op : ops)
      convert(rewriter, reference, op);
  }
};
} // namespace
