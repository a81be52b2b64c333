//===- LongNetOps.cpp - LongNet operations ----------------------*- C++ -*-===//
//
// Part of the longnet-mlir project.
//
//===----------------------------------------------------------------------===//

#include "longnet/Dialect/LongNet/IR/LongNetOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/DenseSet.h"

#include <cmath>
#include <cstdio>

using namespace mlir;
using namespace mlir::longnet;

#define GET_OP_CLASSES
#include "longnet/Dialect/LongNet/IR/LongNetOps.cpp.inc"

namespace {
/// Names of the [B, N, H, D] dimensions, for diagnostics.
constexpr const char *kDimNames[] = {"B", "N", "H", "D"};

std::string formatDim(int64_t dim) {
  return ShapedType::isDynamic(dim) ? std::string("?") : std::to_string(dim);
}
} // namespace

/// Checks the (segment length, dilation rate) arrays of the mixture.
static LogicalResult verifyBranches(DilatedAttentionOp op) {
  ArrayRef<int64_t> lengths = op.getSegmentLengths();
  ArrayRef<int64_t> rates = op.getDilationRates();
  if (lengths.empty())
    return op.emitOpError("'segment_lengths' must hold at least one branch");
  if (lengths.size() != rates.size())
    return op.emitOpError("'segment_lengths' has ")
           << lengths.size() << " entries but 'dilation_rates' has "
           << rates.size();

  llvm::DenseMap<std::pair<int64_t, int64_t>, size_t> seen;
  for (auto [i, pair] : llvm::enumerate(llvm::zip_equal(lengths, rates))) {
    auto [w, r] = pair;
    if (w < 1)
      return op.emitOpError("'segment_lengths'[")
             << i << "] = " << w << " must be at least 1";
    if (r < 1)
      return op.emitOpError("'dilation_rates'[")
             << i << "] = " << r << " must be at least 1";
    if (r > w)
      return op.emitOpError("branch ")
             << i << ": dilation rate " << r << " exceeds segment length " << w;
    auto [it, inserted] = seen.try_emplace({w, r}, i);
    if (!inserted)
      return op.emitOpError("branch ") << i << " (w = " << w << ", r = " << r
                                       << ") duplicates branch " << it->second;
  }
  return success();
}

/// Checks that `type` is a rank-4 tensor of a supported float type.
static LogicalResult verifyAttentionTensor(DilatedAttentionOp op,
                                           StringRef name, Type type) {
  // ODS has already checked that every operand and result is ranked.
  auto tensor = cast<RankedTensorType>(type);
  if (tensor.getRank() != 4)
    return op.emitOpError("'")
           << name << "' must have rank 4 ([B, N, H, D]), got rank "
           << tensor.getRank() << " in " << type;
  Type elt = tensor.getElementType();
  if (!elt.isF16() && !elt.isBF16() && !elt.isF32() && !elt.isF64())
    return op.emitOpError("'")
           << name << "' element type must be f16, bf16, f32 or f64, got "
           << elt;
  if (tensor.getDimSize(3) == 0)
    return op.emitOpError("'") << name << "' head dimension D must be positive";
  return success();
}

/// Checks that `type` agrees with `refType` (the query's) in element type and
/// in every static dimension among the first `numDims`.
static LogicalResult verifyMatchesQuery(DilatedAttentionOp op, StringRef name,
                                        RankedTensorType type,
                                        RankedTensorType refType,
                                        unsigned numDims) {
  for (unsigned d = 0; d < numDims; ++d) {
    int64_t got = type.getDimSize(d), want = refType.getDimSize(d);
    if (!ShapedType::isDynamic(got) && !ShapedType::isDynamic(want) &&
        got != want)
      return op.emitOpError("'")
             << name << "' dimension " << d << " (" << kDimNames[d] << ") is "
             << got << " but 'query' has " << want;
  }
  return success();
}

/// Shortest readable form of a scalar: 0.5, -2, inf, nan.
static std::string formatScalar(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%g", value);
  return buffer;
}

static std::string formatShape(ArrayRef<int64_t> shape) {
  std::string s;
  for (auto [i, d] : llvm::enumerate(shape))
    s += (i ? "x" : "") + formatDim(d);
  return s;
}

LogicalResult DilatedAttentionOp::verify() {
  if (failed(verifyBranches(*this)))
    return failure();

  if (std::optional<APFloat> scale = getScale()) {
    double value = scale->convertToDouble();
    if (!std::isfinite(value) || value <= 0.0)
      return emitOpError("'scale' must be positive and finite, got ")
             << formatScalar(value);
  }

  std::pair<StringRef, Type> tensors[] = {{"query", getQuery().getType()},
                                          {"key", getKey().getType()},
                                          {"value", getValue().getType()},
                                          {"output", getOutput().getType()}};
  for (auto [name, type] : tensors)
    if (failed(verifyAttentionTensor(*this, name, type)))
      return failure();

  auto queryType = cast<RankedTensorType>(getQuery().getType());
  for (auto [name, type] : llvm::drop_begin(tensors)) {
    auto tensor = cast<RankedTensorType>(type);
    if (tensor.getElementType() != queryType.getElementType())
      return emitOpError("'")
             << name << "' element type " << tensor.getElementType()
             << " differs from 'query' element type "
             << queryType.getElementType();
    if (failed(verifyMatchesQuery(*this, name, tensor, queryType, 4)))
      return failure();
  }

  if (Value lse = getLse()) {
    auto lseType = dyn_cast<RankedTensorType>(lse.getType());
    std::string want = formatShape(queryType.getShape().take_front(3));
    if (!lseType || lseType.getRank() != 3 || !lseType.getElementType().isF32())
      return emitOpError("'lse' result must be a tensor<")
             << want << "xf32> ([B, N, H] of f32), got " << lse.getType();
    if (failed(verifyMatchesQuery(*this, "lse", lseType, queryType, 3)))
      return failure();
  }
  return success();
}

std::optional<double> DilatedAttentionOp::getScaleOrDefault() {
  if (std::optional<APFloat> scale = getScale())
    return scale->convertToDouble();
  int64_t headDim = cast<ShapedType>(getQuery().getType()).getDimSize(3);
  if (ShapedType::isDynamic(headDim))
    return std::nullopt;
  return 1.0 / std::sqrt(static_cast<double>(headDim));
}
