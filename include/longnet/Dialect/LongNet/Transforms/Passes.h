//===- Passes.h - LongNet transformation passes ------------------*- C++
//-*-===//
//
// Part of the longnet-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_DIALECT_LONGNET_TRANSFORMS_PASSES_H
#define LONGNET_DIALECT_LONGNET_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
class DialectRegistry;
namespace longnet {

#define GEN_PASS_DECL
#include "longnet/Dialect/LongNet/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "longnet/Dialect/LongNet/Transforms/Passes.h.inc"

/// Attaches the bufferization interface to the destination-style longnet ops.
void registerBufferizableOpInterfaceExternalModels(DialectRegistry &registry);

} // namespace longnet
} // namespace mlir

#endif // LONGNET_DIALECT_LONGNET_TRANSFORMS_PASSES_H
