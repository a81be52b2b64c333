/*===- CommPlugin.h - The interface of liblongnet_runtime_mpi.so --*- C -*-===*\
|*                                                                            *|
|* Part of the longnet-mlir project.                                          *|
|*                                                                            *|
|* liblongnet_runtime.so never links MPI: lnrt_comm_init_mpi dlopens          *|
|* liblongnet_runtime_mpi.so (runtime/mpi) and calls the table that its       *|
|* longnet_mpi_plugin() returns. Plain C, versioned, host buffers only.       *|
|* Every function returns an lnrt_status and, on failure, writes a message.   *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef LONGNET_RUNTIME_LIB_COMMPLUGIN_H
#define LONGNET_RUNTIME_LIB_COMMPLUGIN_H

#include "longnet-runtime/lnrt.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LONGNET_MPI_PLUGIN_VERSION 2
#define LONGNET_MPI_PLUGIN_SYMBOL "longnet_mpi_plugin"

typedef struct longnet_comm_error {
  char message[512];
} longnet_comm_error;

/// The collectives wait at most `timeoutSeconds` (MPI_I* and MPI_Test
/// polling). They never read or write the caller's buffers after returning,
/// even after a timeout (they work on buffers of their own, which a timeout
/// leaks), and after a failure every later collective fails.
typedef struct longnet_mpi_plugin_table {
  int version; /* LONGNET_MPI_PLUGIN_VERSION */
  lnrt_status (*init)(int *argc, char ***argv, int *rank, int *size,
                      longnet_comm_error *error);
  /* recv[k * bytes, (k + 1) * bytes) = send of rank k of the group of
   * `groupSize` consecutive ranks around this one. */
  lnrt_status (*allGather)(int groupSize, const void *send, size_t bytes,
                           void *recv, double timeoutSeconds,
                           longnet_comm_error *error);
  /* recv[0, count) = the sum over the group of `groupSize` consecutive
   * ranks of their send[k * count, (k + 1) * count), k this rank's index in
   * the group; elements are f32 (isF64 = 0) or f64. */
  lnrt_status (*reduceScatter)(int groupSize, const void *send, size_t count,
                               int isF64, void *recv, double timeoutSeconds,
                               longnet_comm_error *error);
  lnrt_status (*gatherToRoot)(const void *send, size_t bytes, void *recv,
                              double timeoutSeconds, longnet_comm_error *error);
  lnrt_status (*broadcast)(void *buf, size_t bytes, int root,
                           double timeoutSeconds, longnet_comm_error *error);
  lnrt_status (*barrier)(double timeoutSeconds, longnet_comm_error *error);
  lnrt_status (*finalize)(longnet_comm_error *error);
} longnet_mpi_plugin_table;

typedef const longnet_mpi_plugin_table *(*longnet_mpi_plugin_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* LONGNET_RUNTIME_LIB_COMMPLUGIN_H */
