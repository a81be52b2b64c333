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

/// Registers `longnet-lower-to-cpu` with mlir-opt style tools.
void registerLongNetPipelines();

} // namespace longnet
} // namespace mlir

#endif // LONGNET_PIPELINES_PIPELINES_H
