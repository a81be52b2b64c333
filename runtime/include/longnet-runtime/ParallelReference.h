//===- ParallelReference.h - The float64 reference on threads ---*- C++ -*-===//
//
// Part of the longnet-mlir project.
//
// `dilatedAttention` of Reference.h spread over std::threads, for sequences
// long enough (N = 32K with the paper's mixture) that the serial oracle is
// too slow to check against. Every (batch, head, segment) of a branch is an
// independent task that runs the serial `dilatedAttentionBranch` on that
// segment's selected rows; the branches are then merged per row in mixture
// order with the serial arithmetic. Each output value is thus computed by
// exactly the operations of the serial reference, in the same order, and the
// results are bit-identical to `dilatedAttention` for every thread count.
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_RUNTIME_PARALLELREFERENCE_H
#define LONGNET_RUNTIME_PARALLELREFERENCE_H

#include "longnet-runtime/Reference.h"

namespace longnet {
namespace reference {

/// `dilatedAttention` on `numThreads` threads (0: the hardware concurrency).
/// Same arguments, layouts, diagnostics and (bit for bit) results.
std::string dilatedAttentionParallel(const Config &config, const Shape &shape,
                                     const double *q, const double *k,
                                     const double *v, double *out, double *lse,
                                     unsigned numThreads);

/// `dilatedAttentionBackward` on `numThreads` threads (0: the hardware
/// concurrency), one (batch, head) per task: each writes only its own rows,
/// with the serial arithmetic, so the gradients are bit-identical too.
std::string dilatedAttentionBackwardParallel(
    const Config &config, const Shape &shape, const double *q, const double *k,
    const double *v, const double *out, const double *lse, const double *dout,
    const double *dlse, double *dq, double *dk, double *dv,
    unsigned numThreads);

/// Threads used by `_mlir_ciface_longnet_reference_dilated_attention`
/// (ReferenceABI.h); 0, the default, means the hardware concurrency.
void setABIThreadCount(unsigned numThreads);
unsigned getABIThreadCount();

} // namespace reference
} // namespace longnet

#endif // LONGNET_RUNTIME_PARALLELREFERENCE_H
