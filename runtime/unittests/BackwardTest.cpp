//===- BackwardTest.cpp - Tests of the float64 backward reference ---------===//
//
// Part of the longnet-mlir project. The gradients of
// `dilatedAttentionBackward` against central finite differences of the
// forward reference, for the loss L = sum(dout * out) + sum(dlse * lse), on
// every layout rule of docs/SPEC.md: partial last segments, w mod r != 0,
// w > N, causal, the three offset modes, B > 1, uncovered rows.
//
//===----------------------------------------------------------------------===//

#include "longnet-runtime/Reference.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>
#include <random>

using namespace longnet::reference;

namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

struct Gradients {
  std::vector<double> dq, dk, dv;
};

struct BackwardCase {
  Config config;
  Shape shape;
  std::vector<double> q, k, v, dout, dlse;

  BackwardCase(Config config, Shape shape, unsigned seed, bool withDlse)
      : config(std::move(config)), shape(shape) {
    std::mt19937_64 engine(seed);
    std::uniform_real_distribution<double> dist(-1.0, 1.0);
    for (std::vector<double> *tensor : {&q, &k, &v, &dout}) {
      tensor->resize(numElements());
      for (double &x : *tensor)
        x = dist(engine);
    }
    if (withDlse) {
      dlse.resize(numRows());
      for (double &x : dlse)
        x = dist(engine);
    }
  }

  int64_t numRows() const { return shape.batch * shape.seqLen * shape.heads; }
  int64_t numElements() const { return numRows() * shape.headDim; }

  void forward(std::vector<double> &out, std::vector<double> &lse) const {
    out.assign(numElements(), 0.0);
    lse.assign(numRows(), 0.0);
    ASSERT_EQ(dilatedAttention(config, shape, q.data(), k.data(), v.data(),
                               out.data(), lse.data()),
              "");
  }

  /// The loss whose gradient the backward computes. Uncovered rows have
  /// lse = -inf and out = 0: they contribute nothing (dlse there is ignored,
  /// as lse does not depend on the inputs).
  double loss() const {
    std::vector<double> out, lse;
    forward(out, lse);
    double sum = 0.0;
    for (int64_t i = 0; i < numElements(); ++i)
      sum += dout[i] * out[i];
    for (int64_t row = 0; row < int64_t(dlse.size()); ++row)
      if (lse[row] != kNegInf)
        sum += dlse[row] * lse[row];
    return sum;
  }

  Gradients backward() const {
    std::vector<double> out, lse;
    forward(out, lse);
    Gradients g{std::vector<double>(numElements(), NAN),
                std::vector<double>(numElements(), NAN),
                std::vector<double>(numElements(), NAN)};
    EXPECT_EQ(dilatedAttentionBackward(
                  config, shape, q.data(), k.data(), v.data(), out.data(),
                  lse.data(), dout.data(), dlse.empty() ? nullptr : dlse.data(),
                  g.dq.data(), g.dk.data(), g.dv.data()),
              "");
    return g;
  }

  /// Central difference of the loss along element `i` of `tensor`.
  double numericGradient(std::vector<double> &tensor, int64_t i) {
    constexpr double h = 1e-5;
    double saved = tensor[i];
    tensor[i] = saved + h;
    double up = loss();
    tensor[i] = saved - h;
    double down = loss();
    tensor[i] = saved;
    return (up - down) / (2.0 * h);
  }

  /// Checks every element of dq, dk and dv against finite differences:
  /// |analytic - numeric| <= 1e-7 + 1e-6 |numeric| (the central difference
  /// errs by O(h^2) = 1e-10 times the third derivative, plus rounding of
  /// the loss over 2h, ~1e-16 / 1e-5).
  void expectMatchesFiniteDifferences() {
    Gradients g = backward();
    struct Pair {
      const char *name;
      std::vector<double> *input;
      const std::vector<double> *gradient;
    } pairs[] = {{"dq", &q, &g.dq}, {"dk", &k, &g.dk}, {"dv", &v, &g.dv}};
    for (const Pair &pair : pairs) {
      for (int64_t i = 0; i < numElements(); ++i) {
        double numeric = numericGradient(*pair.input, i);
        double analytic = (*pair.gradient)[i];
        ASSERT_NEAR(analytic, numeric, 1e-7 + 1e-6 * std::fabs(numeric))
            << pair.name << "[" << i << "]";
      }
    }
  }
};

Config mixture(std::vector<Branch> branches, bool causal, OffsetMode mode,
               std::optional<double> scale = std::nullopt) {
  Config config;
  config.branches = std::move(branches);
  config.causal = causal;
  config.offsetMode = mode;
  config.scale = scale;
  return config;
}

struct MatrixParam {
  bool causal;
  OffsetMode mode;
  bool withDlse;
};

class BackwardMatrixTest : public ::testing::TestWithParam<MatrixParam> {};

// N = 11: w = 4 leaves a partial last segment of 3, w = 5 with r = 2 is not
// a multiple of the rate, w = 16 exceeds N; H = 3 puts heads at offsets
// beyond short segments; B = 2.
TEST_P(BackwardMatrixTest, MatchesFiniteDifferences) {
  MatrixParam param = GetParam();
  BackwardCase c(mixture({{4, 1}, {5, 2}, {16, 3}}, param.causal, param.mode),
                 Shape{2, 11, 3, 4}, /*seed=*/7, param.withDlse);
  c.expectMatchesFiniteDifferences();
}

INSTANTIATE_TEST_SUITE_P(
    Layouts, BackwardMatrixTest,
    ::testing::Values(MatrixParam{false, OffsetMode::Cyclic, false},
                      MatrixParam{true, OffsetMode::Cyclic, false},
                      MatrixParam{false, OffsetMode::Grouped, true},
                      MatrixParam{true, OffsetMode::Grouped, true},
                      MatrixParam{false, OffsetMode::None, true},
                      MatrixParam{true, OffsetMode::None, false},
                      MatrixParam{true, OffsetMode::Cyclic, true}));

TEST(BackwardTest, OneBranchWithExplicitScaleMatchesFiniteDifferences) {
  BackwardCase c(mixture({{6, 2}}, /*causal=*/true, OffsetMode::Cyclic, 0.7),
                 Shape{1, 13, 2, 3}, /*seed=*/3, /*withDlse=*/true);
  c.expectMatchesFiniteDifferences();
}

// One branch (4, 4): head h selects local index h mod 4 only, so with H = 2
// rows at local index 2 and 3 are covered by no branch. Their dq is 0, the
// keys never selected get dk = dv = 0, and nothing is NaN.
TEST(BackwardTest, UncoveredRowsGetZeroGradients) {
  BackwardCase c(mixture({{4, 4}}, /*causal=*/false, OffsetMode::Cyclic),
                 Shape{1, 8, 2, 2}, /*seed=*/11, /*withDlse=*/true);
  Gradients g = c.backward();
  for (int64_t t = 0; t < 8; ++t) {
    for (int64_t h = 0; h < 2; ++h) {
      bool covered = t % 4 == h;
      for (int64_t d = 0; d < 2; ++d) {
        int64_t i = (t * 2 + h) * 2 + d;
        SCOPED_TRACE("t " + std::to_string(t) + " h " + std::to_string(h));
        EXPECT_FALSE(std::isnan(g.dq[i]) || std::isnan(g.dk[i]) ||
                     std::isnan(g.dv[i]));
        if (!covered) {
          EXPECT_EQ(g.dq[i], 0.0);
          EXPECT_EQ(g.dk[i], 0.0);
          EXPECT_EQ(g.dv[i], 0.0);
        }
      }
    }
  }
  // A covered row attends only to itself (one key per segment): out = v,
  // so dv = dout, and lse = scale q . k, so only dlse reaches q and k:
  // dq = scale dlse k, dk = scale dlse q (row t = 0, head 0, d = 0).
  double scale = 1.0 / std::sqrt(2.0);
  EXPECT_DOUBLE_EQ(g.dv[0], c.dout[0]);
  EXPECT_NEAR(g.dq[0], scale * c.dlse[0] * c.k[0], 1e-15);
  EXPECT_NEAR(g.dk[0], scale * c.dlse[0] * c.q[0], 1e-15);
}

TEST(BackwardTest, BackwardFlopsAreFiveProductsPerPair) {
  Config config =
      mixture({{8, 1}, {16, 2}}, /*causal=*/true, OffsetMode::Cyclic);
  Shape shape{2, 64, 4, 16};
  EXPECT_DOUBLE_EQ(backwardFlops(config, shape),
                   2.5 * forwardFlops(config, shape));
  EXPECT_GT(backwardFlops(config, shape), 0.0);
  config.branches.clear();
  EXPECT_EQ(backwardFlops(config, shape), 0.0);
}

TEST(BackwardTest, ReportsErrors) {
  Config config = mixture({{4, 2}}, false, OffsetMode::Cyclic);
  Shape shape{1, 4, 1, 2};
  std::vector<double> x(8, 0.0), l(4, 0.0), g(8);
  EXPECT_EQ(dilatedAttentionBackward(config, shape, x.data(), x.data(),
                                     x.data(), x.data(), nullptr, x.data(),
                                     nullptr, g.data(), g.data(), g.data()),
            "lse must not be null");
  EXPECT_EQ(dilatedAttentionBackward(config, shape, x.data(), x.data(),
                                     x.data(), x.data(), l.data(), x.data(),
                                     nullptr, g.data(), nullptr, g.data()),
            "dk must not be null");
  config.branches = {{2, 4}};
  EXPECT_EQ(dilatedAttentionBackward(config, shape, x.data(), x.data(),
                                     x.data(), x.data(), l.data(), x.data(),
                                     nullptr, g.data(), g.data(), g.data()),
            "branch 0: dilation rate 4 exceeds segment length 2");
}

TEST(BackwardTest, EmptyProblemHasNothingToDo) {
  Config config = mixture({{4, 2}}, true, OffsetMode::Cyclic);
  double dummy = 0.0;
  EXPECT_EQ(dilatedAttentionBackward(config, Shape{1, 0, 2, 4}, &dummy, &dummy,
                                     &dummy, &dummy, &dummy, &dummy, nullptr,
                                     &dummy, &dummy, &dummy),
            "");
}

} // namespace
