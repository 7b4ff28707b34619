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
# Without the Gambit reference games the conformance tests were skipped (under CI=true they
# fail instead): say how to run them.
shared=$(sed -n 's/^PARLEY_SHARED_DIR:PATH=//p' build/CMakeCache.txt)
if [ ! -f "$shared/gambit-games/reference.json" ]; then
  echo "note: the conformance tests were skipped (no Gambit reference games in $shared);" \
       "to run them: cmake -S . -B build -DPARLEY_SHARED_DIR=<folder holding gambit-games/>"
fi
