//===- BufferizableOpInterfaceImpl.cpp - Bufferize flash ops ----*- C++ -*-===//
//
// Part of the longnet-mlir project.
//
// longnet.branch_attention and longnet.attention are destination style: they
// bufferize in place into the buffers of their outs operands, like linalg ops.
//
//===----------------------------------------------------------------------===//

#include "longnet/Dialect/LongNet/IR/LongNetOps.h"
#include "longnet/Dialect/LongNet/Transforms/Passes.h"

#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/IR/DstBufferizableOpInterfaceImpl.h"
#include "mlir/IR/DialectRegistry.h"

using namespace mlir;
using namespace mlir::bufferization;
using namespace mlir::longnet;

namespace {
template <typename OpTy>
struct FlashOpInterface
    : public DstBufferizableOpInterfaceExternalModel<FlashOpInterface<OpTy>,
                                                     OpTy> {
  LogicalResult bufferize(Operation *op, RewriterBase &rewriter,
                          const BufferizationOptions &options,
                          BufferizationState &state) const {
    SmallVector<Value> buffers;
    for (Value operand : op->getOperands()) {
      FailureOr<Value> buffer = getBuffer(rewriter, operand, options, state);
      if (failed(buffer))
        return failure();
      buffers.push_back(*buffer);
    }
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPoint(op);
    OperationState bufferized(op->getLoc(), op->getName());
    bufferized.addOperands(buffers);
    bufferized.propertiesAttr = op->getPropertiesAsAttribute();
    bufferized.addAttributes(llvm::to_vector(op->getDiscardableAttrs()));
    rewriter.create(bufferized);
    replaceOpWithBufferizedValues(rewriter, op, ArrayRef(buffers).take_back(2));
    return success();
  }
};
} // namespace

void mlir::longnet::registerBufferizableOpInterfaceExternalModels(
    DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, LongNetDialect *) {
    BranchAttentionOp::attachInterface<FlashOpInterface<BranchAttentionOp>>(
        *ctx);
    AttentionOp::attachInterface<FlashOpInterface<AttentionOp>>(*ctx);
  });
}
