//===- Lnrt.cpp - Errors, devices, memory, streams and events -------------===//
//
// Part of the longnet-mlir project.
//
//===----------------------------------------------------------------------===//

#include "CudaDriver.h"

#include <cstring>

using namespace longnet::rt;

namespace {

thread_local std::string lastError;

CUdeviceptr devicePointer(const void *pointer) {
  return reinterpret_cast<CUdeviceptr>(pointer);
}

CUstream toCU(lnrt_stream stream) { return reinterpret_cast<CUstream>(stream); }
CUevent toCU(lnrt_event event) { return reinterpret_cast<CUevent>(event); }

lnrt_status nullArgument(const char *function, const char *name) {
  return returnFailure(LNRT_ERROR_INVALID_ARGUMENT,
                       std::string(function) + ": " + name + " is null");
}

/// enterContext(), then `call` (an Outcome-returning lambda); the status of
/// the first failure.
template <typename Call> lnrt_status withContext(Call call) {
  if (Outcome entered = enterContext(); !entered)
    return returnOutcome(entered);
  return returnOutcome(call());
}

/// Checks the pointers of a copy of `bytes` bytes.
lnrt_status checkCopy(const char *function, const void *dst, const void *src,
                      size_t bytes) {
  if (bytes && !dst)
    return nullArgument(function, "dst");
  if (bytes && !src)
    return nullArgument(function, "src");
  return LNRT_SUCCESS;
}

lnrt_status copy(const char *function, void *dst, const void *src,
                 size_t bytes) {
  if (lnrt_status status = checkCopy(function, dst, src, bytes))
    return status;
  if (bytes == 0)
    return LNRT_SUCCESS;
  return withContext([&] {
    return LONGNET_CU_CALL(cuMemcpy, devicePointer(dst), devicePointer(src),
                           bytes);
  });
}

lnrt_status copyAsync(const char *function, void *dst, const void *src,
                      size_t bytes, lnrt_stream stream) {
  if (lnrt_status status = checkCopy(function, dst, src, bytes))
    return status;
  if (bytes == 0)
    return LNRT_SUCCESS;
  return withContext([&] {
    return LONGNET_CU_CALL(cuMemcpyAsync, devicePointer(dst),
                           devicePointer(src), bytes, toCU(stream));
  });
}

} // namespace

lnrt_status longnet::rt::returnOutcome(const Outcome &outcome) {
  if (!outcome)
    lastError = outcome.message;
  return outcome.status;
}

//===----------------------------------------------------------------------===//
// Errors
//===----------------------------------------------------------------------===//

const char *lnrt_status_string(lnrt_status status) {
  switch (status) {
  case LNRT_SUCCESS:
    return "LNRT_SUCCESS";
  case LNRT_ERROR_INVALID_ARGUMENT:
    return "LNRT_ERROR_INVALID_ARGUMENT";
  case LNRT_ERROR_NO_DRIVER:
    return "LNRT_ERROR_NO_DRIVER";
  case LNRT_ERROR_NO_DEVICE:
    return "LNRT_ERROR_NO_DEVICE";
  case LNRT_ERROR_CUDA:
    return "LNRT_ERROR_CUDA";
  case LNRT_ERROR_OUT_OF_MEMORY:
    return "LNRT_ERROR_OUT_OF_MEMORY";
  case LNRT_ERROR_LOAD:
    return "LNRT_ERROR_LOAD";
  case LNRT_ERROR_MANIFEST:
    return "LNRT_ERROR_MANIFEST";
  case LNRT_ERROR_NOT_FOUND:
    return "LNRT_ERROR_NOT_FOUND";
  case LNRT_ERROR_MODEL:
    return "LNRT_ERROR_MODEL";
  case LNRT_ERROR_COMM:
    return "LNRT_ERROR_COMM";
  case LNRT_STATUS_MAX_ENUM:
    break;
  }
  return "LNRT_ERROR_UNKNOWN";
}

const char *lnrt_get_last_error(void) { return lastError.c_str(); }

lnrt_status lnrt_check_cuda_error(void) {
  return returnOutcome(takeStickyError());
}

const char *lnrt_dtype_name(lnrt_dtype dtype) {
  switch (dtype) {
  case LNRT_F16:
    return "f16";
  case LNRT_BF16:
    return "bf16";
  case LNRT_F32:
    return "f32";
  case LNRT_F64:
    return "f64";
  case LNRT_DTYPE_MAX_ENUM:
    break;
  }
  return nullptr;
}

size_t lnrt_dtype_size(lnrt_dtype dtype) {
  switch (dtype) {
  case LNRT_F16:
  case LNRT_BF16:
    return 2;
  case LNRT_F32:
    return 4;
  case LNRT_F64:
    return 8;
  case LNRT_DTYPE_MAX_ENUM:
    break;
  }
  return 0;
}

//===----------------------------------------------------------------------===//
// Driver and devices
//===----------------------------------------------------------------------===//

lnrt_status lnrt_init(void) { return returnOutcome(loadDriver()); }

lnrt_status lnrt_cuda_available(int *available) {
  if (!available)
    return nullArgument(__func__, "available");
  Outcome loaded = loadDriver();
  *available = bool(loaded);
  if (!loaded)
    lastError = loaded.message;
  return LNRT_SUCCESS;
}

lnrt_status lnrt_driver_version(int *version) {
  if (!version)
    return nullArgument(__func__, "version");
  if (Outcome loaded = loadDriver(); !loaded)
    return returnOutcome(loaded);
  return returnOutcome(LONGNET_CU_CALL(cuDriverGetVersion, version));
}

lnrt_status lnrt_device_count(int *count) {
  if (!count)
    return nullArgument(__func__, "count");
  *count = 0;
  if (Outcome loaded = loadDriver(); !loaded)
    return returnOutcome(loaded);
  return returnOutcome(LONGNET_CU_CALL(cuDeviceGetCount, count));
}

namespace {

Outcome getDevice(int ordinal, CUdevice &device) {
  if (Outcome loaded = loadDriver(); !loaded)
    return loaded;
  return LONGNET_CU_CALL(cuDeviceGet, &device, ordinal);
}

} // namespace

lnrt_status lnrt_device_name(int device, char *name, size_t size) {
  if (!name || size == 0)
    return returnFailure(LNRT_ERROR_INVALID_ARGUMENT,
                         "lnrt_device_name: name is null or size is 0");
  name[0] = '\0';
  CUdevice handle = 0;
  if (Outcome found = getDevice(device, handle); !found)
    return returnOutcome(found);
  char buffer[256] = {0};
  if (Outcome named = LONGNET_CU_CALL(cuDeviceGetName, buffer,
                                      int(sizeof(buffer) - 1), handle);
      !named)
    return returnOutcome(named);
  std::strncpy(name, buffer, size - 1);
  name[size - 1] = '\0';
  return LNRT_SUCCESS;
}

lnrt_status lnrt_device_capability(int device, int *major, int *minor) {
  if (!major || !minor)
    return nullArgument(__func__, "major or minor");
  CUdevice handle = 0;
  if (Outcome found = getDevice(device, handle); !found)
    return returnOutcome(found);
  if (Outcome got =
          LONGNET_CU_CALL(cuDeviceGetAttribute, major,
                          CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, handle);
      !got)
    return returnOutcome(got);
  return returnOutcome(
      LONGNET_CU_CALL(cuDeviceGetAttribute, minor,
                      CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, handle));
}

lnrt_status lnrt_set_device(int device) {
  int count = 0;
  if (lnrt_status status = lnrt_device_count(&count))
    return status;
  if (device < 0 || device >= count)
    return returnFailure(LNRT_ERROR_NO_DEVICE,
                         "lnrt_set_device: no device " +
                             std::to_string(device) + " (" +
                             std::to_string(count) + " devices)");
  setCurrentDevice(device);
  return LNRT_SUCCESS;
}

lnrt_status lnrt_get_device(int *device) {
  if (!device)
    return nullArgument(__func__, "device");
  *device = currentDevice();
  return LNRT_SUCCESS;
}

//===----------------------------------------------------------------------===//
// Device memory
//===----------------------------------------------------------------------===//

lnrt_status lnrt_malloc(void **ptr, size_t bytes) {
  if (!ptr)
    return nullArgument(__func__, "ptr");
  *ptr = nullptr;
  if (bytes == 0)
    return LNRT_SUCCESS;
  return withContext([&] {
    CUdeviceptr pointer = 0;
    Outcome outcome = LONGNET_CU_CALL(cuMemAlloc, &pointer, bytes);
    *ptr = reinterpret_cast<void *>(pointer);
    return outcome;
  });
}

lnrt_status lnrt_free(void *ptr) {
  if (!ptr)
    return LNRT_SUCCESS;
  return withContext(
      [&] { return LONGNET_CU_CALL(cuMemFree, devicePointer(ptr)); });
}

lnrt_status lnrt_memcpy_htod(void *dst, const void *src, size_t bytes) {
  return copy(__func__, dst, src, bytes);
}
lnrt_status lnrt_memcpy_dtoh(void *dst, const void *src, size_t bytes) {
  return copy(__func__, dst, src, bytes);
}
lnrt_status lnrt_memcpy_dtod(void *dst, const void *src, size_t bytes) {
  return copy(__func__, dst, src, bytes);
}

lnrt_status lnrt_memcpy_htod_async(void *dst, const void *src, size_t bytes,
                                   lnrt_stream stream) {
  return copyAsync(__func__, dst, src, bytes, stream);
}
lnrt_status lnrt_memcpy_dtoh_async(void *dst, const void *src, size_t bytes,
                                   lnrt_stream stream) {
  return copyAsync(__func__, dst, src, bytes, stream);
}
lnrt_status lnrt_memcpy_dtod_async(void *dst, const void *src, size_t bytes,
                                   lnrt_stream stream) {
  return copyAsync(__func__, dst, src, bytes, stream);
}

lnrt_status lnrt_memset_d8(void *dst, uint8_t value, size_t bytes) {
  if (bytes && !dst)
    return nullArgument(__func__, "dst");
  if (bytes == 0)
    return LNRT_SUCCESS;
  return withContext([&] {
    return LONGNET_CU_CALL(cuMemsetD8, devicePointer(dst), value, bytes);
  });
}

lnrt_status lnrt_memset_d8_async(void *dst, uint8_t value, size_t bytes,
                                 lnrt_stream stream) {
  if (bytes && !dst)
    return nullArgument(__func__, "dst");
  if (bytes == 0)
    return LNRT_SUCCESS;
  return withContext([&] {
    return LONGNET_CU_CALL(cuMemsetD8Async, devicePointer(dst), value, bytes,
                           toCU(stream));
  });
}

//===----------------------------------------------------------------------===//
// Streams and events
//===----------------------------------------------------------------------===//

lnrt_status lnrt_stream_create(lnrt_stream *stream) {
  if (!stream)
    return nullArgument(__func__, "stream");
  *stream = nullptr;
  return withContext([&] {
    CUstream created = nullptr;
    Outcome outcome =
        LONGNET_CU_CALL(cuStreamCreate, &created, CU_STREAM_NON_BLOCKING);
    *stream = reinterpret_cast<lnrt_stream>(created);
    return outcome;
  });
}

lnrt_status lnrt_stream_destroy(lnrt_stream stream) {
  if (!stream)
    return nullArgument(__func__, "stream");
  if (toCU(stream) == currentStream())
    setCurrentStream(nullptr);
  return withContext(
      [&] { return LONGNET_CU_CALL(cuStreamDestroy, toCU(stream)); });
}

lnrt_status lnrt_stream_synchronize(lnrt_stream stream) {
  return withContext(
      [&] { return LONGNET_CU_CALL(cuStreamSynchronize, toCU(stream)); });
}

lnrt_status lnrt_set_current_stream(lnrt_stream stream) {
  if (stream)
    if (Outcome loaded = loadDriver(); !loaded)
      return returnOutcome(loaded);
  setCurrentStream(toCU(stream));
  return LNRT_SUCCESS;
}

lnrt_status lnrt_get_current_stream(lnrt_stream *stream) {
  if (!stream)
    return nullArgument(__func__, "stream");
  *stream = reinterpret_cast<lnrt_stream>(currentStream());
  return LNRT_SUCCESS;
}

lnrt_status lnrt_event_create(lnrt_event *event) {
  if (!event)
    return nullArgument(__func__, "event");
  *event = nullptr;
  return withContext([&] {
    CUevent created = nullptr;
    Outcome outcome =
        LONGNET_CU_CALL(cuEventCreate, &created, CU_EVENT_DEFAULT);
    *event = reinterpret_cast<lnrt_event>(created);
    return outcome;
  });
}

lnrt_status lnrt_event_destroy(lnrt_event event) {
  if (!event)
    return nullArgument(__func__, "event");
  return withContext(
      [&] { return LONGNET_CU_CALL(cuEventDestroy, toCU(event)); });
}

lnrt_status lnrt_event_record(lnrt_event event, lnrt_stream stream) {
  if (!event)
    return nullArgument(__func__, "event");
  return withContext([&] {
    return LONGNET_CU_CALL(cuEventRecord, toCU(event), toCU(stream));
  });
}

lnrt_status lnrt_event_synchronize(lnrt_event event) {
  if (!event)
    return nullArgument(__func__, "event");
  return withContext(
      [&] { return LONGNET_CU_CALL(cuEventSynchronize, toCU(event)); });
}

lnrt_status lnrt_event_elapsed_ms(float *ms, lnrt_event start, lnrt_event end) {
  if (!ms || !start || !end)
    return nullArgument(__func__, "ms, start or end");
  return withContext([&] {
    return LONGNET_CU_CALL(cuEventElapsedTime, ms, toCU(start), toCU(end));
  });
}
