//===- HostTensor.h - Tensors longnet-run passes and returns ----*- C++ -*-===//
//
// Part of the longnet-mlir project.
//
// A dense, row-major host tensor of f16, bf16, f32 or f64 in 64-byte aligned
// storage: the inputs that longnet-run reads or draws and the results it
// copies out of the compiled function. Also the random initialisation, the
// comparison behind --check, and the conversions to and from .npy arrays.
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_TOOLS_LONGNET_RUN_HOSTTENSOR_H
#define LONGNET_TOOLS_LONGNET_RUN_HOSTTENSOR_H

#include "longnet-runtime/Npy.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

namespace longnet {
namespace run {

/// Element types of the tensors longnet-run passes: npy::DType::Float16,
/// BFloat16, Float32 or Float64 (never UInt16).
using ElementType = npy::DType;

class HostTensor {
public:
  /// A zero-filled tensor; running out of memory is fatal.
  HostTensor(ElementType type, llvm::ArrayRef<int64_t> shape);

  /// A zero-filled tensor of a shape the user gave, or an error naming the
  /// type when its size overflows or the memory cannot be allocated.
  static llvm::Expected<HostTensor> allocate(ElementType type,
                                             llvm::ArrayRef<int64_t> shape);

  ElementType getElementType() const { return type; }
  llvm::ArrayRef<int64_t> getShape() const { return shape; }
  int64_t getNumElements() const { return numElements; }
  size_t getSizeInBytes() const {
    return size_t(numElements) * npy::elementSize(type);
  }
  void *getData() { return storage.get(); }
  const void *getData() const { return storage.get(); }

  /// Element `index` (row-major) widened to double / narrowed from double
  /// (f16 and bf16 through float, rounding to nearest even).
  double get(int64_t index) const;
  void set(int64_t index, double value);

  /// "tensor<1x4x8xf32>".
  std::string describe() const;

  HostTensor clone() const;

private:
  /// Adopts `storage`, zero-filled and large enough for `shape`.
  HostTensor(ElementType type, llvm::ArrayRef<int64_t> shape, void *storage);

  struct FreeDeleter {
    void operator()(void *pointer) const { std::free(pointer); }
  };
  ElementType type;
  llvm::SmallVector<int64_t> shape;
  int64_t numElements;
  std::unique_ptr<uint8_t[], FreeDeleter> storage;
};

/// The MLIR spelling of an element type: "f16", "bf16", "f32", "f64".
const char *getTypeName(ElementType type);

/// Distribution of the random inputs.
enum class InitKind {
  /// Normal with mean 0 and standard deviation `scale`.
  Normal,
  /// Uniform in [-scale, scale).
  Uniform,
};

/// Fills `tensor` with values drawn from `kind` scaled by `scale`, then
/// rounded to its element type. The stream depends only on (seed, stream)
/// and is the same on every platform (mt19937_64 seeded by
/// std::seed_seq{seed, stream}, Box-Muller for the normal).
void fillRandom(HostTensor &tensor, InitKind kind, double scale, uint64_t seed,
                uint64_t stream);

/// A host tensor from an .npy array, whose dtype and shape the caller has
/// checked against `type` (for bf16, raw '<u2' bits are accepted).
HostTensor fromNpy(const npy::Array &array, ElementType type);

/// The .npy array of `tensor` (bf16 is written as raw '<u2' bits).
npy::Array toNpy(const HostTensor &tensor);

/// Element-wise comparison of a result with the reference's.
struct Comparison {
  /// max |actual - expected| over elements; infinities of equal sign count 0,
  /// an infinity against anything else counts infinity.
  double maxAbsError = 0.0;
  /// max |expected| over finite elements.
  double maxExpected = 0.0;
  int64_t actualNaNs = 0;
  int64_t expectedNaNs = 0;

  /// maxAbsError / maxExpected (0 when both are 0, infinity when only the
  /// latter is).
  double relativeError() const;
  /// No NaN and maxAbsError <= atol + rtol * maxExpected.
  bool passes(double atol, double rtol) const;
};

/// Compares two tensors of one element type and shape.
Comparison compare(const HostTensor &actual, const HostTensor &expected);

/// "min -1.2 max 3.4 mean 0.01" over non-NaN elements, plus "nan N" when
/// there are NaNs.
std::string summarize(const HostTensor &tensor);

} // namespace run
} // namespace longnet

#endif // LONGNET_TOOLS_LONGNET_RUN_HOSTTENSOR_H
