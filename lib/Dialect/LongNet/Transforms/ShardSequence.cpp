//===- ShardSequence.cpp - The per-device function of P devices -*- C++ -*-===//
//
// Part of the longnet-mlir project.
//
// SPEC.md section 3.1: device p holds tokens [p l, (p + 1) l) of Q, K, V and
// the output, l = N / P. Local branches run on the chunk; a branch whose
// segments span G devices sparsifies the chunk's K and V, all-gathers them
// within the segment group and attends the local queries to them.
//
//===----------------------------------------------------------------------===//

#include "longnet/Dialect/LongNet/IR/LongNetOps.h"
#include "longnet/Dialect/LongNet/Transforms/KernelBuilder.h"
#include "longnet/Dialect/LongNet/Transforms/Passes.h"
#include "longnet/Dialect/LongNet/Transforms/Utils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

#include <limits>
#include <map>
#include <tuple>

namespace mlir::longnet {
#define GEN_PASS_DEF_LONGNETSHARDSEQUENCE
#include "longnet/Dialect/LongNet/Transforms/Passes.h.inc"
} // namespace mlir::longnet

using namespace mlir;
using namespace mlir::longnet;

namespace {

/// [B, l, H, D] (or [B, l, H]) for a [B, N, H, ...] type.
RankedTensorType localType(Type type, int64_t localRows) {
  auto tensor = cast<RankedTensorType>(type);
  SmallVector<int64_t> shape(tensor.getShape());
  shape[1] = localRows;
  return RankedTensorType::get(shape, tensor.getElementType());
}

Value filled(OpBuilder &b, Location loc, RankedTensorType type, double value) {
  Value empty =
      tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  Value scalar = arith::ConstantOp::create(
      b, loc, b.getFloatAttr(type.getElementType(), value));
  return linalg::FillOp::create(b, loc, scalar, empty).getResult(0);
}

/// Rows o_h + t r (t < l / r) of `x` ([B, l, H, D]) for every head: the
/// selected rows a device contributes to its segment group.
Value sparsify(OpBuilder &b, Location loc, Value x, int64_t rate,
               OffsetMode mode) {
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape[1] /= rate;
  Value init = tensor::EmptyOp::create(b, loc, shape, type.getElementType());
  MLIRContext *ctx = b.getContext();
  auto identity = AffineMap::getMultiDimIdentityMap(4, ctx);
  SmallVector<utils::IteratorType> iterators(4, utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, ValueRange{}, ValueRange{init},
      ArrayRef<AffineMap>{identity}, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange) {
        Value batch = linalg::IndexOp::create(nb, nloc, 0);
        Value t = linalg::IndexOp::create(nb, nloc, 1);
        Value head = linalg::IndexOp::create(nb, nloc, 2);
        Value d = linalg::IndexOp::create(nb, nloc, 3);
        Value numHeads = arith::ConstantIndexOp::create(nb, nloc, shape[2]);
        Value r = arith::ConstantIndexOp::create(nb, nloc, rate);
        Value offset = emitHeadOffset(nb, nloc, mode, head, numHeads, r);
        Value row = arith::AddIOp::create(
            nb, nloc, offset, arith::MulIOp::create(nb, nloc, t, r));
        Value element = tensor::ExtractOp::create(
            nb, nloc, x, ValueRange{batch, row, head, d});
        linalg::YieldOp::create(nb, nloc, element);
      });
  return generic.getResult(0);
}

struct ShardSequencePass
    : public longnet::impl::LongNetShardSequenceBase<ShardSequencePass> {
  using Base::Base;

  /// The sequence length shared by every [B, N, H, D] argument.
  FailureOr<int64_t> getSequenceLength(func::FuncOp fn) {
    std::optional<int64_t> seqLen;
    for (auto [i, type] : llvm::enumerate(fn.getArgumentTypes())) {
      auto tensor = dyn_cast<RankedTensorType>(type);
      if (!tensor || (tensor.getRank() != 4 && tensor.getRank() != 3) ||
          !tensor.hasStaticShape())
        return fn.emitError("longnet-shard-sequence: argument ")
               << i << " of @" << fn.getSymName() << " has type " << type
               << "; a sharded function takes [B, N, H, D] (and [B, N, H]) "
                  "tensors of static shape";
      if (seqLen && *seqLen != tensor.getDimSize(1))
        return fn.emitError("longnet-shard-sequence: the arguments of @")
               << fn.getSymName() << " have different sequence lengths "
               << *seqLen << " and " << tensor.getDimSize(1);
      seqLen = tensor.getDimSize(1);
    }
    if (!seqLen)
      return fn.emitError("longnet-shard-sequence: @")
             << fn.getSymName() << " has no [B, N, H, D] argument to shard";
    return *seqLen;
  }

  LogicalResult checkBody(func::FuncOp fn) {
    for (Operation &op : fn.getBody().front()) {
      if (isa<DilatedAttentionOp, DilatedAttentionBackwardOp, func::ReturnOp>(
              op))
        continue;
      return op.emitOpError(
          "cannot be sharded by longnet-shard-sequence: a sharded function "
          "holds only longnet.dilated_attention and "
          "longnet.dilated_attention_backward ops on its arguments");
    }
    // Forward ops read arguments; a backward op may also read the
    // forward's output and lse.
    for (Operation &op : fn.getBody().front()) {
      if (isa<func::ReturnOp>(op))
        continue;
      bool backward = isa<DilatedAttentionBackwardOp>(op);
      for (Value operand : op.getOperands()) {
        Operation *def = operand.getDefiningOp();
        if (!def || (backward && isa<DilatedAttentionOp>(def)))
          continue;
        if (!backward)
          return op.emitOpError(
              "operands must be arguments of the function to be sharded by "
              "longnet-shard-sequence");
        return op.emitOpError(
            "operands must be arguments of the function or results of "
            "longnet.dilated_attention to be sharded by "
            "longnet-shard-sequence");
      }
    }
    return success();
  }

  /// Checks every branch against the chunk length before anything changes.
  template <typename OpTy>
  LogicalResult checkBranches(OpTy op, int64_t seqLen, int64_t localRows) {
    for (auto [i, pair] : llvm::enumerate(
             llvm::zip_equal(op.getSegmentLengths(), op.getDilationRates()))) {
      auto [w, r] = pair;
      int64_t wEff = std::min(w, seqLen);
      auto error = [&, i = i, w = w, r = r]() {
        return op.emitOpError("branch ")
               << i << " (w = " << w << ", r = " << r << ") cannot be sharded "
               << "exactly over " << static_cast<int64_t>(devices)
               << " devices (l = N / P = " << localRows << "): ";
      };
      if (wEff <= localRows) {
        // wEff = 0: an empty sequence, which every chunk holds whole.
        if (wEff != 0 && localRows % wEff != 0)
          return error() << "its segments of " << wEff
                         << " tokens are cut by chunk boundaries (l must be "
                            "a multiple of the segment length)";
        continue;
      }
      if (wEff % localRows != 0 || seqLen % wEff != 0)
        return error() << "its segments of " << wEff
                       << " tokens must be whole chunks and tile N = "
                       << seqLen;
      if (localRows % r != 0)
        return error() << "l = " << localRows
                       << " is not a multiple of r, so the devices of a "
                          "segment group would select different numbers of "
                          "rows";
    }
    return success();
  }

  void shardOp(OpBuilder &b, DilatedAttentionOp op, Value rank, int64_t seqLen,
               int64_t localRows) {
    Location loc = op.getLoc();
    auto queryType = cast<RankedTensorType>(op.getQuery().getType());
    Type accType = getAccumulatorType(queryType.getElementType());
    auto outType = RankedTensorType::get(queryType.getShape(), accType);
    auto lseType =
        RankedTensorType::get(queryType.getShape().take_front(3), accType);
    Value out = filled(b, loc, outType, 0.0);
    Value lse =
        filled(b, loc, lseType, -std::numeric_limits<double>::infinity());
    for (auto [w, r] :
         llvm::zip_equal(op.getSegmentLengths(), op.getDilationRates())) {
      int64_t wEff = std::min(w, seqLen);
      Operation *branch;
      if (wEff <= localRows) {
        branch = BranchAttentionOp::create(
            b, loc, TypeRange{outType, lseType}, op.getQuery(), op.getKey(),
            op.getValue(), out, lse, w, r, op.getCausal(), op.getScaleAttr(),
            op.getOffsetMode());
      } else {
        int64_t group = wEff / localRows, perDevice = localRows / r;
        Value key =
            gatherSparsified(b, loc, op.getKey(), r, op.getOffsetMode(), group);
        Value value = gatherSparsified(b, loc, op.getValue(), r,
                                       op.getOffsetMode(), group);
        Value member = arith::RemUIOp::create(
            b, loc, rank, arith::ConstantIndexOp::create(b, loc, group));
        Value base = arith::MulIOp::create(
            b, loc, member, arith::ConstantIndexOp::create(b, loc, perDevice));
        branch = GatheredBranchAttentionOp::create(
            b, loc, TypeRange{outType, lseType}, op.getQuery(), key, value, out,
            lse, base, r, op.getCausal(), op.getScaleAttr(),
            op.getOffsetMode());
      }
      out = branch->getResult(0);
      lse = branch->getResult(1);
    }
    op.getOutput().replaceAllUsesWith(
        convertTensor(b, loc, out, op.getOutput().getType()));
    if (Value lseResult = op.getLse())
      lseResult.replaceAllUsesWith(
          convertTensor(b, loc, lse, lseResult.getType()));
    op.erase();
  }

  /// The gathered sparsified rows of `x` for a branch spanning `group`
  /// devices; made once per function for each (x, r, offset mode, group):
  /// the backward reuses the forward's all-gather.
  Value gatherSparsified(OpBuilder &b, Location loc, Value x, int64_t rate,
                         OffsetMode mode, int64_t group) {
    auto key = std::make_tuple(x.getAsOpaquePointer(), rate,
                               static_cast<int64_t>(mode), group);
    auto found = gathered.find(key);
    if (found != gathered.end())
      return found->second;
    Value sparse = sparsify(b, loc, x, rate, mode);
    auto sparseType = cast<RankedTensorType>(sparse.getType());
    SmallVector<int64_t> shape(sparseType.getShape());
    shape[1] *= group;
    Value init =
        tensor::EmptyOp::create(b, loc, shape, sparseType.getElementType());
    Value result = SegmentAllGatherOp::create(b, loc, TypeRange{init.getType()},
                                              sparse, init, group)
                       .getResult(0);
    gathered[key] = result;
    return result;
  }

  std::map<std::tuple<const void *, int64_t, int64_t, int64_t>, Value> gathered;

  /// The backward on the chunk: local branches as branch ops; a spanning
  /// branch recomputes against the gathered sparsified K and V (the
  /// forward's all-gather again, which CSE merges with it when both are in
  /// one function), and its gathered rows' gradients are reduce-scattered
  /// back to their owners and added at the rows o_h + t r.
  void shardBackward(OpBuilder &b, DilatedAttentionBackwardOp op, Value rank,
                     int64_t seqLen, int64_t localRows) {
    Location loc = op.getLoc();
    auto queryType = cast<RankedTensorType>(op.getQuery().getType());
    Type accType = getAccumulatorType(queryType.getElementType());
    auto gradType = RankedTensorType::get(queryType.getShape(), accType);
    auto rowsType =
        RankedTensorType::get(queryType.getShape().take_front(3), accType);
    SmallVector<OpFoldResult> rowSizes;
    for (int64_t size : rowsType.getShape())
      rowSizes.push_back(b.getIndexAttr(size));
    Value delta = emitBackwardDelta(b, loc, op.getOutputGrad(), op.getOutput(),
                                    op.getLseGrad(), rowSizes, accType);
    Value lse = convertTensor(b, loc, op.getLse(), rowsType);
    Value dq = filled(b, loc, gradType, 0.0);
    Value dk = filled(b, loc, gradType, 0.0);
    Value dv = filled(b, loc, gradType, 0.0);
    for (auto [w, r] :
         llvm::zip_equal(op.getSegmentLengths(), op.getDilationRates())) {
      int64_t wEff = std::min(w, seqLen);
      if (wEff <= localRows) {
        auto branch = BranchAttentionBackwardOp::create(
            b, loc, TypeRange{gradType, gradType, gradType}, op.getQuery(),
            op.getKey(), op.getValue(), op.getOutputGrad(), lse, delta, dq, dk,
            dv, w, r, op.getCausal(), op.getScaleAttr(), op.getOffsetMode());
        dq = branch.getResult(0);
        dk = branch.getResult(1);
        dv = branch.getResult(2);
        continue;
      }
      int64_t group = wEff / localRows, perDevice = localRows / r;
      Value key =
          gatherSparsified(b, loc, op.getKey(), r, op.getOffsetMode(), group);
      Value value =
          gatherSparsified(b, loc, op.getValue(), r, op.getOffsetMode(), group);
      SmallVector<int64_t> gatheredShape(queryType.getShape());
      gatheredShape[1] = group * perDevice;
      auto gatheredType = RankedTensorType::get(gatheredShape, accType);
      Value member = arith::RemUIOp::create(
          b, loc, rank, arith::ConstantIndexOp::create(b, loc, group));
      Value base = arith::MulIOp::create(
          b, loc, member, arith::ConstantIndexOp::create(b, loc, perDevice));
      // One op per statement: the IR must not depend on the host compiler.
      Value dkGathered = filled(b, loc, gatheredType, 0.0);
      Value dvGathered = filled(b, loc, gatheredType, 0.0);
      auto branch = GatheredBranchAttentionBackwardOp::create(
          b, loc, TypeRange{gradType, gatheredType, gatheredType},
          op.getQuery(), key, value, op.getOutputGrad(), lse, delta, dq,
          dkGathered, dvGathered, base, r, op.getCausal(), op.getScaleAttr(),
          op.getOffsetMode());
      dq = branch.getResult(0);
      dk = scatterOwnRows(b, loc, dk, branch.getResult(1), r,
                          op.getOffsetMode(), group);
      dv = scatterOwnRows(b, loc, dv, branch.getResult(2), r,
                          op.getOffsetMode(), group);
    }
    op.getQueryGrad().replaceAllUsesWith(
        convertTensor(b, loc, dq, op.getQueryGrad().getType()));
    op.getKeyGrad().replaceAllUsesWith(
        convertTensor(b, loc, dk, op.getKeyGrad().getType()));
    op.getValueGrad().replaceAllUsesWith(
        convertTensor(b, loc, dv, op.getValueGrad().getType()));
    op.erase();
  }

  /// Sums `gathered` ([B, G m, H, D], this device's contributions to the
  /// group's gathered rows) over the group, keeps this device's m rows and
  /// adds them to `acc` ([B, l, H, D]) at rows o_h + t r.
  Value scatterOwnRows(OpBuilder &b, Location loc, Value acc, Value gathered,
                       int64_t rate, OffsetMode mode, int64_t group) {
    auto accType = cast<RankedTensorType>(acc.getType());
    SmallVector<int64_t> ownShape(accType.getShape());
    ownShape[1] /= rate;
    Value init =
        tensor::EmptyOp::create(b, loc, ownShape, accType.getElementType());
    Value own = SegmentReduceScatterOp::create(
                    b, loc, TypeRange{init.getType()}, gathered, init, group)
                    .getResult(0);
    MLIRContext *ctx = b.getContext();
    auto identity = AffineMap::getMultiDimIdentityMap(4, ctx);
    SmallVector<utils::IteratorType> iterators(4,
                                               utils::IteratorType::parallel);
    int64_t numHeads = accType.getDimSize(2);
    return linalg::GenericOp::create(
               b, loc, TypeRange{accType}, ValueRange{}, ValueRange{acc},
               ArrayRef<AffineMap>{identity}, iterators,
               [&](OpBuilder &nb, Location nloc, ValueRange args) {
                 KernelBuilder kb(nb, nloc);
                 Value batch = linalg::IndexOp::create(nb, nloc, 0);
                 Value row = linalg::IndexOp::create(nb, nloc, 1);
                 Value head = linalg::IndexOp::create(nb, nloc, 2);
                 Value d = linalg::IndexOp::create(nb, nloc, 3);
                 Value r = kb.idx(rate);
                 Value offset =
                     emitHeadOffset(nb, nloc, mode, head, kb.idx(numHeads), r);
                 // Row o_h + t r is own row t; other rows get nothing.
                 Value shifted = kb.sub(kb.maxU(row, offset), offset);
                 Value t = kb.divU(shifted, r);
                 Value onStride =
                     arith::CmpIOp::create(nb, nloc, arith::CmpIPredicate::eq,
                                           kb.remU(shifted, r), kb.idx(0));
                 Value selected = kb.andI(kb.ule(offset, row), onStride);
                 Value index = kb.select(selected, t, kb.idx(0));
                 Value x = tensor::ExtractOp::create(
                     nb, nloc, own, ValueRange{batch, index, head, d});
                 Value zero = kb.fconst(accType.getElementType(), 0.0);
                 Value added = kb.fadd(args[0], kb.select(selected, x, zero));
                 linalg::YieldOp::create(nb, nloc, added);
               })
        .getResult(0);
  }

  LogicalResult shardFunction(func::FuncOp fn) {
    gathered.clear();
    FailureOr<int64_t> seqLen = getSequenceLength(fn);
    if (failed(seqLen) || failed(checkBody(fn)))
      return failure();
    if (*seqLen % devices != 0)
      return fn.emitError("longnet-shard-sequence: N = ")
             << *seqLen << " of @" << fn.getSymName()
             << " is not a multiple of devices = "
             << static_cast<int64_t>(devices);
    int64_t localRows = *seqLen / devices;
    SmallVector<DilatedAttentionOp> ops(
        fn.getBody().getOps<DilatedAttentionOp>());
    SmallVector<DilatedAttentionBackwardOp> backwardOps(
        fn.getBody().getOps<DilatedAttentionBackwardOp>());
    for (DilatedAttentionOp op : ops)
      if (failed(checkBranches(op, *seqLen, localRows)))
        return failure();
    for (DilatedAttentionBackwardOp op : backwardOps)
      if (failed(checkBranches(op, *seqLen, localRows)))
        return failure();

    // Local types first (the ops read the arguments), then each op.
    Block &body = fn.getBody().front();
    for (BlockArgument arg : body.getArguments())
      arg.setType(localType(arg.getType(), localRows));
    for (DilatedAttentionOp op : ops) {
      op.getOutput().setType(localType(op.getOutput().getType(), localRows));
      if (Value lse = op.getLse())
        lse.setType(localType(lse.getType(), localRows));
    }
    for (DilatedAttentionBackwardOp op : backwardOps)
      for (Value result : op->getResults())
        result.setType(localType(result.getType(), localRows));
    OpBuilder b(fn.getContext());
    b.setInsertionPointToStart(&body);
    Value rank = ProcessRankOp::create(b, fn.getLoc(), b.getIndexType());
    for (DilatedAttentionOp op : ops) {
      b.setInsertionPoint(op);
      shardOp(b, op, rank, *seqLen, localRows);
    }
    for (DilatedAttentionBackwardOp op : backwardOps) {
      b.setInsertionPoint(op);
      shardBackward(b, op, rank, *seqLen, localRows);
    }
    auto returnOp = cast<func::ReturnOp>(body.getTerminator());
    fn.setFunctionType(FunctionType::get(
        fn.getContext(), body.getArgumentTypes(), returnOp.getOperandTypes()));
    return success();
  }

  void runOnOperation() override {
    if (devices < 1) {
      emitError(getOperation().getLoc(),
                "longnet-shard-sequence: devices must be at least 1, got ")
          << static_cast<int64_t>(devices);
      return signalPassFailure();
    }
    for (auto fn : getOperation().getOps<func::FuncOp>()) {
      if (fn.isExternal() ||
          (fn.getBody().getOps<DilatedAttentionOp>().empty() &&
           fn.getBody().getOps<DilatedAttentionBackwardOp>().empty()))
        continue;
      if (failed(shardFunction(fn)))
        return signalPassFailure();
    }
  }
};

} // namespace
