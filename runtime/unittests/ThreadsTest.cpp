//===- ThreadsTest.cpp - The thread pool and its libomp entry points ------===//
//
// Part of the longnet-mlir project.
//
//===----------------------------------------------------------------------===//

#include "longnet-runtime/Threads.h"
#include "../threads/KmpABI.h"

#include "gtest/gtest.h"

#include <atomic>
#include <cstdint>
#include <set>
#include <thread>
#include <type_traits>
#include <vector>

namespace {

//===----------------------------------------------------------------------===//
// Static loop scheduling
//===----------------------------------------------------------------------===//

template <typename T> struct StaticInit;
template <> struct StaticInit<int32_t> {
  static constexpr auto fn = &__kmpc_for_static_init_4;
};
template <> struct StaticInit<uint32_t> {
  static constexpr auto fn = &__kmpc_for_static_init_4u;
};
template <> struct StaticInit<int64_t> {
  static constexpr auto fn = &__kmpc_for_static_init_8;
};
template <> struct StaticInit<uint64_t> {
  static constexpr auto fn = &__kmpc_for_static_init_8u;
};

/// A loop `for (i = lower; i <= upper (>= if incr < 0); i += incr)`
/// scheduled on a team, and what each thread of it ran.
template <typename T> struct LoopRun {
  using ST = std::make_signed_t<T>;
  using UT = std::make_unsigned_t<T>;

  int32_t schedule;
  T lower, upper;
  ST incr, chunk;
  int32_t teamSize;
  /// Per thread: the iteration numbers (0 is `lower`) it ran, and its
  /// plastiter.
  std::vector<std::vector<UT>> iterations;
  std::vector<int32_t> last;
  std::atomic<int> misaligned{0};

  bool empty(T lb, T ub) const { return incr > 0 ? lb > ub : lb < ub; }
  /// The iteration number of `value`, a value of the loop variable.
  UT index(T value) const {
    return incr > 0 ? UT(value - lower) / UT(incr)
                    : UT(lower - value) / UT(-UT(incr));
  }
  bool aligned(T value) const {
    return incr > 0 ? UT(value - lower) % UT(incr) == 0
                    : UT(lower - value) % UT(-UT(incr)) == 0;
  }

  /// Runs this thread's chunks as compiled code does: [lb, ub] clamped to
  /// the loop, then again `stride` further until past the loop.
  void runThread(int32_t gtid) {
    int32_t tid = omp_get_thread_num();
    T lb = lower, ub = upper;
    ST stride = 0;
    int32_t isLast = -1;
    StaticInit<T>::fn(nullptr, gtid, schedule, &isLast, &lb, &ub, &stride, incr,
                      chunk);
    last[tid] = isLast;
    if (empty(lower, upper) || empty(lb, ub))
      return;
    if (!aligned(lb))
      ++misaligned;
    UT strideSize = incr > 0 ? UT(stride) : -UT(stride);
    for (;;) {
      T chunkUpper = empty(ub, upper) ? upper : ub;
      for (UT i = index(lb); i <= index(chunkUpper); ++i)
        iterations[tid].push_back(i);
      UT left = incr > 0 ? UT(upper - lb) : UT(lb - upper);
      if (schedule != kmp_sch_static_chunked || strideSize > left)
        return;
      lb = T(lb + stride);
      ub = T(ub + stride);
    }
  }

  static void microtask(int32_t *gtid, int32_t *, void *self) {
    static_cast<LoopRun *>(self)->runThread(*gtid);
  }

  void run() {
    iterations.assign(teamSize, {});
    last.assign(teamSize, -1);
    __kmpc_push_num_threads(nullptr, __kmpc_global_thread_num(nullptr),
                            teamSize);
    __kmpc_fork_call(nullptr, 1, reinterpret_cast<kmpc_micro>(&microtask),
                     this);
  }
};

template <typename T>
void checkSchedule(int32_t schedule, T lower, T upper,
                   std::make_signed_t<T> incr, std::make_signed_t<T> chunk,
                   int32_t teamSize) {
  SCOPED_TRACE(testing::Message()
               << "schedule " << schedule << " loop " << +lower << ".."
               << +upper << " step " << +incr << " chunk " << +chunk
               << " threads " << teamSize);
  LoopRun<T> run;
  run.schedule = schedule;
  run.lower = lower;
  run.upper = upper;
  run.incr = incr;
  run.chunk = chunk;
  run.teamSize = teamSize;
  run.run();
  EXPECT_EQ(run.misaligned.load(), 0);

  using UT = std::make_unsigned_t<T>;
  bool emptyLoop = run.empty(lower, upper);
  UT tripCount = emptyLoop ? 0 : run.index(upper) + 1;
  std::vector<int> times(tripCount, 0);
  int32_t lastThread = -1;
  for (int32_t tid = 0; tid < teamSize; ++tid) {
    for (UT i : run.iterations[tid]) {
      ASSERT_LT(i, tripCount);
      ++times[i];
      if (i == tripCount - 1)
        lastThread = tid;
    }
    EXPECT_TRUE(run.last[tid] == 0 || run.last[tid] == 1);
  }
  for (UT i = 0; i < tripCount; ++i)
    EXPECT_EQ(times[i], 1) << "iteration " << +i;
  for (int32_t tid = 0; tid < teamSize; ++tid)
    EXPECT_EQ(run.last[tid], tid == lastThread ? 1 : 0) << "thread " << tid;

  if (schedule == kmp_sch_static && tripCount >= UT(teamSize)) {
    // Balanced: contiguous shares that differ by at most one iteration.
    UT small = tripCount / teamSize;
    for (int32_t tid = 0; tid < teamSize; ++tid) {
      const std::vector<UT> &mine = run.iterations[tid];
      ASSERT_FALSE(mine.empty());
      EXPECT_EQ(mine.back() - mine.front() + 1, mine.size());
      EXPECT_TRUE(mine.size() == small || mine.size() == small + 1);
    }
  }
  if (schedule != kmp_sch_static_chunked)
    return;
  // Round robin chunks.
  for (int32_t tid = 0; tid < teamSize; ++tid)
    for (UT i : run.iterations[tid]) {
      EXPECT_EQ(i / UT(chunk) % UT(teamSize), UT(tid)) << "iteration " << +i;
    }
}

template <typename T>
void checkAllSchedules(T lower, T upper, std::make_signed_t<T> incr) {
  for (int32_t threads : {1, 2, 3, 4, 7, 8}) {
    checkSchedule<T>(kmp_sch_static, lower, upper, incr, 0, threads);
    checkSchedule<T>(kmp_sch_static | (1 << 29), lower, upper, incr, 0,
                     threads);
    for (int chunk : {1, 2, 3, 5, 64})
      checkSchedule<T>(kmp_sch_static_chunked, lower, upper, incr, chunk,
                       threads);
    for (int chunk : {1, 2, 4, 8})
      checkSchedule<T>(kmp_sch_static_balanced_chunked, lower, upper, incr,
                       chunk, threads);
  }
}

template <typename T> void checkSignedLoops() {
  checkAllSchedules<T>(0, 99, 1);
  checkAllSchedules<T>(0, 0, 1);
  checkAllSchedules<T>(5, 4, 1);  // empty
  checkAllSchedules<T>(4, 5, -1); // empty, decreasing
  checkAllSchedules<T>(0, 2, 1);  // fewer iterations than threads
  checkAllSchedules<T>(-50, 50, 3);
  checkAllSchedules<T>(-50, 49, 3); // upper bound between two iterations
  checkAllSchedules<T>(100, -100, -7);
  checkAllSchedules<T>(10, 0, -1);
  checkAllSchedules<T>(3, 100003, 13);
}

template <typename T> void checkUnsignedLoops() {
  checkAllSchedules<T>(0, 99, 1);
  checkAllSchedules<T>(5, 4, 1);
  checkAllSchedules<T>(7, 1000, 5);
  // Unsigned loops counting down stay clear of 0: like libomp's, the chunk
  // bounds past the loop's end would wrap around.
  checkAllSchedules<T>(5000, 1000, -3);
  checkAllSchedules<T>(1000, 1000, -1);
  // Above the largest value of the signed type of the same size.
  T big = T(T(3) << (sizeof(T) * 8 - 2));
  checkAllSchedules<T>(big, big + 1000, 9);
  checkAllSchedules<T>(big + 1000, big, -9);
}

TEST(ThreadsStaticInit, Signed4) { checkSignedLoops<int32_t>(); }
TEST(ThreadsStaticInit, Unsigned4) { checkUnsignedLoops<uint32_t>(); }
TEST(ThreadsStaticInit, Signed8) { checkSignedLoops<int64_t>(); }
TEST(ThreadsStaticInit, Unsigned8) { checkUnsignedLoops<uint64_t>(); }

TEST(ThreadsStaticInit, OutsideParallelRegionGetsWholeLoop) {
  int64_t lb = -3, ub = 40, stride = 0;
  int32_t last = 0;
  __kmpc_for_static_init_8(nullptr, 0, kmp_sch_static, &last, &lb, &ub, &stride,
                           1, 0);
  EXPECT_EQ(lb, -3);
  EXPECT_EQ(ub, 40);
  EXPECT_EQ(stride, 44);
  EXPECT_EQ(last, 1);
  __kmpc_for_static_fini(nullptr, 0);
}

TEST(ThreadsStaticInit, MatchesLibompExample) {
  // 10 iterations on 4 threads: 3, 3, 2, 2.
  struct Bounds {
    uint64_t lb, ub;
    int64_t stride;
    int32_t last;
  };
  static Bounds bounds[4];
  auto microtask = +[](int32_t *gtid, int32_t *btid) {
    Bounds &b = bounds[*btid];
    b.lb = 0;
    b.ub = 9;
    __kmpc_for_static_init_8u(nullptr, *gtid, kmp_sch_static, &b.last, &b.lb,
                              &b.ub, &b.stride, 1, 0);
  };
  __kmpc_push_num_threads(nullptr, 0, 4);
  __kmpc_fork_call(nullptr, 0, reinterpret_cast<kmpc_micro>(microtask));
  uint64_t expected[4][2] = {{0, 2}, {3, 5}, {6, 7}, {8, 9}};
  for (int tid = 0; tid < 4; ++tid) {
    EXPECT_EQ(bounds[tid].lb, expected[tid][0]);
    EXPECT_EQ(bounds[tid].ub, expected[tid][1]);
    EXPECT_EQ(bounds[tid].stride, 10);
    EXPECT_EQ(bounds[tid].last, tid == 3);
  }
}

//===----------------------------------------------------------------------===//
// Parallel regions
//===----------------------------------------------------------------------===//

/// What each thread of a region saw.
struct Seen {
  std::atomic<int> calls{0};
  std::atomic<int> wrongArgs{0};
  std::atomic<int> wrongIds{0};
  std::vector<std::atomic<int>> perThread = std::vector<std::atomic<int>>(64);

  void record(int32_t *gtid, int32_t *btid) {
    ++calls;
    int tid = omp_get_thread_num();
    if (*btid != tid || *gtid != __kmpc_global_thread_num(nullptr) || tid < 0 ||
        tid >= omp_get_num_threads())
      ++wrongIds;
    else
      ++perThread[tid];
  }
};

Seen *seen = nullptr;
void *arg(int i) { return reinterpret_cast<void *>(uintptr_t(0x1000 + i)); }

void region0(int32_t *gtid, int32_t *btid) { seen->record(gtid, btid); }
void region1(int32_t *gtid, int32_t *btid, void *a0) {
  seen->record(gtid, btid);
  seen->wrongArgs += a0 != arg(0);
}
void region3(int32_t *gtid, int32_t *btid, void *a0, void *a1, void *a2) {
  seen->record(gtid, btid);
  seen->wrongArgs += a0 != arg(0) || a1 != arg(1) || a2 != arg(2);
}
void region15(int32_t *gtid, int32_t *btid, void *a0, void *a1, void *a2,
              void *a3, void *a4, void *a5, void *a6, void *a7, void *a8,
              void *a9, void *a10, void *a11, void *a12, void *a13, void *a14) {
  seen->record(gtid, btid);
  void *args[] = {a0, a1, a2,  a3,  a4,  a5,  a6, a7,
                  a8, a9, a10, a11, a12, a13, a14};
  for (int i = 0; i < 15; ++i)
    seen->wrongArgs += args[i] != arg(i);
}

template <typename Fn> void checkTeam(int threads, Fn &&fork) {
  Seen s;
  seen = &s;
  lnrt_set_num_threads(threads);
  fork();
  lnrt_set_num_threads(0);
  seen = nullptr;
  EXPECT_EQ(s.calls.load(), threads);
  EXPECT_EQ(s.wrongArgs.load(), 0);
  EXPECT_EQ(s.wrongIds.load(), 0);
  for (int tid = 0; tid < threads; ++tid)
    EXPECT_EQ(s.perThread[tid].load(), 1) << "thread " << tid;
}

TEST(ThreadsForkCall, ForwardsArguments) {
  for (int threads : {1, 2, 4, 9}) {
    SCOPED_TRACE(threads);
    checkTeam(threads, [] {
      __kmpc_fork_call(nullptr, 0, reinterpret_cast<kmpc_micro>(&region0));
    });
    checkTeam(threads, [] {
      __kmpc_fork_call(nullptr, 1, reinterpret_cast<kmpc_micro>(&region1),
                       arg(0));
    });
    checkTeam(threads, [] {
      __kmpc_fork_call(nullptr, 3, reinterpret_cast<kmpc_micro>(&region3),
                       arg(0), arg(1), arg(2));
    });
    checkTeam(threads, [] {
      __kmpc_fork_call(nullptr, 15, reinterpret_cast<kmpc_micro>(&region15),
                       arg(0), arg(1), arg(2), arg(3), arg(4), arg(5), arg(6),
                       arg(7), arg(8), arg(9), arg(10), arg(11), arg(12),
                       arg(13), arg(14));
    });
  }
}

TEST(ThreadsForkCall, RefusesMoreThan15Arguments) {
  Seen s;
  seen = &s;
  testing::internal::CaptureStderr();
  __kmpc_fork_call(nullptr, 16, reinterpret_cast<kmpc_micro>(&region0), arg(0),
                   arg(1), arg(2), arg(3), arg(4), arg(5), arg(6), arg(7),
                   arg(8), arg(9), arg(10), arg(11), arg(12), arg(13), arg(14),
                   arg(15));
  std::string message = testing::internal::GetCapturedStderr();
  seen = nullptr;
  EXPECT_EQ(s.calls.load(), 0);
  EXPECT_NE(message.find("at most 15"), std::string::npos) << message;
}

TEST(ThreadsForkCall, ManyRegionsInARow) {
  lnrt_set_num_threads(4);
  std::atomic<int64_t> sum{0};
  auto microtask = +[](int32_t *, int32_t *, void *sum) {
    *static_cast<std::atomic<int64_t> *>(sum) += omp_get_thread_num() + 1;
  };
  for (int i = 0; i < 5000; ++i)
    __kmpc_fork_call(nullptr, 1, reinterpret_cast<kmpc_micro>(microtask), &sum);
  lnrt_set_num_threads(0);
  EXPECT_EQ(sum.load(), 5000 * (1 + 2 + 3 + 4));
}

TEST(ThreadsForkCall, PushNumThreadsAppliesToNextRegionOnly) {
  lnrt_set_num_threads(2);
  std::atomic<int> sizes[2];
  auto microtask = +[](int32_t *, int32_t *, void *size) {
    if (omp_get_thread_num() == 0)
      *static_cast<std::atomic<int> *>(size) = omp_get_num_threads();
  };
  __kmpc_push_num_threads(nullptr, __kmpc_global_thread_num(nullptr), 5);
  __kmpc_fork_call(nullptr, 1, reinterpret_cast<kmpc_micro>(microtask),
                   &sizes[0]);
  __kmpc_fork_call(nullptr, 1, reinterpret_cast<kmpc_micro>(microtask),
                   &sizes[1]);
  lnrt_set_num_threads(0);
  EXPECT_EQ(sizes[0].load(), 5);
  EXPECT_EQ(sizes[1].load(), 2);
}

TEST(ThreadsForkCall, NestedRegionRunsOnItsThreadAlone) {
  lnrt_set_num_threads(3);
  struct Result {
    std::atomic<int> inner{0}, wrong{0};
  } result;
  auto inner = +[](int32_t *, int32_t *btid, void *r, void *outerThread) {
    Result &result = *static_cast<Result *>(r);
    ++result.inner;
    if (*btid != 0 || omp_get_thread_num() != 0 || omp_get_num_threads() != 1 ||
        *static_cast<std::thread::id *>(outerThread) !=
            std::this_thread::get_id())
      ++result.wrong;
    __kmpc_barrier(nullptr, 0); // a team of one: returns at once
  };
  auto outer = +[](int32_t *, int32_t *, void *r, void *innerFn) {
    int tid = omp_get_thread_num();
    std::thread::id self = std::this_thread::get_id();
    __kmpc_fork_call(nullptr, 2, reinterpret_cast<kmpc_micro>(innerFn), r,
                     &self);
    Result &result = *static_cast<Result *>(r);
    if (omp_get_thread_num() != tid || omp_get_num_threads() != 3)
      ++result.wrong;
    __kmpc_barrier(nullptr, 0);
  };
  __kmpc_fork_call(nullptr, 2, reinterpret_cast<kmpc_micro>(outer), &result,
                   reinterpret_cast<void *>(inner));
  lnrt_set_num_threads(0);
  EXPECT_EQ(result.inner.load(), 3);
  EXPECT_EQ(result.wrong.load(), 0);
  EXPECT_EQ(omp_get_num_threads(), 1);
  EXPECT_EQ(omp_get_thread_num(), 0);
}

TEST(ThreadsForkCall, SerializedParallel) {
  int32_t gtid = __kmpc_global_thread_num(nullptr);
  __kmpc_serialized_parallel(nullptr, gtid);
  EXPECT_EQ(omp_get_num_threads(), 1);
  EXPECT_EQ(omp_get_thread_num(), 0);
  __kmpc_barrier(nullptr, gtid);
  __kmpc_end_serialized_parallel(nullptr, gtid);
  EXPECT_EQ(omp_get_num_threads(), 1);
}

TEST(ThreadsForkCall, ConcurrentRegionsFromApplicationThreads) {
  lnrt_set_num_threads(3);
  auto microtask = +[](int32_t *, int32_t *, void *count) {
    ++*static_cast<std::atomic<int> *>(count);
    __kmpc_barrier(nullptr, 0);
  };
  std::atomic<int> counts[2] = {};
  std::atomic<int> wrong{0};
  auto body = [&](int which) {
    for (int i = 0; i < 2000; ++i) {
      std::atomic<int> count{0};
      __kmpc_fork_call(nullptr, 1, reinterpret_cast<kmpc_micro>(microtask),
                       &count);
      // The pool's team of 3, or a team of one while the other has it.
      wrong += count != 3 && count != 1;
      counts[which] += count > 0;
    }
  };
  std::thread a(body, 0), b(body, 1);
  a.join();
  b.join();
  lnrt_set_num_threads(0);
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(counts[0].load(), 2000);
  EXPECT_EQ(counts[1].load(), 2000);
}

//===----------------------------------------------------------------------===//
// Barrier
//===----------------------------------------------------------------------===//

struct BarrierCheck {
  static constexpr int kRounds = 500;
  std::vector<std::atomic<int>> phase = std::vector<std::atomic<int>>(64);
  std::atomic<int> errors{0};

  static void microtask(int32_t *gtid, int32_t *, void *self) {
    auto &check = *static_cast<BarrierCheck *>(self);
    int tid = omp_get_thread_num(), size = omp_get_num_threads();
    for (int round = 1; round <= kRounds; ++round) {
      check.phase[tid].store(round, std::memory_order_relaxed);
      __kmpc_barrier(nullptr, *gtid);
      // Everyone wrote this round, and nobody can have written the next.
      for (int other = 0; other < size; ++other)
        if (check.phase[other].load(std::memory_order_relaxed) != round)
          ++check.errors;
      __kmpc_barrier(nullptr, *gtid);
    }
  }
};

TEST(ThreadsBarrier, SeparatesPhases) {
  for (int threads : {2, 3, 4, 8}) {
    SCOPED_TRACE(threads);
    BarrierCheck check;
    lnrt_set_num_threads(threads);
    __kmpc_fork_call(nullptr, 1,
                     reinterpret_cast<kmpc_micro>(&BarrierCheck::microtask),
                     &check);
    lnrt_set_num_threads(0);
    EXPECT_EQ(check.errors.load(), 0);
    for (int tid = 0; tid < threads; ++tid)
      EXPECT_EQ(check.phase[tid].load(), BarrierCheck::kRounds);
  }
}

TEST(ThreadsBarrier, OutsideParallelRegionReturns) {
  __kmpc_barrier(nullptr, __kmpc_global_thread_num(nullptr));
}

//===----------------------------------------------------------------------===//
// Number of threads
//===----------------------------------------------------------------------===//

TEST(ThreadsNumThreads, SetAndRestoreDefault) {
  lnrt_set_num_threads(0);
  int fallback = lnrt_get_num_threads();
  EXPECT_GE(fallback, 1);
  EXPECT_EQ(omp_get_max_threads(), fallback);

  lnrt_set_num_threads(5);
  EXPECT_EQ(lnrt_get_num_threads(), 5);
  EXPECT_EQ(omp_get_max_threads(), 5);
  std::atomic<int> count{0};
  auto microtask = +[](int32_t *, int32_t *, void *count) {
    ++*static_cast<std::atomic<int> *>(count);
  };
  __kmpc_fork_call(nullptr, 1, reinterpret_cast<kmpc_micro>(microtask), &count);
  EXPECT_EQ(count.load(), 5);

  omp_set_num_threads(2);
  EXPECT_EQ(lnrt_get_num_threads(), 2);
  lnrt_set_num_threads(-1);
  EXPECT_EQ(lnrt_get_num_threads(), fallback);
}

} // namespace
