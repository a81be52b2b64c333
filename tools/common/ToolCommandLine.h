//===- ToolCommandLine.h - Command-line errors in the tools' format -*- C++
//-*-===//
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

#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <utility>

namespace longnet {

/// llvm::cl's first message line, reworded: "for the --x option: M!" becomes
/// "--x: M", "Unknown command line argument 'A'.  Try: ..." becomes
/// "unknown option 'A' (see --help)".
inline std::string rewordCommandLineError(llvm::StringRef tool,
                                          llvm::StringRef messages) {
  llvm::StringRef line = messages.split('\n').first.trim();
  if (line.empty())
    return "invalid command line (see --help)";
  std::string prefix = (tool + ": ").str();
  if (line.starts_with(prefix))
    line = line.drop_front(prefix.size());
  if (line.consume_front("Unknown command line argument ")) {
    llvm::StringRef argument = line.split(".  Try").first;
    std::string text = ("unknown option " + argument + " (see --help)").str();
    size_t suggestion = messages.find("Did you mean '");
    if (suggestion != llvm::StringRef::npos) {
      // LLVM always names the nearest option; keep it when it is near.
      llvm::StringRef nearest =
          messages.drop_front(suggestion + 14).split('\'').first;
      if (argument.trim('\'').edit_distance(nearest) <= 2)
        text += "; did you mean '" + nearest.str() + "'?";
    }
    return text;
  }
  if (line.consume_front("for the ")) {
    auto [option, message] = line.split(" option: ");
    message.consume_back("!");
    std::string reworded = message.str();
    const char *cannotFind = "Cannot find option named ";
    static const std::pair<const char *, const char *> kinds[] = {
        {" value invalid for uint argument", " is not a non-negative integer"},
        {" value invalid for ulong argument", " is not a non-negative integer"},
        {" value invalid for ullong argument",
         " is not a non-negative integer"},
        {" value invalid for integer argument", " is not an integer"},
        {" value invalid for long argument", " is not an integer"},
        {" value invalid for llong argument", " is not an integer"},
        {" value invalid for floating point argument", " is not a number"}};
    for (auto [llvmWords, ourWords] : kinds)
      if (message.ends_with(llvmWords))
        reworded = (message.drop_back(strlen(llvmWords)) + ourWords).str();
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
  // Value errors ("'-1' value invalid for uint argument") go straight to
  // llvm::errs(), not to the stream given to the parser: catch stderr too.
  std::fflush(stderr);
  llvm::errs().flush();
  int savedStderr = dup(STDERR_FILENO);
  FILE *capture = std::tmpfile();
  if (savedStderr >= 0 && capture)
    dup2(fileno(capture), STDERR_FILENO);
  std::string messages;
  llvm::raw_string_ostream errors(messages);
  bool parsed =
      llvm::cl::ParseCommandLineOptions(argc, argv, overview, &errors);
  llvm::errs().flush();
  if (savedStderr >= 0 && capture) {
    dup2(savedStderr, STDERR_FILENO);
    std::rewind(capture);
    std::string direct;
    char buffer[4096];
    for (size_t n; (n = std::fread(buffer, 1, sizeof(buffer), capture)) > 0;)
      direct.append(buffer, n);
    messages = direct + messages;
  }
  if (savedStderr >= 0)
    close(savedStderr);
  if (capture)
    std::fclose(capture);
  if (parsed) {
    // Warnings of a successful parse still belong on stderr.
    llvm::errs() << messages;
    return true;
  }
  llvm::WithColor::error(llvm::errs(), tool)
      << rewordCommandLineError(tool, messages) << "\n";
  return false;
}

/// A number as the tools print it in messages: "-1", "0.5", "inf", "nan".
inline std::string formatNumber(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", value);
  return text;
}

} // namespace longnet

#endif // LONGNET_TOOLS_TOOLCOMMANDLINE_H
