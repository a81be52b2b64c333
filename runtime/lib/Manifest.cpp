//===- Manifest.cpp - The manifest of a compiled model --------------------===//
//
// Part of the longnet-mlir project.
//
//===----------------------------------------------------------------------===//

#include "Manifest.h"

#include "longnet-runtime/CheckedMath.h"

#include <cstring>
#include <sstream>

using namespace longnet::rt;

namespace {

std::vector<std::string> splitTokens(const std::string &line) {
  std::string code = line.substr(0, line.find('#'));
  std::istringstream stream(code);
  std::vector<std::string> tokens;
  for (std::string token; stream >> token;)
    tokens.push_back(token);
  return tokens;
}

bool parseDType(const std::string &text, lnrt_dtype &dtype) {
  for (lnrt_dtype candidate : {LNRT_F16, LNRT_BF16, LNRT_F32, LNRT_F64})
    if (text == lnrt_dtype_name(candidate)) {
      dtype = candidate;
      return true;
    }
  return false;
}

/// Parses "32768x?x4" or "scalar"; returns "" or the problem.
std::string parseShape(const std::string &text, std::vector<int64_t> &shape) {
  shape.clear();
  if (text == "scalar")
    return "";
  size_t start = 0;
  while (true) {
    size_t end = text.find('x', start);
    std::string dim = text.substr(start, end - start);
    if (dim == "?") {
      shape.push_back(LNRT_DYNAMIC);
    } else {
      if (dim.empty() || dim.size() > 18 ||
          dim.find_first_not_of("0123456789") != std::string::npos)
        return "invalid shape '" + text +
               "' (dimensions are integers or ?, separated by x; 'scalar' "
               "for rank 0)";
      shape.push_back(std::stoll(dim));
    }
    if (end == std::string::npos)
      break;
    start = end + 1;
  }
  if (shape.size() > LNRT_MAX_RANK)
    return "shape '" + text + "' has rank " + std::to_string(shape.size()) +
           ", more than " + std::to_string(LNRT_MAX_RANK);
  return "";
}

/// The parser's state: the line number and the entry being read.
class Parser {
public:
  explicit Parser(Manifest &manifest) : manifest(manifest) {}

  std::string parse(const std::string &text) {
    std::istringstream lines(text);
    std::string line;
    bool sawHeader = false;
    while (std::getline(lines, line)) {
      ++lineNumber;
      std::vector<std::string> tokens = splitTokens(line);
      if (tokens.empty())
        continue;
      std::string error = sawHeader ? parseLine(tokens) : parseHeader(tokens);
      if (!error.empty())
        return "line " + std::to_string(lineNumber) + ": " + error;
      sawHeader = true;
    }
    if (!sawHeader)
      return "empty manifest (expected 'longnet-model 1')";
    if (inEntry)
      return "entry @" + manifest.entries.back().name + " has no 'end'";
    if (!sawTarget)
      return "no 'target' line";
    if (manifest.entries.empty())
      return "no entry";
    return "";
  }

private:
  std::string parseHeader(const std::vector<std::string> &tokens) {
    if (tokens.size() != 2 || tokens[0] != "longnet-model")
      return "expected 'longnet-model 1', got '" + join(tokens) + "'";
    if (tokens[1] != "1")
      return "unsupported manifest version " + tokens[1] + " (expected 1)";
    return "";
  }

  std::string parseLine(const std::vector<std::string> &tokens) {
    const std::string &keyword = tokens[0];
    if (keyword == "target")
      return parseTarget(tokens);
    if (keyword == "chip")
      return parseChip(tokens);
    if (keyword == "entry")
      return parseEntry(tokens);
    if (keyword == "arg" || keyword == "result")
      return parseTensor(tokens);
    if (keyword == "reference")
      return parseReference(tokens);
    if (keyword == "end") {
      if (!inEntry)
        return "'end' outside an entry";
      if (tokens.size() != 1)
        return "'end' takes no operand";
      inEntry = false;
      return "";
    }
    return "unknown keyword '" + keyword + "'";
  }

  std::string parseTarget(const std::vector<std::string> &tokens) {
    if (inEntry || !manifest.entries.empty())
      return "'target' must come before the entries";
    if (sawTarget)
      return "a second 'target' line";
    if (tokens.size() != 2)
      return "expected 'target cpu' or 'target cuda'";
    if (tokens[1] == "cpu")
      manifest.target = LNRT_TARGET_CPU;
    else if (tokens[1] == "cuda")
      manifest.target = LNRT_TARGET_CUDA;
    else
      return "unknown target '" + tokens[1] + "' (expected cpu or cuda)";
    sawTarget = true;
    return "";
  }

  std::string parseChip(const std::vector<std::string> &tokens) {
    if (!sawTarget || manifest.target != LNRT_TARGET_CUDA)
      return "'chip' needs 'target cuda' before it";
    if (inEntry || !manifest.entries.empty() || !manifest.chip.empty())
      return "'chip' must come once, before the entries";
    if (tokens.size() != 2)
      return "expected 'chip NAME'";
    manifest.chip = tokens[1];
    return "";
  }

  std::string parseEntry(const std::vector<std::string> &tokens) {
    if (!sawTarget)
      return "'entry' before the 'target' line";
    if (inEntry)
      return "entry @" + manifest.entries.back().name +
             " has no 'end' before the next entry";
    if (tokens.size() != 3)
      return "expected 'entry NAME SYMBOL'";
    if (manifest.findEntry(tokens[1]))
      return "a second entry @" + tokens[1];
    EntrySpec entry;
    entry.name = tokens[1];
    entry.symbol = tokens[2];
    manifest.entries.push_back(std::move(entry));
    inEntry = true;
    return "";
  }

  std::string parseTensor(const std::vector<std::string> &tokens) {
    if (!inEntry)
      return "'" + tokens[0] + "' outside an entry";
    if (tokens.size() != 3)
      return "expected '" + tokens[0] + " DTYPE SHAPE'";
    TensorType type;
    if (!parseDType(tokens[1], type.dtype))
      return "unknown dtype '" + tokens[1] +
             "' (expected f16, bf16, f32 or f64)";
    if (std::string error = parseShape(tokens[2], type.shape); !error.empty())
      return error;
    // Static dimensions whose byte size does not fit are refused here, so
    // that no call computes a wrapped size.
    std::vector<int64_t> known;
    for (int64_t dim : type.shape)
      if (dim != LNRT_DYNAMIC)
        known.push_back(dim);
    if (!longnet::checkedProduct(known, int64_t(lnrt_dtype_size(type.dtype))))
      return "'" + tokens[0] + " " + type.str() +
             "': its size in bytes overflows a 64-bit integer";
    EntrySpec &entry = manifest.entries.back();
    (tokens[0] == "arg" ? entry.args : entry.results).push_back(type);
    return "";
  }

  std::string parseReference(const std::vector<std::string> &tokens) {
    if (!inEntry)
      return "'reference' outside an entry";
    if (tokens.size() != 2)
      return "expected 'reference SYMBOL'";
    EntrySpec &entry = manifest.entries.back();
    if (!entry.referenceSymbol.empty())
      return "a second 'reference' for entry @" + entry.name;
    entry.referenceSymbol = tokens[1];
    return "";
  }

  static std::string join(const std::vector<std::string> &tokens) {
    std::string text;
    for (const std::string &token : tokens)
      text += (text.empty() ? "" : " ") + token;
    return text;
  }

  Manifest &manifest;
  unsigned lineNumber = 0;
  bool sawTarget = false;
  bool inEntry = false;
};

} // namespace

std::string TensorType::str() const {
  return std::string(lnrt_dtype_name(dtype)) + " " +
         formatShape(shape.data(), shape.size());
}

const EntrySpec *Manifest::findEntry(const std::string &name) const {
  for (const EntrySpec &entry : entries)
    if (entry.name == name)
      return &entry;
  return nullptr;
}

std::string longnet::rt::parseManifest(const std::string &text,
                                       Manifest &manifest) {
  manifest = Manifest();
  return Parser(manifest).parse(text);
}

std::string longnet::rt::formatShape(const int64_t *shape, size_t rank) {
  if (rank == 0)
    return "scalar";
  std::string text;
  for (size_t dim = 0; dim < rank; ++dim) {
    if (dim)
      text += 'x';
    text += shape[dim] == LNRT_DYNAMIC ? "?" : std::to_string(shape[dim]);
  }
  return text;
}
