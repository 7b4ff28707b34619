#!/usr/bin/env bash
# Fails when a doctest test case or suite has a ';' in its name. CTest's doctest discovery
# keeps test names in CMake lists, which split at ';': "a; b" became a test " b" that matched
# no test case, and doctest passes when nothing matches, so the test never ran and could not
# fail. Run by ctest (tests/CMakeLists.txt).
#   bash scripts/check-test-names.sh [ROOT]        (default: this repository)
set -euo pipefail
root=${1:-"$(dirname "$0")/.."}
cd "$root"
if grep -rnE 'TEST_(CASE|SUITE)\("[^"]*;' tests; then
  echo "check-test-names: the names above hold ';', which CTest splits (the test would never run); use ',' or ':'" >&2
  exit 1
fi
