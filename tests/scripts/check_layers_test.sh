#!/usr/bin/env bash
# Proves that scripts/check-layers.sh can fail: on small fake trees in a temporary folder it
# must pass a downward include and refuse, naming file:line and both layers, an upward one, an
# include of cli/ and a folder missing from the order.
#   bash tests/scripts/check_layers_test.sh SCRIPT
set -euo pipefail
script=$(realpath "${1:?usage: check_layers_test.sh path/to/check-layers.sh}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

tree() {  # a fresh fake repository with solver/model and solver/report
  rm -rf "$work/repo"
  mkdir -p "$work/repo/solver/model" "$work/repo/solver/report"
  printf '#pragma once\n' >"$work/repo/solver/model/game.h"
  printf '#include "solver/model/game.h"\n' >"$work/repo/solver/report/text.cc"
}

# Downward includes only: passes.
tree
bash "$script" "$work/repo" >/dev/null 2>&1 || fail "a tree with downward includes only was refused"

# An upward include: model includes report.
tree
printf '// a comment\n#include "solver/report/text.h"\n' >"$work/repo/solver/model/game.cc"
if out=$(bash "$script" "$work/repo" 2>&1); then fail "an upward include passed: $out"; fi
grep -q 'solver/model/game.cc:2: solver/model includes solver/report, a higher layer' <<<"$out" ||
  fail "the message does not name file:line and both layers: $out"

# An include of the command line from the library.
tree
printf '#include "cli/common.h"\n' >"$work/repo/solver/report/text.h"
if out=$(bash "$script" "$work/repo" 2>&1); then fail "an include of cli/ passed: $out"; fi
grep -q 'solver/report/text.h:1: solver/report includes cli/' <<<"$out" || fail "cli/ message: $out"

# A folder that has no place in the order.
tree
mkdir -p "$work/repo/solver/gadgets"
if out=$(bash "$script" "$work/repo" 2>&1); then fail "a folder outside the order passed: $out"; fi
grep -q 'solver/gadgets is not in the layer order' <<<"$out" || fail "unknown folder message: $out"

echo "check-layers: refuses upward includes, cli/ includes and unknown folders; passes the rest"
