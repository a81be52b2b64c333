//===- CommNccl.cpp - The NCCL backend, loaded at first use ---------------===//
//
// Part of the longnet-mlir project.
//
// libnccl.so.2 is opened with dlopen (nccl.h for its types only), one GPU per
// rank. Communicators are non-blocking (ncclConfig_t::blocking = 0): every
// NCCL call is followed by polling ncclCommGetAsyncError, and a collective
// by polling its stream, until a deadline; on an error or a timeout the
// communicator is aborted (ncclCommAbort) and the backend is unusable.
//
//===----------------------------------------------------------------------===//

#include "Comm.h"

#include "longnet-runtime/lnrt_comm.h"

#include <dlfcn.h>
#include <nccl.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <map>
#include <thread>

using namespace longnet::rt;

namespace {

static_assert(NCCL_UNIQUE_ID_BYTES == LNRT_NCCL_UNIQUE_ID_BYTES,
              "lnrt_comm.h's unique id is NCCL's");

// Every NCCL function the backend calls.
#define LONGNET_NCCL_FUNCTIONS(X)                                              \
  X(ncclGetUniqueId)                                                           \
  X(ncclCommInitRankConfig)                                                    \
  X(ncclCommSplit)                                                             \
  X(ncclCommGetAsyncError)                                                     \
  X(ncclCommAbort)                                                             \
  X(ncclCommDestroy)                                                           \
  X(ncclGetErrorString)                                                        \
  X(ncclGetLastError)                                                          \
  X(ncclGroupStart)                                                            \
  X(ncclGroupEnd)                                                              \
  X(ncclAllGather)                                                             \
  X(ncclReduceScatter)                                                         \
  X(ncclAllReduce)                                                             \
  X(ncclBroadcast)

struct Nccl {
#define LONGNET_DECLARE_POINTER(name) decltype(&::name) name = nullptr;
  LONGNET_NCCL_FUNCTIONS(LONGNET_DECLARE_POINTER)
#undef LONGNET_DECLARE_POINTER
};

Outcome unavailable(const std::string &reason) {
  return Outcome::failure(LNRT_ERROR_NOT_FOUND,
                          "NCCL support not available: " + reason);
}

/// Opens NCCL (LONGNET_NCCL_LIBRARY, else libnccl.so.2) and looks up every
/// function. Never closed: NCCL keeps threads of its own.
Outcome loadNccl(Nccl &nccl) {
  const char *path = std::getenv("LONGNET_NCCL_LIBRARY");
  if (!path)
    path = "libnccl.so.2";
  void *library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    const char *reason = dlerror();
    return unavailable(std::string("cannot load ") + path + " (" +
                       (reason ? reason : "unknown reason") + ")");
  }
#define LONGNET_LOOK_UP(name)                                                  \
  nccl.name = reinterpret_cast<decltype(nccl.name)>(dlsym(library, #name));    \
  if (!nccl.name)                                                              \
    return unavailable(std::string(path) + " has no " #name);
  LONGNET_NCCL_FUNCTIONS(LONGNET_LOOK_UP)
#undef LONGNET_LOOK_UP
  return Outcome::success();
}

/// Driver functions that CudaDriver.h does not load, from the loaded driver.
struct DriverExtras {
  decltype(&::cuStreamQuery) cuStreamQuery = nullptr;
  decltype(&::cuCtxSynchronize) cuCtxSynchronize = nullptr;
};

const DriverExtras &driverExtras() {
  static const DriverExtras extras = [] {
    DriverExtras found;
    if (void *library = dlopen("libcuda.so.1", RTLD_NOW | RTLD_NOLOAD)) {
      found.cuStreamQuery = reinterpret_cast<decltype(found.cuStreamQuery)>(
          dlsym(library, "cuStreamQuery"));
      found.cuCtxSynchronize =
          reinterpret_cast<decltype(found.cuCtxSynchronize)>(
              dlsym(library, "cuCtxSynchronize"));
    }
    return found;
  }();
  return extras;
}

using Clock = std::chrono::steady_clock;

/// Spins for a while, then sleeps between polls.
void pause(unsigned polls) {
  if (polls > 1000)
    std::this_thread::sleep_for(std::chrono::microseconds(100));
}

class NcclBackend final : public CommBackend {
public:
  NcclBackend(const Nccl &nccl, ncclComm_t world, int rank, int size,
              double timeoutSeconds)
      : nccl(nccl), world(world), rankValue(rank), sizeValue(size),
        timeoutSeconds(timeoutSeconds) {}

  ~NcclBackend() override { destroyAll(); }

  /// Initialises `comm` as rank `rank` of `size`.
  static Outcome initRank(const Nccl &nccl, const ncclUniqueId &id, int rank,
                          int size, double timeoutSeconds, ncclComm_t &comm) {
    ncclConfig_t config = NCCL_CONFIG_INITIALIZER;
    config.blocking = 0;
    ncclResult_t result = nccl.ncclCommInitRankConfig(
        &comm, size, const_cast<ncclUniqueId &>(id), rank, &config);
    if (result != ncclSuccess && result != ncclInProgress) {
      Outcome failed =
          ncclFailure(nccl, "ncclCommInitRankConfig", result, comm);
      if (comm)
        nccl.ncclCommAbort(comm);
      return failed;
    }
    Outcome ready =
        waitReady(nccl, comm, "ncclCommInitRankConfig", timeoutSeconds);
    if (!ready)
      nccl.ncclCommAbort(comm);
    return ready;
  }

  const char *name() const override { return "NCCL"; }
  lnrt_memory memory() const override { return LNRT_MEMORY_DEVICE; }
  int rank() const override { return rankValue; }
  int size() const override { return sizeValue; }

  Outcome allGather(const SegmentGather &gather) override {
    ncclComm_t comm = nullptr;
    if (Outcome found = groupCommunicator(gather.groupSize, comm); !found)
      return found;
    // One all-gather per batch: recv[b] is [groupSize][block] already.
    return runCollective(comm, "ncclAllGather", [&](CUstream stream) {
      for (size_t b = 0; b < gather.batch; ++b) {
        ncclResult_t result = nccl.ncclAllGather(
            gather.send + b * gather.blockBytes,
            gather.recv + b * gather.groupSize * gather.blockBytes,
            gather.blockBytes, ncclInt8, comm, stream);
        if (result != ncclSuccess && result != ncclInProgress)
          return result;
      }
      return ncclSuccess;
    });
  }

  Outcome reduceScatter(const SegmentScatter &scatter) override {
    ncclComm_t comm = nullptr;
    if (Outcome found = groupCommunicator(scatter.groupSize, comm); !found)
      return found;
    size_t elementBytes = scatter.isF64 ? sizeof(double) : sizeof(float);
    ncclDataType_t type = scatter.isF64 ? ncclFloat64 : ncclFloat32;
    // One reduce-scatter per batch: send[b] is [groupSize][block] already.
    return runCollective(comm, "ncclReduceScatter", [&](CUstream stream) {
      for (size_t b = 0; b < scatter.batch; ++b) {
        ncclResult_t result = nccl.ncclReduceScatter(
            scatter.send + b * scatter.groupSize * scatter.blockBytes,
            scatter.recv + b * scatter.blockBytes,
            scatter.blockBytes / elementBytes, type, ncclSum, comm, stream);
        if (result != ncclSuccess && result != ncclInProgress)
          return result;
      }
      return ncclSuccess;
    });
  }

  Outcome barrier() override {
    DeviceBuffer token(1);
    if (!token.allocated)
      return token.allocated;
    return runCollective(world, "ncclAllReduce", [&](CUstream stream) {
      return nccl.ncclAllReduce(token.pointer(), token.pointer(), 1, ncclInt8,
                                ncclSum, world, stream);
    });
  }

  Outcome gatherToRoot(const void *send, size_t bytes, void *recv) override {
    if (bytes == 0)
      return Outcome::success();
    // NCCL has no gather: all-gather on the device, rank 0 copies it out.
    DeviceBuffer gathered(bytes * (size_t(sizeValue) + 1));
    if (!gathered.allocated)
      return gathered.allocated;
    char *local = gathered.pointer() + bytes * size_t(sizeValue);
    if (Outcome copied = copy(local, send, bytes); !copied)
      return copied;
    if (Outcome done = runCollective(world, "ncclAllGather",
                                     [&](CUstream stream) {
                                       return nccl.ncclAllGather(
                                           local, gathered.pointer(), bytes,
                                           ncclInt8, world, stream);
                                     });
        !done)
      return done;
    if (rankValue != 0)
      return Outcome::success();
    return copy(recv, gathered.pointer(), bytes * size_t(sizeValue));
  }

  Outcome broadcast(void *buf, size_t bytes, int root) override {
    if (bytes == 0)
      return Outcome::success();
    DeviceBuffer staged(bytes);
    if (!staged.allocated)
      return staged.allocated;
    if (Outcome copied = copy(staged.pointer(), buf, bytes); !copied)
      return copied;
    if (Outcome done = runCollective(
            world, "ncclBroadcast",
            [&](CUstream stream) {
              return nccl.ncclBroadcast(staged.pointer(), staged.pointer(),
                                        bytes, ncclInt8, root, world, stream);
            });
        !done)
      return done;
    return copy(buf, staged.pointer(), bytes);
  }

  Outcome finalize() override {
    if (!failure.empty()) {
      destroyAll();
      return Outcome::failure(LNRT_ERROR_COMM,
                              "the NCCL communicator was aborted after an "
                              "earlier failure: " +
                                  failure);
    }
    destroyAll();
    return Outcome::success();
  }

private:
  /// Device memory of the current context, freed on scope exit.
  struct DeviceBuffer {
    explicit DeviceBuffer(size_t bytes) {
      allocated = enterContext();
      if (allocated)
        allocated = LONGNET_CU_CALL(cuMemAlloc, &address, bytes);
    }
    ~DeviceBuffer() {
      if (address)
        (void)LONGNET_CU_CALL(cuMemFree, address);
    }
    char *pointer() const { return reinterpret_cast<char *>(address); }
    CUdeviceptr address = 0;
    Outcome allocated;
  };

  static Outcome copy(void *dst, const void *src, size_t bytes) {
    return LONGNET_CU_CALL(cuMemcpy, reinterpret_cast<CUdeviceptr>(dst),
                           reinterpret_cast<CUdeviceptr>(src), bytes);
  }

  static Outcome ncclFailure(const Nccl &nccl, const char *call,
                             ncclResult_t result, ncclComm_t comm) {
    std::string message =
        std::string(call) + " failed: " + nccl.ncclGetErrorString(result);
    const char *detail = nccl.ncclGetLastError(comm);
    if (detail && *detail)
      message += std::string(" (") + detail + ")";
    return Outcome::failure(result == ncclUnhandledCudaError ? LNRT_ERROR_CUDA
                                                             : LNRT_ERROR_COMM,
                            message);
  }

  static Outcome timedOut(const char *call, double timeoutSeconds) {
    return Outcome::failure(
        LNRT_ERROR_COMM,
        std::string(call) + " timed out after " +
            std::to_string(int(timeoutSeconds)) +
            " s (a rank is missing or stuck; LONGNET_COMM_TIMEOUT_S sets the "
            "limit)");
  }

  /// Polls a non-blocking communicator until its last call has completed.
  static Outcome waitReady(const Nccl &nccl, ncclComm_t comm, const char *call,
                           double timeoutSeconds) {
    auto deadline =
        Clock::now() + std::chrono::duration<double>(timeoutSeconds);
    for (unsigned polls = 0;; ++polls) {
      ncclResult_t state = ncclSuccess;
      ncclResult_t result = nccl.ncclCommGetAsyncError(comm, &state);
      if (result != ncclSuccess)
        return ncclFailure(nccl, "ncclCommGetAsyncError", result, comm);
      if (state == ncclSuccess)
        return Outcome::success();
      if (state != ncclInProgress)
        return ncclFailure(nccl, call, state, comm);
      if (timeoutSeconds >= 0 && Clock::now() > deadline)
        return timedOut(call, timeoutSeconds);
      pause(polls);
    }
  }

  /// Enqueues NCCL calls with `enqueue` on the current stream and, unless
  /// timeouts are off, waits for the stream to finish them. Any failure
  /// aborts every communicator.
  template <typename Enqueue>
  Outcome runCollective(ncclComm_t comm, const char *call, Enqueue enqueue) {
    if (!failure.empty())
      return unusable();
    if (Outcome entered = enterContext(); !entered)
      return entered;
    CUstream stream = currentStream();
    const DriverExtras &extras = driverExtras();
    if (!stream && extras.cuCtxSynchronize)
      // Without a current stream the model's kernels ran on streams of
      // their own: finish them before the legacy stream reads their output.
      if (Outcome synced =
              checkResult(extras.cuCtxSynchronize(), "cuCtxSynchronize");
          !synced)
        return synced;
    nccl.ncclGroupStart();
    ncclResult_t enqueued = enqueue(stream);
    ncclResult_t ended = nccl.ncclGroupEnd();
    if (enqueued == ncclSuccess)
      enqueued = ended;
    if (enqueued != ncclSuccess && enqueued != ncclInProgress)
      return abortAll(ncclFailure(nccl, call, enqueued, comm));
    if (Outcome ready = waitReady(nccl, comm, call, timeoutSeconds); !ready)
      return abortAll(ready);
    if (timeoutSeconds < 0 || !extras.cuStreamQuery)
      return Outcome::success();
    return abortAll(waitForStream(comm, call, stream));
  }

  Outcome waitForStream(ncclComm_t comm, const char *call, CUstream stream) {
    auto deadline =
        Clock::now() + std::chrono::duration<double>(timeoutSeconds);
    for (unsigned polls = 0;; ++polls) {
      CUresult queried = driverExtras().cuStreamQuery(stream);
      if (queried == CUDA_SUCCESS)
        return Outcome::success();
      if (queried != CUDA_ERROR_NOT_READY)
        return checkResult(queried, "cuStreamQuery");
      ncclResult_t state = ncclSuccess;
      nccl.ncclCommGetAsyncError(comm, &state);
      if (state != ncclSuccess && state != ncclInProgress)
        return ncclFailure(nccl, call, state, comm);
      if (Clock::now() > deadline)
        return timedOut(call, timeoutSeconds);
      pause(polls);
    }
  }

  Outcome unusable() const {
    return Outcome::failure(LNRT_ERROR_COMM,
                            "the NCCL communicator was aborted after an "
                            "earlier failure: " +
                                failure);
  }

  /// On failure, aborts every communicator and keeps the reason.
  Outcome abortAll(Outcome outcome) {
    if (outcome)
      return outcome;
    failure = outcome.message;
    for (auto &group : groups)
      nccl.ncclCommAbort(group.second);
    groups.clear();
    if (world)
      nccl.ncclCommAbort(world);
    world = nullptr;
    return outcome;
  }

  void destroyAll() {
    for (auto &group : groups)
      nccl.ncclCommDestroy(group.second);
    groups.clear();
    if (world)
      nccl.ncclCommDestroy(world);
    world = nullptr;
  }

  /// The communicator of this rank's segment group, split from the world
  /// once per group size.
  Outcome groupCommunicator(int groupSize, ncclComm_t &comm) {
    if (!failure.empty())
      return unusable();
    if (groupSize == sizeValue) {
      comm = world;
      return Outcome::success();
    }
    auto found = groups.find(groupSize);
    if (found != groups.end()) {
      comm = found->second;
      return Outcome::success();
    }
    if (Outcome entered = enterContext(); !entered)
      return entered;
    ncclConfig_t config = NCCL_CONFIG_INITIALIZER;
    config.blocking = 0;
    ncclResult_t result = nccl.ncclCommSplit(world, rankValue / groupSize,
                                             rankValue, &comm, &config);
    if (result != ncclSuccess && result != ncclInProgress)
      return abortAll(ncclFailure(nccl, "ncclCommSplit", result, world));
    double limit =
        timeoutSeconds < 0 ? defaultCommTimeoutSeconds() : timeoutSeconds;
    if (Outcome ready = waitReady(nccl, world, "ncclCommSplit", limit);
        !ready) {
      if (comm)
        nccl.ncclCommAbort(comm);
      return abortAll(ready);
    }
    if (comm)
      if (Outcome ready = waitReady(nccl, comm, "ncclCommSplit", limit);
          !ready) {
        nccl.ncclCommAbort(comm);
        return abortAll(ready);
      }
    groups[groupSize] = comm;
    return Outcome::success();
  }

  Nccl nccl;
  ncclComm_t world;
  int rankValue;
  int sizeValue;
  /// < 0: collectives are only enqueued.
  double timeoutSeconds;
  std::map<int, ncclComm_t> groups;
  /// Why the communicators were aborted ("" while they are usable).
  std::string failure;
};

} // namespace

Outcome longnet::rt::getNcclUniqueId(char *id) {
  Nccl nccl;
  if (Outcome loaded = loadNccl(nccl); !loaded)
    return loaded;
  ncclUniqueId unique;
  ncclResult_t result = nccl.ncclGetUniqueId(&unique);
  if (result != ncclSuccess)
    return Outcome::failure(LNRT_ERROR_COMM,
                            std::string("ncclGetUniqueId failed: ") +
                                nccl.ncclGetErrorString(result));
  std::memcpy(id, unique.internal, sizeof(unique.internal));
  return Outcome::success();
}

Outcome longnet::rt::createNcclBackend(const char *id, int rank, int size,
                                       double timeoutSeconds,
                                       std::unique_ptr<CommBackend> &backend) {
  Nccl nccl;
  if (Outcome loaded = loadNccl(nccl); !loaded)
    return loaded;
  if (Outcome entered = enterContext(); !entered)
    return entered;
  ncclUniqueId unique;
  std::memcpy(unique.internal, id, sizeof(unique.internal));
  ncclComm_t world = nullptr;
  double limit =
      timeoutSeconds < 0 ? defaultCommTimeoutSeconds() : timeoutSeconds;
  if (Outcome initialised =
          NcclBackend::initRank(nccl, unique, rank, size, limit, world);
      !initialised)
    return initialised;
  backend =
      std::make_unique<NcclBackend>(nccl, world, rank, size, timeoutSeconds);
  return Outcome::success();
}
