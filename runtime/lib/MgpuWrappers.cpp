//===- MgpuWrappers.cpp - The mgpu* ABI of MLIR's gpu-to-llvm -------------===//
//
// Part of the longnet-mlir project.
//
// The functions that host code lowered by MLIR 22's `gpu-to-llvm` calls,
// with the signatures of upstream's CudaRuntimeWrappers.cpp (cusparse
// excluded), over the driver that CudaDriver.cpp loads at first use.
//
// Unlike upstream, nothing aborts or prints: a failure becomes the sticky
// error that lnrt_check_cuda_error() (and lnrt_model_call) report, and a
// later call with the null handle that a failed call returned does nothing.
// While the thread has a current stream (lnrt_set_current_stream),
// mgpuStreamCreate returns it and mgpuStreamDestroy leaves it alone, so that
// a compiled model's kernels run on the caller's stream.
//
//===----------------------------------------------------------------------===//

#include "CudaDriver.h"

#include <cstring>

using namespace longnet::rt;

#define MGPU_EXPORT extern "C" __attribute__((visibility("default")))

namespace {

/// Records a failure of `function` and returns whether `outcome` succeeded.
bool report(const char *function, const Outcome &outcome) {
  if (outcome)
    return true;
  recordStickyError(Outcome::failure(
      outcome.status, std::string(function) + ": " + outcome.message));
  return false;
}

bool enter(const char *function) { return report(function, enterContext()); }

/// Records that `function` got a null `what` (an earlier call failed).
bool requireHandle(const char *function, const void *handle, const char *what) {
  if (handle)
    return true;
  recordStickyError(Outcome::failure(LNRT_ERROR_INVALID_ARGUMENT,
                                     std::string(function) + ": null " + what +
                                         " (did an earlier call fail?)"));
  return false;
}

/// Allows `smem` bytes of dynamic shared memory for `function` when that is
/// more than the 48 KiB every kernel may use.
bool allowSharedMemory(const char *function, CUfunction kernel, int32_t smem) {
  constexpr int32_t kDefaultLimit = 48 * 1024;
  if (smem <= kDefaultLimit)
    return true;
  int maxOptIn = 0;
  CUdevice device = 0;
  if (!report(function, LONGNET_CU_CALL(cuDeviceGet, &device, currentDevice())))
    return false;
  if (!report(
          function,
          LONGNET_CU_CALL(cuDeviceGetAttribute, &maxOptIn,
                          CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN,
                          device)))
    return false;
  if (smem > maxOptIn) {
    recordStickyError(Outcome::failure(
        LNRT_ERROR_CUDA, std::string(function) + ": the kernel needs " +
                             std::to_string(smem) +
                             " bytes of shared memory, the device allows " +
                             std::to_string(maxOptIn)));
    return false;
  }
  return report(function,
                LONGNET_CU_CALL(cuFuncSetAttribute, kernel,
                                CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
                                smem));
}

} // namespace

//===----------------------------------------------------------------------===//
// Modules and kernels
//===----------------------------------------------------------------------===//

MGPU_EXPORT CUmodule mgpuModuleLoad(void *data, size_t /*gpuBlobSize*/) {
  CUmodule module = nullptr;
  if (enter(__func__) && requireHandle(__func__, data, "binary"))
    report(__func__, LONGNET_CU_CALL(cuModuleLoadData, &module, data));
  return module;
}

MGPU_EXPORT CUmodule mgpuModuleLoadJIT(void *data, int optLevel,
                                       size_t /*assemblySize*/) {
  CUmodule module = nullptr;
  if (!enter(__func__) || !requireHandle(__func__, data, "assembly"))
    return nullptr;
  char log[4096] = {0};
  CUjit_option options[] = {CU_JIT_ERROR_LOG_BUFFER,
                            CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES,
                            CU_JIT_OPTIMIZATION_LEVEL};
  void *values[] = {log, reinterpret_cast<void *>(sizeof(log)),
                    reinterpret_cast<void *>(intptr_t(optLevel))};
  Outcome outcome =
      LONGNET_CU_CALL(cuModuleLoadDataEx, &module, data, 3, options, values);
  if (!outcome && log[0])
    outcome.message += std::string(": ") + log;
  report(__func__, outcome);
  return module;
}

MGPU_EXPORT void mgpuModuleUnload(CUmodule module) {
  // Runs from global destructors too, possibly after a failed load.
  if (module && enter(__func__)) {
    Outcome outcome = LONGNET_CU_CALL(cuModuleUnload, module);
    if (outcome.message.find("CUDA_ERROR_DEINITIALIZED") == std::string::npos)
      report(__func__, outcome);
  }
}

MGPU_EXPORT CUfunction mgpuModuleGetFunction(CUmodule module,
                                             const char *name) {
  CUfunction function = nullptr;
  if (enter(__func__) && requireHandle(__func__, module, "module") &&
      requireHandle(__func__, name, "kernel name"))
    report(__func__,
           LONGNET_CU_CALL(cuModuleGetFunction, &function, module, name));
  return function;
}

MGPU_EXPORT void mgpuLaunchKernel(CUfunction function, intptr_t gridX,
                                  intptr_t gridY, intptr_t gridZ,
                                  intptr_t blockX, intptr_t blockY,
                                  intptr_t blockZ, int32_t smem,
                                  CUstream stream, void **params, void **extra,
                                  size_t /*paramsCount*/) {
  if (!enter(__func__) || !requireHandle(__func__, function, "kernel") ||
      !allowSharedMemory(__func__, function, smem))
    return;
  report(__func__,
         LONGNET_CU_CALL(cuLaunchKernel, function, gridX, gridY, gridZ, blockX,
                         blockY, blockZ, smem, stream, params, extra));
}

MGPU_EXPORT void mgpuLaunchClusterKernel(
    CUfunction function, intptr_t clusterX, intptr_t clusterY,
    intptr_t clusterZ, intptr_t gridX, intptr_t gridY, intptr_t gridZ,
    intptr_t blockX, intptr_t blockY, intptr_t blockZ, int32_t smem,
    CUstream stream, void **params, void **extra, size_t /*paramsCount*/) {
  if (!enter(__func__) || !requireHandle(__func__, function, "kernel") ||
      !allowSharedMemory(__func__, function, smem))
    return;
  CUlaunchAttribute attribute;
  std::memset(&attribute, 0, sizeof(attribute));
  attribute.id = CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION;
  attribute.value.clusterDim.x = unsigned(clusterX);
  attribute.value.clusterDim.y = unsigned(clusterY);
  attribute.value.clusterDim.z = unsigned(clusterZ);
  CUlaunchConfig config;
  std::memset(&config, 0, sizeof(config));
  config.gridDimX = unsigned(gridX);
  config.gridDimY = unsigned(gridY);
  config.gridDimZ = unsigned(gridZ);
  config.blockDimX = unsigned(blockX);
  config.blockDimY = unsigned(blockY);
  config.blockDimZ = unsigned(blockZ);
  config.sharedMemBytes = unsigned(smem);
  config.hStream = stream;
  config.attrs = &attribute;
  config.numAttrs = 1;
  report(__func__,
         LONGNET_CU_CALL(cuLaunchKernelEx, &config, function, params, extra));
}

//===----------------------------------------------------------------------===//
// Streams and events
//===----------------------------------------------------------------------===//

MGPU_EXPORT CUstream mgpuStreamCreate() {
  if (CUstream current = currentStream())
    return current;
  CUstream stream = nullptr;
  if (enter(__func__))
    report(__func__,
           LONGNET_CU_CALL(cuStreamCreate, &stream, CU_STREAM_NON_BLOCKING));
  return stream;
}

MGPU_EXPORT void mgpuStreamDestroy(CUstream stream) {
  if (!stream || stream == currentStream())
    return;
  if (enter(__func__))
    report(__func__, LONGNET_CU_CALL(cuStreamDestroy, stream));
}

MGPU_EXPORT void mgpuStreamSynchronize(CUstream stream) {
  if (enter(__func__))
    report(__func__, LONGNET_CU_CALL(cuStreamSynchronize, stream));
}

MGPU_EXPORT void mgpuStreamWaitEvent(CUstream stream, CUevent event) {
  if (enter(__func__) && requireHandle(__func__, event, "event"))
    report(__func__, LONGNET_CU_CALL(cuStreamWaitEvent, stream, event, 0));
}

MGPU_EXPORT CUevent mgpuEventCreate() {
  CUevent event = nullptr;
  if (enter(__func__))
    report(__func__,
           LONGNET_CU_CALL(cuEventCreate, &event, CU_EVENT_DISABLE_TIMING));
  return event;
}

MGPU_EXPORT void mgpuEventDestroy(CUevent event) {
  if (event && enter(__func__))
    report(__func__, LONGNET_CU_CALL(cuEventDestroy, event));
}

MGPU_EXPORT void mgpuEventSynchronize(CUevent event) {
  if (enter(__func__) && requireHandle(__func__, event, "event"))
    report(__func__, LONGNET_CU_CALL(cuEventSynchronize, event));
}

MGPU_EXPORT void mgpuEventRecord(CUevent event, CUstream stream) {
  if (enter(__func__) && requireHandle(__func__, event, "event"))
    report(__func__, LONGNET_CU_CALL(cuEventRecord, event, stream));
}

//===----------------------------------------------------------------------===//
// Memory
//===----------------------------------------------------------------------===//

MGPU_EXPORT void *mgpuMemAlloc(uint64_t sizeBytes, CUstream /*stream*/,
                               bool isHostShared) {
  CUdeviceptr pointer = 0;
  if (sizeBytes == 0 || !enter(__func__))
    return nullptr;
  if (isHostShared)
    report(__func__, LONGNET_CU_CALL(cuMemAllocManaged, &pointer, sizeBytes,
                                     CU_MEM_ATTACH_GLOBAL));
  else
    report(__func__, LONGNET_CU_CALL(cuMemAlloc, &pointer, sizeBytes));
  return reinterpret_cast<void *>(pointer);
}

MGPU_EXPORT void mgpuMemFree(void *ptr, CUstream /*stream*/) {
  if (ptr && enter(__func__))
    report(__func__,
           LONGNET_CU_CALL(cuMemFree, reinterpret_cast<CUdeviceptr>(ptr)));
}

MGPU_EXPORT void mgpuMemcpy(void *dst, void *src, size_t sizeBytes,
                            CUstream stream) {
  if (sizeBytes == 0 || !enter(__func__) ||
      !requireHandle(__func__, dst, "destination") ||
      !requireHandle(__func__, src, "source"))
    return;
  report(__func__, LONGNET_CU_CALL(
                       cuMemcpyAsync, reinterpret_cast<CUdeviceptr>(dst),
                       reinterpret_cast<CUdeviceptr>(src), sizeBytes, stream));
}

MGPU_EXPORT void mgpuMemset32(void *dst, unsigned int value, size_t count,
                              CUstream stream) {
  if (count == 0 || !enter(__func__) ||
      !requireHandle(__func__, dst, "destination"))
    return;
  report(__func__,
         LONGNET_CU_CALL(cuMemsetD32Async, reinterpret_cast<CUdeviceptr>(dst),
                         value, count, stream));
}

MGPU_EXPORT void mgpuMemset16(void *dst, unsigned short value, size_t count,
                              CUstream stream) {
  if (count == 0 || !enter(__func__) ||
      !requireHandle(__func__, dst, "destination"))
    return;
  report(__func__,
         LONGNET_CU_CALL(cuMemsetD16Async, reinterpret_cast<CUdeviceptr>(dst),
                         value, count, stream));
}

//===----------------------------------------------------------------------===//
// Host registration
//===----------------------------------------------------------------------===//

namespace {

/// A ranked memref descriptor seen as bytes: {allocated, aligned, offset,
/// sizes[rank], strides[rank]}.
struct ByteMemRef {
  char *allocated;
  char *aligned;
  int64_t offset;
  int64_t sizes[1];
};

} // namespace

MGPU_EXPORT void mgpuMemHostRegister(void *ptr, uint64_t sizeBytes) {
  if (enter(__func__) && requireHandle(__func__, ptr, "pointer"))
    report(__func__, LONGNET_CU_CALL(cuMemHostRegister, ptr, sizeBytes, 0));
}

/// Registers the dense buffer that `descriptor` (rank `rank`) views.
MGPU_EXPORT void mgpuMemHostRegisterMemRef(int64_t rank, ByteMemRef *descriptor,
                                           int64_t elementSizeBytes) {
  if (!requireHandle(__func__, descriptor, "descriptor"))
    return;
  const int64_t *sizes = descriptor->sizes;
  const int64_t *strides = sizes + rank;
  int64_t elements = 1;
  for (int64_t dim = rank - 1; dim >= 0; --dim) {
    if (sizes[dim] != 1 && strides[dim] != elements) {
      recordStickyError(Outcome::failure(LNRT_ERROR_INVALID_ARGUMENT,
                                         std::string(__func__) +
                                             ": the memref is not contiguous"));
      return;
    }
    elements *= sizes[dim];
  }
  mgpuMemHostRegister(descriptor->aligned +
                          descriptor->offset * elementSizeBytes,
                      uint64_t(elements * elementSizeBytes));
}

MGPU_EXPORT void mgpuMemHostUnregister(void *ptr) {
  if (enter(__func__) && requireHandle(__func__, ptr, "pointer"))
    report(__func__, LONGNET_CU_CALL(cuMemHostUnregister, ptr));
}

MGPU_EXPORT void mgpuMemHostUnregisterMemRef(int64_t /*rank*/,
                                             ByteMemRef *descriptor,
                                             int64_t elementSizeBytes) {
  if (requireHandle(__func__, descriptor, "descriptor"))
    mgpuMemHostUnregister(descriptor->aligned +
                          descriptor->offset * elementSizeBytes);
}

MGPU_EXPORT void mgpuSetDefaultDevice(int32_t device) {
  setCurrentDevice(device);
}

//===----------------------------------------------------------------------===//
// TMA descriptors (sm_90)
//===----------------------------------------------------------------------===//

MGPU_EXPORT void mgpuTensorMapEncodeTiled(
    CUtensorMap *tensorMap, CUtensorMapDataType tensorDataType,
    cuuint32_t tensorRank, void *globalAddress, const cuuint64_t *globalDim,
    const cuuint64_t *globalStrides, const cuuint32_t *boxDim,
    const cuuint32_t *elementStrides, CUtensorMapInterleave interleave,
    CUtensorMapSwizzle swizzle, CUtensorMapL2promotion l2Promotion,
    CUtensorMapFloatOOBfill oobFill) {
  if (enter(__func__) && requireHandle(__func__, tensorMap, "tensor map"))
    report(__func__,
           LONGNET_CU_CALL(cuTensorMapEncodeTiled, tensorMap, tensorDataType,
                           tensorRank, globalAddress, globalDim, globalStrides,
                           boxDim, elementStrides, interleave, swizzle,
                           l2Promotion, oobFill));
}

/// Encodes a tiled TMA descriptor of the row-major memref `descriptor` with
/// boxes of `inputBoxDims` (outermost first) and returns a device copy of it.
MGPU_EXPORT void *mgpuTensorMapEncodeTiledMemref(
    int64_t tensorRank, ByteMemRef *descriptor,
    const CUtensorMapDataType tensorDataType, CUtensorMapInterleave interleave,
    CUtensorMapSwizzle swizzle, CUtensorMapL2promotion l2Promotion,
    CUtensorMapFloatOOBfill oobFill, int64_t *inputBoxDims) {
  // Bytes per element of each CUtensorMapDataType, in enum order.
  static const int elementSizes[] = {1, 2, 4, 4, 8, 8, 2, 4, 8, 2, 4, 4, 4};
  if (!requireHandle(__func__, descriptor, "descriptor") ||
      !requireHandle(__func__, inputBoxDims, "box sizes"))
    return nullptr;
  if (tensorRank < 1 || tensorRank > 5 ||
      unsigned(tensorDataType) >=
          sizeof(elementSizes) / sizeof(elementSizes[0])) {
    recordStickyError(Outcome::failure(LNRT_ERROR_INVALID_ARGUMENT,
                                       std::string(__func__) +
                                           ": unsupported rank or data type"));
    return nullptr;
  }
  // The driver wants the innermost dimension first and the byte strides of
  // dimensions 1 and up.
  cuuint32_t boxDim[5] = {0}, elementStrides[5] = {0};
  cuuint64_t globalDim[5] = {0}, globalStrides[5] = {0};
  for (int64_t r = 0; r < tensorRank; ++r) {
    elementStrides[r] = 1;
    boxDim[r] = cuuint32_t(inputBoxDims[tensorRank - r - 1]);
    globalDim[r] = cuuint64_t(descriptor->sizes[tensorRank - r - 1]);
  }
  uint64_t stride = elementSizes[tensorDataType];
  for (int64_t r = 0; r + 1 < tensorRank; ++r) {
    stride *= globalDim[r];
    globalStrides[r] = stride;
  }
  CUtensorMap tensorMap;
  std::memset(&tensorMap, 0, sizeof(tensorMap));
  Outcome before = takeStickyError();
  mgpuTensorMapEncodeTiled(&tensorMap, tensorDataType, cuuint32_t(tensorRank),
                           descriptor->aligned, globalDim, globalStrides,
                           boxDim, elementStrides, interleave, swizzle,
                           l2Promotion, oobFill);
  Outcome encoded = takeStickyError();
  recordStickyError(before);
  recordStickyError(encoded);
  if (!encoded)
    return nullptr;
  CUdeviceptr copy = 0;
  if (!report(__func__, LONGNET_CU_CALL(cuMemAlloc, &copy, sizeof(tensorMap))))
    return nullptr;
  if (!report(__func__,
              LONGNET_CU_CALL(cuMemcpy, copy,
                              reinterpret_cast<CUdeviceptr>(&tensorMap),
                              sizeof(tensorMap))))
    return nullptr;
  return reinterpret_cast<void *>(copy);
}
