//===- LongNetOps.h - LongNet operations -------------------------*- C++
//-*-===//
//
// Part of the longnet-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_DIALECT_LONGNET_IR_LONGNETOPS_H
#define LONGNET_DIALECT_LONGNET_IR_LONGNETOPS_H

#include "longnet/Dialect/LongNet/IR/LongNetAttrs.h"
#include "longnet/Dialect/LongNet/IR/LongNetDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "longnet/Dialect/LongNet/IR/LongNetOps.h.inc"

#endif // LONGNET_DIALECT_LONGNET_IR_LONGNETOPS_H
