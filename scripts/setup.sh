#!/usr/bin/env bash
# First command for a newcomer: installs the dependencies (Debian 12 packages), builds Parley
# in build/, and solves the default scenario.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" --target parley_cli
default=scenarios/openai_microsoft.yaml
[ -f "$default" ] || default=games/ultimatum.yaml
echo
echo "\$ build/cli/parley solve $default"
build/cli/parley solve "$default"
