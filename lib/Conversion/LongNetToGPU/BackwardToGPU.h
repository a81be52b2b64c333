//===- BackwardToGPU.h - The backward tile program on GPUs ------*- C++ -*-===//
//
// Part of the longnet-mlir project. Private to lib/Conversion/LongNetToGPU.
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_LIB_CONVERSION_LONGNETTOGPU_BACKWARDTOGPU_H
#define LONGNET_LIB_CONVERSION_LONGNETTOGPU_BACKWARDTOGPU_H

#include "mlir/IR/Operation.h"
#include "mlir/Support/LLVM.h"

namespace mlir {
namespace longnet {

struct BackwardProblem;

/// Replaces nothing: emits, before `op` (a bufferized
/// longnet.branch_attention_backward), the two launches of its CUDA-core
/// backward (dK/dV, then dQ). Fails with a diagnostic on `op` for a dynamic
/// or too large head dimension.
LogicalResult emitGPUBackward(Operation *op, const BackwardProblem &p);

} // namespace longnet
} // namespace mlir

#endif // LONGNET_LIB_CONVERSION_LONGNETTOGPU_BACKWARDTOGPU_H
