//===- longnet-opt.cpp - mlir-opt with the LongNet dialect ------*- C++ -*-===//
//
// Part of the longnet-mlir project.
//
// Every upstream dialect, extension and pass, plus the longnet dialect and its
// passes.
//
//===----------------------------------------------------------------------===//

#include "longnet/Conversion/Passes.h"
#include "longnet/Dialect/LongNet/IR/LongNetDialect.h"
#include "longnet/Dialect/LongNet/Transforms/Passes.h"
#include "longnet/Pipelines/Pipelines.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::longnet::registerLongNetPasses();
  mlir::longnet::registerLongNetConversionPasses();
  mlir::longnet::registerLongNetPipelines();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  // gpu-module-to-binary translates kernels to LLVM IR.
  mlir::registerAllGPUToLLVMIRTranslations(registry);
  registry.insert<mlir::longnet::LongNetDialect>();
  mlir::longnet::registerBufferizableOpInterfaceExternalModels(registry);

  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "longnet-opt: the LongNet dilated attention optimizer\n",
      registry));
}
