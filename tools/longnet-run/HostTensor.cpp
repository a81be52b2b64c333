//===- HostTensor.cpp - Tensors that longnet-run passes and returns -------===//
//
// Part of the longnet-mlir project.
//
//===----------------------------------------------------------------------===//

#include "HostTensor.h"

#include "longnet-runtime/CheckedMath.h"

#include "longnet-runtime/HalfPrecision.h"

#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <random>

using namespace longnet;
using namespace longnet::run;

namespace {

/// Alignment of host buffers: a cache line, and enough for any vector load.
constexpr size_t kAlignment = 64;

/// A zero-filled, aligned buffer of at least `size` bytes, or null.
void *tryAllocateZeroed(size_t size) {
  size_t rounded =
      std::max(kAlignment, (size + kAlignment - 1) / kAlignment * kAlignment);
  if (rounded < size)
    return nullptr;
  void *pointer = std::aligned_alloc(kAlignment, rounded);
  if (pointer)
    std::memset(pointer, 0, rounded);
  return pointer;
}

/// The element count (wrapping, not undefined, for a shape that allocate()
/// rejects).
int64_t countElements(llvm::ArrayRef<int64_t> shape) {
  uint64_t count = 1;
  for (int64_t dim : shape)
    count *= uint64_t(dim);
  return int64_t(count);
}

/// The byte size of `shape`, or nullopt when it overflows.
std::optional<size_t> computeSizeInBytes(ElementType type,
                                         llvm::ArrayRef<int64_t> shape) {
  std::optional<int64_t> size = ::longnet::checkedProduct(
      shape.data(), shape.size(), int64_t(npy::elementSize(type)));
  if (!size)
    return std::nullopt;
  return size_t(*size);
}

/// Uniform double in [0, 1) from the top 53 bits of a 64-bit draw.
double uniform01(std::mt19937_64 &engine) {
  return double(engine() >> 11) * 0x1.0p-53;
}

} // namespace

HostTensor::HostTensor(ElementType type, llvm::ArrayRef<int64_t> shape,
                       void *storage)
    : type(type), shape(shape), numElements(countElements(shape)),
      storage(static_cast<uint8_t *>(storage)) {}

HostTensor::HostTensor(ElementType type, llvm::ArrayRef<int64_t> shape)
    : HostTensor(type, shape,
                 tryAllocateZeroed(size_t(countElements(shape)) *
                                   npy::elementSize(type))) {
  if (!storage)
    llvm::report_bad_alloc_error("longnet-run: out of memory for a tensor");
}

llvm::Expected<HostTensor> HostTensor::allocate(ElementType type,
                                                llvm::ArrayRef<int64_t> shape) {
  std::optional<size_t> size = computeSizeInBytes(type, shape);
  void *storage = size ? tryAllocateZeroed(*size) : nullptr;
  HostTensor tensor(type, shape, storage);
  if (!storage)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "cannot allocate " + tensor.describe() +
            (size ? ": " + std::to_string(*size) + " bytes"
                  : std::string(": its size overflows")));
  return tensor;
}

double HostTensor::get(int64_t index) const {
  const uint8_t *element = storage.get() + index * npy::elementSize(type);
  switch (type) {
  case ElementType::Float16:
  case ElementType::BFloat16:
  case ElementType::UInt16: {
    uint16_t bits;
    std::memcpy(&bits, element, sizeof(bits));
    return type == ElementType::Float16 ? halfToFloat(bits)
                                        : bfloat16ToFloat(bits);
  }
  case ElementType::Float32: {
    float value;
    std::memcpy(&value, element, sizeof(value));
    return value;
  }
  case ElementType::Float64: {
    double value;
    std::memcpy(&value, element, sizeof(value));
    return value;
  }
  }
  return 0.0;
}

void HostTensor::set(int64_t index, double value) {
  uint8_t *element = storage.get() + index * npy::elementSize(type);
  switch (type) {
  case ElementType::Float16:
  case ElementType::BFloat16:
  case ElementType::UInt16: {
    uint16_t bits = type == ElementType::Float16
                        ? floatToHalf(float(value))
                        : floatToBFloat16(float(value));
    std::memcpy(element, &bits, sizeof(bits));
    return;
  }
  case ElementType::Float32: {
    float narrowed = float(value);
    std::memcpy(element, &narrowed, sizeof(narrowed));
    return;
  }
  case ElementType::Float64:
    std::memcpy(element, &value, sizeof(value));
    return;
  }
}

std::string HostTensor::describe() const {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "tensor<";
  for (int64_t dim : shape)
    os << dim << "x";
  os << getTypeName(type) << ">";
  return text;
}

HostTensor HostTensor::clone() const {
  HostTensor copy(type, shape);
  std::memcpy(copy.getData(), getData(), getSizeInBytes());
  return copy;
}

const char *longnet::run::getTypeName(ElementType type) {
  return npy::dtypeName(type);
}

void longnet::run::fillRandom(HostTensor &tensor, InitKind kind, double scale,
                              uint64_t seed, uint64_t stream) {
  std::seed_seq seeds{uint32_t(seed), uint32_t(seed >> 32), uint32_t(stream),
                      uint32_t(stream >> 32)};
  std::mt19937_64 engine(seeds);
  const double twoPi = 2.0 * M_PI;
  for (int64_t i = 0; i < tensor.getNumElements(); i += 2) {
    double first, second;
    if (kind == InitKind::Uniform) {
      first = 2.0 * uniform01(engine) - 1.0;
      second = 2.0 * uniform01(engine) - 1.0;
    } else {
      // Box-Muller; 1 - u lies in (0, 1], so the log is finite.
      double radius = std::sqrt(-2.0 * std::log(1.0 - uniform01(engine)));
      double angle = twoPi * uniform01(engine);
      first = radius * std::cos(angle);
      second = radius * std::sin(angle);
    }
    tensor.set(i, scale * first);
    if (i + 1 < tensor.getNumElements())
      tensor.set(i + 1, scale * second);
  }
}

HostTensor longnet::run::fromNpy(const npy::Array &array, ElementType type) {
  HostTensor tensor(type, array.shape);
  // Empty arrays have no data pointer: memcpy(dst, nullptr, 0) is undefined.
  if (size_t bytes = std::min(array.data.size(), tensor.getSizeInBytes()))
    std::memcpy(tensor.getData(), array.data.data(), bytes);
  return tensor;
}

npy::Array longnet::run::toNpy(const HostTensor &tensor) {
  npy::Array array;
  array.dtype = tensor.getElementType();
  array.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
  const uint8_t *data = static_cast<const uint8_t *>(tensor.getData());
  array.data.assign(data, data + tensor.getSizeInBytes());
  return array;
}

double Comparison::relativeError() const {
  if (maxExpected > 0.0)
    return maxAbsError / maxExpected;
  return maxAbsError == 0.0 ? 0.0 : INFINITY;
}

bool Comparison::passes(double atol, double rtol) const {
  return actualNaNs == 0 && expectedNaNs == 0 &&
         maxAbsError <= atol + rtol * maxExpected;
}

Comparison longnet::run::compare(const HostTensor &actual,
                                 const HostTensor &expected) {
  Comparison result;
  for (int64_t i = 0; i < actual.getNumElements(); ++i) {
    double a = actual.get(i), b = expected.get(i);
    result.actualNaNs += std::isnan(a);
    result.expectedNaNs += std::isnan(b);
    if (std::isnan(a) || std::isnan(b))
      continue;
    if (std::isfinite(b))
      result.maxExpected = std::max(result.maxExpected, std::fabs(b));
    double error = a == b ? 0.0 : std::fabs(a - b); // inf == inf: no error.
    result.maxAbsError = std::max(result.maxAbsError, error);
  }
  return result;
}

std::string longnet::run::summarize(const HostTensor &tensor) {
  double minimum = INFINITY, maximum = -INFINITY, sum = 0.0;
  int64_t count = 0, nans = 0;
  for (int64_t i = 0; i < tensor.getNumElements(); ++i) {
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
  std::string text;
  llvm::raw_string_ostream os(text);
  if (count > 0)
    os << llvm::format("min %g max %g mean %g", minimum, maximum,
                       sum / double(count));
  else
    os << "no values";
  if (nans > 0)
    os << " nan " << nans;
  return text;
}
