//===- Npy.h - NumPy .npy files of LongNet tensors --------------*- C++ -*-===//
//
// Part of the longnet-mlir project.
//
// Reads and writes NumPy's .npy format (versions 1.0, 2.0 and 3.0) for the
// element types LongNet tensors use: f16, bf16, f32 and f64, little-endian,
// C order. Plain C++17 with no MLIR or LLVM dependency, so that runtime-only
// tools can share it with longnet-run.
//
// bf16 has no NumPy type code. Files store it either as its raw bits
// (descr '<u2', what this library writes) or as an ml_dtypes array: np.save
// writes '<V2' for those (the type name is lost) and some tools write the
// name 'bfloat16'. Both of the latter decode as DType::BFloat16; '<u2'
// decodes as DType::UInt16, which a consumer may accept for a bf16 tensor.
//
// Every function that can fail returns an empty string on success and a
// one-line diagnostic otherwise; nothing asserts on file contents.
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_RUNTIME_NPY_H
#define LONGNET_RUNTIME_NPY_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace longnet {
namespace npy {

/// Element types of an .npy array.
enum class DType {
  Float16,
  BFloat16,
  Float32,
  Float64,
  /// Raw 16-bit words: how bf16 is usually stored ('<u2').
  UInt16,
};

/// Bytes per element: 2, 2, 4, 8, 2.
size_t elementSize(DType dtype);

/// A short name for messages: "f16", "bf16", "f32", "f64", "u16".
const char *dtypeName(DType dtype);

/// The descr written for `dtype`: '<f2', '<u2' (bf16 as bits), '<f4', '<f8',
/// '<u2'.
const char *descrOf(DType dtype);

/// Parses the value of the header's 'descr' key. Accepts the little-endian
/// ('<') and native ('=', on a little-endian host) forms of f2, f4, f8, u2,
/// the bf16 spellings 'bfloat16', '<V2' and '|V2'; rejects big-endian and
/// every other type with a message that names it.
std::string parseDescr(const std::string &descr, DType &dtype);

/// A dense, C-ordered array whose elements are stored little-endian.
struct Array {
  DType dtype = DType::Float32;
  /// Empty for a 0-d array (one element).
  std::vector<int64_t> shape;
  std::vector<uint8_t> data;

  /// Product of `shape` (1 for a 0-d array).
  int64_t numElements() const;
};

/// The shape as NumPy prints it without parentheses: "2x3", "5", "" (0-d).
std::string formatShape(const std::vector<int64_t> &shape);

/// Decodes a complete .npy image of `size` bytes.
std::string decode(const void *bytes, size_t size, Array &array);

/// Encodes `array` as a version 1.0 .npy image (header padded to 64 bytes,
/// as NumPy does). Fails when `data` does not hold `numElements()` elements.
std::string encode(const Array &array, std::vector<uint8_t> &bytes);

/// Reads the file at `path`; messages name the file.
std::string readFile(const std::string &path, Array &array);

/// Writes `array` to `path`, replacing the file; messages name the file.
std::string writeFile(const std::string &path, const Array &array);

} // namespace npy
} // namespace longnet

#endif // LONGNET_RUNTIME_NPY_H
