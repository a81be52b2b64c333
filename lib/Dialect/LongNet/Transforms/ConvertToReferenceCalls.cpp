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
static constexpr StringLiteral kReferenceBackwardFunction =
    "longnet_reference_dilated_attention_backward";

static MemRefType dynamicMemRef(MLIRContext *ctx, int64_t rank, Type element) {
  return MemRefType::get(SmallVector<int64_t>(rank, ShapedType::kDynamic),
                         element);
}

/// Declares a reference entry point (C interface) in `module` once. Its
/// arguments: the tensors (`kinds`: 4 for [B, N, H, D], 3 for [B, N, H],
/// 0 for an i64 flag), then the branch arrays, causal, scale, offset mode.
static func::FuncOp getOrDeclareReference(ModuleOp module, StringRef name,
                                          ArrayRef<int> kinds) {
  if (auto fn = module.lookupSymbol<func::FuncOp>(name))
    return fn;
  MLIRContext *ctx = module.getContext();
  OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
  Type f64 = b.getF64Type(), i64 = b.getI64Type();
  SmallVector<Type> inputs;
  for (int kind : kinds)
    inputs.push_back(kind ? Type(dynamicMemRef(ctx, kind, f64)) : i64);
  Type t1 = dynamicMemRef(ctx, 1, i64);
  llvm::append_range(inputs, ArrayRef<Type>{t1, t1, i64, f64, i64});
  auto type = b.getFunctionType(inputs, {});
  auto fn = func::FuncOp::create(b, module.getLoc(), name, type);
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

/// The configuration arguments shared by both entry points: branch arrays,
/// causal, scale (0: the default) and offset mode.
template <typename OpTy>
static SmallVector<Value> configArguments(OpBuilder &b, Location loc, OpTy op) {
  double scale = op.getScale() ? op.getScale()->convertToDouble() : 0.0;
  return {
      createI64Buffer(b, loc, op.getSegmentLengths()),
      createI64Buffer(b, loc, op.getDilationRates()),
      arith::ConstantIntOp::create(b, loc, op.getCausal() ? 1 : 0, 64),
      arith::ConstantFloatOp::create(b, loc, b.getF64Type(), APFloat(scale)),
      arith::ConstantIntOp::create(
          b, loc, static_cast<int64_t>(op.getOffsetMode()), 64)};
}

/// The four sizes [B, N, H, D] of `query`.
static SmallVector<Value> querySizes(OpBuilder &b, Location loc, Value query) {
  SmallVector<Value> sizes;
  for (int64_t d = 0; d < 4; ++d)
    sizes.push_back(tensor::DimOp::create(b, loc, query, d));
  return sizes;
}

/// An f64 buffer of sizes `dims`.
static Value allocF64(OpBuilder &b, Location loc, ArrayRef<Value> dims) {
  auto type = dynamicMemRef(b.getContext(), dims.size(), b.getF64Type());
  return memref::AllocOp::create(b, loc, type, dims).getResult();
}

/// The f64 `buffer` as a tensor of `shape`, converted to `resultType`.
static Value asTensor(OpBuilder &b, Location loc, Value buffer,
                      ArrayRef<int64_t> shape, Type resultType) {
  Type f64 = b.getF64Type();
  Value cast =
      memref::CastOp::create(b, loc, MemRefType::get(shape, f64), buffer);
  Value tensor = bufferization::ToTensorOp::create(
      b, loc, RankedTensorType::get(shape, f64), cast,
      /*restrict=*/true, /*writable=*/true);
  return convertTensor(b, loc, tensor, resultType);
}

static void convert(RewriterBase &rewriter, func::FuncOp reference,
                    DilatedAttentionOp op) {
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  Location loc = op.getLoc();
  auto queryType = cast<RankedTensorType>(op.getQuery().getType());
  SmallVector<Value> sizes = querySizes(rewriter, loc, op.getQuery());
  Value out = allocF64(rewriter, loc, sizes);
  Value lse = allocF64(rewriter, loc, ArrayRef(sizes).take_front(3));
  SmallVector<Value> args = {toF64Buffer(rewriter, loc, op.getQuery()),
                             toF64Buffer(rewriter, loc, op.getKey()),
                             toF64Buffer(rewriter, loc, op.getValue()), out,
                             lse};
  llvm::append_range(args, configArguments(rewriter, loc, op));
  func::CallOp::create(rewriter, loc, reference, args);

  SmallVector<Value> replacements = {asTensor(
      rewriter, loc, out, queryType.getShape(), op.getOutput().getType())};
  if (Value lseResult = op.getLse())
    replacements.push_back(asTensor(rewriter, loc, lse,
                                    queryType.getShape().take_front(3),
                                    lseResult.getType()));
  rewriter.replaceOp(op, replacements);
}

static void convertBackward(RewriterBase &rewriter, func::FuncOp reference,
                            DilatedAttentionBackwardOp op) {
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  Location loc = op.getLoc();
  auto queryType = cast<RankedTensorType>(op.getQuery().getType());
  Value lseGrad = op.getLseGrad();
  Value lse = toF64Buffer(rewriter, loc, op.getLse());
  // Without a lse gradient the ABI does not read dlse: pass the lse itself.
  Value dlse = lseGrad ? toF64Buffer(rewriter, loc, lseGrad) : lse;
  SmallVector<Value> sizes = querySizes(rewriter, loc, op.getQuery());
  Value dq = allocF64(rewriter, loc, sizes);
  Value dk = allocF64(rewriter, loc, sizes);
  Value dv = allocF64(rewriter, loc, sizes);
  SmallVector<Value> args = {
      toF64Buffer(rewriter, loc, op.getQuery()),
      toF64Buffer(rewriter, loc, op.getKey()),
      toF64Buffer(rewriter, loc, op.getValue()),
      toF64Buffer(rewriter, loc, op.getOutput()),
      lse,
      toF64Buffer(rewriter, loc, op.getOutputGrad()),
      dlse,
      arith::ConstantIntOp::create(rewriter, loc, lseGrad ? 1 : 0, 64),
      dq,
      dk,
      dv};
  llvm::append_range(args, configArguments(rewriter, loc, op));
  func::CallOp::create(rewriter, loc, reference, args);
  rewriter.replaceOp(op, {asTensor(rewriter, loc, dq, queryType.getShape(),
                                   op.getQueryGrad().getType()),
                          asTensor(rewriter, loc, dk, queryType.getShape(),
                                   op.getKeyGrad().getType()),
                          asTensor(rewriter, loc, dv, queryType.getShape(),
                                   op.getValueGrad().getType())});
}

namespace {
struct ConvertToReferenceCallsPass
    : public longnet::impl::LongNetConvertToReferenceCallsBase<
          ConvertToReferenceCallsPass> {
  void runOnOperation() override {
    SmallVector<DilatedAttentionOp> ops;
    SmallVector<DilatedAttentionBackwardOp> backwardOps;
    getOperation()->walk([&](Operation *op) {
      if (auto forward = dyn_cast<DilatedAttentionOp>(op))
        ops.push_back(forward);
      if (auto backward = dyn_cast<DilatedAttentionBackwardOp>(op))
        backwardOps.push_back(backward);
    });
    IRRewriter rewriter(&getContext());
    if (!ops.empty()) {
      func::FuncOp reference = getOrDeclareReference(
          getOperation(), kReferenceFunction, {4, 4, 4, 4, 3});
      for (DilatedAttentionOp op : ops)
        convert(rewriter, reference, op);
    }
    if (!backwardOps.empty()) {
      func::FuncOp reference =
          getOrDeclareReference(getOperation(), kReferenceBackwardFunction,
                                {4, 4, 4, 4, 3, 4, 3, 0, 4, 4, 4});
      for (DilatedAttentionBackwardOp op : backwardOps)
        convertBackward(rewriter, reference, op);
    }
  }
};
} // namespace
