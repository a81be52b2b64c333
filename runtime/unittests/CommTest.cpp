//===- CommTest.cpp - The collectives without a second rank ---------------===//
//
// Part of the longnet-mlir project.
//
// lnrt_comm.h in a single process: argument checks, the behaviour without a
// backend (rank 0 of 1), and the loading errors of the MPI plugin and of
// NCCL. Multi-rank runs are CommMpiTest.cpp's, under mpirun.
//
//===----------------------------------------------------------------------===//

#include "longnet-runtime/lnrt_comm.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdlib>
#include <numeric>
#include <string>
#include <vector>

namespace {

bool contains(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

/// A contiguous rank-4 descriptor of `data`.
template <typename T>
lnrt_memref4 describe(std::vector<T> &data, std::array<int64_t, 4> sizes) {
  lnrt_memref4 memref = {};
  memref.allocated = memref.aligned = data.data();
  int64_t stride = 1;
  for (int i = 3; i >= 0; --i) {
    memref.sizes[i] = sizes[i];
    memref.strides[i] = stride;
    stride *= sizes[i];
  }
  return memref;
}

std::string lastError() { return lnrt_get_last_error(); }

/// Sets an environment variable for the scope.
class ScopedEnv {
public:
  ScopedEnv(const char *name, const char *value) : name(name) {
    setenv(name, value, 1);
  }
  ~ScopedEnv() { unsetenv(name); }

private:
  const char *name;
};

class CommTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_EQ(lnrt_check_cuda_error(), LNRT_SUCCESS);
    ASSERT_EQ(lnrt_comm_reset_counters(), LNRT_SUCCESS);
  }
  void TearDown() override { (void)lnrt_check_cuda_error(); }
};

TEST_F(CommTest, WithoutBackendIsRankZeroOfOne) {
  int rank = -1;
  int size = -1;
  EXPECT_EQ(lnrt_comm_rank(&rank), LNRT_SUCCESS);
  EXPECT_EQ(lnrt_comm_size(&size), LNRT_SUCCESS);
  EXPECT_EQ(rank, 0);
  EXPECT_EQ(size, 1);
  EXPECT_EQ(longnet_comm_rank(), 0);
  EXPECT_EQ(lnrt_comm_barrier(), LNRT_SUCCESS);
  EXPECT_EQ(lnrt_comm_finalize(), LNRT_SUCCESS);
}

TEST_F(CommTest, NullArguments) {
  EXPECT_EQ(lnrt_comm_rank(nullptr), LNRT_ERROR_INVALID_ARGUMENT);
  EXPECT_PRED2(contains, lastError(), "rank is null");
  EXPECT_EQ(lnrt_comm_size(nullptr), LNRT_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(lnrt_comm_bytes_received(nullptr), LNRT_ERROR_INVALID_ARGUMENT);
  char buffer[8] = {0};
  EXPECT_EQ(lnrt_comm_gather_to_root(nullptr, 4, buffer),
            LNRT_ERROR_INVALID_ARGUMENT);
  EXPECT_PRED2(contains, lastError(), "send is null");
  EXPECT_EQ(lnrt_comm_gather_to_root(buffer, 4, nullptr),
            LNRT_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(lnrt_comm_broadcast(nullptr, 4, 0), LNRT_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(lnrt_comm_broadcast(buffer, 4, 1), LNRT_ERROR_INVALID_ARGUMENT);
  EXPECT_PRED2(contains, lastError(), "root 1 of 1 ranks");
  EXPECT_EQ(lnrt_nccl_get_unique_id(nullptr), LNRT_ERROR_INVALID_ARGUMENT);
}

TEST_F(CommTest, WithoutBackendGatherAndBroadcastAreLocal) {
  int send[3] = {1, 2, 3};
  int recv[3] = {0, 0, 0};
  EXPECT_EQ(lnrt_comm_gather_to_root(send, sizeof(send), recv), LNRT_SUCCESS);
  EXPECT_EQ(recv[2], 3);
  EXPECT_EQ(lnrt_comm_broadcast(send, sizeof(send), 0), LNRT_SUCCESS);
  EXPECT_EQ(send[0], 1);
}

TEST_F(CommTest, GroupOfOneCopiesSendToRecv) {
  std::vector<float> send(2 * 3 * 2 * 4);
  std::iota(send.begin(), send.end(), 1.0f);
  std::vector<float> recv(send.size(), 0.0f);
  lnrt_memref4 sendRef = describe(send, {2, 3, 2, 4});
  lnrt_memref4 recvRef = describe(recv, {2, 3, 2, 4});
  _mlir_ciface_longnet_segment_all_gather_f32(&sendRef, &recvRef, 1);
  EXPECT_EQ(lnrt_check_cuda_error(), LNRT_SUCCESS) << lastError();
  EXPECT_EQ(recv, send);
  uint64_t bytes = 1;
  EXPECT_EQ(lnrt_comm_bytes_received(&bytes), LNRT_SUCCESS);
  EXPECT_EQ(bytes, 0u);
}

TEST_F(CommTest, GroupOfOneHonoursOffsets) {
  std::vector<uint16_t> send(1 + 2 * 2 * 1 * 2);
  std::iota(send.begin(), send.end(), uint16_t(0));
  std::vector<uint16_t> recv(send.size(), 0);
  lnrt_memref4 sendRef = describe(send, {1, 2, 1, 4});
  sendRef.offset = 1;
  lnrt_memref4 recvRef = describe(recv, {1, 2, 1, 4});
  _mlir_ciface_longnet_segment_all_gather_f16(&sendRef, &recvRef, 1);
  EXPECT_EQ(lnrt_check_cuda_error(), LNRT_SUCCESS) << lastError();
  EXPECT_EQ(recv[0], 1);
  EXPECT_EQ(recv[7], 8);
}

TEST_F(CommTest, ReduceScatterGroupOfOneCopiesSendToRecv) {
  std::vector<double> send(2 * 3 * 2 * 4);
  std::iota(send.begin(), send.end(), 1.0);
  std::vector<double> recv(send.size(), 0.0);
  lnrt_memref4 sendRef = describe(send, {2, 3, 2, 4});
  lnrt_memref4 recvRef = describe(recv, {2, 3, 2, 4});
  _mlir_ciface_longnet_segment_reduce_scatter_f64(&sendRef, &recvRef, 1);
  EXPECT_EQ(lnrt_check_cuda_error(), LNRT_SUCCESS) << lastError();
  EXPECT_EQ(recv, send);
}

TEST_F(CommTest, ReduceScatterChecksShapesAndGroups) {
  std::vector<float> send(1 * 4 * 1 * 2, 1.0f), recv(1 * 3 * 1 * 2, 0.0f);
  lnrt_memref4 sendRef = describe(send, {1, 4, 1, 2});
  lnrt_memref4 recvRef = describe(recv, {1, 3, 1, 2});
  _mlir_ciface_longnet_segment_reduce_scatter_f32(&sendRef, &recvRef, 1);
  EXPECT_EQ(lnrt_check_cuda_error(), LNRT_ERROR_INVALID_ARGUMENT);
  EXPECT_PRED2(contains, lastError(),
               "longnet_segment_reduce_scatter_f32: send is 1x4x1x2, "
               "expected 1x3x1x2 (recv 1x3x1x2, group size 1)");
  EXPECT_TRUE(std::isnan(recv[0]));
  std::vector<float> half(1 * 2 * 1 * 2, 0.0f);
  lnrt_memref4 halfRef = describe(half, {1, 2, 1, 2});
  _mlir_ciface_longnet_segment_reduce_scatter_f32(&sendRef, &halfRef, 2);
  EXPECT_EQ(lnrt_check_cuda_error(), LNRT_ERROR_INVALID_ARGUMENT);
  EXPECT_PRED2(contains, lastError(),
               "group size 2 does not divide the 1 ranks");
}

TEST_F(CommTest, GroupLargerThanWorldFailsWithNaN) {
  std::vector<double> send(1 * 2 * 1 * 2, 1.0);
  std::vector<double> recv(1 * 4 * 1 * 2, 0.0);
  lnrt_memref4 sendRef = describe(send, {1, 2, 1, 2});
  lnrt_memref4 recvRef = describe(recv, {1, 4, 1, 2});
  _mlir_ciface_longnet_segment_all_gather_f64(&sendRef, &recvRef, 2);
  EXPECT_EQ(lnrt_check_cuda_error(), LNRT_ERROR_INVALID_ARGUMENT);
  EXPECT_PRED2(contains, lastError(),
               "longnet_segment_all_gather_f64: group "
               "size 2 does not divide the 1 ranks");
  for (double value : recv)
    EXPECT_TRUE(std::isnan(value));
}

TEST_F(CommTest, WrongRecvShapeFails) {
  std::vector<float> send(1 * 2 * 1 * 2, 1.0f);
  std::vector<float> recv(1 * 3 * 1 * 2, 0.0f);
  lnrt_memref4 sendRef = describe(send, {1, 2, 1, 2});
  lnrt_memref4 recvRef = describe(recv, {1, 3, 1, 2});
  _mlir_ciface_longnet_segment_all_gather_f32(&sendRef, &recvRef, 1);
  EXPECT_EQ(lnrt_check_cuda_error(), LNRT_ERROR_INVALID_ARGUMENT);
  EXPECT_PRED2(contains, lastError(), "recv is 1x3x1x2, expected 1x2x1x2");
  EXPECT_TRUE(std::isnan(recv[0]));
}

TEST_F(CommTest, NonContiguousSendFails) {
  std::vector<float> send(2 * 2 * 1 * 2, 1.0f);
  std::vector<float> recv(1 * 2 * 1 * 2, 0.0f);
  lnrt_memref4 sendRef = describe(send, {1, 2, 1, 2});
  sendRef.strides[1] = 4; // every other row
  lnrt_memref4 recvRef = describe(recv, {1, 2, 1, 2});
  _mlir_ciface_longnet_segment_all_gather_f32(&sendRef, &recvRef, 1);
  EXPECT_EQ(lnrt_check_cuda_error(), LNRT_ERROR_INVALID_ARGUMENT);
  EXPECT_PRED2(contains, lastError(), "send 1x2x1x2 is not contiguous");
  EXPECT_TRUE(std::isnan(recv[3]));
}

TEST_F(CommTest, NullDescriptorFails) {
  std::vector<uint16_t> recv(4, 7);
  lnrt_memref4 recvRef = describe(recv, {1, 2, 1, 2});
  _mlir_ciface_longnet_segment_all_gather_bf16(nullptr, &recvRef, 1);
  EXPECT_EQ(lnrt_check_cuda_error(), LNRT_ERROR_INVALID_ARGUMENT);
  EXPECT_PRED2(contains, lastError(), "send descriptor is null");
  EXPECT_EQ(recv[0], 0xffff); // a bf16 NaN
  _mlir_ciface_longnet_segment_all_gather_bf16(&recvRef, nullptr, 1);
  EXPECT_EQ(lnrt_check_cuda_error(), LNRT_ERROR_INVALID_ARGUMENT);
  EXPECT_PRED2(contains, lastError(), "recv descriptor is null");
}

TEST_F(CommTest, MissingMpiPluginIsNotFound) {
  ScopedEnv plugin("LONGNET_COMM_MPI_LIBRARY", "/nonexistent/libplugin.so");
  EXPECT_EQ(lnrt_comm_init_mpi(nullptr, nullptr), LNRT_ERROR_NOT_FOUND);
  EXPECT_PRED2(contains, lastError(),
               "MPI support not available: cannot load "
               "/nonexistent/libplugin.so");
  int size = 0;
  EXPECT_EQ(lnrt_comm_size(&size), LNRT_SUCCESS);
  EXPECT_EQ(size, 1);
}

TEST_F(CommTest, LibraryWithoutPluginEntryIsNotFound) {
  ScopedEnv plugin("LONGNET_COMM_MPI_LIBRARY", "libm.so.6");
  EXPECT_EQ(lnrt_comm_init_mpi(nullptr, nullptr), LNRT_ERROR_NOT_FOUND);
  EXPECT_PRED2(contains, lastError(), "libm.so.6 has no longnet_mpi_plugin");
}

TEST_F(CommTest, MissingNcclIsNotFound) {
  ScopedEnv nccl("LONGNET_NCCL_LIBRARY", "/nonexistent/libnccl.so.2");
  char id[LNRT_NCCL_UNIQUE_ID_BYTES] = {0};
  EXPECT_EQ(lnrt_nccl_get_unique_id(id), LNRT_ERROR_NOT_FOUND);
  EXPECT_PRED2(contains, lastError(),
               "NCCL support not available: cannot "
               "load /nonexistent/libnccl.so.2");
  EXPECT_EQ(lnrt_comm_init_nccl(id, 0, 1, 0), LNRT_ERROR_NOT_FOUND);
}

TEST_F(CommTest, NcclWithoutSymbolsIsNotFound) {
  ScopedEnv nccl("LONGNET_NCCL_LIBRARY", "libm.so.6");
  char id[LNRT_NCCL_UNIQUE_ID_BYTES] = {0};
  EXPECT_EQ(lnrt_comm_init_nccl(id, 0, 1, 0), LNRT_ERROR_NOT_FOUND);
  EXPECT_PRED2(contains, lastError(), "libm.so.6 has no ncclGetUniqueId");
}

TEST_F(CommTest, NcclInitChecksRanks) {
  char id[LNRT_NCCL_UNIQUE_ID_BYTES] = {0};
  EXPECT_EQ(lnrt_comm_init_nccl(nullptr, 0, 1, 0), LNRT_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(lnrt_comm_init_nccl(id, 2, 2, 0), LNRT_ERROR_INVALID_ARGUMENT);
  EXPECT_PRED2(contains, lastError(), "rank 2 of 2 ranks");
  EXPECT_EQ(lnrt_comm_init_nccl(id, 0, 0, 0), LNRT_ERROR_INVALID_ARGUMENT);
}

TEST_F(CommTest, NcclWithoutDriverFailsCleanly) {
  int available = 0;
  ASSERT_EQ(lnrt_cuda_available(&available), LNRT_SUCCESS);
  if (available)
    GTEST_SKIP() << "a CUDA driver is present";
  char id[LNRT_NCCL_UNIQUE_ID_BYTES] = {0};
  lnrt_status status = lnrt_comm_init_nccl(id, 0, 1, 0);
  EXPECT_TRUE(status == LNRT_ERROR_NO_DRIVER || status == LNRT_ERROR_NOT_FOUND)
      << lnrt_status_string(status);
  EXPECT_FALSE(lastError().empty());
  int size = 0;
  EXPECT_EQ(lnrt_comm_size(&size), LNRT_SUCCESS);
  EXPECT_EQ(size, 1);
}

} // namespace
