//===- LongNetDialect.h - LongNet dialect ------------------------*- C++
//-*-===//
//
// Part of the longnet-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_DIALECT_LONGNET_IR_LONGNETDIALECT_H
#define LONGNET_DIALECT_LONGNET_IR_LONGNETDIALECT_H

#include "mlir/IR/Dialect.h"

#include "longnet/Dialect/LongNet/IR/LongNetOpsDialect.h.inc"

#endif // LONGNET_DIALECT_LONGNET_IR_LONGNETDIALECT_H
