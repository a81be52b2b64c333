//===- Passes.h - LongNet conversion passes ----------------------*- C++
//-*-===//
//
// Part of the longnet-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_CONVERSION_PASSES_H
#define LONGNET_CONVERSION_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
namespace longnet {

#define GEN_PASS_DECL
#include "longnet/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "longnet/Conversion/Passes.h.inc"

} // namespace longnet
} // namespace mlir

#endif // LONGNET_CONVERSION_PASSES_H
