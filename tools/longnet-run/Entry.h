//===- Entry.h - The function longnet-run calls and its inputs --*- C++ -*-===//
//
// Part of the longnet-mlir project.
//
// Finds the entry function, checks that its arguments and results are ranked
// tensors longnet-run can pass, and builds its inputs: read from .npy files
// (checked against the signature) or drawn at random at the static shapes or
// those given by --shapes. Every error names the argument, the expected type
// and what was given.
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_TOOLS_LONGNET_RUN_ENTRY_H
#define LONGNET_TOOLS_LONGNET_RUN_ENTRY_H

#include "HostTensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

namespace longnet {
namespace run {

/// An argument or result type of the entry: mlir::ShapedType::kDynamic marks
/// a dynamic dimension.
struct TensorSpec {
  ElementType elementType;
  llvm::SmallVector<int64_t> shape;
  /// The MLIR type as written, e.g. "tensor<1x?x4x64xf32>".
  std::string typeText;

  /// Whether `concrete` has this rank and agrees with every static dimension.
  bool accepts(llvm::ArrayRef<int64_t> concrete) const;
};

struct EntrySignature {
  llvm::SmallVector<TensorSpec> arguments;
  llvm::SmallVector<TensorSpec> results;
};

/// The public, defined func.func `name` of `module`.
llvm::Expected<mlir::func::FuncOp> lookupEntry(mlir::ModuleOp module,
                                               llvm::StringRef name);

/// Checks that every argument and result of `entry` is a ranked tensor of
/// f16, bf16, f32 or f64.
llvm::Expected<EntrySignature> analyzeSignature(mlir::func::FuncOp entry);

/// Reads one .npy file per argument and checks its dtype and shape.
llvm::Expected<llvm::SmallVector<HostTensor>>
readInputs(const EntrySignature &signature, llvm::ArrayRef<std::string> paths);

/// Options of the random inputs.
struct RandomInit {
  InitKind kind = InitKind::Normal;
  /// One scale for every argument, or one per argument.
  llvm::SmallVector<double> scales = {1.0};
  uint64_t seed = 0;
};

/// Random inputs at the static shapes, or at `shapes` (one "1x4096x4x64"
/// per argument, which must agree with the static dimensions) when given.
/// Argument i draws from stream i of the seed.
llvm::Expected<llvm::SmallVector<HostTensor>>
makeRandomInputs(const EntrySignature &signature,
                 llvm::ArrayRef<std::string> shapes, const RandomInit &init);

} // namespace run
} // namespace longnet

#endif // LONGNET_TOOLS_LONGNET_RUN_ENTRY_H
