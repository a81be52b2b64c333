//===- Pipelines.cpp - LongNet lowering pipelines ---------------*- C++ -*-===//
//
// Part of the longnet-mlir project.
//
//===----------------------------------------------------------------------===//

#include "longnet/Pipelines/Pipelines.h"
#include "longnet/Conversion/Passes.h"
#include "longnet/Dialect/LongNet/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/LLVMIR/Transforms/Passes.h"
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
  // Sequence-parallel models: collectives and the rank as runtime calls.
  pm.addPass(longnet::createLongNetLowerCollectives());
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
  // bf16 conversions as integer arithmetic: the C runtime (libgcc 12) has
  // no __truncsfbf2 / __truncdfbf2 for LLVM's bf16 truncation libcalls.
  arith::ArithExpandOpsPassOptions expand;
  expand.includeBf16 = true;
  pm.addPass(arith::createArithExpandOpsPass(expand));
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

std::string longnet::getPTXFeatures(llvm::StringRef chip) {
  if (chip == "sm_80" || chip == "sm_86" || chip == "sm_87" ||
      chip == "sm_89" || chip == "sm_90" || chip == "sm_90a")
    return "+ptx80";
  return "";
}

void longnet::buildLowerToNVVMPipeline(OpPassManager &pm,
                                       const LowerToNVVMOptions &options) {
  LowerToCPUOptions tensorOptions;
  addTensorLevelPasses(pm, tensorOptions);
  addBufferizationPasses(pm);

  // Kernels: fused flash kernels, then every other parallel loop.
  longnet::LongNetConvertAttentionToNVGPUOptions attention;
  attention.keyTile = options.keyTile;
  pm.addNestedPass<func::FuncOp>(
      longnet::createLongNetConvertAttentionToNVGPU(attention));
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToParallelLoopsPass());
  pm.addPass(longnet::createLongNetSequentializeNestedParallel());
  pm.addPass(longnet::createLongNetHostBuffersToGPU());
  longnet::LongNetMapParallelLoopsToGPUOptions mapping;
  mapping.blockSize = options.blockSize;
  pm.addNestedPass<func::FuncOp>(
      longnet::createLongNetMapParallelLoopsToGPU(mapping));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // Constants and index arithmetic move back into the kernels, instead of
  // becoming kernel parameters (the compiler then folds and strength-reduces
  // them: warp = tid / 32 is a shift).
  pm.addNestedPass<func::FuncOp>(createGpuLaunchSinkIndexComputationsPass());
  pm.addPass(createGpuKernelOutliningPass());
  pm.addPass(longnet::createLongNetMergeGPUModules());
  // Allocations, copies and launches in order on one stream per call (the
  // runtime's current stream when the caller set one).
  pm.addNestedPass<func::FuncOp>(createGpuAsyncRegionPass());
  pm.addPass(longnet::createLongNetExportCInterface());

  // Upstream's NVVM lowering (as in gpu-lower-to-nvvm-pipeline), with the
  // chip's PTX version and our toolkit.
  pm.addPass(createConvertNVGPUToNVVMPass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertNVVMToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  GpuNVVMAttachTargetOptions target;
  target.chip = options.chip;
  target.features = getPTXFeatures(options.chip);
  target.optLevel = options.optLevel;
  pm.addPass(createGpuNVVMAttachTarget(target));
  pm.addPass(createLowerAffinePass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());

  OpPassManager &device = pm.nest<gpu::GPUModuleOp>();
  device.addPass(createStripDebugInfoPass());
  device.addPass(createConvertGpuOpsToNVVMOps());
  device.addPass(createConvertNVVMToLLVMPass());
  device.addPass(createReconcileUnrealizedCastsPass());

  pm.addPass(createGpuToLLVMConversionPass());
  GpuModuleToBinaryPassOptions binary;
  binary.compilationTarget = options.format;
  binary.toolkitPath = options.toolkit;
  pm.addPass(createGpuModuleToBinaryPass(binary));
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void longnet::registerLongNetPipelines() {
  PassPipelineRegistration<LowerToCPUOptions>(
      "longnet-lower-to-cpu",
      "Lower a tensor-level model with longnet ops to the LLVM dialect for "
      "the CPU: flash loop nests, bufferization, vectors, OpenMP threads",
      buildLowerToCPUPipeline);
  PassPipelineRegistration<LowerToNVVMOptions>(
      "longnet-lower-to-nvvm",
      "Lower a tensor-level model with longnet ops to LLVM dialect host code "
      "and embedded NVIDIA kernels: fused flash kernels on tensor cores, "
      "device buffers, NVVM, gpu-module-to-binary",
      buildLowerToNVVMPipeline);
}
