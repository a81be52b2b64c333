//===- KernelBuilder.h - Builder helpers of the kernel emitters -*- C++ -*-===//
//
// Part of the longnet-mlir project.
//
// Index, float and control-flow helpers at a builder's insertion point,
// shared by the CPU flash and matmul emitters (LoopEmitter) and the GPU
// flash kernels (longnet-convert-attention-to-nvgpu).
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_DIALECT_LONGNET_TRANSFORMS_KERNELBUILDER_H
#define LONGNET_DIALECT_LONGNET_TRANSFORMS_KERNELBUILDER_H

#include "longnet/Dialect/LongNet/Transforms/Utils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"

#include <limits>

namespace mlir {
namespace longnet {

/// Index, float and control-flow helpers at a builder's insertion point.
class KernelBuilder {
public:
  KernelBuilder(OpBuilder &b, Location loc) : b(b), loc(loc) {}

  Value idx(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value f32(double v) {
    return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v));
  }
  Value fconst(Type type, double v) {
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(type, v));
  }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubIOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }
  Value divU(Value x, Value y) { return arith::DivUIOp::create(b, loc, x, y); }
  Value remU(Value x, Value y) { return arith::RemUIOp::create(b, loc, x, y); }
  Value minU(Value x, Value y) { return arith::MinUIOp::create(b, loc, x, y); }
  Value maxU(Value x, Value y) { return arith::MaxUIOp::create(b, loc, x, y); }
  Value ceilDiv(Value x, Value y) {
    return arith::CeilDivUIOp::create(b, loc, x, y);
  }
  Value ult(Value x, Value y) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, x, y);
  }
  Value ule(Value x, Value y) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ule, x, y);
  }
  Value andI(Value x, Value y) { return arith::AndIOp::create(b, loc, x, y); }
  Value select(Value c, Value x, Value y) {
    return arith::SelectOp::create(b, loc, c, x, y);
  }
  Value fadd(Value x, Value y) { return arith::AddFOp::create(b, loc, x, y); }
  Value fsub(Value x, Value y) { return arith::SubFOp::create(b, loc, x, y); }
  Value fmul(Value x, Value y) { return arith::MulFOp::create(b, loc, x, y); }
  Value fdiv(Value x, Value y) { return arith::DivFOp::create(b, loc, x, y); }
  Value fmax(Value x, Value y) {
    return arith::MaximumFOp::create(b, loc, x, y);
  }
  Value isNegInf(Value x) {
    return arith::CmpFOp::create(
        b, loc, arith::CmpFPredicate::OEQ, x,
        fconst(x.getType(), -std::numeric_limits<double>::infinity()));
  }
  Value exp(Value x) { return math::ExpOp::create(b, loc, x); }
  Value exp2(Value x) { return math::Exp2Op::create(b, loc, x); }
  Value log(Value x) { return math::LogOp::create(b, loc, x); }
  Value log2(Value x) { return math::Log2Op::create(b, loc, x); }
  Value extTo(Type type, Value x) {
    return x.getType() == type ? x : arith::ExtFOp::create(b, loc, type, x);
  }
  Value fabs(Value x) { return math::AbsFOp::create(b, loc, x); }
  Value fneg(Value x) { return arith::NegFOp::create(b, loc, x); }
  Value fge(Value x, Value y) {
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGE, x, y);
  }

  /// The weights of Eq. 10 that merge a branch (log-sum-exp `branchLse`)
  /// into running accumulators (`oldLse`, -inf when empty):
  ///   keep = sigmoid(oldLse - branchLse), fresh = sigmoid(branchLse - oldLse)
  /// and the combined lse. Both weights come from one rounded difference
  /// d and e = exp(-|d|): the larger is 1 / (1 + e), the smaller e / (1 + e),
  /// so keep + fresh = 1 to within two roundings whatever |lse| is (a merge
  /// through exp(lse - L) with L rounded near |lse| ~ 1e4 or beyond does
  /// not sum to one). lse = max + log(1 + e).
  struct MergeWeights {
    Value keep, fresh, lse;
  };
  MergeWeights mergeWeights(Value oldLse, Value branchLse) {
    Type type = oldLse.getType();
    Value diff = fsub(oldLse, branchLse);
    Value e = exp(fneg(fabs(diff)));
    Value onePlusE = fadd(fconst(type, 1.0), e);
    Value large = fdiv(fconst(type, 1.0), onePlusE);
    Value small = fmul(e, large);
    Value oldWins = fge(diff, fconst(type, 0.0));
    MergeWeights w;
    w.keep = select(oldWins, large, small);
    w.fresh = select(oldWins, small, large);
    // One statement per op: argument evaluation order is unspecified, and
    // the emitted IR must not depend on the host compiler.
    Value logOnePlusE = log(onePlusE);
    Value top = fmax(oldLse, branchLse);
    w.lse = fadd(top, logOnePlusE);
    return w;
  }

  /// Runs `body` under `condition` (no results).
  template <typename Fn> void ifThen(Value condition, Fn body) {
    auto ifOp = scf::IfOp::create(b, loc, condition, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(ifOp.thenBlock()->getTerminator());
    body();
  }

  /// scf.if yielding one value: `then()` under `condition`, else `otherwise`.
  template <typename Fn>
  Value ifElse(Value condition, Fn then, Value otherwise) {
    auto ifOp = scf::IfOp::create(b, loc, TypeRange{otherwise.getType()},
                                  condition, /*withElseRegion=*/true);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifOp.thenBlock());
    scf::YieldOp::create(b, loc, then());
    b.setInsertionPointToStart(ifOp.elseBlock());
    scf::YieldOp::create(b, loc, otherwise);
    return ifOp.getResult(0);
  }

  /// scf.for over [lb, ub) carrying `inits`; `body` returns the yields.
  template <typename Fn>
  SmallVector<Value> forLoop(Value lb, Value ub, Value step, ValueRange inits,
                             Fn body) {
    return buildForLoop(b, loc, lb, ub, step, inits, body);
  }

  OpBuilder &b;
  Location loc;
};

} // namespace longnet
} // namespace mlir

#endif // LONGNET_DIALECT_LONGNET_TRANSFORMS_KERNELBUILDER_H
