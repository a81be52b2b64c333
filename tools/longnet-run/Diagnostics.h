//===- Diagnostics.h - MLIR diagnostics as one error line -------*- C++ -*-===//
//
// Part of the longnet-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_TOOLS_LONGNET_RUN_DIAGNOSTICS_H
#define LONGNET_TOOLS_LONGNET_RUN_DIAGNOSTICS_H

#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/Error.h"

#include <string>

namespace longnet {
namespace run {

/// An llvm::Error carrying one message line.
inline llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// While alive, keeps the first error diagnostic of `context` as
/// "file:line:col: message" (notes dropped) and prints warnings to stderr,
/// so that a failure becomes one `longnet-run: error:` line.
class FirstErrorCollector {
public:
  explicit FirstErrorCollector(mlir::MLIRContext *context);

  /// "`what`: <first error>", or `what` alone when no error was emitted.
  llvm::Error takeError(const llvm::Twine &what);

private:
  std::string firstError;
  mlir::ScopedDiagnosticHandler handler;
};

} // namespace run
} // namespace longnet

#endif // LONGNET_TOOLS_LONGNET_RUN_DIAGNOSTICS_H
