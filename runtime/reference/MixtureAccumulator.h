//===- MixtureAccumulator.h - Per-row merge of branch outputs ---*- C++ -*-===//
//
// Part of the longnet-mlir project. Private to runtime/reference: the merge
// of SPEC Eq. 10 shared by the serial and the threaded reference.
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_RUNTIME_REFERENCE_MIXTUREACCUMULATOR_H
#define LONGNET_RUNTIME_REFERENCE_MIXTUREACCUMULATOR_H

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace longnet {
namespace reference {
namespace detail {

/// Running lse-weighted sum over branches, rescaled whenever a larger lse
/// arrives so that no exponential ever overflows:
///   weighted = sum_i exp(lse_i - maxLse) o_i, denom = sum_i exp(lse_i -
///   maxLse)
struct MixtureAccumulator {
  int64_t headDim;
  std::vector<double> weighted;
  std::vector<double> denom;
  std::vector<double> maxLse;

  MixtureAccumulator(int64_t numRows, int64_t headDim)
      : headDim(headDim), weighted(numRows * headDim, 0.0), denom(numRows, 0.0),
        maxLse(numRows, -std::numeric_limits<double>::infinity()) {}

  void addRow(int64_t row, const double *branchOut, double branchLse) {
    if (branchLse == -std::numeric_limits<double>::infinity())
      return;
    double *acc = &weighted[row * headDim];
    if (branchLse > maxLse[row]) {
      double rescale = std::exp(maxLse[row] - branchLse);
      for (int64_t d = 0; d < headDim; ++d)
        acc[d] *= rescale;
      denom[row] *= rescale;
      maxLse[row] = branchLse;
    }
    double weight = std::exp(branchLse - maxLse[row]);
    for (int64_t d = 0; d < headDim; ++d)
      acc[d] += weight * branchOut[d];
    denom[row] += weight;
  }

  void writeRow(int64_t row, double *out, double *lse) const {
    bool covered = maxLse[row] != -std::numeric_limits<double>::infinity();
    for (int64_t d = 0; d < headDim; ++d)
      out[d] = covered ? weighted[row * headDim + d] / denom[row] : 0.0;
    if (lse)
      *lse = covered ? maxLse[row] + std::log(denom[row])
                     : -std::numeric_limits<double>::infinity();
  }
};

} // namespace detail
} // namespace reference
} // namespace longnet

#endif // LONGNET_RUNTIME_REFERENCE_MIXTUREACCUMULATOR_H
