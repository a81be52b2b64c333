//===- MpiPlugin.cpp - liblongnet_runtime_mpi.so: collectives over MPI ----===//
//
// Part of the longnet-mlir project.
//
// The one library of the runtime that links MPI; liblongnet_runtime.so
// dlopens it at lnrt_comm_init_mpi (runtime/lib/CommMpi.cpp) and calls the
// table of CommPlugin.h. Every collective is non-blocking (MPI_I*) and polled
// with MPI_Test until a deadline, on buffers of its own, so that a missing or
// stuck rank ends in an error instead of a hang or a late write into the
// caller's memory. The group communicators are split once per group size.
//
//===----------------------------------------------------------------------===//

#include "CommPlugin.h"

#include <mpi.h>

#include <chrono>
#include <climits>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <thread>

namespace {

/// memcpy that does nothing for zero bytes: empty tensors (N = 0 or B = 0)
/// have null buffers, and memcpy(dst, nullptr, 0) is undefined.
void copyBytes(void *destination, const void *source, size_t bytes) {
  if (bytes != 0)
    std::memcpy(destination, source, bytes);
}

struct MpiState {
  bool initialisedMpi = false;
  MPI_Comm world = MPI_COMM_NULL;
  int rank = 0;
  int size = 1;
  /// Communicators of the segment groups, by group size.
  std::map<int, MPI_Comm> groups;
  /// Why the communicators are unusable ("" while they are).
  std::string failure;
};

MpiState state;

lnrt_status fail(longnet_comm_error *error, lnrt_status status,
                 const std::string &message) {
  std::snprintf(error->message, sizeof(error->message), "%s", message.c_str());
  return status;
}

std::string describe(int code) {
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  if (MPI_Error_string(code, text, &length) != MPI_SUCCESS)
    return "MPI error " + std::to_string(code);
  return std::string(text, size_t(length));
}

/// The error of a failed MPI call; the communicators are unusable after it.
lnrt_status failCall(longnet_comm_error *error, const char *call, int code) {
  state.failure = std::string(call) + " failed: " + describe(code);
  return fail(error, LNRT_ERROR_COMM, state.failure);
}

lnrt_status checkUsable(longnet_comm_error *error) {
  if (state.world == MPI_COMM_NULL)
    return fail(error, LNRT_ERROR_INVALID_ARGUMENT, "MPI is not initialised");
  if (!state.failure.empty())
    return fail(error, LNRT_ERROR_COMM,
                "the MPI communicator is unusable after an earlier failure: " +
                    state.failure);
  return LNRT_SUCCESS;
}

/// Tests `request` until it completes or `timeoutSeconds` pass. A request
/// that times out is left pending (MPI cannot cancel collectives).
lnrt_status waitFor(MPI_Request &request, const char *call,
                    double timeoutSeconds, longnet_comm_error *error) {
  using Clock = std::chrono::steady_clock;
  auto deadline = Clock::now() + std::chrono::duration<double>(timeoutSeconds);
  for (unsigned polls = 0;; ++polls) {
    int done = 0;
    if (int code = MPI_Test(&request, &done, MPI_STATUS_IGNORE))
      return failCall(error, call, code);
    if (done)
      return LNRT_SUCCESS;
    if (Clock::now() > deadline) {
      state.failure = std::string(call) + " timed out after " +
                      std::to_string(int(timeoutSeconds)) + " s on rank " +
                      std::to_string(state.rank) + " of " +
                      std::to_string(state.size) +
                      " (a rank is missing or stuck; LONGNET_COMM_TIMEOUT_S "
                      "sets the limit)";
      return fail(error, LNRT_ERROR_COMM, state.failure);
    }
    // Spin for short collectives, then yield the core.
    if (polls > 1000)
      std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
}

/// A datatype and count for `bytes` bytes; MPI counts are ints.
class ByteType {
public:
  lnrt_status init(size_t bytes, longnet_comm_error *error) {
    size_t unit = 1;
    while (bytes / unit > size_t(INT_MAX) && bytes % (unit * 2) == 0)
      unit *= 2;
    if (bytes / unit > size_t(INT_MAX))
      return fail(error, LNRT_ERROR_INVALID_ARGUMENT,
                  "cannot express " + std::to_string(bytes) +
                      " bytes as an MPI count");
    count = int(bytes / unit);
    if (unit == 1)
      return LNRT_SUCCESS;
    if (int code = MPI_Type_contiguous(int(unit), MPI_BYTE, &type))
      return failCall(error, "MPI_Type_contiguous", code);
    if (int code = MPI_Type_commit(&type))
      return failCall(error, "MPI_Type_commit", code);
    owned = true;
    return LNRT_SUCCESS;
  }
  ~ByteType() {
    // A type may be freed while operations that use it are pending.
    if (owned)
      MPI_Type_free(&type);
  }

  MPI_Datatype type = MPI_BYTE;
  int count = 0;

private:
  bool owned = false;
};

/// Memory for a pending operation, abandoned (never freed) if it times out.
class Staging {
public:
  explicit Staging(size_t bytes) : data(new char[bytes ? bytes : 1]) {}
  ~Staging() { delete[] data; }
  void abandon() { data = nullptr; }
  char *data;
};

/// Starts an operation with `start` and waits for it.
template <typename Start>
lnrt_status runCollective(const char *call, double timeoutSeconds,
                          Staging &staging, longnet_comm_error *error,
                          Start start) {
  MPI_Request request = MPI_REQUEST_NULL;
  if (int code = start(request))
    return failCall(error, call, code);
  lnrt_status status = waitFor(request, call, timeoutSeconds, error);
  if (status != LNRT_SUCCESS && request != MPI_REQUEST_NULL)
    staging.abandon();
  return status;
}

/// The communicator of this rank's segment group of `groupSize` ranks.
lnrt_status groupCommunicator(int groupSize, double timeoutSeconds,
                              MPI_Comm &comm, longnet_comm_error *error) {
  if (groupSize == state.size) {
    comm = state.world;
    return LNRT_SUCCESS;
  }
  auto found = state.groups.find(groupSize);
  if (found != state.groups.end()) {
    comm = found->second;
    return LNRT_SUCCESS;
  }
  // MPI_Comm_split blocks until every rank calls it: meet at a barrier with
  // a deadline first, so that a missing rank cannot hang the split.
  Staging none(0);
  if (lnrt_status status = runCollective("MPI_Ibarrier", timeoutSeconds, none,
                                         error, [](MPI_Request &request) {
                                           return MPI_Ibarrier(state.world,
                                                               &request);
                                         }))
    return status;
  if (int code = MPI_Comm_split(state.world, state.rank / groupSize, state.rank,
                                &comm))
    return failCall(error, "MPI_Comm_split", code);
  if (int code = MPI_Comm_set_errhandler(comm, MPI_ERRORS_RETURN))
    return failCall(error, "MPI_Comm_set_errhandler", code);
  state.groups[groupSize] = comm;
  return LNRT_SUCCESS;
}

lnrt_status init(int *argc, char ***argv, int *rank, int *size,
                 longnet_comm_error *error) {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (finalized)
    return fail(error, LNRT_ERROR_INVALID_ARGUMENT,
                "MPI was finalised: it cannot be initialised again");
  int initialised = 0;
  MPI_Initialized(&initialised);
  if (!initialised) {
    int provided = 0;
    if (int code =
            MPI_Init_thread(argc, argv, MPI_THREAD_SERIALIZED, &provided))
      return fail(error, LNRT_ERROR_COMM,
                  "MPI_Init_thread failed: " + describe(code));
    state.initialisedMpi = true;
  }
  if (int code = MPI_Comm_dup(MPI_COMM_WORLD, &state.world))
    return fail(error, LNRT_ERROR_COMM,
                "MPI_Comm_dup failed: " + describe(code));
  MPI_Comm_set_errhandler(state.world, MPI_ERRORS_RETURN);
  MPI_Comm_rank(state.world, &state.rank);
  MPI_Comm_size(state.world, &state.size);
  state.failure.clear();
  *rank = state.rank;
  *size = state.size;
  return LNRT_SUCCESS;
}

/// MPI is usable and `groupSize` divides the ranks.
lnrt_status checkGroupSize(int groupSize, longnet_comm_error *error) {
  if (lnrt_status status = checkUsable(error))
    return status;
  if (groupSize < 1 || state.size % groupSize != 0)
    return fail(error, LNRT_ERROR_INVALID_ARGUMENT,
                "group size " + std::to_string(groupSize) +
                    " does not divide the " + std::to_string(state.size) +
                    " ranks");
  return LNRT_SUCCESS;
}

lnrt_status allGather(int groupSize, const void *send, size_t bytes, void *recv,
                      double timeoutSeconds, longnet_comm_error *error) {
  if (lnrt_status status = checkGroupSize(groupSize, error))
    return status;
  MPI_Comm comm = MPI_COMM_NULL;
  if (lnrt_status status =
          groupCommunicator(groupSize, timeoutSeconds, comm, error))
    return status;
  ByteType type;
  if (lnrt_status status = type.init(bytes, error))
    return status;
  // [send | recv of groupSize blocks]
  Staging staging(bytes * (1 + size_t(groupSize)));
  copyBytes(staging.data, send, bytes);
  char *gathered = staging.data + bytes;
  if (lnrt_status status = runCollective(
          "MPI_Iallgather", timeoutSeconds, staging, error,
          [&](MPI_Request &request) {
            return MPI_Iallgather(staging.data, type.count, type.type, gathered,
                                  type.count, type.type, comm, &request);
          }))
    return status;
  copyBytes(recv, gathered, bytes * size_t(groupSize));
  return LNRT_SUCCESS;
}

lnrt_status reduceScatter(int groupSize, const void *send, size_t count,
                          int isF64, void *recv, double timeoutSeconds,
                          longnet_comm_error *error) {
  if (lnrt_status status = checkGroupSize(groupSize, error))
    return status;
  if (count > size_t(INT_MAX))
    return fail(error, LNRT_ERROR_INVALID_ARGUMENT,
                "cannot express " + std::to_string(count) +
                    " elements as an MPI count");
  MPI_Comm comm = MPI_COMM_NULL;
  if (lnrt_status status =
          groupCommunicator(groupSize, timeoutSeconds, comm, error))
    return status;
  size_t elementBytes = isF64 ? sizeof(double) : sizeof(float);
  size_t bytes = count * elementBytes;
  // [send of groupSize blocks | recv]
  Staging staging(bytes * (1 + size_t(groupSize)));
  copyBytes(staging.data, send, bytes * size_t(groupSize));
  char *reduced = staging.data + bytes * size_t(groupSize);
  MPI_Datatype type = isF64 ? MPI_DOUBLE : MPI_FLOAT;
  if (lnrt_status status = runCollective(
          "MPI_Ireduce_scatter_block", timeoutSeconds, staging, error,
          [&](MPI_Request &request) {
            return MPI_Ireduce_scatter_block(staging.data, reduced, int(count),
                                             type, MPI_SUM, comm, &request);
          }))
    return status;
  copyBytes(recv, reduced, bytes);
  return LNRT_SUCCESS;
}

lnrt_status gatherToRoot(const void *send, size_t bytes, void *recv,
                         double timeoutSeconds, longnet_comm_error *error) {
  if (lnrt_status status = checkUsable(error))
    return status;
  ByteType type;
  if (lnrt_status status = type.init(bytes, error))
    return status;
  bool isRoot = state.rank == 0;
  Staging staging(bytes * (isRoot ? 1 + size_t(state.size) : 1));
  copyBytes(staging.data, send, bytes);
  char *gathered = staging.data + bytes;
  if (lnrt_status status = runCollective(
          "MPI_Igather", timeoutSeconds, staging, error,
          [&](MPI_Request &request) {
            return MPI_Igather(staging.data, type.count, type.type,
                               isRoot ? gathered : nullptr, type.count,
                               type.type, 0, state.world, &request);
          }))
    return status;
  if (isRoot)
    copyBytes(recv, gathered, bytes * size_t(state.size));
  return LNRT_SUCCESS;
}

lnrt_status broadcast(void *buf, size_t bytes, int root, double timeoutSeconds,
                      longnet_comm_error *error) {
  if (lnrt_status status = checkUsable(error))
    return status;
  ByteType type;
  if (lnrt_status status = type.init(bytes, error))
    return status;
  Staging staging(bytes);
  copyBytes(staging.data, buf, bytes);
  if (lnrt_status status =
          runCollective("MPI_Ibcast", timeoutSeconds, staging, error,
                        [&](MPI_Request &request) {
                          return MPI_Ibcast(staging.data, type.count, type.type,
                                            root, state.world, &request);
                        }))
    return status;
  copyBytes(buf, staging.data, bytes);
  return LNRT_SUCCESS;
}

lnrt_status barrier(double timeoutSeconds, longnet_comm_error *error) {
  if (lnrt_status status = checkUsable(error))
    return status;
  Staging none(0);
  return runCollective(
      "MPI_Ibarrier", timeoutSeconds, none, error,
      [](MPI_Request &request) { return MPI_Ibarrier(state.world, &request); });
}

lnrt_status finalize(longnet_comm_error *error) {
  if (state.world == MPI_COMM_NULL)
    return LNRT_SUCCESS;
  if (!state.failure.empty()) {
    // Pending operations would make the frees and MPI_Finalize hang.
    std::string reason = state.failure;
    state = MpiState();
    return fail(error, LNRT_ERROR_COMM,
                "MPI was not finalised after an earlier failure: " + reason);
  }
  for (auto &group : state.groups)
    MPI_Comm_free(&group.second);
  MPI_Comm_free(&state.world);
  bool finalizeMpi = state.initialisedMpi;
  state = MpiState();
  if (finalizeMpi)
    if (int code = MPI_Finalize())
      return fail(error, LNRT_ERROR_COMM,
                  "MPI_Finalize failed: " + describe(code));
  return LNRT_SUCCESS;
}

const longnet_mpi_plugin_table table = {
    LONGNET_MPI_PLUGIN_VERSION,
    init,
    allGather,
    reduceScatter,
    gatherToRoot,
    broadcast,
    barrier,
    finalize,
};

} // namespace

extern "C" __attribute__((visibility("default")))
const longnet_mpi_plugin_table *
longnet_mpi_plugin(void) {
  return &table;
}
