//===- NpyTest.cpp - Tests of the .npy reader and writer ------------------===//
//
// Part of the longnet-mlir project.
//
// The byte images below are what NumPy 1.x/2.x writes (np.save) for small
// arrays; the header text is copied from such files.
//
//===----------------------------------------------------------------------===//

#include "longnet-runtime/Npy.h"

#include "gtest/gtest.h"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

using namespace longnet::npy;

namespace {

/// A version 1.0 image: preamble, `header` padded like NumPy, then `data`.
std::vector<uint8_t> makeImage(const std::string &header,
                               const std::vector<uint8_t> &data,
                               int major = 1) {
  std::string text = header;
  size_t preamble = major == 1 ? 10 : 12;
  while ((preamble + text.size() + 1) % 64 != 0)
    text += ' ';
  text += '\n';
  std::vector<uint8_t> bytes = {0x93,           'N', 'U', 'M', 'P', 'Y',
                                uint8_t(major), 0};
  bytes.push_back(uint8_t(text.size() & 0xff));
  bytes.push_back(uint8_t(text.size() >> 8));
  if (major != 1) {
    bytes.push_back(0);
    bytes.push_back(0);
  }
  bytes.insert(bytes.end(), text.begin(), text.end());
  bytes.insert(bytes.end(), data.begin(), data.end());
  return bytes;
}

std::vector<uint8_t> floatBytes(std::vector<float> values) {
  std::vector<uint8_t> bytes(values.size() * sizeof(float));
  std::memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

std::string decodeImage(const std::vector<uint8_t> &image, Array &array) {
  return decode(image.data(), image.size(), array);
}

std::string temporaryPath(const std::string &name) {
  const char *dir = std::getenv("TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/longnet-npy-test-" + name;
}

TEST(Npy, DecodesNumPyFloat32Matrix) {
  std::vector<float> values = {1, 2, 3, 4, 5, 6};
  Array array;
  ASSERT_EQ(decodeImage(makeImage("{'descr': '<f4', 'fortran_order': False, "
                                  "'shape': (2, 3), }",
                                  floatBytes(values)),
                        array),
            "");
  EXPECT_EQ(array.dtype, DType::Float32);
  EXPECT_EQ(array.shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(array.numElements(), 6);
  EXPECT_EQ(array.data, floatBytes(values));
}

TEST(Npy, DecodesOneAndZeroDimensionalShapes) {
  Array vector, scalar, empty;
  ASSERT_EQ(decodeImage(makeImage("{'descr': '<f4', 'fortran_order': False, "
                                  "'shape': (2,), }",
                                  floatBytes({7, 8})),
                        vector),
            "");
  EXPECT_EQ(vector.shape, (std::vector<int64_t>{2}));
  ASSERT_EQ(decodeImage(makeImage("{'descr': '<f4', 'fortran_order': False, "
                                  "'shape': (), }",
                                  floatBytes({9})),
                        scalar),
            "");
  EXPECT_TRUE(scalar.shape.empty());
  EXPECT_EQ(scalar.numElements(), 1);
  ASSERT_EQ(decodeImage(makeImage("{'descr': '<f4', 'fortran_order': False, "
                                  "'shape': (0, 3), }",
                                  {}),
                        empty),
            "");
  EXPECT_EQ(empty.numElements(), 0);
}

TEST(Npy, DecodesVersion2AndKeysInAnyOrder) {
  Array array;
  ASSERT_EQ(decodeImage(makeImage("{\"shape\": (1L, 2L), \"fortran_order\": "
                                  "False, \"descr\": \"<f8\"}",
                                  std::vector<uint8_t>(16, 0), 2),
                        array),
            "");
  EXPECT_EQ(array.dtype, DType::Float64);
  EXPECT_EQ(array.shape, (std::vector<int64_t>{1, 2}));
}

TEST(Npy, ParsesEveryAcceptedDescr) {
  struct Case {
    const char *descr;
    DType dtype;
  } cases[] = {{"<f2", DType::Float16},  {"=f2", DType::Float16},
               {"<f4", DType::Float32},  {"<f8", DType::Float64},
               {"<u2", DType::UInt16},   {"bfloat16", DType::BFloat16},
               {"<V2", DType::BFloat16}, {"|V2", DType::BFloat16}};
  for (const Case &c : cases) {
    DType dtype = DType::Float32;
    EXPECT_EQ(parseDescr(c.descr, dtype), "") << c.descr;
    EXPECT_EQ(dtype, c.dtype) << c.descr;
  }
}

TEST(Npy, RejectsBigEndianAndUnsupportedDescr) {
  DType dtype;
  EXPECT_EQ(parseDescr(">f4", dtype),
            "dtype '>f4' is big-endian; only little-endian is supported");
  EXPECT_NE(parseDescr("<i8", dtype).find("unsupported dtype '<i8'"),
            std::string::npos);
  EXPECT_NE(parseDescr("<f4x", dtype).find("unsupported dtype"),
            std::string::npos);
}

TEST(Npy, RejectsFortranOrder) {
  Array array;
  EXPECT_EQ(decodeImage(makeImage("{'descr': '<f4', 'fortran_order': True, "
                                  "'shape': (2, 3), }",
                                  std::vector<uint8_t>(24)),
                        array),
            "array is in Fortran order; save it in C order "
            "(np.ascontiguousarray)");
}

TEST(Npy, RejectsMalformedFiles) {
  Array array;
  EXPECT_EQ(decodeImage({'P', 'K', 3, 4}, array),
            "not a .npy file (bad magic)");
  std::vector<uint8_t> v4 =
      makeImage("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }",
                floatBytes({1}));
  v4[6] = 4;
  EXPECT_EQ(decodeImage(v4, array), "unsupported .npy format version 4.0");
  EXPECT_EQ(decodeImage(makeImage("{'descr': '<f4', 'fortran_order': False, "
                                  "'shape': (3,), }",
                                  floatBytes({1, 2})),
                        array),
            "data has 8 bytes, shape and dtype need 12");
  EXPECT_EQ(
      decodeImage(makeImage("{'descr': '<f4', 'shape': (3,), }", {}), array),
      "header has no 'fortran_order' key");
  EXPECT_EQ(decodeImage(makeImage("{'descr': [('a', '<f4')], 'fortran_order': "
                                  "False, 'shape': (1,), }",
                                  {}),
                        array),
            "structured arrays (a list 'descr') are not supported");
  EXPECT_EQ(decodeImage(makeImage("{'descr': '<f4', 'fortran_order': False, "
                                  "'shape': (-1,), }",
                                  {}),
                        array),
            "malformed header: expected a non-negative integer at offset 51");
  std::vector<uint8_t> truncated = makeImage(
      "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", {});
  truncated.resize(20);
  EXPECT_EQ(decodeImage(truncated, array), "truncated .npy header");
}

TEST(Npy, EncodesLikeNumPy) {
  Array array;
  array.dtype = DType::Float32;
  array.shape = {3};
  array.data = floatBytes({1, 2, 3});
  std::vector<uint8_t> bytes;
  ASSERT_EQ(encode(array, bytes), "");
  EXPECT_EQ(bytes, makeImage("{'descr': '<f4', 'fortran_order': False, "
                             "'shape': (3,), }",
                             floatBytes({1, 2, 3})));
  EXPECT_EQ(bytes.size() % 64, 12u); // 64-byte header, then the data.
}

TEST(Npy, EncodesBFloat16AsRawBits) {
  Array array;
  array.dtype = DType::BFloat16;
  array.shape = {2, 1};
  array.data = {0x80, 0x3f, 0x00, 0x40}; // 1.0, 2.0
  std::vector<uint8_t> bytes;
  ASSERT_EQ(encode(array, bytes), "");
  Array decoded;
  ASSERT_EQ(decodeImage(bytes, decoded), "");
  EXPECT_EQ(decoded.dtype, DType::UInt16);
  EXPECT_EQ(decoded.shape, array.shape);
  EXPECT_EQ(decoded.data, array.data);
}

TEST(Npy, EncodeRejectsWrongDataSize) {
  Array array;
  array.dtype = DType::Float64;
  array.shape = {2};
  array.data.resize(8);
  std::vector<uint8_t> bytes;
  EXPECT_EQ(encode(array, bytes), "data has 8 bytes, shape and dtype need 16");
}

TEST(Npy, FileRoundTrip) {
  Array array;
  array.dtype = DType::Float16;
  array.shape = {2, 2, 2};
  for (int i = 0; i < 8; ++i) {
    array.data.push_back(uint8_t(i));
    array.data.push_back(0x3c);
  }
  std::string path = temporaryPath("roundtrip.npy");
  ASSERT_EQ(writeFile(path, array), "");
  Array read;
  ASSERT_EQ(readFile(path, read), "");
  EXPECT_EQ(read.dtype, DType::Float16);
  EXPECT_EQ(read.shape, array.shape);
  EXPECT_EQ(read.data, array.data);

  // Trailing bytes after the data are an error too.
  std::ofstream(path, std::ios::app | std::ios::binary) << 'x';
  EXPECT_EQ(readFile(path, read),
            "'" + path + "': data has 17 bytes, shape and dtype need 16");
  std::remove(path.c_str());
}

TEST(Npy, HugeShapeInASmallFileAllocatesNothing) {
  std::string path = temporaryPath("huge.npy");
  std::vector<uint8_t> image =
      makeImage("{'descr': '<f8', 'fortran_order': False, "
                "'shape': (100000000000,), }",
                floatBytes({1}));
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char *>(image.data()),
             std::streamsize(image.size()));
  Array array;
  EXPECT_EQ(readFile(path, array),
            "'" + path + "': data has 4 bytes, shape and dtype need " +
                "800000000000");
  EXPECT_EQ(decodeImage(image, array),
            "data has 4 bytes, shape and dtype need 800000000000");
  std::remove(path.c_str());
}

TEST(Npy, FileErrorsNameThePath) {
  Array array;
  std::string missing = temporaryPath("does-not-exist.npy");
  EXPECT_EQ(readFile(missing, array),
            "'" + missing + "': cannot open: No such file or directory");
  EXPECT_EQ(writeFile("/nonexistent-dir/x.npy", array)
                .rfind("'/nonexistent-dir/x.npy': ", 0),
            0u);
}

TEST(Npy, FormatsShapes) {
  EXPECT_EQ(formatShape({1, 4096, 4, 64}), "1x4096x4x64");
  EXPECT_EQ(formatShape({}), "");
}

} // namespace
