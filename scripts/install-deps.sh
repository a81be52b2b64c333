#!/usr/bin/env bash
# Installs what longnet-mlir needs on a fresh Debian 12 machine: LLVM/MLIR 22,
# LLVM's OpenMP runtime (for longnet-run), lit, CMake, Ninja, GoogleTest, Open
# MPI (the CPU backend of the collectives and its multi-rank tests).
# Idempotent; skips apt when all is present.
set -euo pipefail

packages=(llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools libomp-22-dev
          cmake ninja-build g++ libgtest-dev python3
          openmpi-bin libopenmpi-dev)

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
