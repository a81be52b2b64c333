//===- ParallelReference.cpp - The float64 reference on threads -----------===//
//
// Part of the longnet-mlir project.
//
// Why this is bit-identical to the serial `dilatedAttention`:
// - A branch (w, r) selects, for head h, the rows of segment g at local
//   indices o_h, o_h + r, ... . Copying those m rows of Q, K and V into a
//   contiguous [1, m, 1, D] tensor and running `dilatedAttentionBranch` with
//   the dense branch (m, 1) evaluates the same dot products, maxima,
//   exponentials and sums in the same order as the serial loop does (the
//   causal key set of the a-th selected row is the first a + 1 rows in both).
// - Within a branch, every row is written by at most one task. Branches are
//   processed one after the other, so each row's accumulator sees them in
//   mixture order, and `MixtureRow` repeats the serial merge arithmetic.
//
//===----------------------------------------------------------------------===//

#include "longnet-runtime/ParallelReference.h"
#include "BackwardKernel.h"
#include "MixtureAccumulator.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>
#include <limits>
#include <mutex>
#include <system_error>
#include <thread>

using namespace longnet::reference;

namespace {

std::atomic<unsigned> abiThreadCount{0};

unsigned resolveThreadCount(unsigned numThreads) {
  if (numThreads != 0)
    return numThreads;
  return std::max(1u, std::thread::hardware_concurrency());
}

/// Runs body(0 .. numTasks-1) on up to `numThreads` threads, handing out
/// tasks dynamically. The caller's thread is one of the workers; if a thread
/// cannot be created the others take over its tasks.
void parallelFor(int64_t numTasks, unsigned numThreads,
                 const std::function<void(int64_t)> &body) {
  std::atomic<int64_t> next{0};
  auto worker = [&] {
    for (int64_t task = next++; task < numTasks; task = next++)
      body(task);
  };
  int64_t extra = std::min<int64_t>(numThreads, numTasks) - 1;
  std::vector<std::thread> threads;
  for (int64_t i = 0; i < extra; ++i) {
    try {
      threads.emplace_back(worker);
    } catch (const std::system_error &) {
      break;
    }
  }
  worker();
  for (std::thread &thread : threads)
    thread.join();
}

using detail::MixtureAccumulator;

/// One (batch, head, segment) of a branch: its selected rows, gathered,
/// attended densely, and merged into the mixture.
struct SegmentTask {
  int64_t batch;
  int64_t head;
  /// Row index of the segment's first selected row and the number selected.
  int64_t first;
  int64_t count;
};

class BranchRunner {
public:
  BranchRunner(const Config &config, const Shape &shape, const double *q,
               const double *k, const double *v, MixtureAccumulator &mixture)
      : config(config), shape(shape), q(q), k(k), v(v), mixture(mixture) {}

  /// Lists the tasks of `branch` with at least one selected row.
  std::vector<SegmentTask> listTasks(Branch branch) const {
    std::vector<SegmentTask> tasks;
    int64_t w = std::min(branch.segmentLength, shape.seqLen);
    int64_t r = branch.dilationRate;
    for (int64_t b = 0; b < shape.batch; ++b) {
      for (int64_t h = 0; h < shape.heads; ++h) {
        int64_t offset = headOffset(config.offsetMode, h, shape.heads, r);
        for (int64_t start = 0; start < shape.seqLen; start += w) {
          int64_t size = std::min(w, shape.seqLen - start);
          int64_t count = numSelected(size, r, offset);
          if (count > 0)
            tasks.push_back({b, h, start + offset, count});
        }
      }
    }
    return tasks;
  }

  /// Runs one task with stride `rate`; returns the reference's diagnostic.
  std::string run(const SegmentTask &task, int64_t rate) const {
    const int64_t headDim = shape.headDim;
    const size_t elements = size_t(task.count * headDim);
    std::vector<double> qRows(elements), kRows(elements), vRows(elements);
    std::vector<double> outRows(elements), lseRows(task.count);
    for (int64_t a = 0; a < task.count; ++a) {
      int64_t source = elementIndex(task, task.first + a * rate);
      std::copy_n(q + source, headDim, &qRows[a * headDim]);
      std::copy_n(k + source, headDim, &kRows[a * headDim]);
      std::copy_n(v + source, headDim, &vRows[a * headDim]);
    }
    Shape dense{1, task.count, 1, headDim};
    std::string error = dilatedAttentionBranch(
        config, Branch{task.count, 1}, dense, qRows.data(), kRows.data(),
        vRows.data(), outRows.data(), lseRows.data());
    if (!error.empty())
      return error;
    for (int64_t a = 0; a < task.count; ++a)
      mixture.addRow(rowIndex(task, task.first + a * rate),
                     &outRows[a * headDim], lseRows[a]);
    return "";
  }

private:
  const Config &config;
  const Shape &shape;
  const double *q;
  const double *k;
  const double *v;
  MixtureAccumulator &mixture;

  int64_t rowIndex(const SegmentTask &task, int64_t t) const {
    return (task.batch * shape.seqLen + t) * shape.heads + task.head;
  }
  int64_t elementIndex(const SegmentTask &task, int64_t t) const {
    return rowIndex(task, t) * shape.headDim;
  }
};

} // namespace

std::string longnet::reference::dilatedAttentionParallel(
    const Config &config, const Shape &shape, const double *q, const double *k,
    const double *v, double *out, double *lse, unsigned numThreads) {
  if (std::string error = validate(config, shape); !error.empty())
    return error;
  if (!q || !k || !v || !out)
    return std::string(!q   ? "q"
                       : !k ? "k"
                       : !v ? "v"
                            : "out") +
           " must not be null";

  numThreads = resolveThreadCount(numThreads);
  int64_t numRows = shape.batch * shape.seqLen * shape.heads;
  MixtureAccumulator mixture(numRows, shape.headDim);
  BranchRunner runner(config, shape, q, k, v, mixture);
  std::mutex errorMutex;
  std::string firstError;

  for (const Branch &branch : config.branches) {
    std::vector<SegmentTask> tasks = runner.listTasks(branch);
    parallelFor(int64_t(tasks.size()), numThreads, [&](int64_t i) {
      std::string error = runner.run(tasks[i], branch.dilationRate);
      if (error.empty())
        return;
      std::lock_guard<std::mutex> lock(errorMutex);
      if (firstError.empty())
        firstError = error;
    });
    if (!firstError.empty())
      return firstError;
  }

  // Rows in chunks, so that tasks are not too small.
  constexpr int64_t kRowsPerTask = 4096;
  parallelFor((numRows + kRowsPerTask - 1) / kRowsPerTask, numThreads,
              [&](int64_t chunk) {
                int64_t end = std::min(numRows, (chunk + 1) * kRowsPerTask);
                for (int64_t row = chunk * kRowsPerTask; row < end; ++row)
                  mixture.writeRow(row, out + row * shape.headDim,
                                   lse ? lse + row : nullptr);
              });
  return "";
}

std::string longnet::reference::dilatedAttentionBackwardParallel(
    const Config &config, const Shape &shape, const double *q, const double *k,
    const double *v, const double *out, const double *lse, const double *dout,
    const double *dlse, double *dq, double *dk, double *dv,
    unsigned numThreads) {
  detail::BackwardProblem problem{config, shape, q,    k,  v,  out,
                                  lse,    dout,  dlse, dq, dk, dv};
  if (std::string error = detail::describeBackwardError(problem);
      !error.empty())
    return error;
  int64_t heads = shape.heads;
  parallelFor(shape.batch * heads, resolveThreadCount(numThreads),
              [&](int64_t task) {
                detail::backwardHead(problem, task / heads, task % heads);
              });
  return "";
}

void longnet::reference::setABIThreadCount(unsigned numThreads) {
  abiThreadCount = numThreads;
}

unsigned longnet::reference::getABIThreadCount() { return abiThreadCount; }
