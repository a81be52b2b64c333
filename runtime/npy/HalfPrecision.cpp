//===- HalfPrecision.cpp - f16 and bf16 conversions -----------------------===//
//
// Part of the longnet-mlir project.
//
//===----------------------------------------------------------------------===//

#include "longnet-runtime/HalfPrecision.h"

#include <cmath>
#include <cstring>

namespace {

uint32_t floatBits(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  return bits;
}

float bitsToFloat(uint32_t bits) {
  float value;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

/// Shifts `value` right by `shift` (1..31) bits, rounding to nearest even.
uint32_t shiftRightRoundingEven(uint32_t value, unsigned shift) {
  uint32_t quotient = value >> shift;
  uint32_t remainder = value & ((1u << shift) - 1);
  uint32_t half = 1u << (shift - 1);
  if (remainder > half || (remainder == half && (quotient & 1)))
    ++quotient;
  return quotient;
}

constexpr uint32_t kFloatExponentMask = 0x7f800000;
constexpr uint16_t kHalfInfinity = 0x7c00;
/// 65520 = 65504 (largest f16) + half an ulp: rounds to infinity.
constexpr uint32_t kHalfOverflowBits = 0x477ff000;
/// 2^-14, the smallest normal f16.
constexpr uint32_t kHalfMinNormalBits = 0x38800000;

} // namespace

float longnet::halfToFloat(uint16_t bits) {
  uint32_t sign = uint32_t(bits & 0x8000) << 16;
  uint32_t exponent = (bits >> 10) & 0x1f;
  uint32_t mantissa = bits & 0x3ff;
  if (exponent == 0) {
    float magnitude = std::ldexp(float(mantissa), -24);
    return sign ? -magnitude : magnitude;
  }
  if (exponent == 0x1f)
    return bitsToFloat(sign | kFloatExponentMask | (mantissa << 13));
  return bitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
}

uint16_t longnet::floatToHalf(float value) {
  uint32_t bits = floatBits(value);
  uint16_t sign = uint16_t((bits >> 16) & 0x8000);
  uint32_t magnitude = bits & 0x7fffffff;
  if (magnitude > kFloatExponentMask) // NaN: keep it quiet and signed.
    return sign | kHalfInfinity | 0x200 | ((magnitude >> 13) & 0x3ff);
  if (magnitude >= kHalfOverflowBits)
    return sign | kHalfInfinity;
  if (magnitude >= kHalfMinNormalBits) {
    // Rebias the exponent (127 -> 15); a mantissa carry may round up to the
    // next exponent, which is still finite below kHalfOverflowBits.
    uint32_t rebased = magnitude - (uint32_t(127 - 15) << 23);
    return sign | uint16_t(shiftRightRoundingEven(rebased, 13));
  }
  // Subnormal f16: magnitude / 2^-24 rounded, from the float's significand.
  uint32_t exponent = magnitude >> 23;
  if (exponent < 102) // Below 2^-25: rounds to zero.
    return sign;
  uint32_t significand = (magnitude & 0x7fffff) | 0x800000;
  return sign | uint16_t(shiftRightRoundingEven(significand, 126 - exponent));
}

float longnet::bfloat16ToFloat(uint16_t bits) {
  return bitsToFloat(uint32_t(bits) << 16);
}

uint16_t longnet::floatToBFloat16(float value) {
  uint32_t bits = floatBits(value);
  if ((bits & 0x7fffffff) > kFloatExponentMask) // NaN: keep it quiet.
    return uint16_t((bits >> 16) | 0x40);
  return uint16_t(shiftRightRoundingEven(bits, 16));
}
