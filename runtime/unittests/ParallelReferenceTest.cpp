//===- ParallelReferenceTest.cpp - Threaded reference and its C ABI -------===//
//
// Part of the longnet-mlir project.
//
// The threaded reference must equal the serial one bit for bit, for every
// thread count; the C ABI must honour strides, the default scale and the
// offset modes, and poison its outputs on invalid input.
//
//===----------------------------------------------------------------------===//

#include "longnet-runtime/ParallelReference.h"
#include "longnet-runtime/ReferenceABI.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <random>

using namespace longnet::reference;

namespace {

struct Tensors {
  Shape shape;
  std::vector<double> q, k, v;

  Tensors(Shape shape, unsigned seed) : shape(shape) {
    std::mt19937_64 engine(seed);
    std::normal_distribution<double> normal;
    for (std::vector<double> *tensor : {&q, &k, &v}) {
      tensor->resize(numElements());
      for (double &x : *tensor)
        x = normal(engine);
    }
  }
  int64_t numRows() const { return shape.batch * shape.seqLen * shape.heads; }
  int64_t numElements() const { return numRows() * shape.headDim; }
};

bool bitwiseEqual(const std::vector<double> &a, const std::vector<double> &b) {
  return a.size() == b.size() &&
         std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

struct ParallelCase {
  Shape shape;
  Config config;
};

std::vector<ParallelCase> parallelCases() {
  std::vector<ParallelCase> cases;
  // Partial last segments, w % r != 0, w > N, several heads and batches.
  std::vector<Branch> mixture = {{4, 1}, {6, 4}, {16, 3}, {100, 5}};
  for (OffsetMode mode :
       {OffsetMode::Cyclic, OffsetMode::Grouped, OffsetMode::None}) {
    for (bool causal : {false, true}) {
      Config config;
      config.branches = mixture;
      config.causal = causal;
      config.offsetMode = mode;
      cases.push_back({Shape{2, 23, 5, 3}, config});
    }
  }
  Config scaled;
  scaled.branches = {{8, 2}};
  scaled.scale = 0.3;
  cases.push_back({Shape{1, 37, 3, 4}, scaled});
  // Rows no branch covers (offset beyond the partial segment, r > H).
  Config sparse;
  sparse.branches = {{7, 7}};
  cases.push_back({Shape{1, 10, 2, 2}, sparse});
  return cases;
}

TEST(ParallelReference, BitIdenticalToSerialForEveryThreadCount) {
  unsigned seed = 0;
  for (const ParallelCase &c : parallelCases()) {
    Tensors t(c.shape, ++seed);
    std::vector<double> out(t.numElements()), lse(t.numRows());
    ASSERT_EQ(dilatedAttention(c.config, c.shape, t.q.data(), t.k.data(),
                               t.v.data(), out.data(), lse.data()),
              "");
    for (unsigned threads : {1u, 2u, 3u, 8u, 0u}) {
      std::vector<double> pout(out.size(), 7.0), plse(lse.size(), 7.0);
      ASSERT_EQ(dilatedAttentionParallel(c.config, c.shape, t.q.data(),
                                         t.k.data(), t.v.data(), pout.data(),
                                         plse.data(), threads),
                "");
      EXPECT_TRUE(bitwiseEqual(out, pout))
          << "case " << seed << ", threads " << threads;
      EXPECT_TRUE(bitwiseEqual(lse, plse))
          << "case " << seed << ", threads " << threads;
    }
  }
}

TEST(ParallelReference, LseIsOptional) {
  ParallelCase c = parallelCases().front();
  Tensors t(c.shape, 42);
  std::vector<double> out(t.numElements()), pout(t.numElements());
  ASSERT_EQ(dilatedAttention(c.config, c.shape, t.q.data(), t.k.data(),
                             t.v.data(), out.data(), nullptr),
            "");
  ASSERT_EQ(dilatedAttentionParallel(c.config, c.shape, t.q.data(), t.k.data(),
                                     t.v.data(), pout.data(), nullptr, 4),
            "");
  EXPECT_TRUE(bitwiseEqual(out, pout));
}

TEST(ParallelReference, ReportsTheSerialDiagnostics) {
  Config config;
  config.branches = {{2, 3}};
  Tensors t(Shape{1, 4, 1, 1}, 1);
  std::vector<double> out(4);
  EXPECT_EQ(dilatedAttentionParallel(config, t.shape, t.q.data(), t.k.data(),
                                     t.v.data(), out.data(), nullptr, 2),
            "branch 0: dilation rate 3 exceeds segment length 2");
  config.branches = {{2, 1}};
  EXPECT_EQ(dilatedAttentionParallel(config, t.shape, t.q.data(), nullptr,
                                     t.v.data(), out.data(), nullptr, 2),
            "k must not be null");
}

//===----------------------------------------------------------------------===//
// C ABI
//===----------------------------------------------------------------------===//

/// A [B, N, H, D] memref over `storage` whose memory order is [B, H, N, D]
/// (a transposed view, as a strided subview would give), with an offset.
LongNetMemRef<double, 4> transposedView(std::vector<double> &storage,
                                        const Shape &s, int64_t offset) {
  LongNetMemRef<double, 4> m;
  m.allocated = m.aligned = storage.data();
  m.offset = offset;
  int64_t sizes[4] = {s.batch, s.seqLen, s.heads, s.headDim};
  int64_t strides[4] = {s.heads * s.seqLen * s.headDim, s.headDim,
                        s.seqLen * s.headDim, 1};
  std::memcpy(m.sizes, sizes, sizeof(sizes));
  std::memcpy(m.strides, strides, sizeof(strides));
  return m;
}

/// Copies contiguous [B, N, H, D] `values` into `view`.
void storeThrough(const std::vector<double> &values,
                  LongNetMemRef<double, 4> &view) {
  int64_t i = 0;
  for (int64_t b = 0; b < view.sizes[0]; ++b)
    for (int64_t t = 0; t < view.sizes[1]; ++t)
      for (int64_t h = 0; h < view.sizes[2]; ++h)
        for (int64_t d = 0; d < view.sizes[3]; ++d)
          view.aligned[view.offset + b * view.strides[0] + t * view.strides[1] +
                       h * view.strides[2] + d * view.strides[3]] = values[i++];
}

std::vector<double> loadThrough(const LongNetMemRef<double, 4> &view) {
  std::vector<double> values;
  for (int64_t b = 0; b < view.sizes[0]; ++b)
    for (int64_t t = 0; t < view.sizes[1]; ++t)
      for (int64_t h = 0; h < view.sizes[2]; ++h)
        for (int64_t d = 0; d < view.sizes[3]; ++d)
          values.push_back(
              view.aligned[view.offset + b * view.strides[0] +
                           t * view.strides[1] + h * view.strides[2] +
                           d * view.strides[3]]);
  return values;
}

LongNetMemRef<int64_t, 1> vectorView(std::vector<int64_t> &values) {
  return {values.data(), values.data(), 0, {int64_t(values.size())}, {1}};
}

/// Everything one ABI call needs, laid out with transposed strides.
struct ABICall {
  Shape shape;
  Tensors tensors;
  std::vector<double> qStore, kStore, vStore, outStore, lseStore;
  LongNetMemRef<double, 4> q, k, v, out;
  LongNetMemRef<double, 3> lse;
  std::vector<int64_t> lengths, rates;

  ABICall(Shape shape, std::vector<Branch> branches)
      : shape(shape), tensors(shape, 9) {
    const int64_t kOffset = 5;
    for (std::vector<double> *store : {&qStore, &kStore, &vStore, &outStore})
      store->assign(tensors.numElements() + kOffset, 0.0);
    q = transposedView(qStore, shape, kOffset);
    k = transposedView(kStore, shape, kOffset);
    v = transposedView(vStore, shape, kOffset);
    out = transposedView(outStore, shape, kOffset);
    storeThrough(tensors.q, q);
    storeThrough(tensors.k, k);
    storeThrough(tensors.v, v);
    // lse contiguous [B, N, H] with a unit offset.
    lseStore.assign(tensors.numRows() + 1, 0.0);
    lse = {lseStore.data(),
           lseStore.data(),
           1,
           {shape.batch, shape.seqLen, shape.heads},
           {shape.seqLen * shape.heads, shape.heads, 1}};
    for (const Branch &branch : branches) {
      lengths.push_back(branch.segmentLength);
      rates.push_back(branch.dilationRate);
    }
  }

  void call(int64_t causal, double scale, int64_t offsetMode) {
    LongNetMemRef<int64_t, 1> w = vectorView(lengths), r = vectorView(rates);
    _mlir_ciface_longnet_reference_dilated_attention(
        &q, &k, &v, &out, &lse, &w, &r, causal, scale, offsetMode);
  }
  std::vector<double> lseValues() const {
    return std::vector<double>(lseStore.begin() + 1, lseStore.end());
  }
};

TEST(ReferenceABI, MatchesTheReferenceThroughStrides) {
  Shape shape{2, 19, 3, 4};
  std::vector<Branch> branches = {{4, 1}, {8, 3}};
  ABICall abi(shape, branches);
  setABIThreadCount(3);
  abi.call(/*causal=*/1, /*scale=*/0.0, /*offsetMode=*/1);
  setABIThreadCount(0);

  Config config;
  config.branches = branches;
  config.causal = true;
  config.offsetMode = OffsetMode::Grouped;
  std::vector<double> out(abi.tensors.numElements()),
      lse(abi.tensors.numRows());
  ASSERT_EQ(dilatedAttention(config, shape, abi.tensors.q.data(),
                             abi.tensors.k.data(), abi.tensors.v.data(),
                             out.data(), lse.data()),
            "");
  EXPECT_TRUE(bitwiseEqual(loadThrough(abi.out), out));
  EXPECT_TRUE(bitwiseEqual(abi.lseValues(), lse));
  EXPECT_EQ(abi.outStore[0], 0.0); // Nothing written before the offset.
}

// The merge of Eq. 10 is a convex combination: constant inputs give the
// constant back, however large the lse (here ~1.6e9 for c = 1e4, D = 16),
// in the serial and the threaded reference and through the C ABI.
TEST(ReferenceABI, ConstantInputsGiveTheConstantAtAnyLse) {
  Shape shape{1, 16, 2, 16};
  std::vector<Branch> branches = {{8, 1}, {16, 1}, {16, 4}};
  for (double c : {1.0, 1000.0, 10000.0}) {
    ABICall abi(shape, branches);
    std::vector<double> constant(abi.tensors.numElements(), c);
    for (LongNetMemRef<double, 4> *view : {&abi.q, &abi.k, &abi.v})
      storeThrough(constant, *view);
    for (unsigned threads : {1u, 3u}) {
      setABIThreadCount(threads);
      abi.call(/*causal=*/threads == 3, /*scale=*/0.0, /*offsetMode=*/0);
      setABIThreadCount(0);
      for (double x : loadThrough(abi.out))
        ASSERT_DOUBLE_EQ(x, c) << "c = " << c << ", threads " << threads;
    }
    Config config;
    config.branches = branches;
    std::vector<double> out(abi.tensors.numElements());
    ASSERT_EQ(dilatedAttentionParallel(config, shape, constant.data(),
                                       constant.data(), constant.data(),
                                       out.data(), nullptr, 2),
              "");
    for (double x : out)
      ASSERT_DOUBLE_EQ(x, c);
  }
}

TEST(ReferenceABI, PositiveScaleAndOffsetModes) {
  Shape shape{1, 12, 4, 2};
  std::vector<Branch> branches = {{6, 2}};
  const OffsetMode modes[] = {OffsetMode::Cyclic, OffsetMode::Grouped,
                              OffsetMode::None};
  for (int64_t mode = 0; mode < 3; ++mode) {
    ABICall abi(shape, branches);
    abi.call(0, 0.7, mode);
    Config config;
    config.branches = branches;
    config.scale = 0.7;
    config.offsetMode = modes[mode];
    std::vector<double> out(abi.tensors.numElements());
    ASSERT_EQ(dilatedAttention(config, shape, abi.tensors.q.data(),
                               abi.tensors.k.data(), abi.tensors.v.data(),
                               out.data(), nullptr),
              "");
    EXPECT_TRUE(bitwiseEqual(loadThrough(abi.out), out)) << "mode " << mode;
  }
}

bool allNaN(const std::vector<double> &values) {
  for (double x : values)
    if (!std::isnan(x))
      return false;
  return true;
}

TEST(ReferenceABI, InvalidInputPoisonsTheOutputs) {
  Shape shape{1, 4, 1, 2};
  ABICall badRate(shape, {{2, 3}});
  testing::internal::CaptureStderr();
  badRate.call(0, 0.0, 0);
  EXPECT_EQ(testing::internal::GetCapturedStderr(),
            "longnet_reference_dilated_attention: branch 0: dilation rate 3 "
            "exceeds segment length 2\n");
  EXPECT_TRUE(allNaN(loadThrough(badRate.out)));
  EXPECT_TRUE(allNaN(badRate.lseValues()));

  ABICall badMode(shape, {{2, 1}});
  testing::internal::CaptureStderr();
  badMode.call(0, 0.0, 3);
  EXPECT_EQ(testing::internal::GetCapturedStderr(),
            "longnet_reference_dilated_attention: offset mode 3 is not 0 "
            "(cyclic), 1 (grouped) or 2 (none)\n");
  EXPECT_TRUE(allNaN(loadThrough(badMode.out)));

  ABICall badShape(shape, {{2, 1}});
  badShape.k.sizes[1] = 3;
  testing::internal::CaptureStderr();
  badShape.call(0, 0.0, 0);
  EXPECT_EQ(testing::internal::GetCapturedStderr(),
            "longnet_reference_dilated_attention: k is 1x3x1x2 but q is "
            "1x4x1x2\n");

  ABICall badScale(shape, {{2, 1}});
  testing::internal::CaptureStderr();
  badScale.call(0, std::nan(""), 0);
  EXPECT_EQ(testing::internal::GetCapturedStderr(),
            "longnet_reference_dilated_attention: scale nan must be positive "
            "and finite\n");
}

//===----------------------------------------------------------------------===//
// Backward
//===----------------------------------------------------------------------===//

/// Forward outputs and a random dout / dlse for `c`.
struct BackwardInputs {
  std::vector<double> out, lse, dout, dlse;
  BackwardInputs(const ParallelCase &c, const Tensors &t, unsigned seed) {
    out.resize(t.numElements());
    lse.resize(t.numRows());
    EXPECT_EQ(dilatedAttention(c.config, c.shape, t.q.data(), t.k.data(),
                               t.v.data(), out.data(), lse.data()),
              "");
    std::mt19937_64 engine(seed);
    std::normal_distribution<double> normal;
    dout.resize(t.numElements());
    dlse.resize(t.numRows());
    for (double &x : dout)
      x = normal(engine);
    for (double &x : dlse)
      x = normal(engine);
  }
};

TEST(ParallelReference, BackwardBitIdenticalToSerialForEveryThreadCount) {
  unsigned seed = 100;
  for (const ParallelCase &c : parallelCases()) {
    Tensors t(c.shape, ++seed);
    BackwardInputs in(c, t, seed);
    size_t n = t.numElements();
    std::vector<double> dq(n), dk(n), dv(n);
    ASSERT_EQ(dilatedAttentionBackward(
                  c.config, c.shape, t.q.data(), t.k.data(), t.v.data(),
                  in.out.data(), in.lse.data(), in.dout.data(), in.dlse.data(),
                  dq.data(), dk.data(), dv.data()),
              "");
    for (unsigned threads : {1u, 2u, 3u, 8u, 0u}) {
      std::vector<double> pdq(n, 7.0), pdk(n, 7.0), pdv(n, 7.0);
      ASSERT_EQ(dilatedAttentionBackwardParallel(
                    c.config, c.shape, t.q.data(), t.k.data(), t.v.data(),
                    in.out.data(), in.lse.data(), in.dout.data(),
                    in.dlse.data(), pdq.data(), pdk.data(), pdv.data(),
                    threads),
                "");
      EXPECT_TRUE(bitwiseEqual(dq, pdq) && bitwiseEqual(dk, pdk) &&
                  bitwiseEqual(dv, pdv))
          << "case " << seed << ", threads " << threads;
    }
  }
}

TEST(ReferenceABI, BackwardMatchesTheReferenceThroughStrides) {
  ParallelCase c = parallelCases()[1]; // causal, cyclic
  Shape shape = c.shape;
  std::vector<Branch> branches = c.config.branches;
  ABICall abi(shape, branches);
  BackwardInputs in(c, abi.tensors, 5);
  const int64_t kOffset = 5;
  size_t n = abi.tensors.numElements();
  std::vector<double> outStore(n + kOffset), doutStore(n + kOffset),
      dqStore(n + kOffset), dkStore(n + kOffset), dvStore(n + kOffset);
  LongNetMemRef<double, 4> out = transposedView(outStore, shape, kOffset),
                           dout = transposedView(doutStore, shape, kOffset),
                           dq = transposedView(dqStore, shape, kOffset),
                           dk = transposedView(dkStore, shape, kOffset),
                           dv = transposedView(dvStore, shape, kOffset);
  storeThrough(in.out, out);
  storeThrough(in.dout, dout);
  std::vector<double> lseStore = in.lse, dlseStore = in.dlse;
  auto rows = [&](std::vector<double> &store) {
    return LongNetMemRef<double, 3>{
        store.data(),
        store.data(),
        0,
        {shape.batch, shape.seqLen, shape.heads},
        {shape.seqLen * shape.heads, shape.heads, 1}};
  };
  LongNetMemRef<double, 3> lse = rows(lseStore), dlse = rows(dlseStore);
  LongNetMemRef<int64_t, 1> w = vectorView(abi.lengths),
                            r = vectorView(abi.rates);
  for (int64_t hasDlse : {0, 1}) {
    _mlir_ciface_longnet_reference_dilated_attention_backward(
        &abi.q, &abi.k, &abi.v, &out, &lse, &dout, &dlse, hasDlse, &dq, &dk,
        &dv, &w, &r, /*causal=*/1, /*scale=*/0.0, /*offsetMode=*/0);
    std::vector<double> rdq(n), rdk(n), rdv(n);
    ASSERT_EQ(dilatedAttentionBackward(
                  c.config, shape, abi.tensors.q.data(), abi.tensors.k.data(),
                  abi.tensors.v.data(), in.out.data(), in.lse.data(),
                  in.dout.data(), hasDlse ? in.dlse.data() : nullptr,
                  rdq.data(), rdk.data(), rdv.data()),
              "");
    EXPECT_TRUE(bitwiseEqual(loadThrough(dq), rdq)) << "hasDlse " << hasDlse;
    EXPECT_TRUE(bitwiseEqual(loadThrough(dk), rdk)) << "hasDlse " << hasDlse;
    EXPECT_TRUE(bitwiseEqual(loadThrough(dv), rdv)) << "hasDlse " << hasDlse;
  }

  // A bad lse shape poisons the gradients with one line on stderr.
  lse.sizes[1] = 3;
  testing::internal::CaptureStderr();
  _mlir_ciface_longnet_reference_dilated_attention_backward(
      &abi.q, &abi.k, &abi.v, &out, &lse, &dout, &dlse, 0, &dq, &dk, &dv, &w,
      &r, 1, 0.0, 0);
  EXPECT_EQ(testing::internal::GetCapturedStderr(),
            "longnet_reference_dilated_attention_backward: lse is 2x3x5 but "
            "q is 2x23x5x3\n");
  EXPECT_TRUE(allNaN(loadThrough(dq)) && allNaN(loadThrough(dk)) &&
              allNaN(loadThrough(dv)));
}

} // namespace
