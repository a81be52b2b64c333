#!/usr/bin/env bash
# Installs what longnet-mlir needs on a fresh Debian 12 machine: LLVM/MLIR 22,
# LLVM's OpenMP runtime (for longnet-run), lit, CMake, Ninja, GoogleTest, Open
# MPI (the CPU backend of the collectives and its multi-rank tests), clang 22
# with its sanitizer and libFuzzer runtimes (the sanitized build,
# docs/reliability.md), and a Python virtual environment .venv with numpy
# (../shared/ptxemu, the GPU emulator of the tests).
# Idempotent; skips apt and pip when all is present.
set -euo pipefail

packages=(llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools libomp-22-dev
          cmake ninja-build g++ libgtest-dev python3
          openmpi-bin libopenmpi-dev clang-22 libclang-rt-22-dev)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
    missing+=("$p")
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "install-deps: all packages present"

cd "$(dirname "$0")/.."
if ! .venv/bin/python -c "import numpy" 2>/dev/null; then
  echo "install-deps: creating .venv with numpy"
  if ! python3 -m venv .venv 2>/dev/null; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO=sudo
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
      --no-install-recommends python3-venv >/dev/null
    /usr/bin/python3 -m venv .venv
  fi
  .venv/bin/pip install -q --disable-pip-version-check numpy
fi
echo "install-deps: .venv has numpy"
