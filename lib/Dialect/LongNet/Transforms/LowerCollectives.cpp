//===- LowerCollectives.cpp - Collectives as runtime calls ------*- C++ -*-===//
//
// Part of the longnet-mlir project.
//
// The runtime (liblongnet_runtime) implements the collectives with MPI on
// CPUs and NCCL on GPUs; compiled code calls it through MLIR's C interface.
//
//===----------------------------------------------------------------------===//

#include "longnet/Dialect/LongNet/IR/LongNetOps.h"
#include "longnet/Dialect/LongNet/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::longnet {
#define GEN_PASS_DEF_LONGNETLOWERCOLLECTIVES
#include "longnet/Dialect/LongNet/Transforms/Passes.h.inc"
} // namespace mlir::longnet

using namespace mlir;
using namespace mlir::longnet;

namespace {

std::string elementSuffix(Type type) {
  if (type.isF16())
    return "f16";
  if (type.isBF16())
    return "bf16";
  if (type.isF64())
    return "f64";
  return "f32";
}

/// The declaration of `name` with `type` at the start of `module`; an
/// existing function of that name must have that type.
FailureOr<func::FuncOp> declare(ModuleOp module, StringRef name,
                                FunctionType type, bool cInterface) {
  if (auto existing = module.lookupSymbol<func::FuncOp>(name)) {
    if (existing.getFunctionType() == type)
      return existing;
    return existing.emitOpError("has type ")
           << existing.getFunctionType() << " but the runtime's @" << name
           << " has type " << type;
  }
  OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
  auto fn = func::FuncOp::create(b, module.getLoc(), name, type);
  fn.setPrivate();
  if (cInterface)
    fn->setAttr("llvm.emit_c_interface", b.getUnitAttr());
  return fn;
}

/// A segment all-gather or reduce-scatter as a call of the runtime's
/// `<prefix>_<element>(send, recv, group_size)`.
template <typename OpTy>
LogicalResult lowerSegmentCollective(ModuleOp module, OpTy op,
                                     StringRef prefix) {
  auto inputType = dyn_cast<MemRefType>(op.getInput().getType());
  auto initType = dyn_cast<MemRefType>(op.getInit().getType());
  if (!inputType || !initType)
    return op.emitOpError(
        "must be bufferized before longnet-lower-collectives");
  if (!inputType.getLayout().isIdentity() || !initType.getLayout().isIdentity())
    return op.emitOpError("needs contiguous (identity layout) buffers");
  Type element = inputType.getElementType();
  auto dynamic =
      MemRefType::get(SmallVector<int64_t>(4, ShapedType::kDynamic), element);
  OpBuilder b(op);
  Type i64 = b.getI64Type();
  FailureOr<func::FuncOp> callee = declare(
      module, (prefix + "_" + elementSuffix(element)).str(),
      b.getFunctionType({dynamic, dynamic, i64}, {}), /*cInterface=*/true);
  if (failed(callee))
    return failure();
  Location loc = op.getLoc();
  Value send = memref::CastOp::create(b, loc, dynamic, op.getInput());
  Value recv = memref::CastOp::create(b, loc, dynamic, op.getInit());
  Value group =
      arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(op.getGroupSize()));
  func::CallOp::create(b, loc, *callee, ValueRange{send, recv, group});
  op.erase();
  return success();
}

LogicalResult lowerRank(ModuleOp module, ProcessRankOp op) {
  OpBuilder b(op);
  FailureOr<func::FuncOp> callee =
      declare(module, "longnet_comm_rank",
              b.getFunctionType({}, {b.getI64Type()}), /*cInterface=*/false);
  if (failed(callee))
    return failure();
  Value rank =
      func::CallOp::create(b, op.getLoc(), *callee, ValueRange{}).getResult(0);
  op.replaceAllUsesWith(
      arith::IndexCastOp::create(b, op.getLoc(), b.getIndexType(), rank)
          .getResult());
  op.erase();
  return success();
}

struct LowerCollectivesPass
    : public longnet::impl::LongNetLowerCollectivesBase<LowerCollectivesPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<Operation *> ops;
    module.walk([&](Operation *op) {
      if (isa<SegmentAllGatherOp, SegmentReduceScatterOp, ProcessRankOp>(op))
        ops.push_back(op);
    });
    for (Operation *op : ops) {
      if (auto rank = dyn_cast<ProcessRankOp>(op)) {
        if (failed(lowerRank(module, rank)))
          return signalPassFailure();
        continue;
      }
      LogicalResult lowered =
          isa<SegmentAllGatherOp>(op)
              ? lowerSegmentCollective(module, cast<SegmentAllGatherOp>(op),
                                       "longnet_segment_all_gather")
              : lowerSegmentCollective(module, cast<SegmentReduceScatterOp>(op),
                                       "longnet_segment_reduce_scatter");
      if (failed(lowered))
        return signalPassFailure();
    }
  }
};

} // namespace
