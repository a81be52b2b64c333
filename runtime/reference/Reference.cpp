//===- Reference.cpp - Float64 brute-force LongNet dilated attention ------===//
//
// See Reference.h and docs/SPEC.md for the semantics implemented here.
//
//===----------------------------------------------------------------------===//

#include "longnet-runtime/Reference.h"
#include "MixtureAccumulator.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

using namespace longnet::reference;

namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

//===----------------------------------------------------------------------===//
// Validation
//===----------------------------------------------------------------------===//

/// B, N and H may be 0 (an empty problem, as the verifier allows); D has to
/// be positive (no scores to normalise otherwise).
std::string describeDimError(const char *name, int64_t value, int64_t least) {
  if (value >= least)
    return "";
  return std::string(name) + " " + std::to_string(value) +
         (least > 0 ? " must be positive" : " must not be negative");
}

std::string describeShapeError(const Shape &shape) {
  for (std::string error :
       {describeDimError("batch size", shape.batch, 0),
        describeDimError("sequence length", shape.seqLen, 0),
        describeDimError("number of heads", shape.heads, 0),
        describeDimError("head dimension", shape.headDim, 1)})
    if (!error.empty())
      return error;
  return "";
}

/// `name` prefixes the message, e.g. "branch 1".
std::string describeBranchError(const std::string &name, Branch branch) {
  int64_t w = branch.segmentLength;
  int64_t r = branch.dilationRate;
  if (w < 1)
    return name + ": segment length " + std::to_string(w) +
           " must be at least 1";
  if (r < 1)
    return name + ": dilation rate " + std::to_string(r) +
           " must be at least 1";
  if (r > w)
    return name + ": dilation rate " + std::to_string(r) +
           " exceeds segment length " + std::to_string(w);
  return "";
}

std::string describeDuplicateError(const std::vector<Branch> &branches,
                                   size_t index) {
  const Branch &branch = branches[index];
  for (size_t other = 0; other < index; ++other) {
    if (branches[other].segmentLength != branch.segmentLength ||
        branches[other].dilationRate != branch.dilationRate)
      continue;
    return "branch " + std::to_string(index) + ": (segment length " +
           std::to_string(branch.segmentLength) + ", dilation rate " +
           std::to_string(branch.dilationRate) + ") duplicates branch " +
           std::to_string(other);
  }
  return "";
}

std::string describeMixtureError(const std::vector<Branch> &branches) {
  if (branches.empty())
    return "mixture has no branches";
  for (size_t index = 0; index < branches.size(); ++index) {
    std::string error =
        describeBranchError("branch " + std::to_string(index), branches[index]);
    if (error.empty())
      error = describeDuplicateError(branches, index);
    if (!error.empty())
      return error;
  }
  return "";
}

std::string describeScaleError(const std::optional<double> &scale) {
  if (!scale || (std::isfinite(*scale) && *scale > 0.0))
    return "";
  std::ostringstream os;
  os << "scale " << *scale << " must be positive and finite";
  return os.str();
}

std::string describeNullError(const char *name, const void *pointer) {
  return pointer ? "" : std::string(name) + " must not be null";
}

std::string describeBufferError(const double *q, const double *k,
                                const double *v, const double *out) {
  for (std::string error :
       {describeNullError("q", q), describeNullError("k", k),
        describeNullError("v", v), describeNullError("out", out)})
    if (!error.empty())
      return error;
  return "";
}

//===----------------------------------------------------------------------===//
// One branch
//===----------------------------------------------------------------------===//

double resolveScale(const Config &config, const Shape &shape) {
  return config.scale.value_or(1.0 / std::sqrt(double(shape.headDim)));
}

/// Everything a branch needs to evaluate one selected query row.
struct BranchContext {
  Shape shape;
  double scale;
  bool causal;
  const double *q;
  const double *k;
  const double *v;
  double *out;
  double *lse;
  /// Scratch for the scores of one row; sized for the largest key set.
  std::vector<double> scores;

  BranchContext(const Shape &shape, double scale, bool causal, const double *q,
                const double *k, const double *v, double *out, double *lse,
                int64_t maxKeys)
      : shape(shape), scale(scale), causal(causal), q(q), k(k), v(v), out(out),
        lse(lse), scores(maxKeys) {}

  int64_t rowIndex(int64_t b, int64_t t, int64_t h) const {
    return (b * shape.seqLen + t) * shape.heads + h;
  }
  int64_t elementIndex(int64_t b, int64_t t, int64_t h) const {
    return rowIndex(b, t, h) * shape.headDim;
  }
};

double dot(const double *x, const double *y, int64_t size) {
  double sum = 0.0;
  for (int64_t d = 0; d < size; ++d)
    sum += x[d] * y[d];
  return sum;
}

/// Computes query row `t` against the `numKeys` keys at positions
/// firstKey, firstKey + rate, ... with a max-subtracted softmax.
void attendRow(BranchContext &ctx, int64_t b, int64_t h, int64_t t,
               int64_t firstKey, int64_t numKeys, int64_t rate) {
  const int64_t headDim = ctx.shape.headDim;
  const double *qRow = ctx.q + ctx.elementIndex(b, t, h);
  double maxScore = kNegInf;
  for (int64_t a = 0; a < numKeys; ++a) {
    const double *kRow = ctx.k + ctx.elementIndex(b, firstKey + a * rate, h);
    ctx.scores[a] = ctx.scale * dot(qRow, kRow, headDim);
    maxScore = std::max(maxScore, ctx.scores[a]);
  }

  double *outRow = ctx.out + ctx.elementIndex(b, t, h);
  double sum = 0.0;
  for (int64_t a = 0; a < numKeys; ++a) {
    const double *vRow = ctx.v + ctx.elementIndex(b, firstKey + a * rate, h);
    double weight = std::exp(ctx.scores[a] - maxScore);
    sum += weight;
    for (int64_t d = 0; d < headDim; ++d)
      outRow[d] += weight * vRow[d];
  }
  for (int64_t d = 0; d < headDim; ++d)
    outRow[d] /= sum;
  ctx.lse[ctx.rowIndex(b, t, h)] = maxScore + std::log(sum);
}

/// Attention inside the segment [start, start + size) for one (batch, head).
void attendSegment(BranchContext &ctx, int64_t b, int64_t h, int64_t start,
                   int64_t size, int64_t rate, int64_t offset) {
  int64_t count = numSelected(size, rate, offset);
  int64_t first = start + offset;
  for (int64_t a = 0; a < count; ++a) {
    // Causal: key u <= t, i.e. the selected positions up to and including t.
    int64_t numKeys = ctx.causal ? a + 1 : count;
    attendRow(ctx, b, h, first + a * rate, first, numKeys, rate);
  }
}

void runBranch(BranchContext &ctx, Branch branch, OffsetMode mode) {
  const Shape &shape = ctx.shape;
  int64_t w = std::min(branch.segmentLength, shape.seqLen);
  int64_t r = branch.dilationRate;
  for (int64_t b = 0; b < shape.batch; ++b) {
    for (int64_t h = 0; h < shape.heads; ++h) {
      int64_t offset = headOffset(mode, h, shape.heads, r);
      for (int64_t start = 0; start < shape.seqLen; start += w)
        attendSegment(ctx, b, h, start, std::min(w, shape.seqLen - start), r,
                      offset);
    }
  }
}

//===----------------------------------------------------------------------===//
// Mixture (SPEC Eq. 10)
//===----------------------------------------------------------------------===//

using detail::MixtureAccumulator;

int64_t numRows(const Shape &shape) {
  return shape.batch * shape.seqLen * shape.heads;
}

/// Quadratic pair count of one branch for one head: sum_g c(|P_g|), in
/// closed form (N / w full segments and one partial one), so that it costs
/// the same for N = 2^40 as for N = 16.
double branchHeadPairs(Branch branch, int64_t seqLen, int64_t offset,
                       bool causal) {
  if (seqLen <= 0)
    return 0.0;
  int64_t w = std::min(branch.segmentLength, seqLen);
  auto segmentPairs = [&](int64_t size) {
    double m = double(numSelected(size, branch.dilationRate, offset));
    return causal ? m * (m + 1.0) / 2.0 : m * m;
  };
  return double(seqLen / w) * segmentPairs(w) + segmentPairs(seqLen % w);
}

} // namespace

//===----------------------------------------------------------------------===//
// Public API
//===----------------------------------------------------------------------===//

std::string longnet::reference::validate(const Config &config,
                                         const Shape &shape) {
  for (std::string error :
       {describeShapeError(shape), describeMixtureError(config.branches),
        describeScaleError(config.scale)})
    if (!error.empty())
      return error;
  return "";
}

int64_t longnet::reference::headOffset(OffsetMode mode, int64_t head,
                                       int64_t numHeads, int64_t rate) {
  if (rate < 1 || numHeads < 1 || head < 0 || head >= numHeads)
    return 0;
  switch (mode) {
  case OffsetMode::Cyclic:
    return head % rate;
  case OffsetMode::Grouped: {
    int64_t headsPerOffset = (numHeads + rate - 1) / rate;
    return head / headsPerOffset;
  }
  case OffsetMode::None:
    return 0;
  }
  return 0;
}

int64_t longnet::reference::numSelected(int64_t segmentSize, int64_t rate,
                                        int64_t offset) {
  if (rate < 1 || offset < 0 || offset >= segmentSize)
    return 0;
  return (segmentSize - 1 - offset) / rate + 1;
}

std::string longnet::reference::dilatedAttentionBranch(
    const Config &config, Branch branch, const Shape &shape, const double *q,
    const double *k, const double *v, double *out, double *lse) {
  for (std::string error :
       {describeShapeError(shape), describeBranchError("branch", branch),
        describeScaleError(config.scale), describeBufferError(q, k, v, out),
        describeNullError("lse", lse)})
    if (!error.empty())
      return error;

  int64_t rows = numRows(shape);
  std::fill(out, out + rows * shape.headDim, 0.0);
  std::fill(lse, lse + rows, kNegInf);

  int64_t maxKeys = numSelected(std::min(branch.segmentLength, shape.seqLen),
                                branch.dilationRate, 0);
  BranchContext ctx(shape, resolveScale(config, shape), config.causal, q, k, v,
                    out, lse, maxKeys);
  runBranch(ctx, branch, config.offsetMode);
  return "";
}

std::string longnet::reference::dilatedAttention(
    const Config &config, const Shape &shape, const double *q, const double *k,
    const double *v, double *out, double *lse) {
  for (std::string error :
       {validate(config, shape), describeBufferError(q, k, v, out)})
    if (!error.empty())
      return error;

  int64_t rows = numRows(shape);
  // At least one element: an empty problem still passes buffers, not null.
  std::vector<double> branchOut(std::max<int64_t>(rows * shape.headDim, 1));
  std::vector<double> branchLse(std::max<int64_t>(rows, 1));
  MixtureAccumulator mixture(rows, shape.headDim);
  for (const Branch &branch : config.branches) {
    std::string error = dilatedAttentionBranch(
        config, branch, shape, q, k, v, branchOut.data(), branchLse.data());
    if (!error.empty())
      return error;
    for (int64_t row = 0; row < rows; ++row)
      mixture.addRow(row, &branchOut[row * shape.headDim], branchLse[row]);
  }
  for (int64_t row = 0; row < rows; ++row)
    mixture.writeRow(row, out + row * shape.headDim, lse ? lse + row : nullptr);
  return "";
}

double longnet::reference::forwardFlops(const Config &config,
                                        const Shape &shape) {
  if (!validate(config, shape).empty())
    return 0.0;
  double pairs = 0.0;
  for (const Branch &branch : config.branches) {
    for (int64_t h = 0; h < shape.heads; ++h) {
      int64_t offset =
          headOffset(config.offsetMode, h, shape.heads, branch.dilationRate);
      pairs += branchHeadPairs(branch, shape.seqLen, offset, config.causal);
    }
  }
  return 4.0 * double(shape.batch) * double(shape.headDim) * pairs;
}
