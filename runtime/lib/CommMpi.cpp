//===- CommMpi.cpp - The MPI backend, over liblongnet_runtime_mpi.so ------===//
//
// Part of the longnet-mlir project.
//
// MPI is no dependency of liblongnet_runtime.so: the plugin that links Open
// MPI (runtime/mpi) is dlopen'ed from this library's own directory when the
// application asks for the MPI backend.
//
//===----------------------------------------------------------------------===//

#include "Comm.h"
#include "CommPlugin.h"

#include "longnet-runtime/lnrt_comm.h"

#include <dlfcn.h>

#include <cstdlib>
#include <cstring>
#include <vector>

using namespace longnet::rt;

namespace {

constexpr const char *kPluginName = "liblongnet_runtime_mpi.so";

Outcome unavailable(const std::string &reason) {
  return Outcome::failure(LNRT_ERROR_NOT_FOUND,
                          "MPI support not available: " + reason);
}

/// LONGNET_COMM_MPI_LIBRARY, else the plugin next to this library.
std::string pluginPath() {
  if (const char *path = std::getenv("LONGNET_COMM_MPI_LIBRARY"))
    return path;
  Dl_info info;
  if (!dladdr(reinterpret_cast<void *>(&lnrt_comm_init_mpi), &info) ||
      !info.dli_fname)
    return kPluginName;
  std::string self = info.dli_fname;
  size_t slash = self.rfind('/');
  if (slash == std::string::npos)
    return kPluginName;
  return self.substr(0, slash + 1) + kPluginName;
}

Outcome loadPlugin(const longnet_mpi_plugin_table *&table) {
  std::string path = pluginPath();
  // Global: Open MPI's own components resolve libmpi's symbols through it.
  void *library = dlopen(path.c_str(), RTLD_NOW | RTLD_GLOBAL);
  if (!library) {
    const char *reason = dlerror();
    return unavailable("cannot load " + path + " (" +
                       (reason ? reason : "unknown reason") + ")");
  }
  auto entry = reinterpret_cast<longnet_mpi_plugin_fn>(
      dlsym(library, LONGNET_MPI_PLUGIN_SYMBOL));
  if (!entry)
    return unavailable(path + " has no " LONGNET_MPI_PLUGIN_SYMBOL);
  table = entry();
  if (!table || table->version != LONGNET_MPI_PLUGIN_VERSION)
    return unavailable(path + " is not version " +
                       std::to_string(LONGNET_MPI_PLUGIN_VERSION) +
                       " of the plugin interface");
  return Outcome::success();
}

Outcome fromPlugin(lnrt_status status, const longnet_comm_error &error) {
  if (status == LNRT_SUCCESS)
    return Outcome::success();
  return Outcome::failure(status, error.message);
}

class MpiBackend final : public CommBackend {
public:
  MpiBackend(const longnet_mpi_plugin_table &plugin, int rank, int size)
      : plugin(plugin), rankValue(rank), sizeValue(size),
        timeout(defaultCommTimeoutSeconds()) {}

  const char *name() const override { return "MPI"; }
  lnrt_memory memory() const override { return LNRT_MEMORY_HOST; }
  int rank() const override { return rankValue; }
  int size() const override { return sizeValue; }

  Outcome allGather(const SegmentGather &gather) override {
    size_t bytes = gather.batch * gather.blockBytes;
    if (gather.batch == 1)
      return call(plugin.allGather, gather.groupSize, gather.send, bytes,
                  gather.recv, timeout);
    // [groupSize][batch][block], then block (k, b) to (b, k).
    std::vector<char> gathered(bytes * gather.groupSize);
    if (Outcome outcome = call(plugin.allGather, gather.groupSize, gather.send,
                               bytes, gathered.data(), timeout);
        !outcome)
      return outcome;
    // Empty blocks (N = 0) have no buffers to copy from or to.
    for (size_t b = 0; gather.blockBytes != 0 && b < gather.batch; ++b)
      for (size_t k = 0; k < size_t(gather.groupSize); ++k)
        std::memcpy(
            gather.recv + (b * gather.groupSize + k) * gather.blockBytes,
            gathered.data() + (k * gather.batch + b) * gather.blockBytes,
            gather.blockBytes);
    return Outcome::success();
  }

  Outcome reduceScatter(const SegmentScatter &scatter) override {
    size_t elementBytes = scatter.isF64 ? sizeof(double) : sizeof(float);
    size_t count = scatter.batch * scatter.blockBytes / elementBytes;
    if (scatter.batch == 1)
      return call(plugin.reduceScatter, scatter.groupSize, scatter.send, count,
                  int(scatter.isF64), scatter.recv, timeout);
    // Blocks (b, k) to [k][b], so that member k's part is contiguous.
    std::vector<char> packed(scatter.batch * scatter.groupSize *
                             scatter.blockBytes);
    for (size_t b = 0; scatter.blockBytes != 0 && b < scatter.batch; ++b)
      for (size_t k = 0; k < size_t(scatter.groupSize); ++k)
        std::memcpy(
            packed.data() + (k * scatter.batch + b) * scatter.blockBytes,
            scatter.send + (b * scatter.groupSize + k) * scatter.blockBytes,
            scatter.blockBytes);
    return call(plugin.reduceScatter, scatter.groupSize, packed.data(), count,
                int(scatter.isF64), scatter.recv, timeout);
  }

  Outcome barrier() override { return call(plugin.barrier, timeout); }

  Outcome gatherToRoot(const void *send, size_t bytes, void *recv) override {
    return call(plugin.gatherToRoot, send, bytes, recv, timeout);
  }

  Outcome broadcast(void *buf, size_t bytes, int root) override {
    return call(plugin.broadcast, buf, bytes, root, timeout);
  }

  Outcome finalize() override { return call(plugin.finalize); }

private:
  template <typename Function, typename... Args>
  static Outcome call(Function function, Args... args) {
    longnet_comm_error error;
    error.message[0] = '\0';
    lnrt_status status = function(args..., &error);
    return fromPlugin(status, error);
  }

  const longnet_mpi_plugin_table &plugin;
  int rankValue;
  int sizeValue;
  double timeout;
};

} // namespace

Outcome longnet::rt::createMpiBackend(int *argc, char ***argv,
                                      std::unique_ptr<CommBackend> &backend) {
  const longnet_mpi_plugin_table *plugin = nullptr;
  if (Outcome loaded = loadPlugin(plugin); !loaded)
    return loaded;
  longnet_comm_error error;
  error.message[0] = '\0';
  int rank = 0;
  int size = 1;
  if (Outcome initialised =
          fromPlugin(plugin->init(argc, argv, &rank, &size, &error), error);
      !initialised)
    return initialised;
  backend = std::make_unique<MpiBackend>(*plugin, rank, size);
  return Outcome::success();
}
