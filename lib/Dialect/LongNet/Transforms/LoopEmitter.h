//===- LoopEmitter.h - Builder helpers for the CPU kernels ------*- C++ -*-===//
//
// Part of the longnet-mlir project. Private to lib/Dialect/LongNet/Transforms:
// index arithmetic, constants, vector splats and scf.for construction shared
// by the flash-attention and matmul emitters.
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_LIB_DIALECT_LONGNET_TRANSFORMS_LOOPEMITTER_H
#define LONGNET_LIB_DIALECT_LONGNET_TRANSFORMS_LOOPEMITTER_H

#include "longnet/Dialect/LongNet/Transforms/KernelBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"

namespace mlir {
namespace longnet {

/// Emits code at a builder's insertion point, computing in `computeType`
/// with vectors of `lanes` elements.
class LoopEmitter : public KernelBuilder {
protected:
  LoopEmitter(OpBuilder &b, Location loc, Type computeType, int64_t lanes)
      : KernelBuilder(b, loc), computeType(computeType),
        vectorType(VectorType::get({lanes}, computeType)) {}

  using KernelBuilder::fconst;
  /// A constant of the compute type.
  Value fconst(double v) {
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(computeType, v));
  }
  Value minIdx(Value x, Value y) { return minU(x, y); }
  Value roundUp(Value x, int64_t m) { return mul(ceilDiv(x, idx(m)), idx(m)); }
  Value splat(Value scalar) {
    return vector::BroadcastOp::create(b, loc, vectorType, scalar);
  }

  /// Loads one element, converted to computeType.
  Value loadElement(Value memref, ValueRange indices) {
    Value v = memref::LoadOp::create(b, loc, memref, indices);
    if (v.getType() == computeType)
      return v;
    return arith::ExtFOp::create(b, loc, computeType, v);
  }

  Type computeType;
  VectorType vectorType;
};

/// The register-blocked vector kernels of the CPU flash forward and
/// backward: blocks of kRowBlock rows by two vectors, accumulated in
/// registers over a reduction loop, on local row-major tiles.
class CPUTileEmitter : public LoopEmitter {
public:
  /// Rows per register block.
  static constexpr int64_t kRowBlock = 6;

protected:
  CPUTileEmitter(OpBuilder &b, Location loc, Type computeType, int64_t lanes)
      : LoopEmitter(b, loc, computeType, lanes), lanes(lanes) {}

  /// A local buffer of the compute type; `dims` are static sizes or
  /// ShapedType::kDynamic with the matching value in `dynamic`. Heap
  /// allocated (64-byte aligned) and freed by freeLocalBuffers(): a stack
  /// allocation inside a parallel loop would grow the stack at every
  /// iteration once lowered, and a tile's work dwarfs a malloc.
  Value localBuffer(ArrayRef<int64_t> dims, ValueRange dynamic) {
    Value buffer =
        memref::AllocOp::create(b, loc, MemRefType::get(dims, computeType),
                                dynamic, b.getI64IntegerAttr(64));
    localBuffers.push_back(buffer);
    return buffer;
  }
  void freeLocalBuffers() {
    for (Value buffer : localBuffers)
      memref::DeallocOp::create(b, loc, buffer);
    localBuffers.clear();
  }

  /// for k in [0, ub): acc[2 r + c] += scalar(k, r) * vectors[k, col_c] for
  /// kRowBlock broadcast scalars r and the two vectors of `vectors` at
  /// columns col0 and col1. Returns the accumulators.
  template <typename ScalarFn>
  SmallVector<Value> blockedOuterProducts(Value ub, ValueRange inits,
                                          Value vectors, Value col0, Value col1,
                                          ScalarFn scalar) {
    return forLoop(idx(0), ub, idx(1), inits, [&](Value k, ValueRange acc) {
      Value v0 = vector::LoadOp::create(b, loc, vectorType, vectors,
                                        ValueRange{k, col0});
      Value v1 = vector::LoadOp::create(b, loc, vectorType, vectors,
                                        ValueRange{k, col1});
      SmallVector<Value> next;
      for (int64_t r = 0; r < kRowBlock; ++r) {
        Value s = splat(scalar(k, r));
        next.push_back(vector::FMAOp::create(b, loc, s, v0, acc[2 * r]));
        next.push_back(vector::FMAOp::create(b, loc, s, v1, acc[2 * r + 1]));
      }
      return next;
    });
  }

  /// The register block of `buffer` at rows row0 + r, columns col0, col1.
  SmallVector<Value> loadBlock(Value buffer, Value row0, Value col0,
                               Value col1) {
    SmallVector<Value> block;
    for (int64_t r = 0; r < kRowBlock; ++r) {
      Value row = add(row0, idx(r));
      for (Value col : {col0, col1})
        block.push_back(vector::LoadOp::create(b, loc, vectorType, buffer,
                                               ValueRange{row, col}));
    }
    return block;
  }

  /// Stores a register block: row0 + r, columns col0 and col1.
  void storeBlock(ValueRange acc, Value buffer, Value row0, Value col0,
                  Value col1) {
    for (int64_t r = 0; r < kRowBlock; ++r) {
      Value row = add(row0, idx(r));
      vector::StoreOp::create(b, loc, acc[2 * r], buffer,
                              ValueRange{row, col0});
      vector::StoreOp::create(b, loc, acc[2 * r + 1], buffer,
                              ValueRange{row, col1});
    }
  }

  /// out[j, i] = sum_{d < depth} rows[j, d] * colsT[d, i] for j < numRows
  /// (a multiple of kRowBlock) and i < numCols (a multiple of two vectors).
  void transposedProduct(Value out, Value rows, Value colsT, Value numRows,
                         Value numCols, Value depth) {
    Value zero = idx(0);
    forLoop(zero, numRows, idx(kRowBlock), {}, [&](Value j0, ValueRange) {
      forLoop(zero, numCols, idx(2 * lanes), {}, [&](Value i0, ValueRange) {
        Value i1 = add(i0, idx(lanes));
        SmallVector<Value> inits(2 * kRowBlock, splat(fconst(0.0)));
        SmallVector<Value> sums = blockedOuterProducts(
            depth, inits, colsT, i0, i1, [&](Value d, int64_t r) -> Value {
              return memref::LoadOp::create(b, loc, rows,
                                            ValueRange{add(j0, idx(r)), d});
            });
        storeBlock(sums, out, j0, i0, i1);
        return SmallVector<Value>();
      });
      return SmallVector<Value>();
    });
  }

  /// acc[j, :] += sum_{k < depth} scalars(k, j) * vectors[k, :] for
  /// j < numRows (a multiple of kRowBlock) over `width` columns (a multiple
  /// of two vectors); `scalar(k, j)` loads one coefficient.
  template <typename ScalarFn>
  void accumulateProduct(Value acc, Value vectors, Value numRows, Value width,
                         Value depth, ScalarFn scalar) {
    Value zero = idx(0);
    forLoop(zero, numRows, idx(kRowBlock), {}, [&](Value j0, ValueRange) {
      forLoop(zero, width, idx(2 * lanes), {}, [&](Value d0, ValueRange) {
        Value d1 = add(d0, idx(lanes));
        SmallVector<Value> sums = blockedOuterProducts(
            depth, loadBlock(acc, j0, d0, d1), vectors, d0, d1,
            [&](Value k, int64_t r) { return scalar(k, add(j0, idx(r))); });
        storeBlock(sums, acc, j0, d0, d1);
        return SmallVector<Value>();
      });
      return SmallVector<Value>();
    });
  }

  int64_t lanes;
  SmallVector<Value> localBuffers;
};

struct BackwardProblem;

/// Emits the CPU loop nest of a bufferized longnet.branch_attention_backward
/// at the builder's insertion point (TileBackward.cpp): the backward tile
/// program (TileProgram.h), one worker per (batch, head, segment), on
/// `lanes`-wide vectors of the compute type.
void emitCPUBackward(OpBuilder &b, Location loc, const BackwardProblem &p,
                     int64_t queryTile, int64_t keyTile, int64_t lanes);

} // namespace longnet
} // namespace mlir

#endif // LONGNET_LIB_DIALECT_LONGNET_TRANSFORMS_LOOPEMITTER_H
