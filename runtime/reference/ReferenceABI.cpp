//===- ReferenceABI.cpp - The reference as compiled code calls it ---------===//
//
// Part of the longnet-mlir project.
//
// Gathers the strided f64 memrefs into contiguous [B, N, H, D] buffers, runs
// the threaded float64 reference (ParallelReference.h) and scatters the
// output and the combined lse back through the callee's strides.
//
//===----------------------------------------------------------------------===//

#include "longnet-runtime/ReferenceABI.h"
#include "longnet-runtime/ParallelReference.h"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

using namespace longnet::reference;

namespace {

template <typename T, int Rank>
int64_t numElements(const LongNetMemRef<T, Rank> &memref) {
  int64_t count = 1;
  for (int dim = 0; dim < Rank; ++dim)
    count *= memref.sizes[dim];
  return count;
}

/// Calls fn(linearIndex, element) for each element in row-major order,
/// following the descriptor's offset and strides.
template <typename T, int Rank, typename Fn>
void forEachElement(const LongNetMemRef<T, Rank> &memref, Fn fn) {
  int64_t count = numElements(memref);
  int64_t index[Rank] = {};
  int64_t offset = memref.offset;
  for (int64_t linear = 0; linear < count; ++linear) {
    fn(linear, memref.aligned[offset]);
    for (int dim = Rank - 1; dim >= 0; --dim) {
      offset += memref.strides[dim];
      if (++index[dim] < memref.sizes[dim])
        break;
      offset -= memref.strides[dim] * memref.sizes[dim];
      index[dim] = 0;
    }
  }
}

/// The elements of `memref` in row-major order; at least one element, so
/// that an empty problem still passes the reference a buffer, not null.
template <int Rank>
std::vector<double> gather(const LongNetMemRef<double, Rank> &memref) {
  std::vector<double> values(std::max<int64_t>(numElements(memref), 1));
  forEachElement(memref, [&](int64_t i, double &x) { values[i] = x; });
  return values;
}

template <int Rank>
void scatter(const std::vector<double> &values,
             LongNetMemRef<double, Rank> &memref) {
  forEachElement(memref, [&](int64_t i, double &x) { x = values[i]; });
}

template <int Rank> bool isUsable(const LongNetMemRef<double, Rank> *memref) {
  if (!memref || !memref->aligned)
    return false;
  for (int dim = 0; dim < Rank; ++dim)
    if (memref->sizes[dim] < 0)
      return false;
  return true;
}

template <int Rank> void fillWithNaN(LongNetMemRef<double, Rank> *memref) {
  if (!isUsable(memref))
    return;
  forEachElement(*memref, [](int64_t, double &x) {
    x = std::numeric_limits<double>::quiet_NaN();
  });
}

std::string formatSizes(const int64_t *sizes, int rank) {
  std::string text;
  for (int dim = 0; dim < rank; ++dim)
    text += (dim ? "x" : "") + std::to_string(sizes[dim]);
  return text;
}

/// Checks that every tensor of `tensors` (named by `names`) is a usable
/// [B, N, H, D] memref of q's shape (the first one).
std::string
describeTensorError(const std::vector<LongNetMemRef<double, 4> *> &tensors,
                    const std::vector<const char *> &names) {
  LongNetMemRef<double, 4> *q = tensors[0];
  for (size_t i = 0; i < tensors.size(); ++i) {
    if (!isUsable(tensors[i]))
      return std::string(names[i]) + " is null or has a negative size";
    for (int dim = 0; dim < 4; ++dim)
      if (tensors[i]->sizes[dim] != q->sizes[dim])
        return std::string(names[i]) + " is " +
               formatSizes(tensors[i]->sizes, 4) + " but q is " +
               formatSizes(q->sizes, 4);
  }
  return "";
}

/// Checks that a [B, N, H] memref named `name` matches q; `required` ones
/// must be usable, others are skipped when null.
std::string describeLseError(const char *name, LongNetMemRef<double, 3> *lse,
                             LongNetMemRef<double, 4> *q, bool required) {
  if (!lse || !lse->aligned)
    return required ? std::string(name) + " is null" : "";
  for (int dim = 0; dim < 3; ++dim)
    if (lse->sizes[dim] != q->sizes[dim])
      return std::string(name) + " is " + formatSizes(lse->sizes, 3) +
             " but q is " + formatSizes(q->sizes, 4);
  return "";
}

std::string describeBranchListError(LongNetMemRef<int64_t, 1> *segmentLengths,
                                    LongNetMemRef<int64_t, 1> *dilationRates) {
  if (!segmentLengths || !segmentLengths->aligned || !dilationRates ||
      !dilationRates->aligned)
    return "segment lengths or dilation rates are null";
  if (segmentLengths->sizes[0] != dilationRates->sizes[0])
    return std::to_string(segmentLengths->sizes[0]) + " segment lengths but " +
           std::to_string(dilationRates->sizes[0]) + " dilation rates";
  return "";
}

std::string buildConfig(LongNetMemRef<int64_t, 1> *segmentLengths,
                        LongNetMemRef<int64_t, 1> *dilationRates,
                        int64_t causal, double scale, int64_t offsetMode,
                        Config &config) {
  std::vector<int64_t> lengths, rates;
  forEachElement(*segmentLengths,
                 [&](int64_t, int64_t &w) { lengths.push_back(w); });
  forEachElement(*dilationRates,
                 [&](int64_t, int64_t &r) { rates.push_back(r); });
  for (size_t i = 0; i < lengths.size(); ++i)
    config.branches.push_back({lengths[i], rates[i]});
  config.causal = causal != 0;
  // scale <= 0 selects the default 1/sqrt(D); NaN is left for validate().
  if (!(scale <= 0.0))
    config.scale = scale;
  switch (offsetMode) {
  case 0:
    config.offsetMode = OffsetMode::Cyclic;
    return "";
  case 1:
    config.offsetMode = OffsetMode::Grouped;
    return "";
  case 2:
    config.offsetMode = OffsetMode::None;
    return "";
  }
  return "offset mode " + std::to_string(offsetMode) +
         " is not 0 (cyclic), 1 (grouped) or 2 (none)";
}

/// Reports `error` on stderr and poisons the outputs so that a comparison
/// against them fails.
void fail(const std::string &error, LongNetMemRef<double, 4> *out,
          LongNetMemRef<double, 3> *lse) {
  std::fprintf(stderr, "longnet_reference_dilated_attention: %s\n",
               error.c_str());
  fillWithNaN(out);
  fillWithNaN(lse);
}

} // namespace

extern "C" void _mlir_ciface_longnet_reference_dilated_attention(
    LongNetMemRef<double, 4> *q, LongNetMemRef<double, 4> *k,
    LongNetMemRef<double, 4> *v, LongNetMemRef<double, 4> *out,
    LongNetMemRef<double, 3> *lse, LongNetMemRef<int64_t, 1> *segmentLengths,
    LongNetMemRef<int64_t, 1> *dilationRates, int64_t causal, double scale,
    int64_t offsetMode) {
  Config config;
  std::string error =
      describeTensorError({q, k, v, out}, {"q", "k", "v", "out"});
  if (error.empty())
    error = describeLseError("lse", lse, q, /*required=*/false);
  if (error.empty())
    error = describeBranchListError(segmentLengths, dilationRates);
  if (error.empty())
    error = buildConfig(segmentLengths, dilationRates, causal, scale,
                        offsetMode, config);
  if (!error.empty())
    return fail(error, out, lse);

  Shape shape{q->sizes[0], q->sizes[1], q->sizes[2], q->sizes[3]};
  std::vector<double> outValues(std::max<int64_t>(numElements(*out), 1));
  std::vector<double> lseValues(
      std::max<int64_t>(shape.batch * shape.seqLen * shape.heads, 1));
  error = dilatedAttentionParallel(
      config, shape, gather(*q).data(), gather(*k).data(), gather(*v).data(),
      outValues.data(), lseValues.data(), getABIThreadCount());
  if (!error.empty())
    return fail(error, out, lse);
  scatter(outValues, *out);
  if (lse && lse->aligned)
    scatter(lseValues, *lse);
}

extern "C" void _mlir_ciface_longnet_reference_dilated_attention_backward(
    LongNetMemRef<double, 4> *q, LongNetMemRef<double, 4> *k,
    LongNetMemRef<double, 4> *v, LongNetMemRef<double, 4> *out,
    LongNetMemRef<double, 3> *lse, LongNetMemRef<double, 4> *dout,
    LongNetMemRef<double, 3> *dlse, int64_t hasDlse,
    LongNetMemRef<double, 4> *dq, LongNetMemRef<double, 4> *dk,
    LongNetMemRef<double, 4> *dv, LongNetMemRef<int64_t, 1> *segmentLengths,
    LongNetMemRef<int64_t, 1> *dilationRates, int64_t causal, double scale,
    int64_t offsetMode) {
  Config config;
  std::string error =
      describeTensorError({q, k, v, out, dout, dq, dk, dv},
                          {"q", "k", "v", "out", "dout", "dq", "dk", "dv"});
  if (error.empty())
    error = describeLseError("lse", lse, q, /*required=*/true);
  if (error.empty() && hasDlse)
    error = describeLseError("dlse", dlse, q, /*required=*/true);
  if (error.empty())
    error = describeBranchListError(segmentLengths, dilationRates);
  if (error.empty())
    error = buildConfig(segmentLengths, dilationRates, causal, scale,
                        offsetMode, config);
  std::vector<double> dqValues, dkValues, dvValues;
  if (error.empty()) {
    Shape shape{q->sizes[0], q->sizes[1], q->sizes[2], q->sizes[3]};
    // At least one element each: an empty problem passes buffers, not null.
    dqValues.resize(std::max<int64_t>(numElements(*dq), 1));
    dkValues.resize(std::max<int64_t>(numElements(*dk), 1));
    dvValues.resize(std::max<int64_t>(numElements(*dv), 1));
    std::vector<double> dlseValues =
        hasDlse ? gather(*dlse) : std::vector<double>();
    error = dilatedAttentionBackwardParallel(
        config, shape, gather(*q).data(), gather(*k).data(), gather(*v).data(),
        gather(*out).data(), gather(*lse).data(), gather(*dout).data(),
        hasDlse ? dlseValues.data() : nullptr, dqValues.data(), dkValues.data(),
        dvValues.data(), getABIThreadCount());
  }
  if (!error.empty()) {
    std::fprintf(stderr, "longnet_reference_dilated_attention_backward: %s\n",
                 error.c_str());
    for (LongNetMemRef<double, 4> *gradient : {dq, dk, dv})
      fillWithNaN(gradient);
    return;
  }
  scatter(dqValues, *dq);
  scatter(dkValues, *dk);
  scatter(dvValues, *dv);
}
