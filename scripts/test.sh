#!/usr/bin/env bash
# Second command: installs what is missing, builds everything, and runs the whole test suite
# (doctest units, CLI tests on the real binary, the headless-browser report test).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
werror=OFF
[ "${CI:-}" = "true" ] && werror=ON
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DPARLEY_WERROR=$werror >/dev/null
cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure -j"$(nproc)"
