//===- LongNetAttrs.td - LongNet attributes ----------------*- tablegen -*-===//
//
// Part of the longnet-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_DIALECT_LONGNET_IR_LONGNETATTRS_TD
#define LONGNET_DIALECT_LONGNET_IR_LONGNETATTRS_TD

include "longnet/Dialect/LongNet/IR/LongNetDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def LongNet_OffsetModeCyclic : I32EnumAttrCase<"cyclic", 0>;
def LongNet_OffsetModeGrouped : I32EnumAttrCase<"grouped", 1>;
def LongNet_OffsetModeNone : I32EnumAttrCase<"none", 2>;

def LongNet_OffsetMode : I32EnumAttr<"OffsetMode",
    "how a head's row offset within a dilated segment is chosen",
    [LongNet_OffsetModeCyclic, LongNet_OffsetModeGrouped,
     LongNet_OffsetModeNone]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::longnet";
}

def LongNet_OffsetModeAttr : EnumAttr<LongNet_Dialect, LongNet_OffsetMode,
                                      "offset_mode"> {
  let summary = "head offset mode of dilated attention";
  let description = [{
    For head `j` of `H` and dilation rate `r`, the head's offset `o_j` is
    `j mod r` for `cyclic` (the paper, the default),
    `floor(j / ceil(H / r))` for `grouped` (the official torchscale layout)
    and `0` for `none`.
  }];
  let assemblyFormat = "`<` $value `>`";
}

#endif // LONGNET_DIALECT_LONGNET_IR_LONGNETATTRS_TD
