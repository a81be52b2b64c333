//===- ToolCommandLine.h - Command-line errors in the tools' format -*- C++ -*-===//
//
// Part of the longnet-mlir project.
//
// llvm::cl reports bad options in its own words and exits ("longnet-run:
// for the --threads option: '-1' value invalid for uint argument!"). The
// tools report every error as one "<tool>: error: ..." line and exit 1:
// parseToolCommandLine parses with llvm::cl, catches its message and
// rewrites it into that form.
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_TOOLS_TOOLCOMMANDLINE_H
#define LONGNET_TOOLS_TOOLCOMMANDLINE_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace longnet {

/// llvm::cl's first message line, reworded: "for the --x option: M!" becomes
/// "--x: M", "Unknown command line argument 'A'.  Try: ..." becomes
/// "unknown option 'A' (see --help)".
inline std::string rewordCommandLineError(llvm::StringRef tool,
                                          llvm::StringRef messages) {
  llvm::StringRef line = messages.split('\n').first.trim();
  std::string prefix = (tool + ": ").str();
  if (line.starts_with(prefix))
    line = line.drop_front(prefix.size());
  if (line.consume_front("Unknown command line argument ")) {
    llvm::StringRef argument = line.split(".  Try").first;
    std::string text = ("unknown option " + argument + " (see --help)").str();
    size_t suggestion = messages.find("Did you mean '");
    if (suggestion != llvm::StringRef::npos) {
      llvm::StringRef rest = messages.drop_front(suggestion + 14);
      text += "; did you mean '" + rest.split('\'').first.str() + "'?";
    }
    return text;
  }
  if (line.consume_front("for the ")) {
    auto [option, message] = line.split(" option: ");
    message.consume_back("!");
    std::string reworded = message.str();
    const char *cannotFind = "Cannot find option named ";
    if (message.starts_with(cannotFind))
      reworded = ("unknown value " + message.drop_front(strlen(cannotFind)) +
                  " (see --help for the values)")
                     .str();
    option = option.trim();
    if (!option.starts_with("-"))
      option = line.split(' ').first;
    return (option + ": " + reworded).str();
  }
  line.consume_back("!");
  return line.str();
}

/// Parses the command line; on an error prints one "<tool>: error:" line
/// and returns false (the caller exits 1).
inline bool parseToolCommandLine(int argc, char **argv, llvm::StringRef tool,
                                 llvm::StringRef overview) {
  std::string messages;
  llvm::raw_string_ostream errors(messages);
  if (llvm::cl::ParseCommandLineOptions(argc, argv, overview, &errors))
    return true;
  errors.flush();
  llvm::WithColor::error(llvm::errs(), tool)
      << rewordCommandLineError(tool, messages) << "\n";
  return false;
}

} // namespace longnet

#endif // LONGNET_TOOLS_TOOLCOMMANDLINE_H
