//===- Pipelines.cpp - LongNet lowering pipelines ---------------*- C++ -*-===//
//
// Part of the longnet-mlir project.
//
//===----------------------------------------------------------------------===//

#include "longnet/Pipelines/Pipelines.h"
#include "longnet/Dialect/LongNet/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

/// Tensor level: longnet ops to branch ops (or reference calls).
static void addTensorLevelPasses(OpPassManager &pm,
                                 const longnet::LowerToCPUOptions &options) {
  if (options.reference)
    pm.addPass(longnet::createLongNetConvertToReferenceCalls());
  else
    pm.addPass(longnet::createLongNetDecomposeMixture());
  pm.addPass(createCanonicalizerPass());
}

static void addBufferizationPasses(OpPassManager &pm) {
  bufferization::OneShotBufferizePassOptions bufferization;
  bufferization.bufferizeFunctionBoundaries = true;
  bufferization.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferization));
  bufferization::buildBufferDeallocationPipeline(pm);
  // The deallocation pipeline may clone a returned argument.
  pm.addPass(createConvertBufferizationToMemRefPass());
}

/// Memref level: flash loop nests, matmul kernels, loops for the remaining
/// linalg ops.
static void addLoopPasses(OpPassManager &pm,
                          const longnet::LowerToCPUOptions &options) {
  longnet::LongNetTileAttentionOptions tiling;
  tiling.queryTile = options.queryTile;
  tiling.keyTile = options.keyTile;
  pm.addPass(longnet::createLongNetTileAttention(tiling));
  pm.addPass(longnet::createLongNetVectorizeMatmuls());
  pm.addPass(createConvertLinalgToParallelLoopsPass());
  pm.addPass(longnet::createLongNetSequentializeNestedParallel());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createLoopInvariantCodeMotionPass());
  pm.addPass(longnet::createLongNetApproximateMath());
}

/// scf.parallel to OpenMP threads, then everything to the LLVM dialect.
static void addLLVMPasses(OpPassManager &pm) {
  pm.addPass(longnet::createLongNetExportCInterface());
  pm.addPass(createConvertSCFToOpenMPPass());
  // Drops the memref.alloca_scope that scf-to-openmp wraps loop bodies in
  // (our bodies allocate on the heap), which scf-to-cf could not lower.
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(arith::createArithExpandOpsPass());
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void longnet::buildLowerToCPUPipeline(OpPassManager &pm,
                                      const LowerToCPUOptions &options) {
  addTensorLevelPasses(pm, options);
  addBufferizationPasses(pm);
  addLoopPasses(pm, options);
  addLLVMPasses(pm);
}

void longnet::registerLongNetPipelines() {
  PassPipelineRegistration<LowerToCPUOptions>(
      "longnet-lower-to-cpu",
      "Lower a tensor-level model with longnet ops to the LLVM dialect for "
      "the CPU: flash loop nests, bufferization, vectors, OpenMP threads",
      buildLowerToCPUPipeline);
}
