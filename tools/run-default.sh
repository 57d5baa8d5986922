#!/usr/bin/env bash
# Installs the dependencies, builds a Release build and runs the default scenario:
# writes results.h5 and prints the headline table.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DRXSTRESS_BUILD_TESTS=OFF
cmake --build build -j2 --target rxstress
./build/rxstress run scenarios/example-icb.yaml -o results.h5 --force
