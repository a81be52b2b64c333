//===- CudaDriver.cpp - The CUDA driver loaded at first use ---------------===//
//
// Part of the longnet-mlir project.
//
//===----------------------------------------------------------------------===//

#include "CudaDriver.h"

#include <dlfcn.h>

#include <map>
#include <mutex>

using namespace longnet::rt;

namespace {

// The symbol a name of cuda.h resolves to, after its macros: cuMemAlloc is
// "cuMemAlloc_v2", as a program linked against the driver would call it.
#define LONGNET_STRINGIFY_EXPANDED(name) LONGNET_STRINGIFY(name)
#define LONGNET_STRINGIFY(name) #name

struct DriverState {
  CudaDriver functions;
  Outcome loaded;
};

DriverState &driverState() {
  static DriverState state;
  return state;
}

Outcome openDriver(CudaDriver &functions) {
  void *library = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    const char *reason = dlerror();
    return Outcome::failure(LNRT_ERROR_NO_DRIVER,
                            std::string("no CUDA driver: cannot load "
                                        "libcuda.so.1 (") +
                                (reason ? reason : "unknown reason") + ")");
  }
#define LONGNET_LOOK_UP(name)                                                  \
  functions.name = reinterpret_cast<decltype(functions.name)>(                 \
      dlsym(library, LONGNET_STRINGIFY_EXPANDED(name)));
  LONGNET_CUDA_DRIVER_FUNCTIONS(LONGNET_LOOK_UP)
#undef LONGNET_LOOK_UP
  if (!functions.cuInit || !functions.cuGetErrorName)
    return Outcome::failure(LNRT_ERROR_NO_DRIVER,
                            "no CUDA driver: libcuda.so.1 lacks cuInit");
  return Outcome::success();
}

thread_local int threadDevice = 0;
thread_local CUstream threadStream = nullptr;

std::mutex stickyMutex;
Outcome stickyError;

} // namespace

Outcome longnet::rt::loadDriver() {
  static std::once_flag once;
  std::call_once(once, [] {
    DriverState &state = driverState();
    state.loaded = openDriver(state.functions);
    if (!state.loaded)
      return;
    state.loaded = LONGNET_CU_CALL(cuInit, 0);
    if (state.loaded.status == LNRT_ERROR_CUDA &&
        state.loaded.message.find("CUDA_ERROR_NO_DEVICE") != std::string::npos)
      state.loaded.status = LNRT_ERROR_NO_DEVICE;
  });
  return driverState().loaded;
}

const CudaDriver &longnet::rt::driver() { return driverState().functions; }

Outcome longnet::rt::checkResult(CUresult result, const char *what) {
  if (result == CUDA_SUCCESS)
    return Outcome::success();
  const char *name = nullptr;
  const char *description = nullptr;
  if (driver().cuGetErrorName)
    driver().cuGetErrorName(result, &name);
  if (driver().cuGetErrorString)
    driver().cuGetErrorString(result, &description);
  std::string message = std::string(what) + " failed: " +
                        (name ? name : "CUDA error " + std::to_string(result));
  if (description)
    message += std::string(" (") + description + ")";
  lnrt_status status = LNRT_ERROR_CUDA;
  if (result == CUDA_ERROR_OUT_OF_MEMORY)
    status = LNRT_ERROR_OUT_OF_MEMORY;
  else if (result == CUDA_ERROR_NO_DEVICE ||
           result == CUDA_ERROR_INVALID_DEVICE)
    status = LNRT_ERROR_NO_DEVICE;
  return Outcome::failure(status, std::move(message));
}

Outcome longnet::rt::enterContext() {
  if (Outcome loaded = loadDriver(); !loaded)
    return loaded;
  // Primary contexts retained so far, by device ordinal.
  static std::mutex mutex;
  static std::map<int, CUcontext> contexts;
  CUcontext context = nullptr;
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto found = contexts.find(threadDevice);
    if (found != contexts.end()) {
      context = found->second;
    } else {
      CUdevice device = 0;
      if (Outcome outcome = LONGNET_CU_CALL(cuDeviceGet, &device, threadDevice);
          !outcome)
        return outcome;
      if (Outcome outcome =
              LONGNET_CU_CALL(cuDevicePrimaryCtxRetain, &context, device);
          !outcome)
        return outcome;
      contexts[threadDevice] = context;
    }
  }
  CUcontext current = nullptr;
  if (driver().cuCtxGetCurrent &&
      driver().cuCtxGetCurrent(&current) == CUDA_SUCCESS && current == context)
    return Outcome::success();
  return LONGNET_CU_CALL(cuCtxSetCurrent, context);
}

int longnet::rt::currentDevice() { return threadDevice; }
void longnet::rt::setCurrentDevice(int device) { threadDevice = device; }

CUstream longnet::rt::currentStream() { return threadStream; }
void longnet::rt::setCurrentStream(CUstream stream) { threadStream = stream; }

void longnet::rt::recordStickyError(const Outcome &outcome) {
  if (outcome)
    return;
  std::lock_guard<std::mutex> lock(stickyMutex);
  if (stickyError)
    stickyError = outcome;
}

Outcome longnet::rt::takeStickyError() {
  std::lock_guard<std::mutex> lock(stickyMutex);
  Outcome taken = std::move(stickyError);
  stickyError = Outcome::success();
  return taken;
}
