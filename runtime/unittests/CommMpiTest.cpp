//===- CommMpiTest.cpp - The collectives over MPI, under mpirun -----------===//
//
// Part of the longnet-mlir project.
//
// Run by ctest as `mpirun -np P LongNetCommMpiTest` (P = 2, 4): the segment
// all-gathers and reduce-scatters that compiled code calls, for every group
// size that divides P, batch 1 and 2, 8-, 4- and 2-byte elements, with exact
// traffic counters, and
// lnrt_comm_gather_to_root / broadcast. Prints "N passed, N failed" (rank 0,
// over all ranks) and exits non-zero on a failure.
//
//===----------------------------------------------------------------------===//

#include "longnet-runtime/lnrt_comm.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

int rank = 0;
int size = 1;
int passed = 0;
int failed = 0;

void check(bool condition, const std::string &what) {
  if (condition) {
    ++passed;
    return;
  }
  ++failed;
  std::fprintf(stderr, "rank %d: FAILED: %s\n", rank, what.c_str());
}

void checkStatus(lnrt_status status, const std::string &what) {
  check(status == LNRT_SUCCESS,
        what + ": " + lnrt_status_string(status) + " " + lnrt_get_last_error());
}

template <typename T>
lnrt_memref4 describe(std::vector<T> &data, int64_t b, int64_t m, int64_t h,
                      int64_t d) {
  lnrt_memref4 memref = {};
  memref.allocated = memref.aligned = data.data();
  int64_t sizes[4] = {b, m, h, d};
  int64_t stride = 1;
  for (int i = 3; i >= 0; --i) {
    memref.sizes[i] = sizes[i];
    memref.strides[i] = stride;
    stride *= sizes[i];
  }
  return memref;
}

/// The element that rank `p` holds at [b, t, h, d]: unique over all ranks.
template <typename T>
T valueAt(int p, int64_t b, int64_t t, int64_t h, int64_t d) {
  return T(((p * 4 + b) * 16 + t) * 16 + h * 4 + d);
}

using GatherFn = void (*)(lnrt_memref4 *, lnrt_memref4 *, int64_t);

/// One segment all-gather of [B, m, H, D] among groups of `g` and its checks.
template <typename T>
void testAllGather(const char *type, GatherFn gatherFn, int g, int64_t B) {
  const int64_t m = 3, H = 2, D = 4;
  std::string what =
      std::string(type) + " g=" + std::to_string(g) + " B=" + std::to_string(B);
  std::vector<T> send(B * m * H * D);
  for (int64_t b = 0; b < B; ++b)
    for (int64_t t = 0; t < m; ++t)
      for (int64_t h = 0; h < H; ++h)
        for (int64_t d = 0; d < D; ++d)
          send[((b * m + t) * H + h) * D + d] = valueAt<T>(rank, b, t, h, d);
  std::vector<T> recv(B * g * m * H * D, T(0));
  lnrt_memref4 sendRef = describe(send, B, m, H, D);
  lnrt_memref4 recvRef = describe(recv, B, g * m, H, D);

  uint64_t before = 0, after = 0;
  lnrt_comm_bytes_received(&before);
  gatherFn(&sendRef, &recvRef, g);
  lnrt_comm_bytes_received(&after);
  checkStatus(lnrt_check_cuda_error(), what + ": all-gather");
  check(after - before == uint64_t(g - 1) * send.size() * sizeof(T),
        what + ": bytes received " + std::to_string(after - before));

  int first = rank - rank % g;
  bool same = true;
  for (int64_t b = 0; b < B; ++b)
    for (int k = 0; k < g; ++k)
      for (int64_t t = 0; t < m; ++t)
        for (int64_t h = 0; h < H; ++h)
          for (int64_t d = 0; d < D; ++d)
            same &= recv[((b * g * m + k * m + t) * H + h) * D + d] ==
                    valueAt<T>(first + k, b, t, h, d);
  check(same, what + ": recv[b, k*m + t] = send of member k [b, t]");
}

/// One segment reduce-scatter of [B, g m, H, D] among groups of `g`: rank
/// p sends valueAt(p, ...) + 1 at every gathered row; member k receives the
/// sum over the group of rows [k m, (k + 1) m).
template <typename T>
void testReduceScatter(const char *type, GatherFn scatterFn, int g, int64_t B) {
  const int64_t m = 3, H = 2, D = 4;
  std::string what = std::string(type) +
                     " reduce-scatter g=" + std::to_string(g) +
                     " B=" + std::to_string(B);
  auto sent = [&](int p, int64_t b, int64_t row, int64_t h, int64_t d) {
    return valueAt<T>(p, b, row, h, d) + T(1);
  };
  std::vector<T> send(B * g * m * H * D);
  for (int64_t b = 0; b < B; ++b)
    for (int64_t row = 0; row < g * m; ++row)
      for (int64_t h = 0; h < H; ++h)
        for (int64_t d = 0; d < D; ++d)
          send[((b * g * m + row) * H + h) * D + d] = sent(rank, b, row, h, d);
  std::vector<T> recv(B * m * H * D, T(-1));
  lnrt_memref4 sendRef = describe(send, B, g * m, H, D);
  lnrt_memref4 recvRef = describe(recv, B, m, H, D);

  uint64_t before = 0, after = 0;
  lnrt_comm_bytes_received(&before);
  scatterFn(&sendRef, &recvRef, g);
  lnrt_comm_bytes_received(&after);
  checkStatus(lnrt_check_cuda_error(), what);
  check(after - before == uint64_t(g - 1) * recv.size() * sizeof(T),
        what + ": bytes received " + std::to_string(after - before));

  int first = rank - rank % g, k = rank % g;
  bool same = true;
  for (int64_t b = 0; b < B; ++b)
    for (int64_t t = 0; t < m; ++t)
      for (int64_t h = 0; h < H; ++h)
        for (int64_t d = 0; d < D; ++d) {
          T sum = 0;
          for (int member = 0; member < g; ++member)
            sum += sent(first + member, b, k * m + t, h, d);
          same &= recv[((b * m + t) * H + h) * D + d] == sum;
        }
  check(same, what + ": recv[b, t] = sum over the group of send[b, k*m + t]");
}

void testInvalidGroupSize() {
  if (size % 3 == 0)
    return;
  std::vector<float> send(2, 1.0f), recv(6, 0.0f);
  lnrt_memref4 sendRef = describe(send, 1, 1, 1, 2);
  lnrt_memref4 recvRef = describe(recv, 1, 3, 1, 2);
  _mlir_ciface_longnet_segment_all_gather_f32(&sendRef, &recvRef, 3);
  check(lnrt_check_cuda_error() == LNRT_ERROR_INVALID_ARGUMENT,
        "group size 3 is rejected");
  check(std::isnan(recv[0]) && std::isnan(recv[5]), "rejected recv is NaN");
}

void testGatherAndBroadcast() {
  int send[2] = {rank * 10, rank * 10 + 1};
  std::vector<int> gathered(2 * size, -1);
  checkStatus(lnrt_comm_gather_to_root(send, sizeof(send), gathered.data()),
              "gather_to_root");
  if (rank == 0) {
    bool same = true;
    for (int p = 0; p < size; ++p)
      same &= gathered[2 * p] == p * 10 && gathered[2 * p + 1] == p * 10 + 1;
    check(same, "gather_to_root assembles the ranks in order");
  }
  int root = size - 1;
  int value = rank == root ? 42 : 0;
  checkStatus(lnrt_comm_broadcast(&value, sizeof(value), root), "broadcast");
  check(value == 42, "broadcast from the last rank");
  checkStatus(lnrt_comm_barrier(), "barrier");
}

} // namespace

int main(int argc, char **argv) {
  lnrt_status status = lnrt_comm_init_mpi(&argc, &argv);
  if (status != LNRT_SUCCESS) {
    std::fprintf(stderr, "lnrt_comm_init_mpi: %s %s\n",
                 lnrt_status_string(status), lnrt_get_last_error());
    std::printf("0 passed, 1 failed\n");
    return 1;
  }
  lnrt_comm_rank(&rank);
  lnrt_comm_size(&size);
  check(longnet_comm_rank() == rank, "longnet_comm_rank");
  checkStatus(lnrt_comm_reset_counters(), "reset_counters");

  for (int g : {1, 2, 4}) {
    if (size % g != 0)
      continue;
    for (int64_t B : {1, 2}) {
      testAllGather<float>("f32", _mlir_ciface_longnet_segment_all_gather_f32,
                           g, B);
      testAllGather<uint16_t>(
          "f16", _mlir_ciface_longnet_segment_all_gather_f16, g, B);
    }
  }
  testAllGather<double>("f64", _mlir_ciface_longnet_segment_all_gather_f64,
                        size, 2);
  for (int g : {1, 2, 4}) {
    if (size % g != 0)
      continue;
    for (int64_t B : {1, 2}) {
      testReduceScatter<float>(
          "f32", _mlir_ciface_longnet_segment_reduce_scatter_f32, g, B);
      testReduceScatter<double>(
          "f64", _mlir_ciface_longnet_segment_reduce_scatter_f64, g, B);
    }
  }
  testAllGather<uint16_t>("bf16", _mlir_ciface_longnet_segment_all_gather_bf16,
                          size, 1);
  testInvalidGroupSize();
  testGatherAndBroadcast();

  // The totals over all ranks, on rank 0.
  int counts[2] = {passed, failed};
  std::vector<int> all(2 * size, 0);
  checkStatus(lnrt_comm_gather_to_root(counts, sizeof(counts), all.data()),
              "gather the counts");
  int totalPassed = 0, totalFailed = 0;
  for (int p = 0; p < size; ++p) {
    totalPassed += all[2 * p];
    totalFailed += all[2 * p + 1];
  }
  status = lnrt_comm_finalize();
  if (status != LNRT_SUCCESS) {
    std::fprintf(stderr, "rank %d: lnrt_comm_finalize: %s\n", rank,
                 lnrt_get_last_error());
    ++failed;
  }
  if (rank == 0)
    std::printf("%d passed, %d failed\n", totalPassed, totalFailed);
  return failed || (rank == 0 && totalFailed) ? 1 : 0;
}
