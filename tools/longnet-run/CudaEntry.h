//===- CudaEntry.h - An entry compiled for the GPU and run by lnrt -*- C++
//-*-===//
//
// Part of the longnet-mlir project.
//
// `longnet-run --backend=cuda`: the module is compiled like
// `longnet-compile --target=cuda` into a temporary shared library, loaded
// with liblongnet_runtime (lnrt_model_load) and called on host tensors
// (copied to and from the device) or, for --bench, on device-resident
// copies timed with CUDA events.
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_TOOLS_LONGNET_RUN_CUDAENTRY_H
#define LONGNET_TOOLS_LONGNET_RUN_CUDAENTRY_H

#include "Entry.h"

#include "longnet/Compiler/ModelCompiler.h"

#include <memory>

struct lnrt_model;

namespace longnet {
namespace run {

class CudaEntry {
public:
  /// Compiles the entry `entryName` of a clone of `module` and loads it.
  /// Fails with the runtime's message when there is no usable GPU.
  static llvm::Expected<std::unique_ptr<CudaEntry>>
  compile(mlir::ModuleOp module, const EntrySignature &signature,
          llvm::StringRef entryName,
          const mlir::longnet::ModelCompilerOptions &options);
  ~CudaEntry();

  /// Calls the entry on host `inputs`; returns host results.
  llvm::Expected<llvm::SmallVector<HostTensor>>
  call(llvm::ArrayRef<HostTensor> inputs);

  /// Times `runs` calls (after one warm-up) on device-resident inputs with
  /// CUDA events; returns the seconds of each call.
  llvm::Expected<llvm::SmallVector<double>>
  benchmark(llvm::ArrayRef<HostTensor> inputs, unsigned runs);

private:
  CudaEntry(lnrt_model *model, const EntrySignature &signature,
            llvm::StringRef entryName, std::string libraryPath)
      : model(model), signature(signature), entryName(entryName.str()),
        libraryPath(std::move(libraryPath)) {}

  lnrt_model *model;
  EntrySignature signature;
  std::string entryName;
  std::string libraryPath; // removed in the destructor
};

} // namespace run
} // namespace longnet

#endif // LONGNET_TOOLS_LONGNET_RUN_CUDAENTRY_H
