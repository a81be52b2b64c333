//===- Reference.h - Float64 brute-force LongNet dilated attention -*- C++ -*-//
//
// The oracle every LongNet backend is checked against: a direct, double
// precision transcription of docs/SPEC.md ("One branch", "Mixing the
// branches" and "Costs to report"). It has no MLIR or LLVM dependency and
// favours clarity over speed: the cost is O(B * H * D * sum_g |P_g|^2) per
// branch, the same quadratic work the SPEC counts, with no per-row allocation.
//
// Tensors are [B, N, H, D] (batch, sequence, heads, head dim), row-major and
// contiguous: element (b, t, h, d) lives at ((b * N + t) * H + h) * D + d.
// Log-sum-exp tensors are [B, N, H] with the same convention.
//
// Every entry point that can fail returns an empty string on success and a
// one-line diagnostic otherwise; nothing asserts on caller-provided values.
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_RUNTIME_REFERENCE_H
#define LONGNET_RUNTIME_REFERENCE_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace longnet {
namespace reference {

/// How head j picks its residue class o_j inside every segment of a branch
/// with dilation rate r.
enum class OffsetMode {
  /// o_j = j mod r (the paper, the default).
  Cyclic,
  /// o_j = floor(j / ceil(H / r)) (the layout of the official torchscale code).
  Grouped,
  /// o_j = 0 for every head.
  None,
};

/// One (segment length w, dilation rate r) pair of the mixture.
struct Branch {
  int64_t segmentLength;
  int64_t dilationRate;
};

struct Config {
  std::vector<Branch> branches;
  bool causal = false;
  /// Softmax scale; 1 / sqrt(D) when absent.
  std::optional<double> scale;
  OffsetMode offsetMode = OffsetMode::Cyclic;
};

/// [B, N, H, D] of Q, K, V and the output.
struct Shape {
  int64_t batch;
  int64_t seqLen;
  int64_t heads;
  int64_t headDim;
};

/// Returns an empty string when `config` and `shape` are valid, else one
/// message naming the first offending value, e.g.
/// "branch 1: dilation rate 3 exceeds segment length 2". Rejects: a
/// non-positive dimension, an empty mixture, w < 1, r < 1, r > w, a (w, r)
/// pair listed twice, and a scale that is not positive and finite.
std::string validate(const Config &config, const Shape &shape);

/// The offset o_j of head `head` (of `numHeads`) for dilation rate `rate`:
/// cyclic `head mod rate`, grouped `floor(head / ceil(numHeads / rate))`,
/// none 0. The result always lies in [0, rate). Arguments outside
/// 0 <= head < numHeads, rate >= 1 give 0.
int64_t headOffset(OffsetMode mode, int64_t head, int64_t numHeads,
                   int64_t rate);

/// Number of positions that a segment of `segmentSize` rows selects for a
/// head with offset `offset` at dilation rate `rate`: those at local index
/// offset, offset + rate, ... below segmentSize (0 if offset >= segmentSize).
int64_t numSelected(int64_t segmentSize, int64_t rate, int64_t offset);

/// One branch `branch` of the mixture; uses `config.causal`, `config.scale`
/// and `config.offsetMode` but not `config.branches`. Writes `out`
/// [B, N, H, D] and `lse` [B, N, H]. Rows the branch does not select for a
/// head get out = 0 and lse = -inf.
std::string dilatedAttentionBranch(const Config &config, Branch branch,
                                   const Shape &shape, const double *q,
                                   const double *k, const double *v,
                                   double *out, double *lse);

/// The whole mixture: every branch, merged by SPEC Eq. 10 (softmax of the
/// branch lse values over the branches covering a row, max-subtracted). Writes
/// `out` [B, N, H, D] and, when `lse` is not null, the combined lse
/// log sum_i exp(lse_i) [B, N, H]. A row no branch covers gets out = 0 and
/// lse = -inf; no NaN is ever produced for finite inputs.
std::string dilatedAttention(const Config &config, const Shape &shape,
                             const double *q, const double *k, const double *v,
                             double *out, double *lse);

/// Gradients of the whole mixture (SPEC "Backward (training)"), exact
/// including the gradient through the mixing weights. Inputs: q, k, v, the
/// forward's `out` and combined `lse` (as `dilatedAttention` writes them),
/// the loss gradient `dout` [B, N, H, D] and, when not null, `dlse`
/// [B, N, H], the gradient of the combined lse result (null: zero). Writes
/// `dq`, `dk`, `dv` [B, N, H, D]. With P(t, u) = exp(scale q_t . k_u -
/// lse(t)) for every key u of every branch covering t and
/// Delta(t) = dout(t) . out(t) - dlse(t):
///   dv_u += P dout_t,  dS = P (dout_t . v_u - Delta(t)),
///   dq_t += scale dS k_u,  dk_u += scale dS q_t.
/// A key u in two branches' key sets of row t counts once per branch, as
/// the forward's sum does. Rows with lse = -inf (no branch covers them)
/// contribute nothing; their dq is 0.
std::string dilatedAttentionBackward(const Config &config, const Shape &shape,
                                     const double *q, const double *k,
                                     const double *v, const double *out,
                                     const double *lse, const double *dout,
                                     const double *dlse, double *dq, double *dk,
                                     double *dv);

/// Backward FLOPs (SPEC "Backward (training)"): five products of 2 D FLOPs
/// per evaluated query-key pair (S, dP, dV, dQ, dK), i.e. 2.5 times
/// `forwardFlops`. Returns 0 for a configuration that `validate` rejects.
double backwardFlops(const Config &config, const Shape &shape);

/// Forward FLOPs actually needed (SPEC "Costs to report"), counted exactly
/// per head since |P_g| depends on the head's offset when a segment is partial
/// or w mod r != 0:
///   sum_i 4 * B * D * sum_{j < H} sum_g c(|P_{i,g,j}|)
/// with c(m) = m^2 when not causal (every query-key pair, 2 FLOPs each for
/// q.k and for p.v), and c(m) = m (m + 1) / 2 when causal: the pairs u <= t
/// actually evaluated, i.e. the quadratic part halved plus the diagonal.
/// Softmax exponentials and the branch merge are not counted. Returns 0 for
/// a configuration that `validate` rejects.
double forwardFlops(const Config &config, const Shape &shape);

} // namespace reference
} // namespace longnet

#endif // LONGNET_RUNTIME_REFERENCE_H
