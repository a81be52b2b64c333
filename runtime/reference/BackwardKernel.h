//===- BackwardKernel.h - One head of the float64 backward ------*- C++ -*-===//
//
// Part of the longnet-mlir project. Private to runtime/reference: the
// backward of one (batch, head), shared by the serial and the threaded
// reference. A (batch, head) reads and writes only its own rows of dq, dk
// and dv, so heads run in any order or in parallel with identical results.
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_RUNTIME_REFERENCE_BACKWARDKERNEL_H
#define LONGNET_RUNTIME_REFERENCE_BACKWARDKERNEL_H

#include "longnet-runtime/Reference.h"

#include <cmath>

namespace longnet {
namespace reference {
namespace detail {

struct BackwardProblem {
  const Config &config;
  Shape shape;
  const double *q, *k, *v, *out, *lse, *dout, *dlse;
  double *dq, *dk, *dv;
  /// config.scale, else 1 / sqrt(D).
  double scale() const {
    return config.scale.value_or(
        shape.headDim > 0 ? 1.0 / std::sqrt(double(shape.headDim)) : 1.0);
  }
};

/// Validates the configuration and the buffers (dlse may be null); returns
/// the first error or "".
std::string describeBackwardError(const BackwardProblem &problem);

/// Overwrites the rows of head `head` in batch `batch` of dq, dk and dv.
void backwardHead(const BackwardProblem &problem, int64_t batch, int64_t head);

} // namespace detail
} // namespace reference
} // namespace longnet

#endif // LONGNET_RUNTIME_REFERENCE_BACKWARDKERNEL_H
