//===- HalfPrecision.h - f16 and bf16 conversions ---------------*- C++ -*-===//
//
// Part of the longnet-mlir project.
//
// Bit-exact conversions between IEEE binary16 (f16), bfloat16 (bf16) and
// float. Narrowing rounds to nearest, ties to even, overflows to infinity and
// keeps NaN a (quiet) NaN; widening is exact. No MLIR or LLVM dependency.
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_RUNTIME_HALFPRECISION_H
#define LONGNET_RUNTIME_HALFPRECISION_H

#include <cstdint>

namespace longnet {

float halfToFloat(uint16_t bits);
uint16_t floatToHalf(float value);

float bfloat16ToFloat(uint16_t bits);
uint16_t floatToBFloat16(float value);

} // namespace longnet

#endif // LONGNET_RUNTIME_HALFPRECISION_H
