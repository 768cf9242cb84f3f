#!/usr/bin/env bash
# Installs the system packages predict builds against (Debian 12): OpenBLAS (its pthread
# build, kept to one thread per call; for the runtime's matrix products), protoc (for
# scripts/generate-protos.sh), and what the C client builds with (CMake, protobuf-c and its
# compiler, OpenSSL, libjwt). Idempotent.
set -euo pipefail
packages=(libopenblas-pthread-dev protobuf-compiler cmake pkg-config libprotobuf-c-dev protobuf-c-compiler libssl-dev libjwt-dev)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
