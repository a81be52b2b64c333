//===- LongNetAttrs.h - LongNet attributes -----------------------*- C++
//-*-===//
//
// Part of the longnet-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_DIALECT_LONGNET_IR_LONGNETATTRS_H
#define LONGNET_DIALECT_LONGNET_IR_LONGNETATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"

#include "longnet/Dialect/LongNet/IR/LongNetEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "longnet/Dialect/LongNet/IR/LongNetAttrs.h.inc"

#endif // LONGNET_DIALECT_LONGNET_IR_LONGNETATTRS_H
