//===- ReferenceABI.h - The reference as compiled code calls it --*- C++
//-*-===//
//
// Part of the longnet-mlir project.
//
// `longnet-lower-to-cpu{reference=1}` replaces every longnet.dilated_attention
// by a call of this function on f64 memrefs (MLIR's C interface: each memref
// is passed as a pointer to its strided descriptor). `longnet-run --check`
// runs a model this way to compare it with the float64 reference.
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_RUNTIME_REFERENCEABI_H
#define LONGNET_RUNTIME_REFERENCEABI_H

#include <cstdint>

/// MLIR's strided memref descriptor of rank N.
template <typename T, int N> struct LongNetMemRef {
  T *allocated;
  T *aligned;
  int64_t offset;
  int64_t sizes[N];
  int64_t strides[N];
};

extern "C" {

/// q, k, v, out: [B, N, H, D] f64 (any strides); lse: [B, N, H] f64, the
/// combined log-sum-exp; segmentLengths, dilationRates: [k] i64.
/// `causal` is 0 or 1; `scale` <= 0 means 1/sqrt(D); `offsetMode` is
/// 0 cyclic, 1 grouped, 2 none (the values of the dialect's enum).
/// An invalid configuration prints one line to stderr and fills out and lse
/// with NaN, so that --check fails loudly.
void _mlir_ciface_longnet_reference_dilated_attention(
    LongNetMemRef<double, 4> *q, LongNetMemRef<double, 4> *k,
    LongNetMemRef<double, 4> *v, LongNetMemRef<double, 4> *out,
    LongNetMemRef<double, 3> *lse, LongNetMemRef<int64_t, 1> *segmentLengths,
    LongNetMemRef<int64_t, 1> *dilationRates, int64_t causal, double scale,
    int64_t offsetMode);

/// The backward (longnet.dilated_attention_backward): q, k, v, out (the
/// forward's output), dout, dq, dk, dv: [B, N, H, D] f64; lse (the
/// forward's combined lse) and dlse: [B, N, H] f64. `hasDlse` 0 means the
/// lse result's gradient is zero (dlse is then not read). The configuration
/// arguments are those of the forward. Errors fill dq, dk and dv with NaN.
void _mlir_ciface_longnet_reference_dilated_attention_backward(
    LongNetMemRef<double, 4> *q, LongNetMemRef<double, 4> *k,
    LongNetMemRef<double, 4> *v, LongNetMemRef<double, 4> *out,
    LongNetMemRef<double, 3> *lse, LongNetMemRef<double, 4> *dout,
    LongNetMemRef<double, 3> *dlse, int64_t hasDlse,
    LongNetMemRef<double, 4> *dq, LongNetMemRef<double, 4> *dk,
    LongNetMemRef<double, 4> *dv, LongNetMemRef<int64_t, 1> *segmentLengths,
    LongNetMemRef<int64_t, 1> *dilationRates, int64_t causal, double scale,
    int64_t offsetMode);
}

#endif // LONGNET_RUNTIME_REFERENCEABI_H
