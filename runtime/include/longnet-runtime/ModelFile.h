//===- ModelFile.h - Sealing and checking compiled model files --*- C++ -*-===//
//
// Part of the longnet-mlir project.
//
// A compiled model is an ELF shared library followed by a 32-byte seal
// that longnet-compile appends: the magic "LNSEAL01", the byte length of
// the library and its FNV-1a 64-bit checksum (little endian), and the
// magic "LNSEALED". dlopen ignores bytes past the segments, so a sealed file
// loads as the library it was. lnrt_model_load checks the file before it
// reaches the dynamic loader, which crashes on truncated or corrupted
// libraries: an ELF header of this host's kind, the seal, the checksum, and
// every header table and loadable segment inside the library's bytes.
//
// Header-only: the model compiler and the runtime share it.
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_RUNTIME_MODELFILE_H
#define LONGNET_RUNTIME_MODELFILE_H

#include <elf.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace longnet {
namespace modelfile {

constexpr char kSealMagic[8] = {'L', 'N', 'S', 'E', 'A', 'L', '0', '1'};
constexpr char kSealEnd[8] = {'L', 'N', 'S', 'E', 'A', 'L', 'E', 'D'};
constexpr size_t kSealSize = 32;

inline uint64_t checksum(const uint8_t *data, size_t size) {
  uint64_t hash = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < size; ++i) {
    hash ^= data[i];
    hash *= 0x100000001b3ull;
  }
  return hash;
}

inline void putU64(uint8_t *at, uint64_t value) {
  for (int i = 0; i < 8; ++i)
    at[i] = uint8_t(value >> (8 * i));
}

inline uint64_t getU64(const uint8_t *at) {
  uint64_t value = 0;
  for (int i = 7; i >= 0; --i)
    value = (value << 8) | at[i];
  return value;
}

inline bool readFile(const std::string &path, std::vector<uint8_t> &bytes,
                     std::string &error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot read '" + path + "'";
    return false;
  }
  bytes.assign(std::istreambuf_iterator<char>(in),
               std::istreambuf_iterator<char>());
  if (in.bad()) {
    error = "cannot read '" + path + "'";
    return false;
  }
  return true;
}

/// Why `size` bytes at `library` are not a well-formed ELF shared library
/// of this host's kind, or "".
inline std::string describeELFError(const uint8_t *library, size_t size) {
  if (size < sizeof(Elf64_Ehdr) || std::memcmp(library, ELFMAG, SELFMAG) != 0)
    return "not an ELF file";
  Elf64_Ehdr header;
  std::memcpy(&header, library, sizeof(header));
  if (header.e_ident[EI_CLASS] != ELFCLASS64 ||
      header.e_ident[EI_DATA] != ELFDATA2LSB)
    return "not a 64-bit little-endian ELF file";
  if (header.e_type != ET_DYN)
    return "not an ELF shared library";
#if defined(__x86_64__)
  if (header.e_machine != EM_X86_64)
    return "an ELF library for another machine (e_machine " +
           std::to_string(header.e_machine) + ", this host is x86-64)";
#elif defined(__aarch64__)
  if (header.e_machine != EM_AARCH64)
    return "an ELF library for another machine (e_machine " +
           std::to_string(header.e_machine) + ", this host is AArch64)";
#endif
  auto within = [&](uint64_t offset, uint64_t count, uint64_t entrySize) {
    if (entrySize != 0 && count > (UINT64_MAX - offset) / entrySize)
      return false;
    return offset + count * entrySize <= size;
  };
  if (header.e_phnum == 0 || header.e_phentsize != sizeof(Elf64_Phdr) ||
      !within(header.e_phoff, header.e_phnum, header.e_phentsize))
    return "its program header table lies outside the file";
  if (header.e_shnum != 0 &&
      (header.e_shentsize != sizeof(Elf64_Shdr) ||
       !within(header.e_shoff, header.e_shnum, header.e_shentsize)))
    return "its section header table lies outside the file";
  for (uint16_t i = 0; i < header.e_phnum; ++i) {
    Elf64_Phdr segment;
    std::memcpy(&segment, library + header.e_phoff + i * sizeof(Elf64_Phdr),
                sizeof(segment));
    if (segment.p_type == PT_NULL)
      continue;
    if (!within(segment.p_offset, segment.p_filesz, 1))
      return "segment " + std::to_string(i) + " lies outside the file";
    if (segment.p_type == PT_LOAD && segment.p_memsz < segment.p_filesz)
      return "segment " + std::to_string(i) +
             " is larger in the file than in "
             "memory";
  }
  return "";
}

/// Why the file `bytes` is not a sealed, intact model library, or "".
inline std::string describeModelFileError(const std::vector<uint8_t> &bytes) {
  if (bytes.size() < SELFMAG || std::memcmp(bytes.data(), ELFMAG, SELFMAG) != 0)
    return "not an ELF file";
  if (bytes.size() < kSealSize)
    return "no longnet-compile seal at its end: the file is truncated";
  const uint8_t *seal = bytes.data() + bytes.size() - kSealSize;
  if (std::memcmp(seal + 24, kSealEnd, sizeof(kSealEnd)) != 0 ||
      std::memcmp(seal, kSealMagic, sizeof(kSealMagic)) != 0)
    return "no longnet-compile seal at its end: the file is truncated, was "
           "modified, or was not written by longnet-compile";
  uint64_t length = getU64(seal + 8);
  if (length != bytes.size() - kSealSize)
    return "its seal records " + std::to_string(length) +
           " bytes of library but " + std::to_string(bytes.size() - kSealSize) +
           " precede it: the file was truncated or modified";
  if (getU64(seal + 16) != checksum(bytes.data(), length))
    return "checksum mismatch: the file was corrupted or modified after "
           "longnet-compile wrote it";
  return describeELFError(bytes.data(), length);
}

/// Appends the seal to the library at `path`; returns "" or the problem.
inline std::string sealModelFile(const std::string &path) {
  std::vector<uint8_t> bytes;
  std::string error;
  if (!readFile(path, bytes, error))
    return error;
  if (std::string problem = describeELFError(bytes.data(), bytes.size());
      !problem.empty())
    return "cannot seal '" + path + "': " + problem;
  uint8_t seal[kSealSize];
  std::memcpy(seal, kSealMagic, sizeof(kSealMagic));
  putU64(seal + 8, bytes.size());
  putU64(seal + 16, checksum(bytes.data(), bytes.size()));
  std::memcpy(seal + 24, kSealEnd, sizeof(kSealEnd));
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out.write(reinterpret_cast<const char *>(seal), kSealSize);
  out.close();
  if (!out)
    return "cannot write the seal to '" + path + "'";
  return "";
}

} // namespace modelfile
} // namespace longnet

#endif // LONGNET_RUNTIME_MODELFILE_H
