#!/usr/bin/env bash
# Installs the dependencies, builds (Debug, warnings on) and runs every test through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
cmake -S . -B build-test -G Ninja -DCMAKE_BUILD_TYPE=Debug
cmake --build build-test -j2
ctest --test-dir build-test --output-on-failure -j2
