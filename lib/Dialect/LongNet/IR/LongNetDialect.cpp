//===- LongNetDialect.cpp - LongNet dialect ---------------------*- C++ -*-===//
//
// Part of the longnet-mlir project.
//
//===----------------------------------------------------------------------===//

#include "longnet/Dialect/LongNet/IR/LongNetDialect.h"
#include "longnet/Dialect/LongNet/IR/LongNetAttrs.h"
#include "longnet/Dialect/LongNet/IR/LongNetOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::longnet;

#include "longnet/Dialect/LongNet/IR/LongNetOpsDialect.cpp.inc"

#include "longnet/Dialect/LongNet/IR/LongNetEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "longnet/Dialect/LongNet/IR/LongNetAttrs.cpp.inc"

void LongNetDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "longnet/Dialect/LongNet/IR/LongNetAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "longnet/Dialect/LongNet/IR/LongNetOps.cpp.inc"
      >();
}
