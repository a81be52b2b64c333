//===- fma_peak.cpp - Measured fp32 FMA peak of one core --------*- C++ -*-===//
//
// Part of the longnet-mlir project.
//
// Runs 12 independent chains of 256-bit fp32 FMAs (AVX2/FMA3, the widest
// vectors the compiled kernels use on x86-64) and prints the median of 7
// runs in GFLOP/s, for one thread: `fma_peak [seconds]`.
//
//===----------------------------------------------------------------------===//

#include <immintrin.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#define LONGNET_FMA_CHAINS(X)                                                  \
  X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11)

__attribute__((target("avx2,fma"))) static float runChains(long iterations) {
  const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
#define DECLARE(i) __m256 acc##i = _mm256_set1_ps(0.001f * i);
  LONGNET_FMA_CHAINS(DECLARE)
  for (long it = 0; it < iterations; ++it) {
#define STEP(i)                                                                \
  acc##i = _mm256_fmadd_ps(acc##i, a, b);                                      \
  asm volatile("" : "+x"(acc##i));
    LONGNET_FMA_CHAINS(STEP)
  }
  __m256 sum = _mm256_setzero_ps();
#define SUM(i) sum = _mm256_add_ps(sum, acc##i);
  LONGNET_FMA_CHAINS(SUM)
  float out[8];
  _mm256_storeu_ps(out, sum);
  return out[0];
}

int main(int argc, char **argv) {
  if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) {
    std::fprintf(stderr, "fma_peak: error: this CPU lacks AVX2/FMA\n");
    return 1;
  }
  double seconds = argc > 1 ? std::atof(argv[1]) : 0.3;
  long iterations = 1 << 20;
  // Calibrate to about `seconds` per run.
  for (;;) {
    auto t0 = std::chrono::steady_clock::now();
    volatile float sink = runChains(iterations);
    (void)sink;
    double t =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
            .count();
    if (t > seconds / 4)
      break;
    iterations *= 2;
  }
  std::vector<double> rates;
  for (int run = 0; run < 7; ++run) {
    auto t0 = std::chrono::steady_clock::now();
    volatile float sink = runChains(iterations);
    (void)sink;
    double t =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
            .count();
    rates.push_back(iterations * 12.0 * 8 * 2 / t / 1e9);
  }
  std::sort(rates.begin(), rates.end());
  std::printf("fp32 FMA peak (1 thread, 256-bit): median %.1f GFLOP/s\n",
              rates[rates.size() / 2]);
  return 0;
}
