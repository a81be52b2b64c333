/*===- lnrt.h - The LongNet runtime C API -------------------------*- C -*-===*\
|*                                                                            *|
|* Part of the longnet-mlir project.                                          *|
|*                                                                            *|
|* liblongnet_runtime.so: CUDA devices, memory, streams and events, and the   *|
|* models our compiler emits as shared libraries (a manifest plus one packed  *|
|* function per entry; docs/longnet-exec.md). The CUDA driver is loaded with  *|
|* dlopen("libcuda.so.1") at first use: without it every device call returns  *|
|* LNRT_ERROR_NO_DRIVER and CPU models still run.                             *|
|*                                                                            *|
|* Every function returns an lnrt_status; on failure lnrt_get_last_error()    *|
|* gives a one-line message (per thread, until the next failing call).        *|
|* docs/runtime.md describes the whole API.                                   *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef LONGNET_RUNTIME_LNRT_H
#define LONGNET_RUNTIME_LNRT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LNRT_EXPORT __attribute__((visibility("default")))

typedef enum lnrt_status {
  LNRT_SUCCESS = 0,
  /// A null pointer, an unknown enum value, a count or shape that does not
  /// match what the callee expects.
  LNRT_ERROR_INVALID_ARGUMENT = 1,
  /// libcuda.so.1 cannot be loaded.
  LNRT_ERROR_NO_DRIVER = 2,
  /// The driver loaded but reports no usable device (or a bad ordinal).
  LNRT_ERROR_NO_DEVICE = 3,
  /// A CUDA driver call failed; the message names the call and the error.
  LNRT_ERROR_CUDA = 4,
  LNRT_ERROR_OUT_OF_MEMORY = 5,
  /// A model file is missing or cannot be dlopen'ed, or is not a model.
  LNRT_ERROR_LOAD = 6,
  /// The model's manifest is malformed.
  LNRT_ERROR_MANIFEST = 7,
  /// No such entry, or the entry has no reference variant.
  LNRT_ERROR_NOT_FOUND = 8,
  /// The compiled code returned something its manifest does not allow.
  LNRT_ERROR_MODEL = 9,
  /// A collective failed or timed out (lnrt_comm.h); the communicator is
  /// unusable afterwards.
  LNRT_ERROR_COMM = 10,
  /* Not a value: makes every int in [0, INT32_MAX] a valid value of the
     type in C++ too, so that an implementation may check what C passes. */
  LNRT_STATUS_MAX_ENUM = 0x7fffffff,
} lnrt_status;

typedef enum lnrt_dtype {
  LNRT_F16 = 0,
  LNRT_BF16 = 1,
  LNRT_F32 = 2,
  LNRT_F64 = 3,
  /* Not a value: makes every int in [0, INT32_MAX] a valid value of the
     type in C++ too, so that an implementation may check what C passes. */
  LNRT_DTYPE_MAX_ENUM = 0x7fffffff,
} lnrt_dtype;

typedef enum lnrt_memory {
  LNRT_MEMORY_HOST = 0,
  LNRT_MEMORY_DEVICE = 1,
  /* Not a value: makes every int in [0, INT32_MAX] a valid value of the
     type in C++ too, so that an implementation may check what C passes. */
  LNRT_MEMORY_MAX_ENUM = 0x7fffffff,
} lnrt_memory;

typedef enum lnrt_target {
  LNRT_TARGET_CPU = 0,
  LNRT_TARGET_CUDA = 1,
  /* Not a value: makes every int in [0, INT32_MAX] a valid value of the
     type in C++ too, so that an implementation may check what C passes. */
  LNRT_TARGET_MAX_ENUM = 0x7fffffff,
} lnrt_target;

#define LNRT_MAX_RANK 8
/// A dynamic dimension in the shapes that the model queries return.
#define LNRT_DYNAMIC (-1)

/// A dense, row-major tensor. `data` is a host pointer (LNRT_MEMORY_HOST) or
/// a device pointer of the current device (LNRT_MEMORY_DEVICE).
typedef struct lnrt_tensor {
  void *data;
  lnrt_dtype dtype;
  int32_t rank;
  int64_t shape[LNRT_MAX_RANK];
  lnrt_memory memory;
} lnrt_tensor;

/// A CUstream; NULL is the legacy default stream.
typedef struct lnrt_stream_st *lnrt_stream;
/// A CUevent created with timing enabled.
typedef struct lnrt_event_st *lnrt_event;
/// A loaded model.
typedef struct lnrt_model lnrt_model;

/*===--------------------------------------------------------------------===*\
|* Errors                                                                    *|
\*===--------------------------------------------------------------------===*/

/// "LNRT_SUCCESS", "LNRT_ERROR_NO_DRIVER", ...; "LNRT_ERROR_UNKNOWN" else.
LNRT_EXPORT const char *lnrt_status_string(lnrt_status status);
/// The message of this thread's last failing call ("" when none).
LNRT_EXPORT const char *lnrt_get_last_error(void);
/// Returns and clears the first error that the mgpu* functions (which
/// compiled code calls and which cannot return one) recorded since the last
/// clear: LNRT_SUCCESS when none, else its status with the message in
/// lnrt_get_last_error().
LNRT_EXPORT lnrt_status lnrt_check_cuda_error(void);

/// "f16", "bf16", "f32", "f64"; NULL for another value.
LNRT_EXPORT const char *lnrt_dtype_name(lnrt_dtype dtype);
/// Bytes per element; 0 for an unknown dtype.
LNRT_EXPORT size_t lnrt_dtype_size(lnrt_dtype dtype);

/*===--------------------------------------------------------------------===*\
|* Driver and devices                                                        *|
\*===--------------------------------------------------------------------===*/

/// Loads the driver and calls cuInit. Every device call does this itself.
LNRT_EXPORT lnrt_status lnrt_init(void);
/// *available = 1 when libcuda.so.1 loads and cuInit succeeds, else 0. Never
/// fails for a non-null pointer (the reason is in lnrt_get_last_error()).
LNRT_EXPORT lnrt_status lnrt_cuda_available(int *available);
/// The driver's CUDA version, e.g. 13000.
LNRT_EXPORT lnrt_status lnrt_driver_version(int *version);
LNRT_EXPORT lnrt_status lnrt_device_count(int *count);
/// Copies the device's name, NUL-terminated and truncated to `size` bytes.
LNRT_EXPORT lnrt_status lnrt_device_name(int device, char *name, size_t size);
/// The compute capability, e.g. 9 and 0 for sm_90.
LNRT_EXPORT lnrt_status lnrt_device_capability(int device, int *major,
                                               int *minor);
/// The device that this thread's calls (and mgpu* calls) use; default 0.
LNRT_EXPORT lnrt_status lnrt_set_device(int device);
LNRT_EXPORT lnrt_status lnrt_get_device(int *device);

/*===--------------------------------------------------------------------===*\
|* Device memory                                                             *|
\*===--------------------------------------------------------------------===*/

/// cuMemAlloc; `bytes` == 0 gives NULL.
LNRT_EXPORT lnrt_status lnrt_malloc(void **ptr, size_t bytes);
/// cuMemFree; NULL is a no-op.
LNRT_EXPORT lnrt_status lnrt_free(void *ptr);
/// Synchronous copies (host memory may be pageable).
LNRT_EXPORT lnrt_status lnrt_memcpy_htod(void *dst, const void *src,
                                         size_t bytes);
LNRT_EXPORT lnrt_status lnrt_memcpy_dtoh(void *dst, const void *src,
                                         size_t bytes);
LNRT_EXPORT lnrt_status lnrt_memcpy_dtod(void *dst, const void *src,
                                         size_t bytes);
/// Copies ordered on `stream` (asynchronous for page-locked host memory).
LNRT_EXPORT lnrt_status lnrt_memcpy_htod_async(void *dst, const void *src,
                                               size_t bytes,
                                               lnrt_stream stream);
LNRT_EXPORT lnrt_status lnrt_memcpy_dtoh_async(void *dst, const void *src,
                                               size_t bytes,
                                               lnrt_stream stream);
LNRT_EXPORT lnrt_status lnrt_memcpy_dtod_async(void *dst, const void *src,
                                               size_t bytes,
                                               lnrt_stream stream);
/// Sets `bytes` bytes of device memory to `value`.
LNRT_EXPORT lnrt_status lnrt_memset_d8(void *dst, uint8_t value, size_t bytes);
LNRT_EXPORT lnrt_status lnrt_memset_d8_async(void *dst, uint8_t value,
                                             size_t bytes, lnrt_stream stream);

/*===--------------------------------------------------------------------===*\
|* Streams and events                                                        *|
\*===--------------------------------------------------------------------===*/

/// A non-blocking stream.
LNRT_EXPORT lnrt_status lnrt_stream_create(lnrt_stream *stream);
LNRT_EXPORT lnrt_status lnrt_stream_destroy(lnrt_stream stream);
LNRT_EXPORT lnrt_status lnrt_stream_synchronize(lnrt_stream stream);

/// While a stream is current on a thread, the mgpuStreamCreate of compiled
/// code returns it (and mgpuStreamDestroy leaves it alone), so that compiled
/// kernels run on the caller's stream. NULL unsets it.
LNRT_EXPORT lnrt_status lnrt_set_current_stream(lnrt_stream stream);
LNRT_EXPORT lnrt_status lnrt_get_current_stream(lnrt_stream *stream);

LNRT_EXPORT lnrt_status lnrt_event_create(lnrt_event *event);
LNRT_EXPORT lnrt_status lnrt_event_destroy(lnrt_event event);
LNRT_EXPORT lnrt_status lnrt_event_record(lnrt_event event, lnrt_stream stream);
LNRT_EXPORT lnrt_status lnrt_event_synchronize(lnrt_event event);
/// Milliseconds between two recorded, completed events.
LNRT_EXPORT lnrt_status lnrt_event_elapsed_ms(float *ms, lnrt_event start,
                                              lnrt_event end);

/*===--------------------------------------------------------------------===*\
|* Models                                                                    *|
\*===--------------------------------------------------------------------===*/

/// dlopens a compiled model and parses its manifest. A CUDA model loads
/// without a driver; calling it then fails with LNRT_ERROR_NO_DRIVER.
LNRT_EXPORT lnrt_status lnrt_model_load(const char *path, lnrt_model **model);
/// dlcloses the model; NULL is a no-op.
LNRT_EXPORT lnrt_status lnrt_model_unload(lnrt_model *model);

LNRT_EXPORT lnrt_status lnrt_model_target(const lnrt_model *model,
                                          lnrt_target *target);
/// The manifest's chip ("sm_90"), "" when it names none.
LNRT_EXPORT lnrt_status lnrt_model_chip(const lnrt_model *model,
                                        const char **chip);
LNRT_EXPORT lnrt_status lnrt_model_entry_count(const lnrt_model *model,
                                               size_t *count);
/// The name of entry `index` (manifest order), valid until unload.
LNRT_EXPORT lnrt_status lnrt_model_entry_name(const lnrt_model *model,
                                              size_t index, const char **name);
LNRT_EXPORT lnrt_status lnrt_model_entry_arity(const lnrt_model *model,
                                               const char *entry,
                                               size_t *num_args,
                                               size_t *num_results);
/// The dtype, rank and shape (LNRT_DYNAMIC for `?`) of an argument or a
/// result; data is NULL and memory is HOST for a CPU model, DEVICE for CUDA.
LNRT_EXPORT lnrt_status lnrt_model_entry_arg(const lnrt_model *model,
                                             const char *entry, size_t index,
                                             lnrt_tensor *spec);
LNRT_EXPORT lnrt_status lnrt_model_entry_result(const lnrt_model *model,
                                                const char *entry, size_t index,
                                                lnrt_tensor *spec);
/// *has = 1 when the entry has a host reference variant.
LNRT_EXPORT lnrt_status lnrt_model_entry_has_reference(const lnrt_model *model,
                                                       const char *entry,
                                                       int *has);

/// Calls `entry` on `args` and stores its results in `results`.
///
/// Each argument must have the entry's dtype, rank and static dimensions;
/// the model is passed private copies (it may write into its arguments).
/// CPU models take HOST buffers only; CUDA models take HOST buffers (copied
/// to the device and back) or DEVICE buffers of the current device.
///
/// A result with data == NULL is allocated by the runtime in its `memory`
/// (host malloc or device memory; free it with lnrt_tensor_free) and gets
/// the returned dtype, rank and shape. A result with data != NULL must have
/// the returned dtype and shape; the result is copied into it.
///
/// CUDA models run on `stream` (made the thread's current stream for the
/// call); the call returns once that work has completed. NULL runs them
/// synchronously on streams of their own.
LNRT_EXPORT lnrt_status lnrt_model_call(lnrt_model *model, const char *entry,
                                        const lnrt_tensor *args, size_t nargs,
                                        lnrt_tensor *results, size_t nresults,
                                        lnrt_stream stream);
/// Calls the entry's host reference variant: HOST buffers only, on the CPU.
LNRT_EXPORT lnrt_status lnrt_model_call_reference(
    lnrt_model *model, const char *entry, const lnrt_tensor *args, size_t nargs,
    lnrt_tensor *results, size_t nresults);

/// Frees a tensor's data (free() or device memory, by its `memory`) and sets
/// data to NULL. NULL data is a no-op.
LNRT_EXPORT lnrt_status lnrt_tensor_free(lnrt_tensor *tensor);

#ifdef __cplusplus
}
#endif

#endif /* LONGNET_RUNTIME_LNRT_H */
