//===- Diagnostics.cpp - MLIR diagnostics as one error line ---------------===//
//
// Part of the longnet-mlir project.
//
//===----------------------------------------------------------------------===//

#include "Diagnostics.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace longnet::run;
using namespace mlir;

namespace {

std::string formatDiagnostic(Diagnostic &diagnostic) {
  std::string text;
  llvm::raw_string_ostream os(text);
  if (auto fileLoc = diagnostic.getLocation()->findInstanceOf<FileLineColLoc>())
    os << fileLoc.getFilename().getValue() << ":" << fileLoc.getLine() << ":"
       << fileLoc.getColumn() << ": ";
  os << diagnostic.str();
  return text;
}

} // namespace

FirstErrorCollector::FirstErrorCollector(MLIRContext *context)
    : handler(context, [this](Diagnostic &diagnostic) {
        if (diagnostic.getSeverity() == DiagnosticSeverity::Error) {
          if (firstError.empty())
            firstError = formatDiagnostic(diagnostic);
        } else if (diagnostic.getSeverity() == DiagnosticSeverity::Warning) {
          llvm::WithColor::warning(llvm::errs(), "longnet-run")
              << formatDiagnostic(diagnostic) << "\n";
        }
        return success();
      }) {}

llvm::Error FirstErrorCollector::takeError(const llvm::Twine &what) {
  std::string message = what.str();
  if (!firstError.empty())
    message += ": " + firstError;
  firstError.clear();
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}
