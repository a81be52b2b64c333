//===- CostReport.cpp - Per-device costs of sequence parallelism -*- C++
//-*-===//
//
// Part of the longnet-mlir project.
//
//===----------------------------------------------------------------------===//
//
// Prints, for every longnet.dilated_attention, the FLOPs, activation memory
// and all-gather traffic of one device when the sequence is sharded over P
// devices (SPEC "Sequence-parallel execution" and "Costs to report").
//
//===----------------------------------------------------------------------===//

#include "longnet-runtime/Reference.h"
#include "longnet/Dialect/LongNet/IR/LongNetOps.h"
#include "longnet/Dialect/LongNet/Transforms/Passes.h"
#include "longnet/Dialect/LongNet/Transforms/Utils.h"

#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <optional>
#include <string>

namespace mlir::longnet {
#define GEN_PASS_DEF_LONGNETCOSTREPORT
#include "longnet/Dialect/LongNet/Transforms/Passes.h.inc"
} // namespace mlir::longnet

using namespace mlir;
using namespace mlir::longnet;
namespace reference = ::longnet::reference;

namespace {

/// [B, N, H, D] and element sizes of one op, with the overrides applied.
struct Problem {
  int64_t batch, seqLen, heads, headDim;
  int64_t elementBytes, accumulatorBytes;
  bool causal;
  reference::OffsetMode offsetMode;
  /// A longnet.dilated_attention_backward: backward FLOPs, and the
  /// reduce-scatter of the gathered rows' gradients as the traffic.
  bool backward = false;
};

/// The costs of one branch on one device.
struct BranchCost {
  int64_t segmentLength, dilationRate, effectiveLength;
  /// Empty when supported, else why the sharding rejects the branch.
  std::string unsupportedReason;
  /// Devices in the segment group; 1 for a local branch.
  int64_t groupSize = 1;
  double flops = 0.0;
  uint64_t extraActivationBytes = 0;
  uint64_t receivedBytes = 0;
  uint64_t specReceivedElements = 0;
};

} // namespace

static reference::OffsetMode convertOffsetMode(OffsetMode mode) {
  switch (mode) {
  case OffsetMode::cyclic:
    return reference::OffsetMode::Cyclic;
  case OffsetMode::grouped:
    return reference::OffsetMode::Grouped;
  case OffsetMode::none:
    return reference::OffsetMode::None;
  }
  return reference::OffsetMode::Cyclic;
}

/// Why a branch of effective segment length `w` and rate `r` cannot be
/// sharded into chunks of `l` of `n` tokens, or an empty string.
static std::string describeUnsupportedLayout(int64_t w, int64_t r, int64_t l,
                                             int64_t n) {
  std::string reason;
  llvm::raw_string_ostream os(reason);
  if (w <= l) {
    // w = 0: an empty sequence, which every chunk holds whole.
    if (w != 0 && l % w != 0)
      os << "segment length " << w << " does not divide the " << l
         << " local tokens (a segment is cut by a chunk boundary)";
  } else if (w % l != 0) {
    os << "segment length " << w << " is not a multiple of the " << l
       << " local tokens (a segment is cut by a chunk boundary)";
  } else if (l % r != 0) {
    os << "dilation rate " << r << " does not divide the " << l
       << " local tokens (chunks would select different rows)";
  } else if (n % w != 0) {
    os << "the last segment is partial (N = " << n << " is not a multiple of "
       << w << ") and spans devices";
  }
  return reason;
}

/// FLOPs of branch (w, r) over the whole sequence: the reference's count.
static double wholeBranchFlops(const Problem &problem, int64_t w, int64_t r) {
  reference::Config config;
  config.branches = {{w, r}};
  config.causal = problem.causal;
  config.offsetMode = problem.offsetMode;
  reference::Shape shape{problem.batch, problem.seqLen, problem.heads,
                         problem.headDim};
  return problem.backward ? reference::backwardFlops(config, shape)
                          : reference::forwardFlops(config, shape);
}

static BranchCost computeBranchCost(const Problem &problem, int64_t devices,
                                    int64_t w, int64_t r) {
  BranchCost cost;
  cost.segmentLength = w;
  cost.dilationRate = r;
  cost.effectiveLength = std::min(w, problem.seqLen);
  int64_t n = problem.seqLen;
  int64_t l = n / devices;
  int64_t wEff = cost.effectiveLength;
  if (devices > 1)
    cost.unsupportedReason = describeUnsupportedLayout(wEff, r, l, n);
  if (!cost.unsupportedReason.empty())
    return cost;

  if (devices == 1 || wEff <= l) {
    cost.flops = wholeBranchFlops(problem, w, r) / double(devices);
    return cost;
  }

  // Spanning: every device of the group holds m = l / r selected rows of each
  // head (l mod r == 0) and gathers the group's G * m = w_eff / r keys.
  uint64_t perRow = uint64_t(problem.batch) * problem.heads * problem.headDim;
  uint64_t m = uint64_t(l / r);
  uint64_t g = uint64_t(wEff / l);
  cost.groupSize = int64_t(g);
  double pairs = problem.causal ? double(g - 1) * double(m) * double(m) +
                                      double(m) * (double(m) + 1.0) / 2.0
                                : double(m) * double(g * m);
  cost.flops = (problem.backward ? 10.0 : 4.0) * double(perRow) * pairs;
  uint64_t gatheredElements = 2 * perRow * g * m;
  uint64_t localElements = 2 * perRow * m;
  cost.extraActivationBytes =
      (gatheredElements + localElements) * problem.elementBytes;
  cost.receivedBytes = (g - 1) * localElements * problem.elementBytes;
  if (problem.backward) {
    // The gathered rows' dK and dV (accumulators), and the device's own
    // rows of them after the reduce-scatter; received: the reduce-scatter.
    cost.extraActivationBytes +=
        (gatheredElements + localElements) * problem.accumulatorBytes;
    cost.receivedBytes = (g - 1) * localElements * problem.accumulatorBytes;
  }
  cost.specReceivedElements = 2 * perRow * uint64_t(wEff / r);
  return cost;
}

/// Bytes every device holds whatever the branch: local Q, K, V and output
/// plus the (output, lse) accumulators.
static uint64_t computeBaseActivationBytes(const Problem &problem,
                                           int64_t localTokens) {
  uint64_t rows = uint64_t(problem.batch) * localTokens * problem.heads;
  uint64_t elements = rows * problem.headDim;
  return 4 * elements * problem.elementBytes +
         (elements + rows) * problem.accumulatorBytes;
}

static std::string formatFlops(double flops) {
  return llvm::formatv("{0:F0}", flops).str();
}

static StringRef stringifyOffsetMode(reference::OffsetMode mode) {
  switch (mode) {
  case reference::OffsetMode::Cyclic:
    return "cyclic";
  case reference::OffsetMode::Grouped:
    return "grouped";
  case reference::OffsetMode::None:
    return "none";
  }
  return "cyclic";
}

static void printReport(raw_ostream &os, StringRef opName,
                        const Problem &problem, int64_t devices,
                        Type elementType, ArrayRef<BranchCost> branches) {
  int64_t l = problem.seqLen / devices;
  uint64_t base = computeBaseActivationBytes(problem, l);
  os << "longnet-cost-report: " << opName << "\n";
  os << "  B = " << problem.batch << ", N = " << problem.seqLen
     << ", H = " << problem.heads << ", D = " << problem.headDim << ", "
     << elementType << " (" << problem.elementBytes << " bytes), "
     << (problem.causal ? "causal" : "non-causal") << ", offset "
     << stringifyOffsetMode(problem.offsetMode) << "\n";
  os << "  P = " << devices << ", l = " << l
     << " tokens per device, base activation bytes per device: " << base
     << "\n";
  os << llvm::format("  %6s %10s %8s %22s %18s %16s %16s  %s\n", "branch", "w",
                     "r", "flops", "activation_bytes", "recv_bytes",
                     "spec_recv_elems", "kind");

  double totalFlops = 0.0;
  uint64_t peakBytes = base, totalReceived = 0;
  const BranchCost *firstUnsupported = nullptr;
  for (auto [index, cost] : llvm::enumerate(branches)) {
    std::string kind, flops = "-", bytes = "-", received = "-", spec = "-";
    if (!cost.unsupportedReason.empty()) {
      kind = "unsupported: " + cost.unsupportedReason;
      if (!firstUnsupported)
        firstUnsupported = &cost;
    } else {
      kind = cost.groupSize > 1 ? "spans " + std::to_string(cost.groupSize)
                                : "local";
      flops = formatFlops(cost.flops);
      bytes = std::to_string(base + cost.extraActivationBytes);
      received = std::to_string(cost.receivedBytes);
      spec = std::to_string(cost.specReceivedElements);
      totalFlops += cost.flops;
      peakBytes = std::max(peakBytes, base + cost.extraActivationBytes);
      totalReceived += cost.receivedBytes;
    }
    os << llvm::format("  %6zu %10lld %8lld %22s %18s %16s %16s  %s\n", index,
                       (long long)cost.segmentLength,
                       (long long)cost.dilationRate, flops.c_str(),
                       bytes.c_str(), received.c_str(), spec.c_str(),
                       kind.c_str());
  }

  if (firstUnsupported) {
    os << "  total: unsupported (branch (" << firstUnsupported->segmentLength
       << ", " << firstUnsupported->dilationRate << ") cannot be sharded over "
       << devices << " devices)\n";
    return;
  }
  os << "  total flops per device: " << formatFlops(totalFlops) << "\n";
  os << "  peak activation bytes per device: " << peakBytes << "\n";
  os << "  total bytes received per device: " << totalReceived << "\n";
  if (problem.backward)
    os << "  (backward: flops are SPEC's backward FLOPs, 2.5x the forward's; "
          "recv_bytes are the reduce-scatters of the gathered rows' dK and "
          "dV. The all-gather of the sparsified K and V is the forward's, "
          "reused when both are in one function)\n";
}

/// The static size `size`, else the override; an error when both are absent.
static FailureOr<int64_t> resolveSize(Operation *op, int64_t size,
                                      int64_t override, StringRef dimName,
                                      StringRef optionName) {
  if (override > 0)
    return override;
  if (!ShapedType::isDynamic(size))
    return size;
  op->emitError() << "longnet-cost-report: " << dimName
                  << " of the query is dynamic; give it with the option "
                  << optionName << "=<value>";
  return failure();
}

template <typename OpTy>
static FailureOr<Problem> getProblem(OpTy op, int64_t tokens, int64_t batch,
                                     int64_t devices) {
  auto queryType = cast<ShapedType>(op.getQuery().getType());
  ArrayRef<int64_t> shape = queryType.getShape();
  if (ShapedType::isDynamic(shape[2]) || ShapedType::isDynamic(shape[3])) {
    op.emitError("longnet-cost-report: H and D of the query must be static");
    return failure();
  }
  FailureOr<int64_t> b = resolveSize(op, shape[0], batch, "B", "batch");
  if (failed(b))
    return failure();
  FailureOr<int64_t> n = resolveSize(op, shape[1], tokens, "N", "tokens");
  if (failed(n))
    return failure();
  if (*n % devices != 0) {
    op.emitError() << "longnet-cost-report: N = " << *n
                   << " is not divisible by devices = " << devices;
    return failure();
  }
  Type elementType = queryType.getElementType();
  return Problem{
      *b,
      *n,
      shape[2],
      shape[3],
      int64_t(elementType.getIntOrFloatBitWidth() / 8),
      int64_t(getAccumulatorType(elementType).getIntOrFloatBitWidth() / 8),
      op.getCausal(),
      convertOffsetMode(op.getOffsetMode()),
      isa<DilatedAttentionBackwardOp>(op.getOperation())};
}

/// "longnet.dilated_attention #i in @f" (stable across file paths).
static std::string describeOp(Operation *op, unsigned index) {
  std::string name;
  llvm::raw_string_ostream os(name);
  os << op->getName() << " #" << index;
  if (auto function = op->getParentOfType<FunctionOpInterface>())
    os << " in @" << function.getName();
  return name;
}

namespace {
struct CostReportPass
    : public mlir::longnet::impl::LongNetCostReportBase<CostReportPass> {
  using Base::Base;

  void runOnOperation() override {
    markAllAnalysesPreserved();
    if (failed(checkOptions()))
      return signalPassFailure();
    unsigned index = 0, backwardIndex = 0;
    auto report = [&](auto op, unsigned &counter) {
      FailureOr<Problem> problem = getProblem(op, tokens, batch, devices);
      if (failed(problem))
        return WalkResult::interrupt();
      SmallVector<BranchCost> branches;
      for (auto [w, r] :
           llvm::zip_equal(op.getSegmentLengths(), op.getDilationRates()))
        branches.push_back(computeBranchCost(*problem, devices, w, r));
      printReport(llvm::outs(), describeOp(op, counter++), *problem, devices,
                  cast<ShapedType>(op.getQuery().getType()).getElementType(),
                  branches);
      return WalkResult::advance();
    };
    WalkResult result = getOperation()->walk([&](Operation *op) {
      if (auto forward = dyn_cast<DilatedAttentionOp>(op))
        return report(forward, index);
      if (auto backward = dyn_cast<DilatedAttentionBackwardOp>(op))
        return report(backward, backwardIndex);
      return WalkResult::advance();
    });
    llvm::outs().flush();
    if (result.wasInterrupted())
      signalPassFailure();
  }

  LogicalResult checkOptions() {
    auto fail = [&](StringRef option, int64_t value, StringRef bound) {
      getOperation().emitError() << "longnet-cost-report: option " << option
                                 << " = " << value << " must be " << bound;
      return failure();
    };
    if (devices < 1)
      return fail("devices", devices, ">= 1");
    if (tokens < 0)
      return fail("tokens", tokens, ">= 0 (0: the op's N)");
    if (batch < 0)
      return fail("batch", batch, ">= 0 (0: the op's B)");
    return success();
  }
};
} // namespace
