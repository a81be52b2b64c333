//===- Manifest.h - The manifest of a compiled model ------------*- C++ -*-===//
//
// Part of the longnet-mlir project.
//
// A compiled model exports `const char longnet_model_manifest[]`:
//
//   longnet-model 1
//   target cuda                  (or cpu)
//   chip sm_90                   (cuda only, optional)
//   entry main _longnet_packed_main
//   arg f32 32768x256            (f16|bf16|f32|f64; ? is dynamic; "scalar")
//   result f32 32768x256
//   reference _longnet_packed_main__reference   (optional)
//   end
//
// with one or more entry blocks. Tokens are separated by blanks, `#` starts
// a comment, blank lines are ignored; everything else is an error that names
// the line.
//
//===----------------------------------------------------------------------===//

#ifndef LONGNET_RUNTIME_LIB_MANIFEST_H
#define LONGNET_RUNTIME_LIB_MANIFEST_H

#include "longnet-runtime/lnrt.h"

#include <cstdint>
#include <string>
#include <vector>

namespace longnet {
namespace rt {

/// The type of one argument or result; LNRT_DYNAMIC dimensions.
struct TensorType {
  lnrt_dtype dtype = LNRT_F32;
  std::vector<int64_t> shape;

  /// "f32 32768x?" as in the manifest ("f64 scalar" for rank 0).
  std::string str() const;
};

struct EntrySpec {
  std::string name;
  std::string symbol;
  std::vector<TensorType> args;
  std::vector<TensorType> results;
  /// Empty when the entry has no reference variant.
  std::string referenceSymbol;
};

struct Manifest {
  lnrt_target target = LNRT_TARGET_CPU;
  std::string chip;
  std::vector<EntrySpec> entries;

  const EntrySpec *findEntry(const std::string &name) const;
};

/// Parses `text`; returns "" on success, else "line N: ..." or a message
/// about the whole manifest.
std::string parseManifest(const std::string &text, Manifest &manifest);

/// "32768x256", "scalar" for rank 0, "?" for a dynamic dimension.
std::string formatShape(const int64_t *shape, size_t rank);

} // namespace rt
} // namespace longnet

#endif // LONGNET_RUNTIME_LIB_MANIFEST_H
