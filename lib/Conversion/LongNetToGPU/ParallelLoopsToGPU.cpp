//===- ParallelLoopsToGPU.cpp - Outermost scf.parallel as GPU kernels -----===//
//
// Part of the longnet-mlir project.
//
// A GPU model's host code may only allocate, copy and launch: every
// outermost scf.parallel becomes a gpu.launch of one-dimensional blocks over
// its linearised iteration space, and whatever still touches a buffer's
// elements on the host is reported.
//
//===----------------------------------------------------------------------===//

#include "longnet/Conversion/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/IRMapping.h"

namespace mlir::longnet {
#define GEN_PASS_DEF_LONGNETMAPPARALLELLOOPSTOGPU
#include "longnet/Conversion/Passes.h.inc"
} // namespace mlir::longnet

using namespace mlir;

namespace {

/// Replaces `loop` by a guarded gpu.launch running one iteration per thread.
LogicalResult mapLoop(scf::ParallelOp loop, int64_t blockSize) {
  if (loop.getNumResults() != 0)
    return loop.emitOpError(
        "with reductions cannot be mapped to a GPU kernel by "
        "longnet-map-parallel-loops-to-gpu");
  OpBuilder b(loop);
  Location loc = loop.getLoc();
  auto idx = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  // Trip count of every dimension, and of the whole space.
  SmallVector<Value> tripCounts;
  Value total = idx(1);
  for (auto [lb, ub, step] :
       llvm::zip(loop.getLowerBound(), loop.getUpperBound(), loop.getStep())) {
    Value extent = arith::SubIOp::create(
        b, loc, arith::MaxSIOp::create(b, loc, ub, lb), lb);
    Value trips = arith::CeilDivUIOp::create(b, loc, extent, step);
    tripCounts.push_back(trips);
    total = arith::MulIOp::create(b, loc, total, trips);
  }
  Value zero = idx(0), one = idx(1), block = idx(blockSize);
  Value nonEmpty =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ugt, total, zero);
  auto guard = scf::IfOp::create(b, loc, nonEmpty, /*withElseRegion=*/false);
  b.setInsertionPoint(guard.thenBlock()->getTerminator());
  Value grid = arith::CeilDivUIOp::create(b, loc, total, block);
  auto launch = gpu::LaunchOp::create(b, loc, grid, one, one, block, one, one);
  b.setInsertionPointToStart(&launch.getBody().front());
  Value id = arith::AddIOp::create(
      b, loc, arith::MulIOp::create(b, loc, launch.getBlockIds().x, block),
      launch.getThreadIds().x);
  Value inRange =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, id, total);
  auto body = scf::IfOp::create(b, loc, inRange, /*withElseRegion=*/false);
  gpu::TerminatorOp::create(b, loc);

  // Delinearise, innermost dimension fastest (coalesced for row-major
  // buffers), and clone the loop body.
  b.setInsertionPoint(body.thenBlock()->getTerminator());
  IRMapping mapping;
  Value rest = id;
  for (int64_t dim = loop.getNumLoops() - 1; dim >= 0; --dim) {
    Value position = arith::RemUIOp::create(b, loc, rest, tripCounts[dim]);
    rest = arith::DivUIOp::create(b, loc, rest, tripCounts[dim]);
    Value iv = arith::AddIOp::create(
        b, loc, loop.getLowerBound()[dim],
        arith::MulIOp::create(b, loc, position, loop.getStep()[dim]));
    mapping.map(loop.getInductionVars()[dim], iv);
  }
  for (Operation &op : loop.getBody()->without_terminator())
    b.clone(op, mapping);
  loop.erase();
  return success();
}

/// Host operations that read or write a buffer's elements.
bool accessesElements(Operation *op) {
  return isa<memref::LoadOp, memref::StoreOp, memref::CopyOp, vector::LoadOp,
             vector::StoreOp, vector::TransferReadOp, vector::TransferWriteOp,
             affine::AffineLoadOp, affine::AffineStoreOp, linalg::LinalgOp>(op);
}

struct MapParallelLoopsToGPUPass
    : public longnet::impl::LongNetMapParallelLoopsToGPUBase<
          MapParallelLoopsToGPUPass> {
  using Base::Base;

  void runOnOperation() override {
    if (blockSize < 1 || blockSize > 1024) {
      emitError(getOperation().getLoc(),
                "longnet-map-parallel-loops-to-gpu: block-size must be in "
                "[1, 1024], got ")
          << static_cast<int64_t>(blockSize);
      return signalPassFailure();
    }
    SmallVector<scf::ParallelOp> loops;
    getOperation().walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (isa<gpu::LaunchOp>(op))
        return WalkResult::skip();
      if (auto loop = dyn_cast<scf::ParallelOp>(op)) {
        loops.push_back(loop);
        return WalkResult::skip();
      }
      return WalkResult::advance();
    });
    for (scf::ParallelOp loop : loops)
      if (failed(mapLoop(loop, blockSize)))
        return signalPassFailure();

    // Whatever is left on the host must not touch device buffers.
    WalkResult result =
        getOperation().walk<WalkOrder::PreOrder>([&](Operation *op) {
          if (isa<gpu::LaunchOp>(op))
            return WalkResult::skip();
          if (accessesElements(op)) {
            op->emitOpError("reads or writes buffer elements in host code "
                            "of a GPU model; only parallel loops and "
                            "longnet ops run on the device");
            return WalkResult::interrupt();
          }
          return WalkResult::advance();
        });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace
