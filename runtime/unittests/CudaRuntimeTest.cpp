//===- CudaRuntimeTest.cpp - liblongnet_runtime.so ------------------------===//
//
// Part of the longnet-mlir project.
//
// The lnrt_* API, the mgpu* ABI and model calls. Development machines have
// no CUDA driver: the NoDriver tests check that every device call says so,
// and the Device tests skip themselves there.
//
//===----------------------------------------------------------------------===//

#include "longnet-runtime/lnrt.h"

#include "CudaDriver.h"
#include "Manifest.h"

#include "gtest/gtest.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

extern "C" {
void *mgpuModuleLoad(void *data, size_t gpuBlobSize);
void *mgpuModuleGetFunction(void *module, const char *name);
void mgpuModuleUnload(void *module);
void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t smem, void *stream,
                      void **params, void **extra, size_t paramsCount);
void *mgpuStreamCreate();
void mgpuStreamSynchronize(void *stream);
void mgpuStreamDestroy(void *stream);
void *mgpuEventCreate();
void mgpuEventRecord(void *event, void *stream);
void mgpuEventDestroy(void *event);
void *mgpuMemAlloc(uint64_t sizeBytes, void *stream, bool isHostShared);
void mgpuMemFree(void *ptr, void *stream);
void mgpuMemcpy(void *dst, void *src, size_t sizeBytes, void *stream);
void mgpuMemset32(void *dst, unsigned value, size_t count, void *stream);
}

using namespace longnet::rt;

namespace {

std::string fakeModel(const char *name) {
  return std::string(LONGNET_FAKE_MODEL_DIR) + "/fake_model_" + name + ".so";
}

bool hasDriver() {
  int available = 0;
  return lnrt_cuda_available(&available) == LNRT_SUCCESS && available;
}

bool hasDevice() {
  int count = 0;
  return lnrt_device_count(&count) == LNRT_SUCCESS && count > 0;
}

lnrt_tensor hostTensor(void *data, lnrt_dtype dtype,
                       std::vector<int64_t> shape) {
  lnrt_tensor tensor;
  std::memset(&tensor, 0, sizeof(tensor));
  tensor.data = data;
  tensor.dtype = dtype;
  tensor.rank = int32_t(shape.size());
  for (size_t i = 0; i < shape.size(); ++i)
    tensor.shape[i] = shape[i];
  tensor.memory = LNRT_MEMORY_HOST;
  return tensor;
}

/// A result the runtime allocates in host memory.
lnrt_tensor hostResult() { return hostTensor(nullptr, LNRT_F32, {}); }

std::string lastError() { return lnrt_get_last_error(); }

//===----------------------------------------------------------------------===//
// Status and dtype helpers
//===----------------------------------------------------------------------===//

TEST(LnrtBasics, StatusAndDTypeNames) {
  EXPECT_STREQ(lnrt_status_string(LNRT_SUCCESS), "LNRT_SUCCESS");
  EXPECT_STREQ(lnrt_status_string(LNRT_ERROR_NO_DRIVER),
               "LNRT_ERROR_NO_DRIVER");
  EXPECT_STREQ(lnrt_status_string(lnrt_status(99)), "LNRT_ERROR_UNKNOWN");
  EXPECT_STREQ(lnrt_dtype_name(LNRT_BF16), "bf16");
  EXPECT_EQ(lnrt_dtype_name(lnrt_dtype(7)), nullptr);
  EXPECT_EQ(lnrt_dtype_size(LNRT_F16), 2u);
  EXPECT_EQ(lnrt_dtype_size(LNRT_F64), 8u);
  EXPECT_EQ(lnrt_dtype_size(lnrt_dtype(7)), 0u);
}

TEST(LnrtBasics, NullPointersAreInvalidArguments) {
  EXPECT_EQ(lnrt_cuda_available(nullptr), LNRT_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(lnrt_device_count(nullptr), LNRT_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(lnrt_malloc(nullptr, 16), LNRT_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(lnrt_stream_create(nullptr), LNRT_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(lnrt_event_elapsed_ms(nullptr, nullptr, nullptr),
            LNRT_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(lnrt_memcpy_htod(nullptr, nullptr, 4), LNRT_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(lastError(), "lnrt_memcpy_htod: dst is null");
  EXPECT_EQ(lnrt_model_load(nullptr, nullptr), LNRT_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(lnrt_model_call(nullptr, "main", nullptr, 0, nullptr, 0, nullptr),
            LNRT_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(lnrt_tensor_free(nullptr), LNRT_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(lnrt_model_unload(nullptr), LNRT_SUCCESS);
  // Zero-byte operations need no pointers.
  EXPECT_EQ(lnrt_free(nullptr), LNRT_SUCCESS);
}

//===----------------------------------------------------------------------===//
// Without a driver
//===----------------------------------------------------------------------===//

class NoDriver : public ::testing::Test {
protected:
  void SetUp() override {
    if (hasDriver())
      GTEST_SKIP() << "a CUDA driver is present";
  }

  static void expectNoDriver(lnrt_status status) {
    EXPECT_EQ(status, LNRT_ERROR_NO_DRIVER);
    EXPECT_EQ(
        lastError().rfind("no CUDA driver: cannot load libcuda.so.1 (", 0), 0u)
        << lastError();
  }
};

TEST_F(NoDriver, EveryDeviceCallSaysSo) {
  int available = 1;
  EXPECT_EQ(lnrt_cuda_available(&available), LNRT_SUCCESS);
  EXPECT_EQ(available, 0);
  int count = 7, version = 0;
  char name[64];
  void *pointer = nullptr;
  float host[4] = {0};
  lnrt_stream stream = nullptr;
  lnrt_event event = nullptr;
  expectNoDriver(lnrt_init());
  expectNoDriver(lnrt_driver_version(&version));
  expectNoDriver(lnrt_device_count(&count));
  EXPECT_EQ(count, 0);
  expectNoDriver(lnrt_device_name(0, name, sizeof(name)));
  EXPECT_STREQ(name, "");
  expectNoDriver(lnrt_set_device(0));
  expectNoDriver(lnrt_malloc(&pointer, 16));
  EXPECT_EQ(pointer, nullptr);
  expectNoDriver(lnrt_free(host));
  expectNoDriver(lnrt_memcpy_htod(host, host, sizeof(host)));
  expectNoDriver(lnrt_memcpy_dtoh_async(host, host, sizeof(host), nullptr));
  expectNoDriver(lnrt_memset_d8(host, 0, sizeof(host)));
  expectNoDriver(lnrt_stream_create(&stream));
  expectNoDriver(lnrt_stream_synchronize(nullptr));
  expectNoDriver(lnrt_event_create(&event));
  expectNoDriver(lnrt_set_current_stream(reinterpret_cast<lnrt_stream>(host)));
  EXPECT_EQ(lnrt_set_current_stream(nullptr), LNRT_SUCCESS);
  lnrt_tensor device = hostTensor(host, LNRT_F32, {4});
  device.memory = LNRT_MEMORY_DEVICE;
  expectNoDriver(lnrt_tensor_free(&device));
}

TEST_F(NoDriver, MgpuCallsRecordTheFirstErrorAndNeverCrash) {
  lnrt_check_cuda_error(); // Start clean.
  char blob[16] = {0};
  void *stream = mgpuStreamCreate();
  EXPECT_EQ(stream, nullptr);
  void *module = mgpuModuleLoad(blob, sizeof(blob));
  EXPECT_EQ(module, nullptr);
  void *function = mgpuModuleGetFunction(module, "kernel");
  EXPECT_EQ(function, nullptr);
  mgpuLaunchKernel(function, 1, 1, 1, 32, 1, 1, 100 * 1024, stream, nullptr,
                   nullptr, 0);
  void *buffer = mgpuMemAlloc(64, stream, false);
  EXPECT_EQ(buffer, nullptr);
  mgpuMemset32(buffer, 0, 16, stream);
  mgpuMemcpy(buffer, blob, sizeof(blob), stream);
  mgpuMemFree(buffer, stream);
  void *event = mgpuEventCreate();
  mgpuEventRecord(event, stream);
  mgpuEventDestroy(event);
  mgpuStreamSynchronize(stream);
  mgpuStreamDestroy(stream);
  mgpuModuleUnload(module);

  EXPECT_EQ(lnrt_check_cuda_error(), LNRT_ERROR_NO_DRIVER);
  EXPECT_EQ(lastError().rfind("mgpuStreamCreate: no CUDA driver: cannot load "
                              "libcuda.so.1 (",
                              0),
            0u)
      << lastError();
  // Cleared.
  EXPECT_EQ(lnrt_check_cuda_error(), LNRT_SUCCESS);
}

TEST_F(NoDriver, CurrentStreamIsReturnedByStreamCreate) {
  lnrt_check_cuda_error();
  auto *fake = reinterpret_cast<CUstream>(uintptr_t(0x1000));
  setCurrentStream(fake);
  EXPECT_EQ(mgpuStreamCreate(), fake);
  mgpuStreamDestroy(fake); // A no-op: the stream is the caller's.
  setCurrentStream(nullptr);
  EXPECT_EQ(lnrt_check_cuda_error(), LNRT_SUCCESS);
  EXPECT_EQ(mgpuStreamCreate(), nullptr);
  EXPECT_EQ(lnrt_check_cuda_error(), LNRT_ERROR_NO_DRIVER);
}

TEST_F(NoDriver, CudaModelLoadsButCannotRun) {
  lnrt_model *model = nullptr;
  ASSERT_EQ(lnrt_model_load(fakeModel("cuda").c_str(), &model), LNRT_SUCCESS)
      << lastError();
  lnrt_target target = LNRT_TARGET_CPU;
  const char *chip = nullptr;
  EXPECT_EQ(lnrt_model_target(model, &target), LNRT_SUCCESS);
  EXPECT_EQ(target, LNRT_TARGET_CUDA);
  EXPECT_EQ(lnrt_model_chip(model, &chip), LNRT_SUCCESS);
  EXPECT_STREQ(chip, "sm_90");

  float input[4] = {1, 2, 3, 4};
  lnrt_tensor arg = hostTensor(input, LNRT_F32, {4});
  lnrt_tensor result = hostResult();
  EXPECT_EQ(lnrt_model_call(model, "main", &arg, 1, &result, 1, nullptr),
            LNRT_ERROR_NO_DRIVER);
  EXPECT_NE(lastError().find("targets cuda: no CUDA driver: cannot load "
                             "libcuda.so.1 ("),
            std::string::npos)
      << lastError();
  EXPECT_EQ(result.data, nullptr);

  // The reference variant runs on the host.
  ASSERT_EQ(lnrt_model_call_reference(model, "main", &arg, 1, &result, 1),
            LNRT_SUCCESS)
      << lastError();
  EXPECT_EQ(static_cast<float *>(result.data)[3], 4.0f);
  EXPECT_EQ(lnrt_tensor_free(&result), LNRT_SUCCESS);
  EXPECT_EQ(lnrt_model_unload(model), LNRT_SUCCESS);
}

//===----------------------------------------------------------------------===//
// Manifests
//===----------------------------------------------------------------------===//

std::string parseError(const std::string &text) {
  Manifest manifest;
  return parseManifest(text, manifest);
}

TEST(Manifest, ParsesEntries) {
  Manifest manifest;
  ASSERT_EQ(parseManifest("longnet-model 1\n"
                          "target cuda\n"
                          "chip sm_90\n"
                          "entry main _longnet_packed_main\n"
                          "arg f32 32768x256\n"
                          "arg bf16 1x?x4x64\n"
                          "result f64 scalar\n"
                          "reference _longnet_packed_main__reference\n"
                          "end\n"
                          "entry other sym   # comment\n"
                          "end\n",
                          manifest),
            "");
  EXPECT_EQ(manifest.target, LNRT_TARGET_CUDA);
  EXPECT_EQ(manifest.chip, "sm_90");
  ASSERT_EQ(manifest.entries.size(), 2u);
  const EntrySpec &main = manifest.entries[0];
  EXPECT_EQ(main.symbol, "_longnet_packed_main");
  ASSERT_EQ(main.args.size(), 2u);
  EXPECT_EQ(main.args[0].str(), "f32 32768x256");
  EXPECT_EQ(main.args[1].str(), "bf16 1x?x4x64");
  EXPECT_EQ(main.args[1].shape[1], LNRT_DYNAMIC);
  EXPECT_EQ(main.results[0].str(), "f64 scalar");
  EXPECT_EQ(main.referenceSymbol, "_longnet_packed_main__reference");
  EXPECT_TRUE(manifest.entries[1].args.empty());
  EXPECT_EQ(manifest.findEntry("nope"), nullptr);
}

TEST(Manifest, RejectsMalformedText) {
  const std::string header = "longnet-model 1\ntarget cpu\n";
  EXPECT_EQ(parseError(""), "empty manifest (expected 'longnet-model 1')");
  EXPECT_EQ(parseError("longnet-model 2\n"),
            "line 1: unsupported manifest version 2 (expected 1)");
  EXPECT_EQ(parseError("hello\n"),
            "line 1: expected 'longnet-model 1', got 'hello'");
  EXPECT_EQ(parseError("longnet-model 1\ntarget tpu\n"),
            "line 2: unknown target 'tpu' (expected cpu or cuda)");
  EXPECT_EQ(parseError("longnet-model 1\nentry main f\nend\n"),
            "line 2: 'entry' before the 'target' line");
  EXPECT_EQ(parseError(header), "no entry");
  EXPECT_EQ(parseError("longnet-model 1\n"), "no 'target' line");
  EXPECT_EQ(parseError(header + "chip sm_90\n"),
            "line 3: 'chip' needs 'target cuda' before it");
  EXPECT_EQ(parseError(header + "entry main f\narg f33 4\nend\n"),
            "line 4: unknown dtype 'f33' (expected f16, bf16, f32 or f64)");
  EXPECT_EQ(parseError(header + "entry main f\narg f32 4x-1\nend\n"),
            "line 4: invalid shape '4x-1' (dimensions are integers or ?, "
            "separated by x; 'scalar' for rank 0)");
  EXPECT_EQ(parseError(header + "entry main f\narg f32 1x1x1x1x1x1x1x1x1\n"
                                "end\n"),
            "line 4: shape '1x1x1x1x1x1x1x1x1' has rank 9, more than 8");
  EXPECT_EQ(parseError(header + "entry main f\narg f32\nend\n"),
            "line 4: expected 'arg DTYPE SHAPE'");
  EXPECT_EQ(parseError(header + "entry main f\n"), "entry @main has no 'end'");
  EXPECT_EQ(parseError(header + "entry main f\nentry b g\n"),
            "line 4: entry @main has no 'end' before the next entry");
  EXPECT_EQ(parseError(header + "entry main f\nend\nentry main g\nend\n"),
            "line 5: a second entry @main");
  EXPECT_EQ(parseError(header + "result f32 4\n"),
            "line 3: 'result' outside an entry");
  EXPECT_EQ(parseError(header + "entry main f\nreference a\nreference b\n"),
            "line 5: a second 'reference' for entry @main");
  EXPECT_EQ(parseError(header + "entry main f\nwhatever\nend\n"),
            "line 4: unknown keyword 'whatever'");
  EXPECT_EQ(parseError(header + "end\n"), "line 3: 'end' outside an entry");
}

//===----------------------------------------------------------------------===//
// Loading models
//===----------------------------------------------------------------------===//

TEST(ModelLoad, MissingFile) {
  lnrt_model *model = reinterpret_cast<lnrt_model *>(uintptr_t(1));
  EXPECT_EQ(lnrt_model_load("/nonexistent/model.so", &model), LNRT_ERROR_LOAD);
  EXPECT_EQ(model, nullptr);
  EXPECT_EQ(lastError(), "cannot load model '/nonexistent/model.so': No such "
                         "file or directory");
}

TEST(ModelLoad, NotASharedLibrary) {
  lnrt_model *model = nullptr;
  EXPECT_EQ(lnrt_model_load(LONGNET_FAKE_MODEL_DIR, &model), LNRT_ERROR_LOAD);
  EXPECT_NE(lastError().find("not a regular file"), std::string::npos);
}

TEST(ModelLoad, NotAModel) {
  lnrt_model *model = nullptr;
  std::string path = fakeModel("no_manifest");
  EXPECT_EQ(lnrt_model_load(path.c_str(), &model), LNRT_ERROR_LOAD);
  EXPECT_EQ(lastError(), "'" + path +
                             "' is not a LongNet model: it exports no "
                             "longnet_model_manifest");
}

TEST(ModelLoad, MalformedManifest) {
  lnrt_model *model = nullptr;
  std::string path = fakeModel("malformed");
  EXPECT_EQ(lnrt_model_load(path.c_str(), &model), LNRT_ERROR_MANIFEST);
  EXPECT_EQ(lastError(), "malformed manifest in '" + path +
                             "': line 4: unknown dtype 'f33' (expected f16, "
                             "bf16, f32 or f64)");
}

/// Writes `bytes` to a fresh file under the test's temporary directory.
std::string writeTemporary(const std::string &name,
                           const std::vector<uint8_t> &bytes) {
  const char *dir = std::getenv("TMPDIR");
  std::string path = std::string(dir ? dir : "/tmp") + "/longnet-" +
                     std::to_string(::getpid()) + "-" + name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char *>(bytes.data()), bytes.size());
  return path;
}

std::vector<uint8_t> readBytes(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in),
                              std::istreambuf_iterator<char>());
}

/// Loads `bytes` as a model: must fail with one LNRT_ERROR_LOAD message
/// naming the file, never crash in the dynamic loader.
void expectLoadRefused(const std::string &name,
                       const std::vector<uint8_t> &bytes,
                       const std::string &reason) {
  std::string path = writeTemporary(name, bytes);
  lnrt_model *model = nullptr;
  EXPECT_EQ(lnrt_model_load(path.c_str(), &model), LNRT_ERROR_LOAD) << name;
  EXPECT_EQ(model, nullptr);
  EXPECT_EQ(lastError().rfind("cannot load model '" + path + "': ", 0), 0u)
      << lastError();
  EXPECT_NE(lastError().find(reason), std::string::npos)
      << name << ": " << lastError();
  std::remove(path.c_str());
}

TEST(ModelLoad, TruncatedFiles) {
  std::vector<uint8_t> whole = readBytes(fakeModel("cpu"));
  ASSERT_GT(whole.size(), 4096u);
  // Cuts inside the ELF header, the program headers, the segments and the
  // seal; every one is refused before dlopen.
  for (size_t size : {size_t(0), size_t(3), size_t(63), size_t(1000),
                      whole.size() / 3, whole.size() / 2, whole.size() - 33,
                      whole.size() - 32, whole.size() - 1}) {
    std::vector<uint8_t> cut(whole.begin(), whole.begin() + size);
    expectLoadRefused("cut-" + std::to_string(size) + ".so", cut,
                      size < 4 ? "not an ELF file" : "");
  }
}

TEST(ModelLoad, CorruptedFiles) {
  std::vector<uint8_t> whole = readBytes(fakeModel("cpu"));
  for (size_t at : {size_t(20), size_t(100), size_t(1000), whole.size() / 2,
                    whole.size() - 40}) {
    std::vector<uint8_t> flipped = whole;
    flipped[at] ^= 0x5a;
    expectLoadRefused("flip-" + std::to_string(at) + ".so", flipped,
                      "checksum mismatch");
  }
  // A library without a seal, a text file, an ELF of another machine.
  std::vector<uint8_t> unsealed(whole.begin(), whole.end() - 32);
  expectLoadRefused("unsealed.so", unsealed, "no longnet-compile seal");
  std::string text = "not a library\n";
  expectLoadRefused("text.so", std::vector<uint8_t>(text.begin(), text.end()),
                    "not an ELF file");
}

TEST(ModelLoad, IntactCopyLoads) {
  std::string path = writeTemporary("copy.so", readBytes(fakeModel("cpu")));
  lnrt_model *model = nullptr;
  EXPECT_EQ(lnrt_model_load(path.c_str(), &model), LNRT_SUCCESS) << lastError();
  lnrt_model_unload(model);
  std::remove(path.c_str());
}

TEST(ModelLoad, MissingSymbol) {
  lnrt_model *model = nullptr;
  std::string path = fakeModel("missing_symbol");
  EXPECT_EQ(lnrt_model_load(path.c_str(), &model), LNRT_ERROR_MANIFEST);
  EXPECT_EQ(lastError(), "malformed manifest in '" + path +
                             "': entry @main names symbol 'fake_absent', "
                             "which the library does not export");
}

//===----------------------------------------------------------------------===//
// Calling a CPU model
//===----------------------------------------------------------------------===//

class CpuModel : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_EQ(lnrt_model_load(fakeModel("cpu").c_str(), &model), LNRT_SUCCESS)
        << lastError();
  }
  void TearDown() override { lnrt_model_unload(model); }

  lnrt_model *model = nullptr;
};

TEST_F(CpuModel, Queries) {
  size_t count = 0, nargs = 0, nresults = 0;
  const char *name = nullptr;
  lnrt_target target = LNRT_TARGET_CUDA;
  EXPECT_EQ(lnrt_model_target(model, &target), LNRT_SUCCESS);
  EXPECT_EQ(target, LNRT_TARGET_CPU);
  EXPECT_EQ(lnrt_model_entry_count(model, &count), LNRT_SUCCESS);
  EXPECT_EQ(count, 7u);
  EXPECT_EQ(lnrt_model_entry_name(model, 1, &name), LNRT_SUCCESS);
  EXPECT_STREQ(name, "transpose");
  EXPECT_EQ(lnrt_model_entry_name(model, 7, &name), LNRT_ERROR_NOT_FOUND);
  EXPECT_EQ(lnrt_model_entry_arity(model, "pair", &nargs, &nresults),
            LNRT_SUCCESS);
  EXPECT_EQ(nargs, 1u);
  EXPECT_EQ(nresults, 2u);
  lnrt_tensor spec;
  EXPECT_EQ(lnrt_model_entry_arg(model, "dynamic", 0, &spec), LNRT_SUCCESS);
  EXPECT_EQ(spec.dtype, LNRT_F32);
  EXPECT_EQ(spec.rank, 2);
  EXPECT_EQ(spec.shape[0], LNRT_DYNAMIC);
  EXPECT_EQ(spec.shape[1], 2);
  EXPECT_EQ(spec.memory, LNRT_MEMORY_HOST);
  EXPECT_EQ(lnrt_model_entry_result(model, "constant", 0, &spec), LNRT_SUCCESS);
  EXPECT_EQ(spec.dtype, LNRT_F64);
  EXPECT_EQ(spec.rank, 0);
  EXPECT_EQ(lnrt_model_entry_result(model, "constant", 1, &spec),
            LNRT_ERROR_NOT_FOUND);
  int has = 0;
  EXPECT_EQ(lnrt_model_entry_has_reference(model, "main", &has), LNRT_SUCCESS);
  EXPECT_EQ(has, 1);
  EXPECT_EQ(lnrt_model_entry_has_reference(model, "pair", &has), LNRT_SUCCESS);
  EXPECT_EQ(has, 0);
}

TEST_F(CpuModel, AllocatedResult) {
  float input[6] = {0, 1, 2, 3, 4, 5};
  lnrt_tensor arg = hostTensor(input, LNRT_F32, {2, 3});
  lnrt_tensor result = hostResult();
  ASSERT_EQ(lnrt_model_call(model, "main", &arg, 1, &result, 1, nullptr),
            LNRT_SUCCESS)
      << lastError();
  EXPECT_EQ(result.dtype, LNRT_F32);
  ASSERT_EQ(result.rank, 2);
  EXPECT_EQ(result.shape[0], 2);
  EXPECT_EQ(result.shape[1], 3);
  const float *values = static_cast<const float *>(result.data);
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(values[i], float(i) + 1.0f);
  EXPECT_EQ(lnrt_tensor_free(&result), LNRT_SUCCESS);
  EXPECT_EQ(result.data, nullptr);
}

TEST_F(CpuModel, PreallocatedResultAndReference) {
  float input[6] = {0, 1, 2, 3, 4, 5};
  float output[6] = {0}, expected[6] = {0};
  lnrt_tensor arg = hostTensor(input, LNRT_F32, {2, 3});
  lnrt_tensor result = hostTensor(output, LNRT_F32, {2, 3});
  lnrt_tensor reference = hostTensor(expected, LNRT_F32, {2, 3});
  ASSERT_EQ(lnrt_model_call(model, "main", &arg, 1, &result, 1, nullptr),
            LNRT_SUCCESS)
      << lastError();
  ASSERT_EQ(lnrt_model_call_reference(model, "main", &arg, 1, &reference, 1),
            LNRT_SUCCESS)
      << lastError();
  EXPECT_EQ(result.data, output);
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(output[i], float(i) + 1.0f);
    EXPECT_EQ(expected[i], output[i]);
  }
  lnrt_tensor wrong = hostTensor(output, LNRT_F32, {3, 2});
  EXPECT_EQ(lnrt_model_call(model, "main", &arg, 1, &wrong, 1, nullptr),
            LNRT_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(lastError(), "lnrt_model_call: result 0 of @main: expected f32 "
                         "2x3, got f32 3x2");
}

TEST_F(CpuModel, StridedResultIsCopiedInRowMajorOrder) {
  float input[6] = {0, 1, 2, 3, 4, 5};
  lnrt_tensor arg = hostTensor(input, LNRT_F32, {2, 3});
  lnrt_tensor result = hostResult();
  ASSERT_EQ(lnrt_model_call(model, "transpose", &arg, 1, &result, 1, nullptr),
            LNRT_SUCCESS)
      << lastError();
  ASSERT_EQ(result.rank, 2);
  EXPECT_EQ(result.shape[0], 3);
  const float *values = static_cast<const float *>(result.data);
  const float expected[6] = {0, 3, 1, 4, 2, 5};
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(values[i], expected[i]) << i;
  lnrt_tensor_free(&result);
}

TEST_F(CpuModel, SharedResultBufferIsFreedOnce) {
  float input[4] = {1, 2, 3, 4};
  lnrt_tensor arg = hostTensor(input, LNRT_F32, {4});
  lnrt_tensor results[2] = {hostResult(), hostResult()};
  ASSERT_EQ(lnrt_model_call(model, "pair", &arg, 1, results, 2, nullptr),
            LNRT_SUCCESS)
      << lastError();
  EXPECT_NE(results[0].data, results[1].data);
  EXPECT_EQ(static_cast<float *>(results[1].data)[3], 8.0f);
  lnrt_tensor_free(&results[0]);
  lnrt_tensor_free(&results[1]);
}

TEST_F(CpuModel, ArgumentsArePrivateCopies) {
  float input[4] = {1, 2, 3, 4};
  lnrt_tensor arg = hostTensor(input, LNRT_F32, {4});
  lnrt_tensor result = hostResult();
  ASSERT_EQ(lnrt_model_call(model, "identity", &arg, 1, &result, 1, nullptr),
            LNRT_SUCCESS)
      << lastError();
  EXPECT_EQ(input[0], 1.0f); // The callee wrote into its copy.
  EXPECT_EQ(static_cast<float *>(result.data)[0], 42.0f);
  EXPECT_EQ(static_cast<float *>(result.data)[1], 2.0f);
  lnrt_tensor_free(&result);
}

TEST_F(CpuModel, ConstantScalarResult) {
  lnrt_tensor result = hostResult();
  ASSERT_EQ(lnrt_model_call(model, "constant", nullptr, 0, &result, 1, nullptr),
            LNRT_SUCCESS)
      << lastError();
  EXPECT_EQ(result.dtype, LNRT_F64);
  EXPECT_EQ(result.rank, 0);
  EXPECT_EQ(*static_cast<double *>(result.data), 2.5);
  lnrt_tensor_free(&result);
}

TEST_F(CpuModel, DynamicDimensions) {
  float input[6] = {1, 2, 3, 4, 5, 6};
  lnrt_tensor arg = hostTensor(input, LNRT_F32, {3, 2});
  lnrt_tensor result = hostResult();
  ASSERT_EQ(lnrt_model_call(model, "dynamic", &arg, 1, &result, 1, nullptr),
            LNRT_SUCCESS)
      << lastError();
  EXPECT_EQ(result.shape[0], 3);
  EXPECT_EQ(static_cast<float *>(result.data)[5], 18.0f);
  lnrt_tensor_free(&result);
  arg.shape[1] = 3;
  EXPECT_EQ(lnrt_model_call(model, "dynamic", &arg, 1, &result, 1, nullptr),
            LNRT_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(lastError(), "lnrt_model_call: argument 0 of @dynamic: expected "
                         "f32 ?x2, got f32 3x3");
}

TEST_F(CpuModel, WrongReturnedShapeIsAModelError) {
  float input[4] = {1, 2, 3, 4};
  lnrt_tensor arg = hostTensor(input, LNRT_F32, {4});
  lnrt_tensor result = hostResult();
  EXPECT_EQ(lnrt_model_call(model, "badshape", &arg, 1, &result, 1, nullptr),
            LNRT_ERROR_MODEL);
  EXPECT_EQ(lastError(), "lnrt_model_call: @badshape of '" + fakeModel("cpu") +
                             "': result 0: the compiled code returned shape 5 "
                             "for f32 4");
  EXPECT_EQ(result.data, nullptr);
}

TEST_F(CpuModel, ArgumentValidation) {
  float input[6] = {0};
  lnrt_tensor arg = hostTensor(input, LNRT_F16, {2, 3});
  lnrt_tensor result = hostResult();
  EXPECT_EQ(lnrt_model_call(model, "main", &arg, 1, &result, 1, nullptr),
            LNRT_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(lastError(), "lnrt_model_call: argument 0 of @main: expected f32 "
                         "2x3, got f16 2x3");

  arg = hostTensor(input, LNRT_F32, {6});
  EXPECT_EQ(lnrt_model_call(model, "main", &arg, 1, &result, 1, nullptr),
            LNRT_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(lastError(), "lnrt_model_call: argument 0 of @main: expected f32 "
                         "2x3, got f32 6");

  arg = hostTensor(input, lnrt_dtype(9), {2, 3});
  EXPECT_EQ(lnrt_model_call(model, "main", &arg, 1, &result, 1, nullptr),
            LNRT_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(lastError(),
            "lnrt_model_call: argument 0 of @main: invalid dtype 9");

  arg = hostTensor(input, LNRT_F32, {2, 3});
  arg.rank = 12;
  EXPECT_EQ(lnrt_model_call(model, "main", &arg, 1, &result, 1, nullptr),
            LNRT_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(lastError(),
            "lnrt_model_call: argument 0 of @main: invalid rank 12");

  arg = hostTensor(nullptr, LNRT_F32, {2, 3});
  EXPECT_EQ(lnrt_model_call(model, "main", &arg, 1, &result, 1, nullptr),
            LNRT_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(lastError(), "lnrt_model_call: argument 0 of @main: data is null");

  arg = hostTensor(input, LNRT_F32, {2, 3});
  arg.memory = LNRT_MEMORY_DEVICE;
  EXPECT_EQ(lnrt_model_call(model, "main", &arg, 1, &result, 1, nullptr),
            LNRT_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(lastError(), "lnrt_model_call: argument 0 of @main: a cpu model "
                         "takes host memory, got device memory");

  arg.memory = LNRT_MEMORY_HOST;
  EXPECT_EQ(lnrt_model_call(model, "main", &arg, 1, &result, 0, nullptr),
            LNRT_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(lastError(), "lnrt_model_call: @main of '" + fakeModel("cpu") +
                             "': returns 1 results, got 0 result tensors");
  EXPECT_EQ(lnrt_model_call(model, "main", &arg, 2, &result, 1, nullptr),
            LNRT_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(lastError(), "lnrt_model_call: @main of '" + fakeModel("cpu") +
                             "': takes 1 arguments, got 2");
}

TEST_F(CpuModel, UnknownEntryAndMissingReference) {
  lnrt_tensor result = hostResult();
  EXPECT_EQ(lnrt_model_call(model, "forward", nullptr, 0, &result, 1, nullptr),
            LNRT_ERROR_NOT_FOUND);
  EXPECT_EQ(lastError(),
            "lnrt_model_call: model '" + fakeModel("cpu") +
                "' has no entry @forward (entries: @main, @transpose, @pair, "
                "@identity, @constant, @dynamic, @badshape)");
  EXPECT_EQ(
      lnrt_model_call_reference(model, "constant", nullptr, 0, &result, 1),
      LNRT_ERROR_NOT_FOUND);
  EXPECT_EQ(lastError(), "lnrt_model_call_reference: entry @constant of '" +
                             fakeModel("cpu") + "' has no reference variant");
}

//===----------------------------------------------------------------------===//
// With a device (skipped without one)
//===----------------------------------------------------------------------===//

class Device : public ::testing::Test {
protected:
  void SetUp() override {
    if (!hasDevice())
      GTEST_SKIP() << "no CUDA device: " << lastError();
    lnrt_check_cuda_error();
  }
};

TEST_F(Device, MemoryRoundTrip) {
  char name[128];
  ASSERT_EQ(lnrt_device_name(0, name, sizeof(name)), LNRT_SUCCESS);
  std::vector<float> host(1024), back(1024, -1.0f);
  for (size_t i = 0; i < host.size(); ++i)
    host[i] = float(i);
  void *a = nullptr, *b = nullptr;
  size_t bytes = host.size() * sizeof(float);
  ASSERT_EQ(lnrt_malloc(&a, bytes), LNRT_SUCCESS) << lastError();
  ASSERT_EQ(lnrt_malloc(&b, bytes), LNRT_SUCCESS) << lastError();
  EXPECT_EQ(lnrt_memcpy_htod(a, host.data(), bytes), LNRT_SUCCESS);
  EXPECT_EQ(lnrt_memcpy_dtod(b, a, bytes), LNRT_SUCCESS);
  EXPECT_EQ(lnrt_memcpy_dtoh(back.data(), b, bytes), LNRT_SUCCESS);
  EXPECT_EQ(back, host);
  EXPECT_EQ(lnrt_memset_d8(b, 0, bytes), LNRT_SUCCESS);
  EXPECT_EQ(lnrt_memcpy_dtoh(back.data(), b, bytes), LNRT_SUCCESS);
  EXPECT_EQ(back[7], 0.0f);
  EXPECT_EQ(lnrt_free(a), LNRT_SUCCESS);
  EXPECT_EQ(lnrt_free(b), LNRT_SUCCESS);
}

TEST_F(Device, StreamsAndEvents) {
  lnrt_stream stream = nullptr;
  lnrt_event start = nullptr, end = nullptr;
  ASSERT_EQ(lnrt_stream_create(&stream), LNRT_SUCCESS) << lastError();
  ASSERT_EQ(lnrt_event_create(&start), LNRT_SUCCESS);
  ASSERT_EQ(lnrt_event_create(&end), LNRT_SUCCESS);
  void *buffer = nullptr;
  ASSERT_EQ(lnrt_malloc(&buffer, 1 << 20), LNRT_SUCCESS);
  EXPECT_EQ(lnrt_event_record(start, stream), LNRT_SUCCESS);
  EXPECT_EQ(lnrt_memset_d8_async(buffer, 1, 1 << 20, stream), LNRT_SUCCESS);
  EXPECT_EQ(lnrt_event_record(end, stream), LNRT_SUCCESS);
  EXPECT_EQ(lnrt_event_synchronize(end), LNRT_SUCCESS);
  float ms = -1.0f;
  EXPECT_EQ(lnrt_event_elapsed_ms(&ms, start, end), LNRT_SUCCESS)
      << lastError();
  EXPECT_GE(ms, 0.0f);

  EXPECT_EQ(lnrt_set_current_stream(stream), LNRT_SUCCESS);
  EXPECT_EQ(mgpuStreamCreate(), reinterpret_cast<void *>(stream));
  mgpuStreamDestroy(stream);
  EXPECT_EQ(lnrt_set_current_stream(nullptr), LNRT_SUCCESS);
  EXPECT_EQ(lnrt_stream_synchronize(stream), LNRT_SUCCESS); // Still alive.
  EXPECT_EQ(lnrt_check_cuda_error(), LNRT_SUCCESS) << lastError();

  lnrt_free(buffer);
  lnrt_event_destroy(start);
  lnrt_event_destroy(end);
  EXPECT_EQ(lnrt_stream_destroy(stream), LNRT_SUCCESS);
}

TEST_F(Device, CudaModelCall) {
  lnrt_model *model = nullptr;
  ASSERT_EQ(lnrt_model_load(fakeModel("cuda").c_str(), &model), LNRT_SUCCESS)
      << lastError();
  float input[4] = {1, 2, 3, 4};
  lnrt_tensor arg = hostTensor(input, LNRT_F32, {4});
  lnrt_tensor host = hostResult();
  ASSERT_EQ(lnrt_model_call(model, "main", &arg, 1, &host, 1, nullptr),
            LNRT_SUCCESS)
      << lastError();
  EXPECT_EQ(static_cast<float *>(host.data)[3], 4.0f);
  lnrt_tensor_free(&host);

  // Device result on a caller's stream.
  lnrt_stream stream = nullptr;
  ASSERT_EQ(lnrt_stream_create(&stream), LNRT_SUCCESS);
  lnrt_tensor device = hostResult();
  device.memory = LNRT_MEMORY_DEVICE;
  ASSERT_EQ(lnrt_model_call(model, "main", &arg, 1, &device, 1, stream),
            LNRT_SUCCESS)
      << lastError();
  float back[4] = {0};
  EXPECT_EQ(lnrt_memcpy_dtoh(back, device.data, sizeof(back)), LNRT_SUCCESS);
  EXPECT_EQ(back[2], 3.0f);
  EXPECT_EQ(lnrt_tensor_free(&device), LNRT_SUCCESS);
  EXPECT_EQ(lnrt_stream_destroy(stream), LNRT_SUCCESS);
  lnrt_model_unload(model);
}

} // namespace
