//===- AttentionOps.cpp - What longnet-run reads off attention ops -------===//
//
// Part of the longnet-mlir project.
//
//===----------------------------------------------------------------------===//

#include "AttentionOps.h"

#include "longnet-runtime/Reference.h"
#include "longnet/Dialect/LongNet/IR/LongNetOps.h"

#include "llvm/Support/raw_ostream.h"

using namespace longnet;
using namespace longnet::run;
using mlir::ArrayRef;
using mlir::SmallVector;
using mlir::SmallVectorImpl;
using mlir::longnet::DilatedAttentionBackwardOp;
using mlir::longnet::DilatedAttentionOp;

namespace {

reference::OffsetMode convertOffsetMode(mlir::longnet::OffsetMode mode) {
  switch (mode) {
  case mlir::longnet::OffsetMode::cyclic:
    return reference::OffsetMode::Cyclic;
  case mlir::longnet::OffsetMode::grouped:
    return reference::OffsetMode::Grouped;
  case mlir::longnet::OffsetMode::none:
    return reference::OffsetMode::None;
  }
  return reference::OffsetMode::Cyclic;
}

template <typename OpTy> reference::Config getConfig(OpTy op) {
  reference::Config config;
  for (auto [w, r] :
       llvm::zip_equal(op.getSegmentLengths(), op.getDilationRates()))
    config.branches.push_back({w, r});
  config.causal = op.getCausal();
  config.offsetMode = convertOffsetMode(op.getOffsetMode());
  return config;
}

/// The entry argument that `value` is, if any.
std::optional<unsigned> getEntryArgument(mlir::Value value,
                                         mlir::func::FuncOp entry) {
  auto argument = llvm::dyn_cast<mlir::BlockArgument>(value);
  if (!argument || entry.isDeclaration() ||
      argument.getOwner() != &entry.front())
    return std::nullopt;
  return argument.getArgNumber();
}

/// The shape of `value` as far as it is known: from `inputs` when it is an
/// entry argument, else its type's (with dynamic dimensions).
SmallVector<int64_t> getKnownShape(mlir::Value value, mlir::func::FuncOp entry,
                                   ArrayRef<HostTensor> inputs) {
  if (std::optional<unsigned> argument = getEntryArgument(value, entry))
    return llvm::to_vector(inputs[*argument].getShape());
  return llvm::to_vector(
      llvm::cast<mlir::RankedTensorType>(value.getType()).getShape());
}

/// The query's [B, N, H, D], when every dimension is known.
std::optional<reference::Shape> getShape(mlir::Value query,
                                         mlir::func::FuncOp entry,
                                         ArrayRef<HostTensor> inputs) {
  SmallVector<int64_t> dims = getKnownShape(query, entry, inputs);
  if (dims.size() != 4 || llvm::any_of(dims, mlir::ShapedType::isDynamic))
    return std::nullopt;
  return reference::Shape{dims[0], dims[1], dims[2], dims[3]};
}

/// "1x?x4x64 (argument 2)" or "1x?x4x64".
std::string describeOperand(mlir::Value value, mlir::func::FuncOp entry,
                            ArrayRef<HostTensor> inputs) {
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::interleave(
      getKnownShape(value, entry, inputs), os,
      [&](int64_t dim) {
        if (mlir::ShapedType::isDynamic(dim))
          os << "?";
        else
          os << dim;
      },
      "x");
  if (std::optional<unsigned> argument = getEntryArgument(value, entry))
    os << " (argument " << *argument << ")";
  return text;
}

/// Whether two known shapes can be equal: same rank, equal where both known.
bool mayBeEqual(ArrayRef<int64_t> a, ArrayRef<int64_t> b) {
  if (a.size() != b.size())
    return false;
  for (auto [x, y] : llvm::zip_equal(a, b))
    if (!mlir::ShapedType::isDynamic(x) && !mlir::ShapedType::isDynamic(y) &&
        x != y)
      return false;
  return true;
}

std::string describeLocation(mlir::Location loc) {
  std::string text;
  llvm::raw_string_ostream os(text);
  if (auto fileLoc = loc->findInstanceOf<mlir::FileLineColLoc>())
    os << fileLoc.getFilename().getValue() << ":" << fileLoc.getLine() << ":"
       << fileLoc.getColumn();
  else
    os << loc;
  return text;
}

/// Calls `visit` on the longnet.dilated_attention and
/// longnet.dilated_attention_backward ops that `function` runs: its own and,
/// through func.call, those of its callees (once per call).
void forEachAttentionOp(mlir::func::FuncOp function,
                        SmallVectorImpl<mlir::func::FuncOp> &callStack,
                        llvm::function_ref<void(mlir::Operation *)> visit) {
  if (function.isDeclaration() || llvm::is_contained(callStack, function))
    return;
  callStack.push_back(function);
  function.walk([&](mlir::Operation *op) {
    if (llvm::isa<DilatedAttentionOp, DilatedAttentionBackwardOp>(op)) {
      visit(op);
      return;
    }
    auto call = llvm::dyn_cast<mlir::func::CallOp>(op);
    if (!call)
      return;
    if (auto callee =
            mlir::SymbolTable::lookupNearestSymbolFrom<mlir::func::FuncOp>(
                call, call.getCalleeAttr()))
      forEachAttentionOp(callee, callStack, visit);
  });
  callStack.pop_back();
}

} // namespace

AttentionCost longnet::run::countAttentionCost(mlir::func::FuncOp entry,
                                               ArrayRef<HostTensor> inputs) {
  AttentionCost cost;
  SmallVector<mlir::func::FuncOp> callStack;
  forEachAttentionOp(entry, callStack, [&](mlir::Operation *op) {
    auto forward = llvm::dyn_cast<DilatedAttentionOp>(op);
    auto backward = llvm::dyn_cast<DilatedAttentionBackwardOp>(op);
    mlir::Value query = forward ? forward.getQuery() : backward.getQuery();
    std::optional<reference::Shape> shape = getShape(query, entry, inputs);
    if (cost.numOps++ == 0 && shape)
      cost.tokens = shape->batch * shape->seqLen;
    if (!shape) {
      if (cost.unresolved.empty())
        cost.unresolved = "the query of the " +
                          op->getName().getStringRef().str() + " at " +
                          describeLocation(op->getLoc()) +
                          " has a dynamic dimension that is not an entry "
                          "argument's";
      return;
    }
    if (forward) {
      cost.flops += reference::forwardFlops(getConfig(forward), *shape);
    } else {
      ++cost.numBackwardOps;
      cost.flops += reference::backwardFlops(getConfig(backward), *shape);
    }
  });
  if (!cost.unresolved.empty())
    cost.flops = 0.0;
  return cost;
}

llvm::Error longnet::run::checkAttentionShapes(mlir::func::FuncOp entry,
                                               ArrayRef<HostTensor> inputs) {
  std::string error;
  entry.walk([&](mlir::Operation *raw) {
    auto op = llvm::dyn_cast<DilatedAttentionOp>(raw);
    auto backward = llvm::dyn_cast<DilatedAttentionBackwardOp>(raw);
    if (!op && !backward)
      return mlir::WalkResult::advance();
    std::string opName = raw->getName().getStringRef().str();
    mlir::Value queryValue = op ? op.getQuery() : backward.getQuery();
    SmallVector<int64_t> query = getKnownShape(queryValue, entry, inputs);
    // The verifier's rule for a static D, for a D known only now: an empty
    // head dimension has no scores to normalise (every output NaN).
    if (query.size() == 4 && query[3] == 0) {
      error = "the " + opName + " at " + describeLocation(raw->getLoc()) +
              " gets query " + describeOperand(queryValue, entry, inputs) +
              " with head dimension D = 0; D must be at least 1";
      return mlir::WalkResult::interrupt();
    }
    SmallVector<std::pair<const char *, mlir::Value>> others;
    if (op)
      others = {{"key", op.getKey()}, {"value", op.getValue()}};
    else
      others = {{"key", backward.getKey()},
                {"value", backward.getValue()},
                {"output", backward.getOutput()},
                {"output_grad", backward.getOutputGrad()}};
    for (auto [name, operand] : others) {
      if (mayBeEqual(query, getKnownShape(operand, entry, inputs)))
        continue;
      error = "the " + opName + " at " + describeLocation(raw->getLoc()) +
              " gets query " + describeOperand(queryValue, entry, inputs) +
              " and " + name + " " + describeOperand(operand, entry, inputs) +
              "; their shapes must be equal";
      return mlir::WalkResult::interrupt();
    }
    return mlir::WalkResult::advance();
  });
  if (error.empty())
    return llvm::Error::success();
  return llvm::createStringError(llvm::inconvertibleErrorCode(), error);
}
