//===- longnet-compile.cpp - Model IR to a self-contained shared library --===//
//
// Part of the longnet-mlir project.
//
// longnet-compile FILE.mlir -o OUT [--target=cuda|cpu] [--chip=sm_XX]
//                 [--emit=so|ptx|llvm|mlir]
//
// `so` is a shared library with the model's kernels (a fatbin for cuda), a
// packed entry point and a float64 reference variant per public function, and
// the manifest liblongnet_runtime reads (docs/longnet-compile.md). It needs
// only liblongnet_runtime.so and the C/C++ standard libraries.
//
//===----------------------------------------------------------------------===//

#include "longnet/Compiler/ModelCompiler.h"
#include "longnet/Pipelines/Pipelines.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"

#include "ToolCommandLine.h"

using namespace mlir;
namespace cl = llvm::cl;

namespace {

cl::OptionCategory category("longnet-compile options");
cl::opt<std::string> inputFile(cl::Positional, cl::desc("<model.mlir>"),
                               cl::Required, cl::cat(category));
cl::opt<std::string> outputFile("o", cl::desc("Output file"),
                                cl::value_desc("path"), cl::Required,
                                cl::cat(category));
cl::opt<std::string> target("target", cl::desc("cuda (default) or cpu"),
                            cl::init("cuda"), cl::cat(category));
cl::opt<std::string> chip("chip",
                          cl::desc("GPU: sm_80 (default), sm_86, sm_87, "
                                   "sm_89, sm_90 or sm_90a"),
                          cl::init("sm_80"), cl::cat(category));
cl::opt<std::string> emit("emit",
                          cl::desc("so (default), ptx, llvm (host LLVM IR) "
                                   "or mlir (the lowered module)"),
                          cl::init("so"), cl::cat(category));
cl::opt<int64_t> queryTile("query-tile",
                           cl::desc("CPU flash query tile (default 96)"),
                           cl::init(96), cl::cat(category));
cl::opt<int64_t> keyTile("key-tile",
                         cl::desc("Key tile (CPU: default 96; GPU tensor-core "
                                  "kernel: default chosen by D)"),
                         cl::init(-1), cl::cat(category));
cl::opt<std::string> hostCPU("host-cpu",
                             cl::desc("CPU of the host code: native (default) "
                                      "or an LLVM CPU name such as x86-64-v3"),
                             cl::init("native"), cl::cat(category));
cl::opt<bool> withReference("reference",
                            cl::desc("Also compile each entry's float64 "
                                     "reference variant (default true)"),
                            cl::init(true), cl::cat(category));
cl::opt<std::string> toolkit("cuda-toolkit",
                             cl::desc("CUDA toolkit root (ptxas, fatbinary, "
                                      "libdevice)"),
                             cl::init("/usr/local/cuda"), cl::cat(category));
cl::opt<std::string> runtimeDir(
    "runtime-dir",
    cl::desc("Directory of liblongnet_runtime.so (default: ../lib next to "
             "this tool)"),
    cl::init(""), cl::cat(category));

int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "longnet-compile") << message << "\n";
  return 1;
}

int writeText(StringRef text) {
  std::string error;
  auto out = openOutputFile(outputFile, &error);
  if (!out)
    return fail(error);
  out->os() << text;
  out->keep();
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  if (!::longnet::parseToolCommandLine(argc, argv, "longnet-compile",
                                       "longnet-compile: compile model IR to a "
                                       "self-contained shared library\n"))
    return 1;
  if (target != "cuda" && target != "cpu")
    return fail("--target must be cuda or cpu, got '" + target + "'");
  if (emit != "so" && emit != "ptx" && emit != "llvm" && emit != "mlir")
    return fail("--emit must be so, ptx, llvm or mlir, got '" + emit + "'");
  if (emit == "ptx" && target != "cuda")
    return fail("--emit=ptx needs --target=cuda");
  if (target == "cuda" && mlir::longnet::getPTXFeatures(chip).empty())
    return fail("--chip must be one of sm_80, sm_86, sm_87, sm_89, sm_90, "
                "sm_90a, got '" +
                chip + "'");
  if (queryTile <= 0)
    return fail("--query-tile must be positive, got " + llvm::Twine(queryTile));
  // -1 (the default) lets the compiler choose; an explicit value must be
  // positive.
  if (keyTile.getNumOccurrences() && keyTile <= 0)
    return fail("--key-tile must be positive, got " + llvm::Twine(keyTile));

  mlir::longnet::ModelCompilerOptions options;
  options.target = target == "cuda" ? mlir::longnet::ModelTarget::CUDA
                                    : mlir::longnet::ModelTarget::CPU;
  options.chip = chip;
  options.cpuQueryTile = queryTile;
  options.cpuKeyTile = keyTile < 0 ? 96 : int64_t(keyTile);
  options.gpuKeyTile = keyTile < 0 ? 0 : int64_t(keyTile);
  options.hostCPU = hostCPU;
  options.reference = withReference;
  options.cudaToolkit = toolkit;
  options.runtimeDir = runtimeDir.empty()
                           ? mlir::longnet::getDefaultRuntimeDir(
                                 argv[0], reinterpret_cast<void *>(&writeText))
                           : runtimeDir.getValue();

  DialectRegistry registry;
  mlir::longnet::registerModelCompilerDependencies(registry);
  MLIRContext context(registry);
  context.printOpOnDiagnostic(false);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  std::string error;
  auto file = openInputFile(inputFile, &error);
  if (!file)
    return fail(error);
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module || failed(verify(*module)))
    return 1;

  if (emit == "ptx" || emit == "mlir") {
    if (failed(mlir::longnet::lowerModel(*module, options,
                                         emit == "ptx" ? "isa" : "fatbin")))
      return fail("lowering '" + inputFile + "' failed");
    if (emit == "mlir") {
      std::string text;
      llvm::raw_string_ostream os(text);
      module->print(os);
      return writeText(text);
    }
    FailureOr<std::string> ptx = mlir::longnet::getKernelPTX(*module);
    return failed(ptx) ? 1 : writeText(*ptx);
  }

  llvm::LLVMContext llvmContext;
  auto llvmModule =
      mlir::longnet::compileModelToLLVMIR(*module, options, llvmContext);
  if (!llvmModule)
    return fail(llvm::toString(llvmModule.takeError()));
  if (emit == "llvm") {
    std::string text;
    llvm::raw_string_ostream os(text);
    (*llvmModule)->print(os, nullptr);
    return writeText(text);
  }
  if (llvm::Error error =
          mlir::longnet::writeSharedLibrary(**llvmModule, options, outputFile))
    return fail(llvm::toString(std::move(error)));
  return 0;
}
