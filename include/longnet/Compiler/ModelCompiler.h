//===- ModelCompiler.h - Model IR to a self-contained shared library -*- C++
//-*-===//
//
// Part of the longnet-mlir project.
//
// What longnet-compile does, as a library: lower a tensor-level model for the
// CPU or an NVIDIA GPU, add a packed entry point, a float64 reference variant
// and the manifest per public function, and link a shared library that needs
// only liblongnet_runtime.so (docs/longnet-compile.md).
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_COMPILER_MODELCOMPILER_H
#define LONGNET_COMPILER_MODELCOMPILER_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>

namespace mlir {
namespace longnet {

enum class ModelTarget { CPU, CUDA };

struct ModelCompilerOptions {
  ModelTarget target = ModelTarget::CUDA;
  /// GPU chip (sm_80, sm_86, sm_87, sm_89, sm_90, sm_90a).
  std::string chip = "sm_80";
  /// CPU flash tiles, and the GPU tensor-core key tile (0: chosen by D).
  int64_t cpuQueryTile = 96, cpuKeyTile = 96, gpuKeyTile = 0;
  /// CPU of the host code: "native" or an LLVM CPU name (x86-64-v3).
  std::string hostCPU = "native";
  /// Also compile each entry's float64 reference variant.
  bool reference = true;
  std::string cudaToolkit = "/usr/local/cuda";
  /// Directory of liblongnet_runtime.so.
  std::string runtimeDir;
};

/// Registers what the model compiler needs (dialects, interfaces, LLVM IR
/// translations) and initialises the host and NVPTX LLVM targets.
void registerModelCompilerDependencies(DialectRegistry &registry);

/// Lowers `module` in place with the target's pipeline; GPU kernels are
/// serialised as `kernelFormat` (isa, bin or fatbin).
LogicalResult lowerModel(ModuleOp module, const ModelCompilerOptions &options,
                         StringRef kernelFormat);

/// The PTX of the kernels of a module lowered with kernel format isa.
FailureOr<std::string> getKernelPTX(ModuleOp lowered);

/// The whole model as optimised host LLVM IR: lowered entries, their packed
/// wrappers `_longnet_packed_<name>(void **)`, the reference variants and
/// the `longnet_model_manifest` string. `module` is not modified.
llvm::Expected<std::unique_ptr<llvm::Module>>
compileModelToLLVMIR(ModuleOp module, const ModelCompilerOptions &options,
                     llvm::LLVMContext &context);

/// Emits `llvmModule` as an object and links it into the shared library
/// `path` against liblongnet_runtime.so.
llvm::Error writeSharedLibrary(llvm::Module &llvmModule,
                               const ModelCompilerOptions &options,
                               StringRef path);

/// `<directory of the executable>/../lib`, where the build and the install
/// put liblongnet_runtime.so.
std::string getDefaultRuntimeDir(const char *argv0, void *mainAddress);

} // namespace longnet
} // namespace mlir

#endif // LONGNET_COMPILER_MODELCOMPILER_H
