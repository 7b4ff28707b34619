#!/usr/bin/env bash
# Fails when the built `parley` loads a shared library that is not on scripts/allowed-libs.txt,
# so that a library whose licence does not fit a GPL-3.0-or-later binary (CLP, Graphviz: both
# EPL-1.0) cannot come back into the default build silently. Called by .ci/run.
#   bash scripts/check-links.sh [BINARY]        (default build/cli/parley)
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-build/cli/parley}
allow=scripts/allowed-libs.txt
[ -x "$binary" ] || { echo "check-links: no program at $binary (build it first)" >&2; exit 1; }

mapfile -t patterns < <(sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^[[:space:]]*$/d' "$allow")
libs=$(ldd "$binary") || { echo "check-links: ldd failed on $binary" >&2; exit 1; }

bad=0
count=0
while read -r line; do
  [ -n "$line" ] || continue
  name=${line%% *}        # "libglpk.so.40 => /usr/lib/... (0x...)" or "/lib64/ld-linux... (0x...)"
  name=${name##*/}
  count=$((count + 1))
  if [[ $line == *"not found"* ]]; then
    echo "check-links: $name: not found" >&2
    bad=1
    continue
  fi
  ok=0
  for p in "${patterns[@]}"; do
    # shellcheck disable=SC2053  # the patterns are globs on purpose
    if [[ $name == $p ]]; then ok=1; break; fi
  done
  if [ $ok -eq 0 ]; then
    echo "check-links: $binary loads $name, which is not on $allow (${line#*=> })" >&2
    bad=1
  fi
done <<< "$libs"

if [ $bad -ne 0 ]; then
  echo "check-links: FAILED. A library not on the list may not be GPL-3.0-compatible; see" \
       "docs/licensing.md before adding it." >&2
  exit 1
fi
echo "check-links: $binary loads $count libraries, all on $allow"
