//===- CheckedMath.h - Size arithmetic that reports overflow ----*- C++ -*-===//
//
// Part of the longnet-mlir project.
//
// Products of sizes (element counts, byte sizes, gathered row counts) in
// the verifiers, passes, tools and runtime: nullopt when the product does
// not fit, so that a size that overflows is a clear error rather than a
// wrapped value (or undefined behaviour). Header-only, no dependencies.
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_RUNTIME_CHECKEDMATH_H
#define LONGNET_RUNTIME_CHECKEDMATH_H

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <optional>

namespace longnet {

/// x * y, or nullopt when it overflows int64_t.
inline std::optional<int64_t> checkedMul(int64_t x, int64_t y) {
  int64_t product;
  if (__builtin_mul_overflow(x, y, &product))
    return std::nullopt;
  return product;
}

/// x + y, or nullopt when it overflows int64_t.
inline std::optional<int64_t> checkedAdd(int64_t x, int64_t y) {
  int64_t sum;
  if (__builtin_add_overflow(x, y, &sum))
    return std::nullopt;
  return sum;
}

/// The product of `count` sizes at `sizes` (each >= 0) times `factor`, or
/// nullopt when a size is negative or the product overflows int64_t.
inline std::optional<int64_t> checkedProduct(const int64_t *sizes, size_t count,
                                             int64_t factor = 1) {
  int64_t product = factor;
  for (size_t i = 0; i < count; ++i) {
    if (sizes[i] < 0)
      return std::nullopt;
    std::optional<int64_t> next = checkedMul(product, sizes[i]);
    if (!next)
      return std::nullopt;
    product = *next;
  }
  return product;
}

/// The same over a contiguous range of int64_t (std::vector, ArrayRef,
/// std::initializer_list).
template <typename Range>
std::optional<int64_t> checkedProduct(const Range &sizes, int64_t factor = 1) {
  return checkedProduct(std::data(sizes), std::size(sizes), factor);
}

inline std::optional<int64_t>
checkedProduct(std::initializer_list<int64_t> sizes, int64_t factor = 1) {
  return checkedProduct(std::data(sizes), std::size(sizes), factor);
}

} // namespace longnet

#endif // LONGNET_RUNTIME_CHECKEDMATH_H
