//===- Comm.h - The backends of the collectives ----------------*- C++ -*-===//
//
// Part of the longnet-mlir project.
//
// lnrt_comm.h's functions (Comm.cpp) check their arguments and dispatch to
// the process's one backend: MPI (CommMpi.cpp, over the plugin that
// runtime/mpi builds) or NCCL (CommNccl.cpp). Calls are serialised by
// Comm.cpp, so a backend needs no lock of its own.
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_RUNTIME_LIB_COMM_H
#define LONGNET_RUNTIME_LIB_COMM_H

#include "CudaDriver.h"

#include <memory>

namespace longnet {
namespace rt {

/// A segment all-gather with checked, contiguous buffers: `batch` blocks of
/// `blockBytes` bytes in `send`; recv block (b, k) at
/// (b * groupSize + k) * blockBytes gets block b of group member k.
struct SegmentGather {
  const char *send = nullptr;
  char *recv = nullptr;
  size_t batch = 0;
  size_t blockBytes = 0;
  int groupSize = 1;
};

/// A segment reduce-scatter with checked, contiguous buffers: `send` holds
/// `batch * groupSize` blocks of `blockBytes` bytes, block (b, k) at
/// (b * groupSize + k) * blockBytes; recv block b (at b * blockBytes) gets
/// the sum over the group of their block (b, k), k this rank's index in the
/// group. Elements are f32 or f64 (`isF64`).
struct SegmentScatter {
  const char *send = nullptr;
  char *recv = nullptr;
  size_t batch = 0;
  size_t blockBytes = 0;
  int groupSize = 1;
  bool isF64 = false;
};

class CommBackend {
public:
  virtual ~CommBackend() = default;
  /// "MPI" or "NCCL", for messages.
  virtual const char *name() const = 0;
  /// Where the segment all-gather's buffers live.
  virtual lnrt_memory memory() const = 0;
  virtual int rank() const = 0;
  virtual int size() const = 0;

  /// groupSize > 1 divides size().
  virtual Outcome allGather(const SegmentGather &gather) = 0;
  /// groupSize > 1 divides size().
  virtual Outcome reduceScatter(const SegmentScatter &scatter) = 0;
  virtual Outcome barrier() = 0;
  virtual Outcome gatherToRoot(const void *send, size_t bytes, void *recv) = 0;
  virtual Outcome broadcast(void *buf, size_t bytes, int root) = 0;
  virtual Outcome finalize() = 0;
};

/// LONGNET_COMM_TIMEOUT_S, else LNRT_COMM_DEFAULT_TIMEOUT_S.
double defaultCommTimeoutSeconds();

/// Loads the MPI plugin and initialises MPI.
Outcome createMpiBackend(int *argc, char ***argv,
                         std::unique_ptr<CommBackend> &backend);

/// Writes a fresh NCCL unique id (loading NCCL).
Outcome getNcclUniqueId(char *id);
Outcome createNcclBackend(const char *id, int rank, int size,
                          double timeoutSeconds,
                          std::unique_ptr<CommBackend> &backend);

} // namespace rt
} // namespace longnet

#endif // LONGNET_RUNTIME_LIB_COMM_H
