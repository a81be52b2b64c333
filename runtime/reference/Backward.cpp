//===- Backward.cpp - Float64 backward of LongNet dilated attention -------===//
//
// Part of the longnet-mlir project. SPEC.md, "Backward (training)": the
// mixture is one softmax over the union of the branches' key sets normalised
// by the combined lse, so every branch contributes the FlashAttention-2
// backward with the combined lse and one shared Delta = dout . out - dlse.
//
//===----------------------------------------------------------------------===//

#include "BackwardKernel.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

using namespace longnet::reference;
using namespace longnet::reference::detail;

namespace {

double dot(const double *x, const double *y, int64_t size) {
  double sum = 0.0;
  for (int64_t d = 0; d < size; ++d)
    sum += x[d] * y[d];
  return sum;
}

void axpy(double alpha, const double *x, double *y, int64_t size) {
  for (int64_t d = 0; d < size; ++d)
    y[d] += alpha * x[d];
}

/// Index arithmetic of one (batch, head) of a [B, N, H, *] tensor.
struct HeadView {
  Shape shape;
  int64_t batch, head;
  int64_t row(int64_t t) const {
    return (batch * shape.seqLen + t) * shape.heads + head;
  }
  int64_t element(int64_t t) const { return row(t) * shape.headDim; }
};

/// The selected rows first, first + rate, ... (count of them) of one
/// segment: every pair of query a and visible key c.
void backwardSegment(const BackwardProblem &p, const HeadView &view,
                     const std::vector<double> &delta, int64_t first,
                     int64_t count, int64_t rate) {
  const int64_t headDim = p.shape.headDim;
  const double scale = p.scale();
  for (int64_t a = 0; a < count; ++a) {
    int64_t t = first + a * rate;
    double rowLse = p.lse[view.row(t)];
    if (rowLse == -std::numeric_limits<double>::infinity())
      continue;
    const double *qRow = p.q + view.element(t);
    const double *doRow = p.dout + view.element(t);
    double *dqRow = p.dq + view.element(t);
    int64_t numKeys = p.config.causal ? a + 1 : count;
    for (int64_t c = 0; c < numKeys; ++c) {
      int64_t u = first + c * rate;
      const double *kRow = p.k + view.element(u);
      const double *vRow = p.v + view.element(u);
      double prob = std::exp(scale * dot(qRow, kRow, headDim) - rowLse);
      axpy(prob, doRow, p.dv + view.element(u), headDim);
      double dScore = prob * (dot(doRow, vRow, headDim) - delta[t]);
      axpy(scale * dScore, kRow, dqRow, headDim);
      axpy(scale * dScore, qRow, p.dk + view.element(u), headDim);
    }
  }
}

} // namespace

std::string detail::describeBackwardError(const BackwardProblem &p) {
  if (std::string error = validate(p.config, p.shape); !error.empty())
    return error;
  const char *names[] = {"q", "k", "v", "out", "lse", "dout", "dq", "dk", "dv"};
  const void *pointers[] = {p.q,    p.k,  p.v,  p.out, p.lse,
                            p.dout, p.dq, p.dk, p.dv};
  for (int i = 0; i < 9; ++i)
    if (!pointers[i])
      return std::string(names[i]) + " must not be null";
  return "";
}

void detail::backwardHead(const BackwardProblem &p, int64_t batch,
                          int64_t head) {
  const Shape &shape = p.shape;
  const int64_t headDim = shape.headDim;
  HeadView view{shape, batch, head};
  std::vector<double> delta(shape.seqLen);
  for (int64_t t = 0; t < shape.seqLen; ++t) {
    int64_t e = view.element(t);
    delta[t] = dot(p.dout + e, p.out + e, headDim) -
               (p.dlse ? p.dlse[view.row(t)] : 0.0);
    std::fill_n(p.dq + e, headDim, 0.0);
    std::fill_n(p.dk + e, headDim, 0.0);
    std::fill_n(p.dv + e, headDim, 0.0);
  }
  for (const Branch &branch : p.config.branches) {
    int64_t w = std::min(branch.segmentLength, shape.seqLen);
    int64_t r = branch.dilationRate;
    int64_t offset = headOffset(p.config.offsetMode, head, shape.heads, r);
    for (int64_t start = 0; start < shape.seqLen; start += w) {
      int64_t count = numSelected(std::min(w, shape.seqLen - start), r, offset);
      backwardSegment(p, view, delta, start + offset, count, r);
    }
  }
}

std::string longnet::reference::dilatedAttentionBackward(
    const Config &config, const Shape &shape, const double *q, const double *k,
    const double *v, const double *out, const double *lse, const double *dout,
    const double *dlse, double *dq, double *dk, double *dv) {
  BackwardProblem problem{config, shape, q,    k,  v,  out,
                          lse,    dout,  dlse, dq, dk, dv};
  if (std::string error = describeBackwardError(problem); !error.empty())
    return error;
  for (int64_t b = 0; b < shape.batch; ++b)
    for (int64_t h = 0; h < shape.heads; ++h)
      backwardHead(problem, b, h);
  return "";
}

double longnet::reference::backwardFlops(const Config &config,
                                         const Shape &shape) {
  return 2.5 * forwardFlops(config, shape);
}
