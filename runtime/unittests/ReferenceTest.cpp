//===- ReferenceTest.cpp - Tests of the float64 LongNet reference ---------===//
//
// Hand-computed cases for every rule of docs/SPEC.md. Most cases use
// the "log ramp": D = 1, q_t = 1, k_u = log(u + 1), v_u = u + 1, so that with
// scale 1 the softmax weight of key u is proportional to u + 1 and every
// expected value is a small fraction.
//
//===----------------------------------------------------------------------===//

#include "longnet-runtime/Reference.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <set>

using namespace longnet::reference;

namespace {

constexpr double kTol = 1e-12;
constexpr double kNegInf = -std::numeric_limits<double>::infinity();

/// Q, K, V and the outputs of one problem, with [B, N, H, D] indexing.
struct Problem {
  Shape shape;
  std::vector<double> q, k, v, out, lse;

  explicit Problem(Shape shape)
      : shape(shape), q(numElements()), k(numElements()), v(numElements()),
        out(numElements()), lse(numRows()) {}

  int64_t numRows() const { return shape.batch * shape.seqLen * shape.heads; }
  int64_t numElements() const { return numRows() * shape.headDim; }
  int64_t row(int64_t t, int64_t h = 0, int64_t b = 0) const {
    return (b * shape.seqLen + t) * shape.heads + h;
  }
  int64_t element(int64_t t, int64_t h = 0, int64_t b = 0,
                  int64_t d = 0) const {
    return row(t, h, b) * shape.headDim + d;
  }

  std::string runBranch(const Config &config, Branch branch) {
    return dilatedAttentionBranch(config, branch, shape, q.data(), k.data(),
                                  v.data(), out.data(), lse.data());
  }
  std::string runMixture(const Config &config) {
    return dilatedAttention(config, shape, q.data(), k.data(), v.data(),
                            out.data(), lse.data());
  }
};

Shape scalarShape(int64_t seqLen, int64_t heads = 1) {
  return Shape{1, seqLen, heads, 1};
}

/// q_t = 1, k_u = log(u + 1), v_u = u + 1 for every batch and head (D = 1).
void fillLogRamp(Problem &p) {
  for (int64_t b = 0; b < p.shape.batch; ++b) {
    for (int64_t t = 0; t < p.shape.seqLen; ++t) {
      for (int64_t h = 0; h < p.shape.heads; ++h) {
        p.q[p.element(t, h, b)] = 1.0;
        p.k[p.element(t, h, b)] = std::log(double(t + 1));
        p.v[p.element(t, h, b)] = double(t + 1);
      }
    }
  }
}

void fillRandom(Problem &p, unsigned seed) {
  std::mt19937_64 engine(seed);
  std::uniform_real_distribution<double> dist(-1.0, 1.0);
  for (std::vector<double> *tensor : {&p.q, &p.k, &p.v})
    for (double &x : *tensor)
      x = dist(engine);
}

Config scaleOneConfig(std::vector<Branch> branches, bool causal = false) {
  Config config;
  config.branches = std::move(branches);
  config.causal = causal;
  config.scale = 1.0;
  return config;
}

/// Rows t of head h (batch 0) whose lse is finite, i.e. selected or covered.
std::set<int64_t> coveredRows(const Problem &p, int64_t h) {
  std::set<int64_t> rows;
  for (int64_t t = 0; t < p.shape.seqLen; ++t)
    if (std::isfinite(p.lse[p.row(t, h)]))
      rows.insert(t);
  return rows;
}

void expectScalarRows(const Problem &p, const std::vector<double> &out,
                      const std::vector<double> &lse, int64_t h = 0) {
  for (int64_t t = 0; t < p.shape.seqLen; ++t) {
    SCOPED_TRACE("row " + std::to_string(t) + ", head " + std::to_string(h));
    EXPECT_NEAR(p.out[p.element(t, h)], out[t], kTol);
    if (lse[t] == kNegInf)
      EXPECT_EQ(p.lse[p.row(t, h)], kNegInf);
    else
      EXPECT_NEAR(p.lse[p.row(t, h)], lse[t], kTol);
  }
}

//===----------------------------------------------------------------------===//
// One branch
//===----------------------------------------------------------------------===//

TEST(ReferenceTest, OneBranchMatchesHandComputedSoftmax) {
  Problem p(scalarShape(4));
  fillLogRamp(p);
  // q = 0 weighs keys uniformly; q = 2 weighs key u by (u + 1)^2.
  p.q = {1.0, 0.0, 2.0, 1.0};
  ASSERT_EQ(p.runBranch(scaleOneConfig({}), {4, 1}), "");
  expectScalarRows(
      p, {30.0 / 10.0, 10.0 / 4.0, 100.0 / 30.0, 30.0 / 10.0},
      {std::log(10.0), std::log(4.0), std::log(30.0), std::log(10.0)});
}

TEST(ReferenceTest, DefaultScaleIsInverseSqrtHeadDim) {
  Problem p(Shape{1, 2, 1, 2});
  const double sqrt2 = std::sqrt(2.0);
  p.q = {1.0, 0.0, /*t=1*/ 0.0, 5.0};
  p.k = {0.0, 0.0, /*t=1*/ sqrt2 * std::log(2.0), 0.0};
  p.v = {3.0, 0.0, /*t=1*/ 0.0, 3.0};

  // Default scale 1/sqrt(2): row 0 scores (0, log 2), weights 1 : 2.
  Config config;
  config.branches = {{2, 1}};
  ASSERT_EQ(p.runBranch(config, {2, 1}), "");
  EXPECT_NEAR(p.out[0], 1.0, kTol);
  EXPECT_NEAR(p.out[1], 2.0, kTol);
  EXPECT_NEAR(p.lse[0], std::log(3.0), kTol);
  // Row 1 is orthogonal to both keys: uniform weights.
  EXPECT_NEAR(p.out[2], 1.5, kTol);
  EXPECT_NEAR(p.out[3], 1.5, kTol);
  EXPECT_NEAR(p.lse[1], std::log(2.0), kTol);

  // Explicit scale sqrt(2): row 0 scores (0, 2 log 2), weights 1 : 4.
  config.scale = sqrt2;
  ASSERT_EQ(p.runBranch(config, {2, 1}), "");
  EXPECT_NEAR(p.out[0], 3.0 / 5.0, kTol);
  EXPECT_NEAR(p.out[1], 12.0 / 5.0, kTol);
  EXPECT_NEAR(p.lse[0], std::log(5.0), kTol);
  EXPECT_NEAR(p.lse[1], std::log(2.0), kTol);
}

TEST(ReferenceTest, CausalRowsSeeOnlyEarlierKeys) {
  Problem p(scalarShape(4));
  fillLogRamp(p);
  ASSERT_EQ(p.runBranch(scaleOneConfig({}, /*causal=*/true), {4, 1}), "");
  expectScalarRows(p, {1.0, 5.0 / 3.0, 14.0 / 6.0, 30.0 / 10.0},
                   {0.0, std::log(3.0), std::log(6.0), std::log(10.0)});
}

TEST(ReferenceTest, CausalFirstSelectedRowEqualsItsValueExactly) {
  Problem p(Shape{1, 8, 2, 3});
  fillRandom(p, 7);
  Config config;
  config.causal = true;
  const double scale = 1.0 / std::sqrt(3.0);
  // r = 1: row 0 of each segment; r = 2 (cyclic): head h starts at row h.
  for (Branch branch : {Branch{4, 1}, Branch{4, 2}}) {
    ASSERT_EQ(p.runBranch(config, branch), "");
    for (int64_t h = 0; h < 2; ++h) {
      for (int64_t start : {0, 4}) {
        int64_t t = start + (branch.dilationRate == 1 ? 0 : h);
        SCOPED_TRACE("r " + std::to_string(branch.dilationRate) + " row " +
                     std::to_string(t) + " head " + std::to_string(h));
        for (int64_t d = 0; d < 3; ++d)
          EXPECT_EQ(p.out[p.element(t, h, 0, d)], p.v[p.element(t, h, 0, d)]);
        double score = 0.0;
        for (int64_t d = 0; d < 3; ++d)
          score += p.q[p.element(t, h, 0, d)] * p.k[p.element(t, h, 0, d)];
        EXPECT_NEAR(p.lse[p.row(t, h)], scale * score, kTol);
      }
    }
  }
}

TEST(ReferenceTest, PartialLastSegmentAttendsOnlyWithinItself) {
  // Segments {0, 1}, {2, 3}, {4}.
  Problem p(scalarShape(5));
  fillLogRamp(p);
  ASSERT_EQ(p.runBranch(scaleOneConfig({}), {2, 1}), "");
  expectScalarRows(p, {5.0 / 3.0, 5.0 / 3.0, 25.0 / 7.0, 25.0 / 7.0, 5.0},
                   {std::log(3.0), std::log(3.0), std::log(7.0), std::log(7.0),
                    std::log(5.0)});
  EXPECT_EQ(p.out[p.element(4)], p.v[p.element(4)]);
}

TEST(ReferenceTest, OffsetBeyondPartialSegmentSelectsNothing) {
  // N = 5, w = 2, r = 2, cyclic: head 0 selects local index 0 of each
  // segment, head 1 local index 1, which the partial segment {4} lacks.
  Problem p(scalarShape(5, /*heads=*/2));
  fillLogRamp(p);
  ASSERT_EQ(p.runBranch(scaleOneConfig({}), {2, 2}), "");
  expectScalarRows(p, {1.0, 0.0, 3.0, 0.0, 5.0},
                   {0.0, kNegInf, std::log(3.0), kNegInf, std::log(5.0)},
                   /*h=*/0);
  expectScalarRows(p, {0.0, 2.0, 0.0, 4.0, 0.0},
                   {kNegInf, std::log(2.0), kNegInf, std::log(4.0), kNegInf},
                   /*h=*/1);
}

TEST(ReferenceTest, SegmentNotMultipleOfRateRestartsStrideAtSegmentStart) {
  // N = 6, w = 3, r = 2: segments {0, 1, 2}, {3, 4, 5}. Offsets are local to
  // the segment, so head 0 selects {0, 2} and {3, 5} (not the global stride
  // {0, 2, 4}), head 1 selects {1} and {4}.
  Problem p(scalarShape(6, /*heads=*/2));
  fillLogRamp(p);
  ASSERT_EQ(p.runBranch(scaleOneConfig({}), {3, 2}), "");
  EXPECT_EQ(coveredRows(p, 0), (std::set<int64_t>{0, 2, 3, 5}));
  EXPECT_EQ(coveredRows(p, 1), (std::set<int64_t>{1, 4}));
  expectScalarRows(p, {2.5, 0.0, 2.5, 5.2, 0.0, 5.2},
                   {std::log(4.0), kNegInf, std::log(4.0), std::log(10.0),
                    kNegInf, std::log(10.0)},
                   /*h=*/0);
  expectScalarRows(
      p, {0.0, 2.0, 0.0, 0.0, 5.0, 0.0},
      {kNegInf, std::log(2.0), kNegInf, kNegInf, std::log(5.0), kNegInf},
      /*h=*/1);
}

TEST(ReferenceTest, SegmentLongerThanSequenceIsOneSegment) {
  Problem p(scalarShape(3));
  fillLogRamp(p);
  ASSERT_EQ(p.runBranch(scaleOneConfig({}), {8, 2}), "");
  expectScalarRows(p, {2.5, 0.0, 2.5}, {std::log(4.0), kNegInf, std::log(4.0)});

  Problem random(Shape{2, 5, 3, 4});
  fillRandom(random, 11);
  for (int64_t rate : {1, 2, 3}) {
    ASSERT_EQ(random.runBranch(Config{}, {5, rate}), "");
    std::vector<double> exactOut = random.out, exactLse = random.lse;
    ASSERT_EQ(random.runBranch(Config{}, {64, rate}), "");
    EXPECT_EQ(random.out, exactOut);
    EXPECT_EQ(random.lse, exactLse);
  }
}

//===----------------------------------------------------------------------===//
// Head offsets
//===----------------------------------------------------------------------===//

std::vector<int64_t> offsets(OffsetMode mode, int64_t numHeads, int64_t rate) {
  std::vector<int64_t> result;
  for (int64_t h = 0; h < numHeads; ++h)
    result.push_back(headOffset(mode, h, numHeads, rate));
  return result;
}

TEST(ReferenceTest, HeadOffsetValues) {
  using V = std::vector<int64_t>;
  EXPECT_EQ(offsets(OffsetMode::Cyclic, 4, 2), (V{0, 1, 0, 1}));
  EXPECT_EQ(offsets(OffsetMode::Cyclic, 5, 3), (V{0, 1, 2, 0, 1}));
  EXPECT_EQ(offsets(OffsetMode::Cyclic, 3, 1), (V{0, 0, 0}));
  EXPECT_EQ(offsets(OffsetMode::Grouped, 4, 2), (V{0, 0, 1, 1}));
  // ceil(5 / 2) = 3 heads per offset.
  EXPECT_EQ(offsets(OffsetMode::Grouped, 5, 2), (V{0, 0, 0, 1, 1}));
  // ceil(8 / 3) = 3 heads per offset.
  EXPECT_EQ(offsets(OffsetMode::Grouped, 8, 3), (V{0, 0, 0, 1, 1, 1, 2, 2}));
  // Fewer heads than the rate: ceil(3 / 4) = 1, offsets 0, 1, 2.
  EXPECT_EQ(offsets(OffsetMode::Grouped, 3, 4), (V{0, 1, 2}));
  EXPECT_EQ(offsets(OffsetMode::None, 4, 2), (V{0, 0, 0, 0}));
  // Out-of-range arguments give 0 rather than undefined behaviour.
  EXPECT_EQ(headOffset(OffsetMode::Cyclic, 3, 4, 0), 0);
  EXPECT_EQ(headOffset(OffsetMode::Grouped, 5, 4, 2), 0);
}

TEST(ReferenceTest, OffsetModeChoosesSelectedRows) {
  using S = std::set<int64_t>;
  const S even{0, 2}, odd{1, 3};
  struct Case {
    OffsetMode mode;
    std::vector<S> perHead;
  };
  for (const Case &c : {Case{OffsetMode::Cyclic, {even, odd, even, odd}},
                        Case{OffsetMode::Grouped, {even, even, odd, odd}},
                        Case{OffsetMode::None, {even, even, even, even}}}) {
    Problem p(scalarShape(4, /*heads=*/4));
    fillLogRamp(p);
    Config config = scaleOneConfig({});
    config.offsetMode = c.mode;
    ASSERT_EQ(p.runBranch(config, {4, 2}), "");
    for (int64_t h = 0; h < 4; ++h) {
      SCOPED_TRACE("mode " + std::to_string(int(c.mode)) + " head " +
                   std::to_string(h));
      EXPECT_EQ(coveredRows(p, h), c.perHead[h]);
    }
  }

  // Grouped with H = 5, r = 2: heads 0-2 take offset 0, heads 3-4 offset 1.
  Problem p(scalarShape(4, /*heads=*/5));
  fillLogRamp(p);
  Config config = scaleOneConfig({});
  config.offsetMode = OffsetMode::Grouped;
  ASSERT_EQ(p.runBranch(config, {4, 2}), "");
  for (int64_t h = 0; h < 5; ++h)
    EXPECT_EQ(coveredRows(p, h), h < 3 ? even : odd) << "head " << h;
}

//===----------------------------------------------------------------------===//
// Mixture
//===----------------------------------------------------------------------===//

TEST(ReferenceTest, TwoBranchMixtureWeightsBranchesByLse) {
  Problem p(scalarShape(4));
  fillLogRamp(p);
  Config config = scaleOneConfig({{4, 1}, {2, 1}});

  // Branch (4, 1): weights 1:2:3:4 everywhere. Branch (2, 1): 1:2 on {0, 1},
  // 3:4 on {2, 3}.
  ASSERT_EQ(p.runBranch(config, {4, 1}), "");
  expectScalarRows(
      p, {3.0, 3.0, 3.0, 3.0},
      {std::log(10.0), std::log(10.0), std::log(10.0), std::log(10.0)});
  ASSERT_EQ(p.runBranch(config, {2, 1}), "");
  expectScalarRows(
      p, {5.0 / 3.0, 5.0 / 3.0, 25.0 / 7.0, 25.0 / 7.0},
      {std::log(3.0), std::log(3.0), std::log(7.0), std::log(7.0)});

  // Rows 0, 1: a = (10, 3) / 13. Rows 2, 3: a = (10, 7) / 17.
  ASSERT_EQ(p.runMixture(config), "");
  const double top = 10.0 / 13.0 * 3.0 + 3.0 / 13.0 * (5.0 / 3.0);
  const double bottom = 10.0 / 17.0 * 3.0 + 7.0 / 17.0 * (25.0 / 7.0);
  EXPECT_NEAR(top, 35.0 / 13.0, kTol);
  EXPECT_NEAR(bottom, 55.0 / 17.0, kTol);
  expectScalarRows(
      p, {top, top, bottom, bottom},
      {std::log(13.0), std::log(13.0), std::log(17.0), std::log(17.0)});
}

TEST(ReferenceTest, RowCoveredByOneBranchEqualsThatBranch) {
  // Branch (4, 2) selects {0, 2} only; rows 1 and 3 come from (4, 1) alone.
  Problem p(scalarShape(4));
  fillLogRamp(p);
  Config config = scaleOneConfig({{4, 1}, {4, 2}});
  ASSERT_EQ(p.runBranch(config, {4, 1}), "");
  std::vector<double> denseOut = p.out, denseLse = p.lse;
  ASSERT_EQ(p.runMixture(config), "");
  for (int64_t t : {1, 3}) {
    EXPECT_EQ(p.out[t], denseOut[t]);
    EXPECT_EQ(p.lse[t], denseLse[t]);
  }
  // Rows 0, 2: (4, 1) gives 3 with s = 10, (4, 2) gives 10/4 with s = 4.
  expectScalarRows(
      p, {40.0 / 14.0, 3.0, 40.0 / 14.0, 3.0},
      {std::log(14.0), std::log(10.0), std::log(14.0), std::log(10.0)});
}

TEST(ReferenceTest, UncoveredRowsAreZeroWithNegInfLse) {
  // Both branches select only even rows of each segment (H = 1, offset 0).
  Problem p(Shape{2, 4, 1, 3});
  fillRandom(p, 3);
  Config config;
  config.branches = {{4, 2}, {2, 2}};
  ASSERT_EQ(p.runMixture(config), "");
  for (int64_t b = 0; b < 2; ++b) {
    for (int64_t t = 0; t < 4; ++t) {
      bool covered = t % 2 == 0;
      EXPECT_EQ(std::isfinite(p.lse[p.row(t, 0, b)]), covered);
      if (!covered) {
        EXPECT_EQ(p.lse[p.row(t, 0, b)], kNegInf);
      }
      for (int64_t d = 0; d < 3; ++d) {
        double x = p.out[p.element(t, 0, b, d)];
        EXPECT_TRUE(std::isfinite(x));
        if (!covered) {
          EXPECT_EQ(x, 0.0);
        }
      }
    }
  }
  for (double x : p.lse)
    EXPECT_FALSE(std::isnan(x));

  // The combined lse is optional.
  std::vector<double> out(p.out.size());
  EXPECT_EQ(dilatedAttention(config, p.shape, p.q.data(), p.k.data(),
                             p.v.data(), out.data(), nullptr),
            "");
  EXPECT_EQ(out, p.out);
}

TEST(ReferenceTest, LargeLogitsStayFinite) {
  // k = (1000, 1001): a naive exp overflows; the stable forms do not.
  Problem p(scalarShape(2));
  p.q = {1.0, 1.0};
  p.k = {1000.0, 1001.0};
  p.v = {0.0, 1.0};
  const double e = std::exp(1.0);
  Config config = scaleOneConfig({{2, 1}, {1, 1}});
  ASSERT_EQ(p.runBranch(config, {2, 1}), "");
  expectScalarRows(
      p, {e / (1.0 + e), e / (1.0 + e)},
      {1001.0 + std::log1p(1.0 / e), 1001.0 + std::log1p(1.0 / e)});

  // Adding (1, 1) (each row attends only to itself) adds e^1000 v_0 to row 0
  // and e^1001 v_1 to row 1, in units of e^1000.
  ASSERT_EQ(p.runMixture(config), "");
  expectScalarRows(
      p, {e / (2.0 + e), 2.0 * e / (1.0 + 2.0 * e)},
      {1000.0 + std::log(2.0 + e), 1000.0 + std::log(1.0 + 2.0 * e)});
}

TEST(ReferenceTest, BatchesAreIndependent) {
  const Shape shape{3, 6, 2, 3};
  Problem full(shape);
  fillRandom(full, 5);
  Config config;
  config.branches = {{2, 1}, {6, 2}, {4, 3}};
  ASSERT_EQ(full.runMixture(config), "");

  const int64_t batchSize = 6 * 2 * 3, batchRows = 6 * 2;
  for (int64_t b = 0; b < 3; ++b) {
    SCOPED_TRACE("batch " + std::to_string(b));
    Problem single(Shape{1, 6, 2, 3});
    auto slice = [&](const std::vector<double> &from) {
      return std::vector<double>(from.begin() + b * batchSize,
                                 from.begin() + (b + 1) * batchSize);
    };
    single.q = slice(full.q);
    single.k = slice(full.k);
    single.v = slice(full.v);
    ASSERT_EQ(single.runMixture(config), "");
    EXPECT_EQ(single.out, slice(full.out));
    EXPECT_EQ(single.lse,
              std::vector<double>(full.lse.begin() + b * batchRows,
                                  full.lse.begin() + (b + 1) * batchRows));
  }

  // Changing batch 2 leaves batches 0 and 1 untouched.
  std::vector<double> before = full.out;
  for (int64_t i = 2 * batchSize; i < 3 * batchSize; ++i)
    full.k[i] += 0.5;
  ASSERT_EQ(full.runMixture(config), "");
  EXPECT_TRUE(std::equal(before.begin(), before.begin() + 2 * batchSize,
                         full.out.begin()));
  EXPECT_FALSE(std::equal(before.begin() + 2 * batchSize, before.end(),
                          full.out.begin() + 2 * batchSize));
}

//===----------------------------------------------------------------------===//
// Validation
//===----------------------------------------------------------------------===//

TEST(ReferenceTest, ValidateAcceptsGoodConfig) {
  Config config;
  config.branches = {{4, 1}, {8, 2}, {8, 4}};
  EXPECT_EQ(validate(config, Shape{1, 16, 4, 8}), "");
  // w > N and r = w are both fine.
  config.branches = {{64, 64}};
  EXPECT_EQ(validate(config, Shape{1, 16, 4, 8}), "");
}

TEST(ReferenceTest, ValidateRejectsBadShape) {
  Config config;
  config.branches = {{4, 1}};
  EXPECT_EQ(validate(config, Shape{-1, 4, 1, 1}),
            "batch size -1 must not be negative");
  EXPECT_EQ(validate(config, Shape{1, -3, 1, 1}),
            "sequence length -3 must not be negative");
  EXPECT_EQ(validate(config, Shape{1, 4, -2, 1}),
            "number of heads -2 must not be negative");
  EXPECT_EQ(validate(config, Shape{1, 4, 1, 0}),
            "head dimension 0 must be positive");
}

// B = 0, N = 0 or H = 0 is an empty problem, as the verifier allows: no
// rows, no FLOPs, no diagnostic.
TEST(ReferenceTest, EmptyShapesHaveNothingToCompute) {
  Config config;
  config.branches = {{4, 1}, {8, 2}};
  config.causal = true;
  for (Shape shape :
       {Shape{0, 16, 2, 4}, Shape{1, 0, 2, 4}, Shape{2, 8, 0, 4}}) {
    EXPECT_EQ(validate(config, shape), "");
    EXPECT_EQ(forwardFlops(config, shape), 0.0);
    double sentinel = 7.0;
    EXPECT_EQ(dilatedAttention(config, shape, &sentinel, &sentinel, &sentinel,
                               &sentinel, &sentinel),
              "");
    EXPECT_EQ(sentinel, 7.0);
  }
}

// The closed-form pair count equals the segment-by-segment sum, and costs
// nothing at N = 2^40.
TEST(ReferenceTest, ForwardFlopsInClosedForm) {
  for (bool causal : {false, true})
    for (Branch branch :
         {Branch{4, 1}, Branch{6, 4}, Branch{16, 3}, Branch{100, 5}})
      for (int64_t n : {1, 5, 16, 23, 97, 1000}) {
        Config config;
        config.branches = {branch};
        config.causal = causal;
        config.offsetMode = OffsetMode::Cyclic;
        Shape shape{2, n, 5, 3};
        double pairs = 0.0;
        int64_t w = std::min(branch.segmentLength, n);
        for (int64_t h = 0; h < 5; ++h)
          for (int64_t start = 0; start < n; start += w) {
            double m = double(numSelected(
                std::min(w, n - start), branch.dilationRate,
                headOffset(OffsetMode::Cyclic, h, 5, branch.dilationRate)));
            pairs += causal ? m * (m + 1) / 2 : m * m;
          }
        EXPECT_DOUBLE_EQ(forwardFlops(config, shape), 4.0 * 2 * 3 * pairs)
            << "w " << branch.segmentLength << " r " << branch.dilationRate
            << " N " << n;
      }
  Config paper;
  paper.branches = {{2048, 1}};
  paper.causal = true;
  // (2^40 / 2048) segments of 2048 * 2049 / 2 pairs, 4 B D H flops each.
  EXPECT_DOUBLE_EQ(forwardFlops(paper, Shape{1, int64_t(1) << 40, 12, 64}),
                   4.0 * 64 * 12 * double(int64_t(1) << 29) * 2048 * 2049 / 2);
}

TEST(ReferenceTest, ValidateRejectsBadBranches) {
  const Shape shape{1, 8, 2, 4};
  auto check = [&](std::vector<Branch> branches) {
    Config config;
    config.branches = std::move(branches);
    return validate(config, shape);
  };
  EXPECT_EQ(check({}), "mixture has no branches");
  EXPECT_EQ(check({{4, 1}, {0, 1}}),
            "branch 1: segment length 0 must be at least 1");
  EXPECT_EQ(check({{4, 0}}), "branch 0: dilation rate 0 must be at least 1");
  EXPECT_EQ(check({{4, -2}}), "branch 0: dilation rate -2 must be at least 1");
  EXPECT_EQ(check({{4, 1}, {2, 3}}),
            "branch 1: dilation rate 3 exceeds segment length 2");
  EXPECT_EQ(check({{4, 1}, {8, 2}, {4, 1}}),
            "branch 2: (segment length 4, dilation rate 1) duplicates "
            "branch 0");
}

TEST(ReferenceTest, ValidateRejectsBadScale) {
  const Shape shape{1, 8, 2, 4};
  auto check = [&](double scale) {
    Config config;
    config.branches = {{4, 1}};
    config.scale = scale;
    return validate(config, shape);
  };
  EXPECT_EQ(check(0.0), "scale 0 must be positive and finite");
  EXPECT_EQ(check(-1.0), "scale -1 must be positive and finite");
  EXPECT_EQ(check(std::numeric_limits<double>::infinity()),
            "scale inf must be positive and finite");
  EXPECT_EQ(check(std::numeric_limits<double>::quiet_NaN()),
            "scale nan must be positive and finite");
  EXPECT_EQ(check(0.125), "");
}

TEST(ReferenceTest, EntryPointsReportErrors) {
  Problem p(scalarShape(4));
  Config config;
  EXPECT_EQ(p.runMixture(config), "mixture has no branches");
  EXPECT_EQ(p.runBranch(config, {2, 3}),
            "branch: dilation rate 3 exceeds segment length 2");
  EXPECT_EQ(dilatedAttentionBranch(config, {2, 1}, p.shape, p.q.data(), nullptr,
                                   p.v.data(), p.out.data(), p.lse.data()),
            "k must not be null");
  EXPECT_EQ(dilatedAttentionBranch(config, {2, 1}, p.shape, p.q.data(),
                                   p.k.data(), p.v.data(), p.out.data(),
                                   nullptr),
            "lse must not be null");
  config.branches = {{2, 1}};
  EXPECT_EQ(dilatedAttention(config, p.shape, p.q.data(), p.k.data(),
                             p.v.data(), nullptr, nullptr),
            "out must not be null");
}

//===----------------------------------------------------------------------===//
// Costs
//===----------------------------------------------------------------------===//

TEST(ReferenceTest, ForwardFlopsCountsSelectedPairs) {
  // B = 2, N = 8, H = 2, D = 4, so 4 * B * D = 32 per pair per head.
  const Shape shape{2, 8, 2, 4};
  Config config;
  config.branches = {{4, 1}, {8, 2}};
  // (4, 1): two segments of 4 -> 32 pairs; (8, 2): one segment selecting 4
  // -> 16 pairs; per head. 32 * 2 heads * (32 + 16) = 3072, which matches
  // the SPEC estimate 4 B H D N w / r^2 = 2048 + 1024.
  EXPECT_DOUBLE_EQ(forwardFlops(config, shape), 3072.0);
  // Causal: m (m + 1) / 2 pairs per segment: 2 * 10 and 10.
  config.causal = true;
  EXPECT_DOUBLE_EQ(forwardFlops(config, shape), 32.0 * 2.0 * (20.0 + 10.0));

  // Partial segments: N = 5, w = 2, r = 2. Head 0 selects {0}, {2}, {4};
  // head 1 selects {1}, {3}, nothing: 3 + 2 pairs, times 4 * B * D = 4.
  Config partial;
  partial.branches = {{2, 2}};
  EXPECT_DOUBLE_EQ(forwardFlops(partial, Shape{1, 5, 2, 1}), 20.0);

  EXPECT_DOUBLE_EQ(forwardFlops(Config{}, shape), 0.0);
}

//===----------------------------------------------------------------------===//
// Property: r = 1 and w >= N is dense softmax attention
//===----------------------------------------------------------------------===//

/// Textbook attention, no max subtraction (inputs are small).
void denseAttention(const Problem &p, double scale, bool causal,
                    std::vector<double> &out, std::vector<double> &lse) {
  const Shape &s = p.shape;
  out.assign(p.numElements(), 0.0);
  lse.assign(p.numRows(), 0.0);
  for (int64_t b = 0; b < s.batch; ++b) {
    for (int64_t h = 0; h < s.heads; ++h) {
      for (int64_t t = 0; t < s.seqLen; ++t) {
        double sum = 0.0;
        int64_t lastKey = causal ? t : s.seqLen - 1;
        for (int64_t u = 0; u <= lastKey; ++u) {
          double score = 0.0;
          for (int64_t d = 0; d < s.headDim; ++d)
            score += p.q[p.element(t, h, b, d)] * p.k[p.element(u, h, b, d)];
          double weight = std::exp(scale * score);
          sum += weight;
          for (int64_t d = 0; d < s.headDim; ++d)
            out[p.element(t, h, b, d)] += weight * p.v[p.element(u, h, b, d)];
        }
        for (int64_t d = 0; d < s.headDim; ++d)
          out[p.element(t, h, b, d)] /= sum;
        lse[p.row(t, h, b)] = std::log(sum);
      }
    }
  }
}

void expectAllNear(const std::vector<double> &actual,
                   const std::vector<double> &expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i)
    EXPECT_NEAR(actual[i], expected[i], kTol) << "index " << i;
}

TEST(ReferenceTest, FullSegmentWithoutDilationIsDenseAttention) {
  Problem p(Shape{2, 7, 3, 5});
  fillRandom(p, 42);
  for (bool causal : {false, true}) {
    std::vector<double> expectedOut, expectedLse;
    denseAttention(p, 1.0 / std::sqrt(5.0), causal, expectedOut, expectedLse);
    for (int64_t w : {7, 10, 28}) {
      SCOPED_TRACE("w " + std::to_string(w) + (causal ? " causal" : ""));
      Config config;
      config.branches = {{w, 1}};
      config.causal = causal;
      for (OffsetMode mode :
           {OffsetMode::Cyclic, OffsetMode::Grouped, OffsetMode::None}) {
        config.offsetMode = mode;
        ASSERT_EQ(p.runBranch(config, {w, 1}), "");
        expectAllNear(p.out, expectedOut);
        expectAllNear(p.lse, expectedLse);
        ASSERT_EQ(p.runMixture(config), "");
        expectAllNear(p.out, expectedOut);
        expectAllNear(p.lse, expectedLse);
      }
    }
  }
}

} // namespace
