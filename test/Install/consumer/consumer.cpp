// Parses and verifies a longnet op with only the installed package's headers
// and library; prints the op's branch count and its default scale.
#include "longnet/Dialect/LongNet/IR/LongNetDialect.h"
#include "longnet/Dialect/LongNet/IR/LongNetOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/raw_ostream.h"

static const char *kSource = R"mlir(
func.func @f(%q: tensor<1x64x2x16xf32>) -> tensor<1x64x2x16xf32> {
  %o = longnet.dilated_attention %q, %q, %q {segment_lengths = array<i64: 16, 32>,
         dilation_rates = array<i64: 1, 2>}
       : (tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>, tensor<1x64x2x16xf32>) -> tensor<1x64x2x16xf32>
  return %o : tensor<1x64x2x16xf32>
}
)mlir";

int main() {
  mlir::MLIRContext context;
  context.loadDialect<mlir::longnet::LongNetDialect, mlir::func::FuncDialect>();
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(kSource, &context);
  if (!module)
    return 1;
  int status = 1;
  module->walk([&](mlir::longnet::DilatedAttentionOp op) {
    llvm::outs() << "branches " << op.getNumBranches() << " scale "
                 << *op.getScaleOrDefault() << "\n";
    status = 0;
  });
  return status;
}
