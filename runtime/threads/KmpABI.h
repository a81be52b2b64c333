//===- KmpABI.h - The libomp (KMP) entry points compiled code calls -------===//
//
// Part of the longnet-mlir project.
//
// `convert-scf-to-openmp` and the OpenMP-to-LLVM-IR translation make compiled
// models call libomp's ABI. Threads.cpp implements the subset they use, so a
// model depends on the LongNet runtime only. The declarations follow
// openmp/runtime/src/kmp.h; `ident_t` (source location) is never read.
//
// Limits:
// - __kmpc_fork_call forwards at most LONGNET_KMP_MAX_FORK_ARGS shared
//   arguments (compiled code passes one, a pointer to a struct); with more it
//   prints one line to stderr and returns without running the region.
// - A parallel region started inside another one, or while another
//   application thread's region holds the pool, runs on a team of one (the
//   calling thread).
// - As in libomp, chunk bounds past the end of a loop are computed in the
//   loop variable's type: an unsigned loop counting down to near 0 can wrap.
//   Compiled code passes loops normalized to 0 .. tripCount - 1, step 1.
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_RUNTIME_THREADS_KMPABI_H
#define LONGNET_RUNTIME_THREADS_KMPABI_H

#include <cstdint>

#define LONGNET_KMP_MAX_FORK_ARGS 15

extern "C" {

struct ident_t;

/// An outlined parallel region: global thread id, thread id in the team,
/// then `argc` shared pointers.
typedef void (*kmpc_micro)(int32_t *gtid, int32_t *btid, ...);

/// kmp.h `sched_type` values understood by __kmpc_for_static_init_*.
enum {
  kmp_sch_static_chunked = 33,         // chunks of `chunk`, round robin
  kmp_sch_static = 34,                 // one balanced contiguous chunk each
  kmp_sch_static_balanced_chunked = 45 // balanced, rounded up to `chunk`
};

int32_t __kmpc_global_thread_num(ident_t *loc);

void __kmpc_fork_call(ident_t *loc, int32_t argc, kmpc_micro microtask, ...);
void __kmpc_push_num_threads(ident_t *loc, int32_t gtid, int32_t numThreads);
void __kmpc_serialized_parallel(ident_t *loc, int32_t gtid);
void __kmpc_end_serialized_parallel(ident_t *loc, int32_t gtid);
void __kmpc_barrier(ident_t *loc, int32_t gtid);

/// On entry [*plower, *pupper] (inclusive) is the whole loop with step
/// `incr`; on return it is the calling thread's first chunk, *pstride the
/// distance to its next chunk and *plastiter whether it runs the last
/// iteration.
void __kmpc_for_static_init_4(ident_t *loc, int32_t gtid, int32_t schedtype,
                              int32_t *plastiter, int32_t *plower,
                              int32_t *pupper, int32_t *pstride, int32_t incr,
                              int32_t chunk);
void __kmpc_for_static_init_4u(ident_t *loc, int32_t gtid, int32_t schedtype,
                               int32_t *plastiter, uint32_t *plower,
                               uint32_t *pupper, int32_t *pstride, int32_t incr,
                               int32_t chunk);
void __kmpc_for_static_init_8(ident_t *loc, int32_t gtid, int32_t schedtype,
                              int32_t *plastiter, int64_t *plower,
                              int64_t *pupper, int64_t *pstride, int64_t incr,
                              int64_t chunk);
void __kmpc_for_static_init_8u(ident_t *loc, int32_t gtid, int32_t schedtype,
                               int32_t *plastiter, uint64_t *plower,
                               uint64_t *pupper, int64_t *pstride, int64_t incr,
                               int64_t chunk);
void __kmpc_for_static_fini(ident_t *loc, int32_t gtid);

int omp_get_thread_num(void);
int omp_get_num_threads(void);
int omp_get_max_threads(void);
void omp_set_num_threads(int n);

} // extern "C"

#endif // LONGNET_RUNTIME_THREADS_KMPABI_H
