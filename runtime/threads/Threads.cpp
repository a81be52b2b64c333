//===- Threads.cpp - Thread pool and the libomp subset compiled code calls ===//
//
// Part of the longnet-mlir project.
//
// One persistent pool of worker threads, created at the first parallel
// region. The thread that starts a region is thread 0 of its team and the
// first teamSize - 1 workers join it; the region ends when all of them have
// returned. Workers spin briefly for their next region, then sleep. Only one
// region uses the pool at a time: a region started while the pool is busy
// (from another application thread) or inside another region runs on a team
// of one.
//
// The loop scheduling follows __kmp_for_static_init in
// openmp/runtime/src/kmp_sched.cpp.
//
//===----------------------------------------------------------------------===//

#include "longnet-runtime/Threads.h"
#include "KmpABI.h"

#include <pthread.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#define LONGNET_EXPORT __attribute__((visibility("default")))

namespace {

/// Beyond this a request for more threads is clamped.
constexpr int kMaxThreads = 1024;
/// Polls of a flag before a waiting thread goes to sleep.
constexpr int kSpinIterations = 1 << 11;

void cpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

/// Waits until `done()`: spins first, then sleeps on `cv`. Whoever makes
/// `done()` true must do so, or at least lock `mutex` afterwards, before
/// notifying `cv` (see notifyAll).
template <typename Done>
void waitUntil(Done done, std::mutex &mutex, std::condition_variable &cv) {
  for (int i = 0; i < kSpinIterations; ++i) {
    if (done())
      return;
    cpuRelax();
  }
  std::unique_lock<std::mutex> lock(mutex);
  cv.wait(lock, done);
}

/// Wakes the sleepers of waitUntil after the condition became true.
void notifyAll(std::mutex &mutex, std::condition_variable &cv) {
  // Taking the lock orders the change before a sleeper's last check of it.
  mutex.lock();
  mutex.unlock();
  cv.notify_all();
}

struct Team;

/// What a thread knows about the parallel region it runs in.
struct ThreadState {
  Team *team = nullptr; // null outside a region and in a team of one
  int32_t tid = 0;
  int32_t size = 1;
  int level = 0;             // enclosing parallel regions
  bool barrierSense = false; // this thread's sense in team->barrier()
};

thread_local ThreadState tls;
/// The team size __kmpc_push_num_threads asked for the next region, or 0.
thread_local int32_t pushedNumThreads = 0;
/// Saved states of the __kmpc_serialized_parallel regions this thread is in.
thread_local std::vector<ThreadState> serializedStack;

int32_t globalThreadNum() {
  static std::atomic<int32_t> next{0};
  thread_local int32_t gtid = next.fetch_add(1, std::memory_order_relaxed);
  return gtid;
}

//===----------------------------------------------------------------------===//
// Teams and the pool
//===----------------------------------------------------------------------===//

using Invoker = void (*)(kmpc_micro, int32_t *, int32_t *, void *const *);
template <std::size_t> using Pointer = void *;

template <std::size_t... I>
void invokeWith(kmpc_micro fn, int32_t *gtid, int32_t *btid, void *const *args,
                std::index_sequence<I...>) {
  // Outlined regions are not variadic: call them with their own type.
  using Fn = void (*)(int32_t *, int32_t *, Pointer<I>...);
  reinterpret_cast<Fn>(fn)(gtid, btid, args[I]...);
}

template <std::size_t N>
void invokeWithArgs(kmpc_micro fn, int32_t *gtid, int32_t *btid,
                    void *const *args) {
  invokeWith(fn, gtid, btid, args, std::make_index_sequence<N>());
}

template <std::size_t... N>
constexpr std::array<Invoker, sizeof...(N)>
makeInvokers(std::index_sequence<N...>) {
  return {&invokeWithArgs<N>...};
}

/// kInvokers[argc] calls a region with argc shared arguments.
constexpr auto kInvokers =
    makeInvokers(std::make_index_sequence<LONGNET_KMP_MAX_FORK_ARGS + 1>());

/// One parallel region: the outlined function, its arguments and the
/// team's barrier.
struct Team {
  kmpc_micro fn = nullptr;
  int32_t argc = 0;
  void *args[LONGNET_KMP_MAX_FORK_ARGS] = {};
  int32_t size = 1;

  /// Sense-reversing barrier: the last arrival resets `arrivals` and flips
  /// `sense` to the arrivals' new sense.
  std::atomic<int32_t> arrivals{0};
  std::atomic<bool> sense{false};
  std::mutex mutex;
  std::condition_variable cv;

  void reset(kmpc_micro microtask, int32_t numArgs, void *const *argv,
             int32_t teamSize) {
    fn = microtask;
    argc = numArgs;
    std::copy(argv, argv + numArgs, args);
    size = teamSize;
    arrivals.store(teamSize, std::memory_order_relaxed);
    sense.store(false, std::memory_order_relaxed);
  }

  void barrier() {
    bool mySense = !tls.barrierSense;
    tls.barrierSense = mySense;
    if (arrivals.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      arrivals.store(size, std::memory_order_relaxed);
      sense.store(mySense, std::memory_order_release);
      notifyAll(mutex, cv);
      return;
    }
    waitUntil([&] { return sense.load(std::memory_order_acquire) == mySense; },
              mutex, cv);
  }

  /// Runs the region as thread `tid` of the team.
  void runAs(int32_t tid) {
    ThreadState saved = tls;
    tls = ThreadState{size > 1 ? this : nullptr, tid, size, saved.level + 1,
                      false};
    int32_t gtid = globalThreadNum();
    int32_t btid = tid;
    kInvokers[argc](fn, &gtid, &btid, args);
    tls = saved;
  }
};

/// Runs a region on the calling thread alone.
void runSerialized(kmpc_micro fn, int32_t argc, void *const *args) {
  Team team;
  team.reset(fn, argc, args, 1);
  team.runAs(0);
}

class Pool {
public:
  ~Pool() {
    for (std::unique_ptr<Worker> &worker : workers) {
      worker->stop.store(true, std::memory_order_release);
      notifyAll(worker->mutex, worker->cv);
    }
    for (std::unique_ptr<Worker> &worker : workers) {
      if (worker->thread.get_id() == std::this_thread::get_id())
        worker->thread.detach();
      else
        worker->thread.join();
    }
  }

  /// Claims the pool for one region; false while another region runs.
  bool tryAcquire() { return !busy.exchange(true, std::memory_order_acquire); }

  /// Runs `team` with the caller as thread 0, then releases the pool.
  void run(Team &team) {
    int32_t numWorkers = team.size - 1;
    ensureWorkers(numWorkers);
    pending.store(numWorkers, std::memory_order_relaxed);
    for (int32_t i = 0; i < numWorkers; ++i) {
      Worker &worker = *workers[i];
      worker.team.store(&team, std::memory_order_release);
      notifyAll(worker.mutex, worker.cv);
    }
    team.runAs(0);
    waitUntil([&] { return pending.load(std::memory_order_acquire) == 0; },
              doneMutex, doneCv);
    busy.store(false, std::memory_order_release);
  }

  Team &team() { return sharedTeam; }

private:
  struct alignas(64) Worker {
    std::atomic<Team *> team{nullptr}; // the region to join, null when idle
    std::atomic<bool> stop{false};
    std::mutex mutex;
    std::condition_variable cv;
    std::thread thread;
  };

  void ensureWorkers(int32_t count) {
    while (static_cast<int32_t>(workers.size()) < count) {
      workers.push_back(std::make_unique<Worker>());
      Worker *worker = workers.back().get();
      int32_t tid = static_cast<int32_t>(workers.size());
      worker->thread = std::thread([this, worker, tid] { work(*worker, tid); });
    }
  }

  void work(Worker &worker, int32_t tid) {
    for (;;) {
      waitUntil(
          [&] {
            return worker.team.load(std::memory_order_acquire) ||
                   worker.stop.load(std::memory_order_acquire);
          },
          worker.mutex, worker.cv);
      Team *team = worker.team.load(std::memory_order_acquire);
      if (!team)
        return;
      team->runAs(tid);
      worker.team.store(nullptr, std::memory_order_relaxed);
      if (pending.fetch_sub(1, std::memory_order_acq_rel) == 1)
        notifyAll(doneMutex, doneCv);
    }
  }

  std::vector<std::unique_ptr<Worker>> workers; // worker i is thread i + 1
  std::atomic<bool> busy{false};
  std::atomic<int32_t> pending{0}; // workers still in the current region
  std::mutex doneMutex;
  std::condition_variable doneCv;
  Team sharedTeam; // the region of the thread that holds `busy`
};

/// Owns the pool; joins its workers at exit or when the library is unloaded.
/// A child process forked while it exists starts a new pool: the parent's
/// workers do not exist there.
class PoolOwner {
public:
  Pool &get() {
    if (Pool *pool = current.load(std::memory_order_acquire))
      return *pool;
    std::lock_guard<std::mutex> lock(mutex);
    if (!pool) {
      pool = std::make_unique<Pool>();
      current.store(pool.get(), std::memory_order_release);
      static std::once_flag registered;
      std::call_once(registered, [] {
        pthread_atfork(&PoolOwner::prepareFork, &PoolOwner::parentAfterFork,
                       &PoolOwner::childAfterFork);
      });
    }
    return *pool;
  }

private:
  static void prepareFork();
  static void parentAfterFork();
  static void childAfterFork();

  std::mutex mutex;
  std::unique_ptr<Pool> pool;
  std::atomic<Pool *> current{nullptr};
};

PoolOwner poolOwner;

void PoolOwner::prepareFork() { poolOwner.mutex.lock(); }
void PoolOwner::parentAfterFork() { poolOwner.mutex.unlock(); }
void PoolOwner::childAfterFork() {
  // The parent's pool cannot be stopped or destroyed here: leak it.
  (void)poolOwner.pool.release();
  poolOwner.current.store(nullptr, std::memory_order_relaxed);
  poolOwner.mutex.unlock();
  tls = ThreadState{};
}

//===----------------------------------------------------------------------===//
// Number of threads
//===----------------------------------------------------------------------===//

/// A positive thread count at the start of `text`, else 0.
int parseThreadCount(const char *text) {
  if (!text)
    return 0;
  char *end = nullptr;
  long n = std::strtol(text, &end, 10);
  if (end == text || n < 1)
    return 0;
  return n > kMaxThreads ? kMaxThreads : static_cast<int>(n);
}

int defaultNumThreads() {
  static const int n = [] {
    if (int fromEnv = parseThreadCount(std::getenv("LONGNET_NUM_THREADS")))
      return fromEnv;
    // OMP_NUM_THREADS may list one count per nesting level: use the first.
    if (int fromEnv = parseThreadCount(std::getenv("OMP_NUM_THREADS")))
      return fromEnv;
    unsigned hardware = std::thread::hardware_concurrency();
    return hardware == 0 ? 1
                         : std::min(static_cast<int>(hardware), kMaxThreads);
  }();
  return n;
}

std::atomic<int> requestedNumThreads{0}; // 0: defaultNumThreads()

int numThreads() {
  int n = requestedNumThreads.load(std::memory_order_relaxed);
  return n > 0 ? n : defaultNumThreads();
}

void setNumThreads(int n) {
  requestedNumThreads.store(n < 1 ? 0 : std::min(n, kMaxThreads),
                            std::memory_order_relaxed);
}

//===----------------------------------------------------------------------===//
// Static loop scheduling
//===----------------------------------------------------------------------===//

/// Splits the loop `for (i = *plower; i <= *pupper (>= if incr < 0);
/// i += incr)` for the calling thread of its team.
template <typename T, typename ST>
void staticInit(int32_t schedtype, int32_t *plastiter, T *plower, T *pupper,
                ST *pstride, ST incr, ST chunk) {
  using UT = std::make_unsigned_t<T>;
  // Ignore the monotonic/nonmonotonic modifier bits.
  schedtype &= ~((1 << 29) | (1 << 30));
  auto setLast = [&](bool last) {
    if (plastiter)
      *plastiter = last;
  };

  if (incr > 0 ? *pupper < *plower : *plower < *pupper) {
    setLast(false);
    *pstride = incr;
    return;
  }
  UT tid = static_cast<UT>(tls.tid);
  UT nth = static_cast<UT>(tls.size);
  if (nth == 1) {
    setLast(true);
    *pstride = incr > 0 ? static_cast<ST>(*pupper - *plower + 1)
                        : static_cast<ST>(-(*plower - *pupper + 1));
    return;
  }

  UT uincr = static_cast<UT>(incr);
  UT tripCount =
      incr > 0
          ? static_cast<UT>(*pupper - *plower) / uincr + 1
          : static_cast<UT>(*plower - *pupper) / static_cast<UT>(-uincr) + 1;
  // Threads without iterations get an empty range just past the loop.
  auto setEmpty = [&] {
    *plower = static_cast<T>(*pupper + (incr > 0 ? 1 : -1));
  };
  auto offset = [&](T base, UT iterations) {
    return static_cast<T>(static_cast<UT>(base) + iterations * uincr);
  };

  switch (schedtype) {
  case kmp_sch_static_chunked: {
    UT uchunk = chunk < 1 ? 1 : static_cast<UT>(chunk);
    if (uchunk > tripCount)
      uchunk = tripCount;
    UT nchunks = tripCount / uchunk + (tripCount % uchunk ? 1 : 0);
    UT activeThreads = nchunks < nth ? nchunks : nth;
    *pstride = static_cast<ST>(uchunk * uincr * activeThreads);
    if (tid < nchunks) {
      *plower = offset(*plower, uchunk * tid);
      *pupper = offset(*plower, uchunk - 1);
    } else {
      setEmpty();
    }
    setLast(tid == (nchunks - 1) % nth);
    return;
  }
  case kmp_sch_static_balanced_chunked: {
    T oldUpper = *pupper;
    // Each thread's share, rounded up to a multiple of `chunk` (a power of
    // two, the SIMD width).
    UT uchunk = chunk < 1 ? 1 : static_cast<UT>(chunk);
    UT span = (tripCount + nth - 1) / nth;
    uchunk = (span + uchunk - 1) & ~(uchunk - 1);
    *plower = offset(*plower, uchunk * tid);
    *pupper = offset(*plower, uchunk - 1);
    if (incr > 0 ? *pupper > oldUpper : *pupper < oldUpper)
      *pupper = oldUpper;
    setLast(tid == (tripCount - 1) / uchunk);
    return;
  }
  default:
    static std::once_flag warned;
    std::call_once(warned, [schedtype] {
      std::fprintf(stderr,
                   "longnet runtime: unsupported OpenMP schedule %d, using "
                   "static\n",
                   static_cast<int>(schedtype));
    });
    [[fallthrough]];
  case kmp_sch_static:
    if (tripCount < nth) {
      if (tid < tripCount)
        *pupper = *plower = offset(*plower, tid);
      else
        setEmpty();
      setLast(tid == tripCount - 1);
    } else {
      UT smallChunk = tripCount / nth;
      UT extras = tripCount % nth;
      *plower = offset(*plower, tid * smallChunk + std::min(tid, extras));
      *pupper = offset(*plower, smallChunk - (tid < extras ? 0 : 1));
      setLast(tid == nth - 1);
    }
    *pstride = static_cast<ST>(tripCount);
    return;
  }
}

} // namespace

//===----------------------------------------------------------------------===//
// Exported entry points
//===----------------------------------------------------------------------===//

extern "C" {

LONGNET_EXPORT void lnrt_set_num_threads(int n) { setNumThreads(n); }
LONGNET_EXPORT int lnrt_get_num_threads(void) { return numThreads(); }

LONGNET_EXPORT int32_t __kmpc_global_thread_num(ident_t *) {
  return globalThreadNum();
}

LONGNET_EXPORT void __kmpc_fork_call(ident_t *, int32_t argc,
                                     kmpc_micro microtask, ...) {
  if (argc < 0 || argc > LONGNET_KMP_MAX_FORK_ARGS) {
    std::fprintf(stderr,
                 "longnet runtime: __kmpc_fork_call: %d shared arguments, at "
                 "most %d are supported; the parallel region was not run\n",
                 static_cast<int>(argc), LONGNET_KMP_MAX_FORK_ARGS);
    return;
  }
  void *args[LONGNET_KMP_MAX_FORK_ARGS];
  va_list ap;
  va_start(ap, microtask);
  for (int32_t i = 0; i < argc; ++i)
    args[i] = va_arg(ap, void *);
  va_end(ap);

  int32_t size = pushedNumThreads > 0 ? pushedNumThreads : numThreads();
  pushedNumThreads = 0;
  if (size > 1 && tls.level == 0) {
    Pool &pool = poolOwner.get();
    if (pool.tryAcquire()) {
      Team &team = pool.team();
      team.reset(microtask, argc, args, size);
      pool.run(team);
      return;
    }
  }
  runSerialized(microtask, argc, args);
}

LONGNET_EXPORT void __kmpc_push_num_threads(ident_t *, int32_t,
                                            int32_t numThreads) {
  pushedNumThreads = numThreads < 1 ? 0 : std::min(numThreads, kMaxThreads);
}

LONGNET_EXPORT void __kmpc_serialized_parallel(ident_t *, int32_t) {
  serializedStack.push_back(tls);
  tls = ThreadState{nullptr, 0, 1, tls.level + 1, false};
  pushedNumThreads = 0;
}

LONGNET_EXPORT void __kmpc_end_serialized_parallel(ident_t *, int32_t) {
  if (serializedStack.empty())
    return;
  tls = serializedStack.back();
  serializedStack.pop_back();
}

LONGNET_EXPORT void __kmpc_barrier(ident_t *, int32_t) {
  if (tls.team)
    tls.team->barrier();
}

LONGNET_EXPORT void
__kmpc_for_static_init_4(ident_t *, int32_t, int32_t schedtype,
                         int32_t *plastiter, int32_t *plower, int32_t *pupper,
                         int32_t *pstride, int32_t incr, int32_t chunk) {
  staticInit(schedtype, plastiter, plower, pupper, pstride, incr, chunk);
}

LONGNET_EXPORT void __kmpc_for_static_init_4u(
    ident_t *, int32_t, int32_t schedtype, int32_t *plastiter, uint32_t *plower,
    uint32_t *pupper, int32_t *pstride, int32_t incr, int32_t chunk) {
  staticInit(schedtype, plastiter, plower, pupper, pstride, incr, chunk);
}

LONGNET_EXPORT void
__kmpc_for_static_init_8(ident_t *, int32_t, int32_t schedtype,
                         int32_t *plastiter, int64_t *plower, int64_t *pupper,
                         int64_t *pstride, int64_t incr, int64_t chunk) {
  staticInit(schedtype, plastiter, plower, pupper, pstride, incr, chunk);
}

LONGNET_EXPORT void __kmpc_for_static_init_8u(
    ident_t *, int32_t, int32_t schedtype, int32_t *plastiter, uint64_t *plower,
    uint64_t *pupper, int64_t *pstride, int64_t incr, int64_t chunk) {
  staticInit(schedtype, plastiter, plower, pupper, pstride, incr, chunk);
}

LONGNET_EXPORT void __kmpc_for_static_fini(ident_t *, int32_t) {}

LONGNET_EXPORT int omp_get_thread_num(void) { return tls.tid; }
LONGNET_EXPORT int omp_get_num_threads(void) { return tls.size; }
LONGNET_EXPORT int omp_get_max_threads(void) { return numThreads(); }
LONGNET_EXPORT void omp_set_num_threads(int n) { setNumThreads(n); }

} // extern "C"
