//===- Comm.cpp - Sequence-parallel collectives (lnrt_comm.h) -------------===//
//
// Part of the longnet-mlir project.
//
// The process's one backend, the checks of every call and the segment
// all-gather that compiled code calls. Compiled code cannot take a status:
// its failures become the sticky error of the mgpu* functions, so that
// lnrt_check_cuda_error() and lnrt_model_call report them.
//
//===----------------------------------------------------------------------===//

#include "Comm.h"

#include "longnet-runtime/lnrt_comm.h"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>

using namespace longnet::rt;

namespace {

struct CommState {
  std::mutex mutex;
  std::unique_ptr<CommBackend> backend;
  /// The backend's rank, readable without the lock by longnet_comm_rank.
  std::atomic<int64_t> rank{0};
  std::atomic<uint64_t> bytesReceived{0};
};

CommState &state() {
  static CommState instance;
  return instance;
}

lnrt_status invalid(const char *function, const std::string &what) {
  return returnFailure(LNRT_ERROR_INVALID_ARGUMENT,
                       std::string(function) + ": " + what);
}

std::string shapeString(const int64_t *sizes) {
  std::string text;
  for (int i = 0; i < 4; ++i)
    text += (i ? "x" : "") + std::to_string(sizes[i]);
  return text;
}

int64_t numElements(const lnrt_memref4 &memref) {
  int64_t count = 1;
  for (int64_t size : memref.sizes)
    count *= size;
  return count;
}

/// Row-major with identity strides; dimensions of size 1 may have any stride.
bool isContiguous(const lnrt_memref4 &memref) {
  int64_t expected = 1;
  for (int i = 3; i >= 0; --i) {
    if (memref.sizes[i] != 1 && memref.strides[i] != expected)
      return false;
    expected *= memref.sizes[i];
  }
  return true;
}

/// Why `memref` (named `name`) cannot be used as a buffer, "" if it can.
std::string checkBuffer(const char *name, const lnrt_memref4 *memref) {
  if (!memref)
    return std::string(name) + " descriptor is null";
  for (int64_t size : memref->sizes)
    if (size < 0)
      return std::string(name) + " has a negative size (" +
             shapeString(memref->sizes) + ")";
  if (numElements(*memref) == 0)
    return "";
  if (!memref->aligned)
    return std::string(name) + " has a null data pointer";
  if (memref->offset < 0)
    return std::string(name) + " has a negative offset";
  if (!isContiguous(*memref))
    return std::string(name) + " " + shapeString(memref->sizes) +
           " is not contiguous (strides " + shapeString(memref->strides) + ")";
  return "";
}

char *dataPointer(const lnrt_memref4 &memref, size_t elementBytes) {
  return static_cast<char *>(memref.aligned) + memref.offset * elementBytes;
}

/// Checks the operands of a segment collective among `worldSize` ranks: the
/// local buffer is [B, m, H, D], the group's [B, groupSize * m, H, D]
/// (an all-gather sends the local one, a reduce-scatter receives it).
/// Sets the block layout: B blocks of m*H*D elements.
Outcome checkSegmentBuffers(const lnrt_memref4 *send, const lnrt_memref4 *recv,
                            int64_t groupSize, int worldSize, bool gather,
                            size_t elementBytes, size_t &batch,
                            size_t &blockBytes) {
  auto fail = [](const std::string &message) {
    return Outcome::failure(LNRT_ERROR_INVALID_ARGUMENT, message);
  };
  if (std::string problem = checkBuffer("send", send); !problem.empty())
    return fail(problem);
  if (std::string problem = checkBuffer("recv", recv); !problem.empty())
    return fail(problem);
  if (groupSize < 1 || groupSize > worldSize || worldSize % groupSize != 0)
    return fail("group size " + std::to_string(groupSize) +
                " does not divide the " + std::to_string(worldSize) + " ranks");
  const lnrt_memref4 *local = gather ? send : recv;
  const lnrt_memref4 *group = gather ? recv : send;
  int64_t expected[4] = {local->sizes[0], groupSize * local->sizes[1],
                         local->sizes[2], local->sizes[3]};
  if (!std::equal(expected, expected + 4, group->sizes))
    return fail(std::string(gather ? "recv" : "send") + " is " +
                shapeString(group->sizes) + ", expected " +
                shapeString(expected) + " (" + (gather ? "send " : "recv ") +
                shapeString(local->sizes) + ", group size " +
                std::to_string(groupSize) + ")");
  batch = size_t(local->sizes[0]);
  blockBytes = size_t(local->sizes[1] * local->sizes[2] * local->sizes[3]) *
               elementBytes;
  return Outcome::success();
}

Outcome checkGather(const lnrt_memref4 *send, const lnrt_memref4 *recv,
                    int64_t groupSize, size_t elementBytes, int worldSize,
                    SegmentGather &gather) {
  Outcome checked =
      checkSegmentBuffers(send, recv, groupSize, worldSize, /*gather=*/true,
                          elementBytes, gather.batch, gather.blockBytes);
  if (!checked)
    return checked;
  gather.send = dataPointer(*send, elementBytes);
  gather.recv = dataPointer(*recv, elementBytes);
  gather.groupSize = int(groupSize);
  return Outcome::success();
}

/// Sets a usable recv to NaN (all bits set is a NaN in every float type).
void poisonReceiveBuffer(const lnrt_memref4 *recv, size_t elementBytes,
                         lnrt_memory memory) {
  if (!checkBuffer("recv", recv).empty())
    return;
  size_t bytes = size_t(numElements(*recv)) * elementBytes;
  if (bytes == 0)
    return;
  char *data = dataPointer(*recv, elementBytes);
  if (memory == LNRT_MEMORY_HOST) {
    std::memset(data, 0xff, bytes);
    return;
  }
  // Best effort: the device may be what failed.
  if (enterContext())
    (void)LONGNET_CU_CALL(cuMemsetD8Async, reinterpret_cast<CUdeviceptr>(data),
                          0xff, bytes, currentStream());
}

/// A group of one: recv = send (the same layout for both collectives).
template <typename Collective>
Outcome copyLocally(const Collective &op, lnrt_memory memory) {
  size_t bytes = op.batch * op.blockBytes;
  if (bytes == 0)
    return Outcome::success();
  if (memory == LNRT_MEMORY_HOST) {
    std::memmove(op.recv, op.send, bytes);
    return Outcome::success();
  }
  if (Outcome entered = enterContext(); !entered)
    return entered;
  return LONGNET_CU_CALL(cuMemcpyAsync, reinterpret_cast<CUdeviceptr>(op.recv),
                         reinterpret_cast<CUdeviceptr>(op.send), bytes,
                         currentStream());
}

Outcome checkScatter(const lnrt_memref4 *send, const lnrt_memref4 *recv,
                     int64_t groupSize, lnrt_dtype dtype, int worldSize,
                     SegmentScatter &scatter) {
  size_t elementBytes = lnrt_dtype_size(dtype);
  Outcome checked =
      checkSegmentBuffers(send, recv, groupSize, worldSize, /*gather=*/false,
                          elementBytes, scatter.batch, scatter.blockBytes);
  if (!checked)
    return checked;
  scatter.send = dataPointer(*send, elementBytes);
  scatter.recv = dataPointer(*recv, elementBytes);
  scatter.groupSize = int(groupSize);
  scatter.isF64 = dtype == LNRT_F64;
  return Outcome::success();
}

/// One segment collective (a SegmentGather or SegmentScatter `op`):
/// `check(worldSize, op)` describes the buffers, a group of one copies,
/// larger groups `run(backend, op)`. A failure becomes the sticky error of
/// `function` and poisons recv; a success counts the (groupSize - 1) blocks
/// of every batch that came from the group's other members.
template <typename Collective, typename Check, typename Run>
void runSegmentCollective(const char *function, size_t elementBytes,
                          const lnrt_memref4 *recv, Check check, Run run) {
  CommState &comm = state();
  std::lock_guard<std::mutex> lock(comm.mutex);
  CommBackend *backend = comm.backend.get();
  lnrt_memory memory = backend ? backend->memory() : LNRT_MEMORY_HOST;
  Collective op;
  Outcome outcome = check(backend ? backend->size() : 1, op);
  if (outcome)
    outcome = op.groupSize == 1 ? copyLocally(op, memory) : run(*backend, op);
  if (!outcome) {
    recordStickyError(Outcome::failure(
        outcome.status, std::string(function) + ": " + outcome.message));
    poisonReceiveBuffer(recv, elementBytes, memory);
    return;
  }
  comm.bytesReceived += uint64_t(op.groupSize - 1) * op.batch * op.blockBytes;
}

void segmentAllGather(const char *function, lnrt_dtype dtype,
                      const lnrt_memref4 *send, const lnrt_memref4 *recv,
                      int64_t groupSize) {
  size_t elementBytes = lnrt_dtype_size(dtype);
  runSegmentCollective<SegmentGather>(
      function, elementBytes, recv,
      [&](int worldSize, SegmentGather &gather) {
        return checkGather(send, recv, groupSize, elementBytes, worldSize,
                           gather);
      },
      [](CommBackend &backend, const SegmentGather &gather) {
        return backend.allGather(gather);
      });
}

void segmentReduceScatter(const char *function, lnrt_dtype dtype,
                          const lnrt_memref4 *send, const lnrt_memref4 *recv,
                          int64_t groupSize) {
  runSegmentCollective<SegmentScatter>(
      function, lnrt_dtype_size(dtype), recv,
      [&](int worldSize, SegmentScatter &scatter) {
        return checkScatter(send, recv, groupSize, dtype, worldSize, scatter);
      },
      [](CommBackend &backend, const SegmentScatter &scatter) {
        return backend.reduceScatter(scatter);
      });
}

/// Installs a backend that `create` makes, unless one is installed.
template <typename Create>
lnrt_status initBackend(const char *function, Create create) {
  CommState &comm = state();
  std::lock_guard<std::mutex> lock(comm.mutex);
  if (comm.backend)
    return invalid(function, std::string("the ") + comm.backend->name() +
                                 " backend is already initialised");
  std::unique_ptr<CommBackend> backend;
  if (Outcome created = create(backend); !created)
    return returnOutcome(created);
  comm.rank = backend->rank();
  comm.backend = std::move(backend);
  return LNRT_SUCCESS;
}

} // namespace

double longnet::rt::defaultCommTimeoutSeconds() {
  if (const char *text = std::getenv("LONGNET_COMM_TIMEOUT_S")) {
    char *end = nullptr;
    double seconds = std::strtod(text, &end);
    if (end != text && seconds > 0)
      return seconds;
  }
  return LNRT_COMM_DEFAULT_TIMEOUT_S;
}

//===----------------------------------------------------------------------===//
// Backends
//===----------------------------------------------------------------------===//

lnrt_status lnrt_comm_init_mpi(int *argc, char ***argv) {
  return initBackend(__func__, [&](std::unique_ptr<CommBackend> &backend) {
    return createMpiBackend(argc, argv, backend);
  });
}

lnrt_status lnrt_nccl_get_unique_id(char id[LNRT_NCCL_UNIQUE_ID_BYTES]) {
  if (!id)
    return invalid(__func__, "id is null");
  return returnOutcome(getNcclUniqueId(id));
}

lnrt_status lnrt_comm_init_nccl(const char id[LNRT_NCCL_UNIQUE_ID_BYTES],
                                int rank, int size, int timeoutSeconds) {
  if (!id)
    return invalid(__func__, "id is null");
  if (size < 1 || rank < 0 || rank >= size)
    return invalid(__func__, "rank " + std::to_string(rank) + " of " +
                                 std::to_string(size) + " ranks");
  double timeout = timeoutSeconds > 0    ? double(timeoutSeconds)
                   : timeoutSeconds == 0 ? defaultCommTimeoutSeconds()
                                         : -1.0;
  return initBackend(__func__, [&](std::unique_ptr<CommBackend> &backend) {
    return createNcclBackend(id, rank, size, timeout, backend);
  });
}

lnrt_status lnrt_comm_finalize(void) {
  CommState &comm = state();
  std::lock_guard<std::mutex> lock(comm.mutex);
  if (!comm.backend)
    return LNRT_SUCCESS;
  Outcome finalized = comm.backend->finalize();
  comm.backend.reset();
  comm.rank = 0;
  return returnOutcome(finalized);
}

lnrt_status lnrt_comm_rank(int *rank) {
  if (!rank)
    return invalid(__func__, "rank is null");
  *rank = int(state().rank);
  return LNRT_SUCCESS;
}

lnrt_status lnrt_comm_size(int *size) {
  if (!size)
    return invalid(__func__, "size is null");
  CommState &comm = state();
  std::lock_guard<std::mutex> lock(comm.mutex);
  *size = comm.backend ? comm.backend->size() : 1;
  return LNRT_SUCCESS;
}

//===----------------------------------------------------------------------===//
// Collectives on the world
//===----------------------------------------------------------------------===//

lnrt_status lnrt_comm_barrier(void) {
  CommState &comm = state();
  std::lock_guard<std::mutex> lock(comm.mutex);
  if (!comm.backend)
    return LNRT_SUCCESS;
  return returnOutcome(comm.backend->barrier());
}

lnrt_status lnrt_comm_gather_to_root(const void *send, size_t bytesPerRank,
                                     void *recv) {
  CommState &comm = state();
  std::lock_guard<std::mutex> lock(comm.mutex);
  if (bytesPerRank && !send)
    return invalid(__func__, "send is null");
  bool isRoot = !comm.backend || comm.backend->rank() == 0;
  if (bytesPerRank && isRoot && !recv)
    return invalid(__func__, "recv is null on rank 0");
  if (!comm.backend) {
    if (bytesPerRank)
      std::memmove(recv, send, bytesPerRank);
    return LNRT_SUCCESS;
  }
  return returnOutcome(comm.backend->gatherToRoot(send, bytesPerRank, recv));
}

lnrt_status lnrt_comm_broadcast(void *buf, size_t bytes, int root) {
  CommState &comm = state();
  std::lock_guard<std::mutex> lock(comm.mutex);
  int size = comm.backend ? comm.backend->size() : 1;
  if (root < 0 || root >= size)
    return invalid(__func__, "root " + std::to_string(root) + " of " +
                                 std::to_string(size) + " ranks");
  if (bytes && !buf)
    return invalid(__func__, "buf is null");
  if (!comm.backend)
    return LNRT_SUCCESS;
  return returnOutcome(comm.backend->broadcast(buf, bytes, root));
}

//===----------------------------------------------------------------------===//
// Traffic
//===----------------------------------------------------------------------===//

lnrt_status lnrt_comm_bytes_received(uint64_t *bytes) {
  if (!bytes)
    return invalid(__func__, "bytes is null");
  *bytes = state().bytesReceived;
  return LNRT_SUCCESS;
}

lnrt_status lnrt_comm_reset_counters(void) {
  state().bytesReceived = 0;
  return LNRT_SUCCESS;
}

//===----------------------------------------------------------------------===//
// The ABI of compiled code
//===----------------------------------------------------------------------===//

int64_t longnet_comm_rank(void) { return state().rank; }

void _mlir_ciface_longnet_segment_all_gather_f16(lnrt_memref4 *send,
                                                 lnrt_memref4 *recv,
                                                 int64_t groupSize) {
  segmentAllGather("longnet_segment_all_gather_f16", LNRT_F16, send, recv,
                   groupSize);
}

void _mlir_ciface_longnet_segment_all_gather_bf16(lnrt_memref4 *send,
                                                  lnrt_memref4 *recv,
                                                  int64_t groupSize) {
  segmentAllGather("longnet_segment_all_gather_bf16", LNRT_BF16, send, recv,
                   groupSize);
}

void _mlir_ciface_longnet_segment_all_gather_f32(lnrt_memref4 *send,
                                                 lnrt_memref4 *recv,
                                                 int64_t groupSize) {
  segmentAllGather("longnet_segment_all_gather_f32", LNRT_F32, send, recv,
                   groupSize);
}

void _mlir_ciface_longnet_segment_all_gather_f64(lnrt_memref4 *send,
                                                 lnrt_memref4 *recv,
                                                 int64_t groupSize) {
  segmentAllGather("longnet_segment_all_gather_f64", LNRT_F64, send, recv,
                   groupSize);
}

void _mlir_ciface_longnet_segment_reduce_scatter_f32(lnrt_memref4 *send,
                                                     lnrt_memref4 *recv,
                                                     int64_t groupSize) {
  segmentReduceScatter("longnet_segment_reduce_scatter_f32", LNRT_F32, send,
                       recv, groupSize);
}

void _mlir_ciface_longnet_segment_reduce_scatter_f64(lnrt_memref4 *send,
                                                     lnrt_memref4 *recv,
                                                     int64_t groupSize) {
  segmentReduceScatter("longnet_segment_reduce_scatter_f64", LNRT_F64, send,
                       recv, groupSize);
}
