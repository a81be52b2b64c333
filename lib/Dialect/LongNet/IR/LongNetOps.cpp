//===- LongNetOps.cpp - LongNet operations ----------------------*- C++ -*-===//
//
// Part of the longnet-mlir project.
//
//===----------------------------------------------------------------------===//

#include "longnet/Dialect/LongNet/IR/LongNetOps.h"

#include "longnet-runtime/CheckedMath.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/DenseMap.h"

#include <cmath>
#include <cstdio>
#include <limits>

using namespace mlir;
using namespace mlir::longnet;

#define GET_OP_CLASSES
#include "longnet/Dialect/LongNet/IR/LongNetOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Shared verification helpers
//===----------------------------------------------------------------------===//

/// Names of the [B, N, H, D] dimensions, for diagnostics.
static constexpr const char *kDimNames[] = {"B", "N", "H", "D"};

static std::string formatDim(int64_t dim) {
  return ShapedType::isDynamic(dim) ? std::string("?") : std::to_string(dim);
}

static std::string formatShape(ArrayRef<int64_t> shape) {
  std::string s;
  for (auto [i, d] : llvm::enumerate(shape))
    s += (i ? "x" : "") + formatDim(d);
  return s;
}

/// Shortest readable form of a scalar: 0.5, -2, inf, nan.
static std::string formatScalar(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%g", value);
  return buffer;
}

static bool isAttentionElementType(Type type) {
  return type.isF16() || type.isBF16() || type.isF32() || type.isF64();
}

/// Checks one (segment length, dilation rate) pair; `index` names it.
static LogicalResult verifyBranch(Operation *op, int64_t w, int64_t r,
                                  StringRef wName, StringRef rName,
                                  std::optional<size_t> index) {
  std::string suffix = index ? "[" + std::to_string(*index) + "]" : "";
  if (w < 1)
    return op->emitOpError("'")
           << wName << "'" << suffix << " = " << w << " must be at least 1";
  if (r < 1)
    return op->emitOpError("'")
           << rName << "'" << suffix << " = " << r << " must be at least 1";
  if (r > w)
    return op->emitOpError(index ? "branch " + std::to_string(*index) + ": "
                                 : std::string())
           << "dilation rate " << r << " exceeds segment length " << w;
  return success();
}

/// `scale` is positive and finite and, for f32 logits (f16, bf16 and f32
/// operands accumulate in f32), scale * D stays in f32's range: beyond it
/// even unit queries and keys overflow the logits, and every output is NaN.
static LogicalResult verifyScale(Operation *op, std::optional<APFloat> scale,
                                 Value query) {
  if (!scale)
    return success();
  double value = scale->convertToDouble();
  if (!std::isfinite(value) || value <= 0.0)
    return op->emitOpError("'scale' must be positive and finite, got ")
           << formatScalar(value);
  auto queryType = dyn_cast<ShapedType>(query.getType());
  if (!queryType || !queryType.hasRank() || queryType.getRank() != 4 ||
      ShapedType::isDynamic(queryType.getDimSize(3)) ||
      queryType.getElementType().isF64())
    return success();
  double headDim = double(queryType.getDimSize(3));
  if (value * headDim > double(std::numeric_limits<float>::max()))
    return op->emitOpError("'scale' = ")
           << formatScalar(value) << " times D = " << int64_t(headDim)
           << " exceeds the f32 logit range (3.4e38): the logits "
              "scale * q.k of unit queries and keys overflow";
  return success();
}

/// Checks that `type` is a rank-4 shaped type of a supported float type.
static LogicalResult verifyAttentionOperand(Operation *op, StringRef name,
                                            Type type) {
  auto shaped = cast<ShapedType>(type);
  if (!shaped.hasRank())
    return op->emitOpError("'") << name << "' must be ranked, got " << type;
  if (shaped.getRank() != 4)
    return op->emitOpError("'")
           << name << "' must have rank 4 ([B, N, H, D]), got rank "
           << shaped.getRank() << " in " << type;
  Type elt = shaped.getElementType();
  if (!isAttentionElementType(elt))
    return op->emitOpError("'")
           << name << "' element type must be f16, bf16, f32 or f64, got "
           << elt;
  if (shaped.getDimSize(3) == 0)
    return op->emitOpError("'")
           << name << "' head dimension D must be positive";
  return success();
}

/// Checks that the static dimensions `dims` of `type` (operand `name`) agree
/// with those of `reference` (operand `referenceName`).
static LogicalResult verifyDimsMatch(Operation *op, StringRef name,
                                     ShapedType type, StringRef referenceName,
                                     ShapedType reference,
                                     ArrayRef<unsigned> dims) {
  for (unsigned d : dims) {
    int64_t got = type.getDimSize(d), want = reference.getDimSize(d);
    if (!ShapedType::isDynamic(got) && !ShapedType::isDynamic(want) &&
        got != want)
      return op->emitOpError("'")
             << name << "' dimension " << d << " (" << kDimNames[d] << ") is "
             << got << " but '" << referenceName << "' has " << want;
  }
  return success();
}

/// Checks that the first `numDims` static dimensions of `type` agree with
/// those of the query.
static LogicalResult verifyMatchesQuery(Operation *op, StringRef name,
                                        ShapedType type, ShapedType queryType,
                                        unsigned numDims) {
  SmallVector<unsigned> dims = llvm::to_vector(llvm::seq(0u, numDims));
  return verifyDimsMatch(op, name, type, "query", queryType, dims);
}

/// An accumulator's element type: f32 or f64, at least as wide as the
/// query's `queryElt`.
static LogicalResult verifyAccumulatorType(Operation *op, StringRef name,
                                           Type elt, Type queryElt) {
  if (elt.getIntOrFloatBitWidth() >= 32 &&
      elt.getIntOrFloatBitWidth() >= queryElt.getIntOrFloatBitWidth() &&
      !elt.isBF16())
    return success();
  return op->emitOpError("'")
         << name << "' accumulator element type must be f32 or f64 and "
         << "at least as wide as the query's " << queryElt << ", got " << elt;
}

/// Checks query, key, value (and `extra` rank-4 values named alike) for rank,
/// element type and shape agreement. With `sameElementType` false, the
/// extra values only need a float type at least as wide as f32 and as the
/// query's (accumulators).
static LogicalResult verifyQKV(Operation *op, Value query, Value key,
                               Value value,
                               ArrayRef<std::pair<StringRef, Type>> extra,
                               bool sameElementType) {
  SmallVector<std::pair<StringRef, Type>> all = {{"query", query.getType()},
                                                 {"key", key.getType()},
                                                 {"value", value.getType()}};
  llvm::append_range(all, extra);
  for (auto [name, type] : all)
    if (failed(verifyAttentionOperand(op, name, type)))
      return failure();

  auto queryType = cast<ShapedType>(query.getType());
  Type queryElt = queryType.getElementType();
  for (auto [i, entry] : llvm::enumerate(llvm::drop_begin(all))) {
    auto [name, type] = entry;
    auto shaped = cast<ShapedType>(type);
    Type elt = shaped.getElementType();
    bool isAccumulator = !sameElementType && i >= 2;
    if (!isAccumulator && elt != queryElt)
      return op->emitOpError("'")
             << name << "' element type " << elt
             << " differs from 'query' element type " << queryElt;
    if (isAccumulator && failed(verifyAccumulatorType(op, name, elt, queryElt)))
      return failure();
    if (failed(verifyMatchesQuery(op, name, shaped, queryType, 4)))
      return failure();
  }
  return success();
}

/// Checks a [B, N, H] log-sum-exp value against the query.
static LogicalResult verifyLse(Operation *op, StringRef name, Type type,
                               Type wantElt, ShapedType queryType,
                               StringRef kind) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped || !shaped.hasRank() || shaped.getRank() != 3 ||
      shaped.getElementType() != wantElt) {
    std::string eltName;
    llvm::raw_string_ostream(eltName) << wantElt;
    StringRef container = isa<MemRefType>(queryType) ? "memref" : "tensor";
    return op->emitOpError("'")
           << name << "' " << kind << " must be a " << container << "<"
           << formatShape(queryType.getShape().take_front(3)) << "x" << eltName
           << "> ([B, N, H] of " << eltName << "), got " << type;
  }
  return verifyMatchesQuery(op, name, shaped, queryType, 3);
}

static std::optional<double> scaleOrDefault(std::optional<APFloat> scale,
                                            Value query) {
  if (scale)
    return scale->convertToDouble();
  int64_t headDim = cast<ShapedType>(query.getType()).getDimSize(3);
  if (ShapedType::isDynamic(headDim))
    return std::nullopt;
  return 1.0 / std::sqrt(static_cast<double>(headDim));
}

/// Shared rule of the destination-style ops: the shaped operands `shaped`
/// are all tensors (and the results have the types of `inits`) or all
/// memrefs (and there is no result).
static LogicalResult verifyDestinationForm(Operation *op, ValueRange shaped,
                                           ValueRange inits) {
  bool allTensors = llvm::all_of(
      shaped, [](Value v) { return isa<TensorType>(v.getType()); });
  bool allMemRefs = llvm::all_of(
      shaped, [](Value v) { return isa<BaseMemRefType>(v.getType()); });
  if (!allTensors && !allMemRefs)
    return op->emitOpError("operands must be all tensors or all memrefs");
  if (allTensors && op->getResultTypes() != inits.getTypes())
    return op->emitOpError("results must have the types of the outs operands");
  if (allMemRefs && op->getNumResults() != 0)
    return op->emitOpError("has no results on memrefs");
  return success();
}

//===----------------------------------------------------------------------===//
// DilatedAttentionOp
//===----------------------------------------------------------------------===//

/// Checks the (segment length, dilation rate) arrays of a mixture.
static LogicalResult verifyBranches(Operation *op, ArrayRef<int64_t> lengths,
                                    ArrayRef<int64_t> rates) {
  if (lengths.empty())
    return op->emitOpError("'segment_lengths' must hold at least one branch");
  if (lengths.size() != rates.size())
    return op->emitOpError("'segment_lengths' has ")
           << lengths.size() << " entries but 'dilation_rates' has "
           << rates.size();

  llvm::DenseMap<std::pair<int64_t, int64_t>, size_t> seen;
  for (auto [i, pair] : llvm::enumerate(llvm::zip_equal(lengths, rates))) {
    auto [w, r] = pair;
    if (failed(verifyBranch(op, w, r, "segment_lengths", "dilation_rates", i)))
      return failure();
    auto [it, inserted] = seen.try_emplace({w, r}, i);
    if (!inserted)
      return op->emitOpError("branch ") << i << " (w = " << w << ", r = " << r
                                        << ") duplicates branch " << it->second;
  }
  return success();
}

LogicalResult DilatedAttentionOp::verify() {
  if (failed(verifyBranches(*this, getSegmentLengths(), getDilationRates())) ||
      failed(verifyScale(*this, getScale(), getQuery())))
    return failure();
  if (failed(verifyQKV(*this, getQuery(), getKey(), getValue(),
                       {{"output", getOutput().getType()}},
                       /*sameElementType=*/true)))
    return failure();
  if (Value lse = getLse())
    return verifyLse(*this, "lse", lse.getType(),
                     Float32Type::get(getContext()),
                     cast<ShapedType>(getQuery().getType()), "result");
  return success();
}

std::optional<double> DilatedAttentionOp::getScaleOrDefault() {
  return scaleOrDefault(getScale(), getQuery());
}

//===----------------------------------------------------------------------===//
// DilatedAttentionBackwardOp
//===----------------------------------------------------------------------===//

LogicalResult DilatedAttentionBackwardOp::verify() {
  if (failed(verifyBranches(*this, getSegmentLengths(), getDilationRates())) ||
      failed(verifyScale(*this, getScale(), getQuery())))
    return failure();
  if (failed(verifyQKV(*this, getQuery(), getKey(), getValue(),
                       {{"output", getOutput().getType()},
                        {"output_grad", getOutputGrad().getType()},
                        {"query_grad", getQueryGrad().getType()},
                        {"key_grad", getKeyGrad().getType()},
                        {"value_grad", getValueGrad().getType()}},
                       /*sameElementType=*/true)))
    return failure();
  auto queryType = cast<ShapedType>(getQuery().getType());
  Type f32 = Float32Type::get(getContext());
  if (failed(verifyLse(*this, "lse", getLse().getType(), f32, queryType,
                       "operand")))
    return failure();
  if (Value lseGrad = getLseGrad())
    return verifyLse(*this, "lse_grad", lseGrad.getType(), f32, queryType,
                     "operand");
  return success();
}

std::optional<double> DilatedAttentionBackwardOp::getScaleOrDefault() {
  return scaleOrDefault(getScale(), getQuery());
}

//===----------------------------------------------------------------------===//
// BranchAttentionOp and AttentionOp
//===----------------------------------------------------------------------===//

/// Shared verifier of the destination-style flash ops: operands all tensors
/// (and results typed like the inits) or all memrefs (and no result).
template <typename OpTy> static LogicalResult verifyFlashOp(OpTy op) {
  if (failed(verifyScale(op, op.getScale(), op.getQuery())))
    return failure();
  ValueRange inits = op.getDpsInits();
  if (failed(verifyDestinationForm(op, op->getOperands(), inits)))
    return failure();

  if (failed(verifyQKV(op, op.getQuery(), op.getKey(), op.getValue(),
                       {{"out", inits[0].getType()}},
                       /*sameElementType=*/false)))
    return failure();
  Type accElt = cast<ShapedType>(inits[0].getType()).getElementType();
  return verifyLse(op, "lse", inits[1].getType(), accElt,
                   cast<ShapedType>(op.getQuery().getType()), "accumulator");
}

/// Memrefs: reads of query, key and value; reads and writes of the outs.
template <typename OpTy>
static void getFlashOpEffects(
    OpTy op, SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
                 &effects) {
  for (OpOperand &operand : op->getOpOperands()) {
    if (!isa<MemRefType>(operand.get().getType()))
      continue;
    effects.emplace_back(MemoryEffects::Read::get(), &operand,
                         SideEffects::DefaultResource::get());
    if (op.isDpsInit(&operand))
      effects.emplace_back(MemoryEffects::Write::get(), &operand,
                           SideEffects::DefaultResource::get());
  }
}

LogicalResult BranchAttentionOp::verify() {
  if (failed(verifyBranch(*this, getSegmentLength(), getDilationRate(),
                          "segment_length", "dilation_rate", std::nullopt)))
    return failure();
  return verifyFlashOp(*this);
}

std::optional<double> BranchAttentionOp::getScaleOrDefault() {
  return scaleOrDefault(getScale(), getQuery());
}

void BranchAttentionOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  getFlashOpEffects(*this, effects);
}

LogicalResult AttentionOp::verify() { return verifyFlashOp(*this); }

std::optional<double> AttentionOp::getScaleOrDefault() {
  return scaleOrDefault(getScale(), getQuery());
}

void AttentionOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  getFlashOpEffects(*this, effects);
}

//===----------------------------------------------------------------------===//
// BranchAttentionBackwardOp
//===----------------------------------------------------------------------===//

/// The backward ops' dK and dV accumulators have the dQ accumulator's
/// element type `accElt`.
template <typename OpTy>
static LogicalResult verifySharedAccumulatorType(OpTy op, Type accElt) {
  for (Value acc : {op.getKeyGradAcc(), op.getValueGradAcc()}) {
    Type elt = cast<ShapedType>(acc.getType()).getElementType();
    if (elt != accElt)
      return op.emitOpError("accumulators must share one element type, got ")
             << accElt << " and " << elt;
  }
  return success();
}

/// The backward ops' combined lse and delta: [B, N, H] of `accElt`.
template <typename OpTy>
static LogicalResult verifyRowTerms(OpTy op, Type accElt,
                                    ShapedType queryType) {
  if (failed(verifyLse(op, "lse", op.getLse().getType(), accElt, queryType,
                       "operand")))
    return failure();
  return verifyLse(op, "delta", op.getDelta().getType(), accElt, queryType,
                   "operand");
}

LogicalResult BranchAttentionBackwardOp::verify() {
  if (failed(verifyBranch(*this, getSegmentLength(), getDilationRate(),
                          "segment_length", "dilation_rate", std::nullopt)) ||
      failed(verifyScale(*this, getScale(), getQuery())))
    return failure();
  if (failed(verifyDestinationForm(*this, getOperands(), getDpsInits())))
    return failure();

  // output_grad has the query's type; the three accumulators share one
  // accumulator type (checked against the first).
  if (failed(verifyQKV(*this, getQuery(), getKey(), getValue(),
                       {{"output_grad", getOutputGrad().getType()}},
                       /*sameElementType=*/true)) ||
      failed(verifyQKV(*this, getQuery(), getKey(), getValue(),
                       {{"query_grad_acc", getQueryGradAcc().getType()},
                        {"key_grad_acc", getKeyGradAcc().getType()},
                        {"value_grad_acc", getValueGradAcc().getType()}},
                       /*sameElementType=*/false)))
    return failure();
  Type accElt = cast<ShapedType>(getQueryGradAcc().getType()).getElementType();
  if (failed(verifySharedAccumulatorType(*this, accElt)))
    return failure();
  auto queryType = cast<ShapedType>(getQuery().getType());
  return verifyRowTerms(*this, accElt, queryType);
}

std::optional<double> BranchAttentionBackwardOp::getScaleOrDefault() {
  return scaleOrDefault(getScale(), getQuery());
}

void BranchAttentionBackwardOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  getFlashOpEffects(*this, effects);
}

//===----------------------------------------------------------------------===//
// SegmentAllGatherOp
//===----------------------------------------------------------------------===//

/// The rules shared by the segment collectives: `group_size >= 1`, operands
/// both tensors (one result of the init's type) or both memrefs (none),
/// rank-4 attention operands of one element type, B, H, D equal, and the
/// `gathered` operand holding group_size times the rows of `local`.
template <typename OpTy>
static LogicalResult
verifySegmentCollective(OpTy op, StringRef localName, Value local,
                        StringRef gatheredName, Value gathered) {
  // I64Attr getters are unsigned: compare the signed value.
  int64_t groupSize = static_cast<int64_t>(op.getGroupSize());
  if (groupSize < 1)
    return op.emitOpError("'group_size' = ")
           << groupSize << " must be at least 1";
  Type inputType = op.getInput().getType(), initType = op.getInit().getType();
  bool tensors = isa<TensorType>(inputType) && isa<TensorType>(initType);
  bool memrefs =
      isa<BaseMemRefType>(inputType) && isa<BaseMemRefType>(initType);
  if (!tensors && !memrefs)
    return op.emitOpError("operands must be both tensors or both memrefs");
  if (tensors && (op.getResults().size() != 1 ||
                  op.getResults().front().getType() != initType))
    return op.emitOpError("must have one result of the type of 'init' on "
                          "tensors");
  if (memrefs && !op.getResults().empty())
    return op.emitOpError("has no results on memrefs");
  if (failed(verifyAttentionOperand(op, "input", inputType)) ||
      failed(verifyAttentionOperand(op, "init", initType)))
    return failure();
  auto input = cast<ShapedType>(inputType), init = cast<ShapedType>(initType);
  if (input.getElementType() != init.getElementType())
    return op.emitOpError("'init' element type ")
           << init.getElementType() << " differs from 'input' element type "
           << input.getElementType();
  if (failed(verifyDimsMatch(op, "init", init, "input", input, {0, 2, 3})))
    return failure();
  int64_t rows = cast<ShapedType>(local.getType()).getDimSize(1);
  int64_t all = cast<ShapedType>(gathered.getType()).getDimSize(1);
  if (ShapedType::isDynamic(rows) || ShapedType::isDynamic(all))
    return success();
  std::optional<int64_t> expected = ::longnet::checkedMul(groupSize, rows);
  if (!expected)
    return op.emitOpError("group_size * ")
           << localName << " rows = " << groupSize << " * " << rows
           << " overflows a 64-bit size";
  if (all != *expected)
    return op.emitOpError("'")
           << gatheredName << "' dimension 1 is " << all << " but group_size * "
           << localName << " rows = " << groupSize << " * " << rows << " = "
           << *expected;
  return success();
}

LogicalResult SegmentAllGatherOp::verify() {
  return verifySegmentCollective(*this, "input", getInput(), "init", getInit());
}

void SegmentAllGatherOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  if (isa<MemRefType>(getInput().getType()))
    effects.emplace_back(MemoryEffects::Read::get(), &getInputMutable(),
                         SideEffects::DefaultResource::get());
  if (isa<MemRefType>(getInit().getType()))
    effects.emplace_back(MemoryEffects::Write::get(), &getInitMutable(),
                         SideEffects::DefaultResource::get());
}

//===----------------------------------------------------------------------===//
// GatheredBranchAttentionOp
//===----------------------------------------------------------------------===//

LogicalResult GatheredBranchAttentionOp::verify() {
  int64_t rate = static_cast<int64_t>(getDilationRate());
  if (rate < 1)
    return emitOpError("'dilation_rate' = ") << rate << " must be at least 1";
  if (failed(verifyScale(*this, getScale(), getQuery())))
    return failure();
  ValueRange inits = getDpsInits();
  if (failed(verifyDestinationForm(
          *this, {getQuery(), getKey(), getValue(), getOutAcc(), getLseAcc()},
          inits)))
    return failure();
  // The query and the accumulators share [B, l, H]; key and value share
  // [B, M, H, D] with the query's B, H, D and element type.
  if (failed(verifyQKV(*this, getQuery(), getQuery(), getQuery(),
                       {{"out", getOutAcc().getType()}},
                       /*sameElementType=*/false)) ||
      failed(verifyAttentionOperand(*this, "key", getKey().getType())) ||
      failed(verifyAttentionOperand(*this, "value", getValue().getType())))
    return failure();
  auto queryType = cast<ShapedType>(getQuery().getType());
  for (auto [name, value] :
       {std::pair<StringRef, Value>{"key", getKey()}, {"value", getValue()}}) {
    auto type = cast<ShapedType>(value.getType());
    if (type.getElementType() != queryType.getElementType())
      return emitOpError("'")
             << name << "' element type " << type.getElementType()
             << " differs from 'query' element type "
             << queryType.getElementType();
    if (failed(
            verifyDimsMatch(*this, name, type, "query", queryType, {0, 2, 3})))
      return failure();
  }
  auto keyType = cast<ShapedType>(getKey().getType());
  auto valueType = cast<ShapedType>(getValue().getType());
  if (!ShapedType::isDynamic(keyType.getDimSize(1)) &&
      !ShapedType::isDynamic(valueType.getDimSize(1)) &&
      keyType.getDimSize(1) != valueType.getDimSize(1))
    return emitOpError("'value' has ")
           << valueType.getDimSize(1) << " rows but 'key' has "
           << keyType.getDimSize(1);
  int64_t localRows = queryType.getDimSize(1);
  if (!ShapedType::isDynamic(localRows) && localRows % rate != 0)
    return emitOpError("the local sequence length ")
           << localRows << " must be a multiple of 'dilation_rate' = " << rate;
  Type accElt = cast<ShapedType>(inits[0].getType()).getElementType();
  return verifyLse(*this, "lse", inits[1].getType(), accElt, queryType,
                   "accumulator");
}

std::optional<double> GatheredBranchAttentionOp::getScaleOrDefault() {
  return scaleOrDefault(getScale(), getQuery());
}

void GatheredBranchAttentionOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  getFlashOpEffects(*this, effects);
}

//===----------------------------------------------------------------------===//
// SegmentReduceScatterOp
//===----------------------------------------------------------------------===//

LogicalResult SegmentReduceScatterOp::verify() {
  if (failed(verifySegmentCollective(*this, "init", getInit(), "input",
                                     getInput())))
    return failure();
  Type elt = cast<ShapedType>(getInput().getType()).getElementType();
  if (!elt.isF32() && !elt.isF64())
    return emitOpError("element type must be f32 or f64 (gradient "
                       "accumulators), got ")
           << elt;
  return success();
}

void SegmentReduceScatterOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  if (isa<MemRefType>(getInput().getType()))
    effects.emplace_back(MemoryEffects::Read::get(), &getInputMutable(),
                         SideEffects::DefaultResource::get());
  if (isa<MemRefType>(getInit().getType()))
    effects.emplace_back(MemoryEffects::Write::get(), &getInitMutable(),
                         SideEffects::DefaultResource::get());
}

//===----------------------------------------------------------------------===//
// GatheredBranchAttentionBackwardOp
//===----------------------------------------------------------------------===//

/// The gathered rows of a gathered backward: `key` ([B, M, H, D], the
/// query's element type, B, H and D), `value` of the key's shape, and the
/// accumulators `accs` of the key's shape with an accumulator element type.
static LogicalResult
verifyGatheredRows(Operation *op, Value query, Value key, Value value,
                   ArrayRef<std::pair<StringRef, Value>> accs) {
  for (auto [name, v] :
       {std::pair<StringRef, Value>{"key", key}, {"value", value}})
    if (failed(verifyAttentionOperand(op, name, v.getType())))
      return failure();
  for (auto [name, acc] : accs)
    if (failed(verifyAttentionOperand(op, name, acc.getType())))
      return failure();
  auto queryType = cast<ShapedType>(query.getType());
  auto keyType = cast<ShapedType>(key.getType());
  Type queryElt = queryType.getElementType();
  for (auto [name, v] :
       {std::pair<StringRef, Value>{"key", key}, {"value", value}}) {
    Type elt = cast<ShapedType>(v.getType()).getElementType();
    if (elt != queryElt)
      return op->emitOpError("'")
             << name << "' element type " << elt
             << " differs from 'query' element type " << queryElt;
  }
  if (failed(
          verifyDimsMatch(op, "key", keyType, "query", queryType, {0, 2, 3})) ||
      failed(verifyDimsMatch(op, "value", cast<ShapedType>(value.getType()),
                             "key", keyType, {0, 1, 2, 3})))
    return failure();
  for (auto [name, acc] : accs) {
    auto accType = cast<ShapedType>(acc.getType());
    if (failed(verifyAccumulatorType(op, name, accType.getElementType(),
                                     queryElt)) ||
        failed(
            verifyDimsMatch(op, name, accType, "key", keyType, {0, 1, 2, 3})))
      return failure();
  }
  return success();
}

LogicalResult GatheredBranchAttentionBackwardOp::verify() {
  int64_t rate = static_cast<int64_t>(getDilationRate());
  if (rate < 1)
    return emitOpError("'dilation_rate' = ") << rate << " must be at least 1";
  if (failed(verifyScale(*this, getScale(), getQuery())))
    return failure();
  // All operands but the query base are shaped.
  if (failed(verifyDestinationForm(
          *this, getOperation()->getOperands().drop_back(), getDpsInits())))
    return failure();
  // Local rows: query, output_grad, query_grad_acc, lse and delta share
  // [B, l, H]; gathered rows: key, value and their accumulators [B, M, H].
  if (failed(verifyQKV(*this, getQuery(), getQuery(), getQuery(),
                       {{"output_grad", getOutputGrad().getType()}},
                       /*sameElementType=*/true)) ||
      failed(verifyQKV(*this, getQuery(), getQuery(), getQuery(),
                       {{"query_grad_acc", getQueryGradAcc().getType()}},
                       /*sameElementType=*/false)) ||
      failed(verifyGatheredRows(*this, getQuery(), getKey(), getValue(),
                                {{"key_grad_acc", getKeyGradAcc()},
                                 {"value_grad_acc", getValueGradAcc()}})))
    return failure();
  auto queryType = cast<ShapedType>(getQuery().getType());
  Type accElt = cast<ShapedType>(getQueryGradAcc().getType()).getElementType();
  if (failed(verifySharedAccumulatorType(*this, accElt)))
    return failure();
  int64_t localRows = queryType.getDimSize(1);
  if (!ShapedType::isDynamic(localRows) && localRows % rate != 0)
    return emitOpError("the local sequence length ")
           << localRows << " must be a multiple of 'dilation_rate' = " << rate;
  return verifyRowTerms(*this, accElt, queryType);
}

std::optional<double> GatheredBranchAttentionBackwardOp::getScaleOrDefault() {
  return scaleOrDefault(getScale(), getQuery());
}

void GatheredBranchAttentionBackwardOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  getFlashOpEffects(*this, effects);
}
