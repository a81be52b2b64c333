//===- TensorCoreBuilder.cpp - mma.sync fragments and staging -------------===//
//
// Part of the longnet-mlir project. See TensorCoreBuilder.h.
//
//===----------------------------------------------------------------------===//

#include "TensorCoreBuilder.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::longnet;

bool TensorCoreBuilder::supports(Type elementType, int64_t headDim,
                                 ArrayRef<Value> rowSources) {
  if (!(elementType.isF16() || elementType.isBF16()) ||
      ShapedType::isDynamic(headDim) || headDim % 16 != 0)
    return false;
  return llvm::all_of(rowSources, [](Value source) {
    return cast<MemRefType>(source.getType()).getLayout().isIdentity();
  });
}

void TensorCoreBuilder::setUpLanes(Value tid) {
  warp = divU(tid, idx(kWarpSize));
  lane = remU(tid, idx(kWarpSize));
  groupRow = divU(lane, idx(4));
  groupCol = mul(remU(lane, idx(4)), idx(2));
  laneRow = remU(lane, idx(8));
  Value laneMatrix = divU(lane, idx(8));
  matrixLow = remU(laneMatrix, idx(2));
  matrixHigh = divU(laneMatrix, idx(2));
}

SmallVector<Value>
TensorCoreBuilder::copyRows(Value smem, Value source, Value batch, Value head,
                            Value rowBase, Value rate, Value firstIndex,
                            Value limit, int64_t numRows, Value smemRow0) {
  // numRows x D elements in 16-byte chunks; consecutive threads copy
  // consecutive chunks of a row (coalesced). Invalid rows are zero-filled
  // (src-size 0) from a valid address.
  int64_t chunksPerRow = headDim / kChunk;
  int64_t total = numRows * chunksPerRow;
  Value tid = gpu::ThreadIdOp::create(b, loc, gpu::Dimension::x);
  SmallVector<Value> tokens;
  auto tokenType = nvgpu::DeviceAsyncTokenType::get(b.getContext());
  for (int64_t first = 0; first < total; first += kThreads) {
    Value chunk = add(tid, idx(first));
    // A partial last round re-copies chunks of the first one: the same bytes
    // to the same place, so every thread issues the same number of copies.
    if (first + kThreads > total)
      chunk = remU(chunk, idx(total));
    Value r = divU(chunk, idx(chunksPerRow));
    Value col = mul(remU(chunk, idx(chunksPerRow)), idx(kChunk));
    Value selected = add(firstIndex, r);
    Value valid = ult(selected, limit);
    Value srcRow = add(rowBase, mul(select(valid, selected, idx(0)), rate));
    Value elements = select(valid, idx(kChunk), idx(0));
    tokens.push_back(nvgpu::DeviceAsyncCopyOp::create(
        b, loc, tokenType, smem, ValueRange{add(smemRow0, r), col}, source,
        ValueRange{batch, srcRow, head, col}, b.getIndexAttr(kChunk), elements,
        /*bypassL1=*/b.getUnitAttr()));
  }
  return tokens;
}

Value TensorCoreBuilder::commitGroup(ValueRange tokens) {
  auto tokenType = nvgpu::DeviceAsyncTokenType::get(b.getContext());
  return nvgpu::DeviceAsyncCreateGroupOp::create(b, loc, tokenType, tokens);
}

void TensorCoreBuilder::waitGroups(Value group, int64_t pending) {
  nvgpu::DeviceAsyncWaitOp::create(b, loc, group, b.getI32IntegerAttr(pending));
}

Value TensorCoreBuilder::ldmatrix(Value smem, Value row, Value col,
                                  bool transpose) {
  auto type = VectorType::get({4, 2}, elementType);
  return nvgpu::LdMatrixOp::create(b, loc, type, smem, ValueRange{row, col},
                                   b.getBoolAttr(transpose),
                                   b.getI32IntegerAttr(4));
}

Value TensorCoreBuilder::rowsOf(Value fragment4, int64_t first) {
  Value result =
      ub::PoisonOp::create(b, loc, VectorType::get({2, 2}, elementType));
  for (int64_t i = 0; i < 2; ++i) {
    Value row = vector::ExtractOp::create(b, loc, fragment4,
                                          ArrayRef<int64_t>{first + i});
    result =
        vector::InsertOp::create(b, loc, row, result, ArrayRef<int64_t>{i});
  }
  return result;
}

Value TensorCoreBuilder::loadA(Value smem, Value row0, Value col0) {
  // Lanes 8m .. 8m + 7 address the rows of matrix m: (rows, columns)
  // (0-7, 0-7), (8-15, 0-7), (0-7, 8-15), (8-15, 8-15).
  Value row = add(row0, add(laneRow, mul(matrixLow, idx(8))));
  Value col = add(col0, mul(matrixHigh, idx(8)));
  return ldmatrix(smem, row, col, /*transpose=*/false);
}

std::pair<Value, Value> TensorCoreBuilder::loadRowsAsB(Value smem, Value row0,
                                                       Value col0) {
  // Matrices: (n 0-7, k 0-7), (n 0-7, k 8-15), (n 8-15, k 0-7), (n 8-15,
  // k 8-15); the first two are the B fragment of n-block 0.
  Value row = add(row0, add(laneRow, mul(matrixHigh, idx(8))));
  Value col = add(col0, mul(matrixLow, idx(8)));
  Value frag = ldmatrix(smem, row, col, /*transpose=*/false);
  return {rowsOf(frag, 0), rowsOf(frag, 2)};
}

std::pair<Value, Value>
TensorCoreBuilder::loadColumnsAsB(Value smem, Value row0, Value col0) {
  // Transposed matrices: (k 0-7, n 0-7), (k 8-15, n 0-7), (k 0-7, n 8-15),
  // (k 8-15, n 8-15).
  Value row = add(row0, add(laneRow, mul(matrixLow, idx(8))));
  Value col = add(col0, mul(matrixHigh, idx(8)));
  Value frag = ldmatrix(smem, row, col, /*transpose=*/true);
  return {rowsOf(frag, 0), rowsOf(frag, 2)};
}

Value TensorCoreBuilder::mma(Value a, Value bFrag, Value c) {
  if (elementType.isF16())
    return nvgpu::MmaSyncOp::create(b, loc, a, bFrag, c,
                                    ArrayRef<int64_t>{16, 8, 16});
  // bf16: nvvm.mma.sync on the fragments packed as i32 registers.
  auto i32x1 = VectorType::get({1}, b.getI32Type());
  auto packRows = [&](Value fragment, int64_t rows) {
    SmallVector<Value> registers;
    for (int64_t i = 0; i < rows; ++i) {
      Value pair =
          vector::ExtractOp::create(b, loc, fragment, ArrayRef<int64_t>{i});
      Value word = vector::BitCastOp::create(b, loc, i32x1, pair);
      registers.push_back(
          vector::ExtractOp::create(b, loc, word, ArrayRef<int64_t>{0}));
    }
    return registers;
  };
  SmallVector<Value> aRegs = packRows(a, 4), bRegs = packRows(bFrag, 2);
  SmallVector<Value> cRegs;
  for (int64_t i = 0; i < 2; ++i)
    for (int64_t j = 0; j < 2; ++j)
      cRegs.push_back(elementOf(c, i, j));
  Type f32Type = b.getF32Type();
  auto resultType = LLVM::LLVMStructType::getLiteral(
      b.getContext(), {f32Type, f32Type, f32Type, f32Type});
  auto bf16 = NVVM::MMATypes::bf16;
  Value d = NVVM::MmaOp::create(
      b, loc, resultType, aRegs, bRegs, cRegs,
      /*shape=*/ArrayRef<int64_t>{16, 8, 16},
      /*b1Op=*/std::nullopt, /*intOverflow=*/std::nullopt,
      /*multiplicandPtxTypes=*/std::array<NVVM::MMATypes, 2>{bf16, bf16},
      /*multiplicandLayouts=*/
      std::array<NVVM::MMALayout, 2>{NVVM::MMALayout::row,
                                     NVVM::MMALayout::col});
  Value result = ub::PoisonOp::create(b, loc, c.getType());
  for (int64_t i = 0; i < 4; ++i) {
    Value element =
        LLVM::ExtractValueOp::create(b, loc, d, ArrayRef<int64_t>{i});
    result = withElement(result, element, i / 2, i % 2);
  }
  return result;
}

Value TensorCoreBuilder::packA(ArrayRef<Value> elements) {
  Value result =
      ub::PoisonOp::create(b, loc, VectorType::get({4, 2}, elementType));
  for (int64_t i = 0; i < 8; ++i) {
    Value e = arith::TruncFOp::create(b, loc, elementType, elements[i]);
    result = vector::InsertOp::create(b, loc, e, result,
                                      ArrayRef<int64_t>{i / 2, i % 2});
  }
  return result;
}

Value TensorCoreBuilder::zeroC() {
  auto cType = VectorType::get({2, 2}, b.getF32Type());
  return arith::ConstantOp::create(
      b, loc, cType, DenseElementsAttr::get(cType, b.getF32FloatAttr(0.0)));
}

Value TensorCoreBuilder::elementOf(Value c, int64_t half, int64_t col) {
  return vector::ExtractOp::create(b, loc, c, ArrayRef<int64_t>{half, col});
}

Value TensorCoreBuilder::withElement(Value c, Value element, int64_t half,
                                     int64_t col) {
  return vector::InsertOp::create(b, loc, element, c,
                                  ArrayRef<int64_t>{half, col});
}

Value TensorCoreBuilder::quadReduce(Value x, bool isMax) {
  for (int32_t offset : {1, 2}) {
    Value other = gpu::ShuffleOp::create(b, loc, x, offset, kWarpSize,
                                         gpu::ShuffleMode::XOR)
                      .getShuffleResult();
    x = isMax ? fmax(x, other) : fadd(x, other);
  }
  return x;
}
