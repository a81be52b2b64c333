//===- longnet-seal.cpp - Seal a hand-linked model library ---------------===//
//
// Part of the longnet-mlir project.
//
// Appends the seal of longnet-runtime/ModelFile.h (length and checksum) to
// shared libraries that were linked without longnet-compile (hand-written
// models, the runtime's test fixtures), so that lnrt_model_load accepts
// them. longnet-compile seals what it writes itself.
//
//===----------------------------------------------------------------------===//

#include "longnet-runtime/ModelFile.h"

#include <cstdio>
#include <cstring>

int main(int argc, char **argv) {
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0) {
    std::fprintf(argc < 2 ? stderr : stdout,
                 "usage: longnet-seal LIBRARY.so...\n"
                 "Appends the length and checksum that lnrt_model_load "
                 "checks.\n");
    return argc < 2 ? 1 : 0;
  }
  for (int i = 1; i < argc; ++i) {
    std::string error = longnet::modelfile::sealModelFile(argv[i]);
    if (!error.empty()) {
      std::fprintf(stderr, "longnet-seal: error: %s\n", error.c_str());
      return 1;
    }
  }
  return 0;
}
