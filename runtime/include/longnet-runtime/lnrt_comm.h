/*===- lnrt_comm.h - Sequence-parallel collectives -----------------*- C
-*-===*\
|*                                                                            *|
|* Part of the longnet-mlir project.                                          *|
|*                                                                            *|
|* A LongNet model sharded over P ranks (one process per rank) all-gathers    *|
|* its sparsified K and V within segment groups: the g consecutive ranks      *|
|* [p - p%g, p - p%g + g) for a group size g that divides P (SPEC.md,         *|
|* "Sequence-parallel execution"). Two backends, one per process:             *|
|*                                                                            *|
|*  - MPI, on host memory: liblongnet_runtime_mpi.so (next to this library,   *|
|*    linked against Open MPI) is dlopen'ed by lnrt_comm_init_mpi, so that    *|
|*    liblongnet_runtime.so itself never depends on MPI;                      *|
|*  - NCCL, on device memory of the current context, one GPU per rank:        *|
|*    libnccl.so.2 is dlopen'ed by lnrt_comm_init_nccl (never linked).        *|
|*                                                                            *|
|* Without a backend the process is rank 0 of 1. Every lnrt_comm_* function   *|
|* returns an lnrt_status with its message in lnrt_get_last_error().          *|
|* docs/runtime.md, "Sequence-parallel collectives", describes the whole API. *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef LONGNET_RUNTIME_LNRT_COMM_H
#define LONGNET_RUNTIME_LNRT_COMM_H

#include "longnet-runtime/lnrt.h"

#ifdef __cplusplus
extern "C" {
#endif

/// Bytes of an NCCL unique id (NCCL_UNIQUE_ID_BYTES).
#define LNRT_NCCL_UNIQUE_ID_BYTES 128

/// Seconds a collective may wait for the other ranks before it fails
/// (LONGNET_COMM_TIMEOUT_S overrides it). 60 s: long enough for the largest
/// legitimate skew between ranks (the first all-gather waits for the
/// slowest rank's compilation and local branches), short enough that a
/// stopped rank does not hold a job for minutes (docs/reliability.md).
#define LNRT_COMM_DEFAULT_TIMEOUT_S 60

/*===--------------------------------------------------------------------===*\
|* Backends                                                                  *|
\*===--------------------------------------------------------------------===*/

/// The MPI backend on MPI_COMM_WORLD: MPI_Init_thread unless MPI is already
/// initialised (argc and argv may be NULL), then a duplicate of the world
/// with MPI_ERRORS_RETURN. LNRT_ERROR_NOT_FOUND ("MPI support not available:
/// ...") when liblongnet_runtime_mpi.so or Open MPI cannot be loaded;
/// LONGNET_COMM_MPI_LIBRARY names another plugin file.
LNRT_EXPORT lnrt_status lnrt_comm_init_mpi(int *argc, char ***argv);

/// ncclGetUniqueId, to be sent to every rank (by rank 0, usually).
/// LONGNET_NCCL_LIBRARY names another file than libnccl.so.2.
LNRT_EXPORT lnrt_status
lnrt_nccl_get_unique_id(char id[LNRT_NCCL_UNIQUE_ID_BYTES]);

/// The NCCL backend: rank `rank` of `size` on this thread's device (its
/// primary context), with a non-blocking NCCL communicator. Collectives fail
/// after `timeoutSeconds` (0: LONGNET_COMM_TIMEOUT_S or the default; < 0:
/// collectives are only enqueued and never waited for).
LNRT_EXPORT lnrt_status
lnrt_comm_init_nccl(const char id[LNRT_NCCL_UNIQUE_ID_BYTES], int rank,
                    int size, int timeoutSeconds);

/// Frees the group communicators and the backend; MPI_Finalize when
/// lnrt_comm_init_mpi initialised MPI. A no-op without a backend.
LNRT_EXPORT lnrt_status lnrt_comm_finalize(void);

/// 0 and 1 without a backend.
LNRT_EXPORT lnrt_status lnrt_comm_rank(int *rank);
LNRT_EXPORT lnrt_status lnrt_comm_size(int *size);

/*===--------------------------------------------------------------------===*\
|* Collectives on the world (host buffers)                                   *|
\*===--------------------------------------------------------------------===*/

LNRT_EXPORT lnrt_status lnrt_comm_barrier(void);
/// Rank 0 receives `bytesPerRank` bytes of every rank in rank order; `recv`
/// (size * bytesPerRank bytes) is only used on rank 0.
LNRT_EXPORT lnrt_status lnrt_comm_gather_to_root(const void *send,
                                                 size_t bytesPerRank,
                                                 void *recv);
LNRT_EXPORT lnrt_status lnrt_comm_broadcast(void *buf, size_t bytes, int root);

/*===--------------------------------------------------------------------===*\
|* Traffic                                                                   *|
\*===--------------------------------------------------------------------===*/

/// Bytes this process received from other ranks in segment all-gathers
/// since the last reset: (g - 1) * bytes(send) per successful call.
LNRT_EXPORT lnrt_status lnrt_comm_bytes_received(uint64_t *bytes);
LNRT_EXPORT lnrt_status lnrt_comm_reset_counters(void);

/*===--------------------------------------------------------------------===*\
|* The ABI of compiled code                                                  *|
\*===--------------------------------------------------------------------===*/

/// MLIR's descriptor of a rank-4 memref (the element type aside).
typedef struct lnrt_memref4 {
  void *allocated;
  void *aligned;
  int64_t offset;
  int64_t sizes[4];
  int64_t strides[4];
} lnrt_memref4;

/// This process's rank; 0 without a backend.
LNRT_EXPORT int64_t longnet_comm_rank(void);

/// recv[b, k*m + t, h, d] = send of group member k [b, t, h, d] for the
/// segment group of `groupSize` ranks around this one: send is [B, m, H, D],
/// recv [B, groupSize*m, H, D], both contiguous, host memory (MPI, no
/// backend) or device memory (NCCL; on the thread's current stream). A
/// failure never aborts: it becomes the error that lnrt_check_cuda_error()
/// returns (and that fails lnrt_model_call), and host recv is set to NaN.
LNRT_EXPORT void _mlir_ciface_longnet_segment_all_gather_f16(lnrt_memref4 *send,
                                                             lnrt_memref4 *recv,
                                                             int64_t groupSize);
LNRT_EXPORT void _mlir_ciface_longnet_segment_all_gather_bf16(
    lnrt_memref4 *send, lnrt_memref4 *recv, int64_t groupSize);
LNRT_EXPORT void _mlir_ciface_longnet_segment_all_gather_f32(lnrt_memref4 *send,
                                                             lnrt_memref4 *recv,
                                                             int64_t groupSize);
LNRT_EXPORT void _mlir_ciface_longnet_segment_all_gather_f64(lnrt_memref4 *send,
                                                             lnrt_memref4 *recv,
                                                             int64_t groupSize);

/// recv[b, t, h, d] = sum over the members k' of the segment group of
/// `groupSize` ranks around this one of their send[b, k*m + t, h, d], k
/// this rank's index in the group: send is [B, groupSize*m, H, D], recv
/// [B, m, H, D] (the backward's gradients of gathered rows, summed back to
/// their owner). f32 and f64 (the accumulators); memory, streams and errors
/// as for the all-gather.
LNRT_EXPORT void _mlir_ciface_longnet_segment_reduce_scatter_f32(
    lnrt_memref4 *send, lnrt_memref4 *recv, int64_t groupSize);
LNRT_EXPORT void _mlir_ciface_longnet_segment_reduce_scatter_f64(
    lnrt_memref4 *send, lnrt_memref4 *recv, int64_t groupSize);

#ifdef __cplusplus
}
#endif

#endif /* LONGNET_RUNTIME_LNRT_COMM_H */
