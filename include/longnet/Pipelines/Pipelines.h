//===- Pipelines.h - LongNet lowering pipelines ------------------*- C++
//-*-===//
//
// Part of the longnet-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_PIPELINES_PIPELINES_H
#define LONGNET_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

#include <string>

namespace mlir {
namespace longnet {

/// Options of the `longnet-lower-to-cpu` pipeline.
struct LowerToCPUOptions : public PassPipelineOptions<LowerToCPUOptions> {
  PassOptions::Option<int64_t> queryTile{
      *this, "query-tile",
      llvm::cl::desc("Selected query rows per tile of the flash loop nest"),
      llvm::cl::init(96)};
  PassOptions::Option<int64_t> keyTile{
      *this, "key-tile",
      llvm::cl::desc("Selected key rows per tile of the flash loop nest"),
      llvm::cl::init(96)};
  PassOptions::Option<bool> reference{
      *this, "reference",
      llvm::cl::desc("Lower longnet ops to calls of the float64 reference "
                     "(runtime symbol _mlir_ciface_longnet_reference_"
                     "dilated_attention) instead of the tiled form"),
      llvm::cl::init(false)};
};

/// Tensor-level model function -> LLVM dialect: longnet ops to the tiled flash
/// form (or to reference calls), one-shot bufferization, vectorization,
/// OpenMP threads, LLVM. Every public function gets `llvm.emit_c_interface`.
void buildLowerToCPUPipeline(OpPassManager &pm,
                             const LowerToCPUOptions &options);

/// Options of the `longnet-lower-to-nvvm` pipeline.
struct LowerToNVVMOptions : public PassPipelineOptions<LowerToNVVMOptions> {
  PassOptions::Option<std::string> chip{
      *this, "chip",
      llvm::cl::desc("Target GPU: sm_80, sm_86, sm_89, sm_90 or sm_90a"),
      llvm::cl::init("sm_80")};
  PassOptions::Option<std::string> format{
      *this, "format",
      llvm::cl::desc("Kernel binary format: isa (PTX text), bin (cubin) or "
                     "fatbin; bin and fatbin run the toolkit's ptxas"),
      llvm::cl::init("fatbin")};
  PassOptions::Option<int64_t> keyTile{
      *this, "key-tile",
      llvm::cl::desc("Keys per shared-memory tile of the tensor-core kernel "
                     "(0: 64 for D <= 64, else 32)"),
      llvm::cl::init(0)};
  PassOptions::Option<int64_t> blockSize{
      *this, "block-size",
      llvm::cl::desc("Threads per block of the kernels of other parallel "
                     "loops (upstream linalg ops)"),
      llvm::cl::init(256)};
  PassOptions::Option<int64_t> optLevel{
      *this, "opt-level", llvm::cl::desc("NVPTX optimisation level"),
      llvm::cl::init(3)};
  PassOptions::Option<std::string> toolkit{
      *this, "toolkit",
      llvm::cl::desc("CUDA toolkit root (ptxas, fatbinary, libdevice)"),
      llvm::cl::init("/usr/local/cuda")};
};

/// The PTX ISA version feature for `chip` ("+ptx80"): LLVM 22 rejects the
/// default +ptx60 for sm_80 and newer. Empty for an unknown chip.
std::string getPTXFeatures(llvm::StringRef chip);

/// Tensor-level model function -> LLVM dialect host code that launches
/// embedded NVIDIA kernels: longnet ops to fused flash kernels (tensor cores
/// for f16/bf16), other parallel loops to simple kernels, buffers in device
/// memory, kernels serialised by `gpu-module-to-binary`. Every public
/// function gets `llvm.emit_c_interface`; its memrefs are device buffers.
void buildLowerToNVVMPipeline(OpPassManager &pm,
                              const LowerToNVVMOptions &options);

/// Registers `longnet-lower-to-cpu` with mlir-opt style tools.
void registerLongNetPipelines();

} // namespace longnet
} // namespace mlir

#endif // LONGNET_PIPELINES_PIPELINES_H
