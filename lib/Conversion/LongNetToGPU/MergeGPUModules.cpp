//===- MergeGPUModules.cpp - One gpu.module per model ---------------------===//
//
// Part of the longnet-mlir project.
//
//===----------------------------------------------------------------------===//

#include "longnet/Conversion/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::longnet {
#define GEN_PASS_DEF_LONGNETMERGEGPUMODULES
#include "longnet/Conversion/Passes.h.inc"
} // namespace mlir::longnet

using namespace mlir;

namespace {

/// Shared-memory buffers are read by cp.async and ldmatrix in 16-byte rows:
/// align them to 16 bytes (the NVVM lowering defaults to the element size).
/// A kernel whose body carries `longnet.min_blocks_per_sm` (set by
/// longnet-convert-attention-to-nvgpu, which outlining cannot pass on) gets
/// it as `nvvm.minctasm`, ptxas's register budget.
void prepareKernels(ModuleOp module) {
  module.walk([](gpu::GPUFuncOp fn) {
    auto align = IntegerAttr::get(IntegerType::get(fn.getContext(), 64), 16);
    for (unsigned i = 0; i < fn.getNumWorkgroupAttributions(); ++i)
      fn.setWorkgroupAttributionAttr(i, "llvm.align", align);
    fn.walk([&](Operation *op) {
      if (Attribute hint = op->removeAttr("longnet.min_blocks_per_sm"))
        fn->setAttr("nvvm.minctasm", hint);
    });
  });
}

struct MergeGPUModulesPass
    : public longnet::impl::LongNetMergeGPUModulesBase<MergeGPUModulesPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    prepareKernels(module);
    SmallVector<gpu::GPUModuleOp> gpuModules(module.getOps<gpu::GPUModuleOp>());
    if (gpuModules.size() < 2)
      return;
    gpu::GPUModuleOp target = gpuModules.front();
    SymbolTable targetSymbols(target);
    // Old (module, function) -> new function name in `target`.
    DenseMap<std::pair<StringAttr, StringAttr>, StringAttr> renamed;
    for (gpu::GPUModuleOp source : llvm::drop_begin(gpuModules)) {
      for (Operation &op :
           llvm::make_early_inc_range(source.getBody()->getOperations())) {
        auto symbol = dyn_cast<SymbolOpInterface>(&op);
        if (!symbol) {
          source.emitOpError("holds an operation that is not a symbol; "
                             "cannot merge it into @")
              << target.getName();
          return signalPassFailure();
        }
        StringAttr oldName = symbol.getNameAttr();
        op.remove();
        // insert() renames on a clash and returns the final name.
        StringAttr newName = targetSymbols.insert(&op);
        renamed[{source.getNameAttr(), oldName}] = newName;
      }
      source.erase();
    }
    module.walk([&](gpu::LaunchFuncOp launch) {
      SymbolRefAttr kernel = launch.getKernel();
      auto it =
          renamed.find({kernel.getRootReference(), kernel.getLeafReference()});
      if (it == renamed.end())
        return;
      launch.getProperties().setKernel(SymbolRefAttr::get(
          target.getNameAttr(), {FlatSymbolRefAttr::get(it->second)}));
    });
  }
};

} // namespace
