//===- HostBuffersToGPU.cpp - Device memory for a GPU model's buffers -----===//
//
// Part of the longnet-mlir project.
//
// A GPU model takes and returns device buffers; its temporaries live there
// too. Host functions' memref.alloc/dealloc become gpu.alloc/dealloc and
// memref.copy becomes gpu.memcpy when both sides are contiguous, or an
// elementwise scf.parallel copy (a kernel, once loops are mapped) otherwise.
//
//===----------------------------------------------------------------------===//

#include "longnet/Conversion/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::longnet {
#define GEN_PASS_DEF_LONGNETHOSTBUFFERSTOGPU
#include "longnet/Conversion/Passes.h.inc"
} // namespace mlir::longnet

using namespace mlir;

namespace {

/// Device code, or a parallel loop body that will become device code.
bool isInKernel(Operation *op) {
  return op->getParentOfType<gpu::LaunchOp>() ||
         op->getParentOfType<gpu::GPUModuleOp>() ||
         op->getParentOfType<scf::ParallelOp>();
}

void rewriteAlloc(RewriterBase &rewriter, memref::AllocOp alloc) {
  rewriter.setInsertionPoint(alloc);
  rewriter.replaceOpWithNewOp<gpu::AllocOp>(
      alloc, alloc.getType(), /*asyncToken=*/Type(), ValueRange{},
      alloc.getDynamicSizes(), alloc.getSymbolOperands(),
      /*hostShared=*/nullptr);
}

void rewriteCopy(RewriterBase &rewriter, memref::CopyOp copy) {
  auto sourceType = cast<MemRefType>(copy.getSource().getType());
  auto targetType = cast<MemRefType>(copy.getTarget().getType());
  rewriter.setInsertionPoint(copy);
  if (sourceType.getLayout().isIdentity() &&
      targetType.getLayout().isIdentity()) {
    rewriter.replaceOpWithNewOp<gpu::MemcpyOp>(copy, /*asyncToken=*/Type(),
                                               ValueRange{}, copy.getTarget(),
                                               copy.getSource());
    return;
  }
  // Strided views: an elementwise parallel copy.
  Location loc = copy.getLoc();
  Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
  Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
  SmallVector<Value> lbs, ubs, steps;
  for (int64_t dim = 0; dim < sourceType.getRank(); ++dim) {
    lbs.push_back(zero);
    ubs.push_back(memref::DimOp::create(rewriter, loc, copy.getSource(), dim));
    steps.push_back(one);
  }
  scf::ParallelOp::create(
      rewriter, loc, lbs, ubs, steps,
      [&](OpBuilder &b, Location loc, ValueRange ivs) {
        Value v = memref::LoadOp::create(b, loc, copy.getSource(), ivs);
        memref::StoreOp::create(b, loc, v, copy.getTarget(), ivs);
      });
  rewriter.eraseOp(copy);
}

struct HostBuffersToGPUPass
    : public longnet::impl::LongNetHostBuffersToGPUBase<HostBuffersToGPUPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    SmallVector<Operation *> ops;
    getOperation().walk([&](Operation *op) {
      if (isa<memref::AllocOp, memref::DeallocOp, memref::CopyOp,
              memref::GetGlobalOp>(op) &&
          !isInKernel(op))
        ops.push_back(op);
    });
    for (Operation *op : ops) {
      if (auto alloc = dyn_cast<memref::AllocOp>(op)) {
        rewriteAlloc(rewriter, alloc);
      } else if (auto dealloc = dyn_cast<memref::DeallocOp>(op)) {
        rewriter.setInsertionPoint(dealloc);
        rewriter.replaceOpWithNewOp<gpu::DeallocOp>(
            dealloc, /*asyncToken=*/Type(), ValueRange{}, dealloc.getMemref());
      } else if (auto copy = dyn_cast<memref::CopyOp>(op)) {
        rewriteCopy(rewriter, copy);
      } else {
        op->emitOpError("reads a constant global in host code, which a GPU "
                        "model cannot pass to its kernels yet; pass the "
                        "constant as an argument");
        return signalPassFailure();
      }
    }
  }
};

} // namespace
