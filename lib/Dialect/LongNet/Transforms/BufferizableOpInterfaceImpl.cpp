//===- BufferizableOpInterfaceImpl.cpp - Bufferize flash ops ----*- C++ -*-===//
//
// Part of the longnet-mlir project.
//
// The destination-style longnet ops (branch_attention, attention,
// branch_attention_backward, gathered_branch_attention, segment_all_gather)
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
struct DestinationOpInterface : public DstBufferizableOpInterfaceExternalModel<
                                    DestinationOpInterface<OpTy>, OpTy> {
  LogicalResult bufferize(Operation *op, RewriterBase &rewriter,
                          const BufferizationOptions &options,
                          BufferizationState &state) const {
    // Tensors become their buffers; other operands (indices) stay.
    SmallVector<Value> buffers, initBuffers;
    for (OpOperand &operand : op->getOpOperands()) {
      if (!isa<TensorType>(operand.get().getType())) {
        buffers.push_back(operand.get());
        continue;
      }
      FailureOr<Value> buffer =
          getBuffer(rewriter, operand.get(), options, state);
      if (failed(buffer))
        return failure();
      buffers.push_back(*buffer);
      if (cast<OpTy>(op).isDpsInit(&operand))
        initBuffers.push_back(*buffer);
    }
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPoint(op);
    OperationState bufferized(op->getLoc(), op->getName());
    bufferized.addOperands(buffers);
    bufferized.propertiesAttr = op->getPropertiesAsAttribute();
    bufferized.addAttributes(llvm::to_vector(op->getDiscardableAttrs()));
    rewriter.create(bufferized);
    replaceOpWithBufferizedValues(rewriter, op, initBuffers);
    return success();
  }
};
} // namespace

void mlir::longnet::registerBufferizableOpInterfaceExternalModels(
    DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, LongNetDialect *) {
    BranchAttentionOp::attachInterface<
        DestinationOpInterface<BranchAttentionOp>>(*ctx);
    AttentionOp::attachInterface<DestinationOpInterface<AttentionOp>>(*ctx);
    BranchAttentionBackwardOp::attachInterface<
        DestinationOpInterface<BranchAttentionBackwardOp>>(*ctx);
    GatheredBranchAttentionBackwardOp::attachInterface<
        DestinationOpInterface<GatheredBranchAttentionBackwardOp>>(*ctx);
    SegmentReduceScatterOp::attachInterface<
        DestinationOpInterface<SegmentReduceScatterOp>>(*ctx);
    GatheredBranchAttentionOp::attachInterface<
        DestinationOpInterface<GatheredBranchAttentionOp>>(*ctx);
    SegmentAllGatherOp::attachInterface<
        DestinationOpInterface<SegmentAllGatherOp>>(*ctx);
  });
}
