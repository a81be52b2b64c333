/*===- Threads.h - The thread pool behind compiled parallel loops -*- C -*-===*
 *
 * Part of the longnet-mlir project.
 *
 * Compiled models run their `scf.parallel` loops through the OpenMP entry
 * points of the runtime (runtime/threads/KmpABI.h), which run on one
 * persistent pool of threads. Its size is, in order of precedence: the last
 * lnrt_set_num_threads(n > 0), LONGNET_NUM_THREADS, the first number of
 * OMP_NUM_THREADS, and std::thread::hardware_concurrency().
 *
 *===----------------------------------------------------------------------===*/

#ifndef LONGNET_RUNTIME_THREADS_H
#define LONGNET_RUNTIME_THREADS_H

#ifdef __cplusplus
extern "C" {
#endif

/* Sets how many threads (the caller included) run each following parallel
 * region; n <= 0 restores the default from the environment. */
void lnrt_set_num_threads(int n);

/* How many threads the next parallel region started outside any other will
 * run on. */
int lnrt_get_num_threads(void);

#ifdef __cplusplus
}
#endif

#endif /* LONGNET_RUNTIME_THREADS_H */
