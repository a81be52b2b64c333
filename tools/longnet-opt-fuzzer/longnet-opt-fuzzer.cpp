//===- longnet-opt-fuzzer.cpp - libFuzzer target over the IR tools --------===//
//
// Part of the longnet-mlir project.
//
// Each input is MLIR text. It is parsed and verified with every upstream
// dialect and ours registered (as longnet-opt does); a module that verifies
// then goes through one of our pipelines, chosen by the input's length:
// decompose-mixture, shard-sequence over 2 and 4 devices, cost-report,
// lower-to-cpu, lower-to-nvvm (PTX text, no ptxas). Diagnostics are
// expected and dropped; a crash, a sanitizer report or a hang is a finding.
// Built with -DLONGNET_BUILD_FUZZERS=ON (clang); docs/reliability.md says
// how to run it. LONGNET_FUZZ_VERBOSE=1 prints the pipeline each verified
// input ran and whether it succeeded.
//
//===----------------------------------------------------------------------===//

#include "longnet/Conversion/Passes.h"
#include "longnet/Dialect/LongNet/IR/LongNetDialect.h"
#include "longnet/Dialect/LongNet/Transforms/Passes.h"
#include "longnet/Pipelines/Pipelines.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>

using namespace mlir;

namespace {

/// The pipelines an input can go through, in longnet-opt's syntax.
const char *const kPipelines[] = {
    "builtin.module(longnet-decompose-mixture)",
    "builtin.module(longnet-shard-sequence{devices=2})",
    "builtin.module(longnet-shard-sequence{devices=4})",
    "builtin.module(longnet-cost-report{devices=4})",
    "builtin.module(longnet-lower-to-cpu)",
    "builtin.module(longnet-lower-to-nvvm{format=isa})",
};

MLIRContext *context = nullptr;

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  registerAllPasses();
  longnet::registerLongNetPasses();
  longnet::registerLongNetConversionPasses();
  longnet::registerLongNetPipelines();
  llvm::InitializeAllTargets();
  llvm::InitializeAllTargetMCs();
  llvm::InitializeAllAsmPrinters();

  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllGPUToLLVMIRTranslations(registry);
  registry.insert<longnet::LongNetDialect>();
  longnet::registerBufferizableOpInterfaceExternalModels(registry);
  context = new MLIRContext(registry, MLIRContext::Threading::DISABLED);
  context->loadAllAvailableDialects();
  context->allowUnregisteredDialects(false);
  // longnet-cost-report prints its tables to stdout; libFuzzer reports on
  // stderr.
  int devNull = open("/dev/null", O_WRONLY);
  if (devNull >= 0)
    dup2(devNull, STDOUT_FILENO);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // The lexer wants a null-terminated buffer.
  std::string text(reinterpret_cast<const char *>(data), size);
  ScopedDiagnosticHandler dropDiagnostics(
      context, [](Diagnostic &) { return success(); });
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(text, "fuzz-input"), llvm::SMLoc());
  OwningOpRef<ModuleOp> module =
      parseSourceFile<ModuleOp>(sourceMgr, ParserConfig(context));
  if (!module || failed(verify(*module)))
    return 0;

  const char *pipeline = kPipelines[size % std::size(kPipelines)];
  PassManager pm(context);
  if (failed(parsePassPipeline(pipeline, pm))) {
    llvm::errs() << "longnet-opt-fuzzer: cannot parse '" << pipeline << "'\n";
    std::abort();
  }
  LogicalResult result = pm.run(*module);
  // Replaying a finding: LONGNET_FUZZ_VERBOSE=1 says what ran.
  static const bool verbose = std::getenv("LONGNET_FUZZ_VERBOSE") != nullptr;
  if (verbose)
    llvm::errs() << "longnet-opt-fuzzer: " << pipeline << ": "
                 << (succeeded(result) ? "succeeded" : "failed") << "\n";
  return 0;
}
