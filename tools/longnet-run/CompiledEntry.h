//===- CompiledEntry.h - An entry lowered and JIT-compiled ------*- C++ -*-===//
//
// Part of the longnet-mlir project.
//
// Lowers a copy of the module with `longnet-lower-to-cpu`, JIT-compiles it
// with MLIR's ExecutionEngine (libomp and the reference ABI resolvable) and
// calls the entry through its C interface: `_mlir_ciface_<entry>(results *,
// memref descriptor *...)`, where `results` is the struct of the returned
// memref descriptors. Results are copied into host tensors and their
// buffers freed.
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_TOOLS_LONGNET_RUN_COMPILEDENTRY_H
#define LONGNET_TOOLS_LONGNET_RUN_COMPILEDENTRY_H

#include "Entry.h"

#include "longnet/Pipelines/Pipelines.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"

#include <memory>

namespace longnet {
namespace run {

class CompiledEntry {
public:
  /// Lowers a clone of `module` with `options` and JIT-compiles it, loading
  /// `sharedLibraries` (libomp among them) into the JIT. `what` names the
  /// compilation in errors ("the optimized module").
  static llvm::Expected<std::unique_ptr<CompiledEntry>>
  compile(mlir::ModuleOp module, const EntrySignature &signature,
          llvm::StringRef entryName,
          const mlir::longnet::LowerToCPUOptions &options,
          llvm::ArrayRef<std::string> sharedLibraries, llvm::StringRef what);

  /// Calls the entry on copies of `inputs` (the callee may write into its
  /// arguments) and returns its results. When `seconds` is not null it gets
  /// the wall time of the call alone.
  llvm::Expected<llvm::SmallVector<HostTensor>>
  call(llvm::ArrayRef<HostTensor> inputs, double *seconds = nullptr);

private:
  CompiledEntry(std::unique_ptr<mlir::ExecutionEngine> engine,
                const EntrySignature &signature, llvm::StringRef entryName)
      : engine(std::move(engine)), signature(signature),
        interfaceName(("_mlir_ciface_" + entryName).str()) {}

  std::unique_ptr<mlir::ExecutionEngine> engine;
  EntrySignature signature;
  std::string interfaceName;
};

} // namespace run
} // namespace longnet

#endif // LONGNET_TOOLS_LONGNET_RUN_COMPILEDENTRY_H
