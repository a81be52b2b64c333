//===- Npy.cpp - NumPy .npy files of LongNet tensors ----------------------===//
//
// Part of the longnet-mlir project.
//
// The format: the magic "\x93NUMPY", a major and minor version byte, the
// header length (2 bytes little-endian in version 1.0, 4 bytes in 2.0 and
// 3.0), then the header, a Python dict literal such as
//   {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
// padded with spaces and ended by '\n', then the raw data.
//
//===----------------------------------------------------------------------===//

#include "longnet-runtime/Npy.h"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>

using namespace longnet::npy;

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;
/// Magic, version and the 2- or 4-byte header length.
constexpr size_t kPreambleSizeV1 = kMagicSize + 2 + 2;
constexpr size_t kPreambleSizeV2 = kMagicSize + 2 + 4;
/// NumPy pads the preamble plus header to a multiple of this.
constexpr size_t kHeaderAlignment = 64;

uint32_t readLittleEndian(const uint8_t *bytes, size_t size) {
  uint32_t value = 0;
  for (size_t i = 0; i < size; ++i)
    value |= uint32_t(bytes[i]) << (8 * i);
  return value;
}

bool isLittleEndianHost() {
  const uint16_t probe = 1;
  uint8_t first;
  std::memcpy(&first, &probe, 1);
  return first == 1;
}

//===----------------------------------------------------------------------===//
// Header dict parsing
//===----------------------------------------------------------------------===//

/// A value of the header dict: a string, a boolean or a tuple of integers.
struct HeaderValue {
  enum class Kind { String, Bool, Tuple } kind = Kind::String;
  std::string text;
  bool flag = false;
  std::vector<int64_t> tuple;
};

/// Recursive-descent parser of the subset of Python literals that .npy
/// headers use. Errors name what was expected and the offset in the header.
class HeaderParser {
public:
  explicit HeaderParser(const std::string &text) : text(text) {}

  std::string parseDict(std::map<std::string, HeaderValue> &dict) {
    if (!consume('{'))
      return fail("'{'");
    while (!consume('}')) {
      HeaderValue key;
      if (std::string error = parseString(key); !error.empty())
        return error;
      if (!consume(':'))
        return fail("':'");
      HeaderValue value;
      if (std::string error = parseValue(value); !error.empty())
        return error;
      if (!dict.emplace(key.text, value).second)
        return "header lists key '" + key.text + "' twice";
      if (!consume(',') && !peek('}'))
        return fail("',' or '}'");
    }
    skipSpace();
    if (pos != text.size())
      return fail("the end of the header");
    return "";
  }

private:
  const std::string &text;
  size_t pos = 0;

  void skipSpace() {
    while (pos < text.size() && std::isspace(uint8_t(text[pos])))
      ++pos;
  }
  bool peek(char c) {
    skipSpace();
    return pos < text.size() && text[pos] == c;
  }
  bool consume(char c) {
    if (!peek(c))
      return false;
    ++pos;
    return true;
  }
  bool consumeWord(const char *word) {
    skipSpace();
    size_t size = std::strlen(word);
    if (text.compare(pos, size, word) != 0)
      return false;
    pos += size;
    return true;
  }
  std::string fail(const std::string &expected) const {
    return "malformed header: expected " + expected + " at offset " +
           std::to_string(pos);
  }

  std::string parseString(HeaderValue &value) {
    skipSpace();
    if (pos >= text.size() || (text[pos] != '\'' && text[pos] != '"'))
      return fail("a quoted string");
    char quote = text[pos++];
    size_t end = text.find(quote, pos);
    if (end == std::string::npos)
      return fail("a closing quote");
    value.kind = HeaderValue::Kind::String;
    value.text = text.substr(pos, end - pos);
    pos = end + 1;
    return "";
  }

  std::string parseInteger(int64_t &result) {
    skipSpace();
    size_t start = pos;
    result = 0;
    while (pos < text.size() && std::isdigit(uint8_t(text[pos]))) {
      int digit = text[pos++] - '0';
      if (result > (std::numeric_limits<int64_t>::max() - digit) / 10)
        return "malformed header: dimension too large at offset " +
               std::to_string(start);
      result = result * 10 + digit;
    }
    if (pos == start)
      return fail("a non-negative integer");
    consume('L'); // Python 2 long literals, e.g. (3L, 4L).
    return "";
  }

  std::string parseTuple(HeaderValue &value) {
    value.kind = HeaderValue::Kind::Tuple;
    while (!consume(')')) {
      int64_t element;
      if (std::string error = parseInteger(element); !error.empty())
        return error;
      value.tuple.push_back(element);
      if (!consume(',') && !peek(')'))
        return fail("',' or ')'");
    }
    return "";
  }

  std::string parseValue(HeaderValue &value) {
    if (peek('\'') || peek('"'))
      return parseString(value);
    if (consume('('))
      return parseTuple(value);
    value.kind = HeaderValue::Kind::Bool;
    if (consumeWord("True")) {
      value.flag = true;
      return "";
    }
    if (consumeWord("False"))
      return "";
    if (peek('['))
      return "structured arrays (a list 'descr') are not supported";
    return fail("a string, a boolean or a tuple");
  }
};

/// Checks the dict's keys and types and fills `array`'s dtype and shape.
std::string interpretHeader(const std::map<std::string, HeaderValue> &dict,
                            Array &array) {
  for (const char *key : {"descr", "fortran_order", "shape"})
    if (!dict.count(key))
      return std::string("header has no '") + key + "' key";
  if (dict.size() != 3)
    return "header has keys other than 'descr', 'fortran_order' and 'shape'";

  const HeaderValue &descr = dict.at("descr");
  const HeaderValue &fortranOrder = dict.at("fortran_order");
  const HeaderValue &shape = dict.at("shape");
  if (descr.kind != HeaderValue::Kind::String)
    return "header 'descr' is not a string";
  if (fortranOrder.kind != HeaderValue::Kind::Bool)
    return "header 'fortran_order' is not True or False";
  if (shape.kind != HeaderValue::Kind::Tuple)
    return "header 'shape' is not a tuple";
  if (fortranOrder.flag)
    return "array is in Fortran order; save it in C order "
           "(np.ascontiguousarray)";
  if (std::string error = parseDescr(descr.text, array.dtype); !error.empty())
    return error;
  array.shape = shape.tuple;
  return "";
}

/// numElements() * elementSize(), or false when it overflows.
bool computeDataSize(const Array &array, size_t &size) {
  size_t total = elementSize(array.dtype);
  for (int64_t dim : array.shape) {
    if (dim != 0 && total > std::numeric_limits<size_t>::max() / uint64_t(dim))
      return false;
    total *= size_t(dim);
  }
  size = total;
  return true;
}

/// Parses the preamble at `bytes` (at least kPreambleSizeV2 bytes, or the
/// whole file when shorter): the header's offset and length.
std::string parsePreamble(const uint8_t *bytes, size_t size,
                          size_t &headerOffset, size_t &headerSize) {
  if (size < kPreambleSizeV1 || std::memcmp(bytes, kMagic, kMagicSize) != 0)
    return "not a .npy file (bad magic)";
  uint8_t major = bytes[kMagicSize];
  if (major == 1) {
    headerOffset = kPreambleSizeV1;
    headerSize = readLittleEndian(bytes + kMagicSize + 2, 2);
    return "";
  }
  if (major == 2 || major == 3) {
    if (size < kPreambleSizeV2)
      return "truncated .npy header";
    headerOffset = kPreambleSizeV2;
    headerSize = readLittleEndian(bytes + kMagicSize + 2, 4);
    return "";
  }
  return "unsupported .npy format version " + std::to_string(major) + "." +
         std::to_string(bytes[kMagicSize + 1]);
}

/// Parses the header text and fills `array`'s dtype and shape; `dataSize` is
/// the number of data bytes that must follow.
std::string parseHeader(const std::string &header, Array &array,
                        size_t &dataSize) {
  std::map<std::string, HeaderValue> dict;
  if (std::string error = HeaderParser(header).parseDict(dict); !error.empty())
    return error;
  if (std::string error = interpretHeader(dict, array); !error.empty())
    return error;
  if (!computeDataSize(array, dataSize))
    return "shape (" + formatShape(array.shape) + ") is too large";
  return "";
}

std::string describeDataSizeError(size_t expected, size_t actual) {
  return "data has " + std::to_string(actual) +
         " bytes, shape and dtype need " + std::to_string(expected);
}

std::string buildHeader(const Array &array) {
  std::string shape = "(";
  for (size_t i = 0; i < array.shape.size(); ++i)
    shape += (i ? ", " : "") + std::to_string(array.shape[i]);
  shape += array.shape.size() == 1 ? ",)" : ")";
  std::string header = std::string("{'descr': '") + descrOf(array.dtype) +
                       "', 'fortran_order': False, 'shape': " + shape + ", }";
  size_t unpadded = kPreambleSizeV1 + header.size() + 1;
  size_t padding =
      (kHeaderAlignment - unpadded % kHeaderAlignment) % kHeaderAlignment;
  return header + std::string(padding, ' ') + "\n";
}

std::string withPath(const std::string &path, const std::string &error) {
  return error.empty() ? error : "'" + path + "': " + error;
}

} // namespace

//===----------------------------------------------------------------------===//
// Public API
//===----------------------------------------------------------------------===//

size_t longnet::npy::elementSize(DType dtype) {
  switch (dtype) {
  case DType::Float16:
  case DType::BFloat16:
  case DType::UInt16:
    return 2;
  case DType::Float32:
    return 4;
  case DType::Float64:
    return 8;
  }
  return 0;
}

const char *longnet::npy::dtypeName(DType dtype) {
  switch (dtype) {
  case DType::Float16:
    return "f16";
  case DType::BFloat16:
    return "bf16";
  case DType::Float32:
    return "f32";
  case DType::Float64:
    return "f64";
  case DType::UInt16:
    return "u16";
  }
  return "?";
}

const char *longnet::npy::descrOf(DType dtype) {
  switch (dtype) {
  case DType::Float16:
    return "<f2";
  case DType::BFloat16:
  case DType::UInt16:
    return "<u2";
  case DType::Float32:
    return "<f4";
  case DType::Float64:
    return "<f8";
  }
  return "?";
}

std::string longnet::npy::parseDescr(const std::string &descr, DType &dtype) {
  if (descr == "bfloat16" || descr == "<V2" || descr == "|V2") {
    dtype = DType::BFloat16;
    return "";
  }
  char order = descr.empty() ? '\0' : descr[0];
  if (order == '>' || (order == '=' && !isLittleEndianHost()))
    return "dtype '" + descr +
           "' is big-endian; only little-endian is "
           "supported";
  static const std::pair<const char *, DType> kTypes[] = {
      {"f2", DType::Float16},
      {"f4", DType::Float32},
      {"f8", DType::Float64},
      {"u2", DType::UInt16}};
  if (order == '<' || order == '=')
    for (const auto &[code, type] : kTypes)
      if (descr.compare(1, std::string::npos, code) == 0) {
        dtype = type;
        return "";
      }
  return "unsupported dtype '" + descr +
         "' (supported: '<f2', '<f4', '<f8', and bf16 as '<u2', '<V2' or "
         "'bfloat16')";
}

int64_t Array::numElements() const {
  int64_t count = 1;
  for (int64_t dim : shape)
    count *= dim;
  return count;
}

std::string longnet::npy::formatShape(const std::vector<int64_t> &shape) {
  std::string text;
  for (size_t i = 0; i < shape.size(); ++i)
    text += (i ? "x" : "") + std::to_string(shape[i]);
  return text;
}

std::string longnet::npy::decode(const void *bytes, size_t size, Array &array) {
  const uint8_t *data = static_cast<const uint8_t *>(bytes);
  size_t headerOffset = 0, headerSize = 0;
  if (std::string error = parsePreamble(data, size, headerOffset, headerSize);
      !error.empty())
    return error;
  if (size - headerOffset < headerSize)
    return "truncated .npy header";
  std::string header(reinterpret_cast<const char *>(data) + headerOffset,
                     headerSize);
  size_t dataSize = 0;
  if (std::string error = parseHeader(header, array, dataSize); !error.empty())
    return error;
  size_t dataOffset = headerOffset + headerSize;
  if (size - dataOffset != dataSize)
    return describeDataSizeError(dataSize, size - dataOffset);
  array.data.assign(data + dataOffset, data + size);
  return "";
}

std::string longnet::npy::encode(const Array &array,
                                 std::vector<uint8_t> &bytes) {
  size_t dataSize = 0;
  if (!computeDataSize(array, dataSize))
    return "shape (" + formatShape(array.shape) + ") is too large";
  if (array.data.size() != dataSize)
    return describeDataSizeError(dataSize, array.data.size());
  std::string header = buildHeader(array);
  bytes.clear();
  bytes.reserve(kPreambleSizeV1 + header.size() + dataSize);
  bytes.insert(bytes.end(), kMagic, kMagic + kMagicSize);
  bytes.push_back(1); // Version 1.0.
  bytes.push_back(0);
  bytes.push_back(uint8_t(header.size() & 0xff));
  bytes.push_back(uint8_t(header.size() >> 8));
  bytes.insert(bytes.end(), header.begin(), header.end());
  bytes.insert(bytes.end(), array.data.begin(), array.data.end());
  return "";
}

std::string longnet::npy::readFile(const std::string &path, Array &array) {
  std::ifstream file(path, std::ios::binary | std::ios::ate);
  if (!file)
    return withPath(path, std::string("cannot open: ") + std::strerror(errno));
  std::streamoff fileSize = file.tellg();
  if (fileSize < 0)
    return withPath(path, "cannot read");
  file.seekg(0);

  // Read the preamble and header first, then the data straight into `array`.
  // Sizes are checked against the file's before anything is allocated, so
  // that a corrupt header cannot ask for more memory than the file holds.
  uint8_t preamble[kPreambleSizeV2] = {};
  file.read(reinterpret_cast<char *>(preamble), sizeof(preamble));
  size_t headerOffset = 0, headerSize = 0;
  if (std::string error = parsePreamble(preamble, size_t(file.gcount()),
                                        headerOffset, headerSize);
      !error.empty())
    return withPath(path, error);
  size_t available = size_t(fileSize) - headerOffset;
  if (headerSize > available)
    return withPath(path, "truncated .npy header");
  std::string header(headerSize, '\0');
  file.clear();
  file.seekg(std::streamoff(headerOffset));
  if (!file.read(header.data(), std::streamsize(headerSize)))
    return withPath(path, "truncated .npy header");

  size_t dataSize = 0;
  if (std::string error = parseHeader(header, array, dataSize); !error.empty())
    return withPath(path, error);
  if (available - headerSize != dataSize)
    return withPath(path,
                    describeDataSizeError(dataSize, available - headerSize));
  array.data.resize(dataSize);
  if (!file.read(reinterpret_cast<char *>(array.data.data()),
                 std::streamsize(dataSize)))
    return withPath(path, "read failed");
  return "";
}

std::string longnet::npy::writeFile(const std::string &path,
                                    const Array &array) {
  std::vector<uint8_t> bytes;
  if (std::string error = encode(array, bytes); !error.empty())
    return withPath(path, error);
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file)
    return withPath(path, std::string("cannot open for writing: ") +
                              std::strerror(errno));
  file.write(reinterpret_cast<const char *>(bytes.data()),
             std::streamsize(bytes.size()));
  file.close();
  if (!file)
    return withPath(path, "write failed");
  return "";
}
