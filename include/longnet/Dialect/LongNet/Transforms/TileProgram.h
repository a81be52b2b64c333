//===- TileProgram.h - The backward as one tile program ---------*- C++ -*-===//
//
// Part of the longnet-mlir project.
//
// The tiled backward of one dilated branch, written once: which rows a
// (batch, head, segment) selects, the loops over query and key tiles, causal
// tile skipping and where the per-element mask is needed, and the order of
// the tile steps of FlashAttention-2's backward with the mixture's combined
// lse and shared delta:
//
//   S  = scale Q K^T,  P = exp(S - lse)   (masked above the diagonal)
//   dP = dO V^T,       dS = scale P (dP - delta)
//   dV += P^T dO,      dK += dS^T Q,      dQ += dS K
//
// Rows are addressed in place (`g*w + o_h + i*r`): nothing is gathered. A
// target implements the tile primitives (`BackwardTiles`): staging rows into
// its local tiles, the tile products, the elementwise softmax step, and the
// stores; the program decides what runs when.
//
// Loop orders (FlashAttention-2's deterministic scheme, no atomics):
//  * QueryOuter with every gradient: one worker owns a whole segment and
//    accumulates dQ in its query tile and dK/dV in place (the CPU);
//  * KeyOuter computing dK/dV only: one worker per key tile;
//  * QueryOuter computing dQ only: one worker per query tile.
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_DIALECT_LONGNET_TRANSFORMS_TILEPROGRAM_H
#define LONGNET_DIALECT_LONGNET_TRANSFORMS_TILEPROGRAM_H

#include "longnet/Dialect/LongNet/Transforms/KernelBuilder.h"

namespace mlir {
namespace longnet {

/// What one bufferized longnet.branch_attention_backward asks for.
struct BackwardProblem {
  Value query, key, value, outputGrad, lse, delta;
  Value queryGrad, keyGrad, valueGrad; // accumulators
  int64_t segmentLength = 1;
  int64_t dilationRate = 1;
  OffsetMode offsetMode = OffsetMode::cyclic;
  bool causal = false;
  std::optional<double> scale; // none: 1/sqrt(D) with D dynamic
  /// longnet.gathered_branch_attention_backward: the index of the first
  /// local query among its segment's selected rows; keys, values and their
  /// gradients are then the gathered selected rows.
  Value queryBase;
};

/// The problem of a longnet.branch_attention_backward or
/// longnet.gathered_branch_attention_backward; std::nullopt for any other op.
std::optional<BackwardProblem> getBackwardProblem(Operation *op);

/// The selected rows of one (batch, head, segment): row `rowBase + i * rate`
/// is selected (query) row i, for i < numSel; key j is row
/// `keyRowBase + j * keyRate` of K and V, for j < numKeys (the query rows
/// themselves, or the rows of a gathered segment); query i has index
/// `queryIndexBase + i` among the keys (causal masking; null: i).
struct SegmentRows {
  Value batch, head, rowBase, rate, numSel;
  Value keyRowBase, keyRate, numKeys, queryIndexBase;
  Value queryRow(KernelBuilder &kb, Value i) const {
    return kb.add(rowBase, kb.mul(i, rate));
  }
  Value keyRow(KernelBuilder &kb, Value j) const {
    return kb.add(keyRowBase, kb.mul(j, keyRate));
  }
  Value queryIndex(KernelBuilder &kb, Value i) const {
    return queryIndexBase ? kb.add(queryIndexBase, i) : i;
  }
  /// The end of the keys that queries before `queryEnd` see: every key, or
  /// with `causal` those up to the last of them (the rest are masked).
  Value keyEnd(KernelBuilder &kb, bool causal, Value queryEnd) const {
    return causal ? kb.minU(numKeys, queryIndex(kb, queryEnd)) : numKeys;
  }
};

/// Emits the SegmentRows of `segment` (SPEC "One branch"): offset o_h of
/// the head, segment start g*w, and the number of rows at o_h, o_h + r, ...
/// inside the (possibly partial) segment; 0 when o_h is beyond it.
SegmentRows emitSegmentRows(KernelBuilder &kb, OffsetMode mode, Value batch,
                            Value head, Value numHeads, Value segment,
                            Value segLen, Value seqLen, Value rate);

/// The rows of one (batch, head) of a gathered problem: the local queries
/// o_h + i * r (i < l / r, index queryBase + i) against the `numKeys`
/// gathered rows 0, 1, ... .
SegmentRows emitGatheredRows(KernelBuilder &kb, OffsetMode mode, Value batch,
                             Value head, Value numHeads, Value localRows,
                             Value rate, Value numKeys, Value queryBase);

/// The tile primitives of a target. A query tile is `numQ` selected rows
/// from `qStart`, a key tile `numK` from `kStart`; at most the program's
/// tile sizes.
class BackwardTiles {
public:
  virtual ~BackwardTiles() = default;
  /// Local tiles of one worker (buffers, registers).
  virtual void begin() = 0;
  virtual void end() = 0;
  /// Q, dO, lse and delta of the query tile; a zero dQ tile when dQ is
  /// computed.
  virtual void loadQueryTile(const SegmentRows &rows, Value qStart,
                             Value numQ) = 0;
  /// K and V of the key tile; its dK and dV accumulators when computed.
  virtual void loadKeyTile(const SegmentRows &rows, Value kStart,
                           Value numK) = 0;
  /// S = scale Q K^T and dP = dO V^T of the loaded tiles.
  virtual void products() = 0;
  /// P = exp(S - lse) and dS = scale P (dP - delta); with `mask`, pairs of a
  /// key after its query (key index kStart + j > query index qIndex + i,
  /// qIndex the index of the tile's first query among the keys) get P = 0.
  virtual void softmaxGrad(Value qIndex, Value kStart, bool mask) = 0;
  virtual void accumulateValueGrad() = 0; // dV += P^T dO
  virtual void accumulateKeyGrad() = 0;   // dK += dS^T Q
  virtual void accumulateQueryGrad() = 0; // dQ += dS K
  /// Adds the key tile's dK and dV back to the accumulators in memory.
  virtual void storeKeyTile(const SegmentRows &rows, Value kStart,
                            Value numK) = 0;
  /// Adds the query tile's dQ to the accumulator in memory.
  virtual void storeQueryTile(const SegmentRows &rows, Value qStart,
                              Value numQ) = 0;
};

class BackwardProgram {
public:
  enum class Order { QueryOuter, KeyOuter };
  struct Gradients {
    bool query = true, keyValue = true;
  };

  BackwardProgram(KernelBuilder &kb, BackwardTiles &tiles, bool causal,
                  int64_t queryTile, int64_t keyTile)
      : kb(kb), tiles(tiles), causal(causal), queryTile(queryTile),
        keyTile(keyTile) {}

  /// The whole segment `rows` by one worker, in `order`, for `gradients`.
  void emitSegment(const SegmentRows &rows, Order order, Gradients gradients);

  /// One query tile against every key tile it sees (causal: up to its
  /// diagonal); dK/dV of the key tiles too when asked.
  void emitQueryTile(const SegmentRows &rows, Value qStart,
                     Gradients gradients);
  /// One key tile against every query tile that sees it (causal: from its
  /// diagonal on); dK and dV only.
  void emitKeyTile(const SegmentRows &rows, Value kStart);

private:
  /// One (query tile, key tile) pair: the steps in their order.
  void emitPair(const SegmentRows &rows, Value qStart, Value kStart, Value numK,
                Gradients gradients);

  KernelBuilder &kb;
  BackwardTiles &tiles;
  bool causal;
  int64_t queryTile, keyTile;
};

} // namespace longnet
} // namespace mlir

#endif // LONGNET_DIALECT_LONGNET_TRANSFORMS_TILEPROGRAM_H
