//===- CudaDriver.h - The CUDA driver loaded at first use -------*- C++ -*-===//
//
// Part of the longnet-mlir project.
//
// libcuda.so.1 is opened with dlopen the first time a device is needed, and
// its entry points are looked up by the names cuda.h maps them to (e.g.
// cuMemAlloc -> cuMemAlloc_v2). cuda.h provides the types only: nothing here
// links the driver. Errors are returned as messages; the mgpu* wrappers keep
// the first of them as the "sticky" error (recordStickyError).
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_RUNTIME_LIB_CUDADRIVER_H
#define LONGNET_RUNTIME_LIB_CUDADRIVER_H

#include "longnet-runtime/lnrt.h"

#include <cuda.h>

#include <string>

namespace longnet {
namespace rt {

// Every driver function the runtime calls.
#define LONGNET_CUDA_DRIVER_FUNCTIONS(X)                                       \
  X(cuInit)                                                                    \
  X(cuDriverGetVersion)                                                        \
  X(cuGetErrorName)                                                            \
  X(cuGetErrorString)                                                          \
  X(cuDeviceGet)                                                               \
  X(cuDeviceGetCount)                                                          \
  X(cuDeviceGetName)                                                           \
  X(cuDeviceGetAttribute)                                                      \
  X(cuDevicePrimaryCtxRetain)                                                  \
  X(cuCtxGetCurrent)                                                           \
  X(cuCtxSetCurrent)                                                           \
  X(cuModuleLoadData)                                                          \
  X(cuModuleLoadDataEx)                                                        \
  X(cuModuleUnload)                                                            \
  X(cuModuleGetFunction)                                                       \
  X(cuFuncSetAttribute)                                                        \
  X(cuLaunchKernel)                                                            \
  X(cuLaunchKernelEx)                                                          \
  X(cuStreamCreate)                                                            \
  X(cuStreamDestroy)                                                           \
  X(cuStreamSynchronize)                                                       \
  X(cuStreamWaitEvent)                                                         \
  X(cuEventCreate)                                                             \
  X(cuEventDestroy)                                                            \
  X(cuEventRecord)                                                             \
  X(cuEventSynchronize)                                                        \
  X(cuEventElapsedTime)                                                        \
  X(cuMemAlloc)                                                                \
  X(cuMemAllocManaged)                                                         \
  X(cuMemFree)                                                                 \
  X(cuMemcpy)                                                                  \
  X(cuMemcpyAsync)                                                             \
  X(cuMemsetD8)                                                                \
  X(cuMemsetD8Async)                                                           \
  X(cuMemsetD16Async)                                                          \
  X(cuMemsetD32Async)                                                          \
  X(cuMemHostRegister)                                                         \
  X(cuMemHostUnregister)                                                       \
  X(cuTensorMapEncodeTiled)

/// The driver's entry points. A name the driver lacks stays null and fails
/// when called (call() below).
struct CudaDriver {
#define LONGNET_DECLARE_POINTER(name) decltype(&::name) name = nullptr;
  LONGNET_CUDA_DRIVER_FUNCTIONS(LONGNET_DECLARE_POINTER)
#undef LONGNET_DECLARE_POINTER
};

/// The result of a driver operation: a status and, on failure, a message.
struct Outcome {
  lnrt_status status = LNRT_SUCCESS;
  std::string message;

  static Outcome success() { return {}; }
  static Outcome failure(lnrt_status status, std::string message) {
    return {status, std::move(message)};
  }
  explicit operator bool() const { return status == LNRT_SUCCESS; }
};

/// Sets this thread's lnrt_get_last_error() message when `outcome` failed
/// and returns its status: how every lnrt_* function returns.
lnrt_status returnOutcome(const Outcome &outcome);
inline lnrt_status returnFailure(lnrt_status status, std::string message) {
  return returnOutcome(Outcome::failure(status, std::move(message)));
}

/// Loads libcuda.so.1 and calls cuInit(0), once per process. On failure,
/// without a driver: "no CUDA driver: cannot load libcuda.so.1 (<dlerror>)".
Outcome loadDriver();

/// The loaded driver; only after loadDriver() succeeded.
const CudaDriver &driver();

/// loadDriver(), then makes the primary context of this thread's device
/// current on this thread (retained once per device and never released).
Outcome enterContext();

/// This thread's device (mgpuSetDefaultDevice, lnrt_set_device).
int currentDevice();
void setCurrentDevice(int device);

/// "cuMemAlloc failed: CUDA_ERROR_OUT_OF_MEMORY (out of memory)", with the
/// matching status; success for CUDA_SUCCESS.
Outcome checkResult(CUresult result, const char *what);

/// The per-thread current stream of lnrt_set_current_stream (null if none).
CUstream currentStream();
void setCurrentStream(CUstream stream);

/// Records `outcome` as the sticky error unless one is already recorded.
void recordStickyError(const Outcome &outcome);
/// Returns the sticky error and clears it.
Outcome takeStickyError();

} // namespace rt
} // namespace longnet

/// Calls a driver entry point, failing cleanly when the driver lacks it.
#define LONGNET_CU_CALL(name, ...)                                             \
  (::longnet::rt::driver().name                                                \
       ? ::longnet::rt::checkResult(::longnet::rt::driver().name(__VA_ARGS__), \
                                    #name)                                     \
       : ::longnet::rt::Outcome::failure(LNRT_ERROR_CUDA,                      \
                                         "the CUDA driver has no " #name))

#endif // LONGNET_RUNTIME_LIB_CUDADRIVER_H
