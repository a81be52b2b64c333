//===- TensorCoreBuilder.h - mma.sync fragments and staging -----*- C++ -*-===//
//
// Part of the longnet-mlir project. Private to lib/Conversion/LongNetToGPU.
//
// The tensor-core primitives of the flash kernels, forward and backward:
// cp.async staging of dilated rows into shared memory, ldmatrix loads of
// mma.sync m16n8k16 fragments and the products themselves, for blocks of
// four warps. Fragment layout (lane = 4 g + t):
//   A (16x16): rows g, g+8 and columns 2t, 2t+1, 2t+8, 2t+9, as vector<4x2xT>;
//   B (16x8):  rows (k) 2t, 2t+1, 2t+8, 2t+9 of column g, as vector<2x2xT>;
//   C (16x8):  rows g, g+8, columns 2t, 2t+1, as vector<2x2xf32>.
// The C fragments of a 16-row product over 16 columns are exactly the A
// fragment of those columns (packA), so scores never leave registers.
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_LIB_CONVERSION_LONGNETTOGPU_TENSORCOREBUILDER_H
#define LONGNET_LIB_CONVERSION_LONGNETTOGPU_TENSORCOREBUILDER_H

#include "longnet/Dialect/LongNet/Transforms/KernelBuilder.h"

#include <utility>

namespace mlir {
namespace longnet {

class TensorCoreBuilder : public KernelBuilder {
public:
  static constexpr int64_t kWarpSize = 32;
  static constexpr int64_t kWarps = 4;
  static constexpr int64_t kThreads = kWarps * kWarpSize;
  /// Elements of one 16-byte cp.async chunk and one ldmatrix row.
  static constexpr int64_t kChunk = 8;
  /// Padding of each shared-memory row, in elements: rows of 16 bytes more
  /// than a multiple of 128 keep the eight rows of an ldmatrix in distinct
  /// banks.
  static constexpr int64_t kRowPad = 8;

  TensorCoreBuilder(OpBuilder &b, Location loc, Type elementType,
                    int64_t headDim)
      : KernelBuilder(b, loc), elementType(elementType), headDim(headDim) {}

  /// Whether f16/bf16 rows of `headDim` with these operand layouts can take
  /// the tensor-core kernels (16-byte chunks of contiguous rows).
  static bool supports(Type elementType, int64_t headDim,
                       ArrayRef<Value> rowSources);

  /// The lane's place in its warp and fragments; call in the kernel body,
  /// before any fragment helper.
  void setUpLanes(Value tid);

  /// Rows rowBase + i * rate (i in [firstIndex, firstIndex + numRows)) of
  /// `source` [B, N, H, D] at (batch, head) into `smem` from row smemRow0,
  /// by all threads of the block; rows at i >= limit are zero-filled without
  /// reading. Returns the copies' tokens.
  SmallVector<Value> copyRows(Value smem, Value source, Value batch, Value head,
                              Value rowBase, Value rate, Value firstIndex,
                              Value limit, int64_t numRows, Value smemRow0);
  Value commitGroup(ValueRange tokens);
  /// Waits until at most `pending` of the most recent groups are in flight.
  void waitGroups(Value group, int64_t pending);

  /// The A fragment of rows [row0, row0 + 16), columns [col0, col0 + 16) of
  /// `smem`.
  Value loadA(Value smem, Value row0, Value col0);
  /// The B fragments of X^T for a product A . X^T: rows [row0, row0 + 16) of
  /// `smem` (columns n of B, two n-blocks) and columns [col0, col0 + 16) (k).
  std::pair<Value, Value> loadRowsAsB(Value smem, Value row0, Value col0);
  /// The B fragments of X for a product A . X: rows [row0, row0 + 16) of
  /// `smem` (k) and columns [col0, col0 + 16) (n, two n-blocks).
  std::pair<Value, Value> loadColumnsAsB(Value smem, Value row0, Value col0);

  /// C += A . B, m16n8k16 with f32 accumulation.
  Value mma(Value a, Value bFrag, Value c);
  /// The A fragment vector<4x2xT> from 8 f32 values in fragment order.
  Value packA(ArrayRef<Value> elements);
  /// The A fragment of the 16 columns [16 ks, 16 ks + 16) of C fragments
  /// held as element(nb, half, c).
  template <typename Fn> Value packColumns(int64_t ks, Fn element) {
    return packA({element(2 * ks, 0, 0), element(2 * ks, 0, 1),
                  element(2 * ks, 1, 0), element(2 * ks, 1, 1),
                  element(2 * ks + 1, 0, 0), element(2 * ks + 1, 0, 1),
                  element(2 * ks + 1, 1, 0), element(2 * ks + 1, 1, 1)});
  }
  /// A zero C fragment.
  Value zeroC();
  Value elementOf(Value c, int64_t half, int64_t col);
  Value withElement(Value c, Value element, int64_t half, int64_t col);
  /// Max or sum over the four lanes of a quad (the threads sharing a row).
  Value quadReduce(Value x, bool isMax);

  Type elementType;
  int64_t headDim;
  Value lane, warp;
  Value groupRow; // g: the fragment rows g and g + 8
  Value groupCol; // 2t: the C fragment columns 2t and 2t + 1

private:
  Value ldmatrix(Value smem, Value row, Value col, bool transpose);
  /// Rows [first, first + 2) of a vector<4x2xT> as a vector<2x2xT>.
  Value rowsOf(Value fragment4, int64_t first);

  Value laneRow;    // lane % 8: the row of an 8x8 matrix this lane addresses
  Value matrixLow;  // (lane / 8) % 2
  Value matrixHigh; // lane / 16
};

} // namespace longnet
} // namespace mlir

#endif // LONGNET_LIB_CONVERSION_LONGNETTOGPU_TENSORCOREBUILDER_H
