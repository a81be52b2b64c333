//===- CPUPreparation.cpp - Small CPU-specific preparation passes -*- C++ -*-//
//
// Part of the longnet-mlir project.
//
//===----------------------------------------------------------------------===//

#include "longnet/Dialect/LongNet/Transforms/Passes.h"
#include "longnet/Dialect/LongNet/Transforms/Utils.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::longnet {
#define GEN_PASS_DEF_LONGNETAPPROXIMATEMATH
#define GEN_PASS_DEF_LONGNETEXPORTCINTERFACE
#define GEN_PASS_DEF_LONGNETINTERCHANGEMATMULS
#define GEN_PASS_DEF_LONGNETSEQUENTIALIZENESTEDPARALLEL
#include "longnet/Dialect/LongNet/Transforms/Passes.h.inc"
} // namespace mlir::longnet

using namespace mlir;

namespace {
struct ApproximateMathPass
    : public longnet::impl::LongNetApproximateMathBase<ApproximateMathPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

struct ExportCInterfacePass
    : public longnet::impl::LongNetExportCInterfaceBase<ExportCInterfacePass> {
  void runOnOperation() override {
    UnitAttr unit = UnitAttr::get(&getContext());
    for (auto fn : getOperation().getOps<func::FuncOp>())
      if (fn.isPublic() && !fn.isExternal())
        fn->setAttr("llvm.emit_c_interface", unit);
  }
};

struct InterchangeMatmulsPass
    : public longnet::impl::LongNetInterchangeMatmulsBase<
          InterchangeMatmulsPass> {
  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> ops;
    getOperation()->walk([&](linalg::LinalgOp op) {
      if (isa<linalg::MatmulOp, linalg::BatchMatmulOp>(op) &&
          op.hasPureTensorSemantics())
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : ops)
      longnet::interchangeMatmulLoops(rewriter, op);
  }
};

struct SequentializeNestedParallelPass
    : public longnet::impl::LongNetSequentializeNestedParallelBase<
          SequentializeNestedParallelPass> {
  void runOnOperation() override {
    SmallVector<scf::ParallelOp> nested;
    getOperation()->walk([&](scf::ParallelOp op) {
      if (op->getParentOfType<scf::ParallelOp>())
        nested.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    // Post-order walk: inner loops are rewritten before the loops around them.
    for (scf::ParallelOp op : nested) {
      rewriter.setInsertionPoint(op);
      if (failed(scf::parallelForToNestedFors(rewriter, op)))
        return signalPassFailure();
    }
  }
};
} // namespace
