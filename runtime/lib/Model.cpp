//===- Model.cpp - Loading and calling compiled models --------------------===//
//
// Part of the longnet-mlir project.
//
// A compiled model is a shared library that exports its manifest
// (Manifest.h) and, per entry, a packed function `void f(void **args)`:
// args[0] points to the results block when the entry has results, then one
// pointer per argument to its strided memref descriptor {allocated, aligned,
// offset, sizes[rank], strides[rank]}. The results block holds the returned
// descriptors one after another. Returned buffers belong to the caller,
// except an argument's buffer and 0xdeadbeef (a constant global); results
// may share a buffer. docs/longnet-exec.md describes the convention.
//
//===----------------------------------------------------------------------===//

#include "CudaDriver.h"
#include "Manifest.h"
#include "longnet-runtime/CheckedMath.h"
#include "longnet-runtime/ModelFile.h"

#include <dlfcn.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <set>

using namespace longnet::rt;

using PackedFunction = void (*)(void **);

struct lnrt_model {
  std::string path;
  void *library = nullptr;
  Manifest manifest;
  /// Per entry, in manifest order; reference functions are null when absent.
  std::vector<PackedFunction> functions;
  std::vector<PackedFunction> references;

  ~lnrt_model() {
    if (library)
      dlclose(library);
  }
};

namespace {

/// What memref.get_global of a constant stores as the allocated pointer.
constexpr uintptr_t kDeadBeef = 0xdeadbeef;
/// A manifest longer than this is not one.
constexpr size_t kMaxManifestSize = 1 << 20;

//===----------------------------------------------------------------------===//
// Loading
//===----------------------------------------------------------------------===//

Outcome openLibrary(lnrt_model &model) {
  struct stat info;
  if (stat(model.path.c_str(), &info) != 0)
    return Outcome::failure(LNRT_ERROR_LOAD, "cannot load model '" +
                                                 model.path +
                                                 "': " + std::strerror(errno));
  if (!S_ISREG(info.st_mode))
    return Outcome::failure(LNRT_ERROR_LOAD, "cannot load model '" +
                                                 model.path +
                                                 "': not a regular file");
  // The dynamic loader crashes on truncated or corrupted libraries: check
  // the seal, the checksum and the ELF tables first.
  std::vector<uint8_t> bytes;
  std::string problem;
  if (!longnet::modelfile::readFile(model.path, bytes, problem) ||
      !(problem = longnet::modelfile::describeModelFileError(bytes)).empty())
    return Outcome::failure(LNRT_ERROR_LOAD, "cannot load model '" +
                                                 model.path + "': " + problem);
  // dlopen searches the library path for a name without a slash.
  std::string file = model.path.find('/') == std::string::npos
                         ? "./" + model.path
                         : model.path;
  model.library = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!model.library) {
    const char *reason = dlerror();
    return Outcome::failure(LNRT_ERROR_LOAD,
                            "cannot load model '" + model.path +
                                "': " + (reason ? reason : "dlopen failed"));
  }
  return Outcome::success();
}

Outcome readManifest(lnrt_model &model) {
  const char *text =
      static_cast<const char *>(dlsym(model.library, "longnet_model_manifest"));
  if (!text)
    return Outcome::failure(LNRT_ERROR_LOAD,
                            "'" + model.path +
                                "' is not a LongNet model: it exports no "
                                "longnet_model_manifest");
  size_t length = strnlen(text, kMaxManifestSize);
  if (length == kMaxManifestSize)
    return Outcome::failure(LNRT_ERROR_MANIFEST,
                            "malformed manifest in '" + model.path +
                                "': not NUL-terminated within 1 MiB");
  std::string error = parseManifest(std::string(text, length), model.manifest);
  if (!error.empty())
    return Outcome::failure(LNRT_ERROR_MANIFEST, "malformed manifest in '" +
                                                     model.path +
                                                     "': " + error);
  return Outcome::success();
}

Outcome resolveFunction(const lnrt_model &model, const EntrySpec &entry,
                        const std::string &symbol, PackedFunction &function) {
  function =
      reinterpret_cast<PackedFunction>(dlsym(model.library, symbol.c_str()));
  if (function)
    return Outcome::success();
  return Outcome::failure(LNRT_ERROR_MANIFEST,
                          "malformed manifest in '" + model.path +
                              "': entry @" + entry.name + " names symbol '" +
                              symbol + "', which the library does not export");
}

Outcome resolveFunctions(lnrt_model &model) {
  for (const EntrySpec &entry : model.manifest.entries) {
    PackedFunction function = nullptr, reference = nullptr;
    if (Outcome found = resolveFunction(model, entry, entry.symbol, function);
        !found)
      return found;
    if (!entry.referenceSymbol.empty())
      if (Outcome found =
              resolveFunction(model, entry, entry.referenceSymbol, reference);
          !found)
        return found;
    model.functions.push_back(function);
    model.references.push_back(reference);
  }
  return Outcome::success();
}

/// The errors that the library's constructors (mgpuModuleLoad of its GPU
/// binaries) recorded: none expected for a CPU model, none but the missing
/// driver for a CUDA model on a machine without one.
Outcome checkConstructors(const lnrt_model &model, const Outcome &recorded) {
  if (recorded || (model.manifest.target == LNRT_TARGET_CUDA &&
                   recorded.status == LNRT_ERROR_NO_DRIVER))
    return Outcome::success();
  return Outcome::failure(recorded.status, "loading model '" + model.path +
                                               "' failed: " + recorded.message);
}

//===----------------------------------------------------------------------===//
// Tensors and descriptors
//===----------------------------------------------------------------------===//

/// The element count of a shape that checkTensor or checkReturned accepted
/// (non-negative, byte size within int64_t).
int64_t numElements(const int64_t *shape, size_t rank) {
  return longnet::checkedProduct(shape, rank, 1).value_or(0);
}

/// Whether the byte size of `rank` sizes of `dtype` fits in int64_t.
bool sizeFits(const int64_t *shape, size_t rank, lnrt_dtype dtype) {
  return longnet::checkedProduct(shape, rank, int64_t(lnrt_dtype_size(dtype)))
      .has_value();
}

std::string describe(const lnrt_tensor &tensor) {
  const char *dtype = lnrt_dtype_name(tensor.dtype);
  return std::string(dtype ? dtype : "dtype " + std::to_string(tensor.dtype)) +
         " " + formatShape(tensor.shape, size_t(tensor.rank));
}

/// The descriptor words of a contiguous row-major buffer.
std::vector<int64_t> makeDescriptor(void *data, const int64_t *shape,
                                    size_t rank) {
  int64_t address = int64_t(reinterpret_cast<uintptr_t>(data));
  std::vector<int64_t> words = {address, address, 0};
  words.insert(words.end(), shape, shape + rank);
  std::vector<int64_t> strides(rank, 1);
  for (int64_t dim = int64_t(rank) - 2; dim >= 0; --dim)
    strides[dim] = strides[dim + 1] * shape[dim + 1];
  words.insert(words.end(), strides.begin(), strides.end());
  return words;
}

/// A view of one returned descriptor.
struct ReturnedMemRef {
  void *allocated;
  const uint8_t *aligned;
  int64_t offset;
  const int64_t *sizes;
  const int64_t *strides;
  size_t rank;

  ReturnedMemRef(const int64_t *words, size_t rank)
      : allocated(reinterpret_cast<void *>(uintptr_t(words[0]))),
        aligned(reinterpret_cast<const uint8_t *>(uintptr_t(words[1]))),
        offset(words[2]), sizes(words + 3), strides(words + 3 + rank),
        rank(rank) {}

  int64_t numElements() const { return ::numElements(sizes, rank); }

  bool isContiguous() const {
    int64_t expected = 1;
    for (int64_t dim = int64_t(rank) - 1; dim >= 0; --dim) {
      if (sizes[dim] != 1 && strides[dim] != expected)
        return false;
      expected *= sizes[dim];
    }
    return true;
  }

  /// The smallest and largest element positions (relative to the first
  /// element) that the view reads; it must not be empty.
  void span(int64_t &lowest, int64_t &highest) const {
    lowest = highest = 0;
    for (size_t dim = 0; dim < rank; ++dim) {
      int64_t extent = (sizes[dim] - 1) * strides[dim];
      (extent < 0 ? lowest : highest) += extent;
    }
  }
};

/// Copies the elements of `memref`, read from `base` (its first element), to
/// the contiguous `destination` in row-major order.
void gather(const ReturnedMemRef &memref, const uint8_t *base,
            size_t elementSize, uint8_t *destination) {
  std::vector<int64_t> index(memref.rank, 0);
  int64_t position = 0;
  int64_t count = memref.numElements();
  for (int64_t i = 0; i < count; ++i) {
    std::memcpy(destination + i * elementSize,
                base + position * int64_t(elementSize), elementSize);
    for (int64_t dim = int64_t(memref.rank) - 1; dim >= 0; --dim) {
      position += memref.strides[dim];
      if (++index[dim] < memref.sizes[dim])
        break;
      position -= memref.strides[dim] * memref.sizes[dim];
      index[dim] = 0;
    }
  }
}

//===----------------------------------------------------------------------===//
// Calls
//===----------------------------------------------------------------------===//

/// One call of an entry: its checks, buffers and copies. Device buffers and
/// copies are used when `onDevice` (a CUDA model's compiled entry).
class Call {
public:
  Call(lnrt_model &model, const EntrySpec &entry, bool onDevice, bool reference,
       lnrt_stream stream)
      : model(model), entry(entry), onDevice(onDevice), reference(reference),
        stream(reinterpret_cast<CUstream>(stream)) {}

  ~Call() {
    // An early failure may leave copies into the temporaries in flight.
    if (onDevice && !temporaries.empty())
      recordStickyError(LONGNET_CU_CALL(cuStreamSynchronize, stream));
    for (void *buffer : temporaries)
      release(buffer);
  }

  Outcome checkArguments(const lnrt_tensor *args, size_t nargs);
  Outcome checkResultTensors(const lnrt_tensor *results, size_t nresults);
  Outcome run(PackedFunction function, const lnrt_tensor *args,
              lnrt_tensor *results);

private:
  Outcome fail(lnrt_status status, const std::string &message) const {
    return Outcome::failure(status, "@" + entry.name + " of '" + model.path +
                                        "': " + message);
  }
  Outcome checkTensor(const char *kind, size_t index, const lnrt_tensor &tensor,
                      const TensorType &type, bool checkData) const;
  Outcome allocate(size_t bytes, lnrt_memory memory, void *&buffer) const;
  void release(void *buffer) const;
  void release(void *buffer, lnrt_memory memory) const;
  Outcome copyBytes(void *destination, const void *source, size_t bytes) const;
  Outcome copyOut(const ReturnedMemRef &memref, lnrt_tensor &tensor) const;
  Outcome checkReturned(const ReturnedMemRef &memref, size_t index,
                        const lnrt_tensor &tensor) const;
  Outcome invoke(PackedFunction function, std::vector<void *> &packed);
  Outcome finish(Outcome outcome, const std::vector<int64_t> &block);

  lnrt_model &model;
  const EntrySpec &entry;
  bool onDevice;
  bool reference;
  CUstream stream;
  /// Private copies of the arguments.
  std::vector<void *> temporaries;
};

Outcome Call::checkTensor(const char *kind, size_t index,
                          const lnrt_tensor &tensor, const TensorType &type,
                          bool checkData) const {
  std::string what = std::string(kind) + " " + std::to_string(index) + " of @" +
                     entry.name + ": ";
  auto failure = [&](const std::string &message) {
    return Outcome::failure(LNRT_ERROR_INVALID_ARGUMENT, what + message);
  };
  if (!lnrt_dtype_name(tensor.dtype))
    return failure("invalid dtype " + std::to_string(int(tensor.dtype)));
  if (tensor.rank < 0 || tensor.rank > LNRT_MAX_RANK)
    return failure("invalid rank " + std::to_string(tensor.rank));
  if (tensor.memory != LNRT_MEMORY_HOST && tensor.memory != LNRT_MEMORY_DEVICE)
    return failure("invalid memory kind " + std::to_string(int(tensor.memory)));
  if (tensor.memory == LNRT_MEMORY_DEVICE && !onDevice)
    return failure(reference ? "the reference variant takes host memory, got "
                               "device memory"
                             : "a cpu model takes host memory, got device "
                               "memory");
  if (!checkData)
    return Outcome::success();
  for (int32_t dim = 0; dim < tensor.rank; ++dim)
    if (tensor.shape[dim] < 0)
      return failure("negative dimension in " + describe(tensor));
  bool matches =
      tensor.dtype == type.dtype && size_t(tensor.rank) == type.shape.size();
  for (size_t dim = 0; matches && dim < type.shape.size(); ++dim)
    matches =
        type.shape[dim] == LNRT_DYNAMIC || type.shape[dim] == tensor.shape[dim];
  if (!matches)
    return failure("expected " + type.str() + ", got " + describe(tensor));
  if (!sizeFits(tensor.shape, size_t(tensor.rank), tensor.dtype))
    return failure("the size in bytes of " + describe(tensor) +
                   " overflows a 64-bit integer");
  if (!tensor.data && numElements(tensor.shape, size_t(tensor.rank)) > 0)
    return failure("data is null");
  return Outcome::success();
}

Outcome Call::checkArguments(const lnrt_tensor *args, size_t nargs) {
  if (nargs != entry.args.size())
    return fail(LNRT_ERROR_INVALID_ARGUMENT,
                "takes " + std::to_string(entry.args.size()) +
                    " arguments, got " + std::to_string(nargs));
  for (size_t i = 0; i < nargs; ++i)
    if (Outcome checked =
            checkTensor("argument", i, args[i], entry.args[i], true);
        !checked)
      return checked;
  return Outcome::success();
}

Outcome Call::checkResultTensors(const lnrt_tensor *results, size_t nresults) {
  if (nresults != entry.results.size())
    return fail(LNRT_ERROR_INVALID_ARGUMENT,
                "returns " + std::to_string(entry.results.size()) +
                    " results, got " + std::to_string(nresults) +
                    " result tensors");
  for (size_t i = 0; i < nresults; ++i)
    if (Outcome checked = checkTensor("result", i, results[i], entry.results[i],
                                      results[i].data);
        !checked)
      return checked;
  return Outcome::success();
}

Outcome Call::allocate(size_t bytes, lnrt_memory memory, void *&buffer) const {
  buffer = nullptr;
  if (memory == LNRT_MEMORY_HOST) {
    buffer = std::malloc(std::max<size_t>(bytes, 1));
    if (!buffer)
      return fail(LNRT_ERROR_OUT_OF_MEMORY,
                  "cannot allocate " + std::to_string(bytes) + " host bytes");
    return Outcome::success();
  }
  if (bytes == 0)
    return Outcome::success();
  CUdeviceptr pointer = 0;
  Outcome allocated = LONGNET_CU_CALL(cuMemAlloc, &pointer, bytes);
  buffer = reinterpret_cast<void *>(pointer);
  return allocated;
}

void Call::release(void *buffer, lnrt_memory memory) const {
  if (!buffer)
    return;
  if (memory == LNRT_MEMORY_HOST)
    std::free(buffer);
  else
    recordStickyError(
        LONGNET_CU_CALL(cuMemFree, reinterpret_cast<CUdeviceptr>(buffer)));
}

void Call::release(void *buffer) const {
  release(buffer, onDevice ? LNRT_MEMORY_DEVICE : LNRT_MEMORY_HOST);
}

Outcome Call::copyBytes(void *destination, const void *source,
                        size_t bytes) const {
  if (bytes == 0)
    return Outcome::success();
  if (!onDevice) {
    std::memcpy(destination, source, bytes);
    return Outcome::success();
  }
  // Unified addressing: the driver infers the direction.
  return LONGNET_CU_CALL(cuMemcpyAsync,
                         reinterpret_cast<CUdeviceptr>(destination),
                         reinterpret_cast<CUdeviceptr>(source), bytes, stream);
}

Outcome Call::copyOut(const ReturnedMemRef &memref, lnrt_tensor &tensor) const {
  size_t elementSize = lnrt_dtype_size(tensor.dtype);
  int64_t count = memref.numElements();
  if (count == 0)
    return Outcome::success();
  const uint8_t *first = memref.aligned + memref.offset * int64_t(elementSize);
  if (memref.isContiguous())
    return copyBytes(tensor.data, first, size_t(count) * elementSize);
  if (!onDevice) {
    gather(memref, first, elementSize, static_cast<uint8_t *>(tensor.data));
    return Outcome::success();
  }
  // A strided device view: stage the bytes it spans on the host, gather
  // there, then copy the dense result to its destination.
  int64_t lowest = 0, highest = 0;
  memref.span(lowest, highest);
  std::vector<uint8_t> staged(size_t(highest - lowest + 1) * elementSize);
  if (Outcome copied = copyBytes(
          staged.data(), first + lowest * int64_t(elementSize), staged.size());
      !copied)
    return copied;
  if (Outcome synced = LONGNET_CU_CALL(cuStreamSynchronize, stream); !synced)
    return synced;
  std::vector<uint8_t> dense(size_t(count) * elementSize);
  gather(memref, staged.data() - lowest * int64_t(elementSize), elementSize,
         dense.data());
  if (Outcome copied = copyBytes(tensor.data, dense.data(), dense.size());
      !copied)
    return copied;
  // `dense` dies here: wait for the copy from it.
  return LONGNET_CU_CALL(cuStreamSynchronize, stream);
}

Outcome Call::checkReturned(const ReturnedMemRef &memref, size_t index,
                            const lnrt_tensor &tensor) const {
  const TensorType &type = entry.results[index];
  bool valid = true;
  for (size_t dim = 0; dim < memref.rank; ++dim)
    valid = valid && memref.sizes[dim] >= 0 &&
            (type.shape[dim] == LNRT_DYNAMIC ||
             type.shape[dim] == memref.sizes[dim]);
  valid = valid && sizeFits(memref.sizes, memref.rank, type.dtype);
  std::string returned = formatShape(memref.sizes, memref.rank);
  if (!valid)
    return fail(LNRT_ERROR_MODEL, "result " + std::to_string(index) +
                                      ": the compiled code returned shape " +
                                      returned + " for " + type.str());
  if (memref.numElements() > 0 && !memref.aligned)
    return fail(LNRT_ERROR_MODEL, "result " + std::to_string(index) +
                                      ": the compiled code returned a null "
                                      "buffer");
  if (tensor.data &&
      !std::equal(memref.sizes, memref.sizes + memref.rank, tensor.shape))
    return fail(LNRT_ERROR_INVALID_ARGUMENT,
                "result " + std::to_string(index) + ": the buffer is " +
                    describe(tensor) + ", the entry returned " +
                    lnrt_dtype_name(type.dtype) + " " + returned);
  return Outcome::success();
}

Outcome Call::invoke(PackedFunction function, std::vector<void *> &packed) {
  if (!onDevice) {
    function(packed.data());
    return Outcome::success();
  }
  // Errors recorded before the call are not this call's: set them aside.
  Outcome earlier = takeStickyError();
  CUstream previous = currentStream();
  if (stream)
    setCurrentStream(stream);
  function(packed.data());
  setCurrentStream(previous);
  Outcome failed = takeStickyError();
  recordStickyError(earlier);
  if (!failed)
    return fail(failed.status, "the compiled code failed: " + failed.message);
  return Outcome::success();
}

Outcome Call::run(PackedFunction function, const lnrt_tensor *args,
                  lnrt_tensor *results) {
  // Private copies of the arguments, and their descriptors.
  std::vector<std::vector<int64_t>> descriptors;
  for (size_t i = 0; i < entry.args.size(); ++i) {
    const lnrt_tensor &arg = args[i];
    size_t rank = size_t(arg.rank);
    size_t bytes =
        size_t(numElements(arg.shape, rank)) * lnrt_dtype_size(arg.dtype);
    void *copy = nullptr;
    if (Outcome allocated = allocate(
            bytes, onDevice ? LNRT_MEMORY_DEVICE : LNRT_MEMORY_HOST, copy);
        !allocated)
      return allocated;
    temporaries.push_back(copy);
    if (Outcome copied = copyBytes(copy, arg.data, bytes); !copied)
      return copied;
    descriptors.push_back(makeDescriptor(copy, arg.shape, rank));
  }

  size_t resultWords = 0;
  for (const TensorType &type : entry.results)
    resultWords += 3 + 2 * type.shape.size();
  std::vector<int64_t> block(std::max<size_t>(resultWords, 1), 0);
  std::vector<void *> packed;
  if (!entry.results.empty())
    packed.push_back(block.data());
  for (std::vector<int64_t> &descriptor : descriptors)
    packed.push_back(descriptor.data());

  Outcome outcome = invoke(function, packed);
  if (outcome) {
    // Check every result before writing any.
    size_t word = 0;
    for (size_t i = 0; outcome && i < entry.results.size(); ++i) {
      size_t rank = entry.results[i].shape.size();
      outcome =
          checkReturned(ReturnedMemRef(&block[word], rank), i, results[i]);
      word += 3 + 2 * rank;
    }
  }
  if (outcome) {
    std::vector<bool> allocatedHere(entry.results.size(), false);
    size_t word = 0;
    for (size_t i = 0; outcome && i < entry.results.size(); ++i) {
      const TensorType &type = entry.results[i];
      ReturnedMemRef memref(&block[word], type.shape.size());
      word += 3 + 2 * type.shape.size();
      lnrt_tensor &result = results[i];
      if (!result.data) {
        result.dtype = type.dtype;
        result.rank = int32_t(memref.rank);
        std::copy(memref.sizes, memref.sizes + memref.rank, result.shape);
        outcome =
            allocate(size_t(memref.numElements()) * lnrt_dtype_size(type.dtype),
                     result.memory, result.data);
        allocatedHere[i] = true;
      }
      if (outcome)
        outcome = copyOut(memref, result);
    }
    if (!outcome)
      for (size_t i = 0; i < entry.results.size(); ++i)
        if (allocatedHere[i]) {
          release(results[i].data, results[i].memory);
          results[i].data = nullptr;
        }
  }
  return finish(std::move(outcome), block);
}

/// Waits for the device work, then frees the buffers the callee returned
/// (each once; never an argument's or a constant's).
Outcome Call::finish(Outcome outcome, const std::vector<int64_t> &block) {
  if (onDevice)
    if (Outcome synced = LONGNET_CU_CALL(cuStreamSynchronize, stream);
        !synced && outcome)
      outcome = synced;
  std::set<void *> notOwned(temporaries.begin(), temporaries.end());
  notOwned.insert(reinterpret_cast<void *>(kDeadBeef));
  std::set<void *> owned;
  size_t word = 0;
  for (const TensorType &type : entry.results) {
    void *allocated = reinterpret_cast<void *>(uintptr_t(block[word]));
    word += 3 + 2 * type.shape.size();
    if (allocated && !notOwned.count(allocated))
      owned.insert(allocated);
  }
  for (void *buffer : owned)
    release(buffer);
  return outcome;
}

lnrt_status callEntry(const char *function, lnrt_model *model,
                      const char *entryName, const lnrt_tensor *args,
                      size_t nargs, lnrt_tensor *results, size_t nresults,
                      bool reference, lnrt_stream stream) {
  std::string prefix = std::string(function) + ": ";
  if (!model || !entryName)
    return returnFailure(LNRT_ERROR_INVALID_ARGUMENT,
                         prefix + "model or entry is null");
  if ((nargs && !args) || (nresults && !results))
    return returnFailure(LNRT_ERROR_INVALID_ARGUMENT,
                         prefix + "args or results is null");
  const EntrySpec *entry = model->manifest.findEntry(entryName);
  if (!entry) {
    std::string names;
    for (const EntrySpec &candidate : model->manifest.entries)
      names += (names.empty() ? "@" : ", @") + candidate.name;
    return returnFailure(LNRT_ERROR_NOT_FOUND,
                         prefix + "model '" + model->path + "' has no entry @" +
                             entryName + " (entries: " + names + ")");
  }
  size_t index = size_t(entry - model->manifest.entries.data());
  PackedFunction packed =
      reference ? model->references[index] : model->functions[index];
  if (!packed)
    return returnFailure(LNRT_ERROR_NOT_FOUND,
                         prefix + "entry @" + entry->name + " of '" +
                             model->path + "' has no reference variant");

  bool onDevice = !reference && model->manifest.target == LNRT_TARGET_CUDA;
  Call call(*model, *entry, onDevice, reference, stream);
  Outcome outcome = call.checkArguments(args, nargs);
  if (outcome)
    outcome = call.checkResultTensors(results, nresults);
  if (outcome && onDevice) {
    outcome = enterContext();
    if (!outcome)
      outcome.message =
          "model '" + model->path + "' targets cuda: " + outcome.message;
  }
  if (outcome)
    outcome = call.run(packed, args, results);
  if (!outcome)
    outcome.message = prefix + outcome.message;
  return returnOutcome(outcome);
}

} // namespace

//===----------------------------------------------------------------------===//
// C API
//===----------------------------------------------------------------------===//

lnrt_status lnrt_model_load(const char *path, lnrt_model **model) {
  if (!path || !model)
    return returnFailure(LNRT_ERROR_INVALID_ARGUMENT,
                         "lnrt_model_load: path or model is null");
  *model = nullptr;
  auto loaded = std::make_unique<lnrt_model>();
  loaded->path = path;
  Outcome earlier = takeStickyError();
  Outcome outcome = openLibrary(*loaded);
  Outcome fromConstructors = takeStickyError();
  recordStickyError(earlier);
  if (outcome)
    outcome = readManifest(*loaded);
  if (outcome)
    outcome = resolveFunctions(*loaded);
  if (outcome)
    outcome = checkConstructors(*loaded, fromConstructors);
  if (!outcome)
    return returnOutcome(outcome);
  *model = loaded.release();
  return LNRT_SUCCESS;
}

lnrt_status lnrt_model_unload(lnrt_model *model) {
  delete model;
  return LNRT_SUCCESS;
}

lnrt_status lnrt_model_target(const lnrt_model *model, lnrt_target *target) {
  if (!model || !target)
    return returnFailure(LNRT_ERROR_INVALID_ARGUMENT,
                         "lnrt_model_target: model or target is null");
  *target = model->manifest.target;
  return LNRT_SUCCESS;
}

lnrt_status lnrt_model_chip(const lnrt_model *model, const char **chip) {
  if (!model || !chip)
    return returnFailure(LNRT_ERROR_INVALID_ARGUMENT,
                         "lnrt_model_chip: model or chip is null");
  *chip = model->manifest.chip.c_str();
  return LNRT_SUCCESS;
}

lnrt_status lnrt_model_entry_count(const lnrt_model *model, size_t *count) {
  if (!model || !count)
    return returnFailure(LNRT_ERROR_INVALID_ARGUMENT,
                         "lnrt_model_entry_count: model or count is null");
  *count = model->manifest.entries.size();
  return LNRT_SUCCESS;
}

lnrt_status lnrt_model_entry_name(const lnrt_model *model, size_t index,
                                  const char **name) {
  if (!model || !name)
    return returnFailure(LNRT_ERROR_INVALID_ARGUMENT,
                         "lnrt_model_entry_name: model or name is null");
  if (index >= model->manifest.entries.size())
    return returnFailure(LNRT_ERROR_NOT_FOUND,
                         "lnrt_model_entry_name: no entry " +
                             std::to_string(index) + " (the model has " +
                             std::to_string(model->manifest.entries.size()) +
                             ")");
  *name = model->manifest.entries[index].name.c_str();
  return LNRT_SUCCESS;
}

namespace {

lnrt_status findEntry(const char *function, const lnrt_model *model,
                      const char *name, const EntrySpec *&entry) {
  if (!model || !name)
    return returnFailure(LNRT_ERROR_INVALID_ARGUMENT,
                         std::string(function) + ": model or entry is null");
  entry = model->manifest.findEntry(name);
  if (!entry)
    return returnFailure(LNRT_ERROR_NOT_FOUND, std::string(function) +
                                                   ": model '" + model->path +
                                                   "' has no entry @" + name);
  return LNRT_SUCCESS;
}

lnrt_status describeType(const char *function, const lnrt_model *model,
                         const char *name, size_t index, bool result,
                         lnrt_tensor *spec) {
  const EntrySpec *entry = nullptr;
  if (lnrt_status status = findEntry(function, model, name, entry))
    return status;
  if (!spec)
    return returnFailure(LNRT_ERROR_INVALID_ARGUMENT,
                         std::string(function) + ": spec is null");
  const std::vector<TensorType> &types = result ? entry->results : entry->args;
  if (index >= types.size())
    return returnFailure(LNRT_ERROR_NOT_FOUND,
                         std::string(function) + ": @" + entry->name + " has " +
                             std::to_string(types.size()) +
                             (result ? " results" : " arguments"));
  const TensorType &type = types[index];
  std::memset(spec, 0, sizeof(*spec));
  spec->dtype = type.dtype;
  spec->rank = int32_t(type.shape.size());
  std::copy(type.shape.begin(), type.shape.end(), spec->shape);
  spec->memory = model->manifest.target == LNRT_TARGET_CUDA ? LNRT_MEMORY_DEVICE
                                                            : LNRT_MEMORY_HOST;
  return LNRT_SUCCESS;
}

} // namespace

lnrt_status lnrt_model_entry_arity(const lnrt_model *model, const char *entry,
                                   size_t *num_args, size_t *num_results) {
  const EntrySpec *spec = nullptr;
  if (lnrt_status status = findEntry(__func__, model, entry, spec))
    return status;
  if (!num_args || !num_results)
    return returnFailure(LNRT_ERROR_INVALID_ARGUMENT,
                         "lnrt_model_entry_arity: num_args or num_results is "
                         "null");
  *num_args = spec->args.size();
  *num_results = spec->results.size();
  return LNRT_SUCCESS;
}

lnrt_status lnrt_model_entry_arg(const lnrt_model *model, const char *entry,
                                 size_t index, lnrt_tensor *spec) {
  return describeType(__func__, model, entry, index, false, spec);
}

lnrt_status lnrt_model_entry_result(const lnrt_model *model, const char *entry,
                                    size_t index, lnrt_tensor *spec) {
  return describeType(__func__, model, entry, index, true, spec);
}

lnrt_status lnrt_model_entry_has_reference(const lnrt_model *model,
                                           const char *entry, int *has) {
  const EntrySpec *spec = nullptr;
  if (lnrt_status status = findEntry(__func__, model, entry, spec))
    return status;
  if (!has)
    return returnFailure(LNRT_ERROR_INVALID_ARGUMENT,
                         "lnrt_model_entry_has_reference: has is null");
  *has = !spec->referenceSymbol.empty();
  return LNRT_SUCCESS;
}

lnrt_status lnrt_model_call(lnrt_model *model, const char *entry,
                            const lnrt_tensor *args, size_t nargs,
                            lnrt_tensor *results, size_t nresults,
                            lnrt_stream stream) {
  return callEntry(__func__, model, entry, args, nargs, results, nresults,
                   /*reference=*/false, stream);
}

lnrt_status lnrt_model_call_reference(lnrt_model *model, const char *entry,
                                      const lnrt_tensor *args, size_t nargs,
                                      lnrt_tensor *results, size_t nresults) {
  return callEntry(__func__, model, entry, args, nargs, results, nresults,
                   /*reference=*/true, nullptr);
}

lnrt_status lnrt_tensor_free(lnrt_tensor *tensor) {
  if (!tensor)
    return returnFailure(LNRT_ERROR_INVALID_ARGUMENT,
                         "lnrt_tensor_free: tensor is null");
  if (!tensor->data)
    return LNRT_SUCCESS;
  if (tensor->memory == LNRT_MEMORY_HOST) {
    std::free(tensor->data);
    tensor->data = nullptr;
    return LNRT_SUCCESS;
  }
  if (tensor->memory != LNRT_MEMORY_DEVICE)
    return returnFailure(LNRT_ERROR_INVALID_ARGUMENT,
                         "lnrt_tensor_free: invalid memory kind " +
                             std::to_string(int(tensor->memory)));
  lnrt_status status = lnrt_free(tensor->data);
  if (status == LNRT_SUCCESS)
    tensor->data = nullptr;
  return status;
}
