//===- longnet-run.cpp - JIT runner of LongNet models -----------*- C++ -*-===//
//
// Part of the longnet-mlir project.
//
// Lowers a tensor-level module with `longnet-lower-to-cpu`, JIT-compiles it
// and calls an entry function on inputs read from .npy files or drawn at
// random; writes its results as .npy, checks them against the same module
// lowered to the float64 reference (--check) and times it (--bench).
// docs/longnet-run.md describes every flag.
//
//===----------------------------------------------------------------------===//

#include "AttentionOps.h"
#include "CompiledEntry.h"
#include "CudaEntry.h"
#include "Diagnostics.h"
#include "Entry.h"
#include "HostTensor.h"

#include "longnet-runtime/ParallelReference.h"
#include "longnet-runtime/lnrt.h"
#include "longnet-runtime/lnrt_comm.h"
#include "longnet/Dialect/LongNet/IR/LongNetDialect.h"
#include "longnet/Dialect/LongNet/Transforms/Passes.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/WithColor.h"

#include "ToolCommandLine.h"
#include "longnet-runtime/ModelFile.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>

using namespace longnet;
using namespace longnet::run;
using namespace mlir;
namespace cl = llvm::cl;

namespace {

//===----------------------------------------------------------------------===//
// Options
//===----------------------------------------------------------------------===//

cl::OptionCategory runCategory("longnet-run options");

cl::opt<std::string> inputFilename(cl::Positional,
                                   cl::desc("<input.mlir> ('-' for stdin)"),
                                   cl::init("-"), cl::cat(runCategory));

cl::opt<std::string> entryName("entry",
                               cl::desc("Function to call (default main)"),
                               cl::value_desc("name"), cl::init("main"),
                               cl::cat(runCategory));

cl::list<std::string>
    inputPaths("inputs",
               cl::desc("One .npy file per entry argument (default: random "
                        "inputs)"),
               cl::value_desc("a.npy,b.npy,..."), cl::CommaSeparated,
               cl::cat(runCategory));

cl::list<std::string>
    shapeList("shapes",
              cl::desc("Shape of every argument of the random inputs; "
                       "required when a type has a dynamic dimension"),
              cl::value_desc("1x4096x4x64,..."), cl::CommaSeparated,
              cl::cat(runCategory));

cl::opt<uint64_t> seed("seed", cl::desc("Seed of the random inputs"),
                       cl::init(0), cl::cat(runCategory));

cl::opt<InitKind> initKind(
    "init", cl::desc("Distribution of the random inputs"),
    cl::values(clEnumValN(InitKind::Normal, "normal",
                          "normal, mean 0, deviation s (default)"),
               clEnumValN(InitKind::Uniform, "uniform", "uniform in [-s, s)")),
    cl::init(InitKind::Normal), cl::cat(runCategory));

cl::list<double>
    initScales("init-scale",
               cl::desc("The s of --init: one value, or one per argument "
                        "(default 1)"),
               cl::value_desc("s,..."), cl::CommaSeparated,
               cl::cat(runCategory));

cl::list<std::string>
    outputPaths("output",
                cl::desc("Write result i to the i-th .npy file (an empty "
                         "entry skips a result)"),
                cl::value_desc("out.npy,..."), cl::CommaSeparated,
                cl::cat(runCategory));

cl::opt<bool>
    check("check",
          cl::desc("Also run the module lowered with reference=1 on the same "
                   "inputs; fail when a result differs beyond tolerance"),
          cl::cat(runCategory));

cl::opt<double> atol("atol",
                     cl::desc("Absolute tolerance of --check (default 0)"),
                     cl::init(0.0), cl::cat(runCategory));

cl::opt<double> rtol("rtol",
                     cl::desc("Relative tolerance of --check (default: 2e-2 "
                              "for f16 and bf16, 1e-4 for f32 and f64)"),
                     cl::cat(runCategory));

cl::opt<unsigned> benchRuns("bench",
                            cl::desc("Time R calls of the entry after one "
                                     "warm-up call"),
                            cl::value_desc("R"), cl::init(0),
                            cl::cat(runCategory));

/// --threads T, created in main(): see makeThreadsOption().
std::unique_ptr<cl::opt<unsigned>> numThreads;

cl::opt<int64_t> queryTile("query-tile",
                           cl::desc("query-tile of longnet-lower-to-cpu"),
                           cl::cat(runCategory));

cl::opt<int64_t> keyTile("key-tile",
                         cl::desc("key-tile of longnet-lower-to-cpu"),
                         cl::cat(runCategory));

enum class Backend { CPU, CUDA };
cl::opt<Backend> backend(
    "backend", cl::desc("Where the entry runs"),
    cl::values(clEnumValN(Backend::CPU, "cpu",
                          "JIT-compiled for this CPU (default)"),
               clEnumValN(Backend::CUDA, "cuda",
                          "compiled for the GPU (longnet-lower-to-nvvm) and "
                          "run by liblongnet_runtime")),
    cl::init(Backend::CPU), cl::cat(runCategory));

cl::opt<std::string> chip("chip",
                          cl::desc("GPU of --backend=cuda (default: the "
                                   "device's, e.g. sm_90)"),
                          cl::init(""), cl::cat(runCategory));

cl::opt<bool> shardSequence(
    "shard-sequence",
    cl::desc("Run under mpirun -np P: shard the sequence over the P ranks "
             "(longnet-shard-sequence), each rank takes its chunk of the "
             "inputs, rank 0 assembles and writes the output"),
    cl::init(false), cl::cat(runCategory));

cl::list<std::string>
    sharedLibraries("shared-libs",
                    cl::desc("More shared libraries to load into the JIT "
                             "(libomp is always loaded)"),
                    cl::value_desc("a.so,..."), cl::CommaSeparated,
                    cl::cat(runCategory));

/// libLLVM registers an unrelated "threads" option (the thread count of its
/// legacy ThinLTO code generator, which longnet-run never runs) and a name
/// can be registered only once: unregister that one, then register ours.
std::unique_ptr<cl::opt<unsigned>> makeThreadsOption() {
  if (cl::Option *existing = cl::getRegisteredOptions().lookup("threads"))
    existing->removeArgument();
  return std::make_unique<cl::opt<unsigned>>(
      "threads",
      cl::desc("OpenMP threads of the compiled code and threads of the "
               "reference (default: OMP_NUM_THREADS, else every core)"),
      cl::value_desc("T"), cl::init(0), cl::cat(runCategory));
}

llvm::Error checkFlags() {
  if (!inputPaths.empty() && !shapeList.empty())
    return makeError("--shapes describes random inputs; with --inputs the "
                     ".npy files give the shapes");
  if (benchRuns.getNumOccurrences() && benchRuns == 0)
    return makeError("--bench needs at least 1 run");
  if (numThreads->getNumOccurrences() && *numThreads == 0)
    return makeError("--threads must be at least 1");
  for (cl::opt<int64_t> *tile : {&queryTile, &keyTile})
    if (tile->getNumOccurrences() && *tile <= 0)
      return makeError("--" + tile->ArgStr + " must be positive, got " +
                       llvm::Twine(int64_t(*tile)));
  for (cl::opt<double> *tolerance : {&atol, &rtol})
    if (tolerance->getNumOccurrences() &&
        !(*tolerance >= 0.0 && std::isfinite(*tolerance)))
      return makeError("--" + tolerance->ArgStr +
                       " must be a finite non-negative number, got " +
                       ::longnet::formatNumber(*tolerance));
  for (double scale : initScales)
    if (!(scale >= 0.0 && std::isfinite(scale)))
      return makeError("--init-scale must be finite non-negative numbers, "
                       "got " +
                       ::longnet::formatNumber(scale));
  // The dynamic loader warns about, and skips, what it cannot load.
  for (const std::string &library : sharedLibraries) {
    std::vector<uint8_t> bytes;
    std::string problem;
    if (!::longnet::modelfile::readFile(library, bytes, problem))
      return makeError("--shared-libs: " + problem);
    problem =
        ::longnet::modelfile::describeELFError(bytes.data(), bytes.size());
    if (!problem.empty())
      return makeError("--shared-libs: '" + library + "': " + problem);
  }
  return llvm::Error::success();
}

/// The pipeline options (not copyable, hence the pointer).
std::unique_ptr<mlir::longnet::LowerToCPUOptions>
makePipelineOptions(bool reference) {
  auto options = std::make_unique<mlir::longnet::LowerToCPUOptions>();
  if (queryTile.getNumOccurrences())
    options->queryTile = queryTile;
  if (keyTile.getNumOccurrences())
    options->keyTile = keyTile;
  options->reference = reference;
  return options;
}

/// libomp and MLIR's C runner utilities (memrefCopy), then --shared-libs.
std::vector<std::string> getSharedLibraries() {
  std::vector<std::string> libraries = {LONGNET_OMP_LIBRARY,
                                        LONGNET_C_RUNNER_UTILS_LIBRARY};
  libraries.insert(libraries.end(), sharedLibraries.begin(),
                   sharedLibraries.end());
  return libraries;
}

/// Sets the thread counts before libomp is loaded (it reads OMP_NUM_THREADS
/// when it starts) and before any reference call. Without --threads, the
/// reference follows a numeric OMP_NUM_THREADS too.
void applyThreadCount() {
  if (numThreads->getNumOccurrences()) {
    setenv("OMP_NUM_THREADS", std::to_string(*numThreads).c_str(),
           /*overwrite=*/1);
    reference::setABIThreadCount(*numThreads);
    return;
  }
  unsigned fromEnvironment = 0;
  if (const char *value = std::getenv("OMP_NUM_THREADS"))
    if (!StringRef(value).getAsInteger(10, fromEnvironment))
      reference::setABIThreadCount(fromEnvironment);
}

//===----------------------------------------------------------------------===//
// Steps
//===----------------------------------------------------------------------===//

llvm::Expected<OwningOpRef<ModuleOp>> parseModule(MLIRContext &context) {
  std::string message;
  std::unique_ptr<llvm::MemoryBuffer> file =
      openInputFile(inputFilename, &message);
  if (!file)
    return makeError(message);
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  FirstErrorCollector errors(&context);
  OwningOpRef<ModuleOp> module =
      parseSourceFile<ModuleOp>(sourceMgr, ParserConfig(&context));
  if (!module)
    return errors.takeError("invalid module");
  return module;
}

llvm::Expected<SmallVector<HostTensor>>
makeInputs(const EntrySignature &signature) {
  if (!inputPaths.empty())
    return readInputs(signature, inputPaths);
  RandomInit init;
  init.kind = initKind;
  init.seed = seed;
  if (!initScales.empty())
    init.scales.assign(initScales.begin(), initScales.end());
  return makeRandomInputs(signature, shapeList, init);
}

llvm::Error checkOutputCount(const EntrySignature &signature) {
  if (outputPaths.size() > signature.results.size())
    return makeError("--output gives " + llvm::Twine(outputPaths.size()) +
                     " files but the entry returns " +
                     llvm::Twine(signature.results.size()) + " results");
  return llvm::Error::success();
}

llvm::Error writeOutputs(ArrayRef<HostTensor> results) {
  for (auto [index, path] : llvm::enumerate(outputPaths)) {
    if (path.empty())
      continue;
    if (std::string error = npy::writeFile(path, toNpy(results[index]));
        !error.empty())
      return makeError("result " + llvm::Twine(index) + ": " + error);
  }
  return llvm::Error::success();
}

void printResults(ArrayRef<HostTensor> results) {
  for (auto [index, result] : llvm::enumerate(results))
    llvm::outs() << "result " << index << ": " << result.describe() << " "
                 << summarize(result) << "\n";
}

/// Default --rtol: f32/f64 results of the tiled form differ from the
/// rounded float64 reference by fp32 accumulation error (~1e-6 relative);
/// f16/bf16 results by a few ulps of the 11- or 8-bit significand
/// (2^-11 ~ 5e-4, 2^-8 ~ 4e-3).
double defaultRelativeTolerance(ElementType type) {
  return type == ElementType::Float16 || type == ElementType::BFloat16 ? 2e-2
                                                                       : 1e-4;
}

/// Prints one line per result and returns an error naming the first result
/// out of tolerance.
llvm::Error compareWithReference(ArrayRef<HostTensor> results,
                                 ArrayRef<HostTensor> expected) {
  std::string firstFailure;
  for (size_t index = 0; index < results.size(); ++index) {
    const HostTensor &actual = results[index];
    double relative = rtol.getNumOccurrences()
                          ? rtol
                          : defaultRelativeTolerance(actual.getElementType());
    Comparison comparison = compare(actual, expected[index]);
    bool passes = comparison.passes(atol, relative);
    llvm::outs() << "check result " << index << ": "
                 << llvm::format("max abs error %.3e, max rel error %.3e",
                                 comparison.maxAbsError,
                                 comparison.relativeError());
    if (comparison.actualNaNs || comparison.expectedNaNs)
      llvm::outs() << ", NaN " << comparison.actualNaNs << " (reference "
                   << comparison.expectedNaNs << ")";
    llvm::outs() << llvm::format(" (atol %g, rtol %g): ", double(atol),
                                 relative)
                 << (passes ? "ok" : "FAILED") << "\n";
    if (passes || !firstFailure.empty())
      continue;
    firstFailure =
        ("--check failed: result " + llvm::Twine(index) + " (" +
         actual.describe() + ")" +
         (comparison.actualNaNs || comparison.expectedNaNs
              ? " has NaN values"
              : llvm::formatv(" max abs error {0:e3} exceeds atol + rtol * "
                              "max|reference| = {1:e3}",
                              comparison.maxAbsError,
                              atol + relative * comparison.maxExpected)
                    .str()))
            .str();
  }
  if (!firstFailure.empty())
    return makeError(firstFailure);
  return llvm::Error::success();
}

std::string formatDuration(double seconds) {
  if (seconds >= 1.0)
    return llvm::formatv("{0:f3} s", seconds).str();
  return llvm::formatv("{0:f3} ms", seconds * 1e3).str();
}

void printBenchmark(SmallVector<double> times, const AttentionCost &cost) {
  llvm::sort(times);
  double median =
      times.size() % 2
          ? times[times.size() / 2]
          : 0.5 * (times[times.size() / 2 - 1] + times[times.size() / 2]);
  llvm::outs() << "median " << formatDuration(median) << " (min "
               << formatDuration(times.front()) << ", max "
               << formatDuration(times.back()) << ", " << times.size()
               << " runs after 1 warm-up)\n";
  if (cost.numOps == 0) {
    llvm::outs() << "tokens/s n/a, GFLOP/s n/a (the entry runs no "
                    "longnet.dilated_attention)\n";
    return;
  }
  if (cost.tokens > 0)
    llvm::outs() << llvm::formatv("throughput {0:f1} tokens/s ({1} tokens: B "
                                  "* N of the first "
                                  "longnet.dilated_attention)\n",
                                  double(cost.tokens) / median, cost.tokens);
  else
    llvm::outs() << "tokens/s n/a (" << cost.unresolved << ")\n";
  if (cost.unresolved.empty() && cost.numBackwardOps == 0)
    llvm::outs() << llvm::formatv("effective {0:f3} GFLOP/s ({1:e3} FLOP per "
                                  "call: SPEC forward FLOPs of {2} "
                                  "longnet.dilated_attention)\n",
                                  cost.flops / median * 1e-9, cost.flops,
                                  cost.numOps);
  else if (cost.unresolved.empty())
    llvm::outs() << llvm::formatv(
        "effective {0:f3} GFLOP/s ({1:e3} FLOP per call: SPEC forward FLOPs "
        "of {2} longnet.dilated_attention and backward FLOPs of {3} "
        "longnet.dilated_attention_backward)\n",
        cost.flops / median * 1e-9, cost.flops,
        cost.numOps - cost.numBackwardOps, cost.numBackwardOps);
  else
    llvm::outs() << "GFLOP/s n/a (" << cost.unresolved << ")\n";
}

llvm::Error runBenchmark(CompiledEntry &compiled, ArrayRef<HostTensor> inputs,
                         const AttentionCost &cost) {
  SmallVector<double> times;
  for (unsigned run = 0; run <= benchRuns; ++run) {
    double seconds = 0.0;
    auto results = compiled.call(inputs, &seconds);
    if (!results)
      return results.takeError();
    if (run > 0) // Run 0 is the warm-up.
      times.push_back(seconds);
  }
  printBenchmark(std::move(times), cost);
  return llvm::Error::success();
}

/// Runs the module lowered with reference=1 on `inputs` and compares its
/// results with `results`.
llvm::Error checkWithReference(ModuleOp module, const EntrySignature &signature,
                               ArrayRef<HostTensor> inputs,
                               ArrayRef<HostTensor> results,
                               ArrayRef<std::string> libraries) {
  auto reference = CompiledEntry::compile(module, signature, entryName,
                                          *makePipelineOptions(true), libraries,
                                          "the module with reference=1");
  if (!reference)
    return reference.takeError();
  auto expected = (*reference)->call(inputs);
  if (!expected)
    return expected.takeError();
  return compareWithReference(results, *expected);
}

/// The chip of --backend=cuda: --chip, else the device's compute capability.
/// Fails with the runtime's message when there is no driver or device.
llvm::Expected<std::string> getCudaChip() {
  int count = 0;
  if (lnrt_device_count(&count) != LNRT_SUCCESS)
    return makeError(std::string("--backend=cuda: ") + lnrt_get_last_error());
  if (count == 0)
    return makeError("--backend=cuda: no CUDA device");
  if (!chip.empty())
    return chip.getValue();
  int major = 0, minor = 0;
  if (lnrt_device_capability(0, &major, &minor) != LNRT_SUCCESS)
    return makeError(std::string("--backend=cuda: ") + lnrt_get_last_error());
  return "sm_" + std::to_string(major) + std::to_string(minor);
}

llvm::Expected<std::unique_ptr<CudaEntry>>
compileForCuda(ModuleOp module, const EntrySignature &signature,
               const char *argv0) {
  auto gpu = getCudaChip();
  if (!gpu)
    return gpu.takeError();
  mlir::longnet::ModelCompilerOptions options;
  options.target = mlir::longnet::ModelTarget::CUDA;
  options.chip = *gpu;
  if (mlir::longnet::getPTXFeatures(options.chip).empty())
    return makeError("--backend=cuda: unsupported GPU " + options.chip +
                     " (sm_80 or newer is needed)");
  if (keyTile.getNumOccurrences())
    options.gpuKeyTile = keyTile;
  options.reference = false;
  options.runtimeDir = mlir::longnet::getDefaultRuntimeDir(
      argv0, reinterpret_cast<void *>(&getCudaChip));
  return CudaEntry::compile(module, signature, entryName, options);
}

llvm::Error runCudaTool(ModuleOp module, const EntrySignature &signature,
                        ArrayRef<HostTensor> inputs, const AttentionCost &cost,
                        const char *argv0) {
  auto compiled = compileForCuda(module, signature, argv0);
  if (!compiled)
    return compiled.takeError();
  auto results = (*compiled)->call(inputs);
  if (!results)
    return results.takeError();
  if (llvm::Error error = writeOutputs(*results))
    return error;
  printResults(*results);
  if (check)
    if (llvm::Error error = checkWithReference(module, signature, inputs,
                                               *results, getSharedLibraries()))
      return error;
  if (benchRuns == 0)
    return llvm::Error::success();
  auto times = (*compiled)->benchmark(inputs, benchRuns);
  if (!times)
    return times.takeError();
  printBenchmark(std::move(*times), cost);
  return llvm::Error::success();
}

/// The runtime's last error when `status` is not LNRT_SUCCESS.
llvm::Error checkComm(lnrt_status status, StringRef what) {
  if (status == LNRT_SUCCESS)
    return llvm::Error::success();
  return makeError(what + ": " + lnrt_get_last_error());
}

/// Bytes of one position along dimension 1 of a [B, N, ...] tensor.
size_t bytesPerPosition(const HostTensor &tensor) {
  size_t bytes = npy::elementSize(tensor.getElementType());
  for (int64_t dim : tensor.getShape().drop_front(2))
    bytes *= size_t(dim);
  return bytes;
}

/// For every batch b < `batch`, copies `count` positions from position
/// `sourceFirst` of a [batch, sourceN, ...] buffer to position
/// `destinationFirst` of a [batch, destinationN, ...] buffer.
void copyPositions(uint8_t *destination, int64_t destinationN,
                   int64_t destinationFirst, const uint8_t *source,
                   int64_t sourceN, int64_t sourceFirst, int64_t count,
                   int64_t batch, size_t positionBytes) {
  if (count == 0 || positionBytes == 0)
    return;
  for (int64_t b = 0; b < batch; ++b)
    std::memcpy(destination +
                    (b * destinationN + destinationFirst) * positionBytes,
                source + (b * sourceN + sourceFirst) * positionBytes,
                count * positionBytes);
}

/// Rows [rank * l, (rank + 1) * l) of dimension 1 of `full` ([B, N, ...]).
HostTensor takeChunk(const HostTensor &full, int64_t rank, int64_t parts) {
  SmallVector<int64_t> shape(full.getShape());
  int64_t rows = shape[1] / parts;
  shape[1] = rows;
  HostTensor chunk(full.getElementType(), shape);
  copyPositions(static_cast<uint8_t *>(chunk.getData()), rows, 0,
                static_cast<const uint8_t *>(full.getData()),
                full.getShape()[1], rank * rows, rows, shape[0],
                bytesPerPosition(full));
  return chunk;
}

/// The inverse of takeChunk for the P chunks gathered rank after rank.
HostTensor assembleChunks(const HostTensor &chunk, const uint8_t *gathered,
                          int64_t parts) {
  SmallVector<int64_t> shape(chunk.getShape());
  int64_t rows = shape[1];
  shape[1] = rows * parts;
  HostTensor full(chunk.getElementType(), shape);
  for (int64_t p = 0; p < parts; ++p)
    copyPositions(static_cast<uint8_t *>(full.getData()), shape[1], p * rows,
                  gathered + p * chunk.getSizeInBytes(), rows, 0, rows,
                  shape[0], bytesPerPosition(chunk));
  return full;
}

/// The per-rank function of `module` for `devices` ranks.
llvm::Expected<OwningOpRef<ModuleOp>> shardModule(ModuleOp module,
                                                  int64_t devices) {
  OwningOpRef<ModuleOp> sharded = module.clone();
  FirstErrorCollector errors(module.getContext());
  PassManager pm = PassManager::on<ModuleOp>(module.getContext());
  mlir::longnet::LongNetShardSequenceOptions options;
  options.devices = devices;
  pm.addPass(mlir::longnet::createLongNetShardSequence(options));
  if (failed(pm.run(*sharded)))
    return errors.takeError("--shard-sequence over " + llvm::Twine(devices) +
                            " ranks");
  return std::move(sharded);
}

/// --backend=cuda: one GPU per rank (the node-local rank's), and NCCL for
/// the collectives, bootstrapped over MPI (rank 0's unique id broadcast).
llvm::Error initNcclForRank(int rank, int size) {
  int count = 0;
  if (llvm::Error error =
          checkComm(lnrt_device_count(&count), "--backend=cuda"))
    return error;
  if (count == 0)
    return makeError("--backend=cuda: no CUDA device");
  const char *local = std::getenv("OMPI_COMM_WORLD_LOCAL_RANK");
  int localRank = local ? std::atoi(local) : rank;
  if (llvm::Error error = checkComm(lnrt_set_device(localRank % count),
                                    "--backend=cuda: selecting the device"))
    return error;
  char id[LNRT_NCCL_UNIQUE_ID_BYTES] = {};
  if (rank == 0)
    if (llvm::Error error =
            checkComm(lnrt_nccl_get_unique_id(id), "--backend=cuda: NCCL"))
      return error;
  if (llvm::Error error = checkComm(lnrt_comm_broadcast(id, sizeof(id), 0),
                                    "--backend=cuda: sending the NCCL id"))
    return error;
  return checkComm(lnrt_comm_init_nccl(id, rank, size, /*timeoutSeconds=*/0),
                   "--backend=cuda: NCCL");
}

/// `mpirun -np P longnet-run --shard-sequence`: every rank runs the sharded
/// entry on its chunk; rank 0 assembles the results, writes and checks them.
llvm::Error runShardedTool(ModuleOp module, const EntrySignature &signature,
                           ArrayRef<HostTensor> inputs,
                           const AttentionCost &cost, const char *argv0) {
  int rank = 0, size = 1;
  if (llvm::Error error = checkComm(lnrt_comm_rank(&rank), "--shard-sequence"))
    return error;
  if (llvm::Error error = checkComm(lnrt_comm_size(&size), "--shard-sequence"))
    return error;
  auto sharded = shardModule(module, size);
  if (!sharded)
    return sharded.takeError();
  auto entry = lookupEntry(**sharded, entryName);
  if (!entry)
    return entry.takeError();
  auto localSignature = analyzeSignature(*entry);
  if (!localSignature)
    return localSignature.takeError();
  SmallVector<HostTensor> chunks;
  for (const HostTensor &input : inputs)
    chunks.push_back(takeChunk(input, rank, size));

  // The sharded entry for the CPU (JIT) or the GPU (a compiled library with
  // NCCL collectives).
  std::unique_ptr<CompiledEntry> onCpu;
  std::unique_ptr<CudaEntry> onGpu;
  if (backend == Backend::CUDA) {
    if (llvm::Error error = initNcclForRank(rank, size))
      return error;
    auto compiled = compileForCuda(**sharded, *localSignature, argv0);
    if (!compiled)
      return compiled.takeError();
    onGpu = std::move(*compiled);
  } else {
    auto compiled = CompiledEntry::compile(
        **sharded, *localSignature, entryName, *makePipelineOptions(false),
        getSharedLibraries(), "the sharded module");
    if (!compiled)
      return compiled.takeError();
    onCpu = std::move(*compiled);
  }
  auto callChunks =
      [&](double *seconds) -> llvm::Expected<SmallVector<HostTensor>> {
    if (onCpu)
      return onCpu->call(chunks, seconds);
    auto start = std::chrono::steady_clock::now();
    auto results = onGpu->call(chunks);
    if (seconds)
      *seconds = std::chrono::duration<double>(
                     std::chrono::steady_clock::now() - start)
                     .count();
    return results;
  };
  lnrt_comm_reset_counters();
  auto results = callChunks(nullptr);
  if (!results)
    return results.takeError();
  if (llvm::Error error =
          checkComm(lnrt_check_cuda_error(), "a collective failed"))
    return error;

  // Traffic per rank, then the results, gathered on rank 0.
  uint64_t received = 0;
  lnrt_comm_bytes_received(&received);
  SmallVector<uint64_t> traffic(size);
  if (llvm::Error error = checkComm(
          lnrt_comm_gather_to_root(&received, sizeof(received), traffic.data()),
          "gathering the traffic counters"))
    return error;
  SmallVector<HostTensor> full;
  for (const HostTensor &chunk : *results) {
    std::vector<uint8_t> gathered(rank == 0 ? chunk.getSizeInBytes() * size
                                            : 0);
    if (llvm::Error error = checkComm(
            lnrt_comm_gather_to_root(chunk.getData(), chunk.getSizeInBytes(),
                                     gathered.data()),
            "gathering the results"))
      return error;
    if (rank == 0)
      full.push_back(assembleChunks(chunk, gathered.data(), size));
  }
  if (rank == 0) {
    llvm::outs() << "sharded over " << size << " ranks: bytes received per "
                 << "rank in segment collectives:";
    for (uint64_t bytes : traffic)
      llvm::outs() << " " << bytes;
    llvm::outs() << "\n";
    if (llvm::Error error = writeOutputs(full))
      return error;
    printResults(full);
    if (check)
      if (llvm::Error error = checkWithReference(module, signature, inputs,
                                                 full, getSharedLibraries()))
        return error;
  }
  if (benchRuns == 0)
    return llvm::Error::success();
  SmallVector<double> times;
  for (unsigned run = 0; run <= benchRuns; ++run) {
    lnrt_comm_barrier();
    double seconds = 0.0;
    auto again = callChunks(&seconds);
    if (!again)
      return again.takeError();
    // A call ends when the slowest rank ends.
    SmallVector<double> all(size);
    lnrt_comm_gather_to_root(&seconds, sizeof(seconds), all.data());
    if (run > 0)
      times.push_back(*std::max_element(all.begin(), all.end()));
  }
  if (rank == 0)
    printBenchmark(std::move(times), cost);
  return llvm::Error::success();
}

llvm::Error runTool(MLIRContext &context, const char *argv0) {
  applyThreadCount();

  auto module = parseModule(context);
  if (!module)
    return module.takeError();
  auto entry = lookupEntry(**module, entryName);
  if (!entry)
    return entry.takeError();
  auto signature = analyzeSignature(*entry);
  if (!signature)
    return signature.takeError();
  if (llvm::Error error = checkOutputCount(*signature))
    return error;
  auto inputs = makeInputs(*signature);
  if (!inputs)
    return inputs.takeError();
  if (llvm::Error error = checkAttentionShapes(*entry, *inputs))
    return error;
  AttentionCost cost = countAttentionCost(*entry, *inputs);
  if (shardSequence)
    return runShardedTool(**module, *signature, *inputs, cost, argv0);
  if (backend == Backend::CUDA)
    return runCudaTool(**module, *signature, *inputs, cost, argv0);

  std::vector<std::string> libraries = getSharedLibraries();
  auto compiled = CompiledEntry::compile(**module, *signature, entryName,
                                         *makePipelineOptions(false), libraries,
                                         "the module");
  if (!compiled)
    return compiled.takeError();
  auto results = (*compiled)->call(*inputs);
  if (!results)
    return results.takeError();
  if (llvm::Error error = writeOutputs(*results))
    return error;
  printResults(*results);

  if (check)
    if (llvm::Error error = checkWithReference(**module, *signature, *inputs,
                                               *results, libraries))
      return error;
  if (benchRuns > 0)
    return runBenchmark(**compiled, *inputs, cost);
  return llvm::Error::success();
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();

  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  registerPassManagerCLOptions();
  numThreads = makeThreadsOption();
  cl::HideUnrelatedOptions(runCategory);
  if (!::longnet::parseToolCommandLine(
          argc, argv, "longnet-run",
          "longnet-run: lower a LongNet module for the CPU, JIT-compile it "
          "and call a function on tensors\n"))
    return 1;
  if (llvm::Error error = checkFlags()) {
    llvm::WithColor::error(llvm::errs(), "longnet-run")
        << llvm::toString(std::move(error)) << "\n";
    return 1;
  }

  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  mlir::longnet::registerModelCompilerDependencies(registry);
  MLIRContext context(registry);

  if (shardSequence)
    if (lnrt_comm_init_mpi(&argc, &argv) != LNRT_SUCCESS) {
      llvm::WithColor::error(llvm::errs(), "longnet-run")
          << "--shard-sequence: " << lnrt_get_last_error() << "\n";
      return 1;
    }
  llvm::Error error = runTool(context, argv[0]);
  int status = 0;
  if (error) {
    llvm::outs().flush(); // Results and check lines come before the error.
    int rank = 0;
    lnrt_comm_rank(&rank);
    llvm::WithColor::error(llvm::errs(), "longnet-run")
        << (shardSequence ? "rank " + std::to_string(rank) + ": " : "")
        << llvm::toString(std::move(error)) << "\n";
    status = 1;
  }
  if (shardSequence)
    lnrt_comm_finalize();
  return status;
}
