//===- longnet-exec.cpp - Runs a compiled LongNet model ---------*- C++ -*-===//
//
// Part of the longnet-mlir project.
//
// Loads a model compiled to a shared library (longnet-compile) through
// liblongnet_runtime.so and calls one entry on inputs read from .npy files
// or drawn at random; writes its results as .npy, checks them against the
// entry's host reference variant (--check) and times it (--bench). Links no
// MLIR or LLVM library. docs/longnet-exec.md describes every flag.
//
//===----------------------------------------------------------------------===//

#include "longnet-runtime/CheckedMath.h"
#include "longnet-runtime/HalfPrecision.h"
#include "longnet-runtime/Npy.h"
#include "longnet-runtime/lnrt.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

using namespace longnet;

namespace {

/// Every failure: the message of the one error line.
struct ExecError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void fail(const std::string &message) { throw ExecError(message); }

/// Throws the last lnrt error unless `status` is LNRT_SUCCESS.
void check(lnrt_status status) {
  if (status != LNRT_SUCCESS)
    fail(lnrt_get_last_error());
}

//===----------------------------------------------------------------------===//
// Options
//===----------------------------------------------------------------------===//

const char *kUsage =
    "usage: longnet-exec MODEL.so [--entry=NAME] [--inputs=a.npy,...]\n"
    "                   [--seed=S] [--init-scale=s,...] [--output=o.npy,...]\n"
    "                   [--check] [--atol=A] [--rtol=R] [--bench=R] [--list]\n"
    "\n"
    "Calls an entry of a compiled LongNet model (docs/longnet-exec.md).\n"
    "  --entry=NAME        entry to call (default main)\n"
    "  --inputs=a.npy,...  one .npy file per argument (default: random)\n"
    "  --seed=S            seed of the random inputs (default 0)\n"
    "  --init-scale=s,...  random inputs are uniform in [-s, s): one s, or\n"
    "                      one per argument (default 1)\n"
    "  --output=o.npy,...  write result i to the i-th file ('' skips one)\n"
    "  --check             compare with the entry's reference variant\n"
    "  --atol=A --rtol=R   tolerances of --check: |got - ref| <= A + R*|ref|\n"
    "  --bench=R           time R calls after one warm-up call\n"
    "  --list              print the model's entries and exit\n";

struct Options {
  std::string model;
  std::string entry = "main";
  std::vector<std::string> inputs;
  uint64_t seed = 0;
  std::vector<double> scales;
  std::vector<std::string> outputs;
  bool check = false;
  bool hasAtol = false, hasRtol = false;
  double atol = 0.0, rtol = 0.0;
  unsigned benchRuns = 0;
  bool list = false;
  bool help = false;
};

std::vector<std::string> splitList(const std::string &text) {
  std::vector<std::string> items;
  size_t start = 0;
  while (true) {
    size_t comma = text.find(',', start);
    items.push_back(text.substr(start, comma - start));
    if (comma == std::string::npos)
      return items;
    start = comma + 1;
  }
}

double parseNumber(const std::string &flag, const std::string &text) {
  char *end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(value))
    fail("--" + flag + " expects a number, got '" + text + "'");
  return value;
}

uint64_t parseCount(const std::string &flag, const std::string &text) {
  if (text.empty() || text.size() > 19 ||
      text.find_first_not_of("0123456789") != std::string::npos)
    fail("--" + flag + " expects a non-negative integer, got '" + text + "'");
  return std::stoull(text);
}

Options parseOptions(int argc, char **argv) {
  Options options;
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0 || arg == "--") {
      positional.push_back(arg);
      continue;
    }
    size_t equals = arg.find('=');
    std::string name = arg.substr(2, equals - 2);
    bool hasValue = equals != std::string::npos;
    std::string value = hasValue ? arg.substr(equals + 1) : "";
    auto needValue = [&] {
      if (!hasValue)
        fail("--" + name + " needs a value (--" + name + "=...)");
    };
    auto noValue = [&] {
      if (hasValue)
        fail("--" + name + " takes no value");
    };
    if (name == "entry") {
      needValue();
      options.entry = value;
    } else if (name == "inputs") {
      needValue();
      options.inputs = splitList(value);
    } else if (name == "seed") {
      needValue();
      options.seed = parseCount(name, value);
    } else if (name == "init-scale") {
      needValue();
      for (const std::string &item : splitList(value))
        options.scales.push_back(parseNumber(name, item));
    } else if (name == "output") {
      needValue();
      options.outputs = splitList(value);
    } else if (name == "check") {
      noValue();
      options.check = true;
    } else if (name == "atol" || name == "rtol") {
      needValue();
      double tolerance = parseNumber(name, value);
      if (tolerance < 0.0)
        fail("--" + name + " must be a non-negative number");
      (name == "atol" ? options.atol : options.rtol) = tolerance;
      (name == "atol" ? options.hasAtol : options.hasRtol) = true;
    } else if (name == "bench") {
      needValue();
      uint64_t runs = parseCount(name, value);
      if (runs == 0 || runs > 1000000)
        fail("--bench needs between 1 and 1000000 runs");
      options.benchRuns = unsigned(runs);
    } else if (name == "list") {
      noValue();
      options.list = true;
    } else if (name == "help") {
      options.help = true;
    } else {
      fail("unknown option '" + arg + "' (see --help)");
    }
  }
  if (options.help)
    return options;
  if (positional.empty())
    fail("no model given (usage: longnet-exec MODEL.so [options])");
  if (positional.size() > 1)
    fail("one model expected, got '" + positional[0] + "' and '" +
         positional[1] + "'");
  options.model = positional[0];
  if (options.entry.empty())
    fail("--entry needs a name");
  return options;
}

//===----------------------------------------------------------------------===//
// Host tensors
//===----------------------------------------------------------------------===//

std::string formatShape(const int64_t *shape, int32_t rank) {
  if (rank == 0)
    return "scalar";
  std::string text;
  for (int32_t dim = 0; dim < rank; ++dim)
    text += (dim ? "x" : "") +
            (shape[dim] == LNRT_DYNAMIC ? "?" : std::to_string(shape[dim]));
  return text;
}

/// "f32 2x3", as the manifest writes a type.
std::string describeType(const lnrt_tensor &spec) {
  return std::string(lnrt_dtype_name(spec.dtype)) + " " +
         formatShape(spec.shape, spec.rank);
}

/// "tensor<2x3xf32>", as longnet-run prints a result.
std::string describeTensor(const lnrt_tensor &tensor) {
  std::string text = "tensor<";
  for (int32_t dim = 0; dim < tensor.rank; ++dim)
    text += std::to_string(tensor.shape[dim]) + "x";
  return text + lnrt_dtype_name(tensor.dtype) + ">";
}

/// The element count; a shape whose byte size overflows is an error (the
/// runtime refuses such models when it loads them; inputs are checked here).
int64_t numElements(const lnrt_tensor &tensor) {
  int64_t elementSize = std::max<int64_t>(1, lnrt_dtype_size(tensor.dtype));
  std::optional<int64_t> bytes =
      longnet::checkedProduct(tensor.shape, size_t(tensor.rank), elementSize);
  if (!bytes)
    fail(describeTensor(tensor) + ": its size in bytes overflows a 64-bit "
                                  "integer");
  return *bytes / elementSize;
}

/// A tensor in host memory that owns its bytes.
struct HostTensor {
  lnrt_tensor view;
  std::vector<uint8_t> bytes;

  explicit HostTensor(const lnrt_tensor &type) : view(type) {
    view.memory = LNRT_MEMORY_HOST;
    bytes.resize(std::max<size_t>(
        size_t(numElements(view)) * lnrt_dtype_size(view.dtype), 1));
    view.data = bytes.data();
  }
  HostTensor(const HostTensor &other) : view(other.view), bytes(other.bytes) {
    view.data = bytes.data();
  }

  double get(int64_t i) const {
    const uint8_t *at = bytes.data() + i * lnrt_dtype_size(view.dtype);
    uint16_t half;
    float single;
    double value;
    switch (view.dtype) {
    case LNRT_F16:
      std::memcpy(&half, at, 2);
      return halfToFloat(half);
    case LNRT_BF16:
      std::memcpy(&half, at, 2);
      return bfloat16ToFloat(half);
    case LNRT_F32:
      std::memcpy(&single, at, 4);
      return single;
    case LNRT_F64:
      std::memcpy(&value, at, 8);
      return value;
    case LNRT_DTYPE_MAX_ENUM:
      break;
    }
    return NAN;
  }

  void set(int64_t i, double value) {
    uint8_t *at = bytes.data() + i * lnrt_dtype_size(view.dtype);
    uint16_t half;
    float single = float(value);
    switch (view.dtype) {
    case LNRT_F16:
      half = floatToHalf(single);
      std::memcpy(at, &half, 2);
      return;
    case LNRT_BF16:
      half = floatToBFloat16(single);
      std::memcpy(at, &half, 2);
      return;
    case LNRT_F32:
      std::memcpy(at, &single, 4);
      return;
    case LNRT_F64:
      std::memcpy(at, &value, 8);
      return;
    case LNRT_DTYPE_MAX_ENUM:
      break;
    }
  }
};

/// The .npy element type of an lnrt dtype.
npy::DType toNpy(lnrt_dtype dtype) {
  switch (dtype) {
  case LNRT_F16:
    return npy::DType::Float16;
  case LNRT_BF16:
    return npy::DType::BFloat16;
  case LNRT_F32:
    return npy::DType::Float32;
  case LNRT_F64:
    return npy::DType::Float64;
  case LNRT_DTYPE_MAX_ENUM:
    break;
  }
  return npy::DType::Float32;
}

//===----------------------------------------------------------------------===//
// The model
//===----------------------------------------------------------------------===//

/// The arguments and results of an entry.
struct Signature {
  std::vector<lnrt_tensor> args, results;
  bool hasReference = false;
};

Signature loadSignature(lnrt_model *model, const std::string &entry) {
  Signature signature;
  size_t nargs = 0, nresults = 0;
  check(lnrt_model_entry_arity(model, entry.c_str(), &nargs, &nresults));
  signature.args.resize(nargs);
  signature.results.resize(nresults);
  for (size_t i = 0; i < nargs; ++i)
    check(lnrt_model_entry_arg(model, entry.c_str(), i, &signature.args[i]));
  for (size_t i = 0; i < nresults; ++i)
    check(lnrt_model_entry_result(model, entry.c_str(), i,
                                  &signature.results[i]));
  int has = 0;
  check(lnrt_model_entry_has_reference(model, entry.c_str(), &has));
  signature.hasReference = has;
  return signature;
}

/// The loaded model and the signature of the chosen entry.
struct Model {
  lnrt_model *handle = nullptr;
  lnrt_target target = LNRT_TARGET_CPU;
  std::vector<lnrt_tensor> args, results;
  bool hasReference = false;

  ~Model() { lnrt_model_unload(handle); }

  void select(const std::string &entry) {
    Signature signature = loadSignature(handle, entry);
    args = signature.args;
    results = signature.results;
    hasReference = signature.hasReference;
  }
};

void checkEntryExists(lnrt_model *model, const std::string &entry) {
  size_t count = 0;
  check(lnrt_model_entry_count(model, &count));
  std::string names;
  for (size_t i = 0; i < count; ++i) {
    const char *name = nullptr;
    check(lnrt_model_entry_name(model, i, &name));
    if (entry == name)
      return;
    names += (names.empty() ? "@" : ", @") + std::string(name);
  }
  fail("no entry @" + entry + " in the model (entries: " + names +
       "); choose one with --entry");
}

void listEntries(const Model &model, const std::string &path) {
  const char *chip = "";
  check(lnrt_model_chip(model.handle, &chip));
  std::printf("model %s: target %s%s%s\n", path.c_str(),
              model.target == LNRT_TARGET_CUDA ? "cuda" : "cpu",
              *chip ? " " : "", chip);
  size_t count = 0;
  check(lnrt_model_entry_count(model.handle, &count));
  for (size_t i = 0; i < count; ++i) {
    const char *name = nullptr;
    check(lnrt_model_entry_name(model.handle, i, &name));
    Signature entry = loadSignature(model.handle, name);
    std::string text = std::string("entry @") + name + "(";
    for (size_t a = 0; a < entry.args.size(); ++a)
      text += (a ? ", " : "") + describeType(entry.args[a]);
    text += ") -> (";
    for (size_t r = 0; r < entry.results.size(); ++r)
      text += (r ? ", " : "") + describeType(entry.results[r]);
    text += ")";
    if (entry.hasReference)
      text += ", reference";
    std::printf("%s\n", text.c_str());
  }
}

//===----------------------------------------------------------------------===//
// Inputs and results
//===----------------------------------------------------------------------===//

HostTensor readInput(const lnrt_tensor &spec, size_t index,
                     const std::string &path) {
  npy::Array array;
  if (std::string error = npy::readFile(path, array); !error.empty())
    fail("argument " + std::to_string(index) + ": " + error);
  std::string where =
      "argument " + std::to_string(index) + " ('" + path + "'): ";
  npy::DType expected = toNpy(spec.dtype);
  bool dtypeMatches =
      array.dtype == expected ||
      (spec.dtype == LNRT_BF16 && array.dtype == npy::DType::UInt16);
  if (!dtypeMatches)
    fail(where + "expected " + describeType(spec) + ", got a " +
         npy::dtypeName(array.dtype) + " array");
  bool shapeMatches = array.shape.size() == size_t(spec.rank);
  for (size_t dim = 0; shapeMatches && dim < array.shape.size(); ++dim)
    shapeMatches =
        spec.shape[dim] == LNRT_DYNAMIC || spec.shape[dim] == array.shape[dim];
  if (!shapeMatches)
    fail(where + "expected " + describeType(spec) + ", got shape (" +
         npy::formatShape(array.shape) + ")");
  lnrt_tensor type = spec;
  std::copy(array.shape.begin(), array.shape.end(), type.shape);
  HostTensor tensor(type);
  // Empty arrays have no data pointer: memcpy(dst, nullptr, 0) is undefined.
  if (size_t bytes = std::min(array.data.size(), tensor.bytes.size()))
    std::memcpy(tensor.bytes.data(), array.data.data(), bytes);
  return tensor;
}

/// Uniform in [-scale, scale), the stream of longnet-run --init=uniform.
void fillRandom(HostTensor &tensor, double scale, uint64_t seed,
                uint64_t stream) {
  std::seed_seq seeds{uint32_t(seed), uint32_t(seed >> 32), uint32_t(stream),
                      uint32_t(stream >> 32)};
  std::mt19937_64 engine(seeds);
  for (int64_t i = 0; i < numElements(tensor.view); ++i)
    tensor.set(i, scale * (2.0 * (double(engine() >> 11) * 0x1.0p-53) - 1.0));
}

std::vector<HostTensor> makeInputs(const Model &model, const Options &options) {
  std::vector<HostTensor> inputs;
  if (!options.inputs.empty()) {
    if (options.inputs.size() != model.args.size())
      fail("the entry takes " + std::to_string(model.args.size()) +
           " arguments but --inputs gives " +
           std::to_string(options.inputs.size()) + " files");
    for (size_t i = 0; i < model.args.size(); ++i)
      inputs.push_back(readInput(model.args[i], i, options.inputs[i]));
    return inputs;
  }
  if (options.scales.size() > 1 && options.scales.size() != model.args.size())
    fail("--init-scale gives " + std::to_string(options.scales.size()) +
         " scales for " + std::to_string(model.args.size()) + " arguments");
  for (size_t i = 0; i < model.args.size(); ++i) {
    const lnrt_tensor &spec = model.args[i];
    for (int32_t dim = 0; dim < spec.rank; ++dim)
      if (spec.shape[dim] == LNRT_DYNAMIC)
        fail("argument " + std::to_string(i) + " (" + describeType(spec) +
             ") has a dynamic dimension: give its value with --inputs");
    double scale = options.scales.empty()       ? 1.0
                   : options.scales.size() == 1 ? options.scales[0]
                                                : options.scales[i];
    HostTensor tensor(spec);
    fillRandom(tensor, scale, options.seed, i);
    inputs.push_back(std::move(tensor));
  }
  return inputs;
}

/// Results as the runtime returns them: host memory it allocated.
struct Results {
  std::vector<lnrt_tensor> tensors;

  explicit Results(size_t count) : tensors(count) {
    for (lnrt_tensor &tensor : tensors) {
      std::memset(&tensor, 0, sizeof(tensor));
      tensor.memory = LNRT_MEMORY_HOST;
    }
  }
  ~Results() {
    for (lnrt_tensor &tensor : tensors)
      lnrt_tensor_free(&tensor);
  }

  HostTensor copy(size_t index) const {
    HostTensor tensor(tensors[index]);
    if (size_t bytes = size_t(numElements(tensors[index])) *
                       lnrt_dtype_size(tensors[index].dtype))
      std::memcpy(tensor.bytes.data(), tensors[index].data, bytes);
    return tensor;
  }
};

std::vector<lnrt_tensor> viewsOf(const std::vector<HostTensor> &tensors) {
  std::vector<lnrt_tensor> views;
  for (const HostTensor &tensor : tensors)
    views.push_back(tensor.view);
  return views;
}

std::vector<HostTensor> callEntry(Model &model, const std::string &entry,
                                  const std::vector<HostTensor> &inputs,
                                  bool reference) {
  std::vector<lnrt_tensor> args = viewsOf(inputs);
  Results results(model.results.size());
  lnrt_status status =
      reference
          ? lnrt_model_call_reference(model.handle, entry.c_str(), args.data(),
                                      args.size(), results.tensors.data(),
                                      results.tensors.size())
          : lnrt_model_call(model.handle, entry.c_str(), args.data(),
                            args.size(), results.tensors.data(),
                            results.tensors.size(), nullptr);
  check(status);
  std::vector<HostTensor> copies;
  for (size_t i = 0; i < results.tensors.size(); ++i)
    copies.push_back(results.copy(i));
  return copies;
}

std::string summarize(const HostTensor &tensor) {
  double minimum = INFINITY, maximum = -INFINITY, sum = 0.0;
  int64_t count = 0, nans = 0;
  for (int64_t i = 0; i < numElements(tensor.view); ++i) {
    double x = tensor.get(i);
    if (std::isnan(x)) {
      ++nans;
      continue;
    }
    minimum = std::min(minimum, x);
    maximum = std::max(maximum, x);
    sum += x;
    ++count;
  }
  char text[160];
  if (count > 0)
    std::snprintf(text, sizeof(text), "min %g max %g mean %g", minimum, maximum,
                  sum / double(count));
  else
    std::snprintf(text, sizeof(text), "no values");
  std::string summary = text;
  if (nans > 0)
    summary += " nan " + std::to_string(nans);
  return summary;
}

void writeOutputs(const std::vector<HostTensor> &results,
                  const Options &options) {
  for (size_t i = 0; i < options.outputs.size(); ++i) {
    if (options.outputs[i].empty())
      continue;
    const HostTensor &result = results[i];
    npy::Array array;
    array.dtype = toNpy(result.view.dtype);
    array.shape.assign(result.view.shape, result.view.shape + result.view.rank);
    array.data.assign(result.bytes.begin(),
                      result.bytes.begin() +
                          size_t(numElements(result.view)) *
                              lnrt_dtype_size(result.view.dtype));
    if (std::string error = npy::writeFile(options.outputs[i], array);
        !error.empty())
      fail("result " + std::to_string(i) + ": " + error);
  }
}

//===----------------------------------------------------------------------===//
// --check and --bench
//===----------------------------------------------------------------------===//

/// Default atol and rtol by result dtype: a few ulps of a 11- or 8-bit
/// significand for f16/bf16, f32 accumulation error for f32.
double defaultTolerance(lnrt_dtype dtype) {
  switch (dtype) {
  case LNRT_F16:
    return 2e-2;
  case LNRT_BF16:
    return 5e-2;
  case LNRT_F32:
    return 1e-4;
  case LNRT_F64:
    return 1e-9;
  case LNRT_DTYPE_MAX_ENUM:
    break;
  }
  return 0.0;
}

void checkWithReference(Model &model, const Options &options,
                        const std::vector<HostTensor> &inputs,
                        const std::vector<HostTensor> &results) {
  if (!model.hasReference)
    fail("--check: entry @" + options.entry +
         " has no reference variant in the model");
  std::vector<HostTensor> expected =
      callEntry(model, options.entry, inputs, /*reference=*/true);
  std::string firstFailure;
  for (size_t index = 0; index < results.size(); ++index) {
    const HostTensor &got = results[index];
    const HostTensor &ref = expected[index];
    double atol =
        options.hasAtol ? options.atol : defaultTolerance(got.view.dtype);
    double rtol =
        options.hasRtol ? options.rtol : defaultTolerance(got.view.dtype);
    double maxAbs = 0.0, maxRef = 0.0;
    int64_t nans = 0, refNans = 0, violations = 0;
    for (int64_t i = 0; i < numElements(got.view); ++i) {
      double a = got.get(i), b = ref.get(i);
      nans += std::isnan(a);
      refNans += std::isnan(b);
      if (std::isnan(a) || std::isnan(b))
        continue;
      double error = a == b ? 0.0 : std::fabs(a - b); // inf == inf.
      maxAbs = std::max(maxAbs, error);
      if (std::isfinite(b))
        maxRef = std::max(maxRef, std::fabs(b));
      violations += !(error <= atol + rtol * std::fabs(b));
    }
    bool passes = nans == 0 && refNans == 0 && violations == 0;
    // As longnet-run: the largest error relative to the largest reference
    // magnitude (elementwise ratios blow up at values near 0).
    double maxRel =
        maxRef > 0.0 ? maxAbs / maxRef : (maxAbs == 0.0 ? 0.0 : INFINITY);
    std::printf("check result %zu: max abs error %.3e, max rel error %.3e",
                index, maxAbs, maxRel);
    if (nans || refNans)
      std::printf(", NaN %lld (reference %lld)", (long long)nans,
                  (long long)refNans);
    std::printf(" (atol %g, rtol %g): %s\n", atol, rtol,
                passes ? "ok" : "FAILED");
    if (passes || !firstFailure.empty())
      continue;
    firstFailure =
        "--check failed: result " + std::to_string(index) + " (" +
        describeTensor(got.view) + ")" +
        (nans || refNans ? std::string(" has NaN values")
                         : " " + std::to_string(violations) + " of " +
                               std::to_string(numElements(got.view)) +
                               " elements exceed atol + rtol * |reference|");
  }
  if (!firstFailure.empty())
    fail(firstFailure);
}

std::string formatDuration(double seconds) {
  char text[64];
  if (seconds >= 1.0)
    std::snprintf(text, sizeof(text), "%.3f s", seconds);
  else
    std::snprintf(text, sizeof(text), "%.3f ms", seconds * 1e3);
  return text;
}

/// Seconds of one call: CUDA events around it on a stream of its own for a
/// CUDA model (inputs and results in device memory), the steady clock for a
/// CPU model.
class Timer {
public:
  Timer(Model &model, const std::string &entry,
        const std::vector<HostTensor> &inputs)
      : model(model), entry(entry) {
    args = viewsOf(inputs);
    results.resize(model.results.size());
    for (lnrt_tensor &result : results) {
      std::memset(&result, 0, sizeof(result));
      result.memory = onDevice() ? LNRT_MEMORY_DEVICE : LNRT_MEMORY_HOST;
    }
    if (!onDevice())
      return;
    check(lnrt_stream_create(&stream));
    check(lnrt_event_create(&start));
    check(lnrt_event_create(&end));
    for (lnrt_tensor &arg : args) {
      void *device = nullptr;
      size_t bytes = size_t(numElements(arg)) * lnrt_dtype_size(arg.dtype);
      check(lnrt_malloc(&device, bytes));
      deviceArgs.push_back(device);
      check(lnrt_memcpy_htod(device, arg.data, bytes));
      arg.data = device;
      arg.memory = LNRT_MEMORY_DEVICE;
    }
  }

  ~Timer() {
    for (lnrt_tensor &result : results)
      lnrt_tensor_free(&result);
    for (void *device : deviceArgs)
      lnrt_free(device);
    if (start)
      lnrt_event_destroy(start);
    if (end)
      lnrt_event_destroy(end);
    if (stream)
      lnrt_stream_destroy(stream);
  }

  /// The first call allocates the results; later calls reuse them.
  double time() {
    if (!onDevice()) {
      auto begin = std::chrono::steady_clock::now();
      check(call());
      return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                           begin)
          .count();
    }
    check(lnrt_event_record(start, stream));
    check(call());
    check(lnrt_event_record(end, stream));
    check(lnrt_event_synchronize(end));
    float ms = 0.0f;
    check(lnrt_event_elapsed_ms(&ms, start, end));
    return double(ms) * 1e-3;
  }

private:
  bool onDevice() const { return model.target == LNRT_TARGET_CUDA; }

  lnrt_status call() {
    return lnrt_model_call(model.handle, entry.c_str(), args.data(),
                           args.size(), results.data(), results.size(), stream);
  }

  Model &model;
  const std::string &entry;
  std::vector<lnrt_tensor> args, results;
  std::vector<void *> deviceArgs;
  lnrt_stream stream = nullptr;
  lnrt_event start = nullptr, end = nullptr;
};

void runBenchmark(Model &model, const Options &options,
                  const std::vector<HostTensor> &inputs) {
  Timer timer(model, options.entry, inputs);
  std::vector<double> times;
  for (unsigned run = 0; run <= options.benchRuns; ++run) {
    double seconds = timer.time();
    if (run > 0) // Run 0 is the warm-up.
      times.push_back(seconds);
  }
  std::sort(times.begin(), times.end());
  size_t n = times.size();
  double median =
      n % 2 ? times[n / 2] : 0.5 * (times[n / 2 - 1] + times[n / 2]);
  std::printf("median %s (min %s, max %s, %zu runs after 1 warm-up)\n",
              formatDuration(median).c_str(),
              formatDuration(times.front()).c_str(),
              formatDuration(times.back()).c_str(), n);
}

//===----------------------------------------------------------------------===//
// Driver
//===----------------------------------------------------------------------===//

void runTool(const Options &options) {
  Model model;
  check(lnrt_model_load(options.model.c_str(), &model.handle));
  check(lnrt_model_target(model.handle, &model.target));
  if (options.list) {
    listEntries(model, options.model);
    return;
  }
  checkEntryExists(model.handle, options.entry);
  model.select(options.entry);
  if (options.outputs.size() > model.results.size())
    fail("--output gives " + std::to_string(options.outputs.size()) +
         " files but the entry returns " +
         std::to_string(model.results.size()) + " results");
  if (options.check && !model.hasReference)
    fail("--check: entry @" + options.entry +
         " has no reference variant in the model");
  std::vector<HostTensor> inputs = makeInputs(model, options);
  std::vector<HostTensor> results =
      callEntry(model, options.entry, inputs, /*reference=*/false);
  writeOutputs(results, options);
  for (size_t i = 0; i < results.size(); ++i)
    std::printf("result %zu: %s %s\n", i,
                describeTensor(results[i].view).c_str(),
                summarize(results[i]).c_str());
  if (options.check)
    checkWithReference(model, options, inputs, results);
  if (options.benchRuns > 0)
    runBenchmark(model, options, inputs);
}

} // namespace

int main(int argc, char **argv) {
  try {
    Options options = parseOptions(argc, argv);
    if (options.help) {
      std::fputs(kUsage, stdout);
      return 0;
    }
    runTool(options);
  } catch (const std::exception &error) {
    std::fflush(stdout); // Results and check lines come before the error.
    std::fprintf(stderr, "longnet-exec: error: %s\n", error.what());
    return 1;
  }
  return 0;
}
